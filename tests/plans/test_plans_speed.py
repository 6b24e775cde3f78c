"""The plans built column by column and from integer codes equal their row-by-row versions."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.language import pick
from perfkit.plans.actions import SEVERE_ATTAINMENT, SEVERE_GAP, select_actions
from perfkit.plans.development import competency_key, is_in, latest_competencies
from perfkit.plans.improvement import _competency_rows, _kpi_rows, _num
from perfkit.plans.standing import competency_standing, kpi_standing
from tests.plans.world import build_world

DATES = {30: "2026-01-30", 60: "2026-03-01", 90: "2026-03-31"}


def reference_checkpoints(lang, c30, c60, c90):
    labelled = {
        "checkpoint_30": pick(
            lang, zh=f"30天({DATES[30]}):{c30}", en=f"Day 30 ({DATES[30]}): {c30}"
        ),
        "checkpoint_60": pick(
            lang, zh=f"60天({DATES[60]}):{c60}", en=f"Day 60 ({DATES[60]}): {c60}"
        ),
        "checkpoint_90": pick(
            lang, zh=f"90天({DATES[90]}):{c90}", en=f"Day 90 ({DATES[90]}): {c90}"
        ),
    }
    labelled["checkpoint"] = pick(lang, zh=";", en="; ").join(labelled.values())
    return labelled


def reference_actions(actions, lang, **fields):
    texts = [a.text(lang, **fields) for a in actions]
    return pick(lang, zh=";", en="; ").join(f"{i}) {t}" for i, t in enumerate(texts, 1))


def reference_kpi_row(r, lang):
    """One KPI row of the plan, as it was written a row at a time."""
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
        zh=f"在 {DATES[90]} 前将“{name}”从 {actual_s} {verb_zh}{to_zh}{target_s}"
        f"(当前达成率 {r.attainment:.0%},同岗位中位数 {r.peer_attainment:.0%};以 KPI 结果数据衡量)",
        en=f"By {DATES[90]}, {verb_en} '{name}' from {actual_s} to {to_en}{target_s} "
        f"(attainment now {r.attainment:.0%}, role median {r.peer_attainment:.0%}; "
        "measured by the KPI results)",
    )
    chosen = select_actions("kpi", severe=r.attainment < SEVERE_ATTAINMENT, course=None)
    return {
        "employee_id": r.employee_id,
        "focus": name,
        "goal": goal,
        "actions": reference_actions(chosen, lang, focus=name),
        "focus_type": "kpi",
        "focus_id": r.kpi_id,
        "measure": pick(lang, zh=f"{name}(KPI 结果)", en=f"{name} (KPI results)"),
        "baseline": r.actual,
        "target": target,
        "due_date": DATES[90],
        **reference_checkpoints(
            lang,
            pick(
                lang,
                zh=f"与经理确认基线 {actual_s} 与行动",
                en=f"agree the baseline {actual_s} and actions with the manager",
            ),
            pick(lang, zh=f"中期回顾:达到 {mid_s}", en=f"mid-point review: reach {mid_s}"),
            pick(lang, zh=f"终期评估:达到 {target_s}", en=f"final review: reach {target_s}"),
        ),
    }


def reference_competency_row(r, lang, course):
    """One competency row of the plan, as it was written a row at a time."""
    name = str(r.competency)
    if pd.notna(r.gap) and r.gap > 0:
        baseline, target, severe = r.level, r.required, r.gap >= SEVERE_GAP
        goal = pick(
            lang,
            zh=f"在 {DATES[90]} 前将“{name}”从 {_num(r.level)} 级提升至岗位要求的 "
            f"{_num(r.required)} 级(以经理评估和下一轮 360 度评价衡量)",
            en=f"By {DATES[90]}, raise '{name}' from level {_num(r.level)} to the required level "
            f"{_num(r.required)} (measured by the manager's assessment and the next 360° review)",
        )
        measure = pick(lang, zh=f"{name} 能力等级", en=f"{name} level")
    else:
        baseline, target, severe = r.score, r.peer_score, False
        goal = pick(
            lang,
            zh=f"在 {DATES[90]} 前将“{name}”的他评得分从 {_num(r.score)} 提升至同岗位平均 "
            f"{_num(r.peer_score)}(以下一轮 360 度评价衡量)",
            en=f"By {DATES[90]}, raise others' rating of '{name}' from {_num(r.score)} to the "
            f"role average {_num(r.peer_score)} (measured by the next 360° review)",
        )
        measure = pick(lang, zh=f"{name} 他评得分", en=f"{name} rating by others")
    chosen = select_actions("competency", severe=bool(severe), course=course)
    return {
        "employee_id": r.employee_id,
        "focus": name,
        "goal": goal,
        "actions": reference_actions(chosen, lang, focus=name, course=course or ""),
        "focus_type": "competency",
        "focus_id": name,
        "measure": measure,
        "baseline": baseline,
        "target": target,
        "due_date": DATES[90],
        **reference_checkpoints(
            lang,
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
            pick(
                lang, zh=f"终期评估:达到 {_num(target)}", en=f"final review: reach {_num(target)}"
            ),
        ),
    }


def roughen(frame: pd.DataFrame, seed: int, columns: list[str]) -> pd.DataFrame:
    """Blank a few values of ``columns``, so that every branch of the sentences is taken."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    for column in columns:
        frame.loc[rng.random(len(frame)) < 0.15, column] = np.nan
    return frame


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 120), seed=st.integers(0, 1000), lang=st.sampled_from(["zh", "en"]))
def test_plan_rows_equal_the_rows_written_one_at_a_time(n, seed, lang):
    client, scores = build_world(n, seed, lang)
    kpis = roughen(kpi_standing(client, scores), seed, ["target", "unit", "actual", "peer_actual"])
    kpis.loc[kpis.index[::3], "direction"] = "lower"
    expected = pd.DataFrame(
        [reference_kpi_row(r, lang) for r in kpis.astype(object).itertuples(index=False)]
    )
    got = pd.DataFrame(_kpi_rows(kpis, lang, DATES))
    if len(kpis):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)

    comps = roughen(competency_standing(client, scores), seed, ["gap", "score", "required"])
    courses = {key: f"course of {key}" for key in comps["key"].dropna().unique()[::2]}
    expected = pd.DataFrame(
        [
            reference_competency_row(r, lang, courses.get(r.key))
            for r in comps.astype(object).itertuples(index=False)
        ]
    )
    got = pd.DataFrame(_competency_rows(comps, lang, DATES, courses))
    if len(comps):
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["a", "b", None, "c", "a"], dtype="str"),
        pd.Series(["a", "b", None, "c", "a"], dtype=object),
        pd.Series([1, 2, 3, 2]),
        pd.Series([], dtype="str"),
    ],
)
@pytest.mark.parametrize(
    "among", [["a", "c", "a"], [None, "b"], [], [2, 3], pd.Series(["c"], dtype="str")]
)
def test_is_in_is_isin(values, among):
    among = pd.Series(among, dtype=object) if isinstance(among, list) else among
    assert is_in(values, among).tolist() == values.isin(among).tolist()


def reference_latest_competencies(table: pd.DataFrame) -> pd.DataFrame:
    """Each employee's latest assessments, as they were selected row by row."""
    frame = table.dropna(subset=["employee_id", "competency"]).copy()
    if "period" in frame and frame["period"].notna().any():
        latest = frame.groupby("employee_id")["period"].transform("max")
        frame = frame[frame["period"].isna() | (frame["period"] == latest)]
    frame["key"] = competency_key(frame["competency"])
    return frame.drop_duplicates(["employee_id", "key"], keep="last").reset_index(drop=True)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 60), periods=st.booleans())
def test_latest_competencies_equal_the_row_selection(seed, n, periods):
    rng = np.random.default_rng(seed)

    def some_missing(values):
        values = np.asarray(values, dtype=object)
        values[rng.random(len(values)) < 0.1] = None
        return values

    table = pd.DataFrame(
        {
            "employee_id": some_missing(rng.choice(["E1", "E2", "E3"], n)),
            "competency": some_missing(
                rng.choice(["沟通", " Customer  focus", "customer focus"], n)
            ),
            "level": rng.integers(1, 5, n).astype(float),
            "required": rng.integers(1, 5, n).astype(float),
        }
    ).astype({"employee_id": "str", "competency": "str"})
    if periods:
        table["period"] = pd.Series(some_missing(rng.choice(["2025Q3", "2025Q4"], n)), dtype="str")
    pd.testing.assert_frame_equal(
        latest_competencies(table), reference_latest_competencies(table), check_exact=True
    )
