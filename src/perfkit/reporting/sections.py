"""The report's sections, one function each: the notebook calls them and displays what they return.

Every function takes the :class:`~perfkit.reporting.content.Report` and returns a
:class:`~perfkit.reporting.display.Section` (or None when the section was not asked for).
"""

from __future__ import annotations

import json

import pandas as pd
from markupsafe import Markup, escape

from perfkit import __version__
from perfkit.findings import DEFAULT_THRESHOLDS, threshold
from perfkit.reporting.content import Report
from perfkit.reporting.display import (
    Section,
    code_title,
    frame_table,
    heading,
    paragraph,
    severity_badge,
    skipped_note,
)
from perfkit.reporting.insights import evaluation, fairness, kpi_system, raters
from perfkit.reporting.outlook import actions, patterns
from perfkit.reporting.tables import key_figures

__all__ = [
    "actions",
    "appendix",
    "cover",
    "data_quality",
    "evaluation",
    "fairness",
    "kpi_system",
    "patterns",
    "raters",
    "summary",
    "top_findings",
]


def cover(report: Report) -> Section:
    """Return the cover: the client's name, the period, the date, the scope."""
    client, t = report.client, report.text
    period = client.current_period or "–"
    date = (
        report.created.strftime("%Y年%m月%d日")
        if report.lang == "zh"
        else report.created.strftime("%d %B %Y")
    )
    details = [
        (t(zh="考核周期", en="Period"), period),
        (t(zh="员工人数", en="Employees"), f"{len(client.employees):,}"),
        (t(zh="报告日期", en="Date"), date),
    ]
    rows = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in details)
    badge = ""
    if report.anonymized:
        badge = f'<p class="pk-anon">{escape(t(zh="匿名版:姓名已替换为代号", en="Anonymised: names replaced by pseudonyms"))}</p>'
    body = Markup(
        f'<div class="pk-cover-brand">perfkit · {escape(t(zh="绩效管理咨询", en="Performance Management Advisory"))}</div>'
        f'<div class="pk-cover-kicker">{escape(t(zh="绩效管理诊断报告", en="Performance management review"))}</div>'
        f'<h1 class="pk-client">{escape(client.title)}</h1>'
        f'<dl class="pk-cover-details">{rows}</dl>{badge}'
        f'<p class="pk-confidential">{escape(t(zh="保密 · 仅供客户内部使用", en="Confidential · prepared for the client"))}</p>'
    )
    labels = {
        "cover": True,
        "title": client.title,
        "lang": report.lang,
        "kicker": t(zh="绩效管理诊断报告", en="Performance management review"),
        "contents": t(zh="目录", en="Contents"),
        "footer": t(
            zh=f"{client.title} · 绩效管理诊断报告 · 保密",
            en=f"{client.title} · Performance management review · Confidential",
        ),
    }
    return _Cover("cover", client.title, body, labels=labels)


class _Cover(Section):
    """The cover: no chapter heading; its metadata carries the report's title, language and labels."""

    def __init__(self, id: str, title: str, body: Markup, *, labels: dict) -> None:
        super().__init__(id, title, body)
        self.labels = labels

    def html(self) -> Markup:
        return Markup(f'<section class="pk-cover" id="cover">{self.body}</section>')

    def _repr_html_(self) -> tuple[str, dict]:
        return str(self.html()), {"perfkit": self.labels}


def top_findings(report: Report, n: int = 5) -> list:
    """Return the ``n`` most important findings: most severe first, spread across areas.

    Skipped analyses are left out; within a severity, areas take turns so that one area's many
    findings do not crowd out the others.
    """
    candidates = [
        f for f in report.findings if f.code != "ANALYSIS_SKIPPED" and f.severity != "info"
    ]
    if len(candidates) < n:
        candidates += [
            f for f in report.findings if f.code != "ANALYSIS_SKIPPED" and f.severity == "info"
        ]
    chosen: list = []
    for severity in ("critical", "warning", "info"):
        by_area: dict[str, list] = {}
        for f in candidates:
            if f.severity == severity:
                by_area.setdefault(f.area, []).append(f)
        while any(by_area.values()) and len(chosen) < n:
            for area in list(by_area):
                if by_area[area] and len(chosen) < n:
                    chosen.append(by_area[area].pop(0))
    return chosen


def _evidence_text(evidence: dict) -> str:
    items = []
    for key, value in evidence.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        items.append(f"{key} {value:,.2f}" if isinstance(value, float) else f"{key} {value:,}")
        if len(items) == 4:
            break
    return " · ".join(items)


def summary(report: Report) -> Section | None:
    """Return the executive summary: headline figures and the five most important findings."""
    if not report.wants("summary"):
        return None
    t, client = report.text, report.client
    counts = pd.Series(
        [f.severity for f in report.findings if f.code != "ANALYSIS_SKIPPED"], dtype="object"
    ).value_counts()
    kpis = client.table("kpis")
    figures = [
        (t(zh="员工", en="Employees"), f"{len(client.employees):,}"),
        (t(zh="部门", en="Departments"), f"{client.employees['department'].nunique():,}"),
        (t(zh="考核指标", en="KPIs"), f"{len(kpis):,}" if kpis is not None else "–"),
        (t(zh="严重问题", en="Critical issues"), f"{counts.get('critical', 0):,}"),
        (t(zh="需关注问题", en="Warnings"), f"{counts.get('warning', 0):,}"),
    ]
    top = top_findings(report)
    total = int(counts.get("critical", 0) + counts.get("warning", 0))
    if top:
        lead = t(
            zh=f"本次诊断共发现 {total} 项需要关注的问题,其中 {int(counts.get('critical', 0))} 项严重。"
            f"以下是最重要的 {len(top)} 项:",
            en=f"The review found {total} issues that need attention, {int(counts.get('critical', 0))} "
            f"of them critical. The {len(top)} most important:",
        )
        items = "".join(
            f'<li><div class="pk-finding-head">{severity_badge(f.severity, report.lang)}'
            f"<strong>{escape(code_title(f.code, report.lang))}</strong>"
            f'<span class="pk-subject">{escape(f.subject)}</span></div>'
            f"<p>{escape(f.message)}</p>"
            + (
                f'<p class="pk-evidence">{escape(_evidence_text(f.evidence))}</p>'
                if _evidence_text(f.evidence)
                else ""
            )
            + "</li>"
            for f in top
        )
        body = key_figures(figures) + paragraph(lead) + Markup(f'<ol class="pk-top">{items}</ol>')
    elif report.findings or report.scores is not None:
        body = key_figures(figures) + paragraph(
            t(
                zh="本次诊断未发现需要关注的问题。",
                en="The review found no issue that needs attention.",
            )
        )
    else:
        body = key_figures(figures) + skipped_note(
            report.lang, [r for v in report.skipped.values() for r in v][:2]
        )
    return Section("summary", t(zh="执行摘要", en="Executive summary"), body, "1")


def data_quality(report: Report) -> Section | None:
    """Return the data-quality section: the tables received, conversions, warnings, skipped analyses."""
    if not report.wants("data_quality"):
        return None
    t, client = report.text, report.client
    received = pd.DataFrame(
        [
            {
                "table": name,
                "source": client.sources.get(name, ""),
                "rows": len(frame),
                "columns": len(frame.columns),
            }
            for name, frame in client.tables.items()
        ]
    )
    body = heading(t(zh="收到的数据", en="Data received")) + frame_table(
        received,
        report.lang,
        headers={
            "table": t(zh="数据表", en="Table"),
            "source": t(zh="文件", en="File"),
            "rows": t(zh="行数", en="Rows"),
            "columns": t(zh="列数", en="Columns"),
        },
    )
    from perfkit.settings import TABLES

    missing = [name for name in TABLES if name not in client.tables]
    if missing:
        body += paragraph(
            t(
                zh="未提供的数据表:" + "、".join(missing),
                en="Tables not provided: " + ", ".join(missing),
            )
        )
    notes = pd.DataFrame(
        [
            {
                "table": p.table,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "note": f"{p.expected} {p.fix}".strip(),
            }
            for p in client.notes
        ]
    )
    body += heading(t(zh="数据转换与警告", en="Conversions and warnings"))
    if notes.empty:
        body += paragraph(
            t(zh="数据读取时没有警告。", en="The data loaded without warnings."), "pk-ok"
        )
    else:
        body += frame_table(
            notes,
            report.lang,
            max_rows=15,
            formats={"row": "{:.0f}"},
            headers={
                "table": t(zh="数据表", en="Table"),
                "row": t(zh="行", en="Row"),
                "column": t(zh="列", en="Column"),
                "value": t(zh="值", en="Value"),
                "note": t(zh="说明", en="Note"),
            },
        )
    skipped = [f for f in report.findings if f.code == "ANALYSIS_SKIPPED"]
    body += heading(t(zh="未执行的分析", en="Analyses skipped"))
    if skipped or report.skipped:
        items = [escape(f.message) for f in skipped]
        items += [
            escape(f"{engine}: {'; '.join(dict.fromkeys(reasons))}")
            for engine, reasons in report.skipped.items()
        ]
        body += Markup('<ul class="pk-list">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    else:
        body += paragraph(t(zh="所有分析均已执行。", en="Every analysis ran."), "pk-ok")
    return Section("data_quality", t(zh="数据质量", en="Data quality"), body, "2")


def appendix(report: Report) -> Section | None:
    """Return the appendix: method, the settings used and every threshold."""
    if not report.wants("appendix"):
        return None
    t, settings = report.text, report.client.settings
    mix, cap = settings.score_mix, settings.attainment
    method = t(
        zh=f"综合得分 = 指标得分 × {mix.kpi:.0%} + 能力得分 × {mix.competency:.0%}。指标得分为各指标达成率"
        f"(封顶 {cap.cap:.0%},保底 {cap.floor:.0%})按权重加权后 × 100;能力得分为 360° 评分按评分者权重"
        f"加权后换算至 0–100。等级按公司指引比例强制分布,并在校准后给出校准得分。各项诊断的阈值见下表,"
        f"均可在 engagement.yaml 的 thresholds 中调整。",
        en=f"Composite score = KPI score × {mix.kpi:.0%} + competency score × {mix.competency:.0%}. The KPI "
        f"score is the weighted attainment of each KPI (capped at {cap.cap:.0%}, floored at {cap.floor:.0%}) "
        f"× 100; the competency score is the 360° ratings weighted by rater relation and mapped to 0–100. "
        f"Grades follow the guideline distribution, then calibration. Every diagnostic threshold is listed "
        f"below and can be overridden under `thresholds` in engagement.yaml.",
    )
    shown = settings.model_dump(exclude={"columns", "values", "thresholds", "grades"})
    shown["grades"] = " · ".join(
        f"{g.grade} {g.share:.0%}" if g.share is not None else f"{g.grade} ≥ {g.min_score:g}"
        for g in settings.grades
    )
    shown["current_period"] = report.client.current_period
    rows = pd.DataFrame(
        [
            {
                "key": k,
                "value": v
                if isinstance(v, str)
                else json.dumps(v, ensure_ascii=False, default=str),
            }
            for k, v in shown.items()
        ]
    )
    body = heading(t(zh="方法", en="Method")) + paragraph(method)
    body += heading(t(zh="本次使用的设置", en="Settings used")) + frame_table(
        rows,
        report.lang,
        max_rows=40,
        headers={"key": t(zh="设置项", en="Setting"), "value": t(zh="取值", en="Value")},
    )
    limits = pd.DataFrame(
        [
            {
                "code": code if i == 0 else "",
                "title": code_title(code, report.lang) if i == 0 else "",
                "param": param,
                "default": default,
                "used": threshold(settings.thresholds, code, param),
            }
            for code, params in DEFAULT_THRESHOLDS.items()
            for i, (param, default) in enumerate(params.items())
        ]
    )
    body += heading(t(zh="诊断阈值", en="Diagnostic thresholds")) + frame_table(
        limits,
        report.lang,
        max_rows=80,
        formats={"default": "{:g}", "used": "{:g}"},
        highlight=lambda row: "pk-flag" if row["used"] != row["default"] else "",
        headers={
            "code": t(zh="代码", en="Code"),
            "title": t(zh="含义", en="Meaning"),
            "param": t(zh="参数", en="Parameter"),
            "default": t(zh="默认值", en="Default"),
            "used": t(zh="本次取值", en="Used"),
        },
    )
    body += paragraph(
        t(zh=f"由 perfkit {__version__} 生成。", en=f"Produced with perfkit {__version__}."),
        "pk-small",
    )
    return Section(
        "appendix",
        t(zh="附录:方法、设置与阈值", en="Appendix: method, settings and thresholds"),
        body,
        "A",
    )
