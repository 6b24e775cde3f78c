"""Competency scores from ratings: relation means, rater weights, self kept aside."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.scoring import combine_scores, profile_competencies, score_competencies, to_hundred

WEIGHTS = {"manager": 0.5, "peer": 0.2, "report": 0.1, "customer": 0.1, "self": 0.1}
SCALE = {"min": 1, "max": 5}


def ratings(rows):
    return pd.DataFrame(
        rows, columns=["employee_id", "rater_id", "relation", "period", "competency", "score"]
    )


def test_absent_relations_are_renormalised():
    frame = ratings([("e", "m", "manager", "P", "c", 5.0), ("e", "p", "peer", "P", "c", 1.0)])
    out = score_competencies(frame, rater_weights=WEIGHTS, scale=SCALE)
    weighted = (0.5 * 5 + 0.2 * 1) / 0.7
    assert out["competency_score"].item() == pytest.approx(100 * (weighted - 1) / 4)


def test_self_is_out_unless_included():
    frame = ratings([("e", "m", "manager", "P", "c", 3.0), ("e", "e", "self", "P", "c", 5.0)])
    out = score_competencies(frame, rater_weights=WEIGHTS, scale=SCALE)
    assert out["competency_score"].item() == pytest.approx(50.0)
    assert out["self_score"].item() == pytest.approx(100.0)
    inc = score_competencies(frame, rater_weights=WEIGHTS, scale=SCALE, include_self=True)
    assert inc["competency_score"].item() == pytest.approx(
        100 * ((0.5 * 3 + 0.1 * 5) / 0.6 - 1) / 4
    )


def test_only_self_ratings_give_no_competency_score():
    frame = ratings([("e", "e", "self", "P", "c", 4.0)])
    out = score_competencies(frame, rater_weights=WEIGHTS, scale=SCALE)
    assert np.isnan(out["competency_score"].item()) and out["self_score"].item() == pytest.approx(
        75.0
    )


def test_relation_mean_not_rating_count_decides_the_weight():
    # three peers do not outweigh one manager: the relation mean is weighted, not each rating
    frame = ratings(
        [("e", "m", "manager", "P", "c", 5.0)]
        + [("e", f"p{i}", "peer", "P", "c", 1.0) for i in range(3)]
    )
    out = score_competencies(frame, rater_weights={"manager": 0.5, "peer": 0.5}, scale=SCALE)
    assert out["competency_score"].item() == pytest.approx(50.0)


def test_periods_and_employees_are_separate_and_nan_ignored():
    frame = ratings(
        [
            ("a", "m", "manager", "P1", "c", 5.0),
            ("a", "m", "manager", "P2", "c", 1.0),
            ("b", "m", "manager", "P1", "c", np.nan),
            ("b", "m", "manager", "P1", "d", 3.0),
        ]
    )
    out = score_competencies(frame, rater_weights=WEIGHTS, scale=SCALE).set_index(
        ["employee_id", "period"]
    )
    assert out["competency_score"].to_dict() == {
        ("a", "P1"): 100.0,
        ("a", "P2"): 0.0,
        ("b", "P1"): 50.0,
    }


def test_empty_ratings():
    out = score_competencies(ratings([]), rater_weights=WEIGHTS, scale=SCALE)
    assert out.empty and "competency_score" in out


def test_profile_per_competency():
    frame = ratings(
        [
            ("e", "m", "manager", "P", "x", 4.0),
            ("e", "p", "peer", "P", "x", 2.0),
            ("e", "m", "manager", "P", "y", 3.0),
            ("e", "e", "self", "P", "y", 5.0),
        ]
    )
    out = profile_competencies(frame, rater_weights=WEIGHTS).set_index("competency")
    assert out.loc["x", "score"] == pytest.approx((0.5 * 4 + 0.2 * 2) / 0.7)
    assert out.loc["y", "score"] == 3.0 and out.loc["y", "self_score"] == 5.0
    assert np.isnan(out.loc["x", "self_score"])


def test_scale_mapping_and_bad_scale():
    assert to_hundred([1, 4], (1, 4)).tolist() == [0.0, 100.0]
    with pytest.raises(ValueError, match="max > min"):
        to_hundred([1], {"min": 3, "max": 3})


def test_combine_scores_rules():
    mix = {"kpi": 0.7, "competency": 0.3}
    out = combine_scores([100.0, np.nan, 80.0, np.nan], [50.0, 40.0, np.nan, np.nan], score_mix=mix)
    assert out[0] == pytest.approx(85.0) and out[1] == 40.0 and out[2] == 80.0 and np.isnan(out[3])
    only_kpi = combine_scores(
        [100.0, np.nan], [50.0, 40.0], score_mix={"kpi": 1.0, "competency": 0.0}
    )
    assert only_kpi.tolist() == [100.0, 40.0]
