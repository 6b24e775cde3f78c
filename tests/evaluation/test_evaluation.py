"""Evaluation diagnostics on a synthetic company: each code planted and found, quiet when clean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.evaluation import (
    adjust_holm,
    department_distribution,
    diagnose_evaluation,
    guideline_shares,
    rating_compression,
)
from perfkit.settings import EngagementSettings
from tests.evaluation.synthetic_company import make_company
from tests.support import make_client

CODES = {
    "RATING_COMPRESSED",
    "GRADE_DISTRIBUTION_SKEWED",
    "RATING_RESULTS_MISALIGNED",
    "PAY_PERFORMANCE_MISALIGNED",
}


def _codes(findings):
    return {(f.code, f.subject) for f in findings if f.code in CODES}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clean_company_is_quiet(seed):
    employees, scores = make_company(seed=seed)
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    assert _codes(findings) == set()
    assert [f for f in findings if f.code == "ANALYSIS_SKIPPED"] == []


def test_generous_department_is_skewed():
    employees, scores = make_company(seed=3, generous="D4")
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    assert _codes(findings) == {("GRADE_DISTRIBUTION_SKEWED", "D4")}
    evidence = next(f for f in findings if f.code == "GRADE_DISTRIBUTION_SKEWED").evidence
    assert evidence["direction"] == "generous" and evidence["reference"] == "guideline"
    assert evidence["max_gap"] >= 0.15 and evidence["p_holm"] <= 0.01
    assert evidence["reference_distribution"] == {"1": 0.1, "2": 0.2, "3": 0.4, "4": 0.2, "5": 0.1}


def test_harsh_department_is_skewed_too():
    employees, scores = make_company(seed=4)
    harsh = employees["department"] == "D1"
    employees.loc[harsh, "rating"] = np.maximum(employees.loc[harsh, "rating"] - 1, 1)
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    skewed = [f for f in findings if f.code == "GRADE_DISTRIBUTION_SKEWED"]
    assert [(f.subject, f.evidence["direction"]) for f in skewed] == [("D1", "harsh")]


def test_small_department_is_not_tested():
    employees, scores = make_company(seed=5)
    employees.loc[employees.index[:10], "department"] = "tiny"
    employees.loc[employees.index[:10], "rating"] = 5.0
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    assert ("GRADE_DISTRIBUTION_SKEWED", "tiny") not in _codes(findings)


def test_compressed_ratings_fire():
    employees, scores = make_company(seed=6)
    rng = np.random.default_rng(0)
    employees.loc[rng.random(len(employees)) < 0.8, "rating"] = 3.0
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    compressed = next(f for f in findings if f.code == "RATING_COMPRESSED")
    assert compressed.subject == "employees.rating"
    assert compressed.evidence["top_share"] >= 0.8 and compressed.evidence["mode"] == 3.0


def test_two_points_used_is_compressed_even_without_a_dominant_point():
    employees, scores = make_company(seed=7)
    employees["rating"] = np.where(np.arange(len(employees)) % 2 == 0, 4.0, 2.0)
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    compressed = next(f for f in findings if f.code == "RATING_COMPRESSED")
    assert compressed.evidence["n_points"] == 2 and compressed.evidence["top_share"] < 0.7


def test_ratings_that_ignore_results_are_misaligned():
    employees, scores = make_company(seed=8, rating_follows=False)
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    finding = next(f for f in findings if f.code == "RATING_RESULTS_MISALIGNED")
    assert finding.evidence["n"] == 600 and abs(finding.evidence["rho"]) < 0.15
    assert ("PAY_PERFORMANCE_MISALIGNED", "last_increase_pct") not in _codes(findings)


def test_pay_that_ignores_performance_is_misaligned():
    employees, scores = make_company(seed=9, pay_follows=False)
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    assert _codes(findings) == {("PAY_PERFORMANCE_MISALIGNED", "last_increase_pct")}
    finding = next(f for f in findings if f.code == "PAY_PERFORMANCE_MISALIGNED")
    assert finding.evidence["basis"] == "employees.rating" and finding.evidence["rho"] < 0.2


def test_pay_against_score_when_there_is_no_rating():
    employees, scores = make_company(seed=10)
    employees = employees.drop(columns="rating")
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    # pay followed the (now absent) rating, which followed the latent performance the score tracks
    assert ("PAY_PERFORMANCE_MISALIGNED", "last_increase_pct") not in _codes(findings)
    scores.employees["score"] = np.random.default_rng(1).normal(size=len(employees))
    finding = next(
        f
        for f in diagnose_evaluation(make_client({"employees": employees}), scores)
        if f.code == "PAY_PERFORMANCE_MISALIGNED"
    )
    assert finding.evidence["basis"] == "score"


def test_missing_columns_are_skipped_and_the_rest_runs():
    employees, scores = make_company(seed=11, pay_follows=False)
    employees = employees.drop(columns="rating")
    scores.employees["score"] = np.random.default_rng(2).normal(size=len(employees))
    findings = diagnose_evaluation(make_client({"employees": employees}), scores)
    skipped = {f.subject for f in findings if f.code == "ANALYSIS_SKIPPED"}
    assert skipped == {"rating compression", "grade distribution", "ratings vs results"}
    assert ("PAY_PERFORMANCE_MISALIGNED", "last_increase_pct") in _codes(findings)


def test_without_scores_results_alignment_is_skipped():
    employees, _ = make_company(seed=12)
    findings = diagnose_evaluation(make_client({"employees": employees}), None)
    assert [f.subject for f in findings if f.code == "ANALYSIS_SKIPPED"] == ["ratings vs results"]


def test_messages_in_both_languages():
    employees, scores = make_company(seed=13, pay_follows=False)
    zh = next(
        f
        for f in diagnose_evaluation(make_client({"employees": employees}, lang="zh"), scores)
        if f.code == "PAY_PERFORMANCE_MISALIGNED"
    )
    assert "调薪" in zh.message and "Spearman" in zh.message


def test_guideline_mapping_rules():
    settings = EngagementSettings()
    assert guideline_shares(settings, [1.0, 3.0]).tolist() == [0.1, 0.2, 0.4, 0.2, 0.1]
    assert guideline_shares(settings, [1.0, 2.5]) is None  # a rating off the scale's points
    assert guideline_shares(EngagementSettings(scale={"min": 1, "max": 4}), [1.0, 2.0]) is None
    cutoffs = EngagementSettings(
        grades=[{"grade": "A", "min_score": 80}, {"grade": "B", "min_score": 0}]
    )
    assert guideline_shares(cutoffs, [1.0]) is None


def test_company_reference_when_the_guideline_cannot_be_mapped():
    employees, _ = make_company(seed=14, generous="D0")
    settings = EngagementSettings(
        grades=[{"grade": "A", "share": 0.3}, {"grade": "B", "share": 0.7}]
    )
    table = department_distribution(employees, settings)
    assert set(table["reference"]) == {"company"}
    assert table["max_gap"].idxmax() == "D0" and table.loc["D0", "p_holm"] < 0.01


def test_rating_compression_summary():
    summary = rating_compression(pd.Series([3, 3, 3, 4, np.nan]))
    assert summary == {
        "n": 4,
        "n_points": 2,
        "mode": 3.0,
        "top_share": 0.75,
        "distribution": {"3": 3, "4": 1},
    }


def test_holm():
    assert adjust_holm([0.01, 0.04, 0.03, np.nan]).round(3)[:3].tolist() == [0.03, 0.06, 0.06]
    assert np.isnan(adjust_holm([np.nan])).all()


def _four_point_company(seed: int, harsh: str | None = None) -> pd.DataFrame:
    """A 1–4 scale (no guideline mapping for 5 grades): D0, a third of the company, rates generously."""
    rng = np.random.default_rng(seed)
    department = np.array(["D0"] * 300 + [f"D{1 + i % 5}" for i in range(600)])
    latent = (
        rng.normal(0, 1, len(department)) + 0.9 * (department == "D0") - 0.9 * (department == harsh)
    )
    return pd.DataFrame(
        {
            "employee_id": [f"{i:04d}" for i in range(len(department))],
            "department": department,
            "rating": np.clip(np.round(2.5 + 0.8 * latent), 1, 4),
        }
    )


@pytest.mark.parametrize("harsh", [None, "D5"])
def test_a_generous_department_does_not_make_the_others_look_harsh(harsh):
    employees = _four_point_company(seed=1, harsh=harsh)
    settings = EngagementSettings(scale={"min": 1, "max": 4})

    def skewed(table):
        return set(table[(table["p_holm"] <= 0.05) & (table["max_gap"].abs() >= 0.15)].index)

    planted = {"D0"} | ({harsh} if harsh else set())
    if harsh is None:  # the confound: D0 sits in every clean department's reference
        assert skewed(department_distribution(employees, settings, rounds=1)) - planted
    table = department_distribution(employees, settings)
    assert skewed(table) == planted
    assert table.loc["D1", "reference_excludes"] == sorted(planted)
    client = make_client({"employees": employees}, scale={"min": 1, "max": 4})
    assert _codes(diagnose_evaluation(client, None)) == {
        ("GRADE_DISTRIBUTION_SKEWED", d) for d in planted
    }
