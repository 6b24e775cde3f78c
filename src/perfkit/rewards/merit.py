"""The merit matrix: increase by grade × compa-ratio band, scaled to spend 95–100% of the budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from perfkit.rewards.bonus import spread_curve
from perfkit.settings import EngagementSettings

#: Default merit factors from the best grade to the worst, spread over any number of grades.
DEFAULT_MERIT_CURVE: tuple[float, ...] = (1.5, 1.25, 1.0, 0.5, 0.0)
#: The lowest spend the fitted matrix must reach, as a share of the budget.
MIN_SPEND = 0.95


def merit_grade_factors(settings: EngagementSettings) -> dict[str, float]:
    """Return the merit factor of each grade: ``rewards.merit_factors`` or the default curve."""
    given = settings.rewards.merit_factors
    return (
        dict(given)
        if given is not None
        else spread_curve(settings.grade_names, DEFAULT_MERIT_CURVE)
    )


def compa_factors(settings: EngagementSettings) -> list[float]:
    """Return the merit factor of each compa-ratio band, lowest band first (default 1.25 → 0.75)."""
    given = settings.rewards.compa_factors
    n = len(settings.rewards.compa_bands) + 1
    if given is not None:
        return list(given)
    return [round(float(v), 6) for v in np.linspace(1.25, 0.75, n)] if n > 1 else [1.0]


def band_labels(edges: Sequence[float]) -> list[str]:
    """Name the compa-ratio bands: ``['<0.90', '0.90–1.10', '≥1.10']`` for edges (0.9, 1.1)."""
    edges = list(edges)
    if not edges:
        return ["all"]
    labels = [f"<{edges[0]:.2f}"]
    labels += [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    return labels + [f"≥{edges[-1]:.2f}"]


def assign_bands(compa_ratio: pd.Series, edges: Sequence[float]) -> pd.Series:
    """Return each compa-ratio's band index (0 = lowest); a missing ratio falls in the band of 1.0."""
    values = compa_ratio.to_numpy(dtype=float, na_value=np.nan)
    values = np.where(np.isfinite(values), values, 1.0)
    return pd.Series(
        np.searchsorted(np.asarray(edges, dtype=float), values, side="right"),
        index=compa_ratio.index,
    )


@dataclass
class MeritFit:
    """A merit matrix fitted to a budget.

    Attributes
    ----------
    matrix : DataFrame
        Increase in percent of base salary, grades (best first) × compa-ratio bands (lowest first).
    increase_pct : Series
        Each employee's increase in percent (NaN where the employee had no salary or grade).
    budget, cost : float
        The budget and what the matrix spends, in currency.
    scale : float
        Percentage points per unit of factor.
    """

    matrix: pd.DataFrame
    increase_pct: pd.Series
    budget: float
    cost: float
    scale: float

    @property
    def spend_share(self) -> float:
        """Cost as a share of the budget (1.0 when both are zero)."""
        return self.cost / self.budget if self.budget > 0 else 1.0


def fit_merit_matrix(
    grades: pd.Series,
    bands: pd.Series,
    salaries: pd.Series,
    *,
    budget: float,
    grade_factors: dict[str, float],
    band_factors: Sequence[float],
    band_names: Sequence[str] | None = None,
    decimals: int = 2,
) -> MeritFit:
    """Fit the matrix grade factor × band factor to spend 95–100% of ``budget``, never more.

    The matrix is scaled so that the increases would spend the budget exactly, then each cell is
    rounded *down* to ``decimals`` decimals of a percent: the spend can only fall, never pass the
    budget. When the rounding leaves less than 95% spent (tiny budgets), more decimals are kept.
    A cell's increase never falls as the grade improves or the band drops, since rounding down
    keeps the factors' order. When every salaried employee sits in a zero-factor cell, the budget
    is spread as one flat percentage instead.

    Parameters
    ----------
    grades : Series of str
        Each employee's grade (NaN: not rewarded).
    bands : Series of int
        Each employee's compa-ratio band index (see :func:`assign_bands`).
    salaries : Series of float
        Base salaries (NaN or <= 0: not rewarded).
    budget : float
        The merit budget in currency, >= 0.
    grade_factors : dict of str to float
        Factor per grade, best first; every grade in ``grades`` must have one.
    band_factors : sequence of float
        Factor per band, lowest band first.
    band_names : sequence of str, optional
        Column names of the matrix.
    decimals : int, default 2

    Returns
    -------
    MeritFit
    """
    grade_names = list(grade_factors)
    band_names = (
        list(band_names) if band_names is not None else [str(i) for i in range(len(band_factors))]
    )
    base = np.outer([grade_factors[g] for g in grade_names], np.asarray(band_factors, dtype=float))
    g_idx = pd.Series(pd.Categorical(grades, categories=grade_names).codes, index=grades.index)
    sal = salaries.to_numpy(dtype=float, na_value=np.nan)
    eligible = (g_idx.to_numpy() >= 0) & np.isfinite(sal) & (sal > 0)
    gi, bi, s = g_idx.to_numpy()[eligible], bands.to_numpy()[eligible].astype(int), sal[eligible]
    cost_unit = (
        float((s * base[gi, bi]).sum()) / 100.0
    )  # cost of one percentage point per unit factor
    if cost_unit <= 0 and s.size:
        base = np.ones_like(base)
        cost_unit = float(s.sum()) / 100.0
    scale = budget / cost_unit if cost_unit > 0 else 0.0
    exact = base * scale
    for places in range(decimals, 10):
        step = 10.0**-places
        cells = np.round(np.floor(exact / step + 1e-9) * step, places)
        cost = float((s * cells[gi, bi]).sum()) / 100.0
        if (
            cost > budget
        ):  # a cell sat on a step and float error pushed it over: round strictly down
            cells = np.round(np.floor(exact * (1 - 1e-12) / step) * step, places)
            cells = np.where(cells * (1 + 1e-12) > exact, np.maximum(cells - step, 0.0), cells)
            cost = float((s * cells[gi, bi]).sum()) / 100.0
        if budget <= 0 or cost >= MIN_SPEND * budget:
            break
    pct = np.full(len(grades), np.nan)
    pct[eligible] = cells[gi, bi]
    matrix = pd.DataFrame(cells, index=pd.Index(grade_names, name="grade"), columns=band_names)
    return MeritFit(matrix, pd.Series(pct, index=grades.index), float(budget), cost, scale)


def fit_linear_merit(factor: pd.Series, salary: pd.Series, budget: float) -> pd.Series:
    """Increase in percent ∝ factor, rounded down to 0.01 point, spending at most the budget."""
    unit = float((salary * factor).sum()) / 100
    if unit <= 0:
        factor, unit = pd.Series(1.0, index=salary.index), float(salary.sum()) / 100
    exact = factor * (budget / unit) * (1 - 1e-12) if unit > 0 else factor * 0
    for places in range(2, 10):
        pct = np.floor(exact * 10**places) / 10**places
        if budget <= 0 or float((salary * pct).sum()) / 100 >= 0.95 * budget:
            break
    return pct
