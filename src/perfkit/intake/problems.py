"""Locating problems as the client sees them: row numbers and capped lists of bad cells."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from perfkit.errors import Problem
from perfkit.language import pick

#: At most this many rows are listed per column and kind of problem; the rest are counted.
MAX_LISTED = 20


@dataclass(frozen=True)
class RowNumbers:
    """The row a client sees for each row of a loaded table.

    Parameters
    ----------
    first : int
        The row of the table's first data row when rows follow each other (2 below a header).
    explicit : ndarray of int, optional
        The row of every data row, when blank or skipped lines break the sequence.
    """

    first: int = 2
    explicit: np.ndarray | None = None

    def at(self, positions: np.ndarray) -> np.ndarray:
        """Return the client's row numbers of the given 0-based positions."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.explicit is not None:
            return self.explicit[positions]
        return positions + self.first

    def take(self, positions: np.ndarray) -> RowNumbers:
        """Return the row numbers of a subset of the rows (after rows were dropped)."""
        return RowNumbers(explicit=self.at(positions))


def report_rows(
    problems: list[Problem],
    source: str,
    column: str,
    values: pd.Series | np.ndarray,
    mask: pd.Series | np.ndarray,
    rows: RowNumbers,
    expected: str,
    fix: str,
    severity: str = "error",
    lang: str = "en",
) -> int:
    """Append a problem for each row where ``mask`` holds (at most ``MAX_LISTED``, then a count).

    Returns
    -------
    int
        How many rows had the problem.
    """
    mask = (
        np.asarray(mask, dtype=bool)
        if not isinstance(mask, pd.Series)
        else mask.to_numpy(dtype=bool, na_value=False)
    )
    positions = np.flatnonzero(mask)
    if not len(positions):
        return 0
    shown = positions[:MAX_LISTED]
    cells = (
        values.iloc[shown]
        if isinstance(values, pd.Series)
        else np.asarray(values, dtype=object)[shown]
    )
    for row, value in zip(rows.at(shown), list(cells), strict=True):
        text = (
            None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
        )
        problems.append(Problem(source, int(row), column, text, expected, fix, severity))
    if len(positions) > MAX_LISTED:
        more = len(positions) - MAX_LISTED
        problems.append(
            Problem(
                source,
                None,
                column,
                None,
                pick(
                    lang,
                    zh=f"另有 {more} 行存在同样的问题。",
                    en=f"and {more} more rows like these.",
                ),
                fix,
                severity,
            )
        )
    return len(positions)
