"""Feedback sheets: one HTML page per employee from one Jinja template, rendered in one process."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from markupsafe import escape

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


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for the life of the process.

    Compiling ``feedback.html.j2`` (parsing it and generating its Python code) takes about
    25 ms, as long as rendering a hundred sheets; a batch worker writes one client's sheets
    after another. Jinja checks each template's source against the checksum stored with its
    code, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


#: The feedback template's compiled code, shared by every :func:`feedback_environment`.
COMPILED = CompiledTemplates()


def feedback_environment() -> Environment:
    """Return the Jinja environment of the feedback sheets, escaping every value it outputs.

    Each ``{{ value }}`` is escaped exactly as autoescape would (markupsafe's rules, ``Markup``
    kept as it is), but by ``finalize``, remembering the text of each distinct string: a
    client's sheets repeat the same labels, names and figures thousands of times, and
    markupsafe's ``escape`` costs several times a lookup. Autoescape itself is off, so a macro,
    ``caller()`` or ``{% set %}`` block would come out escaped a second time: the feedback
    template uses none. Templates are compiled once per process (:data:`COMPILED`).
    """
    escaped_text = functools.cache(lambda text: str(escape(text)))

    def escaped(value: Any) -> str:
        return escaped_text(value) if type(value) is str else str(escape(value))

    environment = Environment(
        loader=FileSystemLoader(str(template_dir())),
        autoescape=False,
        finalize=escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=COMPILED,
    )
    # the sheet uses no Jinja global (range, dict, cycler...); without them each render's
    # context holds only the sheet's values instead of copying the globals in first
    environment.globals.clear()
    return environment


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
    """Format a column of numbers as :func:`_format` formats one, each distinct number once.

    Numbers are told apart by their bits, not by ``==``, so that -0.0 keeps its sign.
    """
    if not pd.api.types.is_numeric_dtype(values):
        return [_format(v, kind) for v in values.tolist()]
    codes, distinct = pd.factorize(values.astype(float).to_numpy().view(np.int64))
    shown = [_format_number(v, kind) for v in distinct.view(np.float64).tolist()]
    return np.array(shown, dtype=object)[codes].tolist()


def _rows_by_person(frame: pd.DataFrame, columns: list[list[str]]) -> dict[str, list[tuple]]:
    """Group ready-to-show rows (tuples of ``columns``' values) by employee_id, in the frame's order.

    The rows are put in order of person once (a stable sort) and each person's are one slice.
    Plain tuples of text, which the garbage collector soon stops tracking: a few hundred
    thousand named tuples would make it scan the whole heap again and again.
    """
    codes, people = pd.factorize(frame["employee_id"], use_na_sentinel=False)
    rows = list(zip(*columns, strict=True))
    rows = [rows[i] for i in np.argsort(codes, kind="stable").tolist()]
    counts = np.bincount(codes, minlength=len(people))
    ends = np.cumsum(counts)
    slices = zip(people.tolist(), (ends - counts).tolist(), ends.tolist(), strict=True)
    return {eid: rows[start:end] for eid, start, end in slices}


def _shown_scores(scores: pd.DataFrame | None) -> dict[str, tuple]:
    """Each scored employee's grade (calibrated when there is one) and formatted scores."""
    if scores is None or scores.empty:
        return {}
    n = len(scores)

    def column(name: str) -> list:
        return scores[name].tolist() if name in scores else [None] * n

    def formatted(name: str) -> list[str]:
        return _formatted(scores[name]) if name in scores else ["–"] * n

    grades = [
        calibrated if isinstance(calibrated, str) else grade
        for calibrated, grade in zip(column("calibrated_grade"), column("grade"), strict=True)
    ]
    shown = zip(
        grades,
        formatted("score"),
        formatted("kpi_score"),
        formatted("competency_score"),
        strict=True,
    )
    return dict(zip(scores["employee_id"].tolist(), shown, strict=True))


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
        ``competency_score`` (formatted), ``pattern``, ``kpis`` (tuples of kpi, target,
        actual, attainment), ``competencies`` (tuples of competency, score, self_score),
        ``strengths``, ``development``, ``perception_gaps``, ``talking_points``,
        ``next_steps`` (sentences) and ``comments``.
    """
    return list(_contexts(report))


def _contexts(report) -> Iterator[SimpleNamespace]:
    """Yield the contexts of :func:`sheet_contexts` one by one, each made when it is needed."""
    client = report.client
    period = client.current_period
    shown_scores = _shown_scores(report.employee_scores)
    assignments = getattr(report.patterns, "assignments", None)
    pattern = (
        dict(zip(assignments["employee_id"].tolist(), assignments["pattern"].tolist(), strict=True))
        if assignments is not None and "pattern" in assignments
        else {}
    )
    kpi_names: dict[str, str] = {}
    if client.has("kpis"):
        kpis = client.table("kpis")
        kpi_names = dict(zip(kpis["kpi_id"].tolist(), kpis["name"].tolist(), strict=True))
    kpis_by_person: dict[str, list] = {}
    attainment = getattr(report.scores, "attainment", None)
    if attainment is not None and not attainment.empty:
        current = attainment[attainment["period"] == period] if period else attainment
        kpis_by_person = _rows_by_person(
            current,
            [
                [kpi_names.get(k, k) for k in current["kpi_id"].tolist()],
                _formatted(current["target"]),
                _formatted(current["actual"]),
                _formatted(current["attainment"], "percent"),
            ],
        )
    comps_by_person: dict[str, list] = {}
    comps = getattr(report.scores, "competencies", None)
    if comps is not None and not comps.empty:
        ordered = comps.sort_values(["employee_id", "score"], ascending=[True, False])
        comps_by_person = _rows_by_person(
            ordered,
            [
                ordered["competency"].tolist(),
                _formatted(ordered["score"]),
                _formatted(ordered["self_score"]),
            ],
        )
    comments: dict[str, list[str]] = {}
    ratings = client.table("ratings")
    if ratings is not None and "comment" in ratings and not report.anonymized:
        said = ratings.dropna(subset=["comment"])
        said = said[said["period"] == period] if period else said
        for eid, comment in zip(
            said["employee_id"].tolist(), said["comment"].tolist(), strict=True
        ):
            kept = comments.setdefault(eid, [])
            if comment not in kept and len(kept) < 5:
                kept.append(comment)
    content = {str(getattr(c, "employee_id", "")): c for c in (report.feedback or [])}
    employees = client.employees
    n = len(employees)

    def column(name: str) -> list:
        return employees[name].tolist() if name in employees else [None] * n

    unscored = (None, "–", "–", "–")
    for eid, name, department, role in zip(
        map(str, employees["employee_id"].tolist()),
        column("name"),
        employees["department"].tolist(),
        column("role"),
        strict=True,
    ):
        grade, score, kpi_score, competency_score = shown_scores.get(eid, unscored)
        comp_rows = comps_by_person.get(eid, [])
        plan = content.get(eid)
        strengths = _texts(getattr(plan, "strengths", None)) or [row[0] for row in comp_rows[:2]]
        development = _texts(getattr(plan, "improvements", None)) or (
            [row[0] for row in comp_rows[-2:][::-1]] if len(comp_rows) > 2 else []
        )
        yield SimpleNamespace(
            employee_id=eid,
            name=name if isinstance(name, str) else eid,
            department=department,
            role=role if isinstance(role, str) else None,
            period=period,
            grade=grade,
            score=score,
            kpi_score=kpi_score,
            competency_score=competency_score,
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


def write_feedback_sheets(report, folder: str | Path) -> dict[str, str]:
    """Write one feedback sheet per employee into ``folder``, and ``index.csv`` (id → file).

    Every sheet comes from ``templates/feedback.html.j2``, every value escaped (see
    :func:`feedback_environment`), rendered in this process: a thousand sheets take about as
    long as the template takes a thousand times.

    Returns
    -------
    dict of str to str
        The file name of each employee id's sheet.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    template = feedback_environment().get_template("feedback.html.j2")
    employee_ids = map(str, report.client.employees["employee_id"].tolist())
    files = {eid: stem + ".html" for eid, stem in safe_file_names(employee_ids).items()}
    shared = {
        "labels": SimpleNamespace(**_labels(report.lang)),
        "client": report.client.title,
        "lang": report.lang,
    }
    # one sheet at a time: each context is dropped once written, so that the collector does
    # not scan twenty thousand of them again and again while the next ones are made
    for context in _contexts(report):
        html = template.render(person=context, **shared)
        _write_file(os.path.join(folder, files[context.employee_id]), html.encode("utf-8"))
    index = pd.DataFrame({"employee_id": list(files), "file": list(files.values())})
    index.to_csv(folder / "index.csv", index=False, encoding="utf-8-sig")
    return files


def reserve_sheet_files(report, folder: str | Path) -> int:
    """Create the feedback sheets' files, empty, ahead of :func:`write_feedback_sheets`.

    Creating a file can cost far more than writing it: on ext4 without a journal, each new
    inode is searched past every recently freed one in its group, and twenty thousand files
    took from 1 to 12 s of system time on the same machine, depending on what was deleted
    before. ``perfkit report`` runs this in a low-priority forked process as soon as the client
    is loaded, so that this cost falls on idle CPU; the writer then opens files that exist.
    An existing file is left as it is: the writer may already have written it.

    Returns
    -------
    int
        How many files were created.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    employee_ids = map(str, report.client.employees["employee_id"].tolist())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    created = 0
    for stem in safe_file_names(employee_ids).values():
        try:
            os.close(os.open(os.path.join(folder, stem + ".html"), flags, 0o666))
        except FileExistsError:
            continue
        created += 1
    return created


def _write_file(path: str, data: bytes) -> None:
    """Write ``data`` as the whole file at ``path``, in binary mode.

    With a sheet rendered in a fraction of a millisecond, ``Path.write_text``'s text layer
    (encoder, buffer, newline handling) would cost more than the sheet itself. A longer file
    already there is cut after writing, not truncated when opened: on ext4, closing a file
    truncated to zero flushes it to disk at once (``auto_da_alloc``), which made writing into
    the files :func:`reserve_sheet_files` created three times slower in system time.
    """
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)  # Windows: no CRLF
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if os.fstat(fd).st_size > len(data):
            os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


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
