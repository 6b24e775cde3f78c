"""The errors perfkit shows its users: each one a message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


class PerfkitError(Exception):
    """Base of every error a user can cause; the command line prints it and exits 1."""

    exit_code = 1


class UsageError(PerfkitError):
    """The command was called wrongly (a missing folder, an unknown option value).

    ``perfkit validate`` exits 2 for it, as the contract says; the other commands exit 1
    (:data:`perfkit.cli.USAGE_STATUS`).
    """

    exit_code = 2


class SettingsError(PerfkitError):
    """``engagement.yaml`` is malformed or holds an unknown key or an impossible value."""


@dataclass(frozen=True)
class Problem:
    """One problem in a client's data, located as the client sees it.

    Parameters
    ----------
    table : str
        The table (``results``) or file (``results.csv``) the problem is in.
    row : int or None
        The row as the client sees it in the file (the header is row 1), or None
        when the problem is about a whole table or column.
    column : str or None
        The column as the client named it.
    value : str or None
        The offending value, as text.
    expected : str
        What perfkit expected instead.
    fix : str
        How the client can fix it.
    severity : {"error", "warning"}
        Errors make the data invalid; warnings are listed but do not fail.
    """

    table: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    fix: str = ""
    severity: str = "error"

    def describe(self, lang: str = "en") -> str:
        """Return the problem as one line: ``results.csv row 8, column 'actual': ...``.

        Parameters
        ----------
        lang : {"en", "zh"}
            The language of the frame around the problem's own (already translated) text.
        """
        where = self.table
        if lang == "zh":
            if self.row is not None:
                where += f" 第 {self.row} 行"
            if self.column is not None:
                where += f"，列 '{self.column}'"
            what = f"{self.value!r} " if self.value is not None else ""
            text = f"{where}：{what}{self.expected}".rstrip()
        else:
            if self.row is not None:
                where += f" row {self.row}"
            if self.column is not None:
                where += f", column '{self.column}'"
            what = f"{self.value!r} " if self.value is not None else ""
            text = f"{where}: {what}{self.expected}".rstrip()
        if self.fix:
            text += f" {self.fix}"
        return text


@dataclass
class DataError(PerfkitError):
    """A client's data has problems; ``problems`` lists every one of them at once."""

    problems: list[Problem] = field(default_factory=list)
    summary: str = "the client's data has problems"
    lang: str = "en"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        # pickled by its fields (an Exception pickles by its args): it travels between processes
        return (type(self), (self.problems, self.summary, self.lang))

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        count = f"{len(errors)} 个错误" if self.lang == "zh" else f"{len(errors)} error(s)"
        lines = [f"{self.summary} ({count}):"]
        lines += [f"  - {p.describe(self.lang)}" for p in errors]
        return "\n".join(lines)
