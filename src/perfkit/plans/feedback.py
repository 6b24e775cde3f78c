"""Feedback content (绩效反馈): what each employee's feedback sheet says, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import threshold
from perfkit.intake import Client
from perfkit.plans.dates import plan_start
from perfkit.plans.improvement import DECLINING_PATTERNS, select_improvement_employees
from perfkit.plans.standing import competency_standing, kpi_standing


@dataclass
class FeedbackContent:
    """The content of one employee's feedback sheet, in the engagement's language.

    Items of ``strengths``, ``improvements`` and ``perception_gaps`` are dicts with ``kind``
    (``kpi`` or ``competency``), ``name``, the figures (``value``, ``peer``; ``self``, ``others``,
    ``gap`` for perception gaps) and ``text``, a sentence ready to show.
    """

    employee_id: str
    name: str
    department: str
    role: str
    grade: str
    score: float | None
    language: str
    pattern: str = ""
    strengths: list[dict[str, Any]] = field(default_factory=list)
    improvements: list[dict[str, Any]] = field(default_factory=list)
    perception_gaps: list[dict[str, Any]] = field(default_factory=list)
    talking_points: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the content as a plain dict (for Jinja templates and JSON)."""
        return asdict(self)


_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "kpi_strength": "“{name}”达成率 {value},高于同岗位中位数 {peer}",
        "kpi_weak": "“{name}”达成率 {value}(同岗位中位数 {peer})",
        "comp_strength": "“{name}”他评 {value} 分,高于同岗位平均 {peer}",
        "comp_gap": "“{name}”当前 {value} 级,岗位要求 {peer} 级",
        "comp_weak": "“{name}”他评 {value} 分,低于同岗位平均 {peer}",
        "perception_high": "“{name}”自评 {value},他评 {peer}:自评高于他人 {gap} 分",
        "perception_low": "“{name}”自评 {value},他评 {peer}:自评低于他人 {gap} 分",
        "tp_grade": "说明本期绩效等级 {grade}(综合得分 {score})及其依据",
        "tp_strength": "肯定优势:{text}",
        "tp_improve": "讨论待改进之处:{text},请员工分析原因",
        "tp_gap": "澄清认知差异:{text},用具体事例说明",
        "tp_pattern": "回顾近几期的绩效走势(模式:{pattern})",
        "tp_support": "询问员工需要的支持与资源",
        "ns_plan": "在 {date} 前与经理确认 90 天绩效改进计划",
        "ns_goals": "为{focus}设定下期可衡量的目标",
        "ns_share": "把“{name}”上的经验分享给团队",
        "ns_review": "在 {date} 前进行下一次绩效面谈回顾进展",
        "join": "、",
    },
    "en": {
        "kpi_strength": "'{name}' at {value} of target, above the role's median of {peer}",
        "kpi_weak": "'{name}' at {value} of target (role median {peer})",
        "comp_strength": "'{name}' rated {value} by others, above the role's average {peer}",
        "comp_gap": "'{name}' at level {value}, the role requires {peer}",
        "comp_weak": "'{name}' rated {value} by others, below the role's average {peer}",
        "perception_high": "'{name}': self {value}, others {peer}: you rate yourself {gap} points higher than others do",
        "perception_low": "'{name}': self {value}, others {peer}: you rate yourself {gap} points lower than others do",
        "tp_grade": "Explain this period's grade {grade} (score {score}) and what it rests on",
        "tp_strength": "Recognise a strength: {text}",
        "tp_improve": "Discuss what to improve: {text}; ask for the employee's view of the causes",
        "tp_gap": "Clear up a difference in perception: {text}; use concrete examples",
        "tp_pattern": "Look back at the trend of recent periods (pattern: {pattern})",
        "tp_support": "Ask what support and resources the employee needs",
        "ns_plan": "Agree the 90-day improvement plan with the manager by {date}",
        "ns_goals": "Set measurable goals for next period on {focus}",
        "ns_share": "Share what works on '{name}' with the team",
        "ns_review": "Review progress in the next feedback meeting by {date}",
        "join": ", ",
    },
}


def _shown(values: pd.Series, kind: str) -> list[str]:
    """Figures as text: ``pct`` (98%) or ``pt`` (3.4); NaN as a dash.

    Each distinct figure is formatted once (a client's figures repeat a lot). Figures are told
    apart by their bits, not by ``==``, so that -0.0 keeps its sign ("-0%").
    """
    v = values.astype(float)
    if kind == "pct":
        v, form = (v * 100).round(0), "{:.0f}%".format
    else:
        form = "{:.1f}".format
    codes, distinct = pd.factorize(v.to_numpy().view(np.int64))
    texts = [form(x) if x == x else "—" for x in distinct.view(np.float64).tolist()]
    return np.array(texts, dtype=object)[codes].tolist()


def _text(value: Any) -> str:
    """A value as text, "" for None and NaN."""
    if type(value) is str:
        return value
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _figures(values: pd.Series) -> list[float | None]:
    """Figures rounded to 4 decimals as plain Python floats, NaN as None."""
    v = values.astype(float).round(4).to_numpy()
    out = v.astype(object)
    out[np.isnan(v)] = None
    return out.tolist()


def _collect(
    found: dict[str, list],
    frame: pd.DataFrame,
    kind: str,
    template: str | list[str],
    value: str,
    peer: str,
    fmt: str,
    extra: dict[str, str] | None = None,
) -> None:
    """Append one item per row of ``frame`` to ``found[employee_id]``, in the frame's order.

    The columns are formatted once for the whole frame; only the items themselves are made
    row by row (a large client has about a hundred thousand).
    """
    if frame.empty:
        return
    n = len(frame)
    names = frame["name"].astype(object).tolist()
    gaps = _shown(frame["size"], "pt") if "size" in frame else [""] * n
    templates = template if isinstance(template, list) else [template] * n
    # the sentences with positional fields, which str.format fills twice as fast as named ones
    positional = {
        t: t.format(name="{0}", value="{1}", peer="{2}", gap="{3}") for t in set(templates)
    }
    texts = [
        positional[t].format(name, v, p, g)
        for t, name, v, p, g in zip(
            templates, names, _shown(frame[value], fmt), _shown(frame[peer], fmt), gaps, strict=True
        )
    ]
    items = [
        {"kind": kind, "name": _text(name), "value": v, "peer": p, "text": text}
        for name, v, p, text in zip(
            names, _figures(frame[value]), _figures(frame[peer]), texts, strict=True
        )
    ]
    for key, column in (extra or {}).items():
        for item, figure in zip(items, _figures(frame[column]), strict=True):
            item[key] = figure
    for eid, item in zip(frame["employee_id"].astype(object).tolist(), items, strict=True):
        found.setdefault(eid, []).append(item)


def build_feedback(
    client: Client,
    scores: Any,
    patterns: pd.DataFrame | None = None,
    *,
    max_items: int = 2,
    min_gap: float | None = None,
    employee_ids: Any = None,
) -> list[FeedbackContent]:
    """Return the feedback content of every scored employee.

    Strengths: up to ``max_items`` KPIs where the employee's attainment is furthest above the
    role's median, and their competency rated furthest above the role's average. Areas to
    improve: the KPIs furthest below (or under target), and the competency with the biggest gap
    (required − level) or the lowest rating against peers. Perception gaps: competencies where
    self-rating and others' rating differ by at least ``min_gap`` scale points (default: the
    SELF_INFLATION ``gap`` threshold). Talking points and next steps follow from these,
    the grade and the pattern (employee_id plus ``pattern`` name, optional).
    ``employee_ids`` restricts the content to those employees (peers still count everyone),
    for rendering a large client in batches.

    Returns
    -------
    list of FeedbackContent
        In the order of ``scores.employees``.
    """
    lang = client.language
    t = _TEXT["zh" if lang == "zh" else "en"]
    gap_cut = (
        threshold(client.settings.thresholds, "SELF_INFLATION", "gap")
        if min_gap is None
        else min_gap
    )
    # employee_id -> items, one dict per part of the sheet, each list in the order shown
    strengths: dict[str, list] = {}
    improvements: dict[str, list] = {}
    perception_gaps: dict[str, list] = {}

    wanted = None if employee_ids is None else set(map(str, employee_ids))
    kpis = kpi_standing(client, scores).rename(columns={"kpi_name": "name"})
    if wanted is not None:
        kpis = kpis[kpis["employee_id"].isin(wanted)]
    good = kpis[kpis["relative"] > 0].sort_values("relative", ascending=False, kind="stable")
    _collect(
        strengths,
        good.groupby("employee_id").head(max_items),
        "kpi",
        t["kpi_strength"],
        "attainment",
        "peer_attainment",
        "pct",
    )
    weak = kpis[(kpis["relative"] < 0) | (kpis["attainment"] < 1)].sort_values(
        ["relative", "attainment"], kind="stable"
    )
    _collect(
        improvements,
        weak.groupby("employee_id").head(max_items),
        "kpi",
        t["kpi_weak"],
        "attainment",
        "peer_attainment",
        "pct",
    )

    comps = competency_standing(client, scores).rename(columns={"competency": "name"})
    if wanted is not None:
        comps = comps[comps["employee_id"].isin(wanted)]
    best = comps[comps["relative"] > 0].sort_values("relative", ascending=False, kind="stable")
    _collect(
        strengths,
        best.groupby("employee_id").head(1),
        "competency",
        t["comp_strength"],
        "score",
        "peer_score",
        "pt",
    )
    short = comps[(comps["gap"] > 0) | (comps["relative"] < 0)].copy()
    short["_order"] = np.where(short["gap"] > 0, -short["gap"], 100 + short["relative"].fillna(0))
    short = short.sort_values("_order", kind="stable").groupby("employee_id").head(1)
    by_gap = (short["gap"] > 0).to_numpy()
    _collect(
        improvements,
        short[by_gap].assign(score=short["level"], peer_score=short["required"]),
        "competency",
        t["comp_gap"],
        "score",
        "peer_score",
        "pt",
    )
    _collect(
        improvements,
        short[~by_gap],
        "competency",
        t["comp_weak"],
        "score",
        "peer_score",
        "pt",
    )
    diff = comps["self_score"] - comps["score"]
    gaps = comps.assign(diff=diff, size=diff.abs())[(diff.abs() >= gap_cut).to_numpy()]
    gaps = gaps.sort_values("size", ascending=False, kind="stable").groupby("employee_id").head(3)
    _collect(
        perception_gaps,
        gaps,
        "competency",
        np.where(gaps["diff"] > 0, t["perception_high"], t["perception_low"]).tolist(),
        "self_score",
        "score",
        "pt",
        extra={"self": "self_score", "others": "score", "gap": "diff"},
    )
    found = {
        "strengths": strengths,
        "improvements": improvements,
        "perception_gaps": perception_gaps,
    }
    return _assemble(client, scores, patterns, found, t, wanted)


def _assemble(
    client: Client,
    scores: Any,
    patterns: pd.DataFrame | None,
    found: dict[str, dict[str, list]],
    t: dict[str, str],
    wanted: set[str] | None = None,
) -> list[FeedbackContent]:
    """One FeedbackContent per employee, with talking points and next steps.

    ``found`` holds the items of each part (``strengths``, ``improvements``,
    ``perception_gaps``) by employee_id. Every column is read once as a list; the loop only
    puts an employee's values together.
    """
    employees = scores.employees
    if wanted is not None:
        employees = employees[employees["employee_id"].isin(wanted)]
    n = len(employees)
    ids = employees["employee_id"]

    def looked_up(frame: pd.DataFrame | None, name: str) -> list[str]:
        """``frame[name]`` of each employee (their first row) as text, "" where absent."""
        if frame is None or not len(frame) or name not in frame:
            return [""] * n
        first = frame.drop_duplicates("employee_id").set_index("employee_id")[name]
        return [_text(v) for v in ids.map(first).astype(object).tolist()]

    def own(name: str) -> list[str]:
        if name not in employees:
            return [""] * n
        return [_text(v) for v in employees[name].astype(object).tolist()]

    if "score" in employees:
        score = employees["score"]
        rounded = [
            None if missing else round(float(v), 1)
            for v, missing in zip(score.astype(object).tolist(), score.isna().tolist(), strict=True)
        ]
    else:
        rounded = [None] * n
    planned = set(
        select_improvement_employees(client, scores, patterns, declining=DECLINING_PATTERNS)[
            "employee_id"
        ]
    )
    start = plan_start(client.current_period)
    follow_up = (start + pd.Timedelta(days=30)).date().isoformat()
    review = t["ns_review"].format(date=(start + pd.Timedelta(days=90)).date().isoformat())
    plan_step = t["ns_plan"].format(date=follow_up)
    language = client.language
    strengths, improvements = found["strengths"], found["improvements"]
    perception_gaps = found["perception_gaps"]
    out = []
    for eid, name, department, role, grade, score, pattern in zip(
        ids.astype(object).tolist(),
        looked_up(client.employees, "name"),
        own("department"),
        own("role"),
        own("grade"),
        rounded,
        looked_up(patterns, "pattern"),
        strict=True,
    ):
        good = list(strengths.get(eid, ()))
        weak = list(improvements.get(eid, ()))
        gaps = list(perception_gaps.get(eid, ()))
        points = []
        if grade:
            shown = "—" if score is None else f"{score:.1f}"
            points.append(t["tp_grade"].format(grade=grade, score=shown))
        if good:
            points.append(t["tp_strength"].format(text=good[0]["text"]))
        if weak:
            points.append(t["tp_improve"].format(text=weak[0]["text"]))
        if gaps:
            points.append(t["tp_gap"].format(text=gaps[0]["text"]))
        if pattern:
            points.append(t["tp_pattern"].format(pattern=pattern))
        points.append(t["tp_support"])
        steps = [plan_step] if eid in planned else []
        if weak:
            steps.append(t["ns_goals"].format(focus=t["join"].join([x["name"] for x in weak])))
        if good:
            steps.append(t["ns_share"].format(name=good[0]["name"]))
        steps.append(review)
        out.append(
            FeedbackContent(
                employee_id=str(eid),
                name=name,
                department=department,
                role=role,
                grade=grade,
                score=score,
                language=language,
                pattern=pattern,
                strengths=good,
                improvements=weak,
                perception_gaps=gaps,
                talking_points=points,
                next_steps=steps,
            )
        )
    return out
