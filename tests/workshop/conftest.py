"""A small synthetic client for the workshop tests, built in memory with a fixed seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perfkit.intake import Client
from perfkit.scoring import score_performance
from perfkit.settings import EngagementSettings

#: A department name that must reach the widgets' HTML escaped.
HOSTILE = "<script>alert(1)</script>"


def build_client(n: int = 60, seed: int = 0, lang: str = "en") -> Client:
    """Two roles (sales: K1, K2; ops: K3, K4), three departments, one period, 360° ratings."""
    rng = np.random.default_rng(seed)
    ids = [f"{i:03d}" for i in range(n)]
    role = np.where(np.arange(n) % 2 == 0, "sales", "ops")
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "department": np.asarray(["Sales", "Ops", HOSTILE])[np.arange(n) % 3],
            "role": role,
            "gender": np.where(np.arange(n) % 4 < 2, "F", "M"),
            "location": np.where(np.arange(n) % 5 < 3, "Shanghai", "Beijing"),
            "base_salary": rng.integers(80, 160, n) * 1000.0,
            "salary_midpoint": 120000.0,
            "bonus_target_pct": 10.0,
            "potential": rng.integers(1, 4, n).astype(float),
            "hire_date": pd.Timestamp("2018-01-01"),
        }
    )
    kpis = pd.DataFrame(
        {
            "kpi_id": ["K1", "K2", "K3", "K4"],
            "name": ["Revenue", "Margin", "On time", "Cost"],
            "role": ["sales", "sales", "ops", "ops"],
            "weight": [50.0, 50.0, 60.0, 40.0],
            "target": 100.0,
            "direction": "higher",
        }
    )
    rows = [
        (e, k, "2025Q4", 100 + rng.normal(0, 15))
        for e, r in zip(ids, role, strict=True)
        for k in (("K1", "K2") if r == "sales" else ("K3", "K4"))
    ]
    results = pd.DataFrame(rows, columns=["employee_id", "kpi_id", "period", "actual"])
    ratings = []
    for i, e in enumerate(ids):
        for rater, bias in (
            ("M1" if i % 2 else "M2", 1.0 if i % 2 else -0.5),
            (ids[(i + 7) % n], 0.0),
            (ids[(i + 13) % n], 0.0),
        ):
            for comp in ("teamwork", "drive"):
                score = float(np.clip(np.round(3 + bias + rng.normal(0, 0.8)), 1, 5))
                ratings.append(
                    (
                        e,
                        rater,
                        "manager" if rater.startswith("M") else "peer",
                        "2025Q4",
                        comp,
                        score,
                    )
                )
    ratings = pd.DataFrame(
        ratings, columns=["employee_id", "rater_id", "relation", "period", "competency", "score"]
    )
    for frame in (employees, kpis, results, ratings):
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str")
    settings = EngagementSettings(language=lang, current_period="2025Q4")
    tables = {"employees": employees, "kpis": kpis, "results": results, "ratings": ratings}
    return Client("synthetic", Path("."), settings, tables)


@pytest.fixture(scope="session")
def build_workshop_client():
    """The builder itself, for tests that need another size, seed or language."""
    return build_client


@pytest.fixture(scope="session")
def hostile() -> str:
    return HOSTILE


@pytest.fixture(scope="module")
def client() -> Client:
    return build_client()


@pytest.fixture(scope="module")
def scores(client):
    return score_performance(client)
