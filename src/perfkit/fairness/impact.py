"""Adverse impact by the four-fifths rule, with guards against flagging noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm

#: Columns of ``employees`` checked for adverse impact, when present: the contract's ``gender``,
#: ``location`` and ``level``, and protected characteristics a client's export often carries.
GROUP_COLUMNS: tuple[str, ...] = (
    "gender",
    "location",
    "level",
    "race",
    "ethnicity",
    "age_group",
    "age_band",
    "nationality",
    "disability",
    "性别",
    "民族",
    "地区",
)

IMPACT_COLUMNS = [
    "column",
    "group",
    "n",
    "selected",
    "rate",
    "reference",
    "reference_n",
    "reference_rate",
    "ratio",
    "flip_ratio",
    "p_value",
    "p_holm",
    "adverse",
]


def impact_ratios(
    data: pd.DataFrame,
    *,
    outcome: str,
    groups: list[str] | tuple[str, ...],
    min_group: int = 10,
    ratio: float = 0.8,
    p_value: float = 0.05,
    max_categories: int = 12,
    encoded: GroupCodes | None = None,
) -> pd.DataFrame:
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
    encoded : GroupCodes, optional
        The group columns of these same rows from :func:`encode_groups`, to skip factorizing
        them again (the result is the same).

    Returns
    -------
    DataFrame
        One row per (column, group): ``column``, ``group``, ``n``, ``selected``, ``rate``,
        ``reference``, ``reference_n``, ``reference_rate``, ``ratio``, ``flip_ratio``,
        ``p_value``, ``p_holm`` and ``adverse``.

    Raises
    ------
    ValueError
        When ``outcome`` is not a column of ``data``, or ``encoded`` holds another number of rows.

    Examples
    --------
    >>> data = pd.DataFrame({"gender": ["F"] * 50 + ["M"] * 50,
    ...                      "top": [True] * 5 + [False] * 45 + [True] * 25 + [False] * 25})
    >>> float(impact_ratios(data, outcome="top", groups=["gender"]).set_index("group").loc["F", "ratio"])
    0.2
    """
    if outcome not in data:
        raise ValueError(
            f"Could not interpret value `{outcome}` for `outcome`: no such column in `data`."
        )
    values = data[outcome]
    keep = values.notna().to_numpy()
    selected = (values if keep.all() else values[keep]).astype(bool).to_numpy()
    if encoded is None:
        encoded = encode_groups(data if keep.all() else data[keep], groups)
        keep = None
    elif encoded.n_rows != len(data):
        raise ValueError(
            f"`encoded` holds {encoded.n_rows} rows but `data` {len(data)}: encode the same rows."
        )
    parts, skipped = _parts(
        selected,
        encoded,
        groups,
        None if keep is None or keep.all() else keep,
        min_group,
        max_categories,
    )
    result = _frame(parts)
    flag_adverse(result, ratio=ratio, p_value=p_value, min_group=min_group)
    result.attrs["skipped"] = skipped
    return result[IMPACT_COLUMNS]


def impact_columns(
    selected: np.ndarray,
    encoded: GroupCodes,
    groups: list[str] | tuple[str, ...],
    *,
    min_group: int = 10,
    ratio: float = 0.8,
    p_value: float = 0.05,
    max_categories: int = 12,
) -> dict[str, np.ndarray]:
    """The rows of :func:`impact_ratios` as arrays, for a caller that checks many outcomes of the same people.

    Parameters
    ----------
    selected : ndarray of bool
        The outcome of each row encoded in ``encoded`` (none missing).
    encoded : GroupCodes
        From :func:`encode_groups`.
    groups, min_group, ratio, p_value, max_categories
        As for :func:`impact_ratios`.

    Returns
    -------
    dict of str to ndarray
        The columns of :func:`impact_ratios` (``column``, ``group`` and ``reference`` as object
        arrays), with the same values in the same order.
    """
    selected = np.asarray(selected, dtype=bool)
    if len(selected) != encoded.n_rows:
        raise ValueError(f"`encoded` holds {encoded.n_rows} rows but `selected` {len(selected)}.")
    parts, _ = _parts(selected, encoded, groups, None, min_group, max_categories)
    columns = {
        c: np.array([v for part in parts for v in part[c]], dtype=object)
        if c in _TEXT
        else np.concatenate(
            [
                np.asarray(part[c], dtype=float if c.startswith("reference") else None)
                for part in parts
            ]
        )
        if parts
        else np.zeros(0)
        for c in _ROW_COLUMNS
    }
    columns["p_holm"], columns["adverse"] = _flag(
        columns["n"],
        columns["p_value"],
        columns["ratio"],
        columns["flip_ratio"],
        ratio=ratio,
        p_value=p_value,
        min_group=min_group,
    )
    return columns


def _parts(
    selected: np.ndarray,
    encoded: GroupCodes,
    groups: list[str] | tuple[str, ...],
    keep: np.ndarray | None,
    min_group: int,
    max_categories: int,
) -> tuple[list[dict], list[str]]:
    """The per-column parts of the table (see :func:`_compare`) and the columns skipped."""
    parts, skipped = [], []
    for column in groups:
        if column not in encoded.codes:
            continue
        codes, categories = encoded.codes[column], encoded.categories[column]
        if keep is not None:
            codes = codes[keep]
        known = codes >= 0
        n = np.bincount(codes[known], minlength=len(categories))
        hits = np.bincount(codes[known], weights=selected[known], minlength=len(categories))
        present = np.flatnonzero(n > 0)  # the categories factorizing these rows would find
        if len(present) < 2 or len(present) > max_categories:
            skipped.append(column)
            continue
        parts.append(
            _compare(
                column,
                [categories[i] for i in present],
                n[present],
                hits[present].astype("int64"),
                min_group,
            )
        )
    return parts, skipped


@dataclass(frozen=True)
class GroupCodes:
    """Group columns factorized once, for many :func:`impact_ratios` calls on the same rows.

    Attributes
    ----------
    n_rows : int
        The number of rows encoded.
    codes : dict of str to ndarray
        Per group column, each row's category index (-1 where missing).
    categories : dict of str to list of str
        Per group column, its categories (sorted, as text).
    """

    n_rows: int
    codes: dict[str, np.ndarray]
    categories: dict[str, list[str]]


def encode_groups(data: pd.DataFrame, groups: list[str] | tuple[str, ...]) -> GroupCodes:
    """Factorize the group columns of ``data`` (those present) for repeated :func:`impact_ratios` calls.

    Group membership does not change when only the outcome does (a workshop slider moving
    rewards), so the codes can be computed once and passed as ``encoded``.

    Examples
    --------
    >>> encode_groups(pd.DataFrame({"gender": ["M", "F", None]}), ["gender", "level"]).categories
    {'gender': ['F', 'M']}
    """
    codes, categories = {}, {}
    for column in groups:
        if column in data and column not in codes:
            found, labels = pd.factorize(data[column], sort=True)
            codes[column] = np.asarray(found, dtype=np.intp)
            categories[column] = [str(c) for c in labels]
    return GroupCodes(len(data), codes, categories)


_ROW_COLUMNS = [c for c in IMPACT_COLUMNS if c not in ("p_holm", "adverse")]
_TEXT = ("column", "group", "reference")


def _compare(
    column: str, groups: list[str], n: np.ndarray, hits: np.ndarray, min_group: int
) -> dict:
    """The rows of one group column, as a dict of column arrays (all categories at once)."""
    k = len(groups)
    rate = hits / np.maximum(n, 1)
    eligible = np.flatnonzero(n >= min_group)
    ref = None
    if len(eligible):
        # the highest rate among groups big enough; ties go to the larger group
        ref = eligible[np.lexsort((-n[eligible], -rate[eligible]))[0]]
    nan = np.full(k, np.nan)
    part = {
        "column": [column] * k,
        "group": list(groups),
        "n": n.astype("int64"),
        "selected": hits,
        "rate": rate.astype("float64"),
        "reference": [None] * k,
        "reference_n": nan,
        "reference_rate": nan,
        "ratio": nan,
        "flip_ratio": nan,
        "p_value": nan,
    }
    if ref is not None and rate[ref] > 0:
        part.update(
            reference=[groups[ref]] * k,
            reference_n=[int(n[ref])] * k,
            reference_rate=np.full(k, rate[ref]),
            ratio=rate / rate[ref],
            flip_ratio=np.minimum(hits + 1, n) / np.maximum(n, 1) / rate[ref],
            p_value=_p_less(n, hits, skip=ref),
        )
    elif ref is not None:
        part["reference"] = [groups[ref]] * k
    return part


def _p_less(n: np.ndarray, hits: np.ndarray, skip: int) -> np.ndarray:
    """One-sided Fisher p-values, each category against everyone else in its column (NaN at ``skip``).

    The same numbers as ``scipy.stats.fisher_exact(table, alternative="less")`` on each 2×2
    table, computed in one vectorised hypergeometric call: against everyone else, not the best
    group alone, since picking the highest rate as the reference would make noise look significant.
    """
    total_n, total_hits = int(n.sum()), int(hits.sum())
    p = np.ones(len(n))
    # a table with an empty row or column has p = 1 (fisher_exact's convention)
    if 0 < total_hits < total_n:
        defined = (n > 0) & (n < total_n)
        p[defined] = np.minimum(
            stats.hypergeom.cdf(hits[defined], total_n, n[defined], total_hits), 1.0
        )
    p[skip] = np.nan
    return p


def _frame(parts: list[dict]) -> pd.DataFrame:
    """One table from the per-column parts, built from Python scalars as one dict per row would be."""
    if not parts:
        return pd.DataFrame([], columns=_ROW_COLUMNS)
    joined = {
        c: [v for p in parts for v in (p[c].tolist() if isinstance(p[c], np.ndarray) else p[c])]
        for c in _ROW_COLUMNS
    }
    return pd.DataFrame(joined, columns=_ROW_COLUMNS)


def flag_adverse(
    table: pd.DataFrame, *, ratio: float, p_value: float, min_group: int
) -> pd.DataFrame:
    """Set ``p_holm`` (Holm across every row of ``table``) and ``adverse`` in place; return the table.

    Exposed so that a caller who joins several :func:`impact_ratios` tables (several outcomes)
    can correct across all of them at once.
    """
    if table.empty:
        table["p_holm"], table["adverse"] = pd.Series(dtype="float64"), pd.Series(dtype=bool)
        return table
    table["p_holm"], table["adverse"] = _flag(
        table["n"].to_numpy(),
        table["p_value"].to_numpy(dtype="float64", na_value=np.nan),
        table["ratio"].to_numpy(dtype="float64", na_value=np.nan),
        table["flip_ratio"].to_numpy(dtype="float64", na_value=np.nan),
        ratio=ratio,
        p_value=p_value,
        min_group=min_group,
    )
    return table


def _flag(
    n: np.ndarray,
    p: np.ndarray,
    ratios: np.ndarray,
    flip: np.ndarray,
    *,
    ratio: float,
    p_value: float,
    min_group: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Holm-adjusted p-values and the adverse flag of each row (see :func:`flag_adverse`)."""
    tested = (n >= min_group) & ~np.isnan(p)
    holm = np.full(len(n), np.nan)
    holm[tested] = adjust_holm(p[tested])
    return holm, (tested & (ratios < ratio) & (flip < ratio) & (holm <= p_value)).astype(bool)
