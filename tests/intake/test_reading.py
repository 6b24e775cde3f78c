"""Reading raw files: encodings, separators, row numbers, Excel and Parquet."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import DataError
from perfkit.intake.reading import (
    decode_bytes,
    excel_cell_text,
    read_csv_table,
    read_excel_table,
    read_parquet_table,
    sniff_separator,
)


@pytest.mark.parametrize(
    ("text", "sep"),
    [
        ("a,b\n1,2\n", ","),
        ("a;b\n1;2\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ('a;b\n"1,5";2\n', ";"),
        ("only\n1\n", ","),
    ],
)
def test_sniff_separator(text, sep):
    assert sniff_separator(text) == sep


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_decode_bytes_gives_utf8(encoding):
    raw = "员工编号,部门\n007,销售部\n".encode(encoding)
    data, _ = decode_bytes(raw, "x.csv", "employees")
    assert data.decode("utf-8") == "员工编号,部门\n007,销售部\n"


def test_decode_bytes_refuses_binary():
    rng = np.random.default_rng(0)
    with pytest.raises(DataError, match="binary|GBK"):
        decode_bytes(rng.integers(0, 256, 4000, dtype=np.uint8).tobytes(), "x.csv", "employees")


def test_decode_bytes_names_excel_saved_as_csv():
    with pytest.raises(DataError, match="Excel"):
        decode_bytes(b"PK\x03\x04rest", "x.csv", "employees")


def test_csv_keeps_leading_zeros_and_bom_crlf_semicolon(tmp_path):
    path = tmp_path / "employees.csv"
    path.write_bytes(codecs.BOM_UTF8 + "employee_id;department\r\n007;销售\r\n010;IT\r\n".encode())
    raw = read_csv_table(path, "employees")
    assert raw.header == ["employee_id", "department"]
    assert raw.frame[0].tolist() == ["007", "010"]
    assert raw.rows.at(np.array([0, 1])).tolist() == [2, 3]


def test_csv_blank_and_malformed_lines_keep_client_rows(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("a,b\n1,2\n\n3,4,5\n6,7\n", encoding="utf-8")
    raw = read_csv_table(path, "results")
    assert raw.frame[0].tolist() == ["1", "6"]
    assert raw.rows.at(np.array([0, 1])).tolist() == [2, 5]
    assert [p.row for p in raw.problems] == [4]


def test_csv_quoted_newline_and_separator(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text(
        'kpi_id,description\nK1,"two\nlines, and a comma"\nK2,plain\n', encoding="utf-8"
    )
    raw = read_csv_table(path, "kpis")
    assert raw.frame[1].tolist() == ["two\nlines, and a comma", "plain"]
    assert raw.rows.at(np.array([1])).tolist() == [3]


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"   "])
def test_empty_csv_has_no_header(tmp_path, content):
    path = tmp_path / "kpis.csv"
    path.write_bytes(content)
    assert read_csv_table(path, "kpis").header == []


def test_header_only_csv(tmp_path):
    path = tmp_path / "kpis.csv"
    path.write_text("kpi_id,name\n", encoding="utf-8")
    raw = read_csv_table(path, "kpis")
    assert raw.header == ["kpi_id", "name"] and raw.frame.empty


@pytest.mark.parametrize(
    ("value", "text"), [(7.0, "7"), (7.5, "7.5"), (None, None), (True, "TRUE"), ("007", "007")]
)
def test_excel_cell_text(value, text):
    assert excel_cell_text(value) == text


def test_excel_rows_are_sheet_rows(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "employees"
    for row in (["employee_id", "department"], [7.0, "IT"], [None, None], ["008", "Sales"]):
        sheet.append(row)
    book.save(tmp_path / "employees.xlsx")
    raw = read_excel_table(tmp_path / "employees.xlsx", "employees")
    assert raw.frame[0].tolist() == ["7", "008"]
    assert raw.rows.at(np.array([0, 1])).tolist() == [2, 4]


def test_parquet_keeps_types(tmp_path):
    pd.DataFrame({"employee_id": [1, 2], "department": ["a", "b"]}).to_parquet(
        tmp_path / "employees.parquet"
    )
    raw = read_parquet_table(tmp_path / "employees.parquet", "employees")
    assert raw.typed and raw.header == ["employee_id", "department"]
