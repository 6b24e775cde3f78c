"""Grades: forced distribution by guideline shares, cutoffs, deterministic ties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.scoring import assign_grades, grade_counts
from perfkit.settings import DEFAULT_GRADES

NAMES = ["S", "A", "B", "C", "D"]


@pytest.mark.parametrize("n", [10, 20, 50, 100, 1000])
def test_shares_exact_when_divisible(n):
    rng = np.random.default_rng(n)
    frame = pd.DataFrame(
        {"employee_id": [f"{i:05d}" for i in range(n)], "score": rng.normal(70, 10, n)}
    )
    counts = assign_grades(frame, DEFAULT_GRADES).value_counts()
    assert [counts.get(g, 0) for g in NAMES] == [n // 10, n // 5, 2 * n // 5, n // 5, n // 10]


def test_best_scores_get_best_grades():
    frame = pd.DataFrame({"employee_id": list("abcdefghij"), "score": np.arange(10, 0, -1.0)})
    assert assign_grades(frame, DEFAULT_GRADES).tolist() == [
        "S",
        "A",
        "A",
        "B",
        "B",
        "B",
        "B",
        "C",
        "C",
        "D",
    ]


def test_counts_always_sum_to_n():
    for n in range(0, 40):
        counts = grade_counts(n, [0.1, 0.2, 0.4, 0.2, 0.1])
        assert counts.sum() == n and (counts >= 0).all()


def test_ties_broken_by_kpi_score_then_employee_id():
    frame = pd.DataFrame(
        {
            "employee_id": ["b", "a", "c", "d"],
            "score": [80.0] * 4,
            "kpi_score": [90.0, 90.0, 95.0, np.nan],
        }
    )
    grades = [
        {"grade": "A", "share": 0.25},
        {"grade": "B", "share": 0.25},
        {"grade": "C", "share": 0.5},
    ]
    assert assign_grades(frame, grades).tolist() == ["C", "B", "A", "C"]
    shuffled = frame.sample(frac=1, random_state=3)
    assert assign_grades(shuffled, grades).reindex(frame.index).tolist() == ["C", "B", "A", "C"]


def test_all_scores_equal_is_deterministic_by_id():
    frame = pd.DataFrame({"employee_id": [f"E{i}" for i in range(10)][::-1], "score": 50.0})
    grades = assign_grades(frame, DEFAULT_GRADES)
    assert grades[frame["employee_id"] == "E0"].item() == "S"
    assert grades[frame["employee_id"] == "E9"].item() == "D"


def test_nan_scores_get_no_grade_and_are_not_counted():
    frame = pd.DataFrame({"employee_id": list("abcde"), "score": [1.0, np.nan, 3.0, np.nan, 2.0]})
    grades = assign_grades(frame, [{"grade": "A", "share": 0.5}, {"grade": "B", "share": 0.5}])
    assert grades.isna().tolist() == [False, True, False, True, False]
    assert grades.dropna().tolist() == ["B", "A", "A"]


def test_cutoffs_by_min_score():
    grades = [
        {"grade": "A", "min_score": 90},
        {"grade": "B", "min_score": 70},
        {"grade": "C", "min_score": 50},
    ]
    out = assign_grades(pd.Series([95, 90, 89.9, 70, 10, np.nan]), grades)
    assert out.iloc[:5].tolist() == ["A", "A", "B", "B", "C"]
    assert pd.isna(out.iloc[5])


def test_empty_and_single():
    assert assign_grades(pd.DataFrame({"score": pd.Series(dtype=float)}), DEFAULT_GRADES).empty
    assert assign_grades(
        pd.DataFrame({"employee_id": ["x"], "score": [1.0]}), DEFAULT_GRADES
    ).tolist() == ["B"]


def test_bad_rules_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        assign_grades(pd.Series([1.0]), [{"grade": "A", "share": 0.5}])
    with pytest.raises(ValueError, match="every grade"):
        assign_grades(
            pd.Series([1.0]), [{"grade": "A", "share": 0.5}, {"grade": "B", "min_score": 1}]
        )
