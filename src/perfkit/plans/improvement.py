"""Improvement plans (绩效改进) for the lowest grade and declining patterns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from perfkit.intake import Client
from perfkit.language import pick
from perfkit.plans.actions import SEVERE_ATTAINMENT, SEVERE_GAP, select_actions
from perfkit.plans.dates import plan_start
from perfkit.plans.development import is_in, rank_courses
from perfkit.plans.standing import competency_standing, kpi_standing

#: The contract's columns of the ``improvement`` sheet, in order.
IMPROVEMENT_COLUMNS: tuple[str, ...] = ("employee_id", "focus", "goal", "actions", "checkpoint")
#: Pattern keys (``PatternResult.assignments.pattern_key``) or names that mean a declining trend.
DECLINING_PATTERNS: frozenset[str] = frozenset({"declining", "下滑", "decline"})
_EXTRA = [
    "owner",
    "reason",
    "focus_type",
    "focus_id",
    "measure",
    "baseline",
    "target",
    "due_date",
    "checkpoint_30",
    "checkpoint_60",
    "checkpoint_90",
]


def _num(value: float) -> str:
    """A figure as a consultant writes it: 12.5, 1,200, 98%."""
    if value is None or value != value:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def select_improvement_employees(
    client: Client,
    scores: Any,
    patterns: pd.DataFrame | None = None,
    *,
    declining: Iterable[str] = DECLINING_PATTERNS,
) -> pd.DataFrame:
    """Return who needs an improvement plan, and why.

    An employee needs one when their ``grade`` or ``calibrated_grade`` is the lowest grade
    (``settings.grade_names[-1]``), or when ``patterns`` (employee_id plus ``pattern_key`` or
    ``pattern``) puts them in a pattern whose key or name, case-folded, is in ``declining``.

    Returns
    -------
    DataFrame
        employee_id, lowest_grade (bool), declining (bool).
    """
    lowest = client.settings.grade_names[-1]
    employees = scores.employees
    low = employees["grade"] == lowest
    if "calibrated_grade" in employees:
        low |= employees["calibrated_grade"] == lowest
    who = pd.DataFrame(
        {"employee_id": employees["employee_id"], "lowest_grade": low.fillna(False).to_numpy()}
    )
    who["declining"] = False
    if patterns is not None and len(patterns):
        keys = {str(k).casefold() for k in declining}
        column = "pattern_key" if "pattern_key" in patterns else "pattern"
        hit = patterns[column].astype(str).str.casefold().isin(keys)
        who["declining"] = is_in(who["employee_id"], patterns.loc[hit.to_numpy(), "employee_id"])
    return who[who["lowest_grade"] | who["declining"]].reset_index(drop=True)


def plan_improvements(
    client: Client,
    scores: Any,
    patterns: pd.DataFrame | None = None,
    *,
    declining: Iterable[str] = DECLINING_PATTERNS,
    max_kpis: int = 2,
    max_competencies: int = 1,
    horizon_days: int = 90,
) -> pd.DataFrame:
    """Write a 90-day improvement plan for each employee who needs one.

    Who: see :func:`select_improvement_employees`. Focus areas: up to ``max_kpis`` KPIs below
    target or below the role's median, weakest against peers first, and up to
    ``max_competencies`` competencies, the biggest gap (required − level) first, else the lowest
    rating against role peers. An employee with neither gets one focus on overall performance,
    so that everyone selected has a plan.

    Each focus gets a SMART goal (the KPI's target, or the role's median where the KPI has none;
    the required level; by the end of the current period + ``horizon_days``), actions from the
    library (:mod:`perfkit.plans.actions`; a course of the training catalog for a competency),
    30/60/90-day checkpoints and the manager (employees.manager_id) as owner.

    Returns
    -------
    DataFrame
        One row per focus area: employee_id, focus, goal, actions, checkpoint (the three
        checkpoints in one text), then owner, reason, focus_type (kpi, competency, overall),
        focus_id, measure, baseline, target, due_date, checkpoint_30, checkpoint_60, checkpoint_90.
    """
    lang = client.language
    who = select_improvement_employees(client, scores, patterns, declining=declining)
    columns = [*IMPROVEMENT_COLUMNS, *_EXTRA]
    if who.empty:
        return pd.DataFrame(columns=columns)
    start = plan_start(client.current_period)
    dates = {
        d: (start + pd.Timedelta(days=round(horizon_days * d / 90))).date().isoformat()
        for d in (30, 60, 90)
    }
    ids = who["employee_id"]

    kpis = kpi_standing(client, scores)
    kpis = kpis[
        is_in(kpis["employee_id"], ids) & ((kpis["attainment"] < 1) | (kpis["relative"] < 0))
    ]
    kpis = (
        kpis.sort_values(["employee_id", "relative", "attainment"], kind="stable")
        .groupby("employee_id")
        .head(max_kpis)
    )
    comps = competency_standing(client, scores)
    comps = comps[is_in(comps["employee_id"], ids)]
    comps = comps[(comps["gap"] > 0) | (comps["relative"] < 0)].copy()
    comps["_order"] = np.where(comps["gap"] > 0, -comps["gap"], 100 + comps["relative"].fillna(0))
    comps = (
        comps.sort_values(["employee_id", "_order"], kind="stable")
        .groupby("employee_id")
        .head(max_competencies)
    )
    course = _first_course(client)

    # Built column by column: a row at a time (a record, a dozen look-ups and a frame row each),
    # the plans took a second at 20,000 employees; only the sentences are still written per row.
    parts = [_kpi_rows(kpis, lang, dates), _competency_rows(comps, lang, dates, course)]
    covered = {e for part in parts for e in part["employee_id"]}
    grade_names = client.settings.grade_names
    target_grade = grade_names[-2] if len(grade_names) > 1 else grade_names[0]
    uncovered = [e for e in who["employee_id"] if e not in covered]
    parts.append(_overall_rows(uncovered, lang, dates, target_grade))

    plan = pd.DataFrame({c: [v for part in parts for v in part[c]] for c in parts[0]})
    managers = client.employees.drop_duplicates("employee_id").set_index("employee_id")
    plan["owner"] = (
        plan["employee_id"].map(managers["manager_id"]) if "manager_id" in managers else np.nan
    )
    reasons = who.set_index("employee_id")
    low = plan["employee_id"].map(reasons["lowest_grade"]).astype(bool)
    dec = plan["employee_id"].map(reasons["declining"]).astype(bool)
    low_text = pick(lang, zh=f"绩效等级 {grade_names[-1]}", en=f"grade {grade_names[-1]}")
    dec_text = pick(lang, zh="绩效呈下滑趋势", en="declining pattern")
    sep = pick(lang, zh=";", en="; ")
    plan["reason"] = np.where(
        low & dec, low_text + sep + dec_text, np.where(low, low_text, dec_text)
    )
    order = {"kpi": 0, "competency": 1, "overall": 2}
    plan = plan.sort_values(
        ["employee_id", "focus_type"],
        key=lambda s: s.map(order) if s.name == "focus_type" else s,
        kind="stable",
    )
    return plan.reindex(columns=columns).reset_index(drop=True)


def _first_course(client: Client) -> dict[str, str]:
    """The best-ranked course per competency key, as "name (course_id)"."""
    catalog = client.table("training_catalog")
    if catalog is None or catalog.empty:
        return {}
    ranked = rank_courses(catalog)
    first = ranked[ranked["course_rank"] == 0]
    return dict(
        zip(
            first["key"],
            first["course_name"].astype(str) + " (" + first["course_id"] + ")",
            strict=True,
        )
    )


def _join_actions(texts: list[str], lang: str) -> str:
    return pick(lang, zh=";", en="; ").join(f"{i}) {t}" for i, t in enumerate(texts, 1))


def _actions(kind: str, lang: str, focus: str, severe: bool, course: str | None = None) -> str:
    """The numbered actions of one focus area, from the library."""
    chosen = select_actions(kind, severe=severe, course=course)
    return _join_actions([a.text(lang, focus=focus, course=course or "") for a in chosen], lang)


def _checkpoints(
    lang: str, dates: dict[int, str], c30: list[str], c60: list[str], c90: list[str]
) -> dict[str, list[str]]:
    """The 30/60/90-day checkpoints of each row, labelled with their dates, and the three in one text."""
    labels = {
        day: pick(lang, zh=f"{day}天({dates[day]}):", en=f"Day {day} ({dates[day]}): ")
        for day in (30, 60, 90)
    }
    columns = {
        f"checkpoint_{day}": [labels[day] + text for text in texts]
        for day, texts in ((30, c30), (60, c60), (90, c90))
    }
    sep = pick(lang, zh=";", en="; ")
    columns["checkpoint"] = [sep.join(texts) for texts in zip(*columns.values(), strict=True)]
    return columns


def _kpi_rows(kpis: pd.DataFrame, lang: str, dates: dict[int, str]) -> dict[str, list]:
    """The plan rows of weak KPIs, as columns: a goal toward the target, or the role's median."""
    attainment = kpis["attainment"].to_numpy(dtype=float)
    below_target = (attainment < 1) & kpis["target"].notna().to_numpy()
    target = np.where(below_target, kpis["target"], kpis["peer_actual"]).astype(float)
    actual = kpis["actual"].to_numpy(dtype=float)
    mid = (actual + target) / 2
    names = [str(name) for name in kpis["kpi_name"].tolist()]
    units = [str(u) for u in kpis["unit"].where(kpis["unit"].notna(), "").tolist()]
    actual_s = [_num(v) + u for v, u in zip(actual.tolist(), units, strict=True)]
    target_s = [_num(v) + u for v, u in zip(target.tolist(), units, strict=True)]
    mid_s = [_num(v) + u for v, u in zip(mid.tolist(), units, strict=True)]
    lower = (kpis["direction"] == "lower").to_numpy()
    severe = attainment < SEVERE_ATTAINMENT
    goals = [
        _kpi_goal(lang, dates[90], *row)
        for row in zip(
            names,
            actual_s,
            target_s,
            lower.tolist(),
            below_target.tolist(),
            attainment.tolist(),
            kpis["peer_attainment"].tolist(),
            strict=True,
        )
    ]
    actions = {
        key: _actions("kpi", lang, *key) for key in set(zip(names, severe.tolist(), strict=True))
    }
    return {
        "employee_id": kpis["employee_id"].tolist(),
        "focus": names,
        "goal": goals,
        "actions": [actions[key] for key in zip(names, severe.tolist(), strict=True)],
        "focus_type": ["kpi"] * len(names),
        "focus_id": kpis["kpi_id"].tolist(),
        "measure": [pick(lang, zh=f"{n}(KPI 结果)", en=f"{n} (KPI results)") for n in names],
        "baseline": actual.tolist(),
        "target": target.tolist(),
        "due_date": [dates[90]] * len(names),
        **_checkpoints(
            lang,
            dates,
            [
                pick(
                    lang,
                    zh=f"与经理确认基线 {a} 与行动",
                    en=f"agree the baseline {a} and actions with the manager",
                )
                for a in actual_s
            ],
            [pick(lang, zh=f"中期回顾:达到 {m}", en=f"mid-point review: reach {m}") for m in mid_s],
            [pick(lang, zh=f"终期评估:达到 {t}", en=f"final review: reach {t}") for t in target_s],
        ),
    }


def _kpi_goal(
    lang: str,
    due: str,
    name: str,
    actual: str,
    target: str,
    lower: bool,
    below_target: bool,
    attainment: float,
    peer: float,
) -> str:
    verb_zh, verb_en = ("降至", "bring down") if lower else ("提升至", "raise")
    to_zh, to_en = (
        ("目标值 ", "the target ") if below_target else ("同岗位中位数 ", "the role's median ")
    )
    return pick(
        lang,
        zh=f"在 {due} 前将“{name}”从 {actual} {verb_zh}{to_zh}{target}"
        f"(当前达成率 {attainment:.0%},同岗位中位数 {peer:.0%};以 KPI 结果数据衡量)",
        en=f"By {due}, {verb_en} '{name}' from {actual} to {to_en}{target} "
        f"(attainment now {attainment:.0%}, role median {peer:.0%}; measured by the KPI results)",
    )


def _competency_rows(
    comps: pd.DataFrame, lang: str, dates: dict[int, str], courses: dict[str, str]
) -> dict[str, list]:
    """The plan rows of weak competencies, as columns: a gap to the required level, or a rating
    below the role's average."""
    names = [str(name) for name in comps["competency"].tolist()]
    gap = comps["gap"].to_numpy(dtype=float)
    has_gap = gap > 0  # False where the gap is unknown
    baseline = np.where(has_gap, comps["level"], comps["score"]).astype(float)
    target = np.where(has_gap, comps["required"], comps["peer_score"]).astype(float)
    severe = (has_gap & (gap >= SEVERE_GAP)).tolist()
    course = [courses.get(key) for key in comps["key"].tolist()]
    rows = list(zip(names, has_gap.tolist(), baseline.tolist(), target.tolist(), strict=True))
    actions = {
        key: _actions("competency", lang, *key)
        for key in set(zip(names, severe, course, strict=True))
    }
    c30 = pick(
        lang,
        zh="报名课程并与经理约定练习任务",
        en="enrol in the course and agree practice tasks with the manager",
    )
    c60 = pick(
        lang,
        zh="完成课程,经理观察并反馈实际表现",
        en="course done; the manager observes and gives feedback",
    )
    return {
        "employee_id": comps["employee_id"].tolist(),
        "focus": names,
        "goal": [_competency_goal(lang, dates[90], *row) for row in rows],
        "actions": [actions[key] for key in zip(names, severe, course, strict=True)],
        "focus_type": ["competency"] * len(names),
        "focus_id": names,
        "measure": [
            pick(lang, zh=f"{n} 能力等级", en=f"{n} level")
            if gapped
            else pick(lang, zh=f"{n} 他评得分", en=f"{n} rating by others")
            for n, gapped, _, _ in rows
        ],
        "baseline": baseline.tolist(),
        "target": target.tolist(),
        "due_date": [dates[90]] * len(names),
        **_checkpoints(
            lang,
            dates,
            [c30] * len(names),
            [c60] * len(names),
            [
                pick(lang, zh=f"终期评估:达到 {_num(t)}", en=f"final review: reach {_num(t)}")
                for t in target.tolist()
            ],
        ),
    }


def _competency_goal(lang: str, due: str, name: str, gap: bool, level: float, target: float) -> str:
    if gap:
        return pick(
            lang,
            zh=f"在 {due} 前将“{name}”从 {_num(level)} 级提升至岗位要求的 {_num(target)} 级"
            f"(以经理评估和下一轮 360 度评价衡量)",
            en=f"By {due}, raise '{name}' from level {_num(level)} to the required level "
            f"{_num(target)} (measured by the manager's assessment and the next 360° review)",
        )
    return pick(
        lang,
        zh=f"在 {due} 前将“{name}”的他评得分从 {_num(level)} 提升至同岗位平均 {_num(target)}"
        f"(以下一轮 360 度评价衡量)",
        en=f"By {due}, raise others' rating of '{name}' from {_num(level)} to the role average "
        f"{_num(target)} (measured by the next 360° review)",
    )


def _overall_rows(
    employee_ids: list[str], lang: str, dates: dict[int, str], target_grade: str
) -> dict[str, list]:
    """One row on overall performance for each employee without a KPI or competency focus."""
    n = len(employee_ids)
    focus = pick(lang, zh="整体绩效", en="Overall performance")
    goal = pick(
        lang,
        zh=f"在 {dates[90]} 前达到 {target_grade} 级及以上的绩效(以下一次绩效评估衡量)",
        en=f"By {dates[90]}, perform at grade {target_grade} or better (measured by the next appraisal)",
    )
    c30 = pick(
        lang, zh="明确岗位期望与关键成果", en="agree the role's expectations and key results"
    )
    c60 = pick(lang, zh="中期回顾关键成果进展", en="mid-point review of the key results")
    c90 = pick(
        lang, zh=f"终期评估:达到 {target_grade} 级", en=f"final review: grade {target_grade}"
    )
    checks = _checkpoints(lang, dates, [c30], [c60], [c90])
    return {
        "employee_id": list(employee_ids),
        "focus": [focus] * n,
        "goal": [goal] * n,
        "actions": [_actions("any", lang, focus, False)] * n,
        "focus_type": ["overall"] * n,
        "focus_id": [""] * n,
        "measure": [focus] * n,
        "baseline": [np.nan] * n,
        "target": [np.nan] * n,
        "due_date": [dates[90]] * n,
        **{column: texts * n for column, texts in checks.items()},
    }
