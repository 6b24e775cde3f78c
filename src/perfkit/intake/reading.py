"""Reading a client's raw tables: CSV (any encoding and separator), Excel and Parquet."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd

from perfkit.errors import DataError, Problem

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
SEPARATORS: str = ",;\t"
EXTENSIONS: tuple[str, ...] = (".csv", ".xlsx", ".parquet")


def detect_encoding(raw: bytes) -> str:
    """Return the encoding of a CSV's bytes: UTF-8 (with or without BOM) or GB18030 (GBK).

    Raises
    ------
    UnicodeDecodeError
        When the bytes are neither.
    """
    for encoding in ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raw.decode(ENCODINGS[-1])  # raises with the position of the first bad byte
    return ENCODINGS[-1]


def sniff_separator(text: str) -> str:
    """Return the separator of a CSV text among ``,`` ``;`` and tab, by its first lines."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(SEPARATORS, key=header.count)


def read_csv_text(path: Path, table: str) -> pd.DataFrame:
    """Read a CSV of any supported encoding and separator, every cell as text.

    Raises
    ------
    DataError
        When the file is not text in a supported encoding or cannot be parsed as CSV.
    """
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError(
            [Problem(path.name, None, None, None, "is not a text file (it holds binary data).",
                     "Export the table as CSV (UTF-8 or GBK), XLSX or Parquet.")],
            summary=f"{table}: cannot read {path.name}",
        )
    try:
        encoding = detect_encoding(raw)
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(path.name, None, None, None,
                     f"is neither UTF-8 nor GBK text (byte {exc.start}).",
                     "Save the file as UTF-8 CSV.")],
            summary=f"{table}: cannot read {path.name}",
        ) from None
    text = raw.decode(encoding)
    if not text.strip():
        return pd.DataFrame()
    sep = sniff_separator(text)
    try:
        return pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""],
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(
            [Problem(path.name, None, None, None, f"cannot be parsed as CSV ({exc}).",
                     "Check the quoting and the number of fields on each line.")],
            summary=f"{table}: cannot read {path.name}",
        ) from None


def read_excel_text(path: Path, sheet: str | int = 0, table: str = "") -> pd.DataFrame:
    """Read one sheet of a workbook, every cell as text (dates and numbers as Excel shows them)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise DataError(
            [Problem(path.name, None, None, None, f"cannot be read as an Excel workbook ({type(exc).__name__}).",
                     "Re-save it as .xlsx.")],
            summary=f"{table or path.stem}: cannot read {path.name}",
        ) from None
    return frame.map(_excel_cell_text).astype(object)


def _excel_cell_text(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    return str(value)


def read_parquet_text(path: Path, table: str) -> pd.DataFrame:
    """Read a Parquet file, keeping its own types (numbers stay numbers)."""
    try:
        return pd.read_parquet(path)
    except Exception as exc:
        raise DataError(
            [Problem(path.name, None, None, None, f"cannot be read as Parquet ({type(exc).__name__}).",
                     "Re-export the table.")],
            summary=f"{table}: cannot read {path.name}",
        ) from None


def find_table_file(folder: Path, table: str) -> Path | None:
    """Return the file of a table in a client folder (``employees.csv``, ``.xlsx`` or ``.parquet``)."""
    found = [folder / f"{table}{ext}" for ext in EXTENSIONS if (folder / f"{table}{ext}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise DataError(
            [Problem(table, None, None, names, "is given by more than one file.",
                     "Keep exactly one file per table.")],
            summary=f"{table}: ambiguous files",
        )
    return found[0] if found else None


def read_table_file(path: Path, table: str) -> pd.DataFrame:
    """Read one table's file by its extension."""
    if path.suffix == ".csv":
        return read_csv_text(path, table)
    if path.suffix == ".xlsx":
        return read_excel_text(path, 0, table)
    return read_parquet_text(path, table)
