"""What the report notebook displays, one function per section: drawn ahead, or drawn here.

A :class:`~perfkit.reporting.prepared.PreparedReport` (from ``perfkit report``) is displayed as
it is, so the kernel imports neither pandas nor matplotlib; a full
:class:`~perfkit.reporting.content.Report` (the notebook run by hand) is drawn by
:mod:`perfkit.reporting.sections`.
"""

from __future__ import annotations

from typing import Any

from perfkit.reporting.prepared import PreparedReport, PreparedSection


def _section(name: str, report: Any) -> Any:
    if isinstance(report, PreparedReport):
        return report.sections.get(name)
    from perfkit.reporting import sections

    return getattr(sections, name)(report)


def cover(report: Any) -> PreparedSection | Any:
    """Return the cover: client, period, date."""
    return _section("cover", report)


def summary(report: Any) -> PreparedSection | Any:
    """Return the executive summary (None when not asked for)."""
    return _section("summary", report)


def data_quality(report: Any) -> PreparedSection | Any:
    """Return the data-quality section (None when not asked for)."""
    return _section("data_quality", report)


def kpi_system(report: Any) -> PreparedSection | Any:
    """Return the KPI system audit (None when not asked for)."""
    return _section("kpi_system", report)


def evaluation(report: Any) -> PreparedSection | Any:
    """Return grades and calibration (None when not asked for)."""
    return _section("evaluation", report)


def raters(report: Any) -> PreparedSection | Any:
    """Return the rater effects (None when not asked for)."""
    return _section("raters", report)


def fairness(report: Any) -> PreparedSection | Any:
    """Return the four-fifths rule by group (None when not asked for)."""
    return _section("fairness", report)


def patterns(report: Any) -> PreparedSection | Any:
    """Return patterns and the 9-box (None when not asked for)."""
    return _section("patterns", report)


def actions(report: Any) -> PreparedSection | Any:
    """Return improvement, development and rewards (None when not asked for)."""
    return _section("actions", report)


def appendix(report: Any) -> PreparedSection | Any:
    """Return method, settings and thresholds (None when not asked for)."""
    return _section("appendix", report)
