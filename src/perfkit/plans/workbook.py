"""``plan.xlsx``: the action workbook of improvement, development and reward plans."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from perfkit.language import pick
from perfkit.plans.development import DEVELOPMENT_COLUMNS
from perfkit.plans.improvement import IMPROVEMENT_COLUMNS
from perfkit.plans.sheetrows import RowEncoder, splice_rows

REWARD_COLUMNS = (
    "employee_id",
    "grade",
    "merit_increase_pct",
    "bonus_amount",
    "promotion_candidate",
)
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
#: Encoded rows a sheet keeps in memory before they spill to a temporary file.
_ROWS_IN_MEMORY = 64 * 2**20
#: Number formats by column name.
_FORMATS = {
    "merit_increase_pct": '0.00"%"',
    "bonus_amount": "#,##0",
    "base_salary": "#,##0",
    "merit_amount": "#,##0.00",
    "target_bonus": "#,##0.00",
    "cost": "#,##0",
    "budget": "#,##0",
    "face_value_cost": "#,##0",
    "cost_share": "0.0%",
    "reward_rate": "0.0%",
    "compa_ratio": "0.000",
    "impact_ratio": "0.00",
    "pay_for_performance": "0.00",
    "differentiation": "0.00",
    "min_impact_ratio": "0.00",
    "hours": "0.0",
}
_EXPLAIN: dict[str, tuple[str, str]] = {
    "employee_id": ("员工编号", "Employee id"),
    "focus": ("改进重点(KPI 或能力)", "Focus area (a KPI or a competency)"),
    "goal": ("SMART 目标:目标值、衡量方式、完成日期", "SMART goal: target value, measure, date"),
    "actions": (
        "行动(来自行动库:培训、辅导、岗位调整、资源)",
        "Actions from the library: training, coaching, job adjustment, resources",
    ),
    "checkpoint": ("30/60/90 天检查点", "30/60/90-day checkpoints"),
    "owner": ("负责人(直属经理编号)", "Owner: the manager's employee id"),
    "competency": ("能力项", "Competency"),
    "gap": ("差距 = 要求等级 − 当前等级", "Gap = required level − level"),
    "course_id": ("培训目录中该能力的课程", "A course of the training catalog for that competency"),
    "format": ("学习形式", "Format"),
    "priority": ("员工内的优先级(1 为最先)", "Priority within the employee (1 first)"),
    "grade": ("绩效等级", "Grade"),
    "merit_increase_pct": ("调薪比例(%)", "Merit increase, % of base salary"),
    "bonus_amount": ("奖金金额(货币单位)", "Bonus, in currency units"),
    "promotion_candidate": ("是否晋升候选人", "Promotion candidate"),
}


def _styled(ws: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def _rows_file() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_ROWS_IN_MEMORY)


def _frame_of(obj: Any, attr: str = "table") -> pd.DataFrame | None:
    if obj is None:
        return None
    return obj if isinstance(obj, pd.DataFrame) else getattr(obj, attr, None)


def _write_sheet(
    wb: Workbook,
    title: str,
    frame: pd.DataFrame,
    lead: tuple[str, ...] = (),
    after: list[list[Any]] | None = None,
) -> tuple[Any, IO[bytes]]:
    """Write a frame as a formatted sheet: contract columns first, styled header, filters, widths.

    openpyxl writes the sheet's settings and header; the rows below it are encoded by
    :class:`~perfkit.plans.sheetrows.RowEncoder` into the returned file, for
    :func:`~perfkit.plans.sheetrows.splice_rows` once the workbook is saved. ``after`` rows
    follow the table (notes below it).
    """
    ws = wb.create_sheet(title)
    columns = [*lead, *[c for c in frame.columns if c not in lead]]
    frame = frame.reindex(columns=columns)
    styles: dict[int, dict[str, Any]] = {}
    for i, name in enumerate(columns):
        letter = get_column_letter(i + 1)
        longest = max((len(str(v)) for v in frame[name].head(200).tolist()), default=0)
        width = max(len(str(name)), longest)
        ws.column_dimensions[letter].width = min(max(10, width * 1.2 + 2), 60)
        style = {}
        if name in _FORMATS:
            style["number_format"] = _FORMATS[name]
        if width > 40:
            style["alignment"] = Alignment(wrap_text=True, vertical="top")
        if style:
            styles[i] = style
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    header = Alignment(vertical="center", wrap_text=True)
    ws.append(
        [
            _styled(ws, value=str(c), fill=_HEADER_FILL, font=_HEADER_FONT, alignment=header)
            for c in columns
        ]
    )
    encoder, rows = RowEncoder(ws), _rows_file()
    rows.writelines(encoder.encode(frame, 2, styles))
    if after:
        rows.writelines(encoder.encode_lists(after, len(frame) + 2))
    return ws, rows


def write_plan_workbook(
    path: str | Path,
    improvement: Any,
    development: Any,
    rewards: Any,
    schemes: Any = None,
    lang: str = "zh",
) -> Path:
    """Write ``plan.xlsx`` atomically (a temporary file in the same folder, then a rename).

    Sheets: ``improvement`` (employee_id, focus, goal, actions, checkpoint, ...),
    ``development`` (employee_id, competency, gap, course_id, format, ...), ``rewards``
    (employee_id, grade, merit_increase_pct, bonus_amount, promotion_candidate, ...), with the
    contract's columns first and in order and their exact names; then ``growth`` (growth
    paths of high performers), ``schemes`` (the scheme comparison, its recommendation and its
    fairness check) and ``说明`` / ``readme`` (what each column means, in ``lang``). A sheet whose
    input is missing keeps its header. Text that begins with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return is stored as text with a quote prefix, so Excel never runs it as a formula.

    Parameters
    ----------
    path : str or Path
    improvement : DataFrame
        From :func:`~perfkit.plans.plan_improvements`.
    development : DevelopmentPlan or DataFrame
        From :func:`~perfkit.plans.plan_development`.
    rewards : RewardPlan or DataFrame or None
        From :func:`~perfkit.rewards.plan_rewards`.
    schemes : SchemeComparison or None
        From :func:`~perfkit.rewards.compare_schemes`.
    lang : {"zh", "en"}

    Returns
    -------
    Path
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    empty = pd.DataFrame()
    sheets = [
        _write_sheet(
            wb,
            "improvement",
            _frame_of(improvement) if improvement is not None else empty,
            IMPROVEMENT_COLUMNS,
        ),
        _write_sheet(
            wb,
            "development",
            _frame_of(development) if development is not None else empty,
            DEVELOPMENT_COLUMNS,
        ),
        _write_sheet(
            wb, "rewards", _frame_of(rewards) if rewards is not None else empty, REWARD_COLUMNS
        ),
    ]
    growth = (
        _frame_of(development, "growth")
        if development is not None and not isinstance(development, pd.DataFrame)
        else None
    )
    if growth is not None:
        sheets.append(_write_sheet(wb, "growth", growth))
    notes = []
    if schemes is not None and len(schemes.table):
        recommendation = [
            [],
            [pick(lang, zh="推荐方案", en="Recommended scheme"), schemes.recommended],
            [pick(lang, zh="理由", en="Reasons"), schemes.reasons],
        ]
        sheets.append(_write_sheet(wb, "schemes", schemes.table, after=recommendation))
        sheets.append(_write_sheet(wb, "fairness", schemes.impact))
    for source in (rewards, development, schemes):
        notes += [f.message for f in getattr(source, "notes", []) or []]
    sheets.append(_write_readme(wb, lang, notes))
    _save(wb, sheets, path)
    return path


def _write_readme(wb: Workbook, lang: str, notes: list[str]) -> tuple[Any, IO[bytes]]:
    """The ``说明`` / ``readme`` sheet: what each column means, then the plans' notes."""
    readme = wb.create_sheet(pick(lang, zh="说明", en="readme"))
    readme.column_dimensions["A"].width, readme.column_dimensions["B"].width = 24, 90
    readme.append(
        [
            _styled(readme, value=pick(lang, zh=zh, en=en), fill=_HEADER_FILL, font=_HEADER_FONT)
            for zh, en in (("列", "Column"), ("含义", "Meaning"))
        ]
    )
    rows = [[name, pick(lang, zh=zh, en=en)] for name, (zh, en) in _EXPLAIN.items()]
    rows += [[pick(lang, zh="说明", en="Note"), note] for note in notes]
    body = _rows_file()
    body.writelines(RowEncoder(readme).encode_lists(rows, 2))
    return readme, body


def _save(wb: Workbook, sheets: list[tuple[Any, IO[bytes]]], path: Path) -> None:
    """Save the workbook with its rows, atomically: temporary files beside ``path``, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = []
    try:
        for suffix in (".headers.tmp", ".xlsx.tmp"):
            fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix, dir=path.parent)
            os.close(fd)
            temporary.append(Path(name))
        headers, complete = temporary
        wb.save(headers)  # sheet parts are named (xl/worksheets/sheetN.xml) when saved
        splice_rows(headers, complete, {ws.path[1:]: rows for ws, rows in sheets})
        os.chmod(complete, 0o644)
        os.replace(complete, path)
    finally:
        for name in temporary:
            name.unlink(missing_ok=True)
        for _, rows in sheets:
            rows.close()
