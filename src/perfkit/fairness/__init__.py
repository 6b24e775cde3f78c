"""Fairness diagnostics: adverse impact by the four-fifths rule, for ratings, grades and rewards."""

from perfkit.fairness.diagnosis import diagnose_fairness, top_outcomes
from perfkit.fairness.impact import GROUP_COLUMNS, flag_adverse, impact_ratios

__all__ = ["GROUP_COLUMNS", "diagnose_fairness", "flag_adverse", "impact_ratios", "top_outcomes"]
