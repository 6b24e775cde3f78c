"""A small synthetic 360° with known rater effects, built in memory, and real-data locations."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COMPETENCIES = ["沟通", "协作", "执行", "创新", "客户", "专业"]


@dataclass
class Plant:
    """Which raters and employees carry which planted effect."""

    lenient: list[str] = field(default_factory=list)
    severe: list[str] = field(default_factory=list)
    central: list[str] = field(default_factory=list)
    halo: list[str] = field(default_factory=list)
    inflators: list[str] = field(default_factory=list)


def make_360(
    n_teams: int = 12,
    team_size: int = 8,
    *,
    seed: int = 0,
    plant: Plant | None = None,
    periods: tuple[str, ...] = ("2025Q3", "2025Q4"),
    self_bias: float = 0.3,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (employees, ratings): managers rate their team, 3 teammates rate each other, self."""
    plant = plant or Plant()
    rng = np.random.default_rng(seed)
    employees, ratings = [], []
    latent = {}
    for team in range(n_teams):
        manager = f"M{team:02d}"
        members = [f"E{team:02d}{i:02d}" for i in range(team_size)]
        employees.append(
            {"employee_id": manager, "department": f"D{team % 4}", "manager_id": np.nan}
        )
        for m in members:
            employees.append(
                {"employee_id": m, "department": f"D{team % 4}", "manager_id": manager}
            )
            latent[m] = rng.normal(0, 0.7)
        for i, ratee in enumerate(members):
            peers = [members[(i + j) % team_size] for j in (1, 2, 3)]
            raters = [(manager, "manager")] + [(p, "peer") for p in peers] + [(ratee, "self")]
            for period in periods:
                comp_effect = rng.normal(0, 0.5, len(COMPETENCIES))
                for rater, relation in raters:
                    bias = 0.0
                    if rater in plant.lenient:
                        bias = 1.0
                    elif rater in plant.severe:
                        bias = -1.0
                    if relation == "self":
                        bias = self_bias + (1.5 if ratee in plant.inflators else 0.0)
                    raw = (
                        3
                        + latent[ratee]
                        + comp_effect
                        + bias
                        + rng.normal(0, 0.5, len(COMPETENCIES))
                    )
                    if rater in plant.central:
                        raw = np.full(len(COMPETENCIES), 3.0) + rng.normal(
                            0, 0.15, len(COMPETENCIES)
                        )
                    if rater in plant.halo:
                        raw = np.full(len(COMPETENCIES), raw.mean())
                    scores = np.clip(np.round(raw), 1, 5)
                    for competency, score in zip(COMPETENCIES, scores, strict=True):
                        ratings.append(
                            {
                                "employee_id": ratee,
                                "rater_id": rater,
                                "relation": relation,
                                "period": period,
                                "competency": competency,
                                "score": float(score),
                            }
                        )
    emp = pd.DataFrame(employees).astype({"employee_id": "str", "department": "str"})
    return emp, pd.DataFrame(ratings)
