"""The contract's tables as pandera schemas: required cells, choices and ranges, checked lazily."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from perfkit.errors import Problem
from perfkit.intake.columns import TABLE_COLUMNS
from perfkit.intake.problems import RowNumbers, report_rows
from perfkit.language import pick
from perfkit.settings import EngagementSettings

#: Bounds of number columns (min, max; None = open), besides ratings, which follow ``scale``.
RANGES: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("employees", "base_salary"): (0, None),
    ("employees", "salary_midpoint"): (0, None),
    ("employees", "bonus_target_pct"): (0, None),
    ("employees", "potential"): (1, 3),
    ("kpis", "weight"): (0, None),
    ("objectives", "weight"): (0, None),
    ("competencies", "level"): (0, None),
    ("competencies", "required"): (0, None),
    ("training_catalog", "hours"): (0, None),
    ("training_catalog", "cost"): (0, None),
}


@dataclass(frozen=True)
class CheckMessage:
    """What a failed check of a schema means to the client."""

    expected: str
    fix: str
    severity: str = "error"


def _bounds(
    table: str, name: str, kind: str, settings: EngagementSettings
) -> tuple[float | None, float | None]:
    if kind == "rating":
        return settings.scale.min, settings.scale.max
    return RANGES.get((table, name), (None, None))


def table_schema(table: str, settings: EngagementSettings):  # noqa: ANN201 (pandera is imported lazily)
    """Return the pandera ``DataFrameSchema`` of a contract table, and what each check means.

    Columns are those of :data:`~perfkit.intake.columns.TABLE_COLUMNS`; required columns may not
    hold empty cells, choices must be among their values, numbers within their ranges (ratings
    within ``settings.scale``). Types are not coerced here: :mod:`perfkit.intake.coercion` does
    that, announcing every cell it cannot convert. Unique keys are checked by
    :func:`perfkit.intake.crosschecks.check_keys`, which also names the earlier row.

    Returns
    -------
    schema : pandera.DataFrameSchema
    messages : dict of (column, check_number) to CheckMessage
        ``check_number`` -1 stands for the not-nullable check.
    """
    import pandera.pandas as pa

    lang = settings.language
    columns = {}
    messages: dict[tuple[str, int], CheckMessage] = {}
    for name, column in TABLE_COLUMNS[table].items():
        checks = []
        if column.kind == "choice":
            checks.append(pa.Check.isin(list(column.choices)))
            messages[(name, len(checks) - 1)] = CheckMessage(
                pick(
                    lang,
                    zh=f"不在可选值 {', '.join(column.choices)} 之中。",
                    en=f"is not one of {', '.join(column.choices)}.",
                ),
                pick(
                    lang,
                    zh=f"请改用其中之一，或在 engagement.yaml 的 'values: {{{table}: {{{name}: ...}}}}' 中映射客户自己的值。",
                    en=f"Use one of those, or map the client's values under 'values: {{{table}: {{{name}: ...}}}}' in engagement.yaml.",
                ),
            )
        low, high = _bounds(table, name, column.kind, settings)
        if low is not None or high is not None:
            if low is not None and high is not None:
                checks.append(pa.Check.in_range(low, high))
                expected = (
                    pick(
                        lang,
                        zh=f"超出评分量表 {low:g}..{high:g}。",
                        en=f"is off the rating scale {low:g}..{high:g}.",
                    )
                    if column.kind == "rating"
                    else pick(
                        lang,
                        zh=f"不在 {low:g}..{high:g} 之间。",
                        en=f"is not between {low:g} and {high:g}.",
                    )
                )
                fix = (
                    pick(
                        lang,
                        zh="请修改该值，或在 engagement.yaml 中设置 'scale'。",
                        en="Fix the value or set 'scale' in engagement.yaml.",
                    )
                    if column.kind == "rating"
                    else pick(lang, zh="请修改该值。", en="Fix the value.")
                )
            else:
                checks.append(pa.Check.ge(low))
                expected = pick(
                    lang,
                    zh=f"为负数；应不小于 {low:g}。",
                    en=f"is negative; it must be at least {low:g}.",
                )
                fix = (
                    pick(
                        lang,
                        zh="权重是 0 到 100 的百分比。",
                        en="Weights are percentages from 0 to 100.",
                    )
                    if name == "weight"
                    else pick(lang, zh="请修改该值。", en="Fix the value.")
                )
            messages[(name, len(checks) - 1)] = CheckMessage(expected, fix)
        if column.required:
            messages[(name, -1)] = CheckMessage(
                pick(lang, zh="为空；该列必须填写。", en="is empty; a value is required."),
                pick(lang, zh="请填写，或删除该行。", en="Fill it in or delete the row."),
            )
        dtype = "float64" if column.kind in ("number", "rating") else None
        columns[name] = pa.Column(
            dtype, checks=checks, nullable=not column.required, required=False
        )
    return pa.DataFrameSchema(columns, name=table), messages


def check_table(
    table: str,
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    source: str,
    rows: RowNumbers,
    shown: dict[str, str],
    settings: EngagementSettings,
    problems: list[Problem],
) -> None:
    """Validate a coerced table against its schema, lazily: every failing cell is reported.

    Parameters
    ----------
    frame : DataFrame
        The table in the contract's types.
    raw : DataFrame
        The same table as the client wrote it, for the values shown in messages. A cell that
        was not empty in ``raw`` but could not be converted was reported already, and is not
        reported again as empty.
    shown : dict of str to str
        The client's name of each contract column, for the messages.
    """
    if _holds(table, frame, settings):
        return
    import pandera.pandas as pa

    schema, messages = table_schema(table, settings)
    try:
        schema.validate(frame, lazy=True, inplace=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    cases = cases[cases["column"].isin(list(TABLE_COLUMNS[table]))]
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        number = -1 if check == "not_nullable" else group["check_number"].iloc[0]
        message = messages.get((column, int(number) if pd.notna(number) else -2))
        index = pd.to_numeric(group["index"], errors="coerce").dropna().astype(np.int64).to_numpy()
        if message is None or not len(index):
            continue
        mask = np.zeros(len(frame), dtype=bool)
        mask[index] = True
        values = raw[column] if column in raw.columns else frame[column]
        if check == "not_nullable":
            mask &= _blank(values)
        report_rows(
            problems,
            source,
            shown.get(column, column),
            values,
            mask,
            rows,
            message.expected,
            message.fix,
            message.severity,
            settings.language,
        )


def _holds(table: str, frame: pd.DataFrame, settings: EngagementSettings) -> bool:
    """Return whether every check of :func:`table_schema` holds, without pandera.

    Most tables are clean: the checks are computed here directly on the coerced columns, and
    pandera, slower to import and to run, only comes in to report the cells of a table that
    fails. Like pandera's checks, these ignore missing cells (except the required ones').
    """
    for name, column in TABLE_COLUMNS[table].items():
        if name not in frame:
            continue
        values = frame[name]
        missing = values.isna().to_numpy()
        if column.required and missing.any():
            return False
        if column.kind == "choice" and not (values.isin(column.choices).to_numpy() | missing).all():
            return False
        low, high = _bounds(table, name, column.kind, settings)
        if column.kind not in ("number", "rating") and low is None and high is None:
            continue
        if values.dtype != np.float64:
            return False
        numbers = values.to_numpy()  # missing cells are NaN, which compares False
        if (low is not None and (numbers < low).any()) or (
            high is not None and (numbers > high).any()
        ):
            return False
    return True


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype("str")
    return (text.isna() | (text.str.strip() == "")).to_numpy(dtype=bool, na_value=True)
