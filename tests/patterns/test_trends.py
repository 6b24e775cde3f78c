"""Trend views: mean score per period per department and per pattern."""

from __future__ import annotations

import pytest

from perfkit.patterns import department_trends, find_patterns, pattern_trends


def test_department_trends(planted):
    client, scores, _ = planted
    trends = department_trends(client, scores)
    assert list(trends.columns) == [
        "department",
        "period",
        "mean_score",
        "median_score",
        "employees",
    ]
    assert len(trends) == 3 * 4
    departments = client.employees.set_index("employee_id")["department"]
    frame = scores.by_period.assign(department=scores.by_period["employee_id"].map(departments))
    expected = frame[(frame["department"] == "销售部") & (frame["period"] == "2025Q2")]["score"]
    row = trends[(trends["department"] == "销售部") & (trends["period"] == "2025Q2")].iloc[0]
    assert row["mean_score"] == pytest.approx(expected.mean(), abs=0.005)
    assert row["employees"] == len(expected)


def test_pattern_trends_rise_and_fall(planted):
    client, scores, _ = planted
    result = find_patterns(client, scores)
    trends = pattern_trends(scores, result)
    assert list(trends.columns) == [
        "pattern_id",
        "pattern",
        "period",
        "mean_score",
        "median_score",
        "employees",
    ]
    rising = result.patterns.loc[result.patterns["key"] == "rising", "pattern_id"].iloc[0]
    line = trends[trends["pattern_id"] == rising]["mean_score"].to_numpy()
    assert (line[1:] > line[:-1]).all()
    assert trends.groupby("period")["employees"].sum().eq(len(result.assignments)).all()
