"""Integer codes for groups of text keys, so that grouped sums run as ``np.bincount``."""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

#: Factorized text columns, by ``id`` of the column's Arrow data: (weak reference to the data,
#: the column's dtype, codes, uniques). A client's id columns are factorized by many analyses;
#: this does it once per column. Arrow data never change in place, and the frames that select
#: whole columns or every row (``frame[cols]``, ``reset_index``) share them, so those hit too.
#: An entry goes when its data do.
_FACTORIZED: dict[int, tuple] = {}


def _forget(key: int) -> None:
    _FACTORIZED.pop(key, None)


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return ``pd.factorize(values)`` (codes in order of first appearance, -1 when missing).

    Arrow-backed text columns are remembered while their data live, so the analyses that
    each factorize ``employee_id`` of a 2-million-row table share one pass.
    The codes are read-only: copy them before changing them.

    Examples
    --------
    >>> codes, uniques = factorize_text(pd.Series(["b", "a", None, "b"], dtype="str"))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, -1, 0], ['b', 'a'])
    """
    array = values.array if isinstance(values, pd.Series) else None
    data = getattr(array, "_pa_array", None)
    if data is None or not isinstance(values.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(values)
        return codes.astype("int64", copy=False), pd.Index(uniques)
    key = id(data)
    hit = _FACTORIZED.get(key)
    if hit is not None and hit[0]() is data and hit[1] == values.dtype:
        return hit[2], hit[3]
    codes, uniques = pd.factorize(values)
    codes, uniques = codes.astype("int64", copy=False), pd.Index(uniques)
    codes.flags.writeable = False
    try:
        ref = weakref.ref(data)
    except TypeError:
        return codes, uniques
    _FACTORIZED[key] = (ref, values.dtype, codes, uniques)
    weakref.finalize(data, _forget, key)
    return codes, uniques


def _ranked(codes: np.ndarray, uniques) -> np.ndarray:
    """``codes`` renumbered in the order ``sort_values`` sorts ``uniques`` (-1 stays -1)."""
    if isinstance(uniques.dtype, pd.StringDtype):
        order = np.asarray(uniques.argsort())
        ranks = np.empty(len(order), dtype="int64")
        ranks[order] = np.arange(len(order))
    else:
        ranks = pd.Categorical(uniques, ordered=True).codes.astype("int64")
    return np.append(ranks, -1)[codes]  # -1 takes the appended -1


def _codes(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, int]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, categories = values.cat.codes.to_numpy(), values.cat.categories
        if sort:  # as decode_keys gives them back: by their text
            return _ranked(codes, categories.astype("str")), len(categories)
        return codes.astype("int64"), len(categories)
    if (
        values.dtype.kind in "iu"
        and len(values)
        and values.min() >= 0
        and values.max() < 4 * len(values)
    ):
        return values.to_numpy().astype("int64", copy=False), int(values.max()) + 1
    if isinstance(values.dtype, pd.StringDtype):
        codes, uniques = factorize_text(values)
    else:
        codes, uniques = pd.factorize(values)
        codes = codes.astype("int64", copy=False)
    return (_ranked(codes, uniques) if sort else codes), len(uniques)


def unique_rows(values: pd.Series) -> np.ndarray:
    """Return whether each row is the first with its value: the rows ``drop_duplicates`` keeps.

    Text is hashed once (and remembered, see :func:`factorize_text`); missing values count as
    one value, as in ``drop_duplicates``.

    Examples
    --------
    >>> unique_rows(pd.Series(["b", "a", None, "b", None], dtype="str")).tolist()
    [True, True, True, False, False]
    """
    codes, uniques = factorize_text(values)
    if len(uniques) == len(values):
        return np.ones(len(values), dtype=bool)
    return ~pd.Series(codes).duplicated().to_numpy()


def value_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Return integer codes that tell the values apart (-1 when missing), and a bound on them.

    The codes are below the bound, not necessarily dense: categorical values keep their
    category codes, small non-negative integers stay as they are, text is factorized (and
    remembered, see :func:`factorize_text`).

    Examples
    --------
    >>> codes, n = value_codes(pd.Series(["b", "a", None, "b"], dtype="str"))
    >>> codes.tolist(), n
    ([0, 1, -1, 0], 2)
    """
    return _codes(values)


def sorted_codes(values: pd.Series) -> np.ndarray:
    """Return integer codes that sort as ``sort_values`` sorts the values (-1 when missing).

    Equal values share a code; categorical values sort by their text, as :func:`decode_keys`
    gives them back. A cheap sort key: text is hashed once (and remembered, see
    :func:`factorize_text`), then only the distinct values are sorted.

    Examples
    --------
    >>> sorted_codes(pd.Series(["b", "a", None, "b"], dtype="str")).tolist()
    [1, 0, -1, 1]
    """
    return _codes(values, sort=True)[0]


def group_codes(
    frame: pd.DataFrame, keys: list[str], *, sort: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a group code per row, one row of each group, and which rows have every key.

    Rows with a missing key get code -1 (they belong to no group), as ``groupby`` drops them.

    Parameters
    ----------
    frame : DataFrame
    keys : list of str
        The columns that define a group (text, categorical or integer).
    sort : bool, keyword-only
        Number the groups in the order ``sort_values(keys)`` gives them once categorical keys
        are decoded (:func:`decode_keys`): a table of one row per group built in code order is
        then already sorted. Otherwise the order is unspecified.

    Returns
    -------
    codes : ndarray of int64
        0..n_groups-1, -1 for rows with a missing key.
    rows : ndarray of int64
        For each group, the position of one of its rows (to read its keys back).
    valid : ndarray of bool
        Rows with every key present.

    Examples
    --------
    >>> codes, rows, valid = group_codes(pd.DataFrame({"e": ["b", "a", "b"], "p": ["1", "1", "1"]}), ["e", "p"], sort=True)
    >>> codes.tolist(), rows.tolist()
    ([1, 0, 1], [1, 2])
    """
    n = len(frame)
    combined: np.ndarray | None = None
    valid: np.ndarray | None = None
    size = 1
    for key in keys:
        codes, k = _codes(frame[key], sort)
        missing = codes < 0
        if missing.any():
            valid = ~missing if valid is None else valid & ~missing
        combined = codes if combined is None else combined * k + codes
        size *= max(k, 1)
    if combined is None:
        combined = np.zeros(n, dtype="int64")
    if valid is not None:
        combined = combined[valid]
    if size <= max(4 * n, 1_000_000):
        present = np.zeros(size, dtype=bool)
        present[combined] = True
        remap = np.cumsum(present, dtype="int64") - 1
        inner = remap[combined]
        n_groups = int(remap[-1] + 1) if size else 0
    else:
        inner, uniques = pd.factorize(combined, sort=sort)
        inner = inner.astype("int64", copy=False)
        n_groups = len(uniques)
    rows = np.zeros(n_groups, dtype="int64")
    if valid is None:
        rows[inner] = np.arange(n)
        return inner, rows, np.ones(n, dtype=bool)
    codes = np.full(n, -1, dtype="int64")
    codes[valid] = inner
    rows[inner] = np.flatnonzero(valid)
    return codes, rows, valid


def encode_keys(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return ``frame`` with the given text columns as ``category``: grouping many rows by them is then cheap."""
    present = [
        c for c in columns if c in frame and not isinstance(frame[c].dtype, pd.CategoricalDtype)
    ]
    if not present:
        return frame
    # factorized before the copy, whose new arrays would miss factorize_text's memo; a shallow
    # copy, as only whole columns are replaced
    encoded = {}
    for col in present:
        codes, uniques = factorize_text(frame[col])
        # the memo's own uniques when already text: their uniqueness check is then cached too
        categories = uniques if uniques.dtype == "str" else pd.Index(uniques, dtype="str")
        dtype = pd.CategoricalDtype(categories)
        encoded[col] = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    frame = frame.copy(deep=False)
    for col, values in encoded.items():
        frame[col] = values
    return frame


def decode_keys(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return ``frame`` with categorical key columns back as text (``str``)."""
    for col in columns:
        if col in frame and isinstance(frame[col].dtype, pd.CategoricalDtype):
            values = frame[col]
            codes = values.cat.codes.to_numpy()
            text = values.cat.categories.astype("str").take(np.maximum(codes, 0))
            frame[col] = pd.Series(text, index=frame.index, dtype="str").where(codes >= 0)
    return frame


def positions(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Return the position of each value in ``index`` (-1 when absent), fast for categorical values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        where = index.get_indexer(values.cat.categories.astype("str"))
        return np.append(where, -1)[values.cat.codes.to_numpy()]  # code -1 takes the -1
    if isinstance(values.dtype, pd.StringDtype) and len(values):
        codes, uniques = factorize_text(values)
        where = index.get_indexer(uniques.astype("str"))
        if (codes < 0).any():  # a missing value matches a missing entry of the index, as text would
            where = np.append(where, index.get_indexer(values[codes < 0].iloc[:1].astype("str")))
        return where[codes]
    return index.get_indexer(values.astype("str"))
