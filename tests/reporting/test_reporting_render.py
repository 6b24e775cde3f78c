"""Whole reports rendered through papermill, nbconvert and WeasyPrint, then inspected."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess

import nbformat
import pytest

from perfkit.diagnosis import diagnose_client
from perfkit.findings import to_records
from perfkit.intake import load_client
from perfkit.reporting.content import SECTIONS

from .reporting_clients import tool_available

pytestmark = pytest.mark.slow

OUTPUTS = ("report.html", "report.ipynb", "findings.json", "scores.csv", "plan.xlsx", "feedback")
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.parametrize("fixture", ["zh_sample", "en_sample"])
def test_both_samples_render_every_deliverable(fixture, request):
    folder, out = request.getfixturevalue(fixture)
    for name in OUTPUTS:
        assert (out / name).exists(), name
    assert {p.name for p in out.iterdir()} <= {*OUTPUTS, "report.pdf"}
    employees = load_client(folder).employees
    assert len(list((out / "feedback").glob("*.html"))) == len(employees)
    html = (out / "report.html").read_text(encoding="utf-8")
    for section in ("cover", *SECTIONS):
        assert f'id="{section}"' in html, section
    assert not list(out.parent.glob(".*partial")), "the temporary folder was left behind"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask  # not mkdtemp's 0700
    assert stat.S_IMODE((out / "report.html").stat().st_mode) == 0o666 & ~umask


def test_html_is_offline_and_shows_no_code(zh_sample):
    _, out = zh_sample
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html
    assert (
        'class="jp-InputArea' not in html
        and "build_report(" not in html
        and "show.cover" not in html
    )
    assert "data:image/svg+xml;base64," in html
    assert 'class="pk-toc"' in html and 'href="#summary"' in html


def test_notebook_is_executed_and_findings_match_diagnose(zh_sample):
    folder, out = zh_sample
    nb = nbformat.read(out / "report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in code)
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    expected = to_records(diagnose_client(load_client(folder)))
    assert [(f["code"], f["severity"], f["subject"]) for f in written] == [
        (f["code"], f["severity"], f["subject"]) for f in expected
    ]
    assert all(
        set(f) == {"code", "severity", "area", "subject", "message", "evidence"} for f in written
    )


def test_committed_notebook_is_thin_and_without_outputs():
    from perfkit.reporting.resources import notebook_path

    nb = nbformat.read(notebook_path(), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs and cell.execution_count is None
        assert not re.search(r"^\s*(def|class|for|while)\b", cell.source, re.MULTILINE)
        tags = cell.metadata.get("tags", [])
        assert "remove_input" in tags or "remove_cell" in tags
    assert "parameters" in nb.cells[1].metadata["tags"]


@pytest.mark.pdf
def test_pdf_is_a4_with_chinese_text_and_pages_not_blank(zh_sample, tmp_path):
    tool_available("pdftotext")
    tool_available("pdftoppm")
    folder, out = zh_sample
    pdf = out / "report.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert load_client(folder).title in text
    assert "执行摘要" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    from PIL import Image, ImageStat

    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3
    for page in pages:
        assert ImageStat.Stat(Image.open(page).convert("L")).var[0] > 20, page.name


@pytest.mark.browser
def test_html_opens_in_chromium_and_is_not_blank(zh_sample, tmp_path):
    tool_available("/usr/bin/chromium")
    from PIL import Image, ImageStat
    from playwright.sync_api import sync_playwright

    _, out = zh_sample
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "report.html").as_uri())
        page.screenshot(path=str(tmp_path / "shot.png"))
        headings = page.locator("section.pk-section h2").count()
        browser.close()
    assert ImageStat.Stat(Image.open(tmp_path / "shot.png").convert("L")).var[0] > 50
    assert headings == len(SECTIONS)
    assert all(u.startswith(("file:", "data:")) for u in requests), requests


def test_injected_script_never_reaches_html_or_feedback(injected_report):
    html = (injected_report / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>&lt;script&gt;" in html
    for sheet in (injected_report / "feedback").glob("*.html"):
        assert "<script" not in sheet.read_text(encoding="utf-8").lower()
