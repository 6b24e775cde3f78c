"""build_features: level, trend, volatility, gaps and perspectives, with notes on what was dropped."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import PerfkitError
from perfkit.intake import Client
from perfkit.patterns import build_features
from perfkit.patterns.features import read_period_unit
from perfkit.settings import EngagementSettings
from tests.patterns.conftest import make_planted


def small(scores_by_period: dict[str, list[float]], lang="en", ratings=None, competency=None):
    """A client and scores from each employee's score per period."""
    periods = [f"2024Q{q}" for q in range(1, 5)]
    rows = [
        {"employee_id": e, "period": p, "score": s}
        for e, values in scores_by_period.items()
        for p, s in zip(periods, values, strict=False)
        if s is not None
    ]
    by_period = pd.DataFrame(rows)
    last = by_period.sort_values("period").groupby("employee_id").last().reset_index()
    employees = last[["employee_id", "score"]].assign(
        department="D",
        kpi_score=last["score"],
        competency_score=competency if competency is not None else last["score"],
    )
    tables = {"employees": employees[["employee_id", "department"]]}
    if ratings is not None:
        tables["ratings"] = ratings
    client = Client("c", Path("."), EngagementSettings(language=lang), tables)
    return client, SimpleNamespace(by_period=by_period, employees=employees, attainment=None)


def test_trend_is_the_ols_slope_and_volatility_the_residual_sd():
    client, scores = small(
        {
            "A": [60, 70, 80, 90],
            "B": [80, 80, 80, 80],
            "C": [70, 74, 70, 74],
            "D": [90, 80, None, 60],
        }
    )
    features = build_features(client, scores).frame.set_index("employee_id")
    assert features.loc["A", "trend"] == pytest.approx(10.0)
    assert features.loc["A", "volatility"] == pytest.approx(0.0, abs=1e-9)
    assert features.loc["B", "trend"] == pytest.approx(0.0)
    assert features.loc["C", "trend"] == pytest.approx(
        np.polyfit([0, 1, 2, 3], [70, 74, 70, 74], 1)[0]
    )
    residual = np.array([70, 74, 70, 74]) - np.polyval(
        np.polyfit([0, 1, 2, 3], [70, 74, 70, 74], 1), [0, 1, 2, 3]
    )
    assert features.loc["C", "volatility"] == pytest.approx(np.sqrt((residual**2).sum() / 2))
    # a missing period: the slope over the periods present, on their true positions
    assert features.loc["D", "trend"] == pytest.approx(np.polyfit([0, 1, 3], [90, 80, 60], 1)[0])
    assert features.loc["A", "average"] == pytest.approx(75.0)
    assert features.loc["A", "level"] == pytest.approx(90.0)


def test_one_period_drops_trend_and_volatility_with_a_note_in_each_language():
    for lang, words in (
        ("en", "The feature 'score trend' was not used"),
        ("zh", "未使用特征“得分趋势”"),
    ):
        client, scores = small(
            {e: [v, None, None, None] for e, v in zip("ABCDE", [50, 60, 70, 80, 90], strict=True)},
            lang=lang,
        )
        scores.by_period = scores.by_period[scores.by_period["period"] == "2024Q1"]
        features = build_features(client, scores)
        assert {"trend", "volatility", "average"} <= set(features.dropped)
        assert "trend" not in features.columns and "level" in features.columns
        assert any(words in note for note in features.notes)


def test_no_ratings_drops_the_self_gap():
    client, scores = small({"A": [60, 70, 80, 90], "B": [80, 80, 80, 80], "C": [70, 74, 70, 74]})
    features = build_features(client, scores)
    assert features.dropped["self_gap"] == "the client has no ratings table"
    assert "self_gap" not in features.frame


def test_self_gap_is_mean_self_minus_mean_others_in_the_latest_period():
    ratings = pd.DataFrame(
        {
            "employee_id": ["A", "A", "A", "B", "B", "A"],
            "rater_id": ["A", "M", "P", "B", "M", "M"],
            "relation": ["self", "manager", "peer", "self", "manager", "manager"],
            "period": ["2024Q4"] * 5 + ["2024Q3"],
            "competency": "c",
            "score": [5.0, 3.0, 4.0, 3.0, 3.5, 1.0],
        }
    )
    client, scores = small(
        {"A": [60, 70, 80, 90], "B": [80, 80, 80, 80], "C": [70, 74, 70, 74]}, ratings=ratings
    )
    features = build_features(client, scores)
    frame = features.frame.set_index("employee_id")
    assert frame.loc["A", "self_gap"] == pytest.approx(1.5)
    assert frame.loc["B", "self_gap"] == pytest.approx(-0.5)
    # C has no ratings: it gets the median, and the notes count it
    assert features.imputed["self_gap"] == 1
    assert frame.loc["C", "self_gap"] == pytest.approx(0.5)
    assert any("1 of 3 employees had no 'self-vs-others gap'" in n for n in features.notes)


def test_perspective_attainment_and_the_missing_learning_perspective(planted):
    client, scores, _ = planted
    features = build_features(client, scores)
    assert {"attainment_financial", "attainment_customer", "attainment_process"} <= set(
        features.columns
    )
    assert "attainment_learning" in features.dropped
    frame = features.frame.set_index("employee_id")
    first = scores.attainment[
        (scores.attainment["employee_id"] == frame.index[0]) & (scores.attainment["kpi_id"] == "K1")
    ]
    assert frame.iloc[0]["attainment_financial"] == pytest.approx(first["attainment"].iloc[0] * 100)


def test_standardised_values_are_clipped_and_centred_on_the_median(planted):
    client, scores, _ = planted
    scores.employees.loc[0, "score"] = 10_000.0
    features = build_features(client, scores, clip=2.5)
    z = features.standardised
    assert z.abs().max().max() <= 2.5
    assert z.loc[scores.employees.loc[0, "employee_id"], "level"] == 2.5
    assert z.median().abs().max() < 0.05
    # one outlier does not shrink everyone else to zero
    assert z["level"].std() > 0.5


def test_a_feature_known_for_too_few_is_dropped():
    client, scores = small(
        {"A": [60, 70, 80, 90], "B": [80, 80, 80, 80], "C": [70, 74, 70, 74]},
        competency=[np.nan, np.nan, 50.0],
    )
    features = build_features(client, scores)
    assert features.dropped["kpi_competency_gap"] == "known for 1 of 3 employees only"


def test_no_score_at_all_is_a_perfkit_error():
    client, scores = small({"A": [60, 70, 80, 90]})
    scores.employees["score"] = np.nan
    with pytest.raises(PerfkitError, match="no employee has a score"):
        build_features(client, scores)


@pytest.mark.parametrize(
    "periods, unit",
    [
        (["2025Q1", "2025Q2"], "quarter"),
        (["2025-01", "2025-02"], "month"),
        (["FY2024", "FY2025"], "year"),
        (["2024H1", "2024H2"], "half"),
        (["round 1", "round 2"], "period"),
        (["2025", "2026"], "year"),
    ],
)
def test_period_unit(periods, unit):
    assert read_period_unit(periods) == unit


def test_current_period_limits_the_trend():
    client, scores, _ = make_planted(n=60)
    client.settings = client.settings.model_copy(update={"current_period": "2025Q3"})
    features = build_features(client, scores)
    assert features.periods == ["2025Q1", "2025Q2", "2025Q3"]


def test_trend_follows_the_kpi_score_when_ratings_cover_fewer_periods():
    """360° ratings in the last two quarters only: the composite jumps there, the KPI score does not."""
    client, scores, _ = make_planted(n=80, lang="en")
    bp = scores.by_period
    early = bp["period"].isin(["2025Q1", "2025Q2"])
    bp.loc[early, "competency_score"] = float("nan")
    bp.loc[~early, "competency_score"] -= 40.0  # a lower-centred scale, as rating scales often are
    bp["score"] = (0.7 * bp["kpi_score"] + 0.3 * bp["competency_score"]).fillna(bp["kpi_score"])
    features = build_features(client, scores)
    assert features.trend_source == "kpi_score"
    assert any(
        "KPI results cover 4 periods and competency ratings 2" in note for note in features.notes
    )
    frame = features.frame.set_index("employee_id")
    expected = np.polyfit(range(4), bp[bp["employee_id"] == "E00000"]["kpi_score"], 1)[0]
    assert frame.loc["E00000", "trend"] == pytest.approx(expected)
    assert abs(frame["trend"].median()) < 1.5


def test_employees_without_a_score_are_left_out_with_a_note():
    client, scores, _ = make_planted(n=60, lang="en")
    scores.employees.loc[:4, "score"] = np.nan
    features = build_features(client, scores)
    assert len(features.frame) == 55
    assert "5 employees have no score and are left out of the patterns." in features.notes
