"""The validation report: tidy table, dict, console and escaped HTML."""

from __future__ import annotations

import io

from rich.console import Console

from perfkit.intake import validate_client


def test_clean_client_report(small_client):
    report = validate_client(small_client, lang="en")
    assert not report.has_errors and report.problems == []
    assert report.to_dict()["tables"]["results"]["rows"] == 6


def test_problem_frame_is_tidy(tmp_path, make_client):
    folder = make_client(
        tmp_path / "c", {"employees": "employee_id,department,rating\n1,A,x\n1,B,2\n"}
    )
    frame = validate_client(folder, lang="en").to_frame()
    assert list(frame.columns) == ["table", "row", "column", "value", "expected", "fix", "severity"]
    assert set(frame["row"].dropna()) == {2, 3}


def test_html_escapes_client_strings(tmp_path, make_client):
    evil = "<script>alert(1)</script>"
    folder = make_client(
        tmp_path / "c", {"employees": f"employee_id,department,rating\n1,A,{evil}\n"}
    )
    report = validate_client(folder, lang="en")
    out = report.write_html(tmp_path / "out" / "validation.html")
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not (folder / "validation.html").exists()


def test_print_one_line_per_problem_when_not_a_terminal(tmp_path, make_client):
    folder = make_client(
        tmp_path / "c", {"employees": "employee_id,department,rating\n1,A,[bold]x\n"}
    )
    buffer = io.StringIO()
    validate_client(folder, lang="en").print(Console(file=buffer, width=300))
    assert "employees.csv row 2, column 'rating': '[bold]x'" in buffer.getvalue()


def test_messages_in_chinese(tmp_path, make_client):
    folder = make_client(tmp_path / "c", {"employees": "employee_id,department,rating\n1,A,x\n"})
    report = validate_client(folder, lang="zh")
    assert "不是" in report.errors[0].expected and "第 2 行" in report.errors[0].describe("zh")
