"""Reading a client's raw tables: CSV (any encoding and separator), Excel and Parquet, as text."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from perfkit.errors import DataError, Problem
from perfkit.intake.problems import RowNumbers
from perfkit.language import pick

ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")
SEPARATORS: str = ",;\t"
EXTENSIONS: tuple[str, ...] = (".csv", ".xlsx", ".parquet")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """One table as the client's file holds it: every cell text (Parquet keeps its types).

    Attributes
    ----------
    table : str
        The contract's table name.
    source : str
        The file as the client knows it (``results.csv``, ``client.xlsx[results]``).
    header : list of str
        The client's headers, in file order (blank or duplicated ones included).
    frame : DataFrame
        The data, columns labelled by position (0, 1, ...) to survive duplicate headers.
    rows : RowNumbers
        The row the client sees for each row of ``frame``.
    typed : bool
        Whether cells keep their file's types (Parquet) rather than being text.
    problems : list of Problem
        What reading found (malformed lines, conversions).
    """

    table: str
    source: str
    header: list[str]
    frame: pd.DataFrame
    rows: RowNumbers = field(default_factory=RowNumbers)
    typed: bool = False
    problems: list[Problem] = field(default_factory=list)


def _unreadable(source: str, table: str, expected: str, fix: str) -> DataError:
    return DataError(
        [Problem(source, None, None, None, expected, fix)], summary=f"{table}: {source}"
    )


def _not_a_workbook(exc: Exception, source: str, table: str, lang: str) -> DataError:
    name = type(exc).__name__
    return _unreadable(
        source,
        table,
        pick(
            lang,
            zh=f"无法作为 Excel 工作簿读取（{name}）。",
            en=f"cannot be read as an Excel workbook ({name}).",
        ),
        pick(lang, zh="请在 Excel 中另存为 .xlsx。", en="Re-save it as .xlsx."),
    )


def _is_utf8(raw: bytes) -> bool:
    """Return whether bytes are valid UTF-8, as strictly as Python decodes them.

    Arrow checks them in place, where decoding would build a Python string as large as the file.
    """
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def decode_bytes(raw: bytes, source: str, table: str, lang: str = "en") -> tuple[bytes, str]:
    """Return a CSV's bytes as UTF-8 without BOM, and the encoding it had.

    UTF-8 (with or without BOM), GBK/GB18030 and UTF-16 with a BOM are understood.

    Raises
    ------
    DataError
        When the bytes are binary or in no supported encoding.
    """
    fix = pick(
        lang,
        zh="请将该表导出为 CSV（UTF-8 或 GBK）、XLSX 或 Parquet。",
        en="Export the table as CSV (UTF-8 or GBK), XLSX or Parquet.",
    )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError:
            raise _unreadable(
                source,
                table,
                pick(lang, zh="不是有效的 UTF-16 文本。", en="is not valid UTF-16 text."),
                fix,
            ) from None
    if raw.startswith(b"PK\x03\x04"):
        raise _unreadable(
            source,
            table,
            pick(
                lang,
                zh="是一个 Excel 工作簿，却以 .csv 命名。",
                en="is an Excel workbook named as a CSV file.",
            ),
            pick(lang, zh="请把扩展名改为 .xlsx。", en="Rename it to .xlsx."),
        )
    binary = pick(
        lang, zh="不是文本文件（含二进制数据）。", en="is not a text file (it holds binary data)."
    )
    if b"\x00" in raw[:65536]:
        raise _unreadable(source, table, binary, fix)
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    if not raw.isascii() and not _is_utf8(raw):
        try:
            raw = raw.decode("gb18030").encode("utf-8")
            encoding = "gb18030"
        except UnicodeDecodeError as exc:
            raise _unreadable(
                source,
                table,
                pick(
                    lang,
                    zh=f"既不是 UTF-8 也不是 GBK 文本（第 {exc.start} 字节）。",
                    en=f"is neither UTF-8 nor GBK text (byte {exc.start}).",
                ),
                fix,
            ) from None
    head = raw[:65536].decode("utf-8", errors="ignore")
    if len(_CONTROL.findall(head)) > max(2, len(head) // 200):
        raise _unreadable(source, table, binary, fix)
    return raw, encoding


def sniff_separator(text: str) -> str:
    """Return the separator of a CSV text among ``,`` ``;`` and tab, by its first lines.

    The separator that splits the first lines into the same number of fields (more than one)
    wins; ties go to the one giving more fields, then to ``,``.
    """
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    best, best_key = ",", (-1, -1)
    for sep in SEPARATORS:
        counts = [len(rec) for rec in csv.reader(lines, delimiter=sep) if rec]
        if not counts:
            continue
        consistent = sum(c == counts[0] for c in counts) / len(counts)
        key = (int(counts[0] > 1) * round(consistent, 1), counts[0])
        if key > best_key:
            best, best_key = sep, key
    return best


def read_csv_table(path: Path, table: str, source: str | None = None, lang: str = "en") -> RawTable:
    """Read a CSV of any supported encoding and separator, every cell as text.

    Malformed lines (too many or too few fields) are reported and left out; the rest is read.

    Raises
    ------
    DataError
        When the file is binary or in no supported encoding.
    """
    source = source or path.name
    data, _ = decode_bytes(path.read_bytes(), source, table, lang)
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    if not data[:65536].strip() and not data[:end].strip():
        return RawTable(table, source, [], pd.DataFrame())
    sep = sniff_separator(data[:65536].decode("utf-8", errors="ignore"))
    if not data.startswith((b"\n", b"\r")):
        fast = _read_csv_arrow(data, end, sep, table, source)
        if fast is not None:
            return fast
    return _read_csv_python(data[:end].decode("utf-8"), sep, table, source, lang)


def _read_csv_arrow(data: bytes, end: int, sep: str, table: str, source: str) -> RawTable | None:
    """Read a well-formed CSV quickly with pyarrow; None when it has malformed lines."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    newline = data.find(b"\n", 0, end)
    first_line = data[: newline if newline >= 0 else end].decode("utf-8").rstrip("\r")
    header = next(csv.reader([first_line], delimiter=sep), [])
    if not header or first_line.count('"') % 2:
        return None
    names = [str(i) for i in range(len(header))]
    invalid: list[object] = []

    def skip(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        arrow = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(0, end)),
            # One thread: on a shared two-core machine Arrow's threads took more CPU than they
            # saved time, and batch runs already read clients in parallel processes.
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=data.find(b'"', 0, end) >= 0,
                invalid_row_handler=skip,
            ),
            convert_options=pacsv.ConvertOptions(
                # pandas' ``str`` holds large_string: reading that type spares a copy of the text
                column_types=dict.fromkeys(names, pa.large_string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
            # The system allocator: Arrow's default (mimalloc) gives freed memory back to the
            # system after a second and faults it in again, which made reading large clients
            # spend as much time in the kernel as in parsing.
            memory_pool=pa.system_memory_pool(),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if invalid or data.count(b"\n", 0, end) != arrow.num_rows:
        return None  # malformed, blank or multi-line rows: read record by record to number them
    frame = arrow.to_pandas()
    frame.columns = range(len(header))
    return RawTable(table, source, header, frame)


def _read_csv_python(text: str, sep: str, table: str, source: str, lang: str) -> RawTable:
    """Read a CSV with blank or malformed lines record by record, keeping the client's rows."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    header: list[str] | None = None
    kept: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    first = 2
    for number, record in enumerate(records, start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, first = record, number + 1
            continue
        if len(record) != len(header):
            shown = sep.join(record)
            problems.append(
                Problem(
                    source,
                    number,
                    None,
                    shown[:80] + ("…" if len(shown) > 80 else ""),
                    pick(
                        lang,
                        zh=f"有 {len(record)} 个字段，而表头有 {len(header)} 个；该行未读入。",
                        en=f"has {len(record)} fields where the header has {len(header)}; the row was left out.",
                    ),
                    pick(
                        lang,
                        zh="检查该行的引号和分隔符。",
                        en="Check the quoting and separators on that line.",
                    ),
                )
            )
            continue
        kept.append(record)
        rows.append(number)
    header = header or []
    columns = {
        i: pd.Series([rec[i] for rec in kept], dtype="str").replace("", np.nan)
        for i in range(len(header))
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(kept)))
    explicit = np.asarray(rows, dtype=np.int64)
    plain = len(rows) == 0 or bool((explicit == np.arange(first, first + len(rows))).all())
    numbers = RowNumbers(first=first) if plain else RowNumbers(explicit=explicit)
    return RawTable(table, source, header, frame, numbers, problems=problems)


def excel_cell_text(value: object) -> object:
    """Return an Excel cell as the text the client sees: ``7.0`` as ``7``, dates as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def open_workbook(path: Path, source: str, table: str, lang: str = "en"):  # noqa: ANN201 (openpyxl)
    """Open a workbook read-only.

    Raises
    ------
    DataError
        When the file is not a readable .xlsx workbook.
    """
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise _not_a_workbook(exc, source, table, lang) from None


def read_sheet(sheet, table: str, source: str) -> RawTable:  # noqa: ANN001 (openpyxl worksheet)
    """Read one worksheet: the first non-empty row is the header; rows keep their sheet numbers."""
    header: list[str] | None = None
    kept: list[list[object]] = []
    rows: list[int] = []
    first = 2
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [excel_cell_text(v) for v in values]
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if header is None:
            header = ["" if c is None else str(c) for c in cells]
            while header and not header[-1].strip():
                header.pop()
            first = number + 1
            continue
        kept.append(cells)
        rows.append(number)
    header = header or []
    width = len(header)
    columns = {
        i: pd.Series([rec[i] if i < len(rec) else None for rec in kept], dtype="str")
        for i in range(width)
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(kept)))
    explicit = np.asarray(rows, dtype=np.int64)
    plain = len(rows) == 0 or bool((explicit == np.arange(first, first + len(rows))).all())
    numbers = RowNumbers(first=first) if plain else RowNumbers(explicit=explicit)
    return RawTable(table, source, header, frame, numbers)


def read_excel_table(
    path: Path, table: str, source: str | None = None, lang: str = "en"
) -> RawTable:
    """Read a table's own workbook: the sheet named after the table, else the first sheet."""
    source = source or path.name
    book = open_workbook(path, source, table, lang)
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        sheet = book[names.get(table, book.sheetnames[0])]
        return read_sheet(sheet, table, source)
    except Exception as exc:
        if isinstance(exc, DataError):
            raise
        raise _not_a_workbook(exc, source, table, lang) from None
    finally:
        book.close()


def read_parquet_table(
    path: Path, table: str, source: str | None = None, lang: str = "en"
) -> RawTable:
    """Read a Parquet file, keeping its own types (numbers stay numbers); rows count from 1."""
    source = source or path.name
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise _unreadable(
            source,
            table,
            pick(
                lang,
                zh=f"无法作为 Parquet 读取（{type(exc).__name__}）。",
                en=f"cannot be read as Parquet ({type(exc).__name__}).",
            ),
            pick(lang, zh="请重新导出该表。", en="Re-export the table."),
        ) from None
    header = [str(c) for c in frame.columns]
    frame = frame.reset_index(drop=True)
    frame.columns = range(len(header))
    return RawTable(table, source, header, frame, RowNumbers(first=1), typed=True)


def find_table_file(folder: Path, table: str, lang: str = "en") -> Path | None:
    """Return the file of a table in a client folder (``employees.csv``, ``.xlsx`` or ``.parquet``).

    Raises
    ------
    DataError
        When more than one file gives the same table.
    """
    found = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.stem.lower() == table and p.suffix.lower() in EXTENSIONS
    ]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataError(
            [
                Problem(
                    table,
                    None,
                    None,
                    names,
                    pick(lang, zh="由多个文件给出。", en="is given by more than one file."),
                    pick(lang, zh="每张表只保留一个文件。", en="Keep exactly one file per table."),
                )
            ],
            summary=f"{table}: ambiguous files",
        )
    return found[0] if found else None


def read_table_file(path: Path, table: str, lang: str = "en") -> RawTable:
    """Read one table's file by its extension (``.csv`` ``.xlsx`` ``.parquet``; others as CSV)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_excel_table(path, table, lang=lang)
    if suffix == ".parquet":
        return read_parquet_table(path, table, lang=lang)
    return read_csv_table(path, table, lang=lang)
