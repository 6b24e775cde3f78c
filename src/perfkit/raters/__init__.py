"""Rater diagnostics: leniency, severity, central tendency, halo, self-inflation and reliability."""

from perfkit.raters.diagnosis import diagnose_managers, diagnose_raters
from perfkit.raters.effects import CodedRatings, code_ratings, rater_effects, self_ratings
from perfkit.raters.inflation import self_inflation_by_department, self_inflation_findings
from perfkit.raters.managers import manager_leniency
from perfkit.raters.reliability import ICC_FORMS, icc, rater_reliability

__all__ = [
    "ICC_FORMS",
    "CodedRatings",
    "code_ratings",
    "diagnose_managers",
    "diagnose_raters",
    "icc",
    "manager_leniency",
    "rater_effects",
    "rater_reliability",
    "self_inflation_by_department",
    "self_inflation_findings",
    "self_ratings",
]
