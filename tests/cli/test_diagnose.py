"""``perfkit diagnose DIR --json FILE`` end to end: the contract's findings.json from a client folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("perfkit.kpis", reason="perfkit.kpis (diagnose_kpi_system) is not written yet")
from perfkit.cli import main
from tests.raters.synthetic_360 import Plant, make_360
from tests.support import real_data

KEYS = ["code", "severity", "area", "subject", "message", "evidence"]


def _write_client(folder: Path, *, lang: str = "en") -> Path:
    """A 360° client with KPIs, a lenient manager and a self-inflating employee, as CSV files."""
    rng = np.random.default_rng(0)
    employees, ratings = make_360(seed=1, plant=Plant(lenient=["M03"], inflators=["E0102"]))
    n = len(employees)
    employees["role"] = "staff"
    employees["gender"] = rng.choice(["F", "M"], n)
    employees["rating"] = rng.integers(2, 5, n).astype(float)
    employees["last_increase_pct"] = (employees["rating"] + rng.normal(0, 0.3, n)).round(1)
    kpis = pd.DataFrame(
        {
            "kpi_id": ["K1", "K2", "K3"],
            "name": ["Revenue 2025", "Cost per order", "NPS"],
            "role": "staff",
            "weight": [40, 30, 30],
            "target": [100.0, 20.0, 50.0],
            "direction": ["higher", "lower", "higher"],
            "unit": ["万元", "元", "分"],
        }
    )
    rows = []
    for employee in employees["employee_id"]:
        for period in ("2025Q3", "2025Q4"):
            for kpi, target in zip(kpis["kpi_id"], kpis["target"], strict=True):
                rows.append(
                    {
                        "employee_id": employee,
                        "kpi_id": kpi,
                        "period": period,
                        "actual": round(target * rng.normal(1.0, 0.15), 2),
                    }
                )
    folder.mkdir(parents=True, exist_ok=True)
    employees.to_csv(folder / "employees.csv", index=False)
    ratings.to_csv(folder / "ratings.csv", index=False)
    kpis.to_csv(folder / "kpis.csv", index=False)
    pd.DataFrame(rows).to_csv(folder / "results.csv", index=False)
    (folder / "engagement.yaml").write_text(f"language: {lang}\n", encoding="utf-8")
    return folder


def test_diagnose_writes_the_contract_findings(tmp_path):
    client = _write_client(tmp_path / "acme")
    before = sorted(p.name for p in client.iterdir())
    out = tmp_path / "out" / "findings.json"
    assert main(["diagnose", str(client), "--json", str(out)]) == 0
    findings = json.loads(out.read_text(encoding="utf-8"))
    assert findings and all(list(f) == KEYS for f in findings)
    assert all(f["severity"] in ("info", "warning", "critical") for f in findings)
    subjects = {(f["code"], f["subject"]) for f in findings}
    assert ("RATER_LENIENT", "M03") in subjects
    assert ("SELF_INFLATION", "E0102") in subjects
    lenient = next(f for f in findings if f["code"] == "RATER_LENIENT")
    assert {"n_ratees", "mean_deviation", "effect_size", "rater_mean", "others_mean"} <= set(
        lenient["evidence"]
    )
    assert not [
        s for s in subjects if s[0] in ("RATER_SEVERE", "RATER_HALO", "RATER_CENTRAL_TENDENCY")
    ]
    assert sorted(p.name for p in client.iterdir()) == before  # nothing written into the client


def test_diagnose_in_chinese(tmp_path):
    client = _write_client(tmp_path / "华东物流", lang="zh")
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(client), "--json", str(out)]) == 0
    lenient = next(
        f for f in json.loads(out.read_text(encoding="utf-8")) if f["code"] == "RATER_LENIENT"
    )
    assert "评分人 M03" in lenient["message"]


def test_employees_only_client_says_what_it_skipped(tmp_path):
    """54,808 employees and nothing else: every analysis that needs more says so; the rest runs."""
    rng = np.random.default_rng(1)
    n = 54_808
    employees = pd.DataFrame(
        {
            "employee_id": [f"{i:06d}" for i in range(n)],
            "department": rng.choice(
                [
                    "Sales",
                    "Operations",
                    "Technology",
                    "Analytics",
                    "Procurement",
                    "Finance",
                    "HR",
                    "Legal",
                    "R&D",
                ],
                n,
            ),
            "gender": rng.choice(["f", "m"], n, p=[0.3, 0.7]),
            "location": rng.choice([f"region_{i}" for i in range(34)], n),
            "rating": rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.1, 0.2, 0.4, 0.2, 0.1]),
        }
    )
    folder = tmp_path / "big"
    folder.mkdir()
    employees.to_csv(folder / "employees.csv", index=False)
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(folder), "--json", str(out)]) == 0
    findings = json.loads(out.read_text(encoding="utf-8"))
    skipped = {f["subject"] for f in findings if f["code"] == "ANALYSIS_SKIPPED"}
    assert {
        "360° rater diagnostics",
        "leniency by manager",
        "ratings vs results",
        "pay vs performance",
    } <= skipped
    assert not [f for f in findings if f["code"] == "ADVERSE_IMPACT"]  # gender drawn independently


def test_hrdataset_export_end_to_end(tmp_path):
    source = real_data("hrdataset-v14", "HRDataset_v14.csv")
    settings = (
        Path(__file__).resolve().parents[2] / "examples" / "hrdataset-v14" / "engagement.yaml"
    )
    folder = tmp_path / "hrdataset"
    folder.mkdir()
    (folder / "HRDataset_v14.csv").symlink_to(source)
    (folder / "engagement.yaml").write_text(settings.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(folder), "--json", str(out)]) == 0
    findings = json.loads(out.read_text(encoding="utf-8"))
    compressed = next(f for f in findings if f["code"] == "RATING_COMPRESSED")
    assert compressed["evidence"]["distribution"] == {"1": 13, "2": 18, "3": 243, "4": 37}
    skipped = {f["subject"] for f in findings if f["code"] == "ANALYSIS_SKIPPED"}
    assert "360° rater diagnostics" in skipped and "leniency by manager" not in skipped


def test_invalid_data_exits_1_without_findings(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "employees.csv").write_text("employee_id,name\n1,张三\n", encoding="utf-8")
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(folder), "--json", str(out)]) == 1
    assert not out.exists()
