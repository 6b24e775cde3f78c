"""The KPI system audit (绩效指标设定): every kpi_system finding and the tables the report shows."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from perfkit.errors import SettingsError
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.kpis.alignment import (
    ALIGNMENT_COLUMNS,
    PERSPECTIVE_COLUMNS,
    assess_alignment,
    assess_perspectives,
    check_objectives,
    check_perspectives,
    fill_perspectives,
)
from perfkit.kpis.difficulty import DIFFICULTY_COLUMNS, assess_difficulty, check_difficulty
from perfkit.kpis.library import FIX_COLUMNS, LIBRARY_COLUMNS, list_fixes, summarise_library
from perfkit.kpis.redundancy import REDUNDANCY_COLUMNS, assess_redundancy, check_redundancy
from perfkit.kpis.smart import SMART_COLUMNS, check_smart, lint_kpis
from perfkit.kpis.weights import WEIGHT_COLUMNS, build_scorecards, check_weights, summarise_weights


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass
class KpiAudit:
    """The audit of a client's KPI system: findings plus the tidy tables the report shows.

    Attributes
    ----------
    findings : list of Finding
        The kpi_system findings, and ANALYSIS_SKIPPED for what could not run.
    smart : DataFrame
        kpi_id, role, name, measurable, specific, time_bound, data_source, smart_score, reasons.
    difficulty : DataFrame
        kpi_id, role, period (``all`` for every period pooled), n, hit_rate, target, direction,
        proposed_target, implied_hit_rate, mean, cv.
    redundancy : DataFrame
        role, kpi_a, kpi_b, r, n.
    alignment : DataFrame
        objective_id, objective, role, n_kpis, weight, share: the objectives × roles matrix of
        weight shares, long form (``objective_id`` NaN for KPIs linked to no objective).
    perspectives : DataFrame
        role (``all`` for the company), perspective, weight, share.
    weights : DataFrame
        role, n_kpis, n_shared, weight_sum, n_zero_weight.
    library : DataFrame
        role, n_kpis, weight_sum, smart_mean, n_issues, quality_score (0–100), top_fixes.
    fixes : DataFrame
        role, subject, code, priority, fix: every fix, most urgent first per role.
    """

    findings: list[Finding] = field(default_factory=list)
    smart: pd.DataFrame = field(default_factory=lambda: _empty(SMART_COLUMNS))
    difficulty: pd.DataFrame = field(default_factory=lambda: _empty(DIFFICULTY_COLUMNS))
    redundancy: pd.DataFrame = field(default_factory=lambda: _empty(REDUNDANCY_COLUMNS))
    alignment: pd.DataFrame = field(default_factory=lambda: _empty(ALIGNMENT_COLUMNS))
    perspectives: pd.DataFrame = field(default_factory=lambda: _empty(PERSPECTIVE_COLUMNS))
    weights: pd.DataFrame = field(default_factory=lambda: _empty(WEIGHT_COLUMNS))
    library: pd.DataFrame = field(default_factory=lambda: _empty(LIBRARY_COLUMNS))
    fixes: pd.DataFrame = field(default_factory=lambda: _empty(FIX_COLUMNS))


def diagnose_kpi_system(client: Client) -> KpiAudit:
    """Audit a client's KPI system: weights, counts, SMART, difficulty, redundancy, alignment.

    Each part runs when its tables are present; what cannot run is reported as an
    ``ANALYSIS_SKIPPED`` finding, so a client with no ``kpis`` table still gets a (nearly
    empty) audit.

    Parameters
    ----------
    client : Client

    Returns
    -------
    KpiAudit

    Raises
    ------
    SettingsError
        When ``thresholds.KPI_TARGET_TOO_EASY.target_hit_rate`` is not a share in 0..1.

    Examples
    --------
    >>> audit = diagnose_kpi_system(client)                      # doctest: +SKIP
    >>> audit.library[["role", "quality_score", "top_fixes"]]    # doctest: +SKIP
    """
    lang = client.language
    settings = client.settings.thresholds
    kpis = client.table("kpis")
    if kpis is None or kpis.empty:
        return KpiAudit(
            findings=[
                skipped(
                    "KPI system",
                    "缺少 kpis 表",
                    "the kpis table is missing",
                    lang,
                    missing=["kpis"],
                )
            ]
        )
    kpis = kpis.drop_duplicates("kpi_id").reset_index(drop=True)
    kpis["direction"] = kpis["direction"].fillna("higher") if "direction" in kpis else "higher"
    hit_rate = threshold(settings, "KPI_TARGET_TOO_EASY", "target_hit_rate")
    if not 0.0 <= hit_rate <= 1.0:
        raise SettingsError(
            f"engagement.yaml: key 'thresholds.KPI_TARGET_TOO_EASY.target_hit_rate': got "
            f"{hit_rate:g}; expected a share between 0 and 1 (0.6 aims at 60% of results)"
        )
    audit = KpiAudit()
    findings = audit.findings

    cards = build_scorecards(kpis)
    audit.weights = summarise_weights(cards)
    findings += check_weights(audit.weights, settings, lang)

    audit.smart = lint_kpis(kpis, lang)
    findings += check_smart(audit.smart, kpis, settings, lang)

    results = client.table("results")
    if results is not None and not results.empty:
        audit.difficulty = assess_difficulty(
            kpis,
            results,
            target_hit_rate=hit_rate,
            min_results=int(threshold(settings, "KPI_NO_DISCRIMINATION", "min_results")),
        )
        findings += check_difficulty(audit.difficulty, settings, lang)
        audit.redundancy = assess_redundancy(cards, results, client.table("employees"))
        findings += check_redundancy(audit.redundancy, settings, lang)
    else:
        findings.append(
            skipped(
                "KPI target difficulty and redundancy",
                "缺少 results 表",
                "the results table is missing",
                lang,
                missing=["results"],
            )
        )

    objectives = client.table("objectives")
    if objectives is not None and objectives.empty:
        objectives = None
    links = "objective_id" in kpis and kpis["objective_id"].notna().any()
    unlinked_share = None
    unlinked: list[str] = []
    if links:
        audit.alignment = assess_alignment(cards, objectives, lang)
        none = audit.alignment[audit.alignment["objective_id"].isna()]
        unlinked_share = none.set_index("role")["share"]
        unlinked = sorted(kpis.loc[kpis["objective_id"].isna(), "kpi_id"])
    if links and objectives is not None:
        findings += check_objectives(kpis, objectives, settings, lang)
    elif objectives is not None:
        findings.append(
            skipped(
                "strategy alignment",
                "kpis 表没有 objective_id 列,指标未关联战略目标",
                "the kpis table has no objective_id column linking KPIs to objectives",
                lang,
                missing=["kpis.objective_id"],
            )
        )
    else:
        findings.append(
            skipped(
                "strategy alignment",
                "缺少 objectives 表",
                "the objectives table is missing",
                lang,
                missing=["objectives"],
            )
        )

    perspective = fill_perspectives(cards, objectives)
    if perspective.notna().any():
        audit.perspectives = assess_perspectives(cards, perspective)
        findings += check_perspectives(audit.perspectives, settings, lang)
    else:
        findings.append(
            skipped(
                "balanced-scorecard perspectives",
                "指标和目标都没有填写 perspective",
                "neither KPIs nor objectives carry a perspective",
                lang,
                missing=["kpis.perspective", "objectives.perspective"],
            )
        )

    audit.fixes = list_fixes(
        [f for f in findings if f.code != "ANALYSIS_SKIPPED"], cards, unlinked, lang
    )
    audit.library = summarise_library(
        cards, audit.weights, audit.smart, audit.fixes, unlinked_share, lang
    )
    return audit
