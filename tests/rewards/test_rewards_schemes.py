"""Scheme comparison: at least three schemes, a recommendation, and its fairness check."""

import numpy as np
from tests.plans.world import build_world

from perfkit.rewards import compare_schemes


def test_at_least_three_schemes_with_a_recommended_one(world):
    result = compare_schemes(*world)
    assert len(result.table) >= 3
    assert result.table["recommended"].sum() == 1
    assert result.recommended in set(result.table["scheme"])
    assert result.table["within_budget"].all()
    assert (result.table["cost"] <= result.table["budget"]).all()
    assert "推荐" in result.reasons
    flat = result.table.set_index("scheme").loc["flat"]
    assert flat["differentiation"] == 1.0 and not flat["adverse_impact"]
    assert set(result.impact["group_column"]) == {"gender", "location"}


def test_schemes_that_tie_pay_to_performance_score_higher_than_flat(world):
    table = compare_schemes(*world).table.set_index("scheme")
    assert table.loc["score_linear", "pay_for_performance"] > 0.9
    assert table.loc["forced_distribution", "differentiation"] > 1.0


def test_planted_adverse_impact_steers_the_recommendation_to_a_fair_scheme():
    client, scores = build_world(200, 5, "en")
    women = client.employees.set_index("employee_id")["gender"] == "F"
    scores.employees["score"] = scores.employees["score"] - 30 * scores.employees[
        "employee_id"
    ].map(women).astype(float)
    ranked = scores.employees["score"].rank(ascending=False, pct=True)
    scores.employees["grade"] = np.select(
        [ranked <= 0.1, ranked <= 0.3, ranked <= 0.7, ranked <= 0.9], ["S", "A", "B", "C"], "D"
    )
    result = compare_schemes(client, scores)
    table = result.table.set_index("scheme")
    assert table.loc["forced_distribution", "adverse_impact"]
    assert table.loc["forced_distribution", "worst_group"] == "gender:F"
    assert not table.loc[result.recommended, "adverse_impact"]
    assert "adverse impact" in result.reasons


def test_no_pay_data_skips_the_comparison_with_a_note():
    client, scores = build_world(20, 1, "zh", pay=False)
    result = compare_schemes(client, scores)
    assert result.recommended is None and result.table.empty
    assert result.notes[0].code == "ANALYSIS_SKIPPED"
