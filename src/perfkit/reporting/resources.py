"""Where the report notebook and the templates live (``notebooks/`` and ``templates/`` of the project)."""

from __future__ import annotations

import os
from pathlib import Path

from perfkit.errors import PerfkitError

#: Environment variable naming the project folder, when perfkit runs from elsewhere.
HOME_VARIABLE = "PERFKIT_HOME"
NOTEBOOK = "client_report.ipynb"
REPORT_TEMPLATE = "perfkit_report"


def project_dir() -> Path:
    """Return the project folder holding ``notebooks/`` and ``templates/``."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3]


def template_dir() -> Path:
    """Return the templates folder (the nbconvert template and ``feedback.html.j2``)."""
    folder = project_dir() / "templates"
    if not (folder / "feedback.html.j2").is_file():
        raise PerfkitError(f"perfkit's templates are missing from {folder}; set ${HOME_VARIABLE} to the project folder")
    return folder


def notebook_path() -> Path:
    """Return the report notebook, ``notebooks/client_report.ipynb``."""
    path = project_dir() / "notebooks" / NOTEBOOK
    if not path.is_file():
        raise PerfkitError(f"the report notebook is missing: {path}; set ${HOME_VARIABLE} to the project folder")
    return path
