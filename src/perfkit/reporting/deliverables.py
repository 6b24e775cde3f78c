"""The machine-readable deliverables beside the report: findings, scores, the plan workbook, feedback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on use: the report's kernel imports this module but writes nothing
    import pandas as pd

    from perfkit.reporting.content import Report

#: The sheets of ``plan.xlsx`` and their contract columns.
PLAN_SHEETS: dict[str, tuple[str, ...]] = {
    "improvement": ("employee_id", "focus", "goal", "actions", "checkpoint"),
    "development": ("employee_id", "competency", "gap", "course_id", "format"),
    "rewards": (
        "employee_id",
        "grade",
        "merit_increase_pct",
        "bonus_amount",
        "promotion_candidate",
    ),
}


#: What :func:`write_deliverables` writes: ``findings.json``, ``scores.csv``, ``plan.xlsx``, ``feedback/``.
PARTS: tuple[str, ...] = ("findings", "scores", "plan", "feedback")


def write_deliverables(
    report: Report, folder: str | Path | None, parts: tuple[str, ...] = PARTS
) -> dict[str, Path]:
    """Write ``findings.json``, ``scores.csv``, ``plan.xlsx`` and ``feedback/`` into ``folder``.

    Parameters
    ----------
    report : Report
    folder : str, Path or None
        The (temporary) output folder; None writes nothing, for a notebook run by hand.
    parts : tuple of str, default :data:`PARTS`
        Which of them to write (``perfkit report`` writes them in two processes).

    Returns
    -------
    dict of str to Path
        What was written, by name.
    """
    if folder is None:
        return {}
    from perfkit.findings import write_findings
    from perfkit.reporting.feedback import write_feedback_sheets
    from perfkit.reporting.scores import score_table, write_scores

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if "findings" in parts:
        written["findings"] = write_findings(report.findings, folder / "findings.json")
    if "scores" in parts:
        assignments = getattr(report.patterns, "assignments", None)
        table = score_table(report.client.employees, report.employee_scores, assignments)
        written["scores"] = write_scores(table, folder / "scores.csv")
    if "plan" in parts:
        written["plan"] = write_plan(report, folder / "plan.xlsx")
    if "feedback" in parts:
        write_feedback_sheets(report, folder / "feedback")
        written["feedback"] = folder / "feedback"
    return written


def write_plan(report: Report, path: Path) -> Path:
    """Write ``plan.xlsx`` with :func:`perfkit.plans.write_plan_workbook`, or the contract's empty frame.

    When the plans engine failed, the workbook still has the three sheets and their columns,
    with each employee's grade in ``rewards``, so that downstream scripts find what they expect.
    """
    import pandas as pd

    from perfkit.plans import write_plan_workbook
    from perfkit.reporting.content import run_engine

    extras = report.extras
    run_engine(
        report,
        "plans",
        write_plan_workbook,
        path,
        extras.get("improvement"),
        extras.get("development"),
        extras.get("rewards"),
        extras.get("schemes"),
        lang=report.lang,
    )
    if path.exists():
        return path
    scores = report.employee_scores
    sheets = {name: pd.DataFrame(columns=list(columns)) for name, columns in PLAN_SHEETS.items()}
    if scores is not None and not scores.empty:
        grade = scores["calibrated_grade"] if "calibrated_grade" in scores else scores["grade"]
        sheets["rewards"] = pd.DataFrame(
            {"employee_id": scores["employee_id"], "grade": grade}
        ).reindex(columns=list(PLAN_SHEETS["rewards"]))
    return write_workbook(sheets, path)


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write DataFrames as sheets of an ``.xlsx``, every text cell stored as text (never a formula)."""
    import pandas as pd
    from openpyxl import Workbook

    from perfkit.reporting.scores import neutralize_formulas

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([str(c) for c in frame.columns])
        for row in neutralize_formulas(frame).itertuples(index=False):
            sheet.append([None if pd.isna(v) else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    book.save(path)
    return path
