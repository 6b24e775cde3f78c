"""Benchmark of ``score_performance`` on a synthetic client of 100k employees (``run()`` returns the figures)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.run import benchmark
from perfkit.intake import Client
from perfkit.settings import EngagementSettings


def build_client(
    n_employees: int = 100_000,
    n_periods: int = 4,
    kpis_per_role: int = 6,
    raters: int = 8,
    competencies: int = 6,
    seed: int = 0,
) -> Client:
    """Return a synthetic client: results for every employee × KPI × period, 360° ratings in the last period."""
    rng = np.random.default_rng(seed)
    roles = [f"R{i}" for i in range(10)]
    ids = np.char.add("E", np.arange(n_employees).astype(str).astype("U7"))
    role = rng.choice(roles, n_employees)
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "department": np.char.add("D", (np.arange(n_employees) % 7).astype(str)),
            "role": role,
            "rating": rng.integers(1, 6, n_employees).astype("float64"),
        }
    )
    kpi_rows = []
    for r in roles:
        for k in range(kpis_per_role):
            lower = k == 1
            kpi_rows.append(
                {
                    "kpi_id": f"{r}K{k}",
                    "name": f"{r} KPI {k}",
                    "role": r,
                    "weight": 100 / kpis_per_role,
                    "target": 100.0,
                    "direction": "lower" if lower else "higher",
                    "threshold": 70.0 if k == 2 else np.nan,
                    "stretch": 130.0 if k == 2 else np.nan,
                }
            )
    kpis = pd.DataFrame(kpi_rows)
    periods = [f"2025Q{q + 1}" for q in range(n_periods)]
    truth = rng.normal(0, 1, n_employees)
    emp_idx = np.repeat(np.arange(n_employees), kpis_per_role * n_periods)
    k_idx = np.tile(np.repeat(np.arange(kpis_per_role), n_periods), n_employees)
    p_idx = np.tile(np.arange(n_periods), n_employees * kpis_per_role)
    sign = np.where(k_idx == 1, -1, 1)
    actual = 100 + sign * (10 * truth[emp_idx] + rng.normal(0, 8, len(emp_idx)))
    results = pd.DataFrame(
        {
            "employee_id": ids[emp_idx],
            "kpi_id": np.char.add(np.char.add(role[emp_idx], "K"), k_idx.astype(str)),
            "period": np.asarray(periods)[p_idx],
            "actual": actual,
        }
    )
    n_r = n_employees * raters * competencies
    ratee = np.repeat(np.arange(n_employees), raters * competencies)
    slot = np.tile(np.repeat(np.arange(raters), competencies), n_employees)
    rater = np.where(
        slot == 0, ratee, np.where(slot == 1, ratee // 8, rng.integers(0, n_employees, n_r))
    )
    relation = np.where(
        slot == 0, "self", np.where(slot == 1, "manager", np.where(slot < 6, "peer", "report"))
    )
    leniency = rng.normal(0, 0.3, n_employees)
    score = np.clip(
        np.round(3 + 0.7 * truth[ratee] + leniency[rater] + rng.normal(0, 0.5, n_r)), 1, 5
    )
    ratings = pd.DataFrame(
        {
            "employee_id": ids[ratee],
            "rater_id": np.char.add("E", rater.astype(str)),
            "relation": relation,
            "period": periods[-1],
            "competency": np.char.add(
                "C", np.tile(np.arange(competencies), n_employees * raters).astype(str)
            ),
            "score": score,
        }
    )
    for frame in (employees, kpis, results, ratings):
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith("<U"):
                frame[col] = frame[col].astype("str")
    tables = {"employees": employees, "kpis": kpis, "results": results, "ratings": ratings}
    return Client("bench", Path("."), EngagementSettings(language="en"), tables)


def run(n_employees: int = 100_000) -> dict:
    """Time ``score_performance`` on a synthetic client and return the figures."""
    from perfkit.scoring import score_performance

    t0 = time.perf_counter()
    client = build_client(n_employees)
    t1, c1 = time.perf_counter(), time.process_time()
    scores = score_performance(client)
    t2, c2 = time.perf_counter(), time.process_time()
    no_ratings = {k: v for k, v in client.tables.items() if k != "ratings"}
    score_performance(Client("results-only", Path("."), client.settings, no_ratings))
    t3 = time.perf_counter()
    only = Client(
        "employees-only", Path("."), EngagementSettings(), {"employees": client.employees}
    )
    score_performance(only)
    t4 = time.perf_counter()
    return {
        "employees": n_employees,
        "results": len(client.tables["results"]),
        "ratings": len(client.tables["ratings"]),
        "build_s": round(t1 - t0, 2),
        "score_performance_s": round(t2 - t1, 2),
        "score_performance_cpu_s": round(c2 - c1, 2),
        "results_only_s": round(t3 - t2, 2),
        "employees_only_s": round(t4 - t3, 2),
        "cg_iterations": scores.rater_effects.n_iter_ if scores.rater_effects else None,
        "grade_changes": len(scores.grade_changes),
    }


@benchmark("scoring")
def bench_scoring(sizes: list[int] | tuple[int, ...] = (100_000,)) -> list[dict]:
    """``score_performance`` alone on a synthetic client (one part of ``diagnose``)."""
    run(1_000)  # imports warm
    return [
        {
            "benchmark": "scoring",
            "case": f"scoring, {n} employees",
            "seconds": figures["score_performance_s"],
            **figures,
        }
        for n in sizes
        for figures in [run(n)]
    ]


if __name__ == "__main__":
    print(run())
