"""The forward-looking sections of the report: performance patterns, the 9-box, and actions."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from perfkit.reporting.content import Report
from perfkit.reporting.display import (
    Section,
    findings_table,
    frame_table,
    heading,
    paragraph,
    skipped_note,
)
from perfkit.reporting.figures import bar_chart, figure_html, scatter_chart
from perfkit.reporting.insights import skip_reasons
from perfkit.reporting.tables import key_figures


def patterns(report: Report) -> Section | None:
    """Return the performance patterns and the 9-box grid."""
    if not report.wants("patterns"):
        return None
    t = report.text
    title = t(zh="绩效模式与九宫格", en="Performance patterns and the 9-box")
    result = report.patterns
    if result is None:
        return Section(
            "patterns", title, skipped_note(report.lang, skip_reasons(report, "patterns")), "7"
        )
    body = Markup()
    assignments = getattr(result, "assignments", None)
    if assignments is not None and not assignments.empty and "pattern" in assignments:
        counts = assignments["pattern"].value_counts()
        biggest = counts.index[0]
        chart_title = t(
            zh=f"最常见的模式是“{biggest}”,占 {counts.iloc[0] / counts.sum():.0%}",
            en=f"The most common pattern is “{biggest}”, {counts.iloc[0] / counts.sum():.0%} of employees",
        )
        body += figure_html(
            bar_chart(
                counts,
                title=chart_title,
                value_format="{:.0f}",
                xlabel=t(zh="人数", en="Employees"),
            )
        )
    table = getattr(result, "patterns", None)
    if isinstance(table, pd.DataFrame) and not table.empty:
        body += heading(t(zh="各模式的特征", en="What each pattern looks like"))
        features = [c for c in ("level", "trend", "kpi_competency_gap", "self_gap") if c in table]
        shown = [c for c in ("name", "description", "size", "share") if c in table] + features
        headers = {
            "name": t(zh="模式", en="Pattern"),
            "description": t(zh="描述", en="Description"),
            "size": t(zh="人数", en="People"),
            "share": t(zh="占比", en="Share"),
        }
        labels = report.extras.get("feature_labels") or {}
        headers.update({f: labels.get(f, f) for f in features})
        body += frame_table(
            table[shown],
            report.lang,
            max_rows=12,
            headers=headers,
            formats={"share": "{:.0%}", **{f: "{:.1f}" for f in features}},
        )
    body += nine_box_grid(report)
    for note in getattr(result, "notes", []) or []:
        body += paragraph(getattr(note, "message", str(note)), "pk-small")
    return Section("patterns", title, body, "7")


def nine_box_grid(report: Report) -> Markup:
    """Return the 9-box as a 3 × 3 grid: potential high to low, performance low to high."""
    grid = report.extras.get("nine_box")
    boxes = getattr(grid, "boxes", None)
    if not isinstance(boxes, pd.DataFrame) or boxes.empty:
        return Markup()
    t = report.text
    total = max(int(boxes["count"].sum()), 1)
    cells = []
    for potential in (3, 2, 1):
        for performance in (1, 2, 3):
            box = boxes[(boxes["potential"] == potential) & (boxes["performance"] == performance)]
            name = str(box["name"].iloc[0]) if not box.empty else ""
            count = int(box["count"].iloc[0]) if not box.empty else 0
            tone = (
                "pk-box-hi"
                if potential + performance >= 5
                else ("pk-box-lo" if potential + performance <= 3 else "")
            )
            cells.append(
                Markup(
                    '<div class="pk-box {}"><div class="pk-box-name">{}</div>'
                    '<div class="pk-box-count">{}</div><div class="pk-box-share">{}</div></div>'
                ).format(tone, name, count, f"{count / total:.0%}")
            )
    source = getattr(grid, "potential_source", "")
    note = (
        t(zh="潜力取自 employees.potential。", en="Potential from employees.potential.")
        if source == "employees.potential"
        else t(
            zh="客户未提供潜力评估,潜力以得分趋势与能力得分估算。",
            en="No potential ratings: potential is estimated from score trend and competency.",
        )
    )
    return (
        heading(t(zh="九宫格(纵轴:潜力,横轴:绩效)", en="9-box (potential up, performance across)"))
        + Markup('<div class="pk-ninebox">')
        + Markup("").join(cells)
        + Markup("</div>")
        + paragraph(note, "pk-small")
    )


def actions(report: Report) -> Section | None:
    """Return improvement, development and rewards: what the plans and reward engines propose."""
    if not report.wants("actions"):
        return None
    t, client = report.text, report.client
    title = t(zh="改进、发展与激励", en="Improvement, development and rewards")
    body = Markup()
    scores = report.employee_scores
    improvement, development = report.extras.get("improvement"), report.extras.get("development")
    rewards, schemes = report.extras.get("rewards"), report.extras.get("schemes")
    if report.feedback is None and improvement is None and development is None:
        body += skipped_note(report.lang, skip_reasons(report, "plans"))
    else:
        people = (
            improvement["employee_id"].nunique()
            if isinstance(improvement, pd.DataFrame) and not improvement.empty
            else 0
        )
        dev = getattr(development, "summary", {}) or {}
        body += heading(t(zh="改进与发展", en="Improvement and development"))
        body += key_figures(
            [
                (
                    t(zh="需要改进计划的员工", en="Employees needing an improvement plan"),
                    f"{people:,}",
                ),
                (t(zh="发展计划条目", en="Development plan rows"), f"{int(dev.get('rows', 0)):,}"),
                (t(zh="培训学时", en="Training hours"), f"{float(dev.get('hours', 0) or 0):,.0f}"),
                (t(zh="培训费用", en="Training cost"), f"{float(dev.get('cost', 0) or 0):,.0f}"),
            ]
        )
        if people:
            focus = (
                improvement["focus"]
                .value_counts()
                .head(8)
                .rename_axis("focus")
                .reset_index(name="people")
            )
            body += frame_table(
                focus,
                report.lang,
                headers={
                    "focus": t(zh="改进重点", en="Focus"),
                    "people": t(zh="人数", en="People"),
                },
            )
        body += paragraph(
            t(
                zh=f"每位员工的反馈表见 feedback/ 文件夹(共 {len(report.feedback or []):,} 份),改进与发展计划见 plan.xlsx。",
                en=f"Each employee's feedback sheet is in feedback/ ({len(report.feedback or []):,} sheets); "
                f"the improvement and development plans are in plan.xlsx.",
            ),
            "pk-small",
        )
    if rewards is not None:
        body += heading(t(zh="激励", en="Rewards"))
        if report.extras.get("rewards_summary"):
            body += paragraph(report.extras["rewards_summary"])
        matrix = getattr(rewards, "merit_matrix", None)
        if isinstance(matrix, pd.DataFrame) and not matrix.empty:
            body += paragraph(
                t(
                    zh="调薪矩阵(%,等级 × 薪酬比率区间):",
                    en="Merit matrix (%, grade × compa-ratio band):",
                ),
                "pk-small",
            )
            body += frame_table(
                matrix.reset_index(), report.lang, formats={c: "{:.1f}" for c in matrix.columns}
            )
    if schemes is not None and isinstance(getattr(schemes, "table", None), pd.DataFrame):
        table = schemes.table
        cols = [
            c
            for c in (
                "label",
                "cost_share",
                "differentiation",
                "pay_for_performance",
                "min_impact_ratio",
                "recommended",
            )
            if c in table
        ]
        body += heading(t(zh="激励方案比较", en="Reward schemes compared"))
        body += frame_table(
            table[cols],
            report.lang,
            highlight=lambda r: "pk-flag" if bool(r.get("recommended")) else "",
            formats={
                "cost_share": "{:.0%}",
                "differentiation": "{:.2f}",
                "pay_for_performance": "{:.2f}",
                "min_impact_ratio": "{:.2f}",
            },
            headers={
                "label": t(zh="方案", en="Scheme"),
                "cost_share": t(zh="预算使用", en="Budget used"),
                "differentiation": t(zh="区分度", en="Differentiation"),
                "pay_for_performance": t(zh="绩效相关", en="Pay for performance"),
                "min_impact_ratio": t(zh="最低影响比", en="Lowest impact ratio"),
                "recommended": t(zh="推荐", en="Recommended"),
            },
        )
        if getattr(schemes, "reasons", ""):
            body += paragraph(schemes.reasons)
    employees = client.employees
    if (
        scores is not None
        and "last_increase_pct" in employees
        and employees["last_increase_pct"].notna().any()
    ):
        frame = (
            scores[["employee_id", "score"]]
            .merge(employees[["employee_id", "last_increase_pct"]], on="employee_id")
            .dropna()
        )
        if len(frame) >= 10:
            rho = frame["score"].rank().corr(frame["last_increase_pct"].rank())
            chart_title = (
                t(
                    zh=f"调薪幅度与绩效几乎无关(等级相关 {rho:.2f})",
                    en=f"Pay increases barely follow performance (rank correlation {rho:.2f})",
                )
                if rho < 0.2
                else t(
                    zh=f"调薪幅度随绩效提高(等级相关 {rho:.2f})",
                    en=f"Pay increases follow performance (rank correlation {rho:.2f})",
                )
            )
            body += figure_html(
                scatter_chart(
                    frame,
                    "score",
                    "last_increase_pct",
                    title=chart_title,
                    xlabel=t(zh="综合得分", en="Score"),
                    ylabel=t(zh="上次调薪幅度(%)", en="Last increase (%)"),
                )
            )
    body += findings_table(report.findings_in("rewards"), report.lang)
    if "rewards" in report.skipped:
        body += skipped_note(report.lang, skip_reasons(report, "rewards"))
    notes = [n for part in (rewards, development) for n in (getattr(part, "notes", []) or [])]
    if notes:
        body += (
            Markup('<ul class="pk-list pk-small">')
            + Markup("").join(
                Markup("<li>{}</li>").format(getattr(n, "message", str(n))) for n in notes
            )
            + Markup("</ul>")
        )
    return Section("actions", title, body, "8")
