"""Evaluation diagnostics: compressed ratings, skewed departments, ratings and pay against results."""

from perfkit.evaluation.diagnosis import (
    compressed_findings,
    diagnose_evaluation,
    pay_alignment_findings,
    results_alignment_findings,
    skewed_findings,
)
from perfkit.evaluation.distribution import (
    department_distribution,
    guideline_shares,
    rating_compression,
)
from perfkit.evaluation.statistics import adjust_holm, scale_factor, spearman

__all__ = [
    "adjust_holm",
    "compressed_findings",
    "department_distribution",
    "diagnose_evaluation",
    "guideline_shares",
    "pay_alignment_findings",
    "rating_compression",
    "results_alignment_findings",
    "scale_factor",
    "skewed_findings",
    "spearman",
]
