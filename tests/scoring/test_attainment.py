"""KPI attainment and the KPI score: formulas, messy rows, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfkit.scoring import attain, compute_attainment, expected_kpis, score_kpis

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


def one(actual, target, sign=1, threshold=np.nan, stretch=np.nan, floor=0.0, cap=1.2):
    return attain([actual], [target], [sign], [threshold], [stretch], floor=floor, cap=cap)[0]


def test_higher_and_lower_base_formulas():
    assert one(80, 100) == pytest.approx(0.8)
    assert one(80, 100, -1) == pytest.approx(1.2)  # 2 - 0.8, at the cap
    assert one(110, 100, -1) == pytest.approx(0.9)
    assert one(300, 100, -1) == 0.0  # 2 - 3 = -1, clipped to the floor


def test_negative_target_keeps_direction():
    assert one(-50, -100) == pytest.approx(1.2)  # 1.5, at the cap
    assert one(-150, -100) == pytest.approx(0.5)


def test_threshold_and_stretch_lower_is_better():
    # target 10 days, threshold 15 (worse side), stretch 5 (better side)
    assert one(16, 10, -1, threshold=15, stretch=5) == 0.0
    assert one(12, 10, -1, threshold=15, stretch=5) == pytest.approx(0.8)
    assert one(7.5, 10, -1, threshold=15, stretch=5) == pytest.approx(1.1)
    assert one(2, 10, -1, threshold=15, stretch=5) == pytest.approx(1.2)


def test_threshold_or_stretch_on_the_wrong_side_is_ignored():
    assert one(95, 100, threshold=110) == pytest.approx(0.95)
    assert one(105, 100, stretch=90) == pytest.approx(1.05)


def test_floor_applies_below_threshold():
    assert one(50, 100, threshold=60, floor=0.5) == 0.5


def test_missing_or_zero_target_and_missing_actual_are_unscored():
    assert np.isnan(one(50, 0))
    assert np.isnan(one(50, np.nan))
    assert np.isnan(one(np.nan, 100))


def test_bounds_are_checked():
    with pytest.raises(ValueError, match="floor < cap"):
        one(1, 1, floor=1.0, cap=1.0)


@settings(max_examples=200, deadline=None)
@given(
    actual=finite,
    target=st.one_of(positive, finite),
    sign=st.sampled_from([1, -1]),
    floor=st.floats(0, 0.5),
    cap=st.floats(0.8, 2.0),
)
def test_attainment_within_floor_and_cap(actual, target, sign, floor, cap):
    value = one(actual, target, sign, floor=floor, cap=cap)
    assert np.isnan(value) or floor <= value <= cap
    assert np.isnan(value) == (target == 0)


@settings(max_examples=200, deadline=None)
@given(
    a=finite,
    b=finite,
    target=positive,
    threshold=st.one_of(st.just(np.nan), positive),
    stretch=st.one_of(st.just(np.nan), positive),
)
def test_monotone_for_higher_and_antitone_for_lower(a, b, target, threshold, stretch):
    lo, hi = min(a, b), max(a, b)
    assert one(lo, target, 1, threshold, stretch) <= one(hi, target, 1, threshold, stretch) + 1e-12
    assert (
        one(lo, target, -1, threshold, stretch) >= one(hi, target, -1, threshold, stretch) - 1e-12
    )


KPIS = pd.DataFrame(
    {
        "kpi_id": ["S1", "S2", "ALL", "NOTARGET", "ZERO"],
        "name": ["a", "b", "c", "d", "e"],
        "role": ["sales", "sales", "*", "sales", "ops"],
        "weight": [60.0, 40.0, 0.0, 10.0, np.nan],
        "target": [100.0, 10.0, 1.0, np.nan, 50.0],
        "direction": ["higher", "lower", "higher", "higher", "higher"],
    }
)
EMPLOYEES = pd.DataFrame(
    {"employee_id": ["e1", "e2", "e3"], "department": "d", "role": ["sales", np.nan, "ops"]}
).astype({"role": "str"})


def test_statuses_roles_and_columns():
    results = pd.DataFrame(
        {
            "employee_id": ["e1", "e1", "e1", "e1", "e2", "e3"],
            "kpi_id": ["S1", "S2", "NOTARGET", "GHOST", "ALL", "S1"],
            "period": "P1",
            "actual": [120.0, np.nan, 5.0, 1.0, 2.0, 90.0],
        }
    )
    att = compute_attainment(results, KPIS, floor=0, cap=1.2, employees=EMPLOYEES)
    assert list(att.columns[:8]) == [
        "employee_id",
        "kpi_id",
        "period",
        "actual",
        "target",
        "direction",
        "weight",
        "threshold",
    ]
    assert att["status"].tolist() == [
        "scored",
        "no_actual",
        "no_target",
        "unknown_kpi",
        "scored",
        "scored",
    ]
    assert att["on_role"].tolist() == [True, True, True, False, True, False]
    assert att["attainment"].iloc[0] == pytest.approx(1.2)
    assert att["attainment"].iloc[5] == pytest.approx(0.9)  # off-role result, still scored


def test_score_kpis_renormalises_and_reports_partial_coverage():
    results = pd.DataFrame(
        {
            "employee_id": ["e1", "e1", "e1"],
            "kpi_id": ["S1", "S2", "S1"],
            "period": ["P1", "P1", "P2"],
            "actual": [100.0, 12.0, 110.0],
        }
    )
    att = compute_attainment(results, KPIS, floor=0, cap=1.2, employees=EMPLOYEES)
    kpi = score_kpis(att, KPIS, employees=EMPLOYEES).set_index("period")
    assert kpi.loc["P1", "kpi_score"] == pytest.approx(100 * (60 * 1.0 + 40 * 0.8) / 100)
    assert kpi.loc["P2", "kpi_score"] == pytest.approx(110.0)
    assert not kpi.loc["P1", "partial"] and kpi.loc["P2", "partial"]
    assert kpi.loc["P2", "weight_share"] == pytest.approx(0.6)
    assert kpi.loc["P1", "n_expected"] == 2  # ALL weighs 0, NOTARGET has no target


def test_all_zero_weights_fall_back_to_the_plain_mean():
    results = pd.DataFrame(
        {"employee_id": ["e2"], "kpi_id": ["ALL"], "period": ["P1"], "actual": [0.5]}
    )
    kpi = score_kpis(compute_attainment(results, KPIS, floor=0, cap=1.2))
    assert kpi["kpi_score"].item() == pytest.approx(50.0)


def test_empty_and_all_nan_results():
    empty = pd.DataFrame(
        {
            "employee_id": pd.Series(dtype="str"),
            "kpi_id": pd.Series(dtype="str"),
            "period": pd.Series(dtype="str"),
            "actual": pd.Series(dtype="float64"),
        }
    )
    assert compute_attainment(empty, KPIS).empty
    assert score_kpis(compute_attainment(empty, KPIS)).empty
    nan = pd.DataFrame(
        {"employee_id": ["e1"], "kpi_id": ["S1"], "period": ["P1"], "actual": [np.nan]}
    )
    assert score_kpis(compute_attainment(nan, KPIS)).empty


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="actual"):
        compute_attainment(
            pd.DataFrame({"employee_id": ["e1"], "kpi_id": ["S1"], "period": ["P1"]}), KPIS
        )


def test_expected_kpis_by_role_and_star():
    expected = expected_kpis(EMPLOYEES, KPIS)
    assert sorted(expected.loc[expected["employee_id"] == "e1", "kpi_id"]) == ["S1", "S2"]
    assert expected.loc[expected["employee_id"] == "e2"].empty  # no role, and the * KPI weighs 0


def test_kpi_matrix_agrees_with_score_kpis():
    from perfkit.scoring import score_kpi_matrix

    rng = np.random.default_rng(5)
    att = rng.uniform(0, 1.2, (30, 4))
    att[rng.random((30, 4)) < 0.2] = np.nan
    weights = np.array([40.0, 30.0, 0.0, 30.0])
    long = pd.DataFrame(
        {
            "employee_id": np.repeat([f"e{i:02d}" for i in range(30)], 4),
            "period": "P",
            "kpi_id": np.tile(["a", "b", "c", "d"], 30),
            "weight": np.tile(weights, 30),
            "attainment": att.ravel(),
        }
    )
    by_rows = score_kpis(long).set_index("employee_id")["kpi_score"]
    matrix = pd.Series(score_kpi_matrix(att, weights), index=[f"e{i:02d}" for i in range(30)])
    assert np.allclose(matrix.dropna(), by_rows.reindex(matrix.dropna().index))
