"""Synthetic clients with planted performance trajectories, built in memory."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from perfkit.intake import Client
from perfkit.settings import EngagementSettings

TRAJECTORIES = {  # name: (share, score in the first period, change per period)
    "steady_high": (0.15, 90.0, 0.0),
    "steady_mid": (0.40, 75.0, 0.0),
    "steady_low": (0.15, 60.0, 0.0),
    "rising": (0.15, 62.0, 9.0),
    "declining": (0.15, 88.0, -9.0),
}
PERSPECTIVE_OF = {"K1": "financial", "K2": "customer", "K3": "process"}


def make_planted(
    n=400,
    periods=("2025Q1", "2025Q2", "2025Q3", "2025Q4"),
    seed=0,
    lang="zh",
    noise=4.0,
    ratings=True,
    potential=True,
):
    """Return (client, scores, truth): scores as the shape perfkit.scoring promises."""
    rng = np.random.default_rng(seed)
    names = list(TRAJECTORIES)
    shares = np.array([TRAJECTORIES[t][0] for t in names])
    truth = pd.Series(rng.choice(names, size=n, p=shares), index=[f"E{i:05d}" for i in range(n)])
    start = truth.map(lambda t: TRAJECTORIES[t][1]).to_numpy() + rng.normal(0, 3, n)
    step = truth.map(lambda t: TRAJECTORIES[t][2]).to_numpy()
    rows = []
    for t, period in enumerate(periods):
        true = start + step * t
        kpi = true + rng.normal(0, noise, n)
        comp = true + rng.normal(0, noise * 1.5, n)
        rows.append(
            pd.DataFrame(
                {
                    "employee_id": truth.index,
                    "period": period,
                    "kpi_score": kpi,
                    "competency_score": comp,
                    "score": 0.7 * kpi + 0.3 * comp,
                    "true": true,
                }
            )
        )
    by_period = pd.concat(rows, ignore_index=True)
    current = by_period[by_period["period"] == periods[-1]]
    departments = np.array(["销售部", "运营部", "财务部"])[rng.integers(0, 3, n)]
    employees = pd.DataFrame({"employee_id": truth.index, "department": departments})
    if potential:
        employees["potential"] = rng.integers(1, 4, n).astype(float)
    scored = employees[["employee_id", "department"]].assign(
        role="r",
        kpi_score=current["kpi_score"].to_numpy(),
        competency_score=current["competency_score"].to_numpy(),
        score=current["score"].to_numpy(),
        grade="B",
    )
    attainment = pd.concat(
        [
            current[["employee_id", "period"]].assign(
                kpi_id=k, weight=w, attainment=(current["kpi_score"] + rng.normal(0, 5, n)) / 100
            )
            for k, w in (("K1", 40.0), ("K2", 30.0), ("K3", 30.0))
        ],
        ignore_index=True,
    )
    tables = {
        "employees": employees,
        "kpis": pd.DataFrame(
            {
                "kpi_id": list(PERSPECTIVE_OF),
                "name": list(PERSPECTIVE_OF),
                "role": "*",
                "weight": [40.0, 30.0, 30.0],
                "perspective": list(PERSPECTIVE_OF.values()),
            }
        ),
    }
    if ratings:
        true_now = current["true"].to_numpy()
        base = 1 + 4 * np.clip((true_now - 40) / 70, 0, 1)
        frames = []
        for relation, bias in (("self", 0.3), ("manager", 0.0), ("peer", 0.0)):
            frames.append(
                pd.DataFrame(
                    {
                        "employee_id": truth.index,
                        "rater_id": relation,
                        "relation": relation,
                        "period": periods[-1],
                        "competency": "c1",
                        "score": np.clip(base + bias + rng.normal(0, 0.4, n), 1, 5),
                    }
                )
            )
        tables["ratings"] = pd.concat(frames, ignore_index=True)
    client = Client("planted", Path("."), EngagementSettings(language=lang), tables)
    scores = SimpleNamespace(
        by_period=by_period.drop(columns="true"), employees=scored, attainment=attainment, notes=[]
    )
    return client, scores, truth


@pytest.fixture
def planted():
    return make_planted()
