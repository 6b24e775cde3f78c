"""The diagnostic sections of the report: KPI system, evaluation, raters, fairness."""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from perfkit.findings import threshold
from perfkit.reporting.content import Report
from perfkit.reporting.display import (
    Section,
    findings_table,
    frame_table,
    heading,
    skipped_note,
)
from perfkit.reporting.figures import bar_chart, distribution_chart, figure_html


def _subjects(report: Report, *codes: str) -> set[str]:
    """Return the subjects of the findings with these codes (``"K1,K2"`` split into both)."""
    found: set[str] = set()
    for f in report.findings:
        if f.code in codes:
            found.update(s.strip() for s in str(f.subject).split(","))
    return found


def skip_reasons(report: Report, *engines: str) -> list[str]:
    """Return why these engines were skipped, as the report's notes say."""
    return [reason for e in engines for reason in report.skipped.get(e, [])]


def kpi_system(report: Report) -> Section | None:
    """Return the KPI-system audit: the findings, target difficulty by KPI, weights by role."""
    if not report.wants("kpi_system"):
        return None
    t, client = report.text, report.client
    title = t(zh="KPI 体系诊断", en="KPI system audit")
    if not client.has("kpis"):
        return Section(
            "kpi_system",
            title,
            skipped_note(report.lang, [t(zh="缺少 kpis 表", en="the kpis table is missing")]),
            "3",
        )
    body = Markup()
    if report.kpi_audit is None:
        body += skipped_note(report.lang, skip_reasons(report, "kpis"))
    body += findings_table(report.findings_in("kpi_system"), report.lang)
    attainment = getattr(report.scores, "attainment", None)
    if attainment is not None and not attainment.empty:
        known = attainment["attainment"].notna()
        hits = (attainment["attainment"][known] >= 1).groupby(attainment["kpi_id"][known]).mean()
        names = client.table("kpis").set_index("kpi_id")["name"]
        flagged = _subjects(report, "KPI_TARGET_TOO_EASY", "KPI_TARGET_TOO_HARD")
        extreme = (hits - 0.5).abs().sort_values(ascending=False)
        keep = list(
            dict.fromkeys([k for k in hits.index if k in flagged] + list(extreme.index[:10]))
        )[:14]
        shown = hits.loc[keep].sort_values(ascending=False) * 100
        shown.index = [f"{names.get(k, k)} ({k})" for k in shown.index]
        marked = [f"{names.get(k, k)} ({k})" for k in keep if k in flagged]
        easy = len(_subjects(report, "KPI_TARGET_TOO_EASY"))
        hard = len(_subjects(report, "KPI_TARGET_TOO_HARD"))
        chart_title = (
            t(
                zh=f"{easy} 项指标目标过易、{hard} 项过难,无法区分绩效高低",
                en=f"{easy} KPI targets are too easy and {hard} too hard to tell people apart",
            )
            if easy + hard
            else t(zh="各项指标的目标难度适中", en="KPI targets are neither too easy nor too hard")
        )
        fig = bar_chart(
            shown,
            title=chart_title,
            highlight=marked,
            reference=50,
            value_format="{:.0f}%",
            xlabel=t(zh="达成目标的结果占比(%)", en="Results reaching target (%)"),
        )
        body += figure_html(
            fig,
            t(
                zh="显示最极端的指标;红色为已识别的问题指标。",
                en="The most extreme KPIs; red marks those flagged.",
            ),
        )
    kpis = client.table("kpis")
    shared = kpis[kpis["role"] == "*"]
    weights = (
        kpis[kpis["role"] != "*"]
        .groupby("role")
        .agg(kpis=("kpi_id", "count"), weight=("weight", "sum"))
    )
    weights = (
        weights + [len(shared), shared["weight"].sum()]
    ).reset_index()  # every role carries the "*" KPIs
    weights["kpis"] = weights["kpis"].astype(int)
    body += heading(t(zh="各岗位的指标数量与权重", en="KPIs and weights by role"))
    body += frame_table(
        weights,
        report.lang,
        formats={"weight": "{:.0f}"},
        highlight=lambda r: (
            "pk-flag" if abs(r["weight"] - 100) > 0.5 or not 3 <= r["kpis"] <= 8 else ""
        ),
        headers={
            "role": t(zh="岗位", en="Role"),
            "kpis": t(zh="指标数", en="KPIs"),
            "weight": t(zh="权重合计", en="Total weight"),
        },
    )
    return Section("kpi_system", title, body, "3")


def evaluation(report: Report) -> Section | None:
    """Return evaluation and calibration: grade distribution, departments' ratings, findings."""
    if not report.wants("evaluation"):
        return None
    t, client, settings = report.text, report.client, report.client.settings
    title = t(zh="绩效评估与校准", en="Evaluation and calibration")
    scores = report.employee_scores
    body = Markup()
    if scores is None or scores.empty:
        body += skipped_note(report.lang, skip_reasons(report, "scoring", "evaluation"))
    else:
        grade_col = (
            "calibrated_grade"
            if "calibrated_grade" in scores and scores["calibrated_grade"].notna().any()
            else "grade"
        )
        if settings.grades[0].share is not None:
            guideline = pd.Series({g.grade: g.share for g in settings.grades})
            actual = scores[grade_col].value_counts(normalize=True)
            gap = (actual.reindex(guideline.index).fillna(0) - guideline).abs().max()
            chart_title = (
                t(
                    zh="校准后的等级分布与公司指引一致",
                    en="Calibrated grades follow the guideline distribution",
                )
                if gap < 0.05
                else t(
                    zh=f"等级分布偏离公司指引(最大相差 {gap:.0%})",
                    en=f"Grades depart from the guideline (by up to {gap:.0%})",
                )
            )
            body += figure_html(
                distribution_chart(
                    actual,
                    guideline,
                    title=chart_title,
                    actual_label=t(zh="实际", en="Actual"),
                    guideline_label=t(zh="指引", en="Guideline"),
                )
            )
        by_dept = (
            scores.groupby("department")
            .agg(
                people=("employee_id", "count"),
                kpi=("kpi_score", "mean"),
                competency=("competency_score", "mean"),
                score=("score", "mean"),
            )
            .reset_index()
        )
        body += heading(t(zh="各部门得分", en="Scores by department"))
        body += frame_table(
            by_dept.sort_values("score", ascending=False),
            report.lang,
            formats={"kpi": "{:.1f}", "competency": "{:.1f}", "score": "{:.1f}"},
            headers={
                "department": t(zh="部门", en="Department"),
                "people": t(zh="人数", en="People"),
                "kpi": t(zh="指标得分", en="KPI score"),
                "competency": t(zh="能力得分", en="Competency"),
                "score": t(zh="综合得分", en="Score"),
            },
        )
    employees = client.employees
    if "rating" in employees and employees["rating"].notna().any():
        mean = employees.groupby("department")["rating"].mean().sort_values(ascending=False)
        skewed = _subjects(report, "GRADE_DISTRIBUTION_SKEWED")
        overall = employees["rating"].mean()
        chart_title = (
            t(
                zh="、".join(sorted(skewed)) + "的评分明显偏离其他部门",
                en=", ".join(sorted(skewed)) + " rates far off the other departments",
            )
            if skewed
            else t(zh="各部门原有评级的水平接近", en="Departments rate their people alike")
        )
        body += figure_html(
            bar_chart(
                mean,
                title=chart_title,
                highlight=sorted(skewed),
                reference=overall,
                reference_label=t(zh="全公司平均", en="company average"),
                value_format="{:.2f}",
                xlabel=t(zh="客户原有评级(平均)", en="Client's own rating (mean)"),
            )
        )
    body += heading(t(zh="诊断发现", en="Findings"))
    body += findings_table(report.findings_in("evaluation"), report.lang)
    return Section("evaluation", title, body, "4")


def _rater_deviation(client: Any) -> pd.DataFrame:
    """Each rater's gap to the other raters of the same people: the rater diagnostics' own measure."""
    from perfkit.raters import rater_effects
    from perfkit.raters.inflation import leniency_limits

    effects = rater_effects(client.table("ratings"), **leniency_limits(client))
    return effects.rename(columns={"mean_deviation": "gap", "n_ratees": "ratees"})[
        ["gap", "ratees"]
    ]


def raters(report: Report) -> Section | None:
    """Return the rater diagnostics: leniency and severity, halo, self-inflation."""
    if not report.wants("raters"):
        return None
    t, client = report.text, report.client
    title = t(zh="评分者诊断", en="Raters")
    if not client.has("ratings"):
        return Section(
            "raters",
            title,
            skipped_note(report.lang, [t(zh="缺少 ratings 表", en="the ratings table is missing")]),
            "5",
        )
    body = Markup()
    if "raters" in report.skipped:
        body += skipped_note(report.lang, skip_reasons(report, "raters"))
    deviation = _rater_deviation(client)
    deviation = deviation[deviation["ratees"] >= 3]
    if not deviation.empty:
        flagged = _subjects(report, "RATER_LENIENT", "RATER_SEVERE")
        keep = list(
            dict.fromkeys(
                [r for r in deviation.index if r in flagged]
                + list(deviation["gap"].abs().sort_values(ascending=False).index[:10])
            )
        )[:12]
        shown = deviation.loc[keep, "gap"].sort_values(ascending=False)
        chart_title = (
            t(
                zh=f"{len(flagged)} 位评分者的打分明显偏宽或偏严",
                en=f"{len(flagged)} raters score far above or below their peers",
            )
            if flagged
            else t(zh="评分者之间的尺度基本一致", en="Raters score on a consistent scale")
        )
        body += figure_html(
            bar_chart(
                shown,
                title=chart_title,
                highlight=sorted(flagged),
                reference=0,
                value_format="{:+.2f}",
                xlabel=t(
                    zh="与其他评分者对同一人评分的平均差(分)",
                    en="Mean gap to other raters of the same people (points)",
                ),
            ),
            t(zh="显示差距最大的评分者。", en="The raters with the largest gaps."),
        )
    body += findings_table(report.findings_in("raters"), report.lang)
    return Section("raters", title, body, "5")


def _group_rates(report: Report, column: str, source: str) -> pd.Series | None:
    """Return the rate of top outcomes per group: ``source`` is ``grades`` (perfkit's) or ``ratings``
    (the client's own ``employees.rating``, its top ``ADVERSE_IMPACT.top_points`` points)."""
    scores, employees = report.employee_scores, report.client.employees
    if column not in employees or employees[column].isna().all():
        return None
    if source == "grades":
        if scores is None or scores.empty:
            return None
        top = set(report.client.settings.grade_names[:2])
        grade_col = (
            "calibrated_grade"
            if "calibrated_grade" in scores and scores["calibrated_grade"].notna().any()
            else "grade"
        )
        frame = scores[["employee_id", grade_col]].merge(
            employees[["employee_id", column]], on="employee_id"
        )
        frame = frame[frame[grade_col].notna()]
        hit = frame[grade_col].isin(top)
    else:
        if "rating" not in employees or employees["rating"].isna().all():
            return None
        try:
            points = threshold(report.client.settings.thresholds, "ADVERSE_IMPACT", "top_points")
        except KeyError:
            points = 2
        frame = employees[employees["rating"].notna()]
        hit = frame["rating"] > report.client.settings.scale.max - points
    return hit.groupby(frame[column]).mean().sort_values(ascending=False)


def fairness(report: Report) -> Section | None:
    """Return the fairness section: top-grade rates by group against the four-fifths rule."""
    if not report.wants("fairness"):
        return None
    t = report.text
    title = t(zh="公平性", en="Fairness")
    body = Markup()
    if "fairness" in report.skipped:
        body += skipped_note(report.lang, skip_reasons(report, "fairness"))
    words = {"F": t(zh="女性", en="Women"), "M": t(zh="男性", en="Men")}
    limit = threshold(report.client.settings.thresholds, "ADVERSE_IMPACT")
    for source, what_zh, what_en in (
        ("ratings", "在客户原有评级中获得最高两档", "top two points of the client's own rating"),
        ("grades", "在 perfkit 校准后获得最高两档等级", "top two perfkit grades (calibrated)"),
    ):
        rates = _group_rates(report, "gender", source)
        if rates is None or len(rates) < 2:
            continue
        rates.index = [words.get(str(g), str(g)) for g in rates.index]
        best, lowest = rates.max(), rates.idxmin()
        ratio = rates.min() / best if best > 0 else 1.0
        low = ratio < limit
        chart_title = (
            t(
                zh=f"{lowest}{what_zh}的比例仅为{rates.idxmax()}的 {ratio:.0%}",
                en=f"{lowest} reach the {what_en} at {ratio:.0%} of the rate of {rates.idxmax()}",
            )
            if low
            else t(
                zh=f"各性别{what_zh}的比例相当",
                en=f"Men and women reach the {what_en} at similar rates",
            )
        )
        body += figure_html(
            bar_chart(
                rates * 100,
                title=chart_title,
                highlight=[lowest] if low else [],
                reference=best * limit * 100,
                reference_label=t(zh="五分之四线", en="four-fifths line"),
                value_format="{:.0f}%",
                xlabel=t(
                    zh=f"{what_zh.removeprefix('在')}的比例(%)",
                    en=f"Share reaching the {what_en} (%)",
                ),
            )
        )
    body += findings_table(report.findings_in("fairness"), report.lang)
    return Section("fairness", title, body, "6")
