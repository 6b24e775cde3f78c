"""What a report shows, computed once: the client, its diagnosis, patterns, plans and rewards."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfkit.errors import PerfkitError, UsageError
from perfkit.findings import Finding
from perfkit.intake import Client, load_client
from perfkit.language import pick

#: The report's sections, in order (the cover is always shown).
SECTIONS: tuple[str, ...] = (
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


class EngineWarning(UserWarning):
    """An analysis engine is missing or failed; its section says it was skipped."""


@dataclass
class Report:
    """Everything a client report shows, computed once and read by every section.

    Attributes
    ----------
    client : Client
        The loaded client (names replaced by pseudonyms when ``anonymized``).
    lang : {"zh", "en"}
    sections : tuple of str
        The sections to show, among :data:`SECTIONS`.
    anonymized : bool
    scores : perfkit.scoring.PerformanceScores or None
    kpi_audit : perfkit.kpis.KpiAudit or None
    findings : list of Finding
        Every finding, most severe first (the same as ``perfkit diagnose``).
    patterns : perfkit.patterns.PatternResult or None
    feedback : list or None
        ``perfkit.plans.build_feedback`` content, one per employee.
    extras : dict
        Other engine results by name (``plans``, ``rewards``...).
    skipped : dict of str to list of str
        Why parts were skipped, by engine name, in ``lang``.
    created : date
    """

    client: Client
    lang: str
    sections: tuple[str, ...] = SECTIONS
    anonymized: bool = False
    scores: Any = None
    kpi_audit: Any = None
    findings: list[Finding] = field(default_factory=list)
    patterns: Any = None
    feedback: list | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    created: dt.date = field(default_factory=dt.date.today)

    def wants(self, section: str) -> bool:
        """Return whether ``section`` is to be shown."""
        return section in self.sections

    def text(self, *, zh: str, en: str) -> str:
        """Return a sentence in the report's language."""
        return pick(self.lang, zh=zh, en=en)

    def findings_in(self, *areas: str, severe_only: bool = False) -> list[Finding]:
        """Return the findings of the given areas (every area when none), most severe first."""
        return [
            f
            for f in self.findings
            if (not areas or f.area in areas) and not (severe_only and f.severity == "info")
        ]

    def note(self, engine: str, reason: str) -> None:
        """Record why an engine, or part of one, was skipped."""
        self.skipped.setdefault(engine, []).append(reason)

    @property
    def employee_scores(self):
        """The current period's scores (one row per employee), or None."""
        return getattr(self.scores, "employees", None)


def run_engine(report: Report, engine: str, function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run one engine; an unexpected exception becomes a section note and a warning, never fatal.

    The one guarded place of the report: a bug met on one client's odd data in, say, the
    reward schemes must not cost the consultant the whole deliverable. The user's own errors
    (:class:`~perfkit.errors.PerfkitError`: bad data or settings) are raised as they are.

    Returns
    -------
    object or None
        The engine's result, or None when it failed.
    """
    try:
        return function(*args, **kwargs)
    except PerfkitError:
        raise
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        report.note(
            engine,
            report.text(
                zh=f"分析模块 {engine} 运行失败({reason})",
                en=f"the {engine} engine failed ({reason})",
            ),
        )
        warnings.warn(f"perfkit: {engine} failed: {reason}", EngineWarning, stacklevel=2)
        return None


def build_report(
    client_dir: str | Path,
    *,
    language: str | None = None,
    sections: Sequence[str] | None = None,
    anonymize: bool = False,
    on_loaded: Callable[[Report], None] | None = None,
    on_feedback: Callable[[Report], None] | None = None,
) -> Report:
    """Load a client and run every analysis the data and the installed engines allow.

    Parameters
    ----------
    client_dir : str or Path
        The client folder or ``.xlsx`` workbook.
    language : {"zh", "en"}, optional
        The report's language; the engagement's by default.
    sections : sequence of str, optional
        Among :data:`SECTIONS`; every section by default.
    anonymize : bool, default False
        Replace names by stable pseudonyms (see :mod:`perfkit.reporting.anonymize`).
    on_loaded : callable, optional
        Called with the report once the client is loaded (and anonymised), before any
        analysis: ``perfkit report`` creates the feedback sheets' files then.
    on_feedback : callable, optional
        Called with the report as soon as its feedback content is ready (before the plans and
        rewards): ``perfkit report`` starts writing the feedback sheets then.

    Returns
    -------
    Report

    Raises
    ------
    UsageError
        For an unknown language or section.
    DataError, SettingsError
        When the client's data or settings are invalid.
    """
    chosen = tuple(SECTIONS if sections is None else sections)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise UsageError(f"unknown report section(s) {unknown}; expected among {list(SECTIONS)}")
    if language not in (None, "zh", "en"):
        raise UsageError(f"language must be 'zh' or 'en'; got {language!r}")
    client = load_client(client_dir)
    if language and language != client.language:
        client.settings = client.settings.model_copy(update={"language": language})
    report = Report(client=client, lang=client.language, sections=chosen, anonymized=anonymize)
    if anonymize:
        from perfkit.reporting.anonymize import anonymize_client

        anonymize_client(client)
    if on_loaded is not None:
        on_loaded(report)
    diagnose(report)
    analyse(report, on_feedback)
    return report


def diagnose(report: Report) -> None:
    """Fill the report's scores, KPI audit and findings with ``perfkit diagnose``'s engine."""
    from perfkit.diagnosis import run_diagnosis

    diagnosis = run_engine(report, "diagnosis", run_diagnosis, report.client)
    if diagnosis is not None:
        report.scores, report.kpi_audit = diagnosis.scores, diagnosis.kpi_audit
        report.findings = list(diagnosis.findings)
        return
    for engine in ("scoring", "kpis", "raters", "evaluation", "fairness"):
        report.skipped.setdefault(engine, []).extend(report.skipped.get("diagnosis", []))


def analyse(
    report: Report,
    on_feedback: Callable[[Report], None] | None = None,
    *,
    parallel: bool | None = None,
) -> None:
    """Fill the report's patterns, feedback, plans and rewards (engines imported here, not by the kernel).

    ``on_feedback(report)`` is called once the feedback content is ready, before the plans
    are in the report. The plans and rewards are made in a forked process while this one
    builds the feedback (``parallel``; by default for a client as large as
    :func:`perfkit.diagnosis.runs_beside` says); the report is the same either way, except
    that an engine's :class:`EngineWarning` is then shown by that process.
    """
    from perfkit.concurrency import ForkedCall
    from perfkit.diagnosis import runs_beside
    from perfkit.patterns import find_patterns, label_feature, nine_box
    from perfkit.plans import build_feedback

    client, scores = report.client, report.scores
    if scores is None:
        for engine in ("patterns", "plans", "rewards"):
            report.note(
                engine, report.text(zh="没有绩效得分", en="there are no performance scores")
            )
        return
    report.patterns = run_engine(report, "patterns", find_patterns, client, scores, random_state=0)
    features = getattr(report.patterns, "features", None)
    report.extras["nine_box"] = run_engine(
        report, "patterns", nine_box, client, scores, features=features
    )
    table = getattr(report.patterns, "patterns", None)
    report.extras["feature_labels"] = {
        c: label_feature(c, report.lang) for c in getattr(table, "columns", [])
    }
    assignments = getattr(report.patterns, "assignments", None)
    parallel = runs_beside(client) if parallel is None else parallel
    beside = ForkedCall(plan_actions, report, fork=parallel)
    try:
        report.feedback = run_engine(report, "plans", build_feedback, client, scores, assignments)
        if on_feedback is not None:
            on_feedback(report)
        extras, skipped = beside.result()
    finally:
        beside.close()
    report.extras.update(extras)
    for engine, reasons in skipped.items():
        report.skipped.setdefault(engine, []).extend(reasons)


def plan_actions(report: Report) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Make the improvement and development plans and the reward schemes of a scored report.

    The report is read, not changed (so that this may run in a forked process).

    Returns
    -------
    extras : dict
        ``improvement``, ``development``, ``schemes``, ``rewards`` and ``rewards_summary``,
        for :attr:`Report.extras`.
    skipped : dict of str to list of str
        The notes of the engines that failed, for :attr:`Report.skipped`.
    """
    from perfkit.plans import plan_development, plan_improvements
    from perfkit.rewards import compare_schemes, describe_rewards, plan_rewards

    # the engines note their failures here, not in the caller's report
    shell = dataclasses.replace(report, extras={}, skipped={})
    client, scores, extras = report.client, report.scores, shell.extras
    assignments = getattr(report.patterns, "assignments", None)
    calibrated = (
        "calibrated_grade" in scores.employees
        and scores.employees["calibrated_grade"].notna().any()
    )
    grade_column = "calibrated_grade" if calibrated else "grade"
    extras["improvement"] = run_engine(
        shell, "plans", plan_improvements, client, scores, assignments
    )
    extras["development"] = run_engine(
        shell, "plans", plan_development, client, scores, grade_column=grade_column
    )
    schemes = run_engine(
        shell, "rewards", compare_schemes, client, scores, grade_column=grade_column
    )
    extras["schemes"] = schemes
    scheme = getattr(schemes, "recommended", None) or "merit_matrix"  # the sheet applies it
    rewards = run_engine(
        shell, "rewards", plan_rewards, client, scores, grade_column=grade_column, scheme=scheme
    )
    extras["rewards"] = rewards
    if rewards is not None:
        extras["rewards_summary"] = run_engine(
            shell, "rewards", describe_rewards, rewards, report.lang
        )
    return extras, shell.skipped
