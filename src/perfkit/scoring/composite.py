"""The composite score: KPI and competency scores mixed by ``score_mix``."""

from __future__ import annotations

import numpy as np
import pandas as pd


def combine_scores(kpi_score, competency_score, *, score_mix) -> np.ndarray:
    """Return the composite score, element-wise.

    ``kpi · kpi_score + competency · competency_score`` where both exist (the weights of
    ``score_mix`` sum to 1); the one that exists where only one does (on its own footing:
    :func:`equate_single_parts` puts it on the composite's); NaN where neither does.
    A part whose weight is 0 is ignored, unless it is the only part there is.

    Parameters
    ----------
    kpi_score, competency_score : array-like of float
        On 0..100 (kpi_score up to ``cap × 100``).
    score_mix : ScoreMix or mapping with ``kpi`` and ``competency``
        ``settings.score_mix``.

    Examples
    --------
    >>> combine_scores([104.0, np.nan, 80.0], [62.5, 50.0, np.nan], score_mix={"kpi": 0.7, "competency": 0.3})
    array([91.55, 50.  , 80.  ])
    """
    get = score_mix.get if isinstance(score_mix, dict) else lambda k: getattr(score_mix, k)
    wk, wc = float(get("kpi")), float(get("competency"))
    if wk < 0 or wc < 0 or wk + wc <= 0:
        raise ValueError(
            f"score_mix weights must be >= 0 with a positive sum; got kpi={wk}, competency={wc}."
        )
    k = pd.to_numeric(pd.Series(np.asarray(kpi_score, dtype="float64")), errors="coerce").to_numpy()
    c = pd.to_numeric(
        pd.Series(np.asarray(competency_score, dtype="float64")), errors="coerce"
    ).to_numpy()
    has_k, has_c = np.isfinite(k), np.isfinite(c)
    if wk > 0 and wc > 0:
        both = (wk * np.where(has_k, k, 0.0) + wc * np.where(has_c, c, 0.0)) / (wk + wc)
    else:
        both = k if wk > 0 else c
    return np.where(has_k & has_c, both, np.where(has_k, k, c))


#: Fewest employees with both parts needed to put a single part on the composite's footing.
MIN_EQUATING_REFERENCE = 20


def equate_single_parts(
    kpi_score, competency_score, score, *, min_reference: int = MIN_EQUATING_REFERENCE
) -> np.ndarray:
    """Return ``score`` with single-part scores put on the composite's footing (equipercentile).

    ``kpi_score`` sits near 100 (on target) while ``competency_score`` sits near 50 (the
    middle of the rating scale), so a composite that is one part alone would rank everyone
    without KPI results at the bottom (or everyone without ratings at the top). Instead, an
    employee with only one part gets the composite score found at the same percentile among
    the employees who have both parts: their part's mid-rank percentile ``p`` among those
    employees' same part, then the ``p`` quantile (linear interpolation) of those employees'
    composite scores. Rows with both parts or none are returned unchanged, and so is
    everything when fewer than ``min_reference`` employees have both parts.

    Parameters
    ----------
    kpi_score, competency_score, score : array-like of float
        The parts and the composite of :func:`combine_scores`, element-wise.
    min_reference : int, default MIN_EQUATING_REFERENCE
        Fewest employees with both parts to equate against.

    Examples
    --------
    >>> k = [90.0, 100.0, 110.0, 120.0, np.nan]
    >>> c = [40.0, 50.0, 60.0, 70.0, 55.0]
    >>> s = combine_scores(k, c, score_mix={"kpi": 0.5, "competency": 0.5})
    >>> equate_single_parts(k, c, s, min_reference=4).round(2).tolist()
    [65.0, 75.0, 85.0, 95.0, 80.0]
    """
    k = np.asarray(kpi_score, dtype="float64")
    c = np.asarray(competency_score, dtype="float64")
    out = np.array(score, dtype="float64")
    has_k, has_c = np.isfinite(k), np.isfinite(c)
    both = has_k & has_c & np.isfinite(out)
    if both.sum() < max(min_reference, 1):
        return out
    reference = np.sort(out[both])
    for part, alone in ((k, has_k & ~has_c), (c, has_c & ~has_k)):
        if alone.any():
            out[alone] = _sorted_quantile(reference, _mid_percentile(part[both], part[alone]))
    return out


def _sorted_quantile(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.quantile(ordered, q)`` (linear method, the same arithmetic) of an already sorted array.

    ``np.quantile`` partitions its input again for every call, which costs a sort when ``q``
    holds many values; the array here is sorted once.
    """
    n = len(ordered)
    virtual = (n - 1) * np.asarray(q, dtype="float64")
    previous = np.floor(virtual).astype(np.intp)
    following = previous + 1
    above = virtual >= n - 1
    previous[above], following[above] = -1, -1
    below = virtual < 0
    previous[below], following[below] = 0, 0
    gamma = virtual - previous
    a, b = ordered[previous], ordered[following]
    difference = b - a
    out = a + difference * gamma
    late = gamma >= 0.5
    out[late] = (b - difference * (1 - gamma))[late]
    return out


def _mid_percentile(reference: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each value within ``reference``, as a position for ``np.quantile``.

    ``(below + ties / 2 - 1/2) / (n - 1)``, clipped to 0..1: the reference's own values map
    back onto themselves (with no ties), values outside its range onto its ends.
    """
    ordered = np.sort(reference)
    n = len(ordered)
    if n == 1:
        return np.full(len(values), 0.5)
    # searched in ascending order, the values walk the reference once instead of jumping about
    # it (~3x faster on 100k values); the counts are the same
    order = np.argsort(values)
    ascending = values[order]
    below, ties = np.empty(len(values), dtype=np.intp), np.empty(len(values), dtype=np.intp)
    below[order] = np.searchsorted(ordered, ascending, side="left")
    ties[order] = np.searchsorted(ordered, ascending, side="right")
    ties -= below
    return np.clip((below + ties / 2 - 0.5) / (n - 1), 0.0, 1.0)
