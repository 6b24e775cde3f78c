"""docs/scoring.md §7, reproduced number by number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.scoring import RaterEffects, compute_attainment, score_kpis, score_performance

KPIS = pd.DataFrame(
    {
        "kpi_id": ["K1", "K2", "K3"],
        "name": ["revenue", "days sales outstanding", "on-time delivery"],
        "role": "sales",
        "weight": [50.0, 30.0, 20.0],
        "target": [100.0, 40.0, 90.0],
        "direction": ["higher", "lower", "higher"],
        "threshold": [np.nan, np.nan, 80.0],
        "stretch": [np.nan, np.nan, 100.0],
    }
)
RATINGS = pd.DataFrame(
    [
        ("E001", "E001", "self", 5, 4),
        ("E001", "M01", "manager", 4, 3),
        ("E001", "P01", "peer", 4, 4),
        ("E001", "P02", "peer", 3, 5),
        ("E001", "R01", "report", 3, 2),
    ],
    columns=["employee_id", "rater_id", "relation", "沟通", "执行"],
).melt(id_vars=["employee_id", "rater_id", "relation"], var_name="competency", value_name="score")
RATINGS["score"] = RATINGS["score"].astype(float)
RATINGS["period"] = "2025Q4"


def _results(actuals: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": "E001",
            "kpi_id": list(actuals),
            "period": "2025Q4",
            "actual": list(actuals.values()),
        }
    )


def _attainment(actuals: dict[str, float]) -> pd.Series:
    frame = compute_attainment(_results(actuals), KPIS, floor=0.0, cap=1.2)
    return frame.set_index("kpi_id")["attainment"]


@pytest.fixture
def scores(make_client):
    employees = pd.DataFrame({"employee_id": ["E001"], "department": ["销售部"], "role": ["sales"]})
    tables = {
        "employees": employees,
        "kpis": KPIS,
        "results": _results({"K1": 110, "K2": 44, "K3": 95}),
        "ratings": RATINGS,
    }
    return score_performance(make_client(tables))


def test_attainment_of_each_kpi():
    att = _attainment({"K1": 110, "K2": 44, "K3": 95})
    assert att["K1"] == pytest.approx(110 / 100)  # 1.10
    assert att["K2"] == pytest.approx(2 - 44 / 40)  # 0.90
    assert att["K3"] == pytest.approx(1 + 0.2 * 5 / 10)  # 1.10


def test_variants_threshold_stretch_and_zero():
    assert _attainment({"K3": 78})["K3"] == 0.0
    assert _attainment({"K3": 105})["K3"] == pytest.approx(1.2)
    assert _attainment({"K2": 0})["K2"] == pytest.approx(1.2)


def test_kpi_score_and_renormalised_weights():
    full = score_kpis(
        compute_attainment(_results({"K1": 110, "K2": 44, "K3": 95}), KPIS, floor=0, cap=1.2)
    )
    assert full["kpi_score"].item() == pytest.approx(104.0)
    partial = score_kpis(
        compute_attainment(_results({"K1": 110, "K3": 95}), KPIS, floor=0, cap=1.2)
    )
    assert partial["kpi_score"].item() == pytest.approx(100 * (50 * 1.1 + 20 * 1.1) / 70)
    assert partial["kpi_score"].item() == pytest.approx(110.0)


def test_competency_score_self_score_and_composite(scores):
    row = scores.employees.set_index("employee_id").loc["E001"]
    assert row["kpi_score"] == pytest.approx(104.0)
    assert row["competency_score"] == pytest.approx(62.5)
    assert row["score"] == pytest.approx(91.55)
    assert scores.by_period.set_index("employee_id").loc["E001", "self_score"] == pytest.approx(
        87.5
    )


def test_calibration_leaves_the_one_person_example_alone(scores):
    row = scores.employees.set_index("employee_id").loc["E001"]
    assert (
        row["calibrated_score"] == pytest.approx(91.55) and row["calibrated_grade"] == row["grade"]
    )
    assert list(scores.rater_effects.excluded_raters_) == ["M01", "P01", "P02", "R01"]
    assert any(n.subject == "评分校准" for n in scores.notes)


def test_per_competency_profile(scores):
    profile = scores.competencies.set_index("competency")
    assert profile.loc["沟通", "score"] == pytest.approx(3.75)
    assert profile.loc["执行", "score"] == pytest.approx(3.25)
    assert profile.loc["沟通", "self_score"] == 5.0


def test_calibration_minimal_case():
    ratings = pd.DataFrame(
        {
            "employee_id": ["A", "B", "A", "B"],
            "rater_id": ["M", "M", "N", "N"],
            "relation": "peer",
            "period": "P1",
            "competency": "c",
            "score": [4.0, 5.0, 3.0, 4.0],
        }
    )
    plain = RaterEffects(alpha=0).fit(ratings)
    assert plain.rater_effects_["M"] == pytest.approx(0.5)
    assert plain.rater_effects_["N"] == pytest.approx(-0.5)
    assert plain.ratee_effects_[("A", "P1")] == pytest.approx(3.5)
    assert plain.ratee_effects_[("B", "P1")] == pytest.approx(4.5)
    shrunk = RaterEffects().fit(ratings)
    assert shrunk.rater_effects_["M"] == pytest.approx(1 / 3)
    assert shrunk.rater_effects_["N"] == pytest.approx(-1 / 3)
