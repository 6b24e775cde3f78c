"""Development plans (员工发展): competency gaps to ranked courses, and growth paths for the best."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, skipped
from perfkit.intake import Client
from perfkit.scoring.keys import factorize_text, positions, sorted_codes

#: The contract's columns of the ``development`` sheet, in order.
DEVELOPMENT_COLUMNS: tuple[str, ...] = ("employee_id", "competency", "gap", "course_id", "format")
#: 70-20-10: each course format's family. Ranking takes one course per family before a second.
FAMILIES: dict[str, str] = {
    "stretch_assignment": "experience",
    "mentoring": "exposure",
    "coaching": "exposure",
    "classroom": "education",
    "online": "education",
    "external": "education",
}
#: Formats that grow a strength (growth paths prefer them).
GROWTH_FORMATS: tuple[str, ...] = ("stretch_assignment", "mentoring", "coaching")
_EXTRA = ["course_name", "hours", "cost", "priority", "level", "required"]
_GROWTH_COLUMNS = [
    "employee_id",
    "competency",
    "level",
    "required",
    "target_level",
    "course_id",
    "format",
    "course_name",
    "hours",
    "cost",
    "priority",
]


@dataclass
class DevelopmentPlan:
    """Development plans of one client.

    Attributes
    ----------
    table : DataFrame
        The ``development`` sheet: employee_id, competency, gap, course_id, format, then
        course_name, hours, cost, priority (1 = first, per employee), level, required. Every
        row is a competency the employee has a gap in (required − level > 0) and a course of
        that competency.
    growth : DataFrame
        The ``growth`` sheet of high performers: employee_id, competency, level, required,
        target_level, course_id, format, course_name, hours, cost, priority. Competencies they
        already meet, developed toward the next level.
    uncovered : DataFrame
        Gaps without a course in the catalog: employee_id, competency, gap.
    over_budget : DataFrame
        Rows left out because a budget ran out (same columns as ``table`` plus ``kind``).
    summary : dict
        employees, rows, hours, cost, growth_rows, growth_cost, over_budget_rows, uncovered_gaps.
    notes : list of Finding
    """

    table: pd.DataFrame
    growth: pd.DataFrame
    uncovered: pd.DataFrame
    over_budget: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)


def competency_key(values: pd.Series) -> pd.Series:
    """Normalise competency names for matching: trimmed, single-spaced, case-folded."""
    codes, uniques = factorize_text(values)
    keys = np.array([" ".join(str(u).split()).casefold() for u in uniques] + [np.nan], dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype=object)


def is_in(values: pd.Series, among: pd.Series) -> np.ndarray:
    """Return ``values.isin(among)`` as an array, without pandas' value-at-a-time pass over
    ``among`` for Arrow text (a tenth of a second for 10,000 ids)."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.isin(among).to_numpy()
    return positions(values, pd.Index(pd.unique(among))) >= 0


def rank_courses(catalog: pd.DataFrame, formats: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rank each competency's courses: one per format family first, cheaper and shorter first.

    Within a family, courses go by cost, then hours, then course_id (missing figures last); the
    ranking then takes each family's best before any family's second, so the first courses of
    a competency mix experience (stretch assignments), exposure (coaching, mentoring) and
    education (classroom, online, external).

    Parameters
    ----------
    catalog : DataFrame
        The training_catalog table.
    formats : tuple of str, optional
        Keep only these formats.

    Returns
    -------
    DataFrame
        key (normalised competency), course_id, format, course_name, hours, cost, course_rank (0 = best).
    """
    courses = pd.DataFrame(
        {
            "key": competency_key(catalog["competency"]),
            "course_id": catalog["course_id"].astype(str),
            "format": catalog.get("format", np.nan),
            "course_name": catalog["name"],
            "hours": catalog.get("hours", np.nan),
            "cost": catalog.get("cost", np.nan),
        }
    )
    courses = courses[
        catalog["competency"].notna().to_numpy() & catalog["course_id"].notna().to_numpy()
    ]
    if formats is not None:
        courses = courses[courses["format"].isin(formats)]
    courses["family"] = courses["format"].map(FAMILIES).fillna("other")
    courses = courses.sort_values(
        ["key", "cost", "hours", "course_id"], na_position="last", kind="stable"
    )
    courses["_within"] = courses.groupby(["key", "family"]).cumcount()
    courses = courses.sort_values(
        ["key", "_within", "cost", "hours", "course_id"], na_position="last", kind="stable"
    )
    courses["course_rank"] = courses.groupby("key").cumcount()
    return courses.drop(columns=["_within", "family"]).reset_index(drop=True)


def latest_competencies(table: pd.DataFrame) -> pd.DataFrame:
    """Each employee's latest competency assessments, one row per employee and competency.

    The rows are chosen on integer codes of the table's columns (shared by every caller, see
    :func:`~perfkit.scoring.keys.factorize_text`), then taken once.
    """
    person, people = factorize_text(table["employee_id"])
    keys = competency_key(table["competency"])
    rows = (person >= 0) & keys.notna().to_numpy()
    if "period" in table and table["period"].notna().any():
        period = sorted_codes(table["period"])  # in the order of the periods, -1 when missing
        latest = np.full(len(people) + 1, -1)  # each person's latest period; the last for code -1
        found = pd.Series(period[rows]).groupby(person[rows]).max()
        latest[found.index.to_numpy()] = found.to_numpy()
        rows &= (period < 0) | (period == latest[person])
    kept = np.flatnonzero(rows)
    pairs = pd.DataFrame({"person": person[kept], "key": keys.iloc[kept].to_numpy()})
    kept = kept[~pairs.duplicated(keep="last").to_numpy()]
    return table.iloc[kept].assign(key=keys.iloc[kept]).reset_index(drop=True)


def _level_order(levels: pd.Series) -> list[str]:
    """Sort levels naturally: L2 before L10."""

    def natural(text: str) -> list:
        return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]

    return sorted(levels.dropna().astype(str).unique(), key=natural)


def default_growth_grades(grade_names: list[str]) -> list[str]:
    """The grades that get growth paths by default: the best two of four or more, else the best."""
    return grade_names[:2] if len(grade_names) >= 4 else grade_names[:1]


def plan_development(
    client: Client,
    scores: Any = None,
    *,
    courses_per_gap: int = 2,
    budget_per_employee: float | None = None,
    budget_total: float | None = None,
    growth_grades: list[str] | None = None,
    growth_per_employee: int = 2,
    grade_column: str = "grade",
) -> DevelopmentPlan:
    """Turn competency gaps into ranked courses, and give high performers a growth path.

    Parameters
    ----------
    client : Client
        Needs the competencies and training_catalog tables.
    scores : PerformanceScores, optional
        For the grades of growth paths; without it there are no growth paths.
    courses_per_gap : int, default 2
        Courses per gap, by :func:`rank_courses` (so two courses come from two format families).
    budget_per_employee, budget_total : float, optional
        Spending limits. Rows go in priority order (per employee: biggest gap first, then course
        rank; growth rows after gap rows; across employees: everyone's first row before anyone's
        second); a row that would pass a limit is left out, with every later one.
        A course without a cost counts as free.
    growth_grades : list of str, optional
        Grades that get growth paths; default :func:`default_growth_grades`.
    growth_per_employee : int, default 2
        Growth competencies per high performer: those they meet, the furthest below the next
        level's requirement first (the median ``required`` of that competency among employees of
        the next ``level``; one level up where unknown).
    grade_column : str, default "grade"

    Returns
    -------
    DevelopmentPlan
    """
    lang = client.language
    notes: list[Finding] = []
    empty = pd.DataFrame(columns=[*DEVELOPMENT_COLUMNS, *_EXTRA])
    if not client.has("competencies", "training_catalog"):
        missing = [t for t in ("competencies", "training_catalog") if not client.has(t)]
        notes.append(
            skipped(
                "development plans",
                f"缺少 {', '.join(missing)} 表",
                f"{' and '.join(missing)} missing",
                lang,
                missing=missing,
            )
        )
        return DevelopmentPlan(
            empty,
            pd.DataFrame(columns=_GROWTH_COLUMNS),
            pd.DataFrame(columns=["employee_id", "competency", "gap"]),
            empty.assign(kind=None),
            {"employees": 0, "rows": 0, "hours": 0.0, "cost": 0.0},
            notes,
        )
    assessed = latest_competencies(client.table("competencies"))
    assessed["gap"] = assessed["required"] - assessed["level"]
    courses = rank_courses(client.table("training_catalog"))

    gaps = assessed[assessed["gap"] > 0]
    matched = gaps.merge(courses[courses["course_rank"] < courses_per_gap], on="key", how="inner")
    uncovered = gaps[~gaps["key"].isin(courses["key"])][["employee_id", "competency", "gap"]]
    matched = matched.sort_values(
        ["employee_id", "gap", "course_rank"], ascending=[True, False, True], kind="stable"
    )
    matched["kind"] = "gap"

    growth = _growth_rows(
        client, scores, assessed, courses, growth_grades, growth_per_employee, grade_column
    )
    rows = (
        pd.concat([matched, growth], ignore_index=True)
        if len(growth)
        else matched.reset_index(drop=True)
    )
    rows["priority"] = rows.groupby("employee_id").cumcount() + 1
    keep = _within_budget(rows, budget_per_employee, budget_total)
    over = rows[~keep]
    rows = rows[keep]

    table = (
        rows[rows["kind"] == "gap"]
        .reindex(columns=[*DEVELOPMENT_COLUMNS, *_EXTRA])
        .reset_index(drop=True)
    )
    grown = rows[rows["kind"] == "growth"].reindex(columns=_GROWTH_COLUMNS).reset_index(drop=True)
    if len(uncovered):
        notes.append(
            skipped(
                "course matching",
                f"{len(uncovered)} 项能力差距在培训目录中没有对应课程",
                f"{len(uncovered)} competency gap(s) have no course in the training catalog",
                lang,
                competencies=sorted(uncovered["competency"].astype(str).unique())[:20],
            )
        )
    summary = {
        "employees": int(table["employee_id"].nunique()),
        "rows": len(table),
        "hours": float(table["hours"].sum()),
        "cost": float(table["cost"].sum()),
        "growth_employees": int(grown["employee_id"].nunique()),
        "growth_rows": len(grown),
        "growth_cost": float(grown["cost"].sum()),
        "over_budget_rows": len(over),
        "uncovered_gaps": len(uncovered),
    }
    over_cols = [*DEVELOPMENT_COLUMNS, *_EXTRA, "kind"]
    return DevelopmentPlan(
        table,
        grown,
        uncovered.reset_index(drop=True),
        over.reindex(columns=over_cols).reset_index(drop=True),
        summary,
        notes,
    )


def _growth_rows(
    client: Client,
    scores: Any,
    assessed: pd.DataFrame,
    courses: pd.DataFrame,
    growth_grades: list[str] | None,
    per_employee: int,
    grade_column: str,
) -> pd.DataFrame:
    """Growth-path rows of the high performers: strengths developed toward the next level."""
    if scores is None or per_employee <= 0 or grade_column not in scores.employees:
        return pd.DataFrame()
    grades = (
        growth_grades
        if growth_grades is not None
        else default_growth_grades(client.settings.grade_names)
    )
    best = scores.employees.loc[scores.employees[grade_column].isin(grades), "employee_id"]
    strong = assessed[is_in(assessed["employee_id"], best) & (assessed["gap"] <= 0)].copy()
    if strong.empty:
        return pd.DataFrame()
    employees = client.employees
    target = strong["level"] + 1
    if "level" in employees and employees["level"].notna().any():
        order = _level_order(employees["level"])
        following = dict(zip(order[:-1], order[1:], strict=True))
        level_of = employees.set_index("employee_id")["level"].astype(str)
        # each assessment's job level, by position (Series.map hashes every id of the table again)
        where = positions(assessed["employee_id"], level_of.index)
        levels = np.append(level_of.to_numpy(dtype=object), np.nan)  # the last for -1: not found
        job_level = pd.Series(levels[where], index=assessed.index)
        needed = (
            assessed.assign(job_level=job_level).groupby(["job_level", "key"])["required"].median()
        )
        nxt = job_level.loc[strong.index].map(following)
        lookup = pd.Series(
            needed.reindex(pd.MultiIndex.from_arrays([nxt, strong["key"]])).to_numpy(),
            index=strong.index,
        )
        target = lookup.where(lookup > strong["level"], target)
    strong["target_level"] = target
    strong["surplus"] = strong["level"] - strong["required"]
    strong = strong.sort_values(
        ["employee_id", "target_level", "surplus"], ascending=[True, False, False]
    )
    preferred = rank_courses(client.table("training_catalog"), GROWTH_FORMATS)
    first = pd.concat([preferred, courses[~courses["key"].isin(preferred["key"])]])
    first = first.sort_values(["key", "course_rank"], kind="stable").drop_duplicates("key")
    grown = strong.merge(first, on="key", how="inner", sort=False)
    grown = grown.sort_values(
        ["employee_id", "target_level", "surplus"], ascending=[True, False, False], kind="stable"
    )
    grown = grown.groupby("employee_id").head(per_employee)
    return grown.assign(kind="growth", gap=0.0)


def _within_budget(
    rows: pd.DataFrame, per_employee: float | None, total: float | None
) -> np.ndarray:
    """Which rows fit the budgets, taken in priority order."""
    keep = np.ones(len(rows), dtype=bool)
    cost = rows["cost"].astype(float).fillna(0).clip(lower=0)
    if per_employee is not None:
        spent = cost.groupby(rows["employee_id"]).cumsum()
        keep &= (spent <= per_employee + 1e-9).to_numpy()
    if total is not None:
        order = np.lexsort(
            (
                rows["employee_id"].to_numpy(),
                rows["priority"].to_numpy(),
                (rows["kind"] == "growth").to_numpy(),
            )
        )
        ordered = np.where(keep, cost.to_numpy(), 0.0)[order]
        fits = np.cumsum(ordered) <= total + 1e-9
        allowed = np.zeros(len(rows), dtype=bool)
        allowed[order] = fits
        keep &= allowed
    return keep
