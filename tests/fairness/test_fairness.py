"""Adverse impact by the four-fifths rule: planted gaps found, noise and small groups left alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.fairness import diagnose_fairness, impact_ratios, top_outcomes
from tests.evaluation.synthetic_company import make_company
from tests.support import make_client, real_data


def _adverse(findings):
    return sorted(
        (f.subject, f.evidence["outcome"]) for f in findings if f.code == "ADVERSE_IMPACT"
    )


def test_clean_company_is_quiet():
    employees, scores = make_company(seed=0)
    assert _adverse(diagnose_fairness(make_client({"employees": employees}), scores)) == []


def test_false_alarms_on_clean_companies_are_rare():
    """Groups drawn independently of performance: Holm at 5% per characteristic (3 here, 2 outcomes)."""
    flagged = 0
    for seed in range(100, 130):
        employees, scores = make_company(n=300, seed=seed)
        flagged += bool(_adverse(diagnose_fairness(make_client({"employees": employees}), scores)))
    assert flagged <= 5  # about 3 expected (3 characteristics x 5%)


def test_planted_gender_gap_in_given_ratings():
    employees, scores = make_company(seed=4, gender_gap=0.8)
    findings = diagnose_fairness(make_client({"employees": employees}), scores)
    assert _adverse(findings) == [("gender:F", "employees.rating")]
    evidence = next(f for f in findings if f.code == "ADVERSE_IMPACT").evidence
    assert evidence["reference"] == "M" and evidence["ratio"] < 0.8 and evidence["p_holm"] <= 0.05
    assert evidence["rate"] == pytest.approx(evidence["selected"] / evidence["n"])
    assert next(f for f in findings if f.code == "ADVERSE_IMPACT").severity == "critical"


def test_planted_gap_in_perfkit_grades_by_location():
    employees, scores = make_company(seed=5)
    shenzhen = (employees["location"] == "深圳").to_numpy()
    top = scores.employees["grade"].isin(["S", "A"]).to_numpy()
    rng = np.random.default_rng(0)
    demote = shenzhen & top & (rng.random(len(top)) < 0.7)
    scores.employees.loc[demote, "grade"] = "B"
    findings = diagnose_fairness(make_client({"employees": employees}), scores)
    assert _adverse(findings) == [("location:深圳", "grade")]


def test_grades_read_off_the_rating_are_not_counted_twice():
    employees, scores = make_company(seed=6, gender_gap=0.8)
    scores.employees["source"] = "rating"
    frame = top_outcomes(make_client({"employees": employees}), scores)
    assert "top_grade" not in frame


def test_one_person_rule_and_small_groups():
    # group B: 10 people, 1 selected (10%) against A's 40 of 100 (40%): ratio .25, but one
    # more selected makes .5; Fisher p is about .07. Group C has 5 people: below min_group.
    data = pd.DataFrame(
        {
            "team": ["A"] * 100 + ["B"] * 10 + ["C"] * 5,
            "top": [True] * 40 + [False] * 60 + [True] + [False] * 9 + [False] * 5,
        }
    )
    table = impact_ratios(data, outcome="top", groups=["team"], min_group=10).set_index("group")
    assert table.loc["B", "ratio"] == pytest.approx(0.25)
    assert table.loc["B", "flip_ratio"] == pytest.approx(0.5)
    assert not table["adverse"].any()
    assert np.isnan(table.loc["C", "p_holm"])


def test_a_real_gap_is_adverse():
    data = pd.DataFrame(
        {
            "gender": ["F"] * 200 + ["M"] * 200,
            "top": [True] * 20 + [False] * 180 + [True] * 60 + [False] * 140,
        }
    )
    table = impact_ratios(data, outcome="top", groups=["gender", "absent"]).set_index("group")
    assert table.loc["F", "adverse"] and table.loc["F", "ratio"] == pytest.approx(1 / 3)
    assert table.loc["M", "reference"] == "M" and not table.loc["M", "adverse"]


def test_columns_with_too_many_categories_are_skipped():
    data = pd.DataFrame(
        {"city": [f"c{i % 30}" for i in range(300)], "top": [i % 3 == 0 for i in range(300)]}
    )
    table = impact_ratios(data, outcome="top", groups=["city"], max_categories=12)
    assert table.empty and table.attrs["skipped"] == ["city"]


def test_unknown_outcome_is_an_error():
    with pytest.raises(ValueError, match="`nope` for `outcome`"):
        impact_ratios(pd.DataFrame({"g": ["a"]}), outcome="nope", groups=["g"])


def test_no_group_column_is_skipped():
    employees, scores = make_company(seed=7)
    employees = employees.drop(columns=["gender", "location", "level"])
    findings = diagnose_fairness(make_client({"employees": employees}), scores)
    assert [(f.code, f.subject) for f in findings] == [("ANALYSIS_SKIPPED", "adverse impact")]


def test_chinese_message():
    employees, scores = make_company(seed=8, gender_gap=0.8)
    finding = next(
        f
        for f in diagnose_fairness(make_client({"employees": employees}, lang="zh"), scores)
        if f.code == "ADVERSE_IMPACT"
    )
    assert "五分之四" in finding.message and "gender" in finding.message


def test_hrdataset_gender_top_ratings():
    raw = pd.read_csv(real_data("hrdataset-v14", "HRDataset_v14.csv"), encoding="utf-8-sig")
    labels = {"Exceeds": 4.0, "Fully Meets": 3.0, "Needs Improvement": 2.0, "PIP": 1.0}
    employees = pd.DataFrame(
        {
            "employee_id": raw["EmpID"].astype(str),
            "department": raw["Department"].str.strip(),
            "gender": raw["Sex"].str.strip(),
            "rating": raw["PerformanceScore"].map(labels),
        }
    )
    client = make_client(
        {"employees": employees},
        scale={"min": 1, "max": 4},
        thresholds={"ADVERSE_IMPACT": {"top_points": 1}},
    )
    frame = top_outcomes(client, None)
    table = impact_ratios(frame, outcome="top_rating", groups=["gender"]).set_index("group")
    # Exceeds: 20 of 176 women, 17 of 135 men
    assert table.loc["F", ["n", "selected"]].tolist() == [176, 20]
    assert table.loc["M", ["n", "selected"]].tolist() == [135, 17]
    assert table.loc["F", "reference"] == "M"
    assert table.loc["F", "ratio"] == pytest.approx((20 / 176) / (17 / 135))
    assert _adverse(diagnose_fairness(client, None)) == []  # ratio .90: no adverse impact
