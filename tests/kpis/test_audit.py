"""diagnose_kpi_system: each kpi_system code planted-and-found and clean-and-quiet, plus edge cases."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from perfkit.findings import CODES
from perfkit.kpis import KpiAudit, diagnose_kpi_system
from tests.kpis.kpi_world import build_tables, make_client

KPI_CODES = sorted(c for c, area in CODES.items() if area == "kpi_system")


def found(audit: KpiAudit, code: str) -> list[str]:
    return sorted(f.subject for f in audit.findings if f.code == code)


def by_code(audit: KpiAudit, code: str):
    return [f for f in audit.findings if f.code == code]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_clean_client_is_quiet(lang):
    audit = diagnose_kpi_system(make_client(build_tables(lang), lang))
    assert [f for f in audit.findings if f.code in KPI_CODES] == []
    assert [f for f in audit.findings if f.code == "ANALYSIS_SKIPPED"] == []
    assert set(audit.library["quality_score"]) <= set(range(95, 101))
    assert audit.library["top_fixes"].eq("").all()


# --- weights and counts ---------------------------------------------------------------------


def test_weights_not_100_found(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "S1", "weight"] = 20.0
    audit = diagnose_kpi_system(make_client(tables))
    [finding] = by_code(audit, "KPI_WEIGHTS_NOT_100")
    assert finding.subject == "sales" and finding.severity == "critical"
    assert finding.evidence["weight_sum"] == 90.0 and "90%" in finding.message


def test_shared_kpis_count_toward_every_role(tables):
    kpis = tables["kpis"]
    tables["kpis"] = kpis[kpis["kpi_id"] != "X1"]
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "KPI_WEIGHTS_NOT_100") == ["ops", "sales"]
    full = diagnose_kpi_system(make_client(build_tables()))
    assert full.weights.set_index("role")["n_shared"].to_dict() == {"ops": 1, "sales": 1}
    assert full.weights["weight_sum"].tolist() == [100.0, 100.0]


def test_role_with_all_weights_zero(tables):
    kpis = tables["kpis"]
    kpis = kpis[kpis["kpi_id"] != "X1"].copy()
    kpis.loc[kpis["role"] == "sales", "weight"] = 0.0
    tables["kpis"] = kpis
    audit = diagnose_kpi_system(make_client(tables))
    sales = [f for f in by_code(audit, "KPI_WEIGHTS_NOT_100") if f.subject == "sales"]
    assert sales[0].evidence["weight_sum"] == 0.0
    shares = audit.alignment[audit.alignment["role"] == "sales"]["share"]
    assert shares.eq(0).all() and np.isfinite(audit.library["quality_score"]).all()


def test_weight_tolerance_is_a_setting(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "S1", "weight"] = 29.7
    assert found(diagnose_kpi_system(make_client(tables)), "KPI_WEIGHTS_NOT_100") == []
    audit = diagnose_kpi_system(make_client(tables, thresholds={"KPI_WEIGHTS_NOT_100": 0.1}))
    assert found(audit, "KPI_WEIGHTS_NOT_100") == ["sales"]


def test_count_out_of_range_found_both_ways(tables):
    kpis = tables["kpis"]
    extra = kpis[kpis["role"] == "ops"].assign(kpi_id=lambda k: k["kpi_id"] + "b", weight=10.0)
    kpis = pd.concat([kpis, extra], ignore_index=True)
    kpis.loc[kpis["role"] == "ops", "weight"] = 10.0  # 8 own × 10 + 20 (X1) = 100
    kpis = kpis[~kpis["kpi_id"].isin(["S2", "S3", "S4"])].copy()
    kpis.loc[kpis["kpi_id"] == "S1", "weight"] = 80.0
    tables["kpis"] = kpis
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "KPI_COUNT_OUT_OF_RANGE") == ["ops", "sales"]
    counts = {f.subject: f.evidence["n_kpis"] for f in by_code(audit, "KPI_COUNT_OUT_OF_RANGE")}
    assert counts == {"ops": 9, "sales": 2}
    assert found(audit, "KPI_WEIGHTS_NOT_100") == []


# --- SMART ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_not_measurable_found(lang):
    tables = build_tables(lang)
    kpis = tables["kpis"]
    vague = "加强团队协作" if lang == "zh" else "Strengthen teamwork"
    kpis.loc[kpis["kpi_id"] == "S4", ["name", "description", "target", "unit"]] = [
        vague,
        np.nan,
        np.nan,
        np.nan,
    ]
    audit = diagnose_kpi_system(make_client(tables, lang))
    [finding] = by_code(audit, "KPI_NOT_MEASURABLE")
    assert finding.subject == "S4" and vague in finding.message
    assert bool(re.search(r"[\u4e00-\u9fff]", finding.message.replace(vague, ""))) == (lang == "zh")
    fixes = audit.library.set_index("role")["top_fixes"]
    assert "S4" in fixes["sales"] and "S4" not in fixes["ops"]


def test_kpis_without_target_column(tables):
    tables["kpis"] = tables["kpis"].drop(columns=["target"])
    audit = diagnose_kpi_system(make_client(tables))
    assert len(found(audit, "KPI_NOT_MEASURABLE")) == len(tables["kpis"])
    overall = audit.difficulty[audit.difficulty["period"] == "all"]
    assert overall["hit_rate"].isna().all() and overall["proposed_target"].notna().all()
    assert found(audit, "KPI_TARGET_TOO_EASY") == found(audit, "KPI_TARGET_TOO_HARD") == []


# --- difficulty -----------------------------------------------------------------------------


def test_target_too_easy_found_with_proposal(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O1", "target"] = 80.0
    audit = diagnose_kpi_system(make_client(tables))
    [finding] = by_code(audit, "KPI_TARGET_TOO_EASY")
    assert finding.subject == "O1" and finding.evidence["hit_rate"] >= 0.9
    assert (
        finding.evidence["proposed_target"] > 80
        and 0.5 <= finding.evidence["implied_hit_rate"] <= 0.7
    )
    assert found(audit, "KPI_TARGET_TOO_HARD") == []
    fixes = audit.library.set_index("role")["top_fixes"]
    assert f"Raise O1's target from 80 to {finding.evidence['proposed_target']:g}" in fixes["ops"]


def test_target_too_hard_found(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "S2", "target"] = 20.0
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "KPI_TARGET_TOO_HARD") == ["S2"]
    assert found(audit, "KPI_TARGET_TOO_EASY") == []


@pytest.mark.parametrize(
    ("target", "code"), [(2.0, "KPI_TARGET_TOO_HARD"), (4.0, "KPI_TARGET_TOO_EASY")]
)
def test_lower_is_better_hit_rates(tables, target, code):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O2", "target"] = (
        target  # days, lower is better; results ≈ 3
    )
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, code) == ["O2"]
    [finding] = by_code(audit, code)
    assert (
        2.5 < finding.evidence["proposed_target"] < 3.5 and finding.evidence["direction"] == "lower"
    )


def test_difficulty_needs_enough_results(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O1", "target"] = 80.0
    results = tables["results"]
    tables["results"] = pd.concat(
        [results[results["kpi_id"] != "O1"], results[results["kpi_id"] == "O1"].head(6)]
    )
    assert found(diagnose_kpi_system(make_client(tables)), "KPI_TARGET_TOO_EASY") == []


def test_proposed_target_reaches_the_chosen_hit_rate(tables):
    audit = diagnose_kpi_system(
        make_client(tables, thresholds={"KPI_TARGET_TOO_EASY": {"target_hit_rate": 0.8}})
    )
    overall = audit.difficulty[audit.difficulty["period"] == "all"]
    assert overall["implied_hit_rate"].between(0.75, 0.85).all()
    assert set(audit.difficulty["period"]) == {"all", "2025Q1", "2025Q2", "2025Q3", "2025Q4"}


def test_no_discrimination_found(tables):
    results = tables["results"]
    rng = np.random.default_rng(3)
    flat = results["kpi_id"] == "S3"
    results.loc[flat, "actual"] = 90.0 + rng.normal(0, 0.3, flat.sum())
    audit = diagnose_kpi_system(make_client(tables))
    [finding] = by_code(audit, "KPI_NO_DISCRIMINATION")
    assert finding.subject == "S3" and finding.evidence["cv"] < 0.02


# --- redundancy -----------------------------------------------------------------------------


def test_redundant_pair_found(tables):
    results = tables["results"].set_index(["employee_id", "period", "kpi_id"])["actual"].unstack()
    rng = np.random.default_rng(5)
    sales = results["S1"].notna()
    results.loc[sales, "S2"] = results.loc[sales, "S1"] * 0.12 + rng.normal(0, 0.05, sales.sum())
    tables["results"] = results.stack().rename("actual").reset_index()
    audit = diagnose_kpi_system(make_client(tables))
    [finding] = by_code(audit, "KPI_REDUNDANT")
    assert finding.subject == "S1,S2" and finding.evidence["r"] >= 0.9
    assert finding.evidence["n"] == 160 and finding.evidence["role"] == "sales"


def test_redundancy_without_employee_roles(tables):
    tables["employees"] = tables["employees"].drop(columns=["role"])
    audit = diagnose_kpi_system(make_client(tables))
    pairs = audit.redundancy
    assert set(pairs["role"]) == {"sales", "ops"} and (pairs["n"] == 160).all()


def test_redundancy_minimum_pairs(tables):
    results = tables["results"]
    keep = (results["kpi_id"] != "S2") | results["employee_id"].isin(["E000", "E001"])
    tables["results"] = results[keep]
    redundancy = diagnose_kpi_system(make_client(tables)).redundancy
    pair = redundancy[(redundancy["kpi_a"] == "S1") & (redundancy["kpi_b"] == "S2")]
    assert pair["n"].tolist() == [8]


# --- alignment and perspectives -------------------------------------------------------------


def test_objective_uncovered_found(tables):
    objectives = tables["objectives"]
    extra = pd.DataFrame(
        [{"objective_id": "OX", "name": "Expand abroad", "perspective": "customer"}]
    )
    tables["objectives"] = pd.concat([objectives, extra], ignore_index=True)
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O4", "objective_id"] = "OY"
    tables["objectives"].loc[len(tables["objectives"])] = ["OY", "Zero-weight goal", "process"]
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O4", "weight"] = 0.0
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "OBJECTIVE_UNCOVERED") == ["OX", "OY"]
    matrix = audit.alignment
    assert set(matrix["objective_id"].dropna()) == {"OF", "OC", "OP", "OL", "OX", "OY"}
    assert matrix[matrix["objective_id"] == "OX"]["share"].eq(0).all()


def test_unlinked_kpis_show_in_alignment_and_fixes(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "S2", "objective_id"] = np.nan
    audit = diagnose_kpi_system(make_client(tables))
    none = audit.alignment[audit.alignment["objective_id"].isna()]
    assert none["role"].tolist() == ["sales"] and none["share"].tolist() == [0.2]
    assert "Link S2" in audit.library.set_index("role")["top_fixes"]["sales"]


def test_perspective_missing_found(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "X1", "perspective"] = "process"
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "PERSPECTIVE_MISSING") == ["learning"]
    overall = audit.perspectives[audit.perspectives["role"] == "all"].set_index("perspective")[
        "share"
    ]
    assert overall["learning"] == 0 and abs(overall.sum() - 1) < 1e-9


def test_perspective_from_objectives_when_kpis_have_none(tables):
    tables["kpis"] = tables["kpis"].drop(columns=["perspective"])
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "PERSPECTIVE_MISSING") == []
    assert (
        audit.perspectives.query("role == 'sales' and perspective == 'financial'")["share"].item()
        == 0.5
    )


def test_no_perspectives_at_all_is_not_a_finding(tables):
    tables["kpis"] = tables["kpis"].drop(columns=["perspective"])
    tables["objectives"] = tables["objectives"].drop(columns=["perspective"])
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "PERSPECTIVE_MISSING") == []
    assert "balanced-scorecard perspectives" in found(audit, "ANALYSIS_SKIPPED")


# --- missing tables -------------------------------------------------------------------------


def test_no_results_table(tables):
    del tables["results"]
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "ANALYSIS_SKIPPED") == ["KPI target difficulty and redundancy"]
    assert audit.difficulty.empty and audit.redundancy.empty and len(audit.library) == 2


def test_no_kpis_table(tables):
    audit = diagnose_kpi_system(make_client({"employees": tables["employees"]}))
    assert [f.code for f in audit.findings] == ["ANALYSIS_SKIPPED"]
    assert audit.library.empty and list(audit.smart.columns)[:2] == ["kpi_id", "role"]


def test_no_objectives_table(tables):
    del tables["objectives"]
    audit = diagnose_kpi_system(make_client(tables))
    assert found(audit, "ANALYSIS_SKIPPED") == ["strategy alignment"]
    assert found(audit, "PERSPECTIVE_MISSING") == [] and not audit.alignment.empty


def test_only_shared_kpis(tables):
    tables["kpis"] = tables["kpis"].assign(role="*", weight=100 / len(tables["kpis"]))
    audit = diagnose_kpi_system(make_client(tables))
    assert audit.weights["role"].tolist() == ["*"] and found(audit, "KPI_COUNT_OUT_OF_RANGE") == [
        "*"
    ]


def test_findings_serialise(tables):
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "O1", "target"] = 80.0
    import json

    for finding in diagnose_kpi_system(make_client(tables)).findings:
        json.dumps(finding.to_dict(), ensure_ascii=False)


def test_target_hit_rate_out_of_range_is_refused(tables):
    from perfkit.errors import SettingsError

    client = make_client(tables, thresholds={"KPI_TARGET_TOO_EASY": {"target_hit_rate": 60}})
    with pytest.raises(
        SettingsError, match="target_hit_rate.*got 60; expected a share between 0 and 1"
    ):
        diagnose_kpi_system(client)


def test_kpis_without_direction_column(tables):
    tables["kpis"] = tables["kpis"].drop(columns=["direction"])
    audit = diagnose_kpi_system(make_client(tables))
    assert audit.difficulty["direction"].eq("higher").all()


def test_results_of_unknown_kpis_and_missing_actuals_are_ignored(tables):
    extra = pd.DataFrame(
        {
            "employee_id": ["E000", "E001"],
            "kpi_id": ["ZZ", "S1"],
            "period": ["2025Q1", "2026Q1"],
            "actual": [1.0, np.nan],
        }
    )
    tables["results"] = pd.concat([tables["results"], extra], ignore_index=True)
    audit = diagnose_kpi_system(make_client(tables))
    assert "ZZ" not in set(audit.difficulty["kpi_id"]) and "2026Q1" not in set(
        audit.difficulty["period"]
    )
    assert [f for f in audit.findings if f.code in KPI_CODES] == []
