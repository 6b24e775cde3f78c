"""Trend views: the mean score per period of each department or pattern, as tidy frames."""

from __future__ import annotations

import pandas as pd


def summarise_trends(scores, groups: pd.Series, *, name: str = "group") -> pd.DataFrame:
    """Return the mean score per period of each group, one row per (group, period).

    Parameters
    ----------
    scores : perfkit.scoring.PerformanceScores
        Its ``by_period`` (employee_id, period, score).
    groups : Series
        The group of each employee, indexed by employee_id.
    name : str, default="group"
        The name of the group column in the result.

    Returns
    -------
    DataFrame
        Columns ``name``, period, mean_score, median_score, employees — sorted by group then
        period, ready for a line chart (``hue=name``).
    """
    frame = scores.by_period[["employee_id", "period", "score"]].dropna(subset=["score"])
    groups = pd.Series(groups.to_numpy(), index=groups.index.astype(str))
    frame = frame.assign(**{name: frame["employee_id"].astype(str).map(groups)}).dropna(
        subset=[name]
    )
    summary = frame.groupby([name, "period"], sort=True)["score"].agg(
        mean_score="mean", median_score="median", employees="count"
    )
    return summary.round({"mean_score": 2, "median_score": 2}).reset_index()


def department_trends(client, scores) -> pd.DataFrame:
    """Return the mean score per period of each department (from ``employees.department``)."""
    employees = client.employees
    groups = pd.Series(
        employees["department"].to_numpy(), index=employees["employee_id"].astype(str)
    )
    return summarise_trends(scores, groups, name="department")


def pattern_trends(scores, result) -> pd.DataFrame:
    """Return the mean score per period of each pattern of a :class:`PatternResult`.

    The ``pattern`` column is the pattern's name; ``pattern_id`` keeps the patterns' order.
    """
    assignments = result.assignments.dropna(subset=["pattern"])
    groups = pd.Series(
        assignments["pattern_id"].to_numpy(), index=assignments["employee_id"].astype(str)
    )
    trends = summarise_trends(scores, groups, name="pattern_id")
    names = result.patterns.set_index("pattern_id")["name"]
    trends.insert(1, "pattern", trends["pattern_id"].map(names))
    return trends
