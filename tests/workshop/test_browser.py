"""A workshop notebook served by Voilà on 127.0.0.1, driven in Debian's Chromium through Playwright.

Under ``CI=true`` these tests run, never skip; elsewhere they skip only when Chromium is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import papermill
import pytest

from perfkit.sample import write_sample

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "workshop_weights.ipynb"
SERVER_START_S = 45  # bounded wait for Voilà to answer
PAGE_S = 45  # bounded wait for the page: Voilà executes the notebook before it renders


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing: the browser tests must run under CI")
        pytest.skip(f"{CHROMIUM} is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    """Serve a copy of the weights notebook with ``client_dir`` set by papermill (``prepare_only``)."""
    _require_chromium()
    root = tmp_path_factory.mktemp("voila")
    client_dir = write_sample(root / "acme", employees=120, seed=5, lang="en")
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(root / "workshop.ipynb"),
        parameters={"client_dir": str(client_dir)},
        prepare_only=True,
        kernel_name="python3",
        progress_bar=False,
    )
    port = _free_port()
    log = (root / "voila.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "workshop.ipynb",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2):
                    break  # the server listens; the page itself is awaited in the browser
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Voilà did not start: {(root / 'voila.log').read_text()[-2000:]}"
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


@pytest.fixture
def page(voila_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(PAGE_S * 1000)
            tab.goto(voila_url, timeout=PAGE_S * 1000, wait_until="domcontentloaded")
            yield tab
        finally:
            browser.close()


def test_moving_the_mix_slider_updates_who_changes_grade(page):
    summary = page.locator(".perfkit-summary").first
    summary.wait_for(state="visible")
    before = summary.inner_text()
    assert before.startswith("0 of 120 people change grade")
    handle = page.locator(".perfkit-mix .noUi-handle").first
    handle.focus()
    for _ in range(6):  # 0.70 → 0.40, one 0.05 step per key
        handle.press("ArrowLeft")
    page.wait_for_function(
        "() => { const e = document.querySelector('.perfkit-summary');"
        " return e && !e.innerText.startsWith('0 of 120'); }",
        timeout=20_000,
    )
    after = summary.inner_text()
    moved = int(after.split()[0])
    assert 0 < moved <= 120, after
    readout = page.locator(".perfkit-mix .widget-readout").first.inner_text()
    assert float(readout) < 0.7
