"""Evaluation diagnostics on real public exports: McNulty's salespeople and HRDataset_v14."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from perfkit.evaluation import department_distribution, diagnose_evaluation
from tests.support import make_client, real_data

HR_LABELS = {"Exceeds": 4.0, "Fully Meets": 3.0, "Needs Improvement": 2.0, "PIP": 1.0}


def _salespeople_client():
    raw = pd.read_csv(
        real_data("peopleanalytics-regression-book", "salespeople.csv")
    )  # last row is R's NA
    complete = raw.dropna()
    ids = [f"S{i:03d}" for i in range(len(complete))]
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "department": "sales",
            "role": "sales",
            "rating": complete["performance"].to_numpy(dtype="float64"),
        }
    )
    kpis = pd.DataFrame(
        {
            "kpi_id": ["sales"],
            "name": ["Sales"],
            "role": ["sales"],
            "weight": [100.0],
            "target": [1.0],
            "direction": ["higher"],
        }
    )
    results = pd.DataFrame(
        {
            "employee_id": ids,
            "kpi_id": "sales",
            "period": "2025",
            "actual": complete["sales"].to_numpy(dtype="float64"),
        }
    )
    # an attainment cap far above every sale keeps the KPI score in the order of sales
    return make_client(
        {"employees": employees, "kpis": kpis, "results": results},
        scale={"min": 1, "max": 4},
        attainment={"floor": 0, "cap": 10_000},
    )


def test_salespeople_spearman_through_the_finding():
    client = _salespeople_client()
    try:
        from perfkit.scoring import score_performance

        scores = score_performance(client)
    except ImportError:  # perfkit.scoring not there yet: the KPI score is the sales figure
        scores = SimpleNamespace(
            employees=pd.DataFrame(
                {
                    "employee_id": client.employees["employee_id"],
                    "kpi_score": client.table("results")["actual"],
                }
            )
        )
    findings = diagnose_evaluation(client, scores)
    finding = next(f for f in findings if f.code == "RATING_RESULTS_MISALIGNED")
    assert finding.evidence["n"] == 350
    assert finding.evidence["rho"] == pytest.approx(0.2735446, abs=1e-6)
    assert finding.evidence["p_value"] < 1e-5


def _hrdataset() -> pd.DataFrame:
    raw = pd.read_csv(
        real_data("hrdataset-v14", "HRDataset_v14.csv"), encoding="utf-8-sig", dtype={"EmpID": str}
    )
    return pd.DataFrame(
        {
            "employee_id": raw["EmpID"],
            "department": raw["Department"].str.strip(),
            "gender": raw["Sex"].str.strip(),
            "rating": raw["PerformanceScore"].map(HR_LABELS),
        }
    )


def test_hrdataset_department_counts_and_company_reference():
    employees = _hrdataset()
    settings = make_client({"employees": employees}, scale={"min": 1, "max": 4}).settings
    table = department_distribution(employees, settings)
    # 5 default grades cannot map onto a 4-point scale: departments are compared with the rest
    assert set(table["reference"]) == {"company"}
    assert table.loc["Production", "n"] == 209
    assert table.loc["Sales", "distribution"] == pytest.approx(
        {"1": 4 / 31, "2": 1 / 31, "3": 24 / 31, "4": 2 / 31}, abs=1e-4
    )
    assert table["p_value"].notna().sum() == 3  # IT/IS, Production and Sales have 15 or more


def test_compressed_export_with_pay_following_ratings():
    """85% of ratings on one point of a 1–4 scale, pay rises following ratings (HRDataset_v14 replica)."""
    employees = _hrdataset()
    rng = np.random.default_rng(0)
    # HRDataset has 243/311 = 78% "Fully Meets"; move 22 other ratings there: 265/311 = 85%
    others = employees.index[employees["rating"] != 3.0]
    employees.loc[rng.choice(others, size=22, replace=False), "rating"] = 3.0
    employees["last_increase_pct"] = (
        np.array([0.0, 1.0, 3.0, 5.0])[employees["rating"].astype(int) - 1]
        + rng.normal(0, 0.4, len(employees))
    ).round(1)
    client = make_client({"employees": employees}, scale={"min": 1, "max": 4})
    findings = diagnose_evaluation(client, None)
    codes = {f.code for f in findings}
    compressed = next(f for f in findings if f.code == "RATING_COMPRESSED")
    assert compressed.evidence["top_share"] == pytest.approx(265 / 311)
    assert compressed.evidence["distribution"]["3"] == 265
    assert "PAY_PERFORMANCE_MISALIGNED" not in codes
    assert "85%" in compressed.message
