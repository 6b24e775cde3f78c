"""Rows encoded by perfkit.plans.sheetrows read back as the cells openpyxl itself writes."""

import datetime as dt
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import TYPE_STRING, WriteOnlyCell
from openpyxl.styles import Alignment

from perfkit.plans import sheetrows
from perfkit.plans.sheetrows import FORMULA_START, RowEncoder, splice_rows

STYLES = {1: {"number_format": "#,##0"}, 2: {"alignment": Alignment(wrap_text=True)}}


def write_with_encoder(frame, path, styles=STYLES, after=None):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([str(c) for c in frame.columns])
    encoder = RowEncoder(sheet)
    body = path.with_suffix(".rows")
    with body.open("w+b") as rows:
        rows.writelines(encoder.encode(frame, 2, styles))
        if after:
            rows.writelines(encoder.encode_lists(after, len(frame) + 2))
        headers = path.with_suffix(".headers")
        book.save(headers)
        splice_rows(headers, path, {sheet.path[1:]: rows})
    return path


def write_with_openpyxl(frame, path, styles=STYLES, after=None):
    """The reference: openpyxl's own cells, a value at a time."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([str(c) for c in frame.columns])

    def cell(value, style):
        if isinstance(value, str) and value.startswith(FORMULA_START):
            out = WriteOnlyCell(sheet, value)
            out.data_type, out.quotePrefix = TYPE_STRING, True
            return out
        if value is None or pd.isna(value) or not style:
            return None if value is None or pd.isna(value) else value
        out = WriteOnlyCell(sheet, value)
        for name, setting in style.items():
            setattr(out, name, setting)
        return out

    for row in frame.astype(object).itertuples(index=False):
        sheet.append([cell(v, styles.get(i)) for i, v in enumerate(row)])
    for row in after or []:
        sheet.append([cell(v, None) for v in row])
    book.save(path)
    return path


def cells(path):
    sheet = openpyxl.load_workbook(path)["data"]
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, c.quotePrefix, c.alignment.wrap_text)
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    ]


MIXED = pd.DataFrame(
    {
        "text": ["员工 E1", "", " lead", "a & b <c>", "=HYPERLINK(1)", "-5", "x\r\ny", None],
        "amount": [1.5, np.nan, 0.1 + 0.2, 1e16, -3.0, 12345.678, 0.0, 2.0],
        "flag": [True, False, True, True, False, False, True, False],
        "count": np.arange(8, dtype="int64") * 10**15,
        "when": pd.to_datetime(
            ["2025-01-31", None, "2025-12-31 13:45"] + ["2026-03-01"] * 5, format="ISO8601"
        ),
        "mixed": [1, "1", True, 1.0, None, Decimal("2.5"), dt.date(2025, 1, 2), "=1+1"],
        "grade": pd.array(["S", "A", None, "B", "C", "D", "A", "S"], dtype="string"),
        "nullable": pd.array([True, None, False, True, None, False, True, True], dtype="boolean"),
    }
)


def test_cells_are_the_ones_openpyxl_writes(tmp_path):
    after = [[], ["推荐方案", "B"], ["理由", "=cmd|' /C calc'!A0", 3.5]]
    ours = write_with_encoder(MIXED, tmp_path / "ours.xlsx", after=after)
    theirs = write_with_openpyxl(MIXED, tmp_path / "theirs.xlsx", after=after)
    assert cells(ours) == cells(theirs)


def test_formula_text_is_a_quoted_string(tmp_path):
    sheet = openpyxl.load_workbook(write_with_encoder(MIXED, tmp_path / "ours.xlsx"))["data"]
    risky = [
        c
        for row in sheet.iter_rows(min_row=2)
        for c in row
        if c.value in ("=HYPERLINK(1)", "-5", "=1+1")
    ]
    assert len(risky) == 3
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_control_characters_are_dropped_and_long_text_cut(tmp_path):
    frame = pd.DataFrame({"text": ["bell\x07 ok", "x" * 40_000]})
    sheet = openpyxl.load_workbook(write_with_encoder(frame, tmp_path / "ours.xlsx", {}))["data"]
    assert sheet["A2"].value == "bell ok"
    assert len(sheet["A3"].value) == 32_767


def test_rows_continue_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(sheetrows, "CHUNK_ROWS", 3)
    frame = pd.DataFrame({"id": [f"E{i}" for i in range(10)], "x": np.arange(10.0)})
    sheet = openpyxl.load_workbook(write_with_encoder(frame, tmp_path / "ours.xlsx", {}))["data"]
    assert [c.value for c in sheet["A"]] == ["id", *frame["id"]]
    assert [c.value for c in sheet["B"]][1:] == list(frame["x"])


def test_a_sheet_without_rows_takes_rows(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")  # no header: <sheetData/>
    rows = tmp_path / "rows"
    rows.write_bytes(b"".join(RowEncoder(sheet).encode(pd.DataFrame({"a": ["x", "y"]}), 1)))
    book.save(tmp_path / "h.xlsx")
    with rows.open("rb") as body:
        splice_rows(tmp_path / "h.xlsx", tmp_path / "out.xlsx", {sheet.path[1:]: body})
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "out.xlsx")["data"]["A"]] == [
        "x",
        "y",
    ]


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x0b\x0c"),
    max_size=12,
).filter(lambda s: not openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(s))
values = st.one_of(
    st.none(),
    safe_text,
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(2**53), 2**53),
    st.booleans(),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(values, values, safe_text, st.floats(allow_nan=True, allow_infinity=False)),
        min_size=1,
        max_size=15,
    )
)
def test_any_table_reads_back_as_openpyxl_writes_it(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c", "d"])
    ours = write_with_encoder(frame, tmp_path / "ours.xlsx")
    theirs = write_with_openpyxl(frame, tmp_path / "theirs.xlsx")
    assert cells(ours) == cells(theirs)


def test_every_part_is_compressed(tmp_path):
    import zipfile

    frame = pd.DataFrame({"id": [f"E{i:05d}" for i in range(2_000)], "x": np.arange(2_000.0)})
    with zipfile.ZipFile(write_with_encoder(frame, tmp_path / "ours.xlsx", {})) as book:
        parts = book.infolist()
    assert parts and all(p.compress_type == zipfile.ZIP_DEFLATED for p in parts)
    sheet = next(p for p in parts if p.filename.startswith("xl/worksheets/"))
    assert sheet.compress_size < sheet.file_size / 3  # the rows are in it, compressed
