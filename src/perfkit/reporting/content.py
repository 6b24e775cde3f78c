"""What a report shows, computed once: the client, its diagnosis, patterns, plans and rewards."""

from __future__ import annotations

import datetime as dt
import importlib
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
            f for f in self.findings
            if (not areas or f.area in areas) and not (severe_only and f.severity == "info")
        ]

    def note(self, engine: str, reason: str) -> None:
        """Record why an engine, or part of one, was skipped."""
        self.skipped.setdefault(engine, []).append(reason)

    @property
    def employee_scores(self):
        """The current period's scores (one row per employee), or None."""
        return getattr(self.scores, "employees", None)


def find_engine(module: str, name: str) -> Callable | None:
    """Return ``module.name`` when that engine is installed, else None.

    Engines are developed independently; a missing one makes its section say it was skipped.
    """
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)


def run_engine(report: Report, engine: str, function: Callable | None, *args: Any, **kwargs: Any) -> Any:
    """Run one engine; a missing or failing engine is noted (and warned), never fatal.

    Returns
    -------
    object or None
        The engine's result, or None when it could not run.
    """
    if function is None:
        report.note(engine, report.text(zh=f"分析模块 {engine} 尚未安装", en=f"the {engine} engine is not installed"))
        return None
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # one engine's failure must not sink the whole deliverable
        reason = f"{type(exc).__name__}: {exc}"
        report.note(engine, report.text(zh=f"分析模块 {engine} 运行失败({reason})",
                                        en=f"the {engine} engine failed ({reason})"))
        warnings.warn(f"perfkit: {engine} failed: {reason}", EngineWarning, stacklevel=2)
        return None


def build_report(
    client_dir: str | Path,
    *,
    language: str | None = None,
    sections: Sequence[str] | None = None,
    anonymize: bool = False,
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
    diagnose(report)
    analyse(report)
    return report


def diagnose(report: Report) -> None:
    """Fill the report's scores, KPI audit and findings (``perfkit diagnose``'s engine).

    ``run_diagnosis`` is used when every engine it needs is present; otherwise each available
    engine runs on its own and the missing ones are noted.
    """
    run_diagnosis = find_engine("perfkit.diagnosis", "run_diagnosis")
    client = report.client
    try:
        diagnosis = run_diagnosis(client) if run_diagnosis else None
    except PerfkitError:
        raise
    except Exception:  # an engine is missing or broken: run the others one by one
        diagnosis = None
    if diagnosis is not None:
        report.scores, report.kpi_audit = diagnosis.scores, diagnosis.kpi_audit
        report.findings = list(diagnosis.findings)
        return
    from perfkit.diagnosis import sort_findings

    findings: list[Finding] = []
    report.scores = run_engine(report, "scoring", find_engine("perfkit.scoring", "score_performance"), client)
    findings += list(getattr(report.scores, "notes", []) or [])
    report.kpi_audit = run_engine(report, "kpis", find_engine("perfkit.kpis", "diagnose_kpi_system"), client)
    findings += list(getattr(report.kpi_audit, "findings", []) or [])
    findings += run_engine(report, "raters", find_engine("perfkit.raters", "diagnose_raters"), client) or []
    if report.scores is not None:
        for engine, name in (("evaluation", "diagnose_evaluation"), ("fairness", "diagnose_fairness")):
            function = find_engine(f"perfkit.{engine}", name)
            findings += run_engine(report, engine, function, client, report.scores) or []
    else:
        for engine in ("evaluation", "fairness"):
            report.note(engine, report.text(zh="没有绩效得分", en="there are no performance scores"))
    report.findings = sort_findings(findings)


def analyse(report: Report) -> None:
    """Fill the report's patterns, feedback, plans and rewards from the engines present."""
    client, scores = report.client, report.scores
    if scores is None:
        for engine in ("patterns", "plans", "rewards"):
            report.note(engine, report.text(zh="没有绩效得分", en="there are no performance scores"))
        return
    report.patterns = run_engine(report, "patterns", find_engine("perfkit.patterns", "find_patterns"),
                                 client, scores, random_state=0)
    nine_box = find_engine("perfkit.patterns", "nine_box")
    if nine_box is not None:
        features = getattr(report.patterns, "features", None)
        report.extras["nine_box"] = run_engine(report, "patterns", nine_box, client, scores, features=features)
    assignments = getattr(report.patterns, "assignments", None)
    calibrated = "calibrated_grade" in scores.employees and scores.employees["calibrated_grade"].notna().any()
    grade_column = "calibrated_grade" if calibrated else "grade"
    report.feedback = run_engine(report, "plans", find_engine("perfkit.plans", "build_feedback"),
                                 client, scores, assignments)
    report.extras["improvement"] = run_engine(report, "plans", find_engine("perfkit.plans", "plan_improvements"),
                                              client, scores, assignments)
    report.extras["development"] = run_engine(report, "plans", find_engine("perfkit.plans", "plan_development"),
                                              client, scores, grade_column=grade_column)
    report.extras["rewards"] = run_engine(report, "rewards", find_engine("perfkit.rewards", "plan_rewards"),
                                          client, scores, grade_column=grade_column)
    report.extras["schemes"] = run_engine(report, "rewards", find_engine("perfkit.rewards", "compare_schemes"),
                                          client, scores, grade_column=grade_column)
