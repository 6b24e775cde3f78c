"""Where the report notebook and the templates live: package data of ``perfkit.reporting.resources``."""

from __future__ import annotations

from pathlib import Path

from perfkit.errors import PerfkitError

NOTEBOOK = "client_report.ipynb"
REPORT_TEMPLATE = "perfkit_report"
#: This folder: the notebook and ``templates/``, shipped inside the package (installed or editable).
HERE = Path(__file__).resolve().parent


def template_dir() -> Path:
    """Return the templates folder (the nbconvert template ``perfkit_report/`` and ``feedback.html.j2``)."""
    folder = HERE / "templates"
    if not (folder / "feedback.html.j2").is_file():
        raise PerfkitError(f"perfkit's templates are missing from {folder}; reinstall perfkit")
    return folder


def notebook_path() -> Path:
    """Return the report notebook that ``perfkit report`` executes.

    ``notebooks/client_report.ipynb`` of the project is the same file for consultants to open
    (a test keeps the two identical).
    """
    path = HERE / NOTEBOOK
    if not path.is_file():
        raise PerfkitError(f"the report notebook is missing: {path}; reinstall perfkit")
    return path
