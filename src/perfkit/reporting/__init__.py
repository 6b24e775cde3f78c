"""Client deliverables: the report notebook rendered to HTML and PDF, feedback sheets, batches."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public names and their modules, imported on first use: the report's kernel imports only
#: what the notebook calls (no openpyxl, papermill, rich or engines behind a name it never uses).
_EXPORTS: dict[str, str] = {
    "anonymize_client": "anonymize",
    "pseudonyms": "anonymize",
    "BatchOutcome": "batch",
    "run_batch": "batch",
    "SECTIONS": "content",
    "Report": "content",
    "build_report": "content",
    "write_deliverables": "deliverables",
    "safe_file_names": "feedback",
    "write_feedback_sheets": "feedback",
    "configure_charts": "figures",
    "load_report": "handoff",
    "PreparedReport": "prepared",
    "prepare_report": "prepared",
    "save_report": "handoff",
    "ReportError": "render",
    "render_report": "render",
    "score_table": "scores",
    "write_scores": "scores",
}

__all__ = [
    "SECTIONS",
    "BatchOutcome",
    "Report",
    "PreparedReport",
    "ReportError",
    "anonymize_client",
    "build_report",
    "configure_charts",
    "load_report",
    "prepare_report",
    "pseudonyms",
    "render_report",
    "run_batch",
    "safe_file_names",
    "save_report",
    "score_table",
    "write_deliverables",
    "write_feedback_sheets",
    "write_scores",
]

if TYPE_CHECKING:
    from perfkit.reporting.anonymize import anonymize_client, pseudonyms
    from perfkit.reporting.batch import BatchOutcome, run_batch
    from perfkit.reporting.content import SECTIONS, Report, build_report
    from perfkit.reporting.deliverables import write_deliverables
    from perfkit.reporting.feedback import safe_file_names, write_feedback_sheets
    from perfkit.reporting.figures import configure_charts
    from perfkit.reporting.handoff import load_report, save_report
    from perfkit.reporting.prepared import PreparedReport, prepare_report
    from perfkit.reporting.render import ReportError, render_report
    from perfkit.reporting.scores import score_table, write_scores


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perfkit.reporting' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"perfkit.reporting.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
