"""Inter-rater reliability: the six intraclass correlations of Shrout & Fleiss (1979)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: The six forms, in Shrout & Fleiss's order, with what each one answers.
ICC_FORMS: dict[str, str] = {
    "ICC(1,1)": "one-way random: each target rated by different raters; one rater's reliability",
    "ICC(2,1)": "two-way random, absolute agreement; one rater drawn from a population of raters",
    "ICC(3,1)": "two-way mixed, consistency; these raters only, one rater",
    "ICC(1,k)": "one-way random; the mean of k raters",
    "ICC(2,k)": "two-way random, absolute agreement; the mean of k raters",
    "ICC(3,k)": "two-way mixed, consistency; the mean of k raters",
}


def icc(
    data: pd.DataFrame,
    *,
    target: str | None = None,
    rater: str | None = None,
    score: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Return the six Shrout–Fleiss intraclass correlations, from a two-way ANOVA.

    Parameters
    ----------
    data : DataFrame
        Either wide (one row per target, one numeric column per rater; a ``target`` column, if
        named, becomes the index) or long (give ``target``, ``rater`` and ``score``).
        Targets with a missing rating are dropped: the design must be complete.
    target, rater, score : str, optional
        Column names of a long frame. With ``target`` alone, the frame is wide and ``target``
        names its id column.
    alpha : float, default 0.05
        For the ``1 - alpha`` confidence intervals.

    Returns
    -------
    DataFrame
        One row per form (``ICC(1,1)`` … ``ICC(3,k)``): ``form``, ``description``, ``icc``,
        ``F``, ``df1``, ``df2``, ``p_value``, ``lower``, ``upper``; ``attrs`` holds ``n``
        (targets), ``k`` (raters) and the mean squares.

    Raises
    ------
    ValueError
        With fewer than 2 complete targets or 2 raters, or a column that is not there.

    Examples
    --------
    >>> wide = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2],
    ...                      "J3": [5, 3, 6, 2, 6, 4], "J4": [8, 2, 8, 6, 9, 7]})
    >>> icc(wide)["icc"].round(4).tolist()
    [0.1657, 0.2898, 0.7148, 0.4428, 0.6201, 0.9093]
    """
    matrix = _matrix(data, target=target, rater=rater, score=score)
    x = matrix.to_numpy(dtype="float64")
    n, k = x.shape
    if n < 2 or k < 2:
        raise ValueError(f"icc needs at least 2 complete targets and 2 raters; got n={n}, k={k}.")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _icc_table(x, alpha)


def _icc_table(x: np.ndarray, alpha: float) -> pd.DataFrame:
    n, k = x.shape
    grand = x.mean()
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    wms = (ss_total - ss_rows) / (n * (k - 1))
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    df_b, df_w, df_e = n - 1, n * (k - 1), (n - 1) * (k - 1)

    f1 = bms / wms
    f3 = bms / ems
    fj = jms / ems
    icc11 = (bms - wms) / (bms + (k - 1) * wms)
    icc21 = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    icc31 = (bms - ems) / (bms + (k - 1) * ems)
    icc1k = (bms - wms) / bms
    icc2k = (bms - ems) / (bms + (jms - ems) / n)
    icc3k = (bms - ems) / bms

    q = 1 - alpha / 2
    # ICC(1): F with (n-1, n(k-1)) degrees of freedom
    fl1 = f1 / stats.f.ppf(q, df_b, df_w)
    fu1 = f1 * stats.f.ppf(q, df_w, df_b)
    # ICC(3): F with (n-1, (n-1)(k-1))
    fl3 = f3 / stats.f.ppf(q, df_b, df_e)
    fu3 = f3 * stats.f.ppf(q, df_e, df_b)
    # ICC(2): Satterthwaite's approximate degrees of freedom (Shrout & Fleiss, eq. 13)
    v = _satterthwaite(icc21, fj, n, k)
    fs = stats.f.ppf(q, df_b, v)
    fs_inv = stats.f.ppf(q, v, df_b)
    lower2 = n * (bms - fs * ems) / (fs * (k * jms + (k * n - k - n) * ems) + n * bms)
    upper2 = n * (fs_inv * bms - ems) / (k * jms + (k * n - k - n) * ems + n * fs_inv * bms)

    rows = [
        ("ICC(1,1)", icc11, f1, df_b, df_w, (fl1 - 1) / (fl1 + k - 1), (fu1 - 1) / (fu1 + k - 1)),
        ("ICC(2,1)", icc21, f3, df_b, df_e, lower2, upper2),
        ("ICC(3,1)", icc31, f3, df_b, df_e, (fl3 - 1) / (fl3 + k - 1), (fu3 - 1) / (fu3 + k - 1)),
        ("ICC(1,k)", icc1k, f1, df_b, df_w, 1 - 1 / fl1, 1 - 1 / fu1),
        ("ICC(2,k)", icc2k, f3, df_b, df_e, _spearman_brown(lower2, k), _spearman_brown(upper2, k)),
        ("ICC(3,k)", icc3k, f3, df_b, df_e, 1 - 1 / fl3, 1 - 1 / fu3),
    ]
    table = pd.DataFrame(rows, columns=["form", "icc", "F", "df1", "df2", "lower", "upper"])
    table["p_value"] = stats.f.sf(table["F"], table["df1"], table["df2"])
    table.insert(1, "description", table["form"].map(ICC_FORMS))
    table = table[["form", "description", "icc", "F", "df1", "df2", "p_value", "lower", "upper"]]
    table.attrs.update(n=n, k=k, bms=bms, jms=jms, wms=wms, ems=ems)
    return table


def _spearman_brown(value: float, k: int) -> float:
    return k * value / (1 + (k - 1) * value)


def _satterthwaite(icc21: float, fj: float, n: int, k: int) -> float:
    r = icc21
    c = n * (1 + (k - 1) * r) - k * r
    return (n - 1) * (k - 1) * (k * r * fj + c) ** 2 / ((n - 1) * k**2 * r**2 * fj**2 + c**2)


def _matrix(
    data: pd.DataFrame, *, target: str | None, rater: str | None, score: str | None
) -> pd.DataFrame:
    if rater is not None or score is not None:
        missing = [
            name
            for name, col in (("target", target), ("rater", rater), ("score", score))
            if col is None or col not in data
        ]
        if missing:
            raise ValueError(
                f"A long frame needs 'target', 'rater' and 'score' columns present in `data`; "
                f"missing or not found: {missing}."
            )
        wide = data.pivot_table(index=target, columns=rater, values=score, aggfunc="mean")
    else:
        wide = data.set_index(target) if target is not None else data
        if target is not None and target not in data:
            raise ValueError(f"Could not interpret value `{target}` for `target`: no such column.")
        wide = wide.select_dtypes("number")
    return wide.dropna(axis=0, how="any")


def rater_reliability(ratings: pd.DataFrame) -> pd.DataFrame:
    """Return the one-way reliability of an unbalanced 360° (raters differ by ratee).

    Each target is one ratee in one period; each rater's score for it is their mean across
    competencies. Raters are nested in targets and their number varies, so the one-way random
    model applies: ICC(1) with Snedecor's adjusted group size ``k0``, and ICC(1,k̄) for the mean
    of the average number of raters. Self-ratings are left out.

    Parameters
    ----------
    ratings : DataFrame
        The contract's ratings table (employee_id, rater_id, relation, period, competency, score).

    Returns
    -------
    DataFrame
        One row per rater group (``all`` non-self raters, then each relation with at least two
        raters per target): ``raters``, ``targets``, ``mean_raters``, ``icc1``, ``icc1k``,
        ``F``, ``p_value``.
    """
    others = ratings[
        (ratings["relation"] != "self") & (ratings["rater_id"] != ratings["employee_id"])
    ]
    per_rater = (
        others.groupby(["employee_id", "period", "rater_id"], sort=False, observed=True)
        .agg(relation=("relation", "first"), score=("score", "mean"))
        .reset_index()
    )
    rows = [_one_way(per_rater, "all")]
    for relation, part in per_rater.groupby("relation", sort=True):
        rows.append(_one_way(part, str(relation)))
    table = pd.DataFrame([r for r in rows if r is not None])
    return table.reset_index(drop=True)


def _one_way(per_rater: pd.DataFrame, label: str) -> dict | None:
    group_key = per_rater["employee_id"].astype(str) + "\x1f" + per_rater["period"].astype(str)
    sizes = group_key.map(group_key.value_counts())
    part = per_rater[sizes.to_numpy() >= 2]
    if part.empty:
        return None
    key = group_key[sizes.to_numpy() >= 2]
    codes, _ = pd.factorize(key)
    y = part["score"].to_numpy(dtype="float64")
    counts = np.bincount(codes)
    means = np.bincount(codes, y) / counts
    g, n_total = len(counts), len(y)
    if g < 2:
        return None
    grand = y.mean()
    ss_between = (counts * (means - grand) ** 2).sum()
    ss_within = ((y - means[codes]) ** 2).sum()
    msb = ss_between / (g - 1)
    msw = ss_within / (n_total - g)
    k0 = (n_total - (counts**2).sum() / n_total) / (g - 1)
    k_bar = n_total / g
    f_stat = msb / msw if msw > 0 else float("inf")
    return {
        "raters": label,
        "targets": g,
        "mean_raters": k_bar,
        "icc1": (msb - msw) / (msb + (k0 - 1) * msw),
        "icc1k": (msb - msw) / msb if msb > 0 else float("nan"),
        "F": f_stat,
        "p_value": float(stats.f.sf(f_stat, g - 1, n_total - g)),
    }
