"""The data rows of ``plan.xlsx`` as SpreadsheetML, encoded a column at a time.

openpyxl writes a cell in about 15 µs: twenty seconds for the 1.4 million cells of a
20,000-employee plan. So openpyxl still makes the workbook — its sheets, styles, column widths,
panes, filters and header rows — while the rows below the headers are encoded here, each column
over its unique values, and spliced into the saved sheets. The cells are those openpyxl writes
(inline strings, numbers as ``%.16g``, booleans, dates as serial numbers with a date format), so
the workbook reads back the same; client text is always a string, never a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import shutil
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

#: Text that a spreadsheet would run as a formula: stored with a quote prefix.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows encoded and written at a time (bounds the memory of a large sheet).
CHUNK_ROWS = 20_000
#: zlib level of the workbook's parts. The sheets are most of the bytes: for a 20,000-employee
#: plan, level 6 (zlib's default) took 2.6-2.9 s for 7.2 MB, level 3 1.8-2.1 s for 8.5 MB, and
#: level 1 1.6-1.9 s for 10.2 MB.
COMPRESS_LEVEL = 3
#: Number formats of dates and times, as openpyxl gives them.
TIME_FORMATS = {
    dt.datetime: "yyyy-mm-dd h:mm:ss",
    dt.date: "yyyy-mm-dd",
    dt.time: "h:mm:ss",
    dt.timedelta: "[hh]:mm:ss",
}
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_MAX_TEXT = 32_767  # Excel's longest cell text
#: Dtypes whose values are all of one kind (pd.factorize then never merges 1, 1.0 and True).
_HOMOGENEOUS = {"string", "floating", "integer", "boolean", "mixed-integer-float", "empty"}


class RowEncoder:
    """Encode the rows of one write-only worksheet, registering the styles they use.

    Parameters
    ----------
    sheet : openpyxl WriteOnlyWorksheet
        The sheet the rows belong to: styles are registered in its workbook.
    """

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self._style_ids: dict[tuple, int] = {}

    def style_id(self, **style: Any) -> int:
        """Return the workbook's id of a cell style (0, no style, for none)."""
        key = tuple(sorted((name, repr(value)) for name, value in style.items()))
        if key not in self._style_ids:
            cell = WriteOnlyCell(self._sheet)
            for name, value in style.items():
                setattr(cell, name, value)
            self._style_ids[key] = cell.style_id if cell.has_style else 0
        return self._style_ids[key]

    def encode(
        self,
        frame: pd.DataFrame,
        first_row: int,
        styles: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> Iterator[bytes]:
        """Yield the ``<row>`` elements of ``frame``, from row number ``first_row``, in chunks.

        Parameters
        ----------
        frame : DataFrame
            The rows, in sheet order; missing values leave their cell out.
        first_row : int
            The sheet row number (1-based) of the frame's first row.
        styles : mapping of int to dict, optional
            Style attributes of a column by position (``number_format``, ``alignment``...).
        """
        styles = styles or {}
        for start in range(0, len(frame), CHUNK_ROWS):
            part = frame if len(frame) <= CHUNK_ROWS else frame.iloc[start : start + CHUNK_ROWS]
            refs = [str(first_row + start + i) for i in range(len(part))]
            columns = [
                self._column(column, get_column_letter(i + 1), refs, styles.get(i, {}))
                for i, (_, column) in enumerate(part.items())
            ]
            rows = (
                "".join((f'<row r="{n}">', *cells, "</row>"))
                for n, *cells in zip(refs, *columns, strict=True)
            )
            yield "".join(rows).encode("utf-8")

    def encode_lists(self, rows: Iterable[Iterable[Any]], first_row: int) -> Iterator[bytes]:
        """Yield the ``<row>`` elements of plain rows of values (ragged rows allowed)."""
        rows = [list(row) for row in rows]
        width = max(map(len, rows), default=0)
        frame = pd.DataFrame([row + [None] * (width - len(row)) for row in rows], dtype=object)
        return self.encode(frame, first_row)

    def _column(
        self, column: pd.Series, letter: str, refs: list[str], style: Mapping[str, Any]
    ) -> list[str]:
        """One column's cells, ``""`` where the value is missing."""
        s = self._s(style)
        if column.dtype != object or pd.api.types.infer_dtype(column, skipna=True) in _HOMOGENEOUS:
            codes, uniques = pd.factorize(column)  # each distinct value encoded once
            tails = [self._tail(value, style, s) for value in uniques.tolist()]
            tails.append(None)  # code -1: missing
            picks: Iterable[int] = codes.tolist()
        else:  # mixed Python objects (1, 1.0 and True are not one value): one at a time
            tails = [self._tail(value, style, s) for value in column.tolist()]
            picks = range(len(tails))
        return [
            "" if (tail := tails[k]) is None else f'<c r="{letter}{n}"{tail}'
            for n, k in zip(refs, picks, strict=True)
        ]

    def _tail(self, value: Any, style: Mapping[str, Any], s: str) -> str | None:
        """A cell's XML after its reference (``s`` is the style attribute), None when missing."""
        if isinstance(value, str):
            return self._text(value, s)
        if value is None or value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, bool | np.bool_):
            return f'{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, numbers.Real | Decimal):
            return f'{s} t="n"><v>{value:.16g}</v></c>' if math.isfinite(value) else None
        kind = next((k for k in TIME_FORMATS if isinstance(value, k)), None)
        if kind is not None and getattr(value, "tzinfo", None) is None:
            dated = self._s({**style, "number_format": TIME_FORMATS[kind]})
            return f'{dated} t="n"><v>{to_excel(value):.16g}</v></c>'
        return self._text(str(value), s)

    def _text(self, value: str, s: str) -> str:
        """A text cell: formula-like text gets a quote prefix and is never run."""
        if value.startswith(FORMULA_START):
            s = self._s({"quotePrefix": True})
        if not value:
            return f'{s} t="inlineStr"></c>'
        text = ILLEGAL_CHARACTERS_RE.sub("", value[:_MAX_TEXT])
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{s} t="inlineStr"><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>'

    def _s(self, style: Mapping[str, Any]) -> str:
        sid = self.style_id(**style) if style else 0
        return f' s="{sid}"' if sid else ""


def splice_rows(saved: Path, target: Path, rows: Mapping[str, IO[bytes]]) -> Path:
    """Copy the workbook ``saved`` to ``target``, appending ``rows`` to the named sheet parts.

    Parameters
    ----------
    saved : Path
        The ``.xlsx`` openpyxl wrote (headers only in the sheets of ``rows``).
    target : Path
        Where the complete workbook goes.
    rows : mapping of str to binary file
        Encoded rows (:meth:`RowEncoder.encode`) by the sheet's part name in the package
        (``xl/worksheets/sheet2.xml``), read from their start.

    Returns
    -------
    Path
    """
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as out,
    ):
        # every part, written by name, takes the archive's compression level
        for info in source.infolist():
            data = source.read(info)
            body = rows.get(info.filename)
            if body is None:
                out.writestr(info.filename, data)
                continue
            head, end, tail = data.rpartition(b"</sheetData>")
            if not end:  # a sheet without rows: <sheetData/>
                head, _, tail = data.partition(b"<sheetData/>")
                head, end = head + b"<sheetData>", b"</sheetData>"
            body.seek(0)
            with out.open(info.filename, "w", force_zip64=True) as stream:
                stream.write(head)
                shutil.copyfileobj(body, stream)
                stream.write(end + tail)
    return target
