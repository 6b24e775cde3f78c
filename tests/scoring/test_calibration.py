"""Calibration: planted rater effects are recovered; calibrated scores and grade changes follow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from perfkit.scoring import RaterEffects, calibrate_ratings, grade_changes, score_performance

COMPETENCIES = [f"c{i}" for i in range(6)]


def synthetic_360(n=240, seed=7, lenient="M01", severe="M02", self_bias=1.0, peers=5):
    """Managers of 12 people each, 5 random peers each; a +1 and a -1 manager planted."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"E{i:04d}" for i in range(n)])
    managers = np.array([f"M{1 + i // 12:02d}" for i in range(n)])
    truth = rng.normal(3.0, 0.6, n)
    bias = {lenient: 1.0, severe: -1.0}
    rows = []
    for i, eid in enumerate(ids):
        raters = [(managers[i], "manager")] + [
            (p, "peer") for p in rng.choice(np.delete(ids, i), peers, replace=False)
        ]
        raters.append((eid, "self"))
        for rater, relation in raters:
            shift = bias.get(rater, 0.0) + (self_bias if relation == "self" else 0.0)
            for comp in COMPETENCIES:
                rows.append(
                    (eid, rater, relation, "2025Q4", comp, truth[i] + shift + rng.normal(0, 0.5))
                )
    ratings = pd.DataFrame(
        rows, columns=["employee_id", "rater_id", "relation", "period", "competency", "score"]
    )
    employees = pd.DataFrame(
        {"employee_id": ids, "department": "D", "role": "r", "manager_id": managers}
    )
    return employees, ratings, pd.Series(truth, index=ids)


def test_recovers_planted_lenient_and_severe_managers():
    _, ratings, _ = synthetic_360()
    model = RaterEffects().fit(ratings)
    effects = model.rater_effects_
    assert effects["M01"] == pytest.approx(1.0, abs=0.15)
    assert effects["M02"] == pytest.approx(-1.0, abs=0.15)
    others = effects.drop(["M01", "M02"])
    assert others.std() < 0.2  # clean raters sit near 0
    assert others[others.index.str.startswith("M")].abs().max() < 0.3
    assert abs(effects.mean()) < 1e-8  # identified by centring
    assert model.n_components_ == 1 and model.residual_sd_ == pytest.approx(0.5, abs=0.1)


def test_self_ratings_are_out_of_the_fit():
    _, ratings, _ = synthetic_360(self_bias=2.0)
    model = RaterEffects().fit(ratings)
    with_self = RaterEffects(include_self=True, min_ratees=1).fit(ratings)
    assert model.rater_effects_["M01"] == pytest.approx(1.0, abs=0.15)
    left_out = ratings["rater_id"].isin(model.excluded_raters_)
    assert model.n_ratings_.sum() == ((ratings["relation"] != "self") & ~left_out).sum()
    assert with_self.n_ratings_.sum() == len(ratings)


def test_ratee_effects_track_truth():
    _, ratings, truth = synthetic_360()
    ratee = RaterEffects().fit(ratings).ratee_effects_.droplevel("period")
    assert np.corrcoef(ratee.reindex(truth.index), truth)[0, 1] > 0.9


def test_transform_removes_the_effect_and_keeps_self():
    _, ratings, _ = synthetic_360()
    out = calibrate_ratings(ratings)
    lenient = out[out["rater_id"] == "M01"]
    assert (lenient["adjusted_score"] < lenient["score"]).all()
    selfs = out[out["relation"] == "self"]
    assert (selfs["adjusted_score"] == selfs["score"]).all()


def test_estimator_conventions():
    model = RaterEffects(alpha=2.0, per_period=False)
    assert model.get_params()["alpha"] == 2.0
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "rater_effects_")
    with pytest.raises(ValueError, match="not fitted"):
        model.transform(pd.DataFrame({"rater_id": ["x"], "score": [1.0]}))
    with pytest.raises(ValueError, match="alpha"):
        RaterEffects(alpha=-1).fit(
            pd.DataFrame({"employee_id": ["a"], "rater_id": ["b"], "score": [1.0]})
        )


def test_disconnected_groups_are_centred_separately():
    ratings = pd.DataFrame(
        {
            "employee_id": ["A", "A", "B", "B"],
            "rater_id": ["M", "N", "P", "Q"],
            "relation": "peer",
            "period": "P",
            "score": [5.0, 3.0, 2.0, 2.0],
        }
    )
    model = RaterEffects(alpha=0, min_ratees=1).fit(ratings)
    assert model.n_components_ == 2
    assert model.rater_effects_.to_dict() == pytest.approx(
        {"M": 1.0, "N": -1.0, "P": 0.0, "Q": 0.0}
    )


def test_calibrated_scores_and_grade_changes(make_client):
    employees, ratings, _ = synthetic_360()
    scores = score_performance(make_client({"employees": employees, "ratings": ratings}))
    emp = scores.employees.set_index("employee_id")
    team = employees.loc[employees["manager_id"] == "M01", "employee_id"]
    assert (emp.loc[team, "calibrated_score"] < emp.loc[team, "score"]).all()
    changes = scores.grade_changes
    assert list(changes.columns) == [
        "employee_id",
        "department",
        "grade",
        "calibrated_grade",
        "score",
        "calibrated_score",
    ]
    assert len(changes) > 0 and (changes["grade"] != changes["calibrated_grade"]).all()
    assert changes.equals(grade_changes(scores))
    assert set(team) & set(changes["employee_id"])  # the lenient manager's people move
    assert scores.rater_effects.rater_effects_["M01"] == pytest.approx(1.0, abs=0.15)


def test_no_ratings_no_changes():
    frame = pd.DataFrame(
        {
            "employee_id": ["a"],
            "grade": ["A"],
            "calibrated_grade": ["A"],
            "score": [1.0],
            "calibrated_score": [1.0],
        }
    )
    assert grade_changes(frame).empty


def test_raters_of_a_single_person_are_left_out():
    ratings = pd.DataFrame(
        {
            "employee_id": ["A", "B", "A", "B", "A"],
            "rater_id": ["M", "M", "N", "N", "X"],
            "relation": "peer",
            "period": "P",
            "score": [4.0, 5.0, 3.0, 4.0, 1.0],
        }
    )
    model = RaterEffects(alpha=0).fit(ratings)
    assert list(model.excluded_raters_) == ["X"]
    assert model.rater_effects_.to_dict() == pytest.approx({"M": 0.5, "N": -0.5})
    assert calibrate_ratings(ratings)["adjusted_score"].iloc[4] == 1.0
    assert list(RaterEffects(alpha=0, min_ratees=1).fit(ratings).excluded_raters_) == []
    assert list(RaterEffects(alpha=0, min_ratees=3).fit(ratings).excluded_raters_) == [
        "M",
        "N",
        "X",
    ]
