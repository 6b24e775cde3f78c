"""Feedback sheets: one HTML page per employee from one Jinja template, rendered in one process."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from perfkit.language import pick
from perfkit.reporting.resources import template_dir

#: File names Windows refuses, whatever the extension.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_file_names(employee_ids: Iterable[str]) -> dict[str, str]:
    """Return a distinct, portable file stem for each employee id.

    Characters other than letters, digits (any script), ``.``, ``-`` and ``_`` become ``_``;
    stems that would clash (also case-insensitively, for Windows and macOS) get ``-2``, ``-3``...

    Examples
    --------
    >>> safe_file_names(["E/1", "E_1", "007"])
    {'E/1': 'E_1', 'E_1': 'E_1-2', '007': '007'}
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for employee_id in employee_ids:
        stem = re.sub(r"[^\w.-]", "_", str(employee_id)).strip(". ")[:80] or "_"
        if stem.lower() in RESERVED:
            stem = "_" + stem
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.lower())
        names[str(employee_id)] = candidate
    return names


def feedback_environment() -> Environment:
    """Return the Jinja environment of the feedback sheets, autoescaping every value."""
    return Environment(
        loader=FileSystemLoader(str(template_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _labels(lang: str) -> dict[str, str]:
    words = {
        "title": ("绩效反馈表", "Performance feedback"),
        "employee": ("员工", "Employee"),
        "id": ("工号", "ID"),
        "department": ("部门", "Department"),
        "role": ("岗位", "Role"),
        "period": ("考核周期", "Period"),
        "score": ("综合得分", "Score"),
        "grade": ("等级", "Grade"),
        "kpi_score": ("指标得分", "KPI score"),
        "competency_score": ("能力得分", "Competency score"),
        "pattern": ("绩效模式", "Pattern"),
        "kpis": ("关键指标结果", "KPI results"),
        "kpi": ("指标", "KPI"),
        "target": ("目标", "Target"),
        "actual": ("实际", "Actual"),
        "attainment": ("达成率", "Attainment"),
        "competencies": ("能力评价", "Competencies"),
        "others": ("他评", "Others"),
        "self": ("自评", "Self"),
        "strengths": ("优势", "Strengths"),
        "development": ("待发展", "To develop"),
        "actions": ("下一步行动", "Next steps"),
        "gaps": ("自我认知差异", "Perception gaps"),
        "talking": ("面谈要点", "Talking points"),
        "comments": ("评语", "Comments"),
        "confidential": (
            "保密 · 仅限本人与直接上级",
            "Confidential · for the employee and their manager",
        ),
        "missing": ("无", "None"),
    }
    return {k: pick(lang, zh=zh, en=en) for k, (zh, en) in words.items()}


def _texts(items: Iterable[Any]) -> list[str]:
    """The ready sentences of a plan's items (dicts or objects with ``text``)."""
    return [i["text"] if isinstance(i, dict) else getattr(i, "text", str(i)) for i in items or []]


def _formatted(values: pd.Series, kind: str = "number") -> list[str]:
    """Format a column of numbers as :func:`_format` formats one."""
    if not pd.api.types.is_numeric_dtype(values):
        return [_format(v, kind) for v in values.tolist()]
    return [_format_number(v, kind) for v in values.astype(float).tolist()]


def _rows_by_person(frame: pd.DataFrame, columns: dict[str, list[str]]) -> dict[str, list]:
    """Group ready-to-show rows (named tuples of ``columns``) by employee_id, in the frame's order."""
    row = namedtuple("Row", list(columns))  # attribute access, as cheap as a tuple's
    rows: dict[str, list] = {}
    for eid, *values in zip(frame["employee_id"].tolist(), *columns.values(), strict=True):
        rows.setdefault(eid, []).append(row._make(values))
    return rows


def sheet_contexts(report) -> list[SimpleNamespace]:
    """Return what each employee's sheet shows: their scores, KPIs, competencies and the plans' text.

    Numbers arrive formatted (``–`` when missing) and every field is an attribute: the template
    only places text, which keeps a sheet's rendering to a fraction of a millisecond.

    Parameters
    ----------
    report : Report

    Returns
    -------
    list of SimpleNamespace
        One per employee, in the employees table's order: ``employee_id``, ``name``,
        ``department``, ``role``, ``period``, ``grade``, ``score``, ``kpi_score``,
        ``competency_score`` (formatted), ``pattern``, ``kpis`` (``kpi``, ``target``,
        ``actual``, ``attainment``), ``competencies`` (``competency``, ``score``,
        ``self_score``), ``strengths``, ``development``, ``perception_gaps``,
        ``talking_points``, ``next_steps`` (sentences) and ``comments``.
    """
    client = report.client
    period = client.current_period
    scores = report.employee_scores
    by_id = (
        scores.set_index("employee_id").to_dict("index")
        if scores is not None and not scores.empty
        else {}
    )
    assignments = getattr(report.patterns, "assignments", None)
    pattern = (
        dict(zip(assignments["employee_id"], assignments["pattern"], strict=True))
        if assignments is not None and "pattern" in assignments
        else {}
    )
    kpi_names = (
        dict(zip(client.table("kpis")["kpi_id"], client.table("kpis")["name"], strict=True))
        if client.has("kpis")
        else {}
    )
    kpis_by_person: dict[str, list] = {}
    attainment = getattr(report.scores, "attainment", None)
    if attainment is not None and not attainment.empty:
        current = attainment[attainment["period"] == period] if period else attainment
        kpis_by_person = _rows_by_person(
            current,
            {
                "kpi": [kpi_names.get(k, k) for k in current["kpi_id"].tolist()],
                "target": _formatted(current["target"]),
                "actual": _formatted(current["actual"]),
                "attainment": _formatted(current["attainment"], "percent"),
            },
        )
    comps_by_person: dict[str, list] = {}
    comps = getattr(report.scores, "competencies", None)
    if comps is not None and not comps.empty:
        ordered = comps.sort_values(["employee_id", "score"], ascending=[True, False])
        comps_by_person = _rows_by_person(
            ordered,
            {
                "competency": ordered["competency"].tolist(),
                "score": _formatted(ordered["score"]),
                "self_score": _formatted(ordered["self_score"]),
            },
        )
    comments: dict[str, list[str]] = {}
    ratings = client.table("ratings")
    if ratings is not None and "comment" in ratings and not report.anonymized:
        said = ratings.dropna(subset=["comment"])
        said = said[said["period"] == period] if period else said
        for eid, comment in zip(said["employee_id"], said["comment"], strict=True):
            kept = comments.setdefault(eid, [])
            if comment not in kept and len(kept) < 5:
                kept.append(comment)
    content = {str(getattr(c, "employee_id", "")): c for c in (report.feedback or [])}
    columns = [c for c in ("employee_id", "name", "department", "role") if c in client.employees]
    contexts = []
    for person in client.employees[columns].to_dict("records"):
        eid = str(person["employee_id"])
        score = by_id.get(eid, {})
        grade = score.get("calibrated_grade")
        comp_rows = comps_by_person.get(eid, [])
        plan = content.get(eid)
        strengths = _texts(getattr(plan, "strengths", None)) or [
            c.competency for c in comp_rows[:2]
        ]
        development = _texts(getattr(plan, "improvements", None)) or (
            [c.competency for c in comp_rows[-2:][::-1]] if len(comp_rows) > 2 else []
        )
        contexts.append(
            SimpleNamespace(
                employee_id=eid,
                name=person.get("name") if isinstance(person.get("name"), str) else eid,
                department=person["department"],
                role=person.get("role") if isinstance(person.get("role"), str) else None,
                period=period,
                grade=grade if isinstance(grade, str) else score.get("grade"),
                score=_format(score.get("score")),
                kpi_score=_format(score.get("kpi_score")),
                competency_score=_format(score.get("competency_score")),
                pattern=pattern.get(eid),
                kpis=kpis_by_person.get(eid, []),
                competencies=comp_rows,
                strengths=strengths,
                development=development,
                perception_gaps=_texts(getattr(plan, "perception_gaps", None)),
                talking_points=list(getattr(plan, "talking_points", None) or []),
                next_steps=list(getattr(plan, "next_steps", None) or []),
                comments=comments.get(eid, []),
            )
        )
    return contexts


def write_feedback_sheets(report, folder: str | Path) -> dict[str, str]:
    """Write one feedback sheet per employee into ``folder``, and ``index.csv`` (id → file).

    Every sheet comes from ``templates/feedback.html.j2``, rendered with autoescaping in this
    process: a thousand sheets take about as long as the template takes a thousand times.

    Returns
    -------
    dict of str to str
        The file name of each employee id's sheet.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    template = feedback_environment().get_template("feedback.html.j2")
    contexts = sheet_contexts(report)
    files = {
        eid: stem + ".html"
        for eid, stem in safe_file_names(c.employee_id for c in contexts).items()
    }
    labels = SimpleNamespace(**_labels(report.lang))
    for context in contexts:
        html = template.render(
            person=context, labels=labels, client=report.client.title, lang=report.lang
        )
        (folder / files[context.employee_id]).write_text(html, encoding="utf-8")
    index = pd.DataFrame({"employee_id": list(files), "file": list(files.values())})
    index.to_csv(folder / "index.csv", index=False, encoding="utf-8-sig")
    return files


def _format(value: Any, kind: str = "number") -> str:
    """Format a number for a sheet: ``–`` when missing, percentages for attainment."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "–"
    if isinstance(value, (int, float)):
        return _format_number(value, kind)
    return str(value)


def _format_number(value: float, kind: str) -> str:
    if value != value:
        return "–"
    if kind == "percent":
        return f"{value * 100:.0f}%"
    return f"{value:,.1f}" if abs(value) < 1e5 else f"{value:,.0f}"
