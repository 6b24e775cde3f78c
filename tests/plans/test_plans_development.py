"""Development plans: every row a real gap and a course of that competency; budgets; growth paths."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.plans import DEVELOPMENT_COLUMNS, plan_development
from perfkit.plans.development import competency_key
from tests.plans.world import build_world


def _check_invariant(client, plan):
    comps = client.table("competencies")[["employee_id", "competency", "level", "required"]]
    catalog = client.table("training_catalog")[["course_id", "competency"]].rename(
        columns={"competency": "of"}
    )
    rows = plan.table.merge(comps, on="employee_id", suffixes=("", "_t"))
    rows = rows[rows["competency"] == rows["competency_t"]].merge(catalog, on="course_id")
    assert len(rows) == len(plan.table)
    assert (rows["required_t"] - rows["level_t"] > 0).all()
    assert (rows["gap"] == rows["required_t"] - rows["level_t"]).all()
    assert (rows["of"] == rows["competency"]).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 120),
    seed=st.integers(0, 1000),
    per_employee=st.one_of(st.none(), st.floats(0, 5000)),
    total=st.one_of(st.none(), st.floats(0, 1e5)),
)
def test_every_row_is_a_gap_with_a_course_of_that_competency(n, seed, per_employee, total):
    client, scores = build_world(n, seed, "en")
    plan = plan_development(client, scores, budget_per_employee=per_employee, budget_total=total)
    _check_invariant(client, plan)
    spent = (
        plan.table.groupby("employee_id")["cost"]
        .sum()
        .add(plan.growth.groupby("employee_id")["cost"].sum(), fill_value=0)
    )
    if per_employee is not None:
        assert (spent <= per_employee + 1e-6).all()
    if total is not None:
        assert spent.sum() <= total + 1e-6


def test_courses_mix_formats_and_carry_hours_and_cost(world):
    client, scores = world
    plan = plan_development(client, scores, courses_per_gap=2)
    assert list(plan.table.columns[:5]) == list(DEVELOPMENT_COLUMNS)
    pairs = plan.table.groupby(["employee_id", "competency"])["format"].nunique()
    assert (pairs == 2).all()
    assert plan.table[["hours", "cost", "priority"]].notna().all().all()


def test_growth_paths_go_to_high_performers_on_competencies_they_meet(world):
    client, scores = world
    plan = plan_development(client, scores)
    grades = scores.employees.set_index("employee_id")["grade"]
    assert len(plan.growth)
    assert plan.growth["employee_id"].map(grades).isin(["S", "A"]).all()
    assert (plan.growth["level"] >= plan.growth["required"]).all()
    assert (plan.growth["target_level"] > plan.growth["level"]).all()
    assert plan.growth.groupby("employee_id").size().max() <= 2


def test_missing_tables_are_noted():
    client, scores = build_world(10, 1, "zh")
    client.tables.pop("training_catalog")
    plan = plan_development(client, scores)
    assert plan.table.empty and plan.notes[0].code == "ANALYSIS_SKIPPED"


def test_competency_names_match_across_case_and_spaces():
    import pandas as pd

    keys = competency_key(pd.Series([" Customer  Focus", "customer focus", "沟通 "]))
    assert keys.tolist() == ["customer focus", "customer focus", "沟通"]
