"""Performance evaluation (绩效评估): KPI attainment, competency and composite scores, grades, calibration."""

from perfkit.scoring.attainment import (
    STATUSES,
    attain,
    compute_attainment,
    expected_kpis,
    score_kpi_cells,
    score_kpi_matrix,
    score_kpis,
)
from perfkit.scoring.calibration import RaterEffects, calibrate_ratings, grade_changes
from perfkit.scoring.competency import (
    profile_competencies,
    score_and_profile_competencies,
    score_competencies,
    to_hundred,
)
from perfkit.scoring.composite import combine_scores, equate_single_parts
from perfkit.scoring.grading import assign_grades, grade_counts
from perfkit.scoring.performance import PerformanceScores, score_performance

__all__ = [
    "STATUSES",
    "PerformanceScores",
    "RaterEffects",
    "assign_grades",
    "attain",
    "calibrate_ratings",
    "combine_scores",
    "compute_attainment",
    "equate_single_parts",
    "expected_kpis",
    "grade_changes",
    "grade_counts",
    "profile_competencies",
    "score_and_profile_competencies",
    "score_competencies",
    "score_kpi_cells",
    "score_kpi_matrix",
    "score_kpis",
    "score_performance",
    "to_hundred",
]
