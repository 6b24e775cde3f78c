"""Every analysis the data allows, run together: the engine behind ``perfkit diagnose``."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfkit.findings import SEVERITIES, Finding
from perfkit.intake import Client


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


def run_diagnosis(client: Client) -> Diagnosis:
    """Score the client and run every diagnostic whose data is present.

    Analyses that lack a table or column add an ``ANALYSIS_SKIPPED`` finding; the rest run.
    """
    from perfkit.evaluation import diagnose_evaluation
    from perfkit.fairness import diagnose_fairness
    from perfkit.kpis import diagnose_kpi_system
    from perfkit.raters import diagnose_raters
    from perfkit.scoring import score_performance

    scores = score_performance(client)
    kpi_audit = diagnose_kpi_system(client)
    findings: list[Finding] = []
    findings += scores.notes
    findings += kpi_audit.findings
    findings += diagnose_raters(client)
    findings += diagnose_evaluation(client, scores)
    findings += diagnose_fairness(client, scores)
    return Diagnosis(
        client=client, scores=scores, kpi_audit=kpi_audit, findings=sort_findings(findings)
    )


def diagnose_client(client: Client) -> list[Finding]:
    """Return every finding about a client, most severe first."""
    return run_diagnosis(client).findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Order findings most severe first, then by area, code and subject (stable across runs)."""
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    return sorted(findings, key=lambda f: (rank[f.severity], f.area, f.code, f.subject))
