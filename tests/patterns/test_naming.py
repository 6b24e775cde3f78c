"""Naming rules: plain, unique names and one sentence with the figures."""

from __future__ import annotations

import pandas as pd
import pytest

from perfkit.patterns import NamingRules, classify_centre, describe_pattern, name_patterns


def centre(**values):
    return pd.Series(values, dtype=float)


@pytest.mark.parametrize(
    "raw, z, kind",
    [
        (dict(level=80, trend=4.0), dict(average=0.0), "rising"),
        (dict(level=80, trend=-3.0), dict(average=0.0), "declining"),
        (dict(level=80, trend=4.0, kpi_competency_gap=30), dict(average=0.0), "rising"),
        (dict(level=80, trend=0.5, kpi_competency_gap=20), dict(average=0.0), "over_rated"),
        (dict(level=80, trend=0.5, kpi_competency_gap=-20), dict(average=0.0), "under_rated"),
        (dict(level=80, trend=0.5, self_gap=1.0), dict(average=0.0), "self_overrated"),
        (dict(level=80, trend=0.5), dict(average=0.0, volatility=1.5), "volatile"),
        (dict(level=90, trend=0.5), dict(average=0.8), "steady_high"),
        (dict(level=60, trend=0.5), dict(average=-0.8), "steady_low"),
        (dict(level=75, trend=0.5), dict(average=0.1), "steady_core"),
        (dict(level=90), dict(level=0.9), "high"),
        (dict(level=75), dict(level=0.0), "core"),
    ],
)
def test_rules_in_order(raw, z, kind):
    assert classify_centre(centre(**raw), centre(**z), NamingRules()) == kind


def test_the_gap_rule_is_relative_to_the_clients_median_gap():
    # competency scores sit 45 points under KPI scores for everyone: that alone names nobody
    baseline = centre(kpi_competency_gap=-45.0)
    typical = centre(level=80, trend=0.0, kpi_competency_gap=-47.0)
    assert classify_centre(typical, centre(average=0.0), NamingRules(), baseline) == "steady_core"
    flattered = centre(level=80, trend=0.0, kpi_competency_gap=-25.0)
    assert classify_centre(flattered, centre(average=0.0), NamingRules(), baseline) == "over_rated"


def test_thresholds_override():
    rules = NamingRules.from_mapping({"rising_points": 5.0, "high_z": 1.0})
    assert classify_centre(centre(level=80, trend=4.0), centre(average=0.8), rules) == "steady_core"
    assert NamingRules.from_mapping(None) == NamingRules()


def test_duplicate_names_get_a_level_qualifier():
    centres = pd.DataFrame(
        {"level": [90.0, 70.0, 60.0], "trend": [5.0, 6.0, 0.0]}, index=[10, 11, 12]
    )
    z = pd.DataFrame({"average": [1.0, -0.5, -1.0]}, index=centres.index)
    named = name_patterns(
        centres, z, pd.Series({10: 5, 11: 6, 12: 7}), lang="en", period_unit="quarter"
    )
    assert named.loc[10, "name"] == "Rising (higher)"
    assert named.loc[11, "name"] == "Rising (lower)"
    assert named.loc[12, "name"] == "Steady low"
    assert named.loc[10, "name_zh"] == "持续上升(较高)"
    assert named["name"].is_unique


def test_many_duplicates_are_numbered():
    centres = pd.DataFrame({"level": [90.0, 80.0, 70.0, 60.0], "trend": 0.0}, index=range(4))
    z = pd.DataFrame({"average": [0.0] * 4}, index=centres.index)
    named = name_patterns(centres, z, pd.Series(1, index=range(4)), lang="zh")
    assert named["name"].tolist() == ["稳定中坚(1)", "稳定中坚(2)", "稳定中坚(3)", "稳定中坚(4)"]


def test_descriptions():
    assert (
        describe_pattern(
            "steady_high", centre(level=88.14, trend=0.2), 142, lang="zh", period_unit="quarter"
        )
        == "142 人,平均得分 88.1,季度趋势 +0.2 分,保持稳定的高绩效。"
    )
    text = describe_pattern(
        "over_rated",
        centre(level=70.0, trend=-0.4, kpi_competency_gap=1.3),
        9,
        lang="en",
        period_unit="month",
        baseline_gap=-20.0,
    )
    assert text == (
        "9 people, mean score 70.0, trend -0.4 points per month: competency ratings run 21.3 points "
        "further above KPI results than the median employee's."
    )
    assert describe_pattern("low", centre(level=55.0), 1, lang="en") == (
        "1 person, mean score 55.0: low performance, in need of improvement."
    )
