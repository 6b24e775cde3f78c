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
from perfkit.plans.development import rank_courses
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
        who["declining"] = who["employee_id"].isin(patterns.loc[hit.to_numpy(), "employee_id"])
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
    ids = set(who["employee_id"])

    kpis = kpi_standing(client, scores)
    kpis = kpis[kpis["employee_id"].isin(ids) & ((kpis["attainment"] < 1) | (kpis["relative"] < 0))]
    kpis = (
        kpis.sort_values(["employee_id", "relative", "attainment"], kind="stable")
        .groupby("employee_id")
        .head(max_kpis)
    )
    comps = competency_standing(client, scores)
    comps = comps[comps["employee_id"].isin(ids)]
    comps = comps[(comps["gap"] > 0) | (comps["relative"] < 0)].copy()
    comps["_order"] = np.where(comps["gap"] > 0, -comps["gap"], 100 + comps["relative"].fillna(0))
    comps = (
        comps.sort_values(["employee_id", "_order"], kind="stable")
        .groupby("employee_id")
        .head(max_competencies)
    )
    course = _first_course(client)

    rows = [_kpi_row(r, lang, dates) for r in kpis.astype(object).itertuples(index=False)]
    rows += [
        _competency_row(r, lang, dates, course.get(r.key))
        for r in comps.astype(object).itertuples(index=False)
    ]
    covered = {r["employee_id"] for r in rows}
    grade_names = client.settings.grade_names
    target_grade = grade_names[-2] if len(grade_names) > 1 else grade_names[0]
    rows += [
        _overall_row(e, lang, dates, target_grade) for e in who["employee_id"] if e not in covered
    ]

    plan = pd.DataFrame(rows)
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


def _checkpoints(lang: str, dates: dict[int, str], c30: str, c60: str, c90: str) -> dict[str, str]:
    labelled = {
        "checkpoint_30": pick(
            lang, zh=f"30天({dates[30]}):{c30}", en=f"Day 30 ({dates[30]}): {c30}"
        ),
        "checkpoint_60": pick(
            lang, zh=f"60天({dates[60]}):{c60}", en=f"Day 60 ({dates[60]}): {c60}"
        ),
        "checkpoint_90": pick(
            lang, zh=f"90天({dates[90]}):{c90}", en=f"Day 90 ({dates[90]}): {c90}"
        ),
    }
    labelled["checkpoint"] = pick(lang, zh=";", en="; ").join(labelled.values())
    return labelled


def _kpi_row(r: Any, lang: str, dates: dict[int, str]) -> dict[str, Any]:
    name, unit = str(r.kpi_name), "" if pd.isna(r.unit) else str(r.unit)
    below_target = r.attainment < 1 and pd.notna(r.target)
    target = r.target if below_target else r.peer_actual
    lower = str(r.direction) == "lower"
    mid = (r.actual + target) / 2 if pd.notna(r.actual) and pd.notna(target) else np.nan
    verb_zh, verb_en = ("降至", "bring down") if lower else ("提升至", "raise")
    actual_s, target_s, mid_s = _num(r.actual) + unit, _num(target) + unit, _num(mid) + unit
    to_zh, to_en = (
        ("目标值 ", "the target ") if below_target else ("同岗位中位数 ", "the role's median ")
    )
    goal = pick(
        lang,
        zh=f"在 {dates[90]} 前将“{name}”从 {actual_s} {verb_zh}{to_zh}{target_s}"
        f"(当前达成率 {r.attainment:.0%},同岗位中位数 {r.peer_attainment:.0%};以 KPI 结果数据衡量)",
        en=f"By {dates[90]}, {verb_en} '{name}' from {actual_s} to {to_en}{target_s} "
        f"(attainment now {r.attainment:.0%}, role median {r.peer_attainment:.0%}; measured by the KPI results)",
    )
    actions = [
        a.text(lang, focus=name)
        for a in select_actions("kpi", severe=r.attainment < SEVERE_ATTAINMENT, course=None)
    ]
    checks = _checkpoints(
        lang,
        dates,
        pick(
            lang,
            zh=f"与经理确认基线 {actual_s} 与行动",
            en=f"agree the baseline {actual_s} and actions with the manager",
        ),
        pick(lang, zh=f"中期回顾:达到 {mid_s}", en=f"mid-point review: reach {mid_s}"),
        pick(lang, zh=f"终期评估:达到 {target_s}", en=f"final review: reach {target_s}"),
    )
    return {
        "employee_id": r.employee_id,
        "focus": name,
        "goal": goal,
        "actions": _join_actions(actions, lang),
        "focus_type": "kpi",
        "focus_id": r.kpi_id,
        "measure": pick(lang, zh=f"{name}(KPI 结果)", en=f"{name} (KPI results)"),
        "baseline": r.actual,
        "target": target,
        "due_date": dates[90],
        **checks,
    }


def _competency_row(r: Any, lang: str, dates: dict[int, str], course: str | None) -> dict[str, Any]:
    name = str(r.competency)
    if pd.notna(r.gap) and r.gap > 0:
        baseline, target, severe = r.level, r.required, r.gap >= SEVERE_GAP
        goal = pick(
            lang,
            zh=f"在 {dates[90]} 前将“{name}”从 {_num(r.level)} 级提升至岗位要求的 {_num(r.required)} 级"
            f"(以经理评估和下一轮 360 度评价衡量)",
            en=f"By {dates[90]}, raise '{name}' from level {_num(r.level)} to the required level "
            f"{_num(r.required)} (measured by the manager's assessment and the next 360° review)",
        )
        measure = pick(lang, zh=f"{name} 能力等级", en=f"{name} level")
    else:
        baseline, target, severe = r.score, r.peer_score, False
        goal = pick(
            lang,
            zh=f"在 {dates[90]} 前将“{name}”的他评得分从 {_num(r.score)} 提升至同岗位平均 {_num(r.peer_score)}"
            f"(以下一轮 360 度评价衡量)",
            en=f"By {dates[90]}, raise others' rating of '{name}' from {_num(r.score)} to the role average "
            f"{_num(r.peer_score)} (measured by the next 360° review)",
        )
        measure = pick(lang, zh=f"{name} 他评得分", en=f"{name} rating by others")
    actions = [
        a.text(lang, focus=name, course=course or "")
        for a in select_actions("competency", severe=bool(severe), course=course)
    ]
    checks = _checkpoints(
        lang,
        dates,
        pick(
            lang,
            zh="报名课程并与经理约定练习任务",
            en="enrol in the course and agree practice tasks with the manager",
        ),
        pick(
            lang,
            zh="完成课程,经理观察并反馈实际表现",
            en="course done; the manager observes and gives feedback",
        ),
        pick(lang, zh=f"终期评估:达到 {_num(target)}", en=f"final review: reach {_num(target)}"),
    )
    return {
        "employee_id": r.employee_id,
        "focus": name,
        "goal": goal,
        "actions": _join_actions(actions, lang),
        "focus_type": "competency",
        "focus_id": name,
        "measure": measure,
        "baseline": baseline,
        "target": target,
        "due_date": dates[90],
        **checks,
    }


def _overall_row(
    employee_id: str, lang: str, dates: dict[int, str], target_grade: str
) -> dict[str, Any]:
    focus = pick(lang, zh="整体绩效", en="Overall performance")
    goal = pick(
        lang,
        zh=f"在 {dates[90]} 前达到 {target_grade} 级及以上的绩效(以下一次绩效评估衡量)",
        en=f"By {dates[90]}, perform at grade {target_grade} or better (measured by the next appraisal)",
    )
    actions = [a.text(lang, focus=focus) for a in select_actions("any", severe=False, course=None)]
    checks = _checkpoints(
        lang,
        dates,
        pick(lang, zh="明确岗位期望与关键成果", en="agree the role's expectations and key results"),
        pick(lang, zh="中期回顾关键成果进展", en="mid-point review of the key results"),
        pick(lang, zh=f"终期评估:达到 {target_grade} 级", en=f"final review: grade {target_grade}"),
    )
    return {
        "employee_id": employee_id,
        "focus": focus,
        "goal": goal,
        "actions": _join_actions(actions, lang),
        "focus_type": "overall",
        "focus_id": "",
        "measure": focus,
        "baseline": np.nan,
        "target": np.nan,
        "due_date": dates[90],
        **checks,
    }
