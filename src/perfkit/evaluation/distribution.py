"""How ratings are distributed: compression on the scale, and departments against the guideline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm, chi_square_fit, chi_square_two_samples
from perfkit.settings import EngagementSettings


def rating_compression(values: pd.Series) -> dict:
    """Describe how concentrated ratings are on the scale.

    Parameters
    ----------
    values : Series
        Ratings (numbers); missing values are left out.

    Returns
    -------
    dict
        ``n``, ``n_points`` (distinct points used), ``mode`` (the most used point),
        ``top_share`` (its share of all ratings) and ``distribution`` (count per point, low to high).

    Examples
    --------
    >>> rating_compression(pd.Series([3, 3, 3, 4]))["top_share"]
    0.75
    """
    ratings = pd.to_numeric(values, errors="coerce").dropna()
    counts = ratings.value_counts().sort_index()
    if counts.empty:
        return {"n": 0, "n_points": 0, "mode": None, "top_share": float("nan"), "distribution": {}}
    return {
        "n": int(counts.sum()),
        "n_points": int(len(counts)),
        "mode": float(counts.idxmax()),
        "top_share": float(counts.max() / counts.sum()),
        "distribution": {f"{k:g}": int(v) for k, v in counts.items()},
    }


def guideline_shares(settings: EngagementSettings, points: list[float]) -> pd.Series | None:
    """Map the guideline's grade shares onto rating points, best grade to the top point.

    The mapping is made only when it is unambiguous: the grades are set by ``share`` and
    there are exactly as many grades as integer points on the scale (``scale.min`` …
    ``scale.max``), and every rating given is one of those points. Otherwise None: the caller
    then compares each department with the rest of the company.

    Examples
    --------
    >>> guideline_shares(EngagementSettings(), [1, 2, 3, 4, 5]).tolist()
    [0.1, 0.2, 0.4, 0.2, 0.1]
    """
    grades = settings.grades
    if grades[0].share is None:
        return None
    low, high = settings.scale.min, settings.scale.max
    if low != int(low) or high != int(high):
        return None
    scale_points = np.arange(int(low), int(high) + 1, dtype="float64")
    if len(scale_points) != len(grades) or not set(points) <= set(scale_points):
        return None
    shares = [g.share for g in grades][::-1]  # worst grade on the lowest point
    return pd.Series(shares, index=scale_points, dtype="float64")


def department_distribution(
    employees: pd.DataFrame,
    settings: EngagementSettings,
    *,
    min_count: int = 15,
    p_value: float = 0.05,
    min_gap: float = 0.15,
    rounds: int = 5,
) -> pd.DataFrame:
    """Compare each department's ratings (``employees.rating``) with the guideline.

    Each department with at least ``min_count`` ratings is compared with the guideline shares
    when :func:`guideline_shares` can map them, else with the rest of the company, by two tests:
    a shift of its mean rating (a z-test against the guideline's mean and SD, or Welch's t-test
    against the rest) and a chi-square test of the shape (neighbouring rating points merged until
    every expected count is at least 5; a 2 × K table against the rest). ``p_value`` is twice the
    smaller of the two (Bonferroni for the pair), Holm-adjusted across the departments tested
    (``p_holm``). The size
    of the departure is ``max_gap``: the largest difference, over rating points, between the
    department's and the reference's share of ratings at or above that point.

    Against the rest of the company, one clearly generous department would make every other
    department look harsh (it sits in all their references). So the comparison is repeated,
    up to ``rounds`` times, with the departments clearly skewed in the previous round
    (``p_holm`` at most ``p_value`` and ``|max_gap|`` at least ``min_gap``, as
    GRADE_DISTRIBUTION_SKEWED uses them) left out of every other department's reference,
    until that set no longer changes. Departments are only left out while the rest still
    holds ``min_count`` ratings.

    Returns
    -------
    DataFrame
        Indexed by ``department``: ``n``, ``reference`` (``guideline`` or ``company``),
        ``top_share`` and ``reference_top_share`` (share on the top two points), ``max_gap``
        (signed: positive = more generous), ``gap_point``, ``mean``, ``reference_mean``,
        ``p_shift``, ``chi2``, ``dof``, ``p_shape``, ``p_value``, ``p_holm``, ``distribution``,
        ``reference_distribution`` (shares by point) and ``reference_excludes`` (departments
        left out of a company reference).
    """
    rated = employees.loc[
        employees["rating"].notna() & employees["department"].notna(), ["department", "rating"]
    ]
    counts = pd.crosstab(rated["department"], rated["rating"])
    points = [float(p) for p in counts.columns]
    guide = guideline_shares(settings, points)
    if guide is not None:
        counts = counts.reindex(columns=guide.index, fill_value=0)
        points = [float(p) for p in counts.columns]
    columns = [
        "n",
        "reference",
        "top_share",
        "reference_top_share",
        "max_gap",
        "gap_point",
        "mean",
        "reference_mean",
        "p_shift",
        "chi2",
        "dof",
        "p_shape",
        "p_value",
        "p_holm",
        "distribution",
        "reference_distribution",
        "reference_excludes",
    ]
    if counts.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="department"))
    excluded: frozenset = frozenset()
    for _ in range(max(rounds, 1) if guide is None else 1):
        table = _compare_departments(counts, points, guide, min_count, excluded)
        clear = table[
            (table["n"] >= min_count)
            & (table["p_holm"] <= p_value)
            & (table["max_gap"].abs() >= min_gap)
        ].index
        # never leave out so much that the rest is too small to compare with
        if counts.loc[~counts.index.isin(clear)].to_numpy().sum() < min_count:
            break
        if frozenset(clear) == excluded:
            break
        excluded = frozenset(clear)
    return table[columns]


def _compare_departments(
    counts: pd.DataFrame,
    points: list[float],
    guide: pd.Series | None,
    min_count: int,
    excluded: frozenset,
) -> pd.DataFrame:
    """One round of :func:`department_distribution`, references without the ``excluded`` departments."""
    total = counts.sum(axis=0).to_numpy(dtype="float64")
    left_out = counts.loc[counts.index.isin(excluded)].sum(axis=0).to_numpy(dtype="float64")
    values = np.asarray(points, dtype="float64")
    rows = []
    for department, row in counts.iterrows():
        observed = row.to_numpy(dtype="float64")
        n = observed.sum()
        others_out = sorted(str(d) for d in excluded if d != department)
        rest = total - observed - (left_out - observed if department in excluded else left_out)
        if guide is not None:
            others_out = []
            reference = guide.to_numpy()
            chi2, p_shape, dof = (
                chi_square_fit(observed, reference) if n >= min_count else (np.nan, np.nan, 0)
            )
            p_shift = _shift_from_shares(observed, reference, values) if n >= min_count else np.nan
        else:
            reference = rest / rest.sum() if rest.sum() > 0 else np.full(len(rest), np.nan)
            chi2, p_shape, dof = (
                chi_square_two_samples(observed, rest) if n >= min_count else (np.nan, np.nan, 0)
            )
            p_shift = _shift_two_samples(observed, rest, values) if n >= min_count else np.nan
        # two tests, so Bonferroni for the pair: a shift of the mean (generous or harsh), or a shape
        tests = [v for v in (p_shift, p_shape) if not np.isnan(v)]
        p = min(1.0, 2 * min(tests)) if n >= min_count and tests else np.nan
        shares = observed / n
        # share at or above each point, from the top down
        cum = np.cumsum(shares[::-1])[::-1]
        cum_ref = np.cumsum(reference[::-1])[::-1]
        diff = (cum - cum_ref)[1:]  # the lowest point's cumulative share is always 1
        at = int(np.nanargmax(np.abs(diff))) if len(diff) and not np.isnan(diff).all() else 0
        rows.append(
            {
                "department": department,
                "n": int(n),
                "reference": "guideline" if guide is not None else "company",
                "top_share": float(shares[-2:].sum()),
                "reference_top_share": float(reference[-2:].sum()),
                "max_gap": float(diff[at]) if len(diff) else np.nan,
                "gap_point": points[at + 1] if len(diff) else np.nan,
                "mean": float((shares * values).sum()),
                "reference_mean": float(np.nansum(reference * values)),
                "p_shift": p_shift,
                "chi2": chi2,
                "dof": dof,
                "p_shape": p_shape,
                "p_value": p,
                "distribution": {
                    f"{pt:g}": round(float(s), 4) for pt, s in zip(points, shares, strict=True)
                },
                "reference_distribution": {
                    f"{pt:g}": round(float(s), 4) for pt, s in zip(points, reference, strict=True)
                },
                "reference_excludes": others_out,
            }
        )
    table = pd.DataFrame(rows).set_index("department")
    table["p_holm"] = adjust_holm(table["p_value"].to_numpy())
    return table


def _shift_from_shares(observed: np.ndarray, shares: np.ndarray, values: np.ndarray) -> float:
    """Two-sided z-test of the mean of ``observed`` counts against a distribution given by shares."""
    n = observed.sum()
    mu = float((shares * values).sum())
    sd = float(np.sqrt((shares * (values - mu) ** 2).sum()))
    if n < 2 or sd == 0:
        return float("nan")
    z = ((observed * values).sum() / n - mu) / (sd / np.sqrt(n))
    return float(2 * stats.norm.sf(abs(z)))


def _shift_two_samples(first: np.ndarray, second: np.ndarray, values: np.ndarray) -> float:
    """Two-sided Welch t-test of the means of two sets of counts over the same rating points."""
    if first.sum() < 2 or second.sum() < 2:
        return float("nan")
    result = stats.ttest_ind(
        np.repeat(values, first.astype(int)), np.repeat(values, second.astype(int)), equal_var=False
    )
    return float(result.pvalue)
