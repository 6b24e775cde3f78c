"""Leniency by manager, when a client has only one overall rating per person (``employees.rating``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm


def manager_leniency(employees: pd.DataFrame, *, min_ratees: int = 5) -> pd.DataFrame:
    """Compare the ratings each manager gave with the ratings the rest of the company got.

    The test is a Mann–Whitney rank test of the manager's reports against everyone else
    (normal approximation with the tie correction, which suits a few ordered rating points),
    computed for every manager at once from one ranking of the company; p-values are
    Holm-adjusted across the managers tested (those with at least ``min_ratees`` rated reports).

    Parameters
    ----------
    employees : DataFrame
        With ``manager_id`` and ``rating``; rows missing either are left out.
    min_ratees : int, default 5
        Managers with fewer rated reports are listed but not tested.

    Returns
    -------
    DataFrame
        Indexed by ``manager_id``, sorted by ``effect_size``: ``n_ratees``, ``mean``,
        ``rest_mean``, ``mean_difference``, ``effect_size`` (the difference over the company's
        SD of ratings), ``z``, ``p_value``, ``p_holm`` (NaN when not tested) and
        ``distribution`` (counts of each rating point the manager gave).
    """
    rated = employees.loc[
        employees["rating"].notna() & employees["manager_id"].notna(), ["manager_id", "rating"]
    ]
    columns = [
        "n_ratees",
        "mean",
        "rest_mean",
        "mean_difference",
        "effect_size",
        "z",
        "p_value",
        "p_holm",
        "distribution",
    ]
    if rated.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="manager_id"))
    y = rated["rating"].to_numpy(dtype="float64")
    manager, manager_ids = pd.factorize(rated["manager_id"])
    n_total = len(y)
    m = len(manager_ids)
    ranks = stats.rankdata(y)
    _, tie_sizes = np.unique(y, return_counts=True)
    tie_term = float((tie_sizes**3 - tie_sizes).sum())
    n = np.bincount(manager, minlength=m).astype("float64")
    rest = n_total - n
    rank_sum = np.bincount(manager, weights=ranks, minlength=m)
    total = np.bincount(manager, weights=y, minlength=m)
    u = rank_sum - n * (n + 1) / 2
    mu = n * rest / 2
    var = (
        n * rest / 12 * ((n_total + 1) - tie_term / (n_total * (n_total - 1)))
        if n_total > 1
        else 0 * n
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        corrected = np.sign(u - mu) * np.maximum(np.abs(u - mu) - 0.5, 0)
        z = corrected / np.sqrt(var)
        mean = total / n
        rest_mean = (y.sum() - total) / rest
    sd = float(np.std(y, ddof=1)) if n_total > 1 else float("nan")
    tested = (n >= min_ratees) & (rest >= 1) & (var > 0)
    p = np.where(tested, 2 * stats.norm.sf(np.abs(z)), np.nan)
    out = pd.DataFrame(index=pd.Index(manager_ids, name="manager_id"))
    out["n_ratees"] = n.astype("int64")
    out["mean"] = mean
    out["rest_mean"] = rest_mean
    out["mean_difference"] = mean - rest_mean
    out["effect_size"] = (mean - rest_mean) / sd if sd > 0 else np.nan
    out["z"] = z
    out["p_value"] = p
    out["p_holm"] = adjust_holm(p)
    counts = pd.crosstab(manager, y)
    labels = [f"{v:g}" for v in counts.columns]
    out["distribution"] = [
        dict(zip(labels, map(int, row), strict=True)) for row in counts.to_numpy()
    ]
    return out.sort_values("effect_size", ascending=False, kind="stable")[columns]
