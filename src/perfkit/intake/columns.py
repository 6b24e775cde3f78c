"""The contract's tables: their columns, which are required, and each column's kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of the contract.

    ``kind`` is one of ``id`` (text, kept exactly: ``007`` stays ``007``), ``text``, ``number``,
    ``period`` (text that sorts in time order), ``date``, ``rating`` (a number, or a text label
    mapped through ``rating_labels``) or ``choice`` (one of ``choices``).
    """

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


def _cols(*specs: Column) -> dict[str, Column]:
    return {c.name: c for c in specs}


TABLE_COLUMNS: dict[str, dict[str, Column]] = {
    "employees": _cols(
        Column("employee_id", "id", True),
        Column("department", "text", True),
        Column("name", "text"),
        Column("role", "text"),
        Column("manager_id", "id"),
        Column("level", "text"),
        Column("hire_date", "date"),
        Column("gender", "text"),
        Column("location", "text"),
        Column("base_salary", "number"),
        Column("salary_midpoint", "number"),
        Column("last_increase_pct", "number"),
        Column("bonus_target_pct", "number"),
        Column("rating", "rating"),
        Column("potential", "number"),
    ),
    "kpis": _cols(
        Column("kpi_id", "id", True),
        Column("name", "text", True),
        Column("role", "text", True),
        Column("weight", "number", True),
        Column("target", "number"),
        Column("direction", "choice", choices=("higher", "lower")),
        Column("threshold", "number"),
        Column("stretch", "number"),
        Column("unit", "text"),
        Column("perspective", "choice", choices=("financial", "customer", "process", "learning")),
        Column("objective_id", "id"),
        Column("data_source", "text"),
        Column("description", "text"),
    ),
    "results": _cols(
        Column("employee_id", "id", True),
        Column("kpi_id", "id", True),
        Column("period", "period", True),
        Column("actual", "number", True),
    ),
    "ratings": _cols(
        Column("employee_id", "id", True),
        Column("rater_id", "id", True),
        Column("relation", "choice", True, ("self", "manager", "peer", "report", "customer")),
        Column("period", "period", True),
        Column("competency", "text", True),
        Column("score", "rating", True),
        Column("comment", "text"),
    ),
    "objectives": _cols(
        Column("objective_id", "id", True),
        Column("name", "text", True),
        Column("perspective", "choice", choices=("financial", "customer", "process", "learning")),
        Column("weight", "number"),
    ),
    "competencies": _cols(
        Column("employee_id", "id", True),
        Column("competency", "text", True),
        Column("level", "number", True),
        Column("required", "number", True),
        Column("period", "period"),
    ),
    "training_catalog": _cols(
        Column("course_id", "id", True),
        Column("name", "text", True),
        Column("competency", "text", True),
        Column(
            "format",
            "choice",
            choices=(
                "classroom",
                "online",
                "coaching",
                "mentoring",
                "stretch_assignment",
                "external",
            ),
        ),
        Column("hours", "number"),
        Column("cost", "number"),
    ),
}

#: Primary keys: a duplicate of these is an error.
KEYS: dict[str, tuple[str, ...]] = {
    "employees": ("employee_id",),
    "kpis": ("kpi_id",),
    "results": ("employee_id", "kpi_id", "period"),
    "objectives": ("objective_id",),
    "training_catalog": ("course_id",),
}


def required_columns(table: str) -> list[str]:
    """Return the required columns of a contract table, in contract order."""
    return [c.name for c in TABLE_COLUMNS[table].values() if c.required]
