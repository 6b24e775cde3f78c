"""A catalogue of awkward client inputs run through ``perfkit validate``.

Each case asserts the exit status, that the message names the table (file), the column and the
row where there is one, and that the client's files are byte-for-byte unchanged.
"""

from __future__ import annotations

import codecs
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from perfkit.cli import main

EMP = "employee_id,department,rating\n001,Sales,3\n002,IT,4\n"
KPIS = "kpi_id,name,role,weight\nK1,Revenue,*,100\n"
RES = "employee_id,kpi_id,period,actual\n001,K1,2025Q1,10\n002,K1,2025Q1,12\n"
GARBAGE = np.random.default_rng(3).integers(0, 256, 3000, dtype=np.uint8).tobytes()

# name: (files, exit status, substrings the output must hold)
CASES: dict[str, tuple[dict[str, str | bytes], int, list[str]]] = {
    "clean": ({"employees": EMP, "kpis": KPIS, "results": RES}, 0, ["valid"]),
    "duplicate_ids": (
        {"employees": EMP + "002,HR,3\n"},
        1,
        ["employees.csv row 4", "'employee_id'", "(row 3)"],
    ),
    "unknown_employee_in_results": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "009,K1,2025Q1,1\n"},
        1,
        ["results.csv row 4", "'employee_id'", "'009'"],
    ),
    "unknown_kpi": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "001,K7,2025Q2,1\n"},
        1,
        ["results.csv row 4", "'kpi_id'", "'K7'"],
    ),
    "non_numeric": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "001,K1,2025Q2,abc\n"},
        1,
        ["results.csv row 4", "'actual'", "not a number"],
    ),
    "chinese_numeral": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "001,K1,2025Q2,十二\n"},
        1,
        ["results.csv row 4", "'actual'", "'十二' is not a number"],
    ),
    "missing_column": (
        {"employees": "employee_id,dept\n1,A\n"},
        1,
        ["employees.csv row 1", "'department'", "missing"],
    ),
    "missing_employees": ({"kpis": KPIS}, 1, ["employees", "'employee_id'", "missing"]),
    "empty_employees": ({"employees": ""}, 1, ["employees.csv", "is empty"]),
    "header_only_employees": (
        {"employees": "employee_id,department\n"},
        1,
        ["employees.csv", "no data rows"],
    ),
    "empty_optional_table": ({"employees": EMP, "ratings": ""}, 0, ["ratings.csv", "absent"]),
    "off_scale_score": (
        {"employees": EMP + "003,IT,7\n"},
        1,
        ["employees.csv row 4", "'rating'", "'7'", "1..5"],
    ),
    "negative_weight": (
        {"employees": EMP, "kpis": "kpi_id,name,role,weight\nK1,R,*,-10\n"},
        1,
        ["kpis.csv row 2", "'weight'", "'-10'"],
    ),
    "binary_garbage": ({"employees": GARBAGE}, 1, ["employees.csv", "GBK"]),
    "binary_with_nul": ({"employees": b"\x00\x01\x02" * 100}, 1, ["employees.csv", "binary"]),
    "malformed_yaml": (
        {"employees": EMP, "engagement.yaml": "scale: {min: 1\nlanguage: en\n"},
        1,
        ["engagement.yaml", "line"],
    ),
    "unknown_settings_key": (
        {"employees": EMP, "engagement.yaml": "language: en\ncolour: red\n"},
        1,
        ["engagement.yaml", "unknown key 'colour'"],
    ),
    "gbk_chinese_headers_mapped": (
        {
            "employees": "工号,部门,评分\n007,销售部,十二\n".encode("gbk"),
            "engagement.yaml": "columns: {employees: {工号: employee_id, 部门: department, 评分: rating}}\n",
        },
        1,
        ["employees.csv row 2", "评分 → rating", "'十二'"],
    ),
    "semicolon_bom_crlf": (
        {"employees": codecs.BOM_UTF8 + b"employee_id;department;rating\r\n001;A;3\r\n002;B;x\r\n"},
        1,
        ["employees.csv row 3", "'rating'", "'x'"],
    ),
    "leading_zero_ids": (
        {"employees": EMP, "kpis": KPIS, "results": RES.replace("001,K1", "1,K1")},
        1,
        ["results.csv row 2", "'employee_id'", "'1'"],
    ),
    "text_ratings_without_labels": (
        {"employees": "employee_id,department,rating\n1,A,Exceeds\n"},
        1,
        ["employees.csv row 2", "'rating'", "'Exceeds'", "rating_labels"],
    ),
    "text_ratings_with_labels": (
        {
            "employees": "employee_id,department,rating\n1,A,exceeds\n",
            "engagement.yaml": "rating_labels: {Exceeds: 4}\n",
        },
        0,
        ["valid"],
    ),
    "duplicate_results": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "001,K1,2025Q1,11\n"},
        1,
        ["results.csv row 4", "employee_id + kpi_id + period", "(row 2)"],
    ),
    "ragged_row": ({"employees": EMP + "003,IT,3,extra\n"}, 1, ["employees.csv row 4", "4 fields"]),
    "bad_choice": (
        {"employees": EMP, "kpis": "kpi_id,name,role,weight,direction\nK1,R,*,100,up\n"},
        1,
        ["kpis.csv row 2", "'direction'", "'up'"],
    ),
    "unknown_manager_is_warning": (
        {"employees": "employee_id,department,manager_id\n1,A,99\n"},
        0,
        ["employees.csv row 2", "'manager_id'", "'99'", "warning"],
    ),
    "trimmed_whitespace_is_warning": (
        {"employees": "employee_id,department\n 1 ,Sales  \n"},
        0,
        ["employees.csv", "'department'", "trimmed"],
    ),
    "results_without_kpis": (
        {"employees": EMP, "results": RES},
        1,
        ["results.csv", "'kpi_id'", "kpis"],
    ),
    "empty_required_cell": (
        {"employees": "employee_id,department\n1,\n"},
        1,
        ["employees.csv row 2", "'department'", "empty"],
    ),
    "xlsx_saved_as_csv": ({"employees": b"PK\x03\x04" + b"x" * 50}, 1, ["employees.csv", "Excel"]),
    "unreadable_xlsx": ({"employees.xlsx": b"not a workbook"}, 1, ["employees.xlsx", "Excel"]),
    "infinite_number": (
        {"employees": EMP, "kpis": KPIS, "results": RES + "001,K1,2025Q2,inf\n"},
        1,
        ["results.csv row 4", "'actual'", "'inf'"],
    ),
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("name", list(CASES))
def test_catalogue(name, tmp_path, make_client, capsys):
    files, status, needles = CASES[name]
    folder = make_client(tmp_path / name, files)
    before = _hashes(folder)
    assert main(["validate", str(folder), "--lang", "en"]) == status
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output, (needle, output)
    assert _hashes(folder) == before


def test_xlsx_workbook(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "employees"
    sheet.append(["employee_id", "department", "rating"])
    sheet.append(["001", "IT", 3])
    sheet.append(["001", "IT", "bad"])
    path = tmp_path / "acme.xlsx"
    book.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["validate", str(path), "--lang", "en"]) == 1
    output = capsys.readouterr().out
    assert "acme.xlsx[employees] row 3, column 'rating': 'bad'" in output
    assert "acme.xlsx[employees] row 3, column 'employee_id'" in output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_missing_folder_is_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "no such client folder" in capsys.readouterr().err


def test_debug_shows_traceback(tmp_path, make_client):
    folder = make_client(tmp_path / "c", {"employees": EMP, "engagement.yaml": "colour: red\n"})
    from perfkit.errors import SettingsError

    with pytest.raises(SettingsError):
        main(["validate", str(folder), "--debug"])


def test_html_summary_written_outside_the_client(tmp_path, make_client):
    folder = make_client(tmp_path / "c", {"employees": EMP + "003,A,<b>x</b>\n"})
    assert main(["validate", str(folder), "--html", str(tmp_path / "out.html")]) == 1
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x" not in html
    assert sorted(p.name for p in folder.iterdir()) == ["employees.csv"]


def test_real_subprocess(tmp_path, make_client):
    folder = make_client(
        tmp_path / "c", {"employees": EMP + "002,HR,9\n", "engagement.yaml": "scale: {min: 1\n"}
    )
    done = subprocess.run(
        [sys.executable, "-m", "perfkit.cli", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "engagement.yaml" in done.stderr and "Traceback" not in done.stderr
    (folder / "engagement.yaml").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "perfkit.cli", "validate", str(folder), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "employees.csv row 4, column 'employee_id'" in done.stdout
