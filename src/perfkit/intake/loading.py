"""Loading a client: read each table, map headers and values, coerce types, check everything."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from perfkit.errors import DataError, Problem, UsageError
from perfkit.intake.client import Client
from perfkit.intake.coercion import ColumnSource, coerce_column
from perfkit.intake.columns import TABLE_COLUMNS
from perfkit.intake.crosschecks import Codes, check_keys, check_relations
from perfkit.intake.problems import RowNumbers
from perfkit.intake.reading import (
    RawTable,
    find_table_file,
    open_workbook,
    read_sheet,
    read_table_file,
)
from perfkit.intake.schemas import check_table
from perfkit.language import pick
from perfkit.settings import SETTINGS_FILE, TABLES, EngagementSettings, load_settings, settings_path


def load_client(path: str | Path, *, lang: str | None = None) -> Client:
    """Load and validate a client folder or workbook.

    Parameters
    ----------
    path : str or Path
        A client folder (one file per table) or one ``.xlsx`` workbook with a sheet per table.
    lang : {"zh", "en"}, optional
        The language of messages; default the settings' ``language``.

    Returns
    -------
    Client
        With warnings (and the conversions perfkit made) in ``notes``.

    Raises
    ------
    UsageError
        When the path does not exist.
    SettingsError
        When the settings file is invalid.
    DataError
        Listing every problem of every table at once.

    Examples
    --------
    >>> client = load_client("data/samples/demo-en")  # doctest: +SKIP
    >>> client.table("results").dtypes["actual"]  # doctest: +SKIP
    dtype('float64')
    """
    client, problems = read_client(path, lang=lang)
    if any(p.severity == "error" for p in problems):
        summary = pick(
            client.language,
            zh=f"客户 '{client.name}' 的数据有问题",
            en=f"client '{client.name}' has invalid data",
        )
        raise DataError(problems, summary=summary, lang=client.language)
    return client


def read_client(path: str | Path, *, lang: str | None = None) -> tuple[Client, list[Problem]]:
    """Read a client and return it with every problem found (errors and warnings).

    Unlike :func:`load_client` this does not raise on data problems, so that
    ``perfkit validate`` can list them all; when there are errors the client's tables may be
    incomplete (a table that lacks a required column is left out).

    Raises
    ------
    UsageError
        When the path does not exist or is neither a folder nor an ``.xlsx`` workbook.
    SettingsError
        When the settings file is invalid.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(
            f"{path}: 没有这个客户文件夹或工作簿\n{path}: no such client folder or workbook"
        )
    if path.is_file() and path.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{path}: 客户应是文件夹或 .xlsx 工作簿\n{path}: a client is a folder or an .xlsx workbook"
        )
    settings = load_settings(path)
    if lang is not None:
        settings = settings.model_copy(update={"language": lang})
    client = Client(name=path.name if path.is_dir() else path.stem, path=path, settings=settings)
    problems: list[Problem] = []
    raws = _read_raw_tables(path, settings, problems)
    codes: Codes = {}
    present = set(raws)
    for table in TABLES:
        if table in raws:
            _load_table(client, raws.pop(table), problems, codes)
    lang = settings.language
    if "employees" not in present:
        problems.append(
            Problem(
                "employees",
                None,
                "employee_id",
                None,
                pick(
                    lang,
                    zh="缺失：这是唯一必需的表。",
                    en="is missing: it is the one required table.",
                ),
                pick(
                    lang,
                    zh="请添加 employees.csv（或 .xlsx、.parquet），至少包含 employee_id 和 department。",
                    en="Add employees.csv (or .xlsx, .parquet) with employee_id and department.",
                ),
            )
        )
    problems += check_relations(client, codes)
    client.notes = [p for p in problems if p.severity != "error"]
    return client, problems


def _read_raw_tables(
    path: Path, settings: EngagementSettings, problems: list[Problem]
) -> dict[str, RawTable]:
    lang = settings.language
    raws: dict[str, RawTable] = {}
    found = settings_path(path)
    base = found.parent if found is not None else (path if path.is_dir() else path.parent)
    named = {table: base / file for table, file in settings.tables.items()}
    for table, file in named.items():
        if not file.is_file():
            problems.append(
                Problem(
                    found.name if found else SETTINGS_FILE,
                    None,
                    f"tables.{table}",
                    str(file),
                    pick(lang, zh="指向的文件不存在。", en="names a file that does not exist."),
                    pick(
                        lang,
                        zh="请检查路径（相对于设置文件所在的文件夹）。",
                        en="Check the path (relative to the settings file's folder).",
                    ),
                )
            )
    if path.is_file():
        book = None
        try:
            book = open_workbook(path, path.name, "workbook", lang)
            for sheet in book.sheetnames:
                table = sheet.strip().lower()
                if table in TABLES and table not in named:
                    raws[table] = read_sheet(book[sheet], table, f"{path.name}[{sheet}]")
        except DataError as exc:
            problems += exc.problems
        except Exception as exc:  # a corrupt sheet inside a readable workbook
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    pick(
                        lang,
                        zh=f"无法读取（{type(exc).__name__}）。",
                        en=f"cannot be read ({type(exc).__name__}).",
                    ),
                    pick(lang, zh="请在 Excel 中另存为 .xlsx。", en="Re-save it as .xlsx."),
                )
            )
        finally:
            if book is not None:
                book.close()
    for table in TABLES:
        try:
            if table in named:
                file = named[table] if named[table].is_file() else None
            elif path.is_dir():
                file = find_table_file(path, table, lang)
            else:
                file = None
            if file is not None:
                raws[table] = read_table_file(file, table, lang)
        except DataError as exc:
            problems += exc.problems
    return raws


def _match_headers(
    raw: RawTable, settings: EngagementSettings, problems: list[Problem]
) -> tuple[list[str], dict[str, str]]:
    """Return the contract-side name of every column, and the client's header of each contract column."""
    lang = settings.language
    table, spec = raw.table, TABLE_COLUMNS[raw.table]
    mapping = {str(k).strip(): v for k, v in settings.columns.get(table, {}).items()}
    lower = {name.lower(): name for name in spec}
    names: list[str] = []
    shown: dict[str, str] = {}
    for i, header in enumerate(raw.header):
        clean = str(header).strip().lstrip("\ufeff").strip()
        name = mapping.get(clean, clean)
        if name not in spec and name.lower() in lower:
            name = lower[name.lower()]
        if not clean:
            name = f"column_{i + 1}"
        if name in names:
            severity = "error" if name in spec else "warning"
            problems.append(
                Problem(
                    raw.source,
                    raw.rows.first - 1,
                    clean or name,
                    None,
                    pick(
                        lang,
                        zh="在表头中出现了不止一次。",
                        en="appears more than once in the header.",
                    ),
                    pick(
                        lang,
                        zh="每个列名只保留一列；perfkit 使用第一列。"
                        if severity == "error"
                        else "perfkit 为重复的附加列加了编号。",
                        en="Keep one column of each name; perfkit used the first."
                        if severity == "error"
                        else "perfkit numbered the repeated extra column.",
                    ),
                    severity,
                )
            )
            name = (
                f"{name} ({names.count(name) + 2})"
                if severity == "warning"
                else f"{name} (duplicate {i + 1})"
            )
        names.append(name)
        if name in spec and name not in shown:
            shown[name] = clean if clean == name else f"{clean} → {name}"
    missing_keys = [k for k in mapping if k not in {str(h).strip() for h in raw.header}]
    for key in missing_keys:
        problems.append(
            Problem(
                raw.source,
                raw.rows.first - 1,
                key,
                None,
                pick(
                    lang,
                    zh=f"出现在 engagement.yaml 的 columns.{table} 中，但不在表头里。",
                    en=f"is mapped under columns.{table} in engagement.yaml but is not in the header.",
                ),
                pick(lang, zh="请检查表头的拼写。", en="Check the header's spelling."),
                "warning",
            )
        )
    return names, shown


def _load_table(client: Client, raw: RawTable, problems: list[Problem], codes: Codes) -> None:
    settings, table, source = client.settings, raw.table, raw.source
    lang = settings.language
    problems += raw.problems
    required = table == "employees"
    if not raw.header or raw.frame.empty:
        problems.append(
            Problem(
                source,
                None,
                None,
                None,
                pick(
                    lang,
                    zh="是空表（没有数据行）。" if raw.header else "是空文件。",
                    en="has no data rows." if raw.header else "is empty.",
                ),
                pick(
                    lang,
                    zh="请导出含数据的表。" if required else "该表按缺失处理。",
                    en="Export the table with its data."
                    if required
                    else "It is treated as absent.",
                ),
                "error" if required else "warning",
            )
        )
        return
    names, shown = _match_headers(raw, settings, problems)
    frame = raw.frame
    frame.columns = names
    spec = TABLE_COLUMNS[table]
    found = ", ".join(h for h in raw.header[:12])
    for name in (c for c, col in spec.items() if col.required and c not in frame.columns):
        problems.append(
            Problem(
                source,
                raw.rows.first - 1,
                name,
                None,
                pick(
                    lang,
                    zh=f"是 {table} 的必需列，但缺失。",
                    en=f"is a required column of {table} and is missing.",
                ),
                pick(
                    lang,
                    zh=f"找到的列：{found}。请重命名该列，或在 engagement.yaml 的 'columns: {{{table}: {{<表头>: {name}}}}}' 中映射。",
                    en=f"Found columns: {found}. Rename the column, or map the client's header under "
                    f"'columns: {{{table}: {{<header>: {name}}}}}' in engagement.yaml.",
                ),
            )
        )
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        if name in spec:
            where = ColumnSource(table, source, shown[name], raw.rows, settings, problems, codes)
            columns[name] = coerce_column(frame[name], spec[name], where)
        else:
            columns[name] = frame[name]
    if table == "kpis":
        direction = columns.get("direction")
        columns["direction"] = (
            direction.fillna("higher")
            if direction is not None
            else pd.Series(["higher"] * len(frame), dtype="str")
        )
    coerced = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    check_table(table, coerced, frame, source, raw.rows, shown, settings, problems)
    client.tables[table] = coerced
    client.sources[table] = source
    client.rows[table] = raw.rows if isinstance(raw.rows, RowNumbers) else RowNumbers()
    client.headers[table] = {k: v.split(" → ")[0] for k, v in shown.items()}
    check_keys(client, table, problems, codes)
