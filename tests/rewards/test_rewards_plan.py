"""The reward plan on synthetic clients: budgets, contract columns, promotion and missing pay."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.rewards import REWARD_COLUMNS, SCHEMES, compare_schemes, plan_rewards
from tests.plans.world import build_world


def test_contract_columns_come_first_in_order(world):
    plan = plan_rewards(*world)
    assert list(plan.table.columns[:5]) == list(REWARD_COLUMNS)
    assert len(plan.table) == len(world[1].employees)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(3, 250),
    seed=st.integers(0, 1000),
    merit=st.floats(0.5, 12),
    pool=st.one_of(st.none(), st.floats(1_000, 5e7)),
)
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_budgets_hold_over_random_clients(scheme, n, seed, merit, pool):
    client, scores = build_world(
        n, seed, "en", settings={"rewards": {"merit_budget_pct": merit, "bonus_pool": pool}}
    )
    plan = plan_rewards(client, scores, scheme=scheme)
    t = plan.table
    expected_pool = np.floor(pool if pool is not None else (t["target_bonus"].sum()))
    assert t["bonus_amount"].sum() == pytest.approx(np.floor(plan.summary["bonus_pool"]))
    assert t["bonus_amount"].sum() <= plan.summary["bonus_pool"]
    assert abs(plan.summary["bonus_pool"] - expected_pool) <= 1
    assert (t["bonus_amount"] >= 0).all()
    budget = merit / 100 * t["base_salary"].sum()
    cost = (t["base_salary"] * t["merit_increase_pct"] / 100).sum()
    assert 0.95 * budget <= cost <= budget + 1e-6  # float summation order; far below a cent
    if scheme == "score_linear":
        return
    for band, rows in t.groupby("compa_band"):
        by_grade = rows.groupby("grade")["merit_increase_pct"].max()
        order = [g for g in client.settings.grade_names if g in by_grade.index]
        assert list(by_grade[order]) == sorted(by_grade[order], reverse=True), band


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_each_scheme_pays_what_the_comparison_says(world, scheme):
    client, scores = world
    plan = plan_rewards(client, scores, scheme=scheme)
    t = plan.table.set_index("employee_id")
    merit = (t["base_salary"] * t["merit_increase_pct"] / 100).round(2).fillna(0)
    paid = t["bonus_amount"].fillna(0) + merit
    compared = compare_schemes(client, scores).payouts.set_index("employee_id")[scheme]
    assert plan.summary["scheme"] == scheme
    assert paid.reindex(compared.index).to_numpy() == pytest.approx(compared.to_numpy(), abs=0.01)


def test_an_unknown_scheme_is_refused_by_name(world):
    with pytest.raises(ValueError, match="'scheme' parameter of plan_rewards"):
        plan_rewards(*world, scheme="lottery")


def test_promotion_candidates_meet_every_rule(world):
    client, scores = world
    t = plan_rewards(client, scores).table.merge(
        client.employees[["employee_id", "potential"]], on="employee_id"
    )
    chosen = t[t["promotion_candidate"]]
    assert (chosen["grade"] == "S").all()
    assert (chosen["potential"] == 3).all()
    assert (chosen["tenure_years"] >= 1).all()
    eligible = (t["grade"] == "S") & (t["potential"] == 3) & (t["tenure_years"] >= 1)
    assert eligible.sum() == len(chosen)


def test_missing_pay_columns_skip_with_a_note_not_a_crash():
    client, scores = build_world(30, 1, "zh", pay=False)
    plan = plan_rewards(client, scores)
    assert plan.table["merit_increase_pct"].isna().all()
    assert plan.table["bonus_amount"].isna().all()
    assert {f.code for f in plan.notes} == {"ANALYSIS_SKIPPED"}
    assert any("base_salary" in f.message for f in plan.notes)


def test_a_set_pool_without_salaries_is_shared_per_head_by_multiplier():
    client, scores = build_world(
        40, 2, "en", pay=False, settings={"rewards": {"bonus_pool": 100_000}}
    )
    t = plan_rewards(client, scores).table
    assert t["bonus_amount"].sum() == 100_000
    means = t.groupby("grade")["bonus_amount"].mean()
    assert means["S"] > means["B"] > means["D"] == 0


def test_custom_multipliers_from_settings_are_used():
    mult = {"S": 2.0, "A": 1.5, "B": 1.0, "C": 0.5, "D": 0.5}
    client, scores = build_world(50, 3, "en", settings={"rewards": {"bonus_multipliers": mult}})
    t = plan_rewards(client, scores).table
    assert t.set_index("grade")["bonus_multiplier"].groupby(level=0).first().to_dict() == mult
