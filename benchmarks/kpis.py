"""Benchmark of diagnose_kpi_system on a synthetic client: 100k employees, 2.4M results."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.run import benchmark
from perfkit.intake import Client
from perfkit.kpis import diagnose_kpi_system
from perfkit.settings import EngagementSettings

PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
PERSPECTIVES = ["financial", "customer", "process", "learning"]


def build_client(
    employees: int = 100_000, roles: int = 30, own_kpis: int = 5, seed: int = 0
) -> Client:
    """Return a synthetic client: ``roles`` roles of ``own_kpis`` KPIs plus one ``*`` KPI, four periods."""
    rng = np.random.default_rng(seed)
    role_names = [f"R{r:02d}" for r in range(roles)]
    kpi_rows = [
        {
            "kpi_id": f"K{r:02d}{k}",
            "role": role,
            "name": f"Monthly sales revenue {k}",
            "description": "per month, from the CRM report",
            "weight": 80 / own_kpis,
            "target": 100.0,
            "direction": "lower" if k == 0 else "higher",
            "unit": "%",
            "perspective": PERSPECTIVES[k % 3],
            "objective_id": f"O{k}",
        }
        for r, role in enumerate(role_names)
        for k in range(own_kpis)
    ]
    kpi_rows.append(
        {
            "kpi_id": "X1",
            "role": "*",
            "name": "Training hours",
            "description": "per quarter, HRIS",
            "weight": 20.0,
            "target": 100.0,
            "direction": "higher",
            "unit": "hours",
            "perspective": "learning",
            "objective_id": "O9",
        }
    )
    kpis = pd.DataFrame(kpi_rows)
    ids = np.array([f"E{i:06d}" for i in range(employees)], dtype=object)
    role_of = rng.integers(0, roles, employees)
    staff = pd.DataFrame(
        {"employee_id": ids, "department": "D", "role": np.array(role_names)[role_of]}
    )
    kpi_index = (
        np.arange(own_kpis)[None, :] + (role_of * own_kpis)[:, None]
    )  # own KPIs per employee
    kpi_index = np.hstack(
        [kpi_index, np.full((employees, 1), len(kpis) - 1)]
    )  # plus the shared one
    per = kpi_index.shape[1]
    n = employees * per * len(PERIODS)
    emp = np.repeat(np.arange(employees), per * len(PERIODS))
    kpi = np.tile(np.repeat(kpi_index, len(PERIODS), axis=1).reshape(employees, -1), 1).ravel()
    period = np.tile(np.arange(len(PERIODS)), employees * per)
    level = rng.normal(size=employees)
    actual = 100 * (1 + 0.1 * (0.6 * level[emp] + 0.8 * rng.normal(size=n)))
    results = pd.DataFrame(
        {
            "employee_id": pd.array(ids[emp], dtype="str"),
            "kpi_id": pd.array(kpis["kpi_id"].to_numpy()[kpi], dtype="str"),
            "period": pd.array(np.array(PERIODS)[period], dtype="str"),
            "actual": actual,
        }
    )
    objectives = pd.DataFrame(
        {
            "objective_id": [f"O{k}" for k in range(10)],
            "name": "objective",
            "perspective": (PERSPECTIVES * 3)[:10],
        }
    )
    tables = {
        "employees": staff.astype({"employee_id": "str", "role": "str"}),
        "kpis": kpis.astype(
            {
                c: "str"
                for c in (
                    "kpi_id",
                    "role",
                    "name",
                    "description",
                    "direction",
                    "unit",
                    "perspective",
                    "objective_id",
                )
            }
        ),
        "results": results,
        "objectives": objectives.astype("str"),
    }
    return Client("benchmark", Path("/nonexistent"), EngagementSettings(language="en"), tables)


def run(employees: int = 100_000, repeats: int = 3) -> dict[str, float]:
    """Return the size of the synthetic client and the best wall and CPU time of ``diagnose_kpi_system``.

    The CPU time is the fairer figure on a shared machine (other processes inflate the wall time).
    """
    client = build_client(employees)
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        audit = diagnose_kpi_system(client)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "employees": employees,
        "results": len(client.tables["results"]),
        "kpis": len(client.tables["kpis"]),
        "findings": len(audit.findings),
        "seconds": round(min(times), 3),
        "cpu_seconds": round(min(cpu), 3),
    }


@benchmark("kpis")
def bench_kpis(sizes: list[int] | tuple[int, ...] = (100_000,)) -> list[dict]:
    """``diagnose_kpi_system`` alone on a synthetic client (one part of ``diagnose``)."""
    run(1_000, repeats=1)  # imports warm
    return [
        {
            "benchmark": "kpis",
            "case": f"KPI audit, {n} employees",
            "seconds": figures["seconds"],
            "cpu_s": figures["cpu_seconds"],
            **figures,
        }
        for n in sizes
        for figures in [run(n, repeats=2)]
    ]


if __name__ == "__main__":
    print(run())
