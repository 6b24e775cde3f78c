"""Adverse impact by the four-fifths rule, with guards against flagging noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm

#: Columns of ``employees`` checked for adverse impact, when present: the contract's ``gender``,
#: ``location`` and ``level``, and protected characteristics a client's export often carries.
GROUP_COLUMNS: tuple[str, ...] = (
    "gender", "location", "level", "race", "ethnicity", "age_group", "age_band", "nationality",
    "disability", "性别", "民族", "地区",
)

IMPACT_COLUMNS = ["column", "group", "n", "selected", "rate", "reference", "reference_n", "reference_rate",
                  "ratio", "flip_ratio", "p_value", "p_holm", "adverse"]


def impact_ratios(data: pd.DataFrame, *, outcome: str, groups: list[str] | tuple[str, ...],
                  min_group: int = 10, ratio: float = 0.8, p_value: float = 0.05,
                  max_categories: int = 12) -> pd.DataFrame:
    """Return the four-fifths-rule table of an outcome's rate by group.

    For each group column, each category's selection rate (share of rows whose ``outcome`` is
    true) is divided by the highest rate among categories with at least ``min_group`` rows (the
    reference group). A category shows adverse impact when all hold:

    - it has at least ``min_group`` rows and is not the reference;
    - its ratio is below ``ratio`` (4/5);
    - the ratio stays below ``ratio`` even if one more of its members had been selected
      (the "one-person" or flip-flop rule: a ratio that one person can flip is not evidence);
    - Fisher's exact test (one-sided: the category's rate is lower than that of everyone else in
      the column; the best group alone would be a reference chosen for being high) gives a
      p-value at most ``p_value`` after Holm's correction across every comparison in the table.

    Parameters
    ----------
    data : DataFrame
        One row per person.
    outcome : str
        A boolean (or 0/1) column: selected for a top rating, a bonus, a promotion…
        Rows where it is missing are left out.
    groups : list of str
        Group columns to check; absent columns, and columns with fewer than 2 or more than
        ``max_categories`` categories, are skipped (listed in ``attrs["skipped"]``).
    min_group, ratio, p_value, max_categories
        See above.

    Returns
    -------
    DataFrame
        One row per (column, group): ``column``, ``group``, ``n``, ``selected``, ``rate``,
        ``reference``, ``reference_n``, ``reference_rate``, ``ratio``, ``flip_ratio``,
        ``p_value``, ``p_holm`` and ``adverse``.

    Raises
    ------
    ValueError
        When ``outcome`` is not a column of ``data``.

    Examples
    --------
    >>> data = pd.DataFrame({"gender": ["F"] * 50 + ["M"] * 50,
    ...                      "top": [True] * 5 + [False] * 45 + [True] * 25 + [False] * 25})
    >>> float(impact_ratios(data, outcome="top", groups=["gender"]).set_index("group").loc["F", "ratio"])
    0.2
    """
    if outcome not in data:
        raise ValueError(f"Could not interpret value `{outcome}` for `outcome`: no such column in `data`.")
    frame = data[data[outcome].notna()]
    selected = frame[outcome].astype(bool).to_numpy()
    rows, skipped = [], []
    for column in groups:
        if column not in frame:
            continue
        codes, categories = pd.factorize(frame[column], sort=True)
        known = codes >= 0
        if len(categories) < 2 or len(categories) > max_categories:
            skipped.append(column)
            continue
        n = np.bincount(codes[known], minlength=len(categories))
        hits = np.bincount(codes[known], weights=selected[known], minlength=len(categories)).astype("int64")
        rows += _compare(column, [str(c) for c in categories], n, hits, min_group)
    result = pd.DataFrame(rows, columns=[c for c in IMPACT_COLUMNS if c not in ("p_holm", "adverse")])
    flag_adverse(result, ratio=ratio, p_value=p_value, min_group=min_group)
    result.attrs["skipped"] = skipped
    return result[IMPACT_COLUMNS]


def _compare(column: str, groups: list[str], n: np.ndarray, hits: np.ndarray, min_group: int) -> list[dict]:
    rate = hits / np.maximum(n, 1)
    eligible = np.flatnonzero(n >= min_group)
    rows = []
    ref = None
    if len(eligible):
        # the highest rate among groups big enough; ties go to the larger group
        ref = eligible[np.lexsort((-n[eligible], -rate[eligible]))[0]]
    total_n, total_hits = int(n.sum()), int(hits.sum())
    for i, group in enumerate(groups):
        row = {"column": column, "group": group, "n": int(n[i]), "selected": int(hits[i]), "rate": float(rate[i]),
               "reference": None, "reference_n": np.nan, "reference_rate": np.nan, "ratio": np.nan,
               "flip_ratio": np.nan, "p_value": np.nan}
        if ref is not None and rate[ref] > 0:
            row.update(reference=groups[ref], reference_n=int(n[ref]), reference_rate=float(rate[ref]),
                       ratio=float(rate[i] / rate[ref]),
                       flip_ratio=float(min(hits[i] + 1, n[i]) / max(n[i], 1) / rate[ref]))
            if i != ref:
                # against everyone else, not the best group alone: picking the highest rate as
                # the reference would otherwise make noise look significant
                rest_n, rest_hits = total_n - n[i], total_hits - hits[i]
                table = [[int(hits[i]), int(n[i] - hits[i])], [int(rest_hits), int(rest_n - rest_hits)]]
                row["p_value"] = float(stats.fisher_exact(table, alternative="less").pvalue)
        elif ref is not None:
            row["reference"] = groups[ref]
        rows.append(row)
    return rows


def flag_adverse(table: pd.DataFrame, *, ratio: float, p_value: float, min_group: int) -> pd.DataFrame:
    """Set ``p_holm`` (Holm across every row of ``table``) and ``adverse`` in place; return the table.

    Exposed so that a caller who joins several :func:`impact_ratios` tables (several outcomes)
    can correct across all of them at once.
    """
    if table.empty:
        table["p_holm"], table["adverse"] = pd.Series(dtype="float64"), pd.Series(dtype=bool)
        return table
    tested = (table["n"] >= min_group) & table["p_value"].notna()
    table["p_holm"] = np.nan
    table.loc[tested, "p_holm"] = adjust_holm(table.loc[tested, "p_value"].to_numpy(dtype="float64"))
    table["adverse"] = (tested & (table["ratio"] < ratio) & (table["flip_ratio"] < ratio)
                        & (table["p_holm"] <= p_value)).astype(bool)
    return table
