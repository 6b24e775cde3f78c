"""``perfkit validate``: every problem of a client at once, as a table, text or HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from perfkit.errors import Problem
from perfkit.language import pick

PROBLEM_COLUMNS: tuple[str, ...] = (
    "table",
    "row",
    "column",
    "value",
    "expected",
    "fix",
    "severity",
)


@dataclass
class ValidationReport:
    """The outcome of validating one client: its tables and every problem found.

    Attributes
    ----------
    client : str
        The client's name (its folder, or its workbook without ``.xlsx``).
    path : Path
    language : {"zh", "en"}
    problems : list of Problem
        Errors and warnings, in the order found (table by table, then across tables).
    tables : dict of str to dict
        For each table loaded: ``source`` (the client's file) and ``rows``.
    """

    client: str
    path: Path
    language: str
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the data invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems listed but not refused."""
        return [p for p in self.problems if p.severity != "error"]

    @property
    def has_errors(self) -> bool:
        """Whether any problem is an error (``perfkit validate`` then exits 1)."""
        return bool(self.errors)

    def to_frame(self) -> pd.DataFrame:
        """Return the problems as a tidy table: table, row, column, value, expected, fix, severity."""
        frame = pd.DataFrame(
            [[getattr(p, c) for c in PROBLEM_COLUMNS] for p in self.problems],
            columns=list(PROBLEM_COLUMNS),
        )
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data (JSON-ready)."""
        return {
            "client": self.client,
            "path": str(self.path),
            "language": self.language,
            "valid": not self.has_errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "tables": self.tables,
            "problems": [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in self.problems],
        }

    def summary(self) -> str:
        """Return one sentence saying whether the client is valid."""
        lang, errors, warnings = self.language, len(self.errors), len(self.warnings)
        if errors:
            return pick(
                lang,
                zh=f"客户 '{self.client}'：{errors} 个错误，{warnings} 个警告；数据无效。",
                en=f"client '{self.client}': {errors} error(s), {warnings} warning(s); the data is invalid.",
            )
        return pick(
            lang,
            zh=f"客户 '{self.client}'：数据有效（{warnings} 个警告）。",
            en=f"client '{self.client}': the data is valid ({warnings} warning(s)).",
        )

    def print(self, console) -> None:  # noqa: ANN001 (a rich Console)
        """Print the problems: a rich table on a terminal, one line per problem otherwise."""
        from rich.table import Table
        from rich.text import Text

        lang = self.language
        if self.problems and console.is_terminal:
            table = Table(show_lines=False, header_style="bold")
            for name in PROBLEM_COLUMNS:
                table.add_column(_HEADINGS[name][0 if lang == "zh" else 1], overflow="fold")
            for p in self.problems:
                style = "red" if p.severity == "error" else "yellow"
                cells = [
                    p.table,
                    "" if p.row is None else str(p.row),
                    p.column or "",
                    p.value or "",
                    p.expected,
                    p.fix,
                    _severity(p.severity, lang),
                ]
                table.add_row(*(Text(c) for c in cells), style=style)
            console.print(table)
        else:
            for p in self.problems:
                console.print(Text(f"{_severity(p.severity, lang)}: {p.describe(lang)}"))
        console.print(Text(self.summary(), style="bold red" if self.has_errors else "bold green"))

    def html(self) -> str:
        """Return the report as one self-contained HTML page; every client string is escaped."""
        from jinja2 import Environment, PackageLoader, select_autoescape

        env = Environment(
            loader=PackageLoader("perfkit.intake", "."), autoescape=select_autoescape(default=True)
        )
        lang = self.language
        headings = [_HEADINGS[c][0 if lang == "zh" else 1] for c in PROBLEM_COLUMNS]
        rows = [
            {
                "severity": p.severity,
                "cells": [
                    p.table,
                    "" if p.row is None else p.row,
                    p.column or "",
                    p.value or "",
                    p.expected,
                    p.fix,
                    _severity(p.severity, lang),
                ],
            }
            for p in self.problems
        ]
        return env.get_template("validation.html.j2").render(
            lang=lang,
            report=self.to_dict(),
            summary=self.summary(),
            headings=headings,
            rows=rows,
            title=pick(lang, zh=f"数据检查：{self.client}", en=f"Data check: {self.client}"),
            tables_heading=pick(lang, zh="已读取的表", en="Tables read"),
            problems_heading=pick(lang, zh="问题", en="Problems"),
            no_problems=pick(lang, zh="没有发现问题。", en="No problems found."),
            file_heading=pick(lang, zh="文件", en="file"),
            rows_heading=pick(lang, zh="行数", en="rows"),
        )

    def _repr_html_(self) -> str:
        return self.html()

    def write_html(self, path: str | Path) -> Path:
        """Write :meth:`html` to ``path`` (never into the client's folder) and return it."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html(), encoding="utf-8")
        return path


_HEADINGS = {
    "table": ("表/文件", "table"),
    "row": ("行", "row"),
    "column": ("列", "column"),
    "value": ("值", "value"),
    "expected": ("问题", "expected"),
    "fix": ("如何修正", "fix"),
    "severity": ("级别", "severity"),
}


def _severity(severity: str, lang: str) -> str:
    if severity == "error":
        return pick(lang, zh="错误", en="error")
    return pick(lang, zh="警告", en="warning")


def validate_client(path: str | Path, *, lang: str | None = None) -> ValidationReport:
    """Check every table of a client and the settings; return every problem at once.

    Never raises for problems in the data; they are in the report.

    Parameters
    ----------
    path : str or Path
        A client folder or ``.xlsx`` workbook.
    lang : {"zh", "en"}, optional
        The language of the messages; default the settings' ``language``.

    Raises
    ------
    UsageError
        When the path does not exist.
    SettingsError
        When the settings file is malformed or invalid (it names the file, line or key).

    Examples
    --------
    >>> report = validate_client("data/samples/demo-en")  # doctest: +SKIP
    >>> report.has_errors  # doctest: +SKIP
    False
    """
    from perfkit.intake.loading import read_client

    client, problems = read_client(path, lang=lang)
    tables = {
        name: {"source": client.sources[name], "rows": len(frame)}
        for name, frame in client.tables.items()
    }
    return ValidationReport(
        client=client.name,
        path=Path(path),
        language=client.language,
        problems=problems,
        tables=tables,
    )
