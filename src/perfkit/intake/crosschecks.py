"""Checks across tables: unknown ids, off-scale scores, negative weights."""

from __future__ import annotations

import pandas as pd

from perfkit.errors import Problem
from perfkit.intake.client import Client

MAX_LISTED = 20


def _report(problems: list[Problem], source: str, column: str, values: pd.Series, mask: pd.Series,
            expected: str, fix: str, severity: str = "error") -> None:
    from perfkit.intake.loading import _report as report

    report(problems, source, column, values, mask, expected, fix, severity)


def check_relations(client: Client) -> list[Problem]:
    """Return the problems that only show across tables (and range checks needing settings)."""
    problems: list[Problem] = []
    t, src = client.tables, client.sources
    employees = t.get("employees")
    ids = set(employees["employee_id"].dropna()) if employees is not None else set()
    scale = client.settings.scale
    if employees is not None and "manager_id" in employees:
        unknown = employees["manager_id"].notna() & ~employees["manager_id"].isin(ids)
        _report(problems, src["employees"], "manager_id", employees["manager_id"], unknown,
                "is not an employee_id in employees.", "Often an export of a subset; listed, not refused.", "warning")
    if employees is not None and "rating" in employees:
        off = (employees["rating"] < scale.min) | (employees["rating"] > scale.max)
        _report(problems, src["employees"], "rating", employees["rating"], off,
                f"is off the rating scale {scale.min:g}..{scale.max:g}.", "Fix the value or set 'scale' in engagement.yaml.")
    kpis = t.get("kpis")
    if kpis is not None:
        _report(problems, src["kpis"], "weight", kpis["weight"], kpis["weight"] < 0,
                "is a negative weight.", "Weights are percentages from 0 to 100.")
    for table, column, known, severity in (
        ("results", "employee_id", ids, "error"),
        ("ratings", "employee_id", ids, "error"),
        ("competencies", "employee_id", ids, "error"),
        ("ratings", "rater_id", ids, "warning"),
        ("results", "kpi_id", set(kpis["kpi_id"].dropna()) if kpis is not None else None, "error"),
    ):
        frame = t.get(table)
        if frame is None or known is None:
            continue
        unknown = frame[column].notna() & ~frame[column].isin(known)
        target = "kpis" if column == "kpi_id" else "employees"
        _report(problems, src[table], column, frame[column], unknown, f"is not a {column} in {target}.",
                f"Add it to {target} or delete the row." if severity == "error"
                else "Raters from outside the client are kept; listed, not refused.", severity)
    ratings = t.get("ratings")
    if ratings is not None:
        off = (ratings["score"] < scale.min) | (ratings["score"] > scale.max)
        _report(problems, src["ratings"], "score", ratings["score"], off,
                f"is off the rating scale {scale.min:g}..{scale.max:g}.", "Fix the value or set 'scale' in engagement.yaml.")
    objectives = t.get("objectives")
    if kpis is not None and objectives is not None and "objective_id" in kpis:
        unknown = kpis["objective_id"].notna() & ~kpis["objective_id"].isin(set(objectives["objective_id"]))
        _report(problems, src["kpis"], "objective_id", kpis["objective_id"], unknown,
                "is not an objective_id in objectives.", "Add the objective or correct the id.", "warning")
    if "results" in t and kpis is None:
        problems.append(Problem(src["results"], None, None, None, "needs the kpis table, which is missing.",
                                "Add kpis.csv."))
    return problems
