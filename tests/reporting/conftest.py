"""Reports rendered once per session and shared by the tests that read them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .reporting_clients import SCRIPT, write_client

REPO = Path(__file__).resolve().parents[2]


def sample_folder(base: Path, lang: str) -> Path:
    """Return ``data/samples/demo-<lang>`` when it exists, else a small sample written into ``base``."""
    committed = REPO / "data" / "samples" / f"demo-{lang}"
    if (committed / "employees.csv").exists():
        return committed
    from perfkit.sample import write_sample

    folder = base / f"demo-{lang}"
    write_sample(folder, employees=120, seed=1 if lang == "zh" else 2, lang=lang)
    return folder


@pytest.fixture(scope="session")
def zh_sample(tmp_path_factory) -> tuple[Path, Path]:
    """The Chinese sample rendered once, HTML and PDF: (client folder, deliverables folder)."""
    from perfkit.reporting import render_report

    base = tmp_path_factory.mktemp("zh")
    folder = sample_folder(base, "zh")
    return folder, render_report(folder, base / "out", formats=("html", "pdf"), progress=False)


@pytest.fixture(scope="session")
def en_sample(tmp_path_factory) -> tuple[Path, Path]:
    """The English sample rendered once, HTML only, with relative paths (as a consultant types them)."""
    from perfkit.reporting import render_report

    base = tmp_path_factory.mktemp("en")
    folder = sample_folder(base, "en")
    out = Path(os.path.relpath(base / "out"))
    return folder, render_report(
        Path(os.path.relpath(folder)), out, formats=("html",), progress=False
    )


@pytest.fixture(scope="session")
def injected_report(tmp_path_factory) -> Path:
    """A client whose names, a KPI name, a department, comments and title hold script tags."""
    from perfkit.reporting import render_report

    base = tmp_path_factory.mktemp("inject")
    folder = write_client(
        base / "clients" / "evil", employees=60, seed=2, lang="en", inject=True, title=SCRIPT
    )
    return render_report(folder, base / "out", formats=("html",), progress=False)
