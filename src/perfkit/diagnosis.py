"""Every analysis the data allows, run together: the engine behind ``perfkit diagnose``."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfkit.concurrency import ForkedCall
from perfkit.findings import SEVERITIES, Finding
from perfkit.intake import Client

#: Rows of results and ratings from which independent analyses run in forked processes (the KPI
#: audit and the rater diagnostics beside the scoring; a report's plans and rewards beside its
#: feedback): below it a fork (≈ 10 ms) costs more than the work it moves.
PARALLEL_FROM_ROWS = 50_000


@dataclass
class Diagnosis:
    """The results of every analysis of one client, for the report and the workshops.

    Attributes
    ----------
    client : Client
    scores : perfkit.scoring.PerformanceScores
    kpi_audit : perfkit.kpis.KpiAudit
    findings : list of Finding
        Every finding, most severe first.
    """

    client: Client
    scores: object
    kpi_audit: object
    findings: list[Finding] = field(default_factory=list)


def run_diagnosis(client: Client, *, parallel: bool | None = None) -> Diagnosis:
    """Score the client and run every diagnostic whose data is present.

    Analyses that lack a table or column add an ``ANALYSIS_SKIPPED`` finding; the rest run.

    Parameters
    ----------
    client : Client
    parallel : bool, optional
        Run the KPI audit and the rater diagnostics in a forked process while this one scores
        (they do not need the scores). By default, from :data:`PARALLEL_FROM_ROWS` rows of
        results and ratings, where the platform can fork. The findings are the same either way.
    """
    from perfkit.evaluation import diagnose_evaluation
    from perfkit.fairness import diagnose_fairness
    from perfkit.scoring import score_performance

    parallel = runs_beside(client) if parallel is None else parallel
    beside = ForkedCall(_audit_and_diagnose_raters, client, fork=parallel)
    try:
        scores = score_performance(client)
        findings: list[Finding] = list(scores.notes)
        findings += diagnose_evaluation(client, scores)
        findings += diagnose_fairness(client, scores)
        kpi_audit, rater_findings = beside.result()
    finally:
        beside.close()
    findings += kpi_audit.findings + rater_findings
    return Diagnosis(
        client=client, scores=scores, kpi_audit=kpi_audit, findings=sort_findings(findings)
    )


def runs_beside(client: Client) -> bool:
    """Whether a client is large enough for its independent analyses to run in forked processes.

    True from :data:`PARALLEL_FROM_ROWS` rows of results and ratings, where the platform can
    fork (elsewhere :class:`~perfkit.concurrency.ForkedCall` runs them in the calling process).
    """
    rows = sum(len(t) for t in (client.table("results"), client.table("ratings")) if t is not None)
    return rows >= PARALLEL_FROM_ROWS


def _audit_and_diagnose_raters(client: Client) -> tuple[object, list[Finding]]:
    """The analyses that need no scores: the KPI system audit and the rater diagnostics."""
    from perfkit.kpis import diagnose_kpi_system
    from perfkit.raters import diagnose_raters

    return diagnose_kpi_system(client), diagnose_raters(client)


def diagnose_client(client: Client) -> list[Finding]:
    """Return every finding about a client, most severe first."""
    return run_diagnosis(client).findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Order findings most severe first, then by area, code and subject (stable across runs)."""
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    return sorted(findings, key=lambda f: (rank[f.severity], f.area, f.code, f.subject))
