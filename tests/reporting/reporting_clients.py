"""Small synthetic clients for the reporting tests, with fixed seeds (and, on demand, injected text)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


def write_client(
    folder: Path,
    *,
    employees: int = 60,
    seed: int = 0,
    lang: str = "zh",
    inject: bool = False,
    title: str | None = None,
) -> Path:
    """Write a small client folder in the contract's format and return it.

    ``inject`` puts script tags and a spreadsheet formula into names, a KPI name, a department
    and rating comments, for the injection tests.
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    zh = lang == "zh"
    depts = ["销售部", "运营部", "财务部"] if zh else ["Sales", "Operations", "Finance"]
    roles = {depts[0]: "sales", depts[1]: "ops", depts[2]: "fin"}
    ids = [f"E{i:03d}" for i in range(1, employees + 1)]
    dept = [depts[i % 3] for i in range(employees)]
    names = [(f"员工{i}" if zh else f"Person {i}") for i in range(employees)]
    if inject:
        names[0] = SCRIPT
        names[1] = FORMULA
        dept = [SCRIPT if d == depts[2] else d for d in dept]
        roles[SCRIPT] = roles.pop(depts[2])
    truth = rng.normal(0, 1, employees)
    emp = pd.DataFrame(
        {
            "employee_id": ids,
            "department": dept,
            "name": names,
            "role": [roles[d] for d in dept],
            "manager_id": ["E001"] * employees,
            "level": rng.choice(["L1", "L2", "L3"], employees),
            "gender": rng.choice(["F", "M"], employees),
            "hire_date": pd.Timestamp("2019-01-01")
            + pd.to_timedelta(rng.integers(0, 1500, employees), unit="D"),
            "base_salary": rng.integers(8000, 30000, employees) * 12,
            "salary_midpoint": 200000,
            "bonus_target_pct": 15.0,
            "last_increase_pct": np.round(3 + truth + rng.normal(0, 0.5, employees), 1),
            "rating": np.clip(np.round(3 + truth), 1, 5),
            "potential": rng.integers(1, 4, employees),
        }
    )
    emp.loc[0, "manager_id"] = np.nan
    emp["hire_date"] = emp["hire_date"].dt.strftime("%Y-%m-%d")
    emp.to_csv(folder / "employees.csv", index=False)
    kpi_rows = []
    for role in ("sales", "ops", "fin"):
        for j in range(4):
            name = ("收入" if zh else "Revenue") + f" {role}-{j}"
            if inject and role == "sales" and j == 0:
                name = SCRIPT
            kpi_rows.append(
                {
                    "kpi_id": f"{role.upper()}{j}",
                    "name": name,
                    "role": role,
                    "weight": 25,
                    "target": 100.0,
                    "direction": "higher",
                    "unit": "%",
                    "perspective": ["financial", "customer", "process", "learning"][j],
                    "objective_id": f"O{j}",
                }
            )
    kpis = pd.DataFrame(kpi_rows)
    kpis.to_csv(folder / "kpis.csv", index=False)
    pd.DataFrame(
        {
            "objective_id": [f"O{j}" for j in range(4)],
            "name": [f"目标{j}" if zh else f"Objective {j}" for j in range(4)],
        }
    ).to_csv(folder / "objectives.csv", index=False)
    periods = ["2025Q3", "2025Q4"]
    results = []
    for i, eid in enumerate(ids):
        for k in kpis[kpis["role"] == emp.loc[i, "role"]].itertuples():
            for p in periods:
                results.append(
                    {
                        "employee_id": eid,
                        "kpi_id": k.kpi_id,
                        "period": p,
                        "actual": round(100 + 10 * truth[i] + rng.normal(0, 8), 1),
                    }
                )
    pd.DataFrame(results).to_csv(folder / "results.csv", index=False)
    comps = ["沟通", "协作", "执行"] if zh else ["Communication", "Teamwork", "Execution"]
    ratings = []
    for i, eid in enumerate(ids):
        raters = [
            ("self", eid),
            ("manager", ids[(i // 10) * 10 if (i // 10) * 10 != i else (i + 1) % employees]),
            ("peer", ids[(i + 1) % employees]),
            ("peer", ids[(i + 2) % employees]),
        ]
        for relation, rater in raters:
            for c in comps:
                score = float(
                    np.clip(
                        np.round(
                            3 + truth[i] + rng.normal(0, 0.6) + (0.6 if relation == "self" else 0)
                        ),
                        1,
                        5,
                    )
                )
                comment = (
                    SCRIPT if inject and relation == "manager" else ("表现稳定" if zh else "steady")
                )
                ratings.append(
                    {
                        "employee_id": eid,
                        "rater_id": rater,
                        "relation": relation,
                        "period": "2025Q4",
                        "competency": c,
                        "score": score,
                        "comment": comment,
                    }
                )
    pd.DataFrame(ratings).to_csv(folder / "ratings.csv", index=False)
    catalog = [
        {
            "course_id": f"C{j}",
            "name": f"{c} 提升" if zh else f"{c} course",
            "competency": c,
            "format": "online",
            "hours": 8,
            "cost": 1000,
        }
        for j, c in enumerate(comps)
    ]
    pd.DataFrame(catalog).to_csv(folder / "training_catalog.csv", index=False)
    client_title = title or ("华东物流" if zh else "Northwind Logistics")
    (folder / "engagement.yaml").write_text(
        f"client: {client_title!r}\nlanguage: {lang}\n", encoding="utf-8"
    )
    return folder


def tool_available(path: str) -> bool:
    """Return whether an executable exists; under CI=true its absence fails instead of skipping."""
    found = shutil.which(path) is not None or Path(path).exists()
    if not found and os.environ.get("CI") != "true":
        pytest.skip(f"{path} is not installed (these tests run under CI=true)")
    return found
