"""Fast unit tests of the reporting building blocks (no kernel, no browser)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from perfkit.errors import DataError, UsageError
from perfkit.findings import Finding
from perfkit.reporting import figures
from perfkit.reporting.anonymize import pseudonyms
from perfkit.reporting.content import Report
from perfkit.reporting.display import Section, findings_table
from perfkit.reporting.feedback import safe_file_names
from perfkit.reporting.render import ReportParameters, install, render_report
from perfkit.reporting.scores import SCORE_COLUMNS, neutralize_formulas, score_table
from perfkit.reporting.sections import top_findings
from perfkit.reporting.tables import format_value, html_table

from .reporting_clients import SCRIPT, write_client


def test_pseudonyms_are_stable_distinct_and_keyed():
    ids = [f"E{i:04d}" for i in range(2000)]
    first = pseudonyms(ids, b"key", "zh")
    assert first == pseudonyms(list(reversed(ids)), b"key", "zh")
    assert len(set(first.values())) == len(ids)
    assert first["E0001"].startswith("员工 ")
    assert pseudonyms(ids, b"other", "zh")["E0001"] != first["E0001"]
    assert pseudonyms(["E0001"], b"key", "en")["E0001"].startswith("Employee ")


def test_safe_file_names_are_portable_and_distinct():
    names = safe_file_names(["a/b", "a_b", "A_B", "..", "con", "张三", "x" * 300])
    assert names["a/b"] == "a_b"
    assert len({n.lower() for n in names.values()}) == len(names)
    assert all("/" not in n and not n.startswith(".") for n in names.values())
    assert names["con"] != "con"
    assert names["张三"] == "张三"
    assert len(names["x" * 300]) <= 80


def test_html_table_escapes_every_cell_and_header():
    frame = pd.DataFrame({SCRIPT: [SCRIPT], "n": [1234.5]})
    html = str(html_table(frame))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<td class="num">1,234.5</td>' in html


def test_format_value_handles_missing_and_numbers():
    assert format_value(None) == "–"
    assert format_value(float("nan")) == "–"
    assert format_value(0.256, "{:.0%}") == "26%"
    assert format_value(12) == "12"


def test_neutralize_formulas_quotes_formula_text_only():
    frame = pd.DataFrame({"a": ["=SUM(A1)", "+1", "-x", "@x", "ok"], "n": [1.0, 2, 3, 4, 5]})
    out = neutralize_formulas(frame)
    assert out["a"].tolist() == ["'=SUM(A1)", "'+1", "'-x", "'@x", "ok"]
    assert out["n"].tolist() == [1.0, 2, 3, 4, 5]


def test_score_table_has_every_employee_and_contract_columns_first():
    employees = pd.DataFrame(
        {"employee_id": ["1", "2"], "department": ["A", "B"], "name": ["x", "y"]}
    )
    scores = pd.DataFrame(
        {"employee_id": ["1"], "department": ["A"], "score": [80.0], "grade": ["A"]}
    )
    table = score_table(employees, scores, pd.DataFrame({"employee_id": ["2"], "pattern": ["p"]}))
    assert list(table.columns[: len(SCORE_COLUMNS)]) == list(SCORE_COLUMNS)
    assert table["employee_id"].tolist() == ["1", "2"]
    assert table.loc[1, "pattern"] == "p"
    assert pd.isna(table.loc[1, "score"])


def _finding(code, severity, subject="s"):
    return Finding(code, severity, subject, f"{code} {subject}")


def test_top_findings_most_severe_first_and_spread_across_areas():
    report = Report(client=None, lang="en")
    report.findings = [
        _finding("RATER_LENIENT", "critical", "r1"),
        _finding("RATER_SEVERE", "critical", "r2"),
        _finding("RATER_HALO", "critical", "r3"),
        _finding("KPI_REDUNDANT", "critical"),
        _finding("ADVERSE_IMPACT", "warning"),
        _finding("ANALYSIS_SKIPPED", "info"),
        _finding("KPI_TARGET_TOO_EASY", "warning"),
        _finding("RATING_COMPRESSED", "info"),
    ]
    top = top_findings(report)
    assert len(top) == 5
    assert [f.severity for f in top[:4]] == ["critical"] * 4
    assert top[1].area == "kpi_system"  # areas take turns within a severity
    assert all(f.code != "ANALYSIS_SKIPPED" for f in top)


def test_findings_table_escapes_messages():
    html = str(findings_table([Finding("RATER_HALO", "warning", SCRIPT, SCRIPT)], "zh"))
    assert "<script>" not in html and "晕轮效应" in html


def test_section_displays_html_with_toc_metadata():
    data, meta = Section("raters", "Raters", "<p>x</p>", "5")._repr_html_()
    assert 'id="raters"' in data
    assert meta == {"perfkit": {"section": "raters", "title": "Raters", "number": "5"}}


def test_configure_charts_warns_without_cjk_font(monkeypatch):
    monkeypatch.setattr(figures, "find_cjk_fonts", lambda: [])
    with pytest.warns(figures.CjkFontWarning, match="fonts-noto-cjk"):
        assert figures.configure_charts() == []


def test_configure_charts_finds_noto_when_installed():
    if not figures.find_cjk_fonts():
        pytest.skip("no CJK font installed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert figures.configure_charts()


def test_report_parameters_refuse_unknown_keys():
    with pytest.raises(ValueError, match="extra"):
        ReportParameters(client_dir="x", colour="red")


def test_render_report_refuses_unknown_format(tmp_path):
    with pytest.raises(UsageError, match="formats"):
        render_report(tmp_path, tmp_path / "out", formats=("docx",))


def test_bad_data_fails_before_writing_anything(tmp_path):
    folder = write_client(tmp_path / "bad", employees=12)
    (folder / "results.csv").write_text(
        "employee_id,kpi_id,period,actual\nE001,SALES0,2025Q4,十二\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(DataError):
        render_report(folder, out, formats=("html",), progress=False)
    assert not out.exists() or not any(out.iterdir())


def test_install_replaces_the_old_folder_only_when_the_new_one_is_complete(tmp_path):
    old = tmp_path / "client"
    old.mkdir()
    (old / "report.html").write_text("old")
    new = tmp_path / ".client.partial"
    new.mkdir()
    (new / "report.html").write_text("new")
    install(new, old)
    assert (old / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client"]


def test_repository_notebook_is_the_packaged_one():
    from perfkit.reporting.resources import notebook_path

    repo_copy = Path(__file__).resolve().parents[2] / "notebooks" / "client_report.ipynb"
    assert repo_copy.read_bytes() == notebook_path().read_bytes(), (
        "notebooks/client_report.ipynb and src/perfkit/reporting/resources/client_report.ipynb differ: "
        "copy the one you edited over the other"
    )


def test_every_resource_is_package_data():
    import fnmatch
    import tomllib

    from perfkit.reporting.resources import HERE

    repo = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["perfkit"]
    files = [
        p
        for p in HERE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
    ]
    assert {
        "client_report.ipynb",
        "feedback.html.j2",
        "index.html.j2",
        "report.css",
        "conf.json",
    } <= {p.name for p in files}
    for path in files:
        relative = path.relative_to(repo / "src" / "perfkit").as_posix()
        assert any(
            fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(path.name, p.replace("**/", ""))
            for p in patterns
        ), relative


def test_publish_gives_normal_permissions(tmp_path):
    import os
    import stat
    import tempfile

    from perfkit.reporting.render import publish

    work = Path(tempfile.mkdtemp(dir=tmp_path))
    (work / "feedback").mkdir(mode=0o700)
    (work / "feedback" / "E1.html").write_text("x")
    os.chmod(work / "feedback" / "E1.html", 0o600)
    umask = os.umask(0o022)
    try:
        publish(work)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(work.stat().st_mode) == 0o755
    assert stat.S_IMODE((work / "feedback").stat().st_mode) == 0o755
    assert stat.S_IMODE((work / "feedback" / "E1.html").stat().st_mode) == 0o644


def _executed(title: str, body: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cover = nbformat.v4.new_output(
        "display_data",
        data={"text/html": f"<h1>{title}</h1>"},
        metadata={"perfkit": {"cover": True, "title": title, "lang": "en"}},
    )
    section = nbformat.v4.new_output("display_data", data={"text/html": f"<p>{body}</p>"})
    nb.cells = [
        nbformat.v4.new_code_cell("show.cover(report)", outputs=[cover]),
        nbformat.v4.new_code_cell("show.summary(report)", outputs=[section]),
    ]
    return nb


def test_the_kept_html_exporter_exports_each_notebook_as_a_new_one_would():
    from perfkit.reporting.render import _html_exporter, export_html

    first, second = _executed("North Ltd", "alpha"), _executed("South Ltd", "beta")
    export_html(first)
    kept = export_html(second)
    _html_exporter.cache_clear()
    fresh = export_html(second)
    assert kept == fresh
    assert "South Ltd" in kept and "beta" in kept
    assert "North Ltd" not in kept and "alpha" not in kept
