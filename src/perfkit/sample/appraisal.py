"""The client's own appraisal and pay: ``employees.rating``, potential, salaries and increases."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perfkit.sample.catalog import BONUS_TARGET_PCT, CEO_MIDPOINT, MIDPOINTS
from perfkit.sample.flaws import FEMALE_PENALTY, SKEW, Plan
from perfkit.sample.world import PERFORMANCE_SD, World

#: The guideline distribution of ratings 1..5 (the default grades' shares, worst first).
GUIDELINE = (0.10, 0.20, 0.40, 0.20, 0.10)
INCREASE_BY_RATING = (0.0, 1.5, 3.5, 5.5, 8.0)


def appraisal_scores(world: World, plan: Plan) -> np.ndarray:
    """The client's view of each person's current performance, with the planted shifts.

    The skewed department is shifted up; in the Chinese sample women are shifted down.
    """
    score = world.appraisal.copy()
    if plan.female_penalty:
        score -= np.where(world.gender == "F", FEMALE_PENALTY, 0.0)
    return score + np.where(world.department == plan.skew_department, SKEW, 0.0)


def rate_employees(world: World, plan: Plan) -> np.ndarray:
    """The client's overall rating (1..5): :func:`appraisal_scores` cut at the guideline.

    The cut points come from everyone outside the skewed department, so the other departments
    follow the guideline.
    """
    score = appraisal_scores(world, plan)
    skewed = world.department == plan.skew_department
    reference = score[~skewed] if (~skewed).sum() >= 10 else score
    cuts = np.quantile(reference, np.cumsum(GUIDELINE)[:-1])
    return 1 + np.searchsorted(cuts, score)


def draw_potential(world: World, rng: np.random.Generator) -> np.ndarray:
    """Potential 1..3, following current performance and its trend (30/45/25 %)."""
    trend = (world.performance[:, -1] - world.performance[:, 0]) / PERFORMANCE_SD
    score = 0.6 * world.current / PERFORMANCE_SD + 0.4 * trend + rng.normal(0, 0.5, world.size)
    return 1 + np.searchsorted(np.quantile(score, [0.30, 0.75]), score)


def pay_columns(
    world: World, plan: Plan, rating: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Base salary around the level's midpoint, bonus target by level, and last year's increase.

    ``last_increase_pct`` follows the rating in the Chinese sample and is drawn at random in the
    English one (PAY_PERFORMANCE_MISALIGNED).
    """
    midpoint = np.array(MIDPOINTS, dtype=float)[world.level]
    midpoint[world.manager < 0] = CEO_MIDPOINT
    compa = np.exp(rng.normal(0, 0.08, world.size) + 0.03 * world.current / PERFORMANCE_SD)
    if plan.pay_follows_performance:
        increase = np.array(INCREASE_BY_RATING)[rating - 1] + rng.normal(0, 0.6, world.size)
    else:
        increase = rng.uniform(1.0, 6.0, world.size)
    return pd.DataFrame(
        {
            "base_salary": np.round(midpoint * compa, -2),
            "salary_midpoint": midpoint,
            "bonus_target_pct": np.array(BONUS_TARGET_PCT, dtype=float)[world.level],
            "last_increase_pct": np.round(np.maximum(increase, 0.0), 1),
        }
    )
