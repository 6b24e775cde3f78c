"""Client deliverables: the report notebook rendered to HTML and PDF, feedback sheets, batches."""

from perfkit.reporting.anonymize import anonymize_client, pseudonyms
from perfkit.reporting.batch import BatchOutcome, run_batch
from perfkit.reporting.content import SECTIONS, Report, build_report
from perfkit.reporting.deliverables import write_deliverables
from perfkit.reporting.feedback import safe_file_names, write_feedback_sheets
from perfkit.reporting.figures import configure_charts
from perfkit.reporting.render import ReportError, render_report
from perfkit.reporting.scores import score_table, write_scores

__all__ = [
    "SECTIONS",
    "BatchOutcome",
    "Report",
    "ReportError",
    "anonymize_client",
    "build_report",
    "configure_charts",
    "pseudonyms",
    "render_report",
    "run_batch",
    "safe_file_names",
    "score_table",
    "write_deliverables",
    "write_feedback_sheets",
    "write_scores",
]
