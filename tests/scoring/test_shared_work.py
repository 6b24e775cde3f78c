"""Work done once and shared gives what doing it each time gave: the references are the plain ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.scoring import (
    assign_grades,
    equate_single_parts,
    grade_counts,
    profile_competencies,
    score_and_profile_competencies,
    score_competencies,
)
from perfkit.scoring.composite import _mid_percentile
from perfkit.scoring.keys import encode_keys
from perfkit.scoring.performance import _equate_periods, _in_chosen_period, _Notes

WEIGHTS = {"manager": 0.5, "peer": 0.2, "report": 0.1, "customer": 0.1, "self": 0.1}
KEYS = ["employee_id", "rater_id", "relation", "period", "competency"]


def random_ratings(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "employee_id": rng.choice([f"e{i}" for i in range(30)], n),
            "rater_id": rng.choice([f"r{i}" for i in range(12)], n),
            "relation": rng.choice(["manager", "peer", "self", "report", "other"], n),
            "period": rng.choice(["2025Q2", "2025Q1", None], n, p=[0.5, 0.45, 0.05]),
            "competency": rng.choice(["x", "y", "z"], n),
            "score": np.where(rng.random(n) < 0.05, np.nan, rng.integers(1, 6, n).astype(float)),
        }
    ).astype({k: "str" for k in KEYS})
    frame["adjusted_score"] = frame["score"] + rng.normal(0, 0.3, n)
    return frame


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("encoded", [False, True])
@pytest.mark.parametrize("include_self", [False, True])
def test_score_and_profile_together_equal_the_two_calls(seed, encoded, include_self):
    ratings = random_ratings(seed)
    if encoded:
        ratings = encode_keys(ratings, KEYS)
    kw = dict(rater_weights=WEIGHTS, include_self=include_self)
    for calibrated in (None, "adjusted_score"):
        comp, profile = score_and_profile_competencies(
            ratings, scale=(1, 5), calibrated=calibrated, **kw
        )
        alone = score_competencies(ratings, scale=(1, 5), calibrated=calibrated, **kw)
        pd.testing.assert_frame_equal(comp, alone, check_exact=True)
        pd.testing.assert_frame_equal(
            profile, profile_competencies(ratings, **kw), check_exact=True
        )
    keys = comp[["employee_id", "period"]]
    assert keys.equals(keys.sort_values(["employee_id", "period"]))


def test_mid_percentile_of_values_in_any_order():
    rng = np.random.default_rng(0)
    reference = rng.integers(0, 50, 300).astype(float)
    values = rng.integers(-5, 55, 1000).astype(float)
    ordered = np.sort(reference)
    below = np.searchsorted(ordered, values, side="left")
    ties = np.searchsorted(ordered, values, side="right") - below
    expected = np.clip((below + ties / 2 - 0.5) / (len(ordered) - 1), 0.0, 1.0)
    assert np.array_equal(_mid_percentile(reference, values), expected)


def test_periods_short_of_reference_are_equated_in_one_pool():
    rng = np.random.default_rng(1)
    period = np.repeat(["P1", "P2", "P3"], [60, 30, 30])
    k = rng.normal(100, 10, len(period))
    c = rng.normal(50, 15, len(period))
    k[rng.random(len(period)) < 0.2] = np.nan
    c[(period != "P1") & (rng.random(len(period)) < 0.8)] = np.nan  # P2, P3: few with both
    parts = pd.DataFrame({"employee_id": [f"e{i}" for i in range(len(period))], "period": period})
    parts["kpi_score"], parts["competency_score"] = k, c
    both = np.isfinite(k) & np.isfinite(c)
    parts["score"] = np.where(both, (k + c) / 2, np.where(np.isfinite(k), k, c))
    cal = pd.Series(c + 1.0)
    parts["calibrated_score"] = np.where(both, (k + cal) / 2, np.where(np.isfinite(k), k, cal))
    # the plain way: every period on its own, against its own reference or the pooled one
    score = parts["score"].to_numpy().copy()
    calibrated = parts["calibrated_score"].to_numpy().copy()
    single = np.isfinite(k) ^ np.isfinite(c)
    for p in ("P1", "P2", "P3"):
        target, reference = single & (period == p), both & (period == p)
        if reference.sum() < 20:
            reference = both
        use = np.flatnonzero(reference | target)
        alone = target[use]
        score[use[alone]] = equate_single_parts(k[use], c[use], score[use])[alone]
        cal_use = cal.to_numpy()[use]
        calibrated[use[alone]] = equate_single_parts(k[use], cal_use, calibrated[use])[alone]
    out = _equate_periods(parts.copy(), cal, _Notes("en"))
    assert (both & (period == "P2")).sum() < 20 <= (both & (period == "P1")).sum()
    assert np.array_equal(out["score"].to_numpy(), score, equal_nan=True)
    assert np.array_equal(out["calibrated_score"].to_numpy(), calibrated, equal_nan=True)


@pytest.mark.parametrize("current", [None, "2025Q1", "2025Q3", "2024Q1"])
def test_chosen_period_rows(current):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "employee_id": rng.choice(["a", "b", "c", "d"], 40),
            "period": rng.choice(["2025Q1", "2025Q2", "2024Q4", "2025Q4"], 40),
        }
    ).astype("str")
    frame = frame.drop_duplicates().reset_index(drop=True)
    # the plain way: sort by employee, (current, before it, after it), period; keep the last
    rank = np.zeros(len(frame))
    if current is not None:
        rank = np.where(frame["period"] == current, 2, np.where(frame["period"] <= current, 1, 0))
    ordered = frame.assign(_rank=rank).sort_values(["employee_id", "_rank", "period"])
    chosen = ordered.drop_duplicates("employee_id", keep="last")[["employee_id", "period"]]
    expected = frame.merge(chosen).sort_values(["employee_id"], ignore_index=True)
    got = frame[_in_chosen_period(frame, current)].sort_values(["employee_id"], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("seed", range(5))
def test_grade_ties_are_broken_by_id_as_a_full_sort_would(seed):
    rng = np.random.default_rng(seed)
    n = 200
    frame = pd.DataFrame(
        {
            "employee_id": pd.Series(rng.permutation([f"e{i}" for i in range(n)]), dtype="str"),
            "score": rng.choice([60.0, 70.0, 80.0, np.nan], n),
            "kpi_score": rng.choice([90.0, 100.0, np.nan], n),
        }
    )
    shares = [0.2, 0.5, 0.3]
    grades = [{"grade": g, "share": s} for g, s in zip("ABC", shares, strict=True)]
    got = assign_grades(frame, grades)
    # the plain way: one full sort, ids included
    ok = frame["score"].notna().to_numpy()
    kpi = frame["kpi_score"].fillna(-np.inf).to_numpy()[ok]
    ids = frame["employee_id"].to_numpy()[ok].astype(str)
    order = np.lexsort((ids, -kpi, -frame["score"].to_numpy()[ok]))
    want = np.full(n, np.nan, dtype=object)
    want[np.flatnonzero(ok)[order]] = np.repeat(["A", "B", "C"], grade_counts(ok.sum(), shares))
    assert got.isna().tolist() == (~ok).tolist()
    assert got[ok].tolist() == want[ok].tolist()
