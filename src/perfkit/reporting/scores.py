"""``scores.csv``: one row per employee, the contract's columns first."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: The contract's columns of ``scores.csv``, in order.
SCORE_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "department",
    "kpi_score",
    "competency_score",
    "score",
    "grade",
    "calibrated_score",
    "pattern",
)
#: Extra columns kept after the contract's when the scores carry them.
EXTRA_COLUMNS: tuple[str, ...] = ("role", "calibrated_grade", "name")
#: A text cell starting with one of these is a formula to a spreadsheet; it gets a leading quote.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as spreadsheet formulas (``=cmd|...`` → ``'=cmd|...``).

    Examples
    --------
    >>> neutralize_formulas(pd.DataFrame({"a": ["=1+1", "ok"]}))["a"].tolist()
    ["'=1+1", 'ok']
    """
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object:
            frame[column] = frame[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
            )
    return frame


def score_table(
    employees: pd.DataFrame, scores: pd.DataFrame | None, assignments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the scores table: every employee, the contract's columns first.

    Parameters
    ----------
    employees : DataFrame
        The client's employees (every employee gets a row, scored or not).
    scores : DataFrame or None
        ``PerformanceScores.employees``; None leaves the score columns empty.
    assignments : DataFrame, optional
        ``PatternResult.assignments`` (employee_id, pattern).
    """
    table = employees[
        ["employee_id", "department"] + [c for c in ("role", "name") if c in employees]
    ].copy()
    if scores is not None and not scores.empty:
        keep = [c for c in scores.columns if c not in ("department", "role", "name")]
        table = table.merge(scores[keep], on="employee_id", how="left")
    if assignments is not None and not assignments.empty and "pattern" in assignments:
        table = table.merge(
            assignments[["employee_id", "pattern"]].drop_duplicates("employee_id"),
            on="employee_id",
            how="left",
        )
    for column in SCORE_COLUMNS:
        if column not in table:
            table[column] = pd.NA
    extras = [c for c in EXTRA_COLUMNS if c in table]
    return table[list(SCORE_COLUMNS) + extras]


def write_scores(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``scores.csv`` (UTF-8 with BOM, so that Excel shows Chinese), formulas neutralised."""
    path = Path(path)
    neutralize_formulas(table).to_csv(path, index=False, encoding="utf-8-sig", float_format="%.2f")
    return path
