"""Feedback sheets: one HTML page per employee from one Jinja template, rendered in one process."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
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


def _content_fields(content: Any) -> dict[str, Any]:
    """Return an engine's feedback content as a plain dict of its fields."""
    if content is None:
        return {}
    if is_dataclass(content):
        return {f.name: getattr(content, f.name) for f in fields(content)}
    if isinstance(content, dict):
        return dict(content)
    return {k: v for k, v in vars(content).items() if not k.startswith("_")}


def sheet_contexts(report) -> list[dict[str, Any]]:
    """Return what each employee's sheet shows: their scores, KPIs, competencies and the plans' text.

    Parameters
    ----------
    report : Report

    Returns
    -------
    list of dict
        One per employee, in the employees table's order.
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
        for row in current[["employee_id", "kpi_id", "target", "actual", "attainment"]].to_dict(
            "records"
        ):
            row["kpi"] = kpi_names.get(row["kpi_id"], row["kpi_id"])
            kpis_by_person.setdefault(row["employee_id"], []).append(row)
    comps_by_person: dict[str, list] = {}
    comps = getattr(report.scores, "competencies", None)
    if comps is not None and not comps.empty:
        ordered = comps.sort_values(["employee_id", "score"], ascending=[True, False])
        for row in ordered[["employee_id", "competency", "score", "self_score"]].to_dict("records"):
            comps_by_person.setdefault(row["employee_id"], []).append(row)
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
        contexts.append(
            {
                "employee_id": eid,
                "name": person.get("name") if isinstance(person.get("name"), str) else eid,
                "department": person["department"],
                "role": person.get("role") if isinstance(person.get("role"), str) else None,
                "period": period,
                "score": score.get("score"),
                "grade": grade if isinstance(grade, str) else score.get("grade"),
                "kpi_score": score.get("kpi_score"),
                "competency_score": score.get("competency_score"),
                "pattern": pattern.get(eid),
                "kpis": kpis_by_person.get(eid, []),
                "competencies": comp_rows,
                "strengths": [c["competency"] for c in comp_rows[:2]],
                "development": [c["competency"] for c in comp_rows[-2:][::-1]]
                if len(comp_rows) > 2
                else [],
                "comments": comments.get(eid, []),
                "plan": _content_fields(content.get(eid)),
            }
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
        for eid, stem in safe_file_names(c["employee_id"] for c in contexts).items()
    }
    labels = _labels(report.lang)
    for context in contexts:
        html = template.render(
            person=context, labels=labels, client=report.client.title, lang=report.lang, fmt=_format
        )
        (folder / files[context["employee_id"]]).write_text(html, encoding="utf-8")
    index = pd.DataFrame({"employee_id": list(files), "file": list(files.values())})
    index.to_csv(folder / "index.csv", index=False, encoding="utf-8-sig")
    return files


def _format(value: Any, kind: str = "number") -> str:
    """Format a number for a sheet: ``–`` when missing, percentages for attainment."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "–"
    if isinstance(value, (int, float)):
        if kind == "percent":
            return f"{value * 100:.0f}%"
        return f"{value:,.1f}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)
