"""Statistical tests and conventions shared by the rater, evaluation and fairness diagnostics."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.settings import EngagementSettings

#: Point thresholds (a deviation of 0.3 points, a gap of 1 point) are stated for a 1–5 scale;
#: on another scale they are multiplied by ``(scale.max - scale.min) / REFERENCE_RANGE``.
REFERENCE_RANGE = 4.0


def scale_factor(settings: EngagementSettings) -> float:
    """Return the factor that turns points on a 1–5 scale into points on the client's scale.

    Examples
    --------
    >>> from perfkit.settings import EngagementSettings, Scale
    >>> scale_factor(EngagementSettings(scale=Scale(min=1, max=4)))
    0.75
    """
    return (settings.scale.max - settings.scale.min) / REFERENCE_RANGE


def adjust_holm(p_values: np.ndarray | pd.Series) -> np.ndarray:
    """Return Holm's step-down adjusted p-values (family-wise error control).

    Parameters
    ----------
    p_values : array-like
        Raw p-values; NaN stays NaN and does not count towards the family.

    Examples
    --------
    >>> adjust_holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m == 0:
        return out
    order = valid[np.argsort(p[valid], kind="stable")]
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def spearman(x: pd.Series, y: pd.Series) -> tuple[float, float, int]:
    """Return Spearman's rank correlation (average ranks for ties), its p-value and n.

    Rows where either value is missing are dropped. With fewer than 3 complete rows, or a
    constant column, rho and p are NaN.
    """
    frame = pd.DataFrame(
        {"x": pd.to_numeric(x, errors="coerce"), "y": pd.to_numeric(y, errors="coerce")}
    ).dropna()
    n = len(frame)
    if n < 3 or frame["x"].nunique() < 2 or frame["y"].nunique() < 2:
        return float("nan"), float("nan"), n
    result = stats.spearmanr(frame["x"], frame["y"])
    return float(result.statistic), float(result.pvalue), n


def merge_sparse(
    observed: np.ndarray, expected: np.ndarray, min_expected: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """Merge adjacent ordered categories, from the extremes inwards, until each expects enough.

    Cochran's rule for the chi-square test: every expected count at least ``min_expected``.
    The categories are ordered (rating points), so only neighbours are merged.
    """
    groups = _merge_groups(np.asarray(expected, dtype="float64"), min_expected)
    observed = np.asarray(observed, dtype="float64")
    expected = np.asarray(expected, dtype="float64")
    return (
        np.array([observed[g].sum() for g in groups]),
        np.array([expected[g].sum() for g in groups]),
    )


def chi_square_fit(observed: np.ndarray, shares: np.ndarray) -> tuple[float, float, int]:
    """Chi-square goodness of fit of ordered counts to expected shares, sparse cells merged.

    Returns
    -------
    statistic, p_value, dof
        NaN when fewer than two categories remain after merging.
    """
    observed = np.asarray(observed, dtype="float64")
    expected = np.asarray(shares, dtype="float64") * observed.sum()
    obs, exp = merge_sparse(observed, expected)
    keep = exp > 0
    obs, exp = obs[keep], exp[keep]
    if len(obs) < 2:
        return float("nan"), float("nan"), 0
    statistic = float(((obs - exp) ** 2 / exp).sum())
    dof = len(obs) - 1
    return statistic, float(stats.chi2.sf(statistic, dof)), dof


def chi_square_two_samples(first: np.ndarray, second: np.ndarray) -> tuple[float, float, int]:
    """Chi-square test that two sets of ordered counts share one distribution (2 × K table).

    Sparse categories are merged (on the pooled expectation) as in :func:`chi_square_fit`.
    """
    first = np.asarray(first, dtype="float64")
    second = np.asarray(second, dtype="float64")
    total = first + second
    if first.sum() == 0 or second.sum() == 0:
        return float("nan"), float("nan"), 0
    shares = total / total.sum()
    expected_first = shares * first.sum()
    expected_second = shares * second.sum()
    # merge on the smaller of the two expectations, keeping both rows aligned
    smaller = np.minimum(expected_first, expected_second)
    groups = _merge_groups(smaller)
    table = np.array([[first[g].sum() for g in groups], [second[g].sum() for g in groups]])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return float("nan"), float("nan"), 0
    result = stats.chi2_contingency(table, correction=False)
    return float(result.statistic), float(result.pvalue), int(result.dof)


def _merge_groups(expected: np.ndarray, min_expected: float = 5.0) -> list[list[int]]:
    groups = [[i] for i in range(len(expected))]
    exp = [float(v) for v in expected]
    while len(exp) > 2:
        smallest = int(np.argmin(exp))
        if exp[smallest] >= min_expected:
            break
        if smallest == 0:
            neighbour = 1
        elif smallest == len(exp) - 1:
            neighbour = smallest - 1
        else:
            neighbour = smallest - 1 if exp[smallest - 1] <= exp[smallest + 1] else smallest + 1
        low, high = sorted((smallest, neighbour))
        groups[low : high + 1] = [groups[low] + groups[high]]
        exp[low : high + 1] = [exp[low] + exp[high]]
    return groups
