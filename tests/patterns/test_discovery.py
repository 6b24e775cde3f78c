"""find_patterns on clients with planted trajectories: agreement, names, determinism."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from perfkit.patterns import PatternResult, find_patterns
from tests.patterns.conftest import make_planted


def agreement(result: PatternResult, truth: pd.Series) -> float:
    labels = result.assignments.set_index("employee_id")["pattern"]
    return normalized_mutual_info_score(truth[labels.index], labels)


@pytest.mark.parametrize("seed, lang", [(0, "zh"), (1, "en"), (2, "zh")])
def test_patterns_agree_with_planted_trajectories(seed, lang):
    client, scores, truth = make_planted(n=500, seed=seed, lang=lang, noise=5.0)
    result = find_patterns(client, scores)
    assert 3 <= len(result.patterns) <= 8
    assert agreement(result, truth) >= 0.5
    assignments = result.assignments.set_index("employee_id")
    # the planted risers and decliners are named so, in the engagement's language
    rising, declining = ("持续上升", "下滑") if lang == "zh" else ("Rising", "Declining")
    assert (
        assignments.loc[truth.index[truth == "rising"], "pattern"].value_counts(normalize=True)[
            rising
        ]
        > 0.8
    )
    assert (
        assignments.loc[truth.index[truth == "declining"], "pattern"].value_counts(normalize=True)[
            declining
        ]
        > 0.8
    )


def test_result_shapes(planted):
    client, scores, _ = planted
    result = find_patterns(client, scores)
    a, p = result.assignments, result.patterns
    assert list(a.columns[:4]) == ["employee_id", "pattern_id", "pattern", "pattern_key"]
    assert {"level", "trend", "volatility", "self_gap"} <= set(a.columns)
    assert a["employee_id"].tolist() == scores.employees["employee_id"].tolist()
    assert list(p.columns[:8]) == [
        "pattern_id",
        "key",
        "name",
        "name_zh",
        "name_en",
        "description",
        "size",
        "share",
    ]
    assert p["size"].sum() == len(a)
    assert p["name"].is_unique
    assert p["pattern_id"].tolist() == list(range(1, len(p) + 1))
    assert p["level"].is_monotonic_decreasing
    sizes = a.groupby("pattern_id").size()
    assert (p.set_index("pattern_id")["size"] == sizes).all()
    assert result.model.n_clusters_ == len(p)
    assert any("轮廓系数" in note for note in result.notes)


def test_descriptions_carry_the_figures(planted):
    client, scores, _ = planted
    patterns = find_patterns(client, scores).patterns
    row = patterns[patterns["key"] == "rising"].iloc[0]
    assert row["description"].startswith(
        f"{row['size']} 人,平均得分 {row['level']:.1f},季度趋势 +{row['trend']:.1f} 分"
    )
    assert row["description"].endswith("。")


def test_same_seed_same_patterns(planted):
    client, scores, _ = planted
    first = find_patterns(client, scores, random_state=3)
    second = find_patterns(client, scores, random_state=3)
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    pd.testing.assert_frame_equal(first.patterns, second.patterns)


def test_fixed_number_of_patterns_and_weights(planted):
    client, scores, _ = planted
    result = find_patterns(client, scores, n_clusters=4, weights={"self_gap": 0.0})
    assert len(result.patterns) == 4
    with pytest.raises(ValueError, match=r"Unknown feature\(s\) \['charisma'\] in weights"):
        find_patterns(client, scores, weights={"charisma": 1.0})
    with pytest.raises(ValueError, match=r"Unknown naming rule\(s\) \['rising'\]"):
        find_patterns(client, scores, rules={"rising": 1.0})


def test_naming_thresholds_are_overridable(planted):
    client, scores, _ = planted
    result = find_patterns(client, scores, rules={"rising_points": 50.0})
    assert "rising" not in set(result.patterns["key"])


def test_single_period_still_finds_patterns_without_trend_names():
    client, scores, _ = make_planted(n=300, periods=("2025Q4",))
    result = find_patterns(client, scores)
    assert "trend" not in result.features.columns
    assert set(result.patterns["key"]) <= {
        "high",
        "core",
        "low",
        "over_rated",
        "under_rated",
        "self_overrated",
    }
    assert any("得分趋势" in note for note in result.notes)
    assert "季度趋势" not in " ".join(result.patterns["description"])


def test_too_few_employees_skip_with_a_finding():
    client, scores, _ = make_planted(n=12, lang="en")
    result = find_patterns(client, scores)
    assert result.model is None
    assert result.patterns.empty
    assert result.assignments["pattern"].isna().all() and len(result.assignments) == 12
    (finding,) = result.findings
    assert finding.code == "ANALYSIS_SKIPPED"
    assert "only 12 employees have a score" in finding.message
