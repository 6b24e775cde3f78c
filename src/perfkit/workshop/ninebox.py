"""Workshop 4: the 9-box explorer, filtered by department."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from perfkit.language import pick
from perfkit.patterns import nine_box
from perfkit.scoring import score_performance
from perfkit.workshop.state import Workshop, bind, department_options, summary_html, table_html

#: Control names: ``department`` and ``box`` (0 for every box, or a box_id 1..9 to list its members).
CONTROLS = ("department", "box")


def _grid_html(boxes: pd.DataFrame, lang: str) -> str:
    """The 3 × 3 grid, potential high → low as rows, performance low → high as columns (escaped)."""
    cells = boxes.set_index(["potential", "performance"])
    rows = []
    for potential in (3, 2, 1):
        tds = "".join(
            f'<td style="border:1px solid #999;padding:6px;min-width:110px">'
            f"{html.escape(str(cells.loc[(potential, p), 'name']))}<br>"
            f"<b>{int(cells.loc[(potential, p), 'count'])}</b></td>"
            for p in (1, 2, 3)
        )
        rows.append(f"<tr><th>{potential}</th>{tds}</tr>")
    head = "".join(f"<th>{p}</th>" for p in (1, 2, 3))
    caption = pick(
        lang,
        zh="行:潜力(高→低);列:绩效(低→高)",
        en="rows: potential (high → low); columns: performance (low → high)",
    )
    return (
        f'<div class="perfkit-grid"><table><caption>{html.escape(caption)}</caption>'
        f"<tr><th></th>{head}</tr>{''.join(rows)}</table></div>"
    )


def ninebox_workshop(client, scores=None, *, features=None) -> Workshop:
    """Build the 9-box explorer.

    The 9-box is placed once by :func:`perfkit.patterns.nine_box` over the whole client
    (performance thirds are company-wide); the ``department`` dropdown (``""`` for all) filters
    its members, and ``box`` picks the box whose members are listed.

    Parameters
    ----------
    client : perfkit.intake.Client
    scores : PerformanceScores, optional
    features : FeatureSet, optional
        Passed to :func:`~perfkit.patterns.nine_box` (reused for the potential proxy).

    Returns
    -------
    Workshop
        ``result``: ``boxes`` (box_id, performance, potential, name, count, share, members, of
        the department), ``grid`` (counts, potential × performance) and ``members`` (the
        assignments of the department, or of the chosen box).
    """
    lang = client.language
    scores = scores if scores is not None else score_performance(client)
    placed = nine_box(client, scores, features=features)
    staff = scores.employees[["employee_id", "department"]].drop_duplicates("employee_id")
    assignments = placed.assignments.merge(
        staff.astype({"employee_id": "str"}), on="employee_id", how="left"
    )
    box_names = placed.boxes.set_index("box_id")["name"]
    controls: dict[str, widgets.Widget] = {
        "department": widgets.Dropdown(
            options=department_options(staff["department"], lang),
            value="",
            description=pick(lang, zh="部门", en="Department"),
        ),
        "box": widgets.Dropdown(
            options=[(pick(lang, zh="全部", en="All boxes"), 0)]
            + [(f"{i} {box_names[i]}", int(i)) for i in box_names.index],
            value=0,
            description=pick(lang, zh="格子", en="Box"),
        ),
    }
    summary, grid, members = widgets.HTML(), widgets.HTML(), widgets.HTML()
    box = widgets.VBox(
        [widgets.HBox([controls["department"], controls["box"]]), summary, grid, members]
    )
    workshop = Workshop("ninebox", box, controls)

    def refresh() -> None:
        department, chosen = controls["department"].value, controls["box"].value
        people = assignments[assignments["department"] == department] if department else assignments
        inside = set(people["employee_id"])
        kept = [[m for m in found if m in inside] for found in placed.boxes["members"]]
        boxes = placed.boxes.assign(members=kept, count=[len(m) for m in kept])
        boxes["share"] = (boxes["count"] / max(len(people), 1)).round(4)
        counts = boxes.pivot(index="potential", columns="performance", values="count").reindex(
            index=[3, 2, 1], columns=[1, 2, 3], fill_value=0
        )
        listed = people[people["box_id"] == chosen] if chosen else people
        workshop.result = {"boxes": boxes, "grid": counts, "members": listed.reset_index(drop=True)}
        star = int(boxes.loc[boxes["box_id"] == 1, "count"].iloc[0])
        workshop.message = pick(
            lang,
            zh=f"{len(people)} 人,其中明星 {star} 人。",
            en=f"{len(people)} people, {star} of them stars.",
        )
        summary.value = summary_html(workshop.message)
        grid.value = _grid_html(boxes, lang)
        members.value = table_html(
            listed[["employee_id", "department", "score", "performance", "potential", "box"]],
            title=pick(lang, zh="人员", en="Members"),
            css="perfkit-members",
        )

    return bind(workshop, refresh)
