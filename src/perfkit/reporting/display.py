"""The building blocks of report sections: the displayable Section, findings tables, skip notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup, escape

from perfkit.findings import Finding
from perfkit.language import pick
from perfkit.reporting.tables import html_table

#: A plain title for each finding code, in both languages.
CODE_TITLES: dict[str, tuple[str, str]] = {
    "KPI_WEIGHTS_NOT_100": ("指标权重合计不为 100", "KPI weights do not sum to 100"),
    "KPI_COUNT_OUT_OF_RANGE": ("指标数量不合理", "Too few or too many KPIs"),
    "KPI_NOT_MEASURABLE": ("指标无法衡量", "KPI not measurable"),
    "KPI_TARGET_TOO_EASY": ("目标过于容易", "Target too easy"),
    "KPI_TARGET_TOO_HARD": ("目标过于困难", "Target too hard"),
    "KPI_NO_DISCRIMINATION": ("指标缺乏区分度", "KPI does not discriminate"),
    "KPI_REDUNDANT": ("指标重复", "Redundant KPIs"),
    "OBJECTIVE_UNCOVERED": ("战略目标无指标支撑", "Objective without a KPI"),
    "PERSPECTIVE_MISSING": ("平衡计分卡维度缺失", "Scorecard perspective missing"),
    "RATER_LENIENT": ("评分者偏宽", "Lenient rater"),
    "RATER_SEVERE": ("评分者偏严", "Severe rater"),
    "RATER_CENTRAL_TENDENCY": ("评分趋中", "Central tendency"),
    "RATER_HALO": ("晕轮效应", "Halo effect"),
    "SELF_INFLATION": ("自评偏高", "Inflated self-ratings"),
    "RATING_COMPRESSED": ("评分过于集中", "Compressed ratings"),
    "GRADE_DISTRIBUTION_SKEWED": ("等级分布偏离指引", "Grades off the guideline"),
    "ADVERSE_IMPACT": ("群体间结果差异过大", "Adverse impact"),
    "PAY_PERFORMANCE_MISALIGNED": ("调薪与绩效脱节", "Pay not following performance"),
    "RATING_RESULTS_MISALIGNED": ("评级与业绩结果脱节", "Ratings not following results"),
    "ANALYSIS_SKIPPED": ("分析未执行", "Analysis skipped"),
}

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "critical": ("严重", "Critical"),
    "warning": ("关注", "Warning"),
    "info": ("提示", "Info"),
}


@dataclass
class Section:
    """One section of the report, displayed as HTML; its id and title feed the table of contents.

    Attributes
    ----------
    id : str
        The anchor (``kpi_system``).
    title : str
        The heading, in the report's language.
    body : Markup
        Escaped, safe HTML.
    number : str
        The chapter number shown before the title (``"3"``), or ``""``.
    """

    id: str
    title: str
    body: Markup = field(repr=False)  # not twice in the notebook, as text/plain beside the HTML
    number: str = ""

    def html(self) -> Markup:
        """Return the whole section as safe HTML."""
        number = f'<span class="pk-num">{escape(self.number)}</span>' if self.number else ""
        return Markup(
            f'<section class="pk-section pk-{escape(self.id)}" id="{escape(self.id)}">'
            f"<h2>{number}{escape(self.title)}</h2>{self.body}</section>"
        )

    def _repr_html_(self) -> tuple[str, dict]:
        meta = {"perfkit": {"section": self.id, "title": self.title, "number": self.number}}
        return str(self.html()), meta


def code_title(code: str, lang: str) -> str:
    """Return a finding code's plain title."""
    zh, en = CODE_TITLES.get(code, (code, code))
    return pick(lang, zh=zh, en=en)


def paragraph(text: str, css_class: str = "") -> Markup:
    """Return an escaped paragraph."""
    cls = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(f"<p{cls}>{escape(text)}</p>")


def heading(text: str) -> Markup:
    """Return an escaped sub-heading."""
    return Markup(f"<h3>{escape(text)}</h3>")


def skipped_note(lang: str, reasons: Iterable[str]) -> Markup:
    """Return the short "skipped because…" note of a section or part without its engine or data."""
    reasons = [r for r in reasons if r]
    lead = pick(lang, zh="本部分未执行:", en="Skipped: ")
    text = lead + (
        "; ".join(dict.fromkeys(reasons)) if reasons else pick(lang, zh="缺少数据", en="no data")
    )
    return Markup(f'<p class="pk-skipped">{escape(text)}</p>')


def severity_badge(severity: str, lang: str) -> Markup:
    """Return a coloured severity label."""
    zh, en = SEVERITY_LABELS.get(severity, (severity, severity))
    return Markup(
        f'<span class="pk-badge pk-{escape(severity)}">{escape(pick(lang, zh=zh, en=en))}</span>'
    )


def findings_table(findings: Iterable[Finding], lang: str, *, max_rows: int = 25) -> Markup:
    """Return findings as a table: severity, what, about what, and the plain sentence."""
    findings = list(findings)
    if not findings:
        return paragraph(pick(lang, zh="未发现问题。", en="No issues found."), "pk-ok")
    rows = "".join(
        f"<tr><td>{severity_badge(f.severity, lang)}</td><td>{escape(code_title(f.code, lang))}</td>"
        f"<td>{escape(f.subject)}</td><td>{escape(f.message)}</td></tr>"
        for f in findings[:max_rows]
    )
    hidden = len(findings) - max_rows
    if hidden > 0:
        more = pick(
            lang, zh=f"另有 {hidden} 项,见 findings.json", en=f"{hidden} more in findings.json"
        )
        rows += f'<tr class="pk-more"><td colspan="4">{escape(more)}</td></tr>'
    head = "".join(
        f"<th>{escape(pick(lang, zh=zh, en=en))}</th>"
        for zh, en in (
            ("级别", "Severity"),
            ("问题", "Issue"),
            ("对象", "Subject"),
            ("说明", "Detail"),
        )
    )
    return Markup(
        f'<table class="pk-table pk-findings"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def frame_table(frame: pd.DataFrame | None, lang: str, **kwargs) -> Markup:
    """Return a DataFrame as a styled table, or a "no data" note when it is empty."""
    if frame is None or frame.empty:
        return paragraph(pick(lang, zh="无数据。", en="No data."), "pk-skipped")
    kwargs.setdefault("more", pick(lang, zh="另有 {n} 行", en="{n} more rows"))
    return html_table(frame, **kwargs)
