"""The pattern features read from integer codes equal the row selections they replaced."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.patterns.features import _latest, _robust_scale, _self_gap

PERIODS = ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]


def reference_latest(frame: pd.DataFrame, current: str | None) -> pd.DataFrame:
    """The rows of the current period, or of the latest before it, as they used to be selected."""
    periods = sorted(
        p
        for p in frame["period"].dropna().astype(str).unique()
        if current is None or p <= str(current)
    )
    return frame[frame["period"].astype(str) == periods[-1]] if periods else frame.iloc[:0]


def reference_self_gap(ratings: pd.DataFrame, current: str | None):
    """Mean self-rating minus others' mean rating per employee, by pandas row selections."""
    rated = ratings[ratings["score"].notna()]
    is_self = rated["relation"].eq("self")
    if not is_self.any():
        return None, "the ratings hold no self-ratings"
    if is_self.all():
        return None, "the ratings hold only self-ratings"
    latest = reference_latest(rated, current)
    mine = latest[latest["relation"].eq("self")].groupby("employee_id")["score"].mean()
    others = latest[~latest["relation"].eq("self")].groupby("employee_id")["score"].mean()
    gap = (mine - others).dropna()
    if gap.empty:
        return gap, "no employee has both a self-rating and others' ratings in one period"
    gap.index = gap.index.astype(str)
    return gap, None


def random_ratings(seed: int, n: int) -> pd.DataFrame:
    """Ratings with missing ids, periods, relations and scores, and scores of any precision."""
    rng = np.random.default_rng(seed)

    def some_missing(values, share):
        values = np.asarray(values, dtype=object)
        values[rng.random(len(values)) < share] = None
        return values

    frame = pd.DataFrame(
        {
            "employee_id": some_missing(rng.choice(["E1", "E2", "E3", "E10", "E11"], n), 0.05),
            "relation": some_missing(rng.choice(["self", "manager", "peer"], n), 0.05),
            "period": some_missing(rng.choice(PERIODS, n), 0.1),
            "score": np.where(rng.random(n) < 0.1, np.nan, rng.normal(3, 1, n)),
        }
    )
    return frame.astype(
        {"employee_id": "str", "relation": "str", "period": "str", "score": "float64"}
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 80),
    current=st.sampled_from([None, "2024Q3", "2025Q1", "2025Q4", "2000Q1"]),
)
def test_latest_and_self_gap_equal_the_row_selections(seed, n, current):
    ratings = random_ratings(seed, n)
    rows = ratings["score"].notna().to_numpy()
    latest = _latest(ratings["period"], rows, current)
    expected = reference_latest(ratings[rows], current)
    assert np.flatnonzero(latest).tolist() == expected.index.tolist()

    gap, reason = _self_gap(ratings, current)
    expected_gap, expected_reason = reference_self_gap(ratings, current)
    assert (reason and reason[1]) == expected_reason
    if reason is None:
        pd.testing.assert_series_equal(
            gap.sort_index(), expected_gap.sort_index(), check_exact=True, check_names=False
        )


def test_robust_scale_equals_pandas_winsorising():
    rng = np.random.default_rng(3)
    raw = pd.DataFrame(
        {"a": rng.normal(70, 10, 500), "b": rng.standard_t(2, 500), "c": np.full(500, 4.0)},
        index=pd.Index([f"E{i}" for i in range(500)], name="employee_id"),
    )
    centre, scale = _robust_scale(raw)
    winsorised = raw.clip(raw.quantile(0.01), raw.quantile(0.99), axis=1)
    expected = winsorised.std()
    expected = expected.where(expected > 0, raw.std()).where(lambda s: s > 0, 1.0)
    pd.testing.assert_series_equal(centre, raw.median(), check_exact=True)
    pd.testing.assert_series_equal(scale, expected, check_exact=True)
    assert scale["c"] == pytest.approx(1.0)
