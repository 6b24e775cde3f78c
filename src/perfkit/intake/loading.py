"""Loading a client: read each table, map headers and values, coerce types, check everything."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from perfkit.errors import DataError, Problem, UsageError
from perfkit.intake.client import Client
from perfkit.intake.columns import KEYS, TABLE_COLUMNS, Column
from perfkit.intake.crosschecks import check_relations
from perfkit.intake.reading import find_table_file, read_excel_text, read_table_file
from perfkit.settings import SETTINGS_FILE, TABLES, EngagementSettings, load_settings

#: At most this many rows are listed per column and kind of problem; the rest are counted.
MAX_LISTED = 20


def load_client(path: str | Path) -> Client:
    """Load and validate a client folder or workbook.

    Parameters
    ----------
    path : str or Path
        A client folder (one file per table) or one ``.xlsx`` workbook with a sheet per table.

    Returns
    -------
    Client
        With warnings (and the conversions perfkit made) in ``notes``.

    Raises
    ------
    UsageError
        When the path does not exist.
    SettingsError
        When ``engagement.yaml`` is invalid.
    DataError
        Listing every problem of every table at once.
    """
    client, problems = read_client(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(problems, summary=f"client '{client.name}' has invalid data")
    client.notes = problems
    return client


def read_client(path: str | Path) -> tuple[Client, list[Problem]]:
    """Read a client and return it with every problem found (errors and warnings).

    Unlike :func:`load_client` this does not raise on data problems, so that
    ``perfkit validate`` can list them all.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such client folder or workbook")
    if path.is_file() and path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: a client is a folder or an .xlsx workbook")
    folder = path if path.is_dir() else path.parent
    settings = load_settings(folder) if path.is_dir() else _workbook_settings(path)
    name = path.name if path.is_dir() else path.stem
    client = Client(name=name, path=path, settings=settings)
    problems: list[Problem] = []
    raw_tables = _read_raw_tables(path, problems)
    for table, (source, frame) in raw_tables.items():
        if frame.empty:
            severity = "error" if table == "employees" else "warning"
            problems.append(Problem(source, None, None, None, "has no rows.",
                                    "Export the table with its data." if table == "employees"
                                    else "It is treated as absent.", severity))
            if table != "employees":
                continue
        coerced = coerce_table(table, frame, source, settings, problems)
        if coerced is not None:
            client.tables[table] = coerced
            client.sources[table] = source
    if "employees" not in raw_tables:
        problems.append(Problem("employees", None, None, None, "is missing: it is the one required table.",
                                "Add employees.csv (or .xlsx, .parquet) with employee_id and department."))
    if all(p.severity != "error" for p in problems):
        problems += check_relations(client)
    return client, problems


def _workbook_settings(path: Path) -> EngagementSettings:
    beside = path.with_suffix(".yaml")
    if beside.is_file():
        return load_settings_file(beside)
    return load_settings(path.parent) if (path.parent / SETTINGS_FILE).is_file() else EngagementSettings()


def load_settings_file(path: Path) -> EngagementSettings:
    """Read settings from a YAML file of any name (``client.yaml`` beside ``client.xlsx``)."""
    from perfkit import settings as _settings

    import yaml

    from perfkit.errors import SettingsError

    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise SettingsError(f"{path.name}{where}: malformed YAML") from None
    return _settings.parse_settings(data, source=path.name)


def _read_raw_tables(path: Path, problems: list[Problem]) -> dict[str, tuple[str, pd.DataFrame]]:
    tables: dict[str, tuple[str, pd.DataFrame]] = {}
    if path.is_file():
        import openpyxl

        try:
            sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
        except Exception as exc:
            problems.append(Problem(path.name, None, None, None,
                                    f"cannot be read as an Excel workbook ({type(exc).__name__}).",
                                    "Re-save it as .xlsx."))
            return tables
        for sheet in sheets:
            table = sheet.strip().lower()
            if table in TABLES:
                source = f"{path.name}[{sheet}]"
                try:
                    tables[table] = (source, read_excel_text(path, sheet, table))
                except DataError as exc:
                    problems += exc.problems
        return tables
    for table in TABLES:
        try:
            file = find_table_file(path, table)
            if file is not None:
                tables[table] = (file.name, read_table_file(file, table))
        except DataError as exc:
            problems += exc.problems
    return tables


def coerce_table(
    table: str, frame: pd.DataFrame, source: str, settings: EngagementSettings, problems: list[Problem]
) -> pd.DataFrame | None:
    """Map a raw table's headers and values to the contract and coerce each column's type.

    Appends every problem to ``problems``; returns None when a required column is missing.
    Extra columns are kept as they are.
    """
    frame = frame.copy()
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    client_names = {c: c for c in frame.columns}
    mapping = settings.columns.get(table, {})
    if mapping:
        renamed = {c: mapping[c] for c in frame.columns if c in mapping}
        frame = frame.rename(columns=renamed)
        client_names = {renamed.get(c, c): c for c in client_names}
    duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if duplicated:
        problems.append(Problem(source, 1, ", ".join(duplicated), None,
                                "appears more than once in the header.", "Keep one column of each name."))
        return None
    spec = TABLE_COLUMNS[table]
    missing = [c.name for c in spec.values() if c.required and c.name not in frame.columns]
    if missing:
        for name in missing:
            problems.append(Problem(source, 1, name, None,
                                    f"is a required column of {table} and is missing.",
                                    _header_fix(table, frame.columns)))
        return None
    for name, column in spec.items():
        if name in frame.columns:
            frame[name] = _coerce_column(frame[name], column, table, source, client_names[name], settings, problems)
    if "direction" in frame.columns and table == "kpis":
        frame["direction"] = frame["direction"].fillna("higher")
    elif table == "kpis":
        frame["direction"] = "higher"
    _check_keys(table, frame, source, problems)
    return frame.reset_index(drop=True)


def _header_fix(table: str, found: pd.Index) -> str:
    shown = ", ".join(map(str, list(found)[:12]))
    return (f"Found columns: {shown}. Rename the column, or map the client's header under "
            f"'columns: {{{table}: {{<header>: <column>}}}}' in engagement.yaml.")


def _rows(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.to_numpy()) + 2


def _report(problems: list[Problem], source: str, column: str, values: pd.Series, mask: pd.Series,
            expected: str, fix: str, severity: str = "error") -> None:
    rows = _rows(mask)
    if not len(rows):
        return
    bad = values[mask.to_numpy()]
    for row, value in zip(rows[:MAX_LISTED], bad.iloc[:MAX_LISTED], strict=False):
        problems.append(Problem(source, int(row), column, str(value), expected, fix, severity))
    if len(rows) > MAX_LISTED:
        problems.append(Problem(source, None, column, None,
                                f"and {len(rows) - MAX_LISTED} more rows like these.", fix, severity))


def _coerce_column(series: pd.Series, column: Column, table: str, source: str, shown: str,
                   settings: EngagementSettings, problems: list[Problem]) -> pd.Series:
    text = series.astype("string").str.strip()
    changed = (text != series.astype("string")).fillna(False)
    if changed.any():
        problems.append(Problem(source, None, shown, None,
                                f"had leading or trailing spaces in {int(changed.sum())} cell(s); perfkit trimmed them.",
                                "", "warning"))
    text = text.mask(text == "")
    value_map = settings.values.get(table, {}).get(column.name)
    if value_map:
        text = text.replace(value_map)
    kind = column.kind
    if kind in ("id", "text", "period"):
        return text.astype("str")
    if kind == "choice":
        lowered = text.str.lower()
        bad = lowered.notna() & ~lowered.isin(column.choices)
        _report(problems, source, shown, text, bad, f"is not one of {', '.join(column.choices)}.",
                f"Use one of those, or map the client's values under 'values: {{{table}: {{{column.name}: ...}}}}'.")
        return lowered.astype("str")
    if kind == "date":
        parsed = pd.to_datetime(text, errors="coerce", format="mixed")
        bad = text.notna() & parsed.isna()
        _report(problems, source, shown, text, bad, "is not a date.", "Use YYYY-MM-DD; perfkit left it empty.", "warning")
        return parsed
    normal = text.map(lambda v: unicodedata.normalize("NFKC", v) if isinstance(v, str) else v)
    numbers = pd.to_numeric(normal, errors="coerce").astype("float64")
    bad = normal.notna() & numbers.isna()
    if kind == "rating" and bad.any():
        labels = {unicodedata.normalize("NFKC", k).strip().casefold(): v for k, v in settings.rating_labels.items()}
        mapped = normal[bad].str.casefold().map(labels)
        numbers[bad.to_numpy()] = mapped.astype("float64").to_numpy()
        bad = normal.notna() & numbers.isna()
        known = ", ".join(settings.rating_labels) or "none defined"
        _report(problems, source, shown, text, bad,
                f"is neither a number nor a rating label (labels: {known}).",
                "Map each text rating to a number under 'rating_labels' in engagement.yaml.")
    else:
        _report(problems, source, shown, text, bad, "is not a number.", "Fix the file; perfkit does not guess.")
    if column.required:
        _report(problems, source, shown, text, text.isna(), "is empty; a value is required.", "Fill it in.")
    return numbers


def _check_keys(table: str, frame: pd.DataFrame, source: str, problems: list[Problem]) -> None:
    if table in ("employees", "kpis", "objectives", "training_catalog", "results"):
        required = KEYS[table]
        for key in required:
            if TABLE_COLUMNS[table][key].kind == "id":
                _report(problems, source, key, frame[key], frame[key].isna(), "is empty; every row needs an id.",
                        "Fill it in or delete the row.")
    keys = list(KEYS.get(table, ()))
    if table == "ratings":
        keys = ["employee_id", "rater_id", "period", "competency"]
    if keys and all(k in frame for k in keys):
        dup = frame.duplicated(keys, keep="first") & frame[keys].notna().all(axis=1)
        shown = " + ".join(keys)
        label = frame[keys].astype(str).agg(" / ".join, axis=1) if dup.any() else frame[keys[0]]
        _report(problems, source, shown, label, dup, "is a duplicate: this key appears on an earlier row.",
                "Keep one row per key.")
