"""Bonus pool allocation: target bonus × performance multiplier, rounded to add up to the pool."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perfkit.settings import EngagementSettings

#: Default bonus multipliers from the best grade to the worst, spread over any number of grades.
DEFAULT_BONUS_CURVE: tuple[float, ...] = (1.5, 1.2, 1.0, 0.6, 0.0)


def spread_curve(names: Sequence[str], curve: Sequence[float]) -> dict[str, float]:
    """Spread a best-to-worst curve over any number of grades by linear interpolation.

    Examples
    --------
    >>> spread_curve(["S", "A", "B", "C", "D"], (1.5, 1.2, 1.0, 0.6, 0.0))["C"]
    0.6
    >>> spread_curve(["A", "B", "C"], (1.5, 1.2, 1.0, 0.6, 0.0))
    {'A': 1.5, 'B': 1.0, 'C': 0.0}
    """
    names = list(names)
    if len(names) == 1:
        return {names[0]: 1.0}
    values = np.interp(np.linspace(0, 1, len(names)), np.linspace(0, 1, len(curve)), curve)
    return {n: round(float(v), 6) for n, v in zip(names, values, strict=True)}


def grade_multipliers(settings: EngagementSettings) -> dict[str, float]:
    """Return the bonus multiplier of each grade: ``rewards.bonus_multipliers`` or the default curve."""
    given = settings.rewards.bonus_multipliers
    return (
        dict(given)
        if given is not None
        else spread_curve(settings.grade_names, DEFAULT_BONUS_CURVE)
    )


def round_to_total(amounts: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative amounts to whole units that add up exactly to ``total`` (largest remainder).

    Each amount is rounded down, then the units still missing go one each to the amounts with
    the largest remainders (ties to the earlier row), so no amount moves by a unit or more.

    Examples
    --------
    >>> round_to_total(np.array([33.4, 33.3, 33.3]), 100).tolist()
    [34, 33, 33]
    """
    amounts = np.asarray(amounts, dtype=float)
    floors = np.floor(amounts).astype(np.int64)
    remainders = amounts - floors
    short = int(total - floors.sum())
    if short > 0:
        order = np.argsort(-remainders, kind="stable")
        floors[order[:short]] += 1
    elif short < 0:  # float error pushed the floors over the total: take units back
        order = np.argsort(np.where(floors > 0, remainders, np.inf), kind="stable")
        floors[order[:-short]] -= 1
    return floors


def allocate_bonus_pool(
    targets: pd.Series | np.ndarray,
    multipliers: pd.Series | np.ndarray,
    pool: float,
    *,
    unit: float = 1.0,
) -> pd.Series:
    """Share a bonus pool in proportion to target bonus × multiplier, in whole currency units.

    Parameters
    ----------
    targets : Series or array of float
        Each employee's target bonus (base salary × bonus_target_pct / 100), >= 0.
    multipliers : Series or array of float
        Each employee's performance multiplier, >= 0.
    pool : float
        The pool, >= 0. The payouts add up exactly to ``pool`` rounded down to whole units.
    unit : float, default 1.0
        The currency unit payouts are rounded to.

    Returns
    -------
    Series of float
        The payouts, >= 0, aligned with ``targets``. When every weight is zero the pool is
        shared by target bonus alone, and when every target is zero, equally.

    Raises
    ------
    ValueError
        A negative or missing target, multiplier or pool.

    Examples
    --------
    >>> allocate_bonus_pool([100, 100, 100], [1.5, 1.0, 0.5], 1000).tolist()
    [500.0, 333.0, 167.0]
    """
    index = targets.index if isinstance(targets, pd.Series) else None
    t = np.asarray(targets, dtype=float)
    m = np.asarray(multipliers, dtype=float)
    if t.shape != m.shape:
        raise ValueError(
            f"targets and multipliers must have the same length; got {t.shape} and {m.shape}"
        )
    for name, values in (("targets", t), ("multipliers", m)):
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError(f"{name} must be finite and >= 0")
    if not np.isfinite(pool) or pool < 0 or unit <= 0:
        raise ValueError(f"pool must be finite and >= 0 and unit > 0; got pool={pool}, unit={unit}")
    units = int(np.floor(pool / unit))
    if units * unit > pool:  # float division rounded up: never pay more than the pool
        units -= 1
    if t.size == 0:
        return pd.Series(np.zeros(0), index=index, dtype=float)
    weights = t * m
    if weights.sum() <= 0:
        weights = t if t.sum() > 0 else np.ones_like(t)
    shares = weights / weights.sum() * units
    return pd.Series(round_to_total(shares, units) * unit, index=index, dtype=float)
