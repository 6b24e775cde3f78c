"""SMART lint of KPI definitions, in Chinese and English: keyword and regex rules written as data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, threshold
from perfkit.language import pick

# The vocabulary is data, one family of words per line.
# fmt: off

# --- The rules, as data. Each list is matched case-insensitively against name + description. ----

#: Vague verbs and adverbs: a definition built on one of these is specific only when it also
#: names a metric and a number (``将客户满意度提升至 90%`` is specific; ``提升客户满意度`` is not).
VAGUE_WORDS: list[str] = [
    # zh
    "提升", "提高", "加强", "增强", "强化", "改善", "改进", "确保", "保障", "优化", "推进", "推动",
    "配合", "协助", "支持", "积极", "努力", "争取", "尽量", "尽可能", "促进", "完善", "做好",
    "落实", "持续", "进一步", "大力", "全面", "有效", "重视", "关注", "维护好", "营造", "树立",
    # en
    r"\bimprov\w*", r"\benhanc\w*", r"\bensur\w*", r"\bstrengthen\w*", r"\bsupport\w*",
    r"\boptimi[sz]\w*", r"\bpromot\w*", r"\bactively\b", r"\beffectively\b", r"\bstriv\w*",
    r"\bassist\w*", r"\bhelp\w*", r"\bfacilitat\w*", r"\bfoster\w*", r"\bboost\w*",
    r"\bencourag\w*", r"\bcontribut\w*", r"\bwork on\b", r"\bfocus on\b", r"\bcontinue to\b",
    r"\bas much as possible\b", r"\bcooperat\w*", r"\bcollaborat\w*", r"\bcoordinat\w*",
    r"\bbetter\b", r"\bgood\b",
]

#: Words that name something countable or measured (a metric).
METRIC_WORDS: list[str] = [
    # zh
    "率", "额", "收入", "营收", "利润", "毛利", "成本", "费用", "预算", "时长", "天数", "次数",
    "人数", "件数", "笔数", "个数", "数量", "得分", "分数", "评分", "满意度", "占比", "比例",
    "指数", "周转", "回款", "库存", "单价", "均价", "人均", "工时", "产量", "产值", "销量",
    "投诉", "缺陷", "故障", "事故", "差错", "时效", "周期", "增长", "客户数", "订单", "工单",
    "营业额", "净利", "现金流", "应收", "账龄", "离职", "流失", "留存", "转化", "覆盖", "学时", "课时",
    "时数", "份额", "产出", "销售额", "营收额", "拜访量", "访问量", "业务量", "交易量", "订单量", "发货量",
    "吞吐量", "处理量", "接待量", "呼叫量", "咨询量", "单量", "流量",
    r"\d\s*(?:次|个|件|人|名|家|笔|单|项|天|日|小时|分钟|元|万|亿|台|份|篇|场|批|箱)",
    "NPS", "CSAT", "DSO", "ROI", "EBITDA",
    # en
    r"\brates?\b", r"\bratios?\b", r"\bpercent\w*", r"\brevenues?\b", r"\bsales\b", r"\bprofits?\b",
    r"\bmargins?\b", r"\bcosts?\b", r"\bspend\b", r"\bbudget\b", r"\bexpenses?\b", r"\bamount\b",
    r"\bvolume\b", r"\bcount\b", r"\bnumber of\b", r"#\s*of\b", r"\bscores?\b", r"\bindex\b",
    r"\bsatisfaction\b", r"\bdays\b", r"\bhours\b", r"\bminutes\b", r"\btime to\b", r"\bcycle time\b",
    r"\bturnover\b", r"\battrition\b", r"\bheadcount\b", r"\byield\b", r"\bthroughput\b",
    r"\bunits\b", r"\borders\b", r"\btickets\b", r"\bcomplaints\b", r"\bdefects?\b",
    r"\bincidents?\b", r"\berrors?\b", r"\baccuracy\b", r"\buptime\b", r"\binventory\b",
    r"\bbacklog\b", r"\butili[sz]ation\b", r"\bconversion\b", r"\bretention\b", r"\bchurn\b",
    r"\bgrowth\b", r"\bshare\b", r"\bcash\b", r"\bcollections?\b", r"\bbookings\b",
    r"\bpipeline\b", r"\bper (fte|head|employee|hour|order)\b", r"\bon-time\b", r"\blead time\b",
    r"\bresolution time\b", r"\bresponse time\b", r"\bcompletion\b", r"\bcoverage\b",
    r"\d\s*(?:hours?|days?|weeks?|visits?|calls?|units?|items?|orders?|customers?|people|deals?|leads?)\b",
]

#: Units, as written after a number or on their own.
UNIT_WORDS: list[str] = [
    "%", "％", "‰", "元", "万元", "亿元", "￥", "¥", r"\$", "€", "个百分点", r"\bpp\b",
    r"\bCNY\b", r"\bRMB\b", r"\bUSD\b", r"\bEUR\b", r"\bpts?\b", r"\bpoints?\b",
]

#: A number written in digits, or in Chinese numerals followed by a measure word.
NUMBER_PATTERNS: list[str] = [
    r"\d+(?:[.,]\d+)?",
    r"百分之[零一二两三四五六七八九十百]+",
    r"[零一二两三四五六七八九十百千万]+(?:个|天|日|次|小时|周|项|件|人|名|家|倍|成|分钟|年|月)",
]

#: Words and patterns that fix a frequency or a period.
TIME_PATTERNS: list[str] = [
    # zh
    "每月", "每季", "每年", "每周", "每日", "每天", "每半年", "月度", "季度", "年度", "半年度", "周度",
    "日均", "月均", "年均", "季均", "全年", "本年", "当年", "当月", "当季", "上半年", "下半年",
    "年底", "年末", "月底", "月末", "季末", "截至", "截止", r"\d+\s*月(?:\d+\s*日)?(?:底|末)?前",
    r"\d{4}\s*年", r"[\d零一二两三四五六七八九十百]+\s*(?:个)?(?:工作日|天|日|小时|周|个月)内", "考核期",
    "周期内", "同比", "环比", r"/\s*(?:年|月|季度?|周|天|日)",
    # en and both
    r"\bQ[1-4]\b", r"\bH[12]\b", r"\bFY\s?\d{2,4}\b", r"\bYTD\b", r"\bMTD\b", r"\bQTD\b",
    r"\bmonthly\b", r"\bquarterly\b", r"\bannual(?:ly)?\b", r"\byearly\b", r"\bweekly\b", r"\bdaily\b",
    r"\bper (?:month|quarter|year|week|day|period|annum)\b",
    r"\b(?:each|every) (?:month|quarter|year|week|day|period)\b",
    r"\bby (?:the )?(?:end of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b",
    r"\bby (?:the )?end of (?:the )?(?:month|quarter|year|fiscal year|period)\b",
    r"\bby (?:year|quarter|month)[- ]end\b", r"\byear[- ]end\b", r"\bin 20\d\d\b", r"\bby 20\d\d\b",
    r"\bwithin \d+ (?:business |working )?(?:days|hours|weeks|months)\b",
    r"\brolling \d+ months\b", r"\bfiscal year\b", r"\bthis (?:year|quarter|month)\b",
    r"\byear[- ]over[- ]year\b", r"\bYoY\b", r"\bMoM\b", r"/\s*(?:year|yr|month|mo|quarter|week|day)\b",
]

#: Period labels whose digits are not a target (removed before looking for a number).
PERIOD_LABELS: list[str] = [
    r"\bQ[1-4]\b", r"\bH[12]\b", r"\bFY\s?\d{2,4}\b", r"\d{4}\s*年", r"\b(?:19|20)\d\d\b",
    r"\d+\s*月(?:\d+\s*日)?(?:底|末)?前", r"\brolling \d+ months\b",
]

#: Names of a data source (a system, report, or the finance function).
SOURCE_PATTERNS: list[str] = [
    # zh
    "系统", "报表", "台账", "财务", "财报", "统计", "调查", "问卷", "审计", "考勤", "工单", "数据来源",
    "来源", "看板", "记录", "客服平台", "人力资源部", "财务部",
    # en and both
    r"\bCRM\b", r"\bERP\b", r"\bHRIS\b", r"\bSAP\b", r"\bMES\b", r"\bWMS\b", r"\bTMS\b", r"\bOA\b",
    r"\bBI\b", r"\bsystem\b", r"\breports?\b", r"\bdashboard\b", r"\bfinance\b", r"\bfinancial statements?\b",
    r"\bledger\b", r"\bsurvey\b", r"\baudit\b", r"\bticketing\b", r"\blogs?\b", r"\brecords\b",
    r"\bsalesforce\b", r"\bsource\b", r"\bdatabase\b", r"\bpayroll\b", r"\btimesheets?\b",
]
# fmt: on


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_VAGUE = _compile(VAGUE_WORDS)
_METRIC = _compile(METRIC_WORDS + UNIT_WORDS)
_UNIT = _compile(UNIT_WORDS)
_NUMBER = _compile(NUMBER_PATTERNS)
_TIME = _compile(TIME_PATTERNS)
_LABELS = _compile(PERIOD_LABELS)
_SOURCE = _compile(SOURCE_PATTERNS)

#: Each criterion's share of the SMART score (they sum to 1).
SMART_WEIGHTS: dict[str, float] = {
    "measurable": 0.25,
    "specific": 0.25,
    "time_bound": 0.25,
    "data_source": 0.25,
}

SMART_COLUMNS = [
    "kpi_id",
    "role",
    "name",
    "measurable",
    "specific",
    "time_bound",
    "data_source",
    "smart_score",
    "reasons",
]


@dataclass(frozen=True)
class SmartVerdict:
    """The SMART verdict on one KPI definition.

    Attributes
    ----------
    measurable, specific, time_bound, data_source : bool
    score : float
        The weighted share of criteria met, 0..1 (weights in :data:`SMART_WEIGHTS`).
    reasons : list of str
        Why each failed criterion failed, in the engagement's language.
    """

    measurable: bool
    specific: bool
    time_bound: bool
    data_source: bool
    score: float
    reasons: list[str] = field(default_factory=list)


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and np.isnan(value):
        return False
    return bool(str(value).strip())


def lint_definition(
    text: str,
    *,
    target: float | None = None,
    unit: str | None = None,
    data_source: str | None = None,
    target_in_text: bool = True,
    lang: str = "zh",
) -> SmartVerdict:
    """Return the SMART verdict on one KPI definition.

    Parameters
    ----------
    text : str
        The KPI's name and description, joined.
    target : float, optional
        The numeric target, when the KPI table has one.
    unit, data_source : str, optional
        The ``unit`` and ``data_source`` columns, when filled.
    target_in_text : bool
        Whether a number in the text may stand for the target (a phrasing on its own). A KPI
        of a ``kpis`` table needs its numeric ``target``: scoring cannot read one from prose.
    lang : {"zh", "en"}
        The language of the reasons.

    Returns
    -------
    SmartVerdict

    Examples
    --------
    >>> lint_definition("将客户满意度提升至 90%(每季度客户调查)", lang="en").specific
    True
    >>> lint_definition("加强团队协作", lang="en").measurable
    False
    """
    text = text or ""
    untimed = _LABELS.sub(" ", text)  # "Q1", "2025年" and "12月底前" are periods, not targets
    has_target = target is not None and not (isinstance(target, float) and np.isnan(target))
    has_number = bool(_NUMBER.search(untimed))
    has_metric = bool(_METRIC.search(text))
    has_unit = _filled(unit) or bool(_UNIT.search(text))
    vague = _VAGUE.search(text)

    stated = has_target or (target_in_text and has_number)
    measurable = stated and (has_unit or has_metric or has_number)
    names_metric = has_metric or has_number  # "hire 20 engineers" counts something too
    specific = names_metric and (vague is None or (has_metric and (has_number or has_target)))
    time_bound = bool(_TIME.search(text))
    sourced = _filled(data_source) or bool(_SOURCE.search(text))

    reasons: list[str] = []
    if not measurable:
        if not stated:
            reasons.append(pick(lang, zh="没有数值目标", en="no numeric target"))
        if not (has_unit or has_metric or has_number):
            reasons.append(
                pick(
                    lang,
                    zh="定义中没有单位或可计量的指标",
                    en="no unit or countable metric in the definition",
                )
            )
    if not specific:
        if vague is not None and has_metric:
            reasons.append(
                pick(
                    lang,
                    zh=f"使用了笼统的动词“{vague.group(0)}”而没有具体数值",
                    en=f"the vague verb '{vague.group(0)}' comes with no number",
                )
            )
        elif vague is not None:
            reasons.append(
                pick(
                    lang,
                    zh=f"使用了笼统的动词“{vague.group(0)}”而没有指明衡量什么",
                    en=f"the vague verb '{vague.group(0)}' names no metric",
                )
            )
        else:
            reasons.append(pick(lang, zh="没有指明衡量什么", en="names no metric"))
    if not time_bound:
        reasons.append(pick(lang, zh="没有考核周期或截止时间", en="no period or deadline"))
    if not sourced:
        reasons.append(pick(lang, zh="没有写明数据来源", en="no data source named"))
    flags = {
        "measurable": measurable,
        "specific": specific,
        "time_bound": time_bound,
        "data_source": sourced,
    }
    score = sum(SMART_WEIGHTS[k] for k, v in flags.items() if v)
    return SmartVerdict(measurable, specific, time_bound, sourced, round(score, 4), reasons)


def lint_kpis(kpis: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the SMART lint of every KPI as a tidy table.

    Parameters
    ----------
    kpis : DataFrame
        The contract's ``kpis`` table (``name`` required; ``description``, ``target``, ``unit``,
        ``data_source`` used when present).
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        kpi_id, role, name, measurable, specific, time_bound, data_source, smart_score, reasons
        (the reasons joined by ``；`` in Chinese, ``; `` in English).
    """
    rows = []
    sep = pick(lang, zh="；", en="; ")
    for kpi in kpis.to_dict("records"):
        text = " ".join(str(kpi[c]) for c in ("name", "description") if _filled(kpi.get(c)))
        target = kpi.get("target")
        verdict = lint_definition(
            text,
            target=float(target) if _filled(target) else None,
            unit=kpi.get("unit"),
            data_source=kpi.get("data_source"),
            target_in_text=False,
            lang=lang,
        )
        rows.append(
            {
                "kpi_id": kpi["kpi_id"],
                "role": kpi["role"],
                "name": kpi["name"],
                "measurable": verdict.measurable,
                "specific": verdict.specific,
                "time_bound": verdict.time_bound,
                "data_source": verdict.data_source,
                "smart_score": verdict.score,
                "reasons": sep.join(verdict.reasons),
            }
        )
    return pd.DataFrame(rows, columns=SMART_COLUMNS)


def check_smart(
    smart: pd.DataFrame, kpis: pd.DataFrame, thresholds: Mapping[str, Any], lang: str
) -> list[Finding]:
    """Return a KPI_NOT_MEASURABLE warning for each KPI that is not measurable or scores below ``min_smart_score``.

    Parameters
    ----------
    smart : DataFrame
        From :func:`lint_kpis`.
    kpis : DataFrame
        The ``kpis`` table (for the target in the evidence).
    thresholds : mapping
        ``EngagementSettings.thresholds``.
    lang : {"zh", "en"}
    """
    floor = threshold(thresholds, "KPI_NOT_MEASURABLE", "min_smart_score")
    targets = (
        kpis.drop_duplicates("kpi_id").set_index("kpi_id")["target"]
        if "target" in kpis
        else pd.Series(dtype=float)
    )
    findings = []
    for row in smart.itertuples(index=False):
        if row.measurable and row.smart_score >= floor:
            continue
        target = targets.get(row.kpi_id, np.nan)
        message = pick(
            lang,
            zh=f"指标 {row.kpi_id}“{row.name}”无法客观衡量:{row.reasons}(SMART 得分 {row.smart_score:.2f})。",
            en=f"KPI {row.kpi_id} '{row.name}' cannot be measured objectively: {row.reasons} "
            f"(SMART score {row.smart_score:.2f}).",
        )
        findings.append(
            Finding(
                "KPI_NOT_MEASURABLE",
                "warning",
                row.kpi_id,
                message,
                {
                    "role": row.role,
                    "smart_score": row.smart_score,
                    "measurable": bool(row.measurable),
                    "specific": bool(row.specific),
                    "time_bound": bool(row.time_bound),
                    "data_source": bool(row.data_source),
                    "target": target,
                    "min_smart_score": floor,
                },
            )
        )
    return findings
