"""KPI system diagnosis (绩效指标设定): audit a client's KPI library and propose concrete fixes."""

from perfkit.kpis.alignment import assess_alignment, assess_perspectives
from perfkit.kpis.audit import KpiAudit, diagnose_kpi_system
from perfkit.kpis.difficulty import assess_difficulty
from perfkit.kpis.library import QUALITY_PENALTIES, list_fixes, summarise_library
from perfkit.kpis.redundancy import assess_redundancy, correlate_pairwise
from perfkit.kpis.smart import SmartVerdict, lint_definition, lint_kpis
from perfkit.kpis.weights import build_scorecards, summarise_weights

__all__ = [
    "QUALITY_PENALTIES",
    "KpiAudit",
    "SmartVerdict",
    "assess_alignment",
    "assess_difficulty",
    "assess_perspectives",
    "assess_redundancy",
    "build_scorecards",
    "correlate_pairwise",
    "diagnose_kpi_system",
    "lint_definition",
    "lint_kpis",
    "list_fixes",
    "summarise_library",
    "summarise_weights",
]
