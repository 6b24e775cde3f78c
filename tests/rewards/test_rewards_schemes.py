"""Scheme comparison: at least three schemes, a recommendation, and its fairness check."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from perfkit.rewards import compare_schemes
from perfkit.rewards.schemes import prepare_schemes
from perfkit.settings import parse_settings
from tests.plans.world import build_world


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


def _same_comparison(a, b):
    for part in ("table", "impact", "payouts"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part), check_exact=True)
    assert (a.recommended, a.reasons) == (b.recommended, b.reasons)
    assert [n.code for n in a.notes] == [n.code for n in b.notes]


@pytest.mark.parametrize("seed", [3, 11])
def test_prepared_inputs_give_the_same_comparison_as_reading_them_again(seed):
    """A workshop prepares the people once and moves budgets and multipliers: same results."""
    client, scores = build_world(120, seed, "en")
    prepared = prepare_schemes(client, scores)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        data = client.settings.model_dump(mode="json")
        curve = np.sort(rng.uniform(0, 2.5, len(client.settings.grade_names)))[::-1].round(2)
        data["rewards"].update(
            bonus_pool=float(rng.integers(0, 2_000_000)),
            merit_budget_pct=round(float(rng.uniform(0, 10)), 1),
            bonus_multipliers=dict(zip(client.settings.grade_names, curve.tolist(), strict=True)),
        )
        moved = dataclasses.replace(client, settings=parse_settings(data, source="test"))
        _same_comparison(
            compare_schemes(moved, scores, prepared=prepared), compare_schemes(moved, scores)
        )
    no_groups = prepare_schemes(client, scores, groups=["absent"])
    _same_comparison(
        compare_schemes(client, scores, groups=["absent"], prepared=no_groups),
        compare_schemes(client, scores, groups=["absent"]),
    )
    with pytest.raises(ValueError, match="prepared"):
        compare_schemes(client, scores, groups=["gender"], prepared=prepared)
