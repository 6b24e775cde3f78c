"""Workshop 2: guideline shares per grade and a department view → who moves in calibration."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from perfkit.errors import PerfkitError
from perfkit.language import pick
from perfkit.scoring import assign_grades, grade_changes, grade_counts, score_performance
from perfkit.workshop.state import (
    Memo,
    Workshop,
    bars_html,
    bind,
    department_options,
    summary_html,
    table_html,
)

#: Control names: ``department`` and ``share:<grade>`` (one slider per grade, 0..1).
SHARE_PREFIX = "share:"


def calibration_workshop(client, scores=None) -> Workshop:
    """Build the calibration workshop.

    Controls: ``share:<grade>`` (the guideline share of each grade; the shares are divided by
    their sum, so they need not add up to 1 while being moved) and ``department`` (dropdown,
    ``""`` for all). Grades and calibrated grades come from
    :func:`perfkit.scoring.assign_grades` on ``score`` and ``calibrated_score``; who moves from
    :func:`perfkit.scoring.grade_changes`. A department change only filters.

    Parameters
    ----------
    client : perfkit.intake.Client
        Its ``grades`` must use shares (a forced distribution).
    scores : PerformanceScores, optional

    Returns
    -------
    Workshop
        ``result``: ``employees`` (of the department), ``changes`` (who moves: grade →
        calibrated_grade), ``distribution`` (grade, share, guideline, count, calibrated_count).

    Raises
    ------
    PerfkitError
        When the engagement grades by minimum score instead of shares.
    """
    lang, settings = client.language, client.settings
    if any(g.share is None for g in settings.grades):
        raise PerfkitError(
            pick(
                lang,
                zh="校准研讨需要按比例分布的等级(grades 中每级给出 share)。",
                en="The calibration workshop needs grades with guideline shares "
                "(a 'share' for every grade).",
            )
        )
    scores = scores if scores is not None else score_performance(client)
    names = settings.grade_names
    staff = scores.employees.reset_index(drop=True)
    by_score = staff[["employee_id", "kpi_score", "score"]]
    by_calibrated = staff[["employee_id", "kpi_score"]].assign(score=staff["calibrated_score"])

    def regrade(raw: tuple[float, ...]) -> pd.DataFrame:
        shares = np.asarray(raw) / sum(raw)
        grades = [{"grade": g, "share": float(s)} for g, s in zip(names, shares, strict=True)]
        return staff.assign(
            grade=assign_grades(by_score, grades).to_numpy(),
            calibrated_grade=assign_grades(by_calibrated, grades).to_numpy(),
        )

    memo = Memo(regrade)
    controls: dict[str, widgets.Widget] = {}
    for grade in settings.grades:
        slider = widgets.FloatSlider(
            value=float(grade.share),
            min=0.0,
            max=1.0,
            step=0.01,
            continuous_update=False,
            description=grade.grade,
            readout_format=".2f",
        )
        slider.add_class("perfkit-share")
        controls[SHARE_PREFIX + grade.grade] = slider
    controls["department"] = widgets.Dropdown(
        options=department_options(staff["department"], lang),
        value="",
        description=pick(lang, zh="部门", en="Department"),
    )
    summary, distribution, changes = widgets.HTML(), widgets.HTML(), widgets.HTML()
    box = widgets.VBox(
        [
            widgets.HBox([controls[SHARE_PREFIX + g] for g in names[:3]]),
            widgets.HBox(
                [controls[SHARE_PREFIX + g] for g in names[3:]] + [controls["department"]]
            ),
            summary,
            distribution,
            changes,
        ]
    )
    workshop = Workshop("calibration", box, controls)

    def refresh() -> None:
        raw = np.array([controls[SHARE_PREFIX + g].value for g in names], dtype="float64")
        if raw.sum() <= 0:
            workshop.message = pick(
                lang,
                zh="至少一个等级的比例需大于 0。",
                en="At least one grade needs a share above 0.",
            )
            summary.value = summary_html(workshop.message)
            return
        graded = memo(tuple(float(v) for v in raw))
        shares = raw / raw.sum()
        department = controls["department"].value
        people = graded[graded["department"] == department] if department else graded
        moved = grade_changes(people)
        n = int(people["grade"].notna().sum())
        dist = pd.DataFrame(
            {
                "grade": names,
                "share": shares.round(4),
                "guideline": grade_counts(n, shares),
                "count": people["grade"].value_counts().reindex(names, fill_value=0).to_numpy(),
                "calibrated_count": people["calibrated_grade"]
                .value_counts()
                .reindex(names, fill_value=0)
                .to_numpy(),
            }
        )
        workshop.result = {
            "employees": people.reset_index(drop=True),
            "changes": moved,
            "distribution": dist,
        }
        workshop.message = pick(
            lang,
            zh=f"校准后 {len(moved)} 人等级变化(共 {n} 人)。",
            en=f"{len(moved)} of {n} people change grade in calibration.",
        )
        summary.value = summary_html(workshop.message)
        distribution.value = bars_html(
            names,
            {
                pick(lang, zh="指导分布", en="guideline"): list(dist["guideline"]),
                pick(lang, zh="校准前", en="before"): list(dist["count"]),
                pick(lang, zh="校准后", en="calibrated"): list(dist["calibrated_count"]),
            },
            title=pick(lang, zh="等级分布与指导分布", en="Distribution vs guideline"),
            css="perfkit-distribution",
        )
        changes.value = table_html(
            moved,
            title=pick(lang, zh="校准中等级变化的人员", en="Who moves in calibration"),
            css="perfkit-changes",
        )

    return bind(workshop, refresh)
