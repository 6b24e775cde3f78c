"""Sections drawn ahead in the calling process, handed to the kernel as ready HTML (charts as SVG)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Every section the notebook shows, in order: the cover, then :data:`perfkit.reporting.content.SECTIONS`.
SHOWN: tuple[str, ...] = (
    "cover",
    "summary",
    "data_quality",
    "kpi_system",
    "evaluation",
    "raters",
    "fairness",
    "patterns",
    "actions",
    "appendix",
)


@dataclass
class PreparedSection:
    """A section's HTML and output metadata, displayed as they are (no pandas, no matplotlib).

    Attributes
    ----------
    html : str
        The section's escaped HTML, charts embedded as SVG ``data:`` URIs.
    metadata : dict
        The ``text/html`` output metadata (the table of contents and the cover's labels).
    """

    html: str = field(repr=False)  # the notebook's text/plain: not the whole HTML a second time
    metadata: dict = field(default_factory=dict)

    def _repr_html_(self) -> tuple[str, dict]:
        return self.html, self.metadata


@dataclass
class PreparedReport:
    """A report whose sections are already drawn: what ``perfkit report`` hands to the kernel.

    Attributes
    ----------
    lang : {"zh", "en"}
    sections : dict of str to PreparedSection or None
        By section id (:data:`SHOWN`); None for a section not asked for.
    """

    lang: str
    sections: dict[str, PreparedSection | None]


def prepare_report(report: Any) -> PreparedReport:
    """Draw every section of ``report`` (charts included) as HTML, for a kernel that only displays.

    Parameters
    ----------
    report : perfkit.reporting.content.Report

    Returns
    -------
    PreparedReport
    """
    from perfkit.reporting import sections

    drawn: dict[str, PreparedSection | None] = {}
    for name in SHOWN:
        section = getattr(sections, name)(report)
        drawn[name] = None if section is None else PreparedSection(*section._repr_html_())
    return PreparedReport(lang=report.lang, sections=drawn)
