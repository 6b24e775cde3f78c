"""Fairness diagnostics as findings: ADVERSE_IMPACT in top ratings, as given and as perfkit grades them."""

from __future__ import annotations

import pandas as pd

from perfkit.fairness.impact import GROUP_COLUMNS, flag_adverse, impact_ratios
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick


def top_outcomes(client: Client, scores: object | None) -> pd.DataFrame:
    """Return, per employee, whether they got a top rating and a top grade.

    ``top_rating``: ``employees.rating`` on one of the top ``top_points`` points of the scale
    (by default the top two: 4 and 5 on a 1–5 scale). ``top_grade``: perfkit's grade
    (``scores.employees.grade``) among the top ``top_grades`` grades of the settings (by default
    the best two, S and A), for employees whose grade perfkit did not read off
    ``employees.rating``. Either is missing (NaN) when its source is absent.
    """
    limits = client.settings.thresholds
    employees = client.employees
    columns = [c for c in GROUP_COLUMNS if c in employees]
    frame = employees[["employee_id", *columns]].copy()
    if "rating" in employees and employees["rating"].notna().any():
        cut = client.settings.scale.max - (threshold(limits, "ADVERSE_IMPACT", "top_points") - 1)
        frame["top_rating"] = (employees["rating"] >= cut).where(employees["rating"].notna())
    scored = getattr(scores, "employees", None)
    if scored is not None and "grade" in scored and scored["grade"].notna().any():
        top = client.settings.grade_names[: int(threshold(limits, "ADVERSE_IMPACT", "top_grades"))]
        graded = scored[scored["grade"].notna()]
        if "source" in graded:  # a grade read off employees.rating repeats the first outcome
            graded = graded[graded["source"] != "rating"]
        grade = frame["employee_id"].map(graded.set_index("employee_id")["grade"])
        if grade.notna().any():
            frame["top_grade"] = grade.isin(top).where(grade.notna())
    return frame


def diagnose_fairness(client: Client, scores: object | None) -> list[Finding]:
    """Return ADVERSE_IMPACT findings by the four-fifths rule, for every group column present.

    Two outcomes are checked: the top ratings the client gave (``employees.rating``) and the
    top grades perfkit gives (``scores.employees.grade``). Holm's correction runs within each
    group column, across its groups and both outcomes. Group columns are those of
    :data:`perfkit.fairness.GROUP_COLUMNS` present in ``employees``.

    Parameters
    ----------
    client : Client
    scores : PerformanceScores or None

    Returns
    -------
    list of Finding
    """
    lang = client.language
    limits = client.settings.thresholds
    t = {
        p: threshold(limits, "ADVERSE_IMPACT", p)
        for p in ("ratio", "min_group", "p_value", "max_categories")
    }
    frame = top_outcomes(client, scores)
    groups = [c for c in GROUP_COLUMNS if c in frame and frame[c].notna().any()]
    if not groups:
        return [
            skipped(
                "adverse impact",
                "employees 表没有 gender、location、level 等分组列",
                "employees has no group column such as gender, location or level",
                lang,
                missing=["employees.gender", "employees.location", "employees.level"],
            )
        ]
    outcomes = [c for c in ("top_rating", "top_grade") if c in frame]
    if not outcomes:
        return [
            skipped(
                "adverse impact",
                "既没有 employees.rating 也没有绩效等级",
                "there is neither employees.rating nor a perfkit grade",
                lang,
                missing=["employees.rating", "grade"],
            )
        ]
    tables = []
    for outcome in outcomes:
        table = impact_ratios(
            frame,
            outcome=outcome,
            groups=groups,
            min_group=int(t["min_group"]),
            ratio=t["ratio"],
            p_value=t["p_value"],
            max_categories=int(t["max_categories"]),
        )
        tables.append(
            table.assign(outcome="employees.rating" if outcome == "top_rating" else "grade")
        )
    combined = pd.concat(tables, ignore_index=True)
    if combined.empty:
        return []
    # each characteristic (gender, location...) is its own question, as in adverse-impact
    # practice; within it, Holm runs across its groups and both outcomes
    combined = pd.concat(
        [
            flag_adverse(
                part.copy(), ratio=t["ratio"], p_value=t["p_value"], min_group=int(t["min_group"])
            )
            for _, part in combined.groupby("column", sort=False)
        ],
        ignore_index=True,
    )
    findings = []
    for row in combined[combined["adverse"]].sort_values("ratio").itertuples():
        subject = f"{row.column}:{row.group}"
        what_zh = (
            "获得最高两档评级" if row.outcome == "employees.rating" else "获得最高两档绩效等级"
        )
        what_en = (
            "top ratings (as given)"
            if row.outcome == "employees.rating"
            else "top grades (as perfkit grades)"
        )
        findings.append(
            Finding(
                "ADVERSE_IMPACT",
                "critical",
                subject,
                pick(
                    lang,
                    zh=f"{row.column} 为“{row.group}”的员工{what_zh}的比例为 {row.rate:.0%}({int(row.n)} 人),"
                    f"只有“{row.reference}”组 {row.reference_rate:.0%} 的 {row.ratio:.2f} 倍,低于五分之四。",
                    en=f"{row.column} {row.group} gets {what_en} at a rate of {row.rate:.0%} ({int(row.n)} people), "
                    f"{row.ratio:.2f} of the {row.reference_rate:.0%} of {row.reference}, below four fifths.",
                ),
                {
                    "outcome": row.outcome,
                    "column": row.column,
                    "group": row.group,
                    "n": int(row.n),
                    "selected": int(row.selected),
                    "rate": float(row.rate),
                    "reference": row.reference,
                    "reference_n": int(row.reference_n),
                    "reference_rate": float(row.reference_rate),
                    "ratio": float(row.ratio),
                    "flip_ratio": float(row.flip_ratio),
                    "p_value": float(row.p_value),
                    "p_holm": float(row.p_holm),
                },
            )
        )
    return findings
