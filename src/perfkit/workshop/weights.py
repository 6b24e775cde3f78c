"""Workshop 1: a role's KPI weights and the KPI/competency mix → grade distribution and who moves."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from perfkit.errors import PerfkitError
from perfkit.language import pick
from perfkit.scoring import (
    assign_grades,
    combine_scores,
    grade_counts,
    score_kpi_cells,
    score_performance,
)
from perfkit.workshop.state import Memo, Workshop, bars_html, bind, summary_html, table_html

#: Control names: ``role``, ``mix`` (the KPI share of the score, 0..1) and ``weight:<kpi_id>``.
WEIGHT_PREFIX = "weight:"


class AttainmentMatrix:
    """Each employee's attainment per KPI in the period their score comes from: a sparse matrix.

    Built once per workshop, so that a weight move costs one weighted sum per employee
    (:func:`perfkit.scoring.score_kpi_cells`) and a regrading.

    Parameters
    ----------
    scores : PerformanceScores
        Its ``attainment`` rows for (employee, period of ``employees.period``) fill the matrix.

    Attributes
    ----------
    rows, columns, values : ndarray
        The scored cells (COO form): employee row, KPI column, attainment.
    kpi_ids : list of str
        The KPI of each column.
    employee_ids : ndarray of str
    """

    def __init__(self, scores) -> None:
        staff = scores.employees
        self.employee_ids = staff["employee_id"].astype(str).to_numpy()
        att = scores.attainment
        att = att[att["attainment"].notna()]
        key = staff["employee_id"].astype(str) + "\x1f" + staff["period"].astype(str)
        row = pd.Index(key).get_indexer(
            att["employee_id"].astype(str) + "\x1f" + att["period"].astype(str)
        )
        kpis = pd.Index(pd.unique(att["kpi_id"].astype(str)))
        col = kpis.get_indexer(att["kpi_id"].astype(str))
        keep = row >= 0
        self.kpi_ids = [str(k) for k in kpis]
        self.rows, self.columns = row[keep], col[keep]
        self.values = att["attainment"].to_numpy(dtype="float64")[keep]


def _kpi_table(client) -> pd.DataFrame:
    kpis = client.table("kpis")
    if kpis is None or kpis.empty:
        raise PerfkitError(
            pick(
                client.language,
                zh="KPI 权重研讨需要 kpis 表和 results 表。",
                en="The KPI weights workshop needs the kpis and results tables.",
            )
        )
    kpis = kpis.drop_duplicates("kpi_id").assign(kpi_id=lambda f: f["kpi_id"].astype(str))
    kpis["weight"] = pd.to_numeric(kpis["weight"], errors="coerce").fillna(0.0)
    return kpis


def weights_workshop(client, scores=None) -> Workshop:
    """Build the KPI weights and score-mix workshop.

    Controls: ``role`` (dropdown: which role's KPI weights the sliders show), ``mix`` (the KPI
    share of the score; the competency share is the rest) and ``weight:<kpi_id>`` (one integer
    slider per KPI, 0..100; the ``*`` KPIs sit under every role and count for everyone).
    A move re-scores with :func:`perfkit.scoring.score_kpi_cells`,
    :func:`~perfkit.scoring.combine_scores` and :func:`~perfkit.scoring.assign_grades`.

    Parameters
    ----------
    client : perfkit.intake.Client
    scores : PerformanceScores, optional
        Computed with :func:`perfkit.scoring.score_performance` when not given; its grades are
        the baseline.

    Returns
    -------
    Workshop
        ``result``: ``employees`` (employee_id, department, role, kpi_score, score, grade,
        baseline_grade), ``distribution`` (grade, guideline, baseline, count) and ``changes``
        (the employees whose grade differs from the baseline).
    """
    lang, settings = client.language, client.settings
    scores = scores if scores is not None else score_performance(client)
    kpis = _kpi_table(client)
    matrix = AttainmentMatrix(scores)
    staff = scores.employees.reset_index(drop=True)
    competency = staff["competency_score"].to_numpy(dtype="float64")
    fallback = staff["score"].to_numpy(
        dtype="float64"
    )  # employees.rating where nothing else scored
    column = {k: i for i, k in enumerate(matrix.kpi_ids)}
    names = settings.grade_names
    shares = (
        [g.share for g in settings.grades]
        if all(g.share is not None for g in settings.grades)
        else None
    )

    def regrade(weights: tuple[float, ...], mix: float) -> pd.DataFrame:
        kpi_score = score_kpi_cells(
            matrix.rows,
            matrix.columns,
            matrix.values,
            np.asarray(weights),
            n_rows=len(matrix.employee_ids),
        )
        score = combine_scores(
            kpi_score, competency, score_mix={"kpi": mix, "competency": 1.0 - mix}
        )
        score = np.where(np.isfinite(kpi_score) | np.isfinite(competency), score, fallback)
        frame = pd.DataFrame(
            {"employee_id": matrix.employee_ids, "kpi_score": kpi_score, "score": score}
        )
        frame["grade"] = assign_grades(frame, settings.grades).to_numpy()
        return frame

    memo = Memo(regrade)
    start = np.zeros(len(matrix.kpi_ids))
    for kpi_id, weight in zip(kpis["kpi_id"], kpis["weight"], strict=True):
        if kpi_id in column:
            start[column[kpi_id]] = weight
    start_mix = round(float(settings.score_mix.kpi), 2)
    baseline = memo(tuple(start), start_mix)["grade"].to_numpy()

    roles = kpis["role"].dropna().astype(str)
    staffed = staff["role"].value_counts()
    role_names = sorted({r for r in roles if r != "*"}, key=lambda r: (-staffed.get(r, 0), r))
    role = widgets.Dropdown(
        options=role_names,
        value=role_names[0] if role_names else None,
        description=pick(lang, zh="岗位", en="Role"),
    )
    mix = widgets.FloatSlider(
        value=start_mix,
        min=0.0,
        max=1.0,
        step=0.05,
        continuous_update=False,
        description=pick(lang, zh="KPI 占比", en="KPI share"),
        readout_format=".2f",
    )
    mix.add_class("perfkit-mix")
    controls: dict[str, widgets.Widget] = {"role": role, "mix": mix}
    for kpi_id, name, kpi_role in zip(
        kpis["kpi_id"], kpis.get("name", kpis["kpi_id"]), kpis["role"], strict=True
    ):
        if kpi_id not in column:
            continue
        label = f"{kpi_id} {name}" + (" (*)" if kpi_role == "*" else "")
        slider = widgets.IntSlider(
            value=int(round(start[column[kpi_id]])),
            min=0,
            max=100,
            step=5,
            continuous_update=False,
            description=label,
            style={"description_width": "initial"},
        )
        slider.add_class("perfkit-weight")
        controls[WEIGHT_PREFIX + kpi_id] = slider
    sliders, total_label = widgets.VBox(), widgets.HTML()
    summary, distribution, changes = widgets.HTML(), widgets.HTML(), widgets.HTML()
    box = widgets.VBox([widgets.HBox([role, mix]), sliders, summary, distribution, changes])
    workshop = Workshop("weights", box, controls)
    ids = kpis.set_index("kpi_id")["role"].astype(str)

    def show_role() -> None:
        chosen = [
            n
            for n in controls
            if n.startswith(WEIGHT_PREFIX) and ids.get(n[len(WEIGHT_PREFIX) :]) in (role.value, "*")
        ]
        total = sum(controls[n].value for n in chosen)
        total_label.value = summary_html(
            pick(
                lang,
                zh=f"该岗位权重合计 {total}(得分按已计分 KPI 的权重归一)",
                en=f"Weights of this role sum to {total} (scores re-normalise over scored KPIs)",
            ),
            css="perfkit-weight-total",
        )
        sliders.children = [controls[n] for n in chosen] + [total_label]

    def refresh() -> None:
        weights = start.copy()
        for kpi_id, j in column.items():
            slider = controls.get(WEIGHT_PREFIX + kpi_id)
            weights[j] = slider.value if slider is not None else weights[j]
        graded = memo(tuple(weights), round(float(mix.value), 4))
        people = staff[["employee_id", "department", "role"]].assign(
            kpi_score=graded["kpi_score"].round(2).to_numpy(),
            score=graded["score"].round(2).to_numpy(),
            grade=graded["grade"].to_numpy(),
            baseline_grade=baseline,
        )
        counts = people["grade"].value_counts().reindex(names, fill_value=0)
        before = people["baseline_grade"].value_counts().reindex(names, fill_value=0)
        n = int(people["grade"].notna().sum())
        guide = grade_counts(n, shares) if shares is not None else np.full(len(names), np.nan)
        dist = pd.DataFrame(
            {
                "grade": names,
                "guideline": guide,
                "baseline": before.to_numpy(),
                "count": counts.to_numpy(),
            }
        )
        moved = people[people["grade"].notna() & (people["grade"] != people["baseline_grade"])]
        workshop.result = {
            "employees": people,
            "distribution": dist,
            "changes": moved.reset_index(drop=True),
        }
        workshop.message = pick(
            lang,
            zh=f"与基线相比,{len(moved)} 人等级变化(共 {n} 人)。",
            en=f"{len(moved)} of {n} people change grade against the baseline.",
        )
        summary.value = summary_html(workshop.message)
        distribution.value = bars_html(
            names,
            {
                pick(lang, zh="指导分布", en="guideline"): list(dist["guideline"]),
                pick(lang, zh="基线", en="baseline"): list(dist["baseline"]),
                pick(lang, zh="当前", en="now"): list(dist["count"]),
            },
            title=pick(lang, zh="等级分布", en="Grade distribution"),
            css="perfkit-distribution",
        )
        changes.value = table_html(
            moved,
            title=pick(lang, zh="等级变化的人员", en="People whose grade changes"),
            css="perfkit-changes",
        )
        show_role()

    return bind(workshop, refresh)
