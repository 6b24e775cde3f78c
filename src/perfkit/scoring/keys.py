"""Integer codes for groups of text keys, so that grouped sums run as ``np.bincount``."""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

#: Factorized text columns, by ``id`` of the column's array: (weak reference to the array, its
#: Arrow data when read, codes, uniques). A client's id columns are factorized by many analyses;
#: this does it once per column. An entry goes when its array does, or when the array's data change.
_FACTORIZED: dict[int, tuple] = {}


def _forget(key: int) -> None:
    _FACTORIZED.pop(key, None)


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return ``pd.factorize(values)`` (codes in order of first appearance, -1 when missing).

    Arrow-backed text columns are remembered while the column lives, so the analyses that
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
    key = id(array)
    hit = _FACTORIZED.get(key)
    if hit is not None and hit[0]() is array and hit[1] is data:
        return hit[2], hit[3]
    codes, uniques = pd.factorize(values)
    codes, uniques = codes.astype("int64", copy=False), pd.Index(uniques)
    codes.flags.writeable = False
    try:
        ref = weakref.ref(array)
    except TypeError:
        return codes, uniques
    _FACTORIZED[key] = (ref, data, codes, uniques)
    weakref.finalize(array, _forget, key)
    return codes, uniques


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype("int64"), len(values.cat.categories)
    if (
        values.dtype.kind in "iu"
        and len(values)
        and values.min() >= 0
        and values.max() < 4 * len(values)
    ):
        return values.to_numpy().astype("int64", copy=False), int(values.max()) + 1
    if isinstance(values.dtype, pd.StringDtype):
        codes, uniques = factorize_text(values)
        return codes, len(uniques)
    codes, uniques = pd.factorize(values)
    return codes.astype("int64", copy=False), len(uniques)


def group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a group code per row, one row of each group, and which rows have every key.

    Rows with a missing key get code -1 (they belong to no group), as ``groupby`` drops them.

    Parameters
    ----------
    frame : DataFrame
    keys : list of str
        The columns that define a group (text, categorical or integer).

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
    >>> codes, rows, valid = group_codes(pd.DataFrame({"e": ["a", "b", "a"], "p": ["1", "1", "1"]}), ["e", "p"])
    >>> codes.tolist(), sorted(rows.tolist())
    ([0, 1, 0], [1, 2])
    """
    n = len(frame)
    combined: np.ndarray | None = None
    valid: np.ndarray | None = None
    size = 1
    for key in keys:
        codes, k = _codes(frame[key])
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
        inner, uniques = pd.factorize(combined)
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
    frame = frame.copy()
    for col in present:
        codes, uniques = factorize_text(frame[col])
        frame[col] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"))
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
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, where[codes], -1)
    if isinstance(values.dtype, pd.StringDtype) and len(values):
        codes, uniques = factorize_text(values)
        where = index.get_indexer(uniques.astype("str"))
        if (codes < 0).any():  # a missing value matches a missing entry of the index, as text would
            where = np.append(where, index.get_indexer(values[codes < 0].iloc[:1].astype("str")))
        return where[codes]
    return index.get_indexer(values.astype("str"))
