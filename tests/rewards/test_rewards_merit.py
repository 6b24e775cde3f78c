"""The merit matrix: 95–100% of the budget, never more, monotone in grade and compa-ratio band."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from perfkit.rewards import assign_bands, band_labels, fit_merit_matrix

GRADES = {"S": 1.5, "A": 1.25, "B": 1.0, "C": 0.5, "D": 0.0}
BANDS = [1.25, 1.0, 0.75]


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 400), budget_pct=st.floats(0.01, 15), seed=st.integers(0, 10_000))
def test_merit_cost_is_95_to_100_percent_of_the_budget_and_never_more(n, budget_pct, seed):
    rng = np.random.default_rng(seed)
    grades = pd.Series(rng.choice(list(GRADES), n))
    salaries = pd.Series(rng.uniform(3e4, 5e5, n).round(0))
    bands = assign_bands(pd.Series(rng.uniform(0.6, 1.4, n)), (0.9, 1.1))
    budget = budget_pct / 100 * salaries.sum()
    fit = fit_merit_matrix(
        grades, bands, salaries, budget=budget, grade_factors=GRADES, band_factors=BANDS
    )
    cost = float((salaries * fit.increase_pct / 100).sum())
    assert cost <= budget
    assert cost >= 0.95 * budget
    assert (fit.increase_pct >= 0).all()


@settings(max_examples=100, deadline=None)
@given(n=st.integers(5, 300), budget_pct=st.floats(0.5, 10), seed=st.integers(0, 10_000))
def test_a_better_grade_never_gets_less_in_the_same_band(n, budget_pct, seed):
    rng = np.random.default_rng(seed)
    grades = pd.Series(rng.choice(list(GRADES), n))
    salaries = pd.Series(rng.uniform(3e4, 5e5, n))
    bands = assign_bands(pd.Series(rng.uniform(0.6, 1.4, n)), (0.9, 1.1))
    fit = fit_merit_matrix(
        grades,
        bands,
        salaries,
        budget=budget_pct / 100 * salaries.sum(),
        grade_factors=GRADES,
        band_factors=BANDS,
    )
    m = fit.matrix.to_numpy()
    assert np.all(np.diff(m, axis=0) <= 0)  # down the grades
    assert np.all(np.diff(m, axis=1) <= 0)  # up the compa-ratio bands


def test_everyone_in_a_zero_factor_grade_gets_the_flat_budget():
    grades = pd.Series(["D"] * 4)
    salaries = pd.Series([1e5] * 4)
    fit = fit_merit_matrix(
        grades, pd.Series([1] * 4), salaries, budget=16000, grade_factors=GRADES, band_factors=BANDS
    )
    assert fit.increase_pct.tolist() == [4.0] * 4


def test_people_without_salary_or_grade_get_no_increase():
    grades = pd.Series(["S", None, "B"])
    salaries = pd.Series([1e5, 1e5, np.nan])
    fit = fit_merit_matrix(
        grades,
        pd.Series([1, 1, 1]),
        salaries,
        budget=4000,
        grade_factors=GRADES,
        band_factors=BANDS,
    )
    assert fit.increase_pct.isna().tolist() == [False, True, True]
    assert fit.cost <= 4000


def test_band_labels_and_assignment():
    assert band_labels((0.9, 1.1)) == ["<0.90", "0.90–1.10", "≥1.10"]
    assert assign_bands(pd.Series([0.8, 0.9, 1.05, 1.1, np.nan]), (0.9, 1.1)).tolist() == [
        0,
        1,
        1,
        2,
        1,
    ]
