"""A loaded client engagement: its settings and its tables, in the contract's columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from perfkit.errors import Problem
from perfkit.intake.problems import RowNumbers
from perfkit.settings import EngagementSettings


@dataclass
class Client:
    """One client engagement, loaded and validated.

    Tables carry the contract's column names (after the header mapping of ``engagement.yaml``)
    plus every extra column of the client's export. Id and text columns are ``str`` (missing as
    NaN), number and rating columns ``float64``, ``hire_date`` datetime64.

    Attributes
    ----------
    name : str
        The folder's name (or the workbook's file name without ``.xlsx``).
    path : Path
        The client folder or workbook; perfkit never writes into it.
    settings : EngagementSettings
    tables : dict of str to DataFrame
        The tables that were present, by contract name.
    sources : dict of str to str
        The file (or ``workbook.xlsx[sheet]``) each table came from.
    notes : list of Problem
        Conversions perfkit made and warnings (trimmed whitespace, unknown managers...).
    rows : dict of str to RowNumbers
        For each table, the row the client sees in its file for each row of the DataFrame
        (``client.rows["results"].at([0, 5])``; the header is row 1).
    headers : dict of str to dict of str to str
        For each table, the client's own header of each contract column (after ``columns:``).
    """

    name: str
    path: Path
    settings: EngagementSettings
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    rows: dict[str, RowNumbers] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The engagement's language, ``zh`` or ``en``."""
        return self.settings.language

    @property
    def title(self) -> str:
        """The client's name as shown on the report."""
        return self.settings.client or self.name

    def has(self, *tables: str, columns: dict[str, list[str]] | None = None) -> bool:
        """Return whether every named table is present and non-empty (with the given columns)."""
        for table in tables:
            frame = self.tables.get(table)
            if frame is None or frame.empty:
                return False
        for table, cols in (columns or {}).items():
            frame = self.tables.get(table)
            if frame is None or any(c not in frame or frame[c].isna().all() for c in cols):
                return False
        return True

    def table(self, name: str) -> pd.DataFrame | None:
        """Return a table by contract name, or None when the client has none."""
        return self.tables.get(name)

    @property
    def employees(self) -> pd.DataFrame:
        """The required employees table."""
        return self.tables["employees"]

    @property
    def periods(self) -> list[str]:
        """Every period of results and ratings, in time order."""
        found: set[str] = set()
        for table in ("results", "ratings", "competencies"):
            frame = self.tables.get(table)
            if frame is not None and "period" in frame:
                found.update(frame["period"].dropna().unique())
        return sorted(found)

    @property
    def current_period(self) -> str | None:
        """The settings' ``current_period``, or else the latest period in the data."""
        if self.settings.current_period:
            return self.settings.current_period
        periods = self.periods
        return periods[-1] if periods else None
