"""A synthetic company of employees with ratings, KPI scores and pay rises, built in memory."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

GUIDELINE = np.array([0.1, 0.2, 0.4, 0.2, 0.1])  # points 1..5, the default grades D..S


def guideline_rating(latent: np.ndarray) -> np.ndarray:
    """Ratings 1..5 at the guideline's quantiles of ``latent``."""
    cuts = np.quantile(latent, np.cumsum(GUIDELINE)[:-1])
    return (np.searchsorted(cuts, latent) + 1).astype("float64")


def make_company(
    n: int = 600,
    *,
    seed: int = 0,
    generous: str | None = None,
    pay_follows: bool = True,
    rating_follows: bool = True,
    gender_gap: float = 0.0,
) -> tuple[pd.DataFrame, SimpleNamespace]:
    """Return (employees, scores): six departments, ratings on the guideline, pay following ratings."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, n)
    gender = rng.choice(["F", "M"], n)
    shown = latent + rng.normal(0, 0.4, n) if rating_follows else rng.normal(0, 1, n)
    shown = shown - gender_gap * (gender == "F")
    employees = pd.DataFrame(
        {
            "employee_id": [f"{i:05d}" for i in range(n)],
            "department": [f"D{i % 6}" for i in range(n)],
            "gender": gender,
            "location": rng.choice(["上海", "北京", "深圳"], n),
            "level": rng.choice(["L1", "L2", "L3", "L4"], n),
            "rating": guideline_rating(shown),
        }
    )
    if generous is not None:
        mask = employees["department"] == generous
        employees.loc[mask, "rating"] = np.minimum(employees.loc[mask, "rating"] + 1, 5)
    pay_basis = employees["rating"].to_numpy() if pay_follows else rng.normal(3, 1, n)
    employees["last_increase_pct"] = np.round(1 + 0.9 * pay_basis + rng.normal(0, 0.5, n), 1)
    kpi = 100 + 15 * latent + rng.normal(0, 5, n)
    score = 0.7 * kpi + 0.3 * (50 + 12 * latent + rng.normal(0, 5, n))
    ranks = pd.Series(score).rank(ascending=False, method="first").to_numpy()
    grade = np.select(
        [ranks <= 0.1 * n, ranks <= 0.3 * n, ranks <= 0.7 * n, ranks <= 0.9 * n],
        ["S", "A", "B", "C"],
        "D",
    )
    scored = pd.DataFrame(
        {
            "employee_id": employees["employee_id"],
            "department": employees["department"],
            "kpi_score": kpi,
            "competency_score": np.nan,
            "score": score,
            "grade": grade,
        }
    )
    return employees, SimpleNamespace(employees=scored)
