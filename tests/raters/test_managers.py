"""Leniency by manager from employees.rating: synthetic plants and the HRDataset_v14 export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.raters import diagnose_managers, diagnose_raters, manager_leniency
from tests.support import make_client, real_data

HR_LABELS = {"Exceeds": 4.0, "Fully Meets": 3.0, "Needs Improvement": 2.0, "PIP": 1.0}


def _company(seed: int, lenient: str | None = None, severe: str | None = None) -> pd.DataFrame:
    """40 managers of 8 to 20 reports, ratings 1..5 drawn from one company-wide distribution."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(40):
        manager = f"M{m:02d}"
        for i in range(int(rng.integers(8, 21))):
            latent = rng.normal(3, 0.9)
            latent += 1.2 if manager == lenient else -1.2 if manager == severe else 0
            rows.append(
                {
                    "employee_id": f"{manager}-{i:02d}",
                    "department": f"D{m % 5}",
                    "manager_id": manager,
                    "rating": float(np.clip(np.round(latent), 1, 5)),
                }
            )
    return pd.DataFrame(rows)


def test_planted_lenient_and_severe_managers_are_named():
    client = make_client({"employees": _company(0, lenient="M07", severe="M21")})
    findings = diagnose_raters(client)
    assert [f.subject for f in findings if f.code == "RATER_LENIENT"] == ["M07"]
    assert [f.subject for f in findings if f.code == "RATER_SEVERE"] == ["M21"]
    evidence = next(f for f in findings if f.code == "RATER_LENIENT").evidence
    assert evidence["source"] == "employees.rating"
    assert evidence["mean"] > evidence["rest_mean"] and evidence["p_holm"] <= 0.05
    assert sum(evidence["distribution"].values()) == evidence["n_ratees"]
    assert any(
        f.code == "ANALYSIS_SKIPPED" and f.subject == "360° rater diagnostics" for f in findings
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_company_flags_no_manager(seed):
    findings = diagnose_managers(make_client({"employees": _company(seed)}))
    assert findings == []


def test_small_teams_are_not_tested():
    employees = _company(4)
    employees.loc[employees["manager_id"] == "M03", "manager_id"] = "tiny"
    employees.loc[employees.index[employees["manager_id"] == "tiny"][4:], "manager_id"] = "M04"
    employees.loc[employees["manager_id"] == "tiny", "rating"] = 5.0
    table = manager_leniency(employees, min_ratees=5)
    assert table.loc["tiny", "n_ratees"] == 4 and np.isnan(table.loc["tiny", "p_value"])
    assert diagnose_managers(make_client({"employees": employees})) == []


def test_no_manager_column_is_skipped():
    employees = _company(5).drop(columns="manager_id")
    findings = diagnose_raters(make_client({"employees": employees}))
    skipped = [f for f in findings if f.code == "ANALYSIS_SKIPPED"]
    assert [f.subject for f in skipped] == ["360° rater diagnostics", "leniency by manager"]
    assert skipped[1].evidence["missing"] == ["employees.manager_id"]


def _hrdataset() -> pd.DataFrame:
    raw = pd.read_csv(
        real_data("hrdataset-v14", "HRDataset_v14.csv"),
        encoding="utf-8-sig",
        dtype={"ManagerID": str, "EmpID": str},
    )
    return pd.DataFrame(
        {
            "employee_id": raw["EmpID"],
            "department": raw["Department"].str.strip(),
            "manager_id": raw["ManagerID"].str.replace(r"\.0$", "", regex=True),
            "gender": raw["Sex"].str.strip(),
            "rating": raw["PerformanceScore"].map(HR_LABELS),
        }
    )


def test_hrdataset_names_every_manager_with_evidence():
    employees = _hrdataset()
    table = manager_leniency(employees)
    assert len(table) == 23 and table["n_ratees"].sum() == 303  # 8 rows have no ManagerID
    assert table.loc["12", "distribution"] == {"1": 4, "2": 1, "3": 10, "4": 7}
    assert table.loc["17", "mean"] == pytest.approx(38 / 14)
    tested = table["p_value"].notna()
    assert tested.sum() == 18  # managers with at least 5 rated reports
    assert table.loc[tested, "p_holm"].ge(table.loc[tested, "p_value"]).all()


def test_hrdataset_verdict_under_defaults_and_relaxed_thresholds():
    employees = _hrdataset()
    settings = {"scale": {"min": 1, "max": 4}}
    # 78% "Fully Meets": no manager's mean is far enough from the rest to pass the guards ...
    assert diagnose_managers(make_client({"employees": employees}, **settings)) == []
    # ... but with the effect-size and significance guards relaxed, the strictest one is named.
    relaxed = {"RATER_SEVERE": {"effect_size": 0.4, "p_value": 1.0, "min_points": 0.2}}
    findings = diagnose_managers(
        make_client({"employees": employees}, thresholds=relaxed, **settings)
    )
    assert [f.subject for f in findings] == ["17"]
    evidence = findings[0].evidence
    assert evidence["n_ratees"] == 14 and evidence["effect_size"] < -0.4
    assert evidence["distribution"] == {"1": 2, "2": 0, "3": 12, "4": 0}
