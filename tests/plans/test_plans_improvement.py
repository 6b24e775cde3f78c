"""Improvement plans: who gets one, SMART goals, actions, checkpoints and owners."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.plans import IMPROVEMENT_COLUMNS, plan_improvements
from tests.plans.world import build_world


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 200), seed=st.integers(0, 1000), lang=st.sampled_from(["zh", "en"]))
def test_every_lowest_grade_employee_has_a_plan(n, seed, lang):
    client, scores = build_world(n, seed, lang)
    plan = plan_improvements(client, scores)
    lowest = set(
        scores.employees.loc[
            scores.employees["grade"] == client.settings.grade_names[-1], "employee_id"
        ]
    )
    assert lowest <= set(plan["employee_id"])
    assert plan[list(IMPROVEMENT_COLUMNS)].notna().all().all()


def test_declining_patterns_get_plans_and_reasons(world):
    client, scores = world
    top = scores.employees.loc[scores.employees["grade"] == "S", "employee_id"].iloc[0]
    patterns = pd.DataFrame(
        {"employee_id": [top], "pattern": ["下滑"], "pattern_key": ["declining"]}
    )
    plan = plan_improvements(client, scores, patterns)
    mine = plan[plan["employee_id"] == top]
    assert len(mine) >= 1
    assert (mine["reason"] == "绩效呈下滑趋势").all()


def test_goals_are_smart_and_owned_by_the_manager(world_en):
    client, scores = world_en
    plan = plan_improvements(client, scores)
    assert list(plan.columns[:5]) == list(IMPROVEMENT_COLUMNS)
    managers = client.employees.set_index("employee_id")["manager_id"]
    assert (plan["owner"] == plan["employee_id"].map(managers)).all()
    kpi = plan[plan["focus_type"] == "kpi"]
    assert len(kpi)
    assert kpi["goal"].str.contains("By 2026-03-31").all()
    assert kpi["target"].notna().all()
    assert (
        plan["checkpoint"].str.contains("Day 30").all()
        and plan["checkpoint"].str.contains("Day 90").all()
    )
    assert plan["actions"].str.contains(r"1\) ").all()


def test_competency_focus_names_a_catalog_course(world):
    client, scores = world
    plan = plan_improvements(client, scores)
    comp = plan[plan["focus_type"] == "competency"]
    gaps = comp[comp["goal"].str.contains("岗位要求")]
    assert len(gaps)
    assert gaps["actions"].str.contains("参加培训课程").all()


def test_a_plan_without_any_data_still_names_overall_performance():
    client, scores = build_world(20, 3, "en")
    client.tables.pop("competencies")
    scores.attainment = scores.attainment.iloc[0:0]
    scores.competencies = scores.competencies.iloc[0:0]
    plan = plan_improvements(client, scores)
    lowest = scores.employees.loc[scores.employees["grade"] == "D", "employee_id"]
    assert set(lowest) == set(plan["employee_id"])
    assert (plan["focus"] == "Overall performance").all()
