"""Checks of keys and across tables: duplicate keys, unknown ids, tables that need another."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perfkit.errors import Problem
from perfkit.intake.client import Client
from perfkit.intake.coercion import arrow_text, encode_text
from perfkit.intake.columns import KEYS
from perfkit.intake.problems import MAX_LISTED, RowNumbers, report_rows
from perfkit.language import pick

#: Keys checked for duplicates besides :data:`KEYS`, with the severity of a duplicate.
ROW_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    **{table: (key, "error") for table, key in KEYS.items()},
    "ratings": (("employee_id", "rater_id", "relation", "period", "competency"), "error"),
    "competencies": (("employee_id", "competency", "period"), "warning"),
}


Codes = dict[tuple[str, str], tuple[np.ndarray, pa.Array]]


def column_codes(
    frame: pd.DataFrame, table: str, column: str, codes: Codes | None
) -> tuple[np.ndarray, pa.Array]:
    """Return a column's codes and distinct values, from ``codes`` when loading kept them."""
    if codes is not None and (table, column) in codes:
        return codes[(table, column)]
    return encode_text(arrow_text(frame[column]))


def key_codes(
    frame: pd.DataFrame, columns: list[str], table: str = "", codes: Codes | None = None
) -> np.ndarray:
    """Return one integer per row identifying its values in ``columns`` (-1 when one is missing)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    missing = np.zeros(len(frame), dtype=bool)
    size = 1
    for column in columns:
        column_code, distinct = column_codes(frame, table, column, codes)
        missing |= column_code < 0
        if size * (len(distinct) + 1) >= 2**62:
            combined, uniques = pd.factorize(combined)
            combined, size = combined.astype(np.int64), len(uniques)
        # in place: these arrays have a row per row of the largest tables
        combined *= len(distinct) + 1
        combined += np.maximum(column_code, 0)
        size *= len(distinct) + 1
    combined[missing] = -1
    return combined


def _duplicated(codes: np.ndarray) -> np.ndarray:
    """Return where a code appeared on an earlier row (missing codes, -1, never do)."""
    present = codes[codes >= 0]
    present.sort()
    if not (present[1:] == present[:-1]).any():
        return np.zeros(len(codes), dtype=bool)
    return pd.Series(codes).duplicated(keep="first").to_numpy() & (codes >= 0)


def check_keys(
    client: Client, table: str, problems: list[Problem], codes: Codes | None = None
) -> None:
    """Report rows whose key (``employee_id`` in employees...) appeared on an earlier row."""
    if table not in ROW_KEYS or table not in client.tables:
        return
    frame = client.tables[table]
    keys, severity = ROW_KEYS[table]
    keys = [k for k in keys if k in frame]
    if not keys or frame.empty:
        return
    codes = key_codes(frame, keys, table, codes)
    duplicated = _duplicated(codes)
    if not duplicated.any():
        return
    rows = client.rows.get(table, RowNumbers())
    listed = np.flatnonzero(duplicated)[:MAX_LISTED]
    firsts = pd.Series(np.arange(len(codes))).groupby(codes).first()
    earlier = rows.at(firsts.loc[codes[listed]].to_numpy())
    text = frame[keys].iloc[listed].astype("str").agg(" / ".join, axis=1).to_numpy(dtype=object)
    values = np.empty(len(frame), dtype=object)
    values[listed] = text
    shown = " + ".join(shown_column(client, table, k) for k in keys)
    lang = client.language
    source = client.sources[table]
    before = len(problems)
    report_rows(
        problems,
        source,
        shown,
        values,
        duplicated,
        rows,
        pick(
            lang,
            zh="重复：该键已出现在前面的行。",
            en="is a duplicate: this key appears on an earlier row.",
        ),
        pick(lang, zh="每个键只保留一行。", en="Keep one row per key."),
        severity,
        lang,
    )
    for i, first in enumerate(earlier):
        problem = problems[before + i]
        problems[before + i] = Problem(
            problem.table,
            problem.row,
            problem.column,
            problem.value,
            problem.expected.rstrip("。.")
            + pick(lang, zh=f"（第 {first} 行）。", en=f" (row {first})."),
            problem.fix,
            problem.severity,
        )


def unknown_ids(
    values: pd.Series,
    known: pd.Series,
    value_codes: tuple[np.ndarray, pa.Array] | None = None,
    known_codes: tuple[np.ndarray, pa.Array] | None = None,
) -> np.ndarray:
    """Return where ``values`` holds an id that is not in ``known`` (missing ids are not unknown).

    ``value_codes`` and ``known_codes``, when loading kept them, spare encoding the columns again.
    """
    if values.empty:
        return np.zeros(0, dtype=bool)
    codes, distinct = value_codes if value_codes is not None else encode_text(arrow_text(values))
    value_set = (
        known_codes[1]
        if known_codes is not None
        else pc.unique(arrow_text(known.dropna()).combine_chunks())
    )
    found = pc.is_in(distinct, value_set=value_set).to_numpy(zero_copy_only=False)
    # a last entry, True, for the code -1: a missing id is not unknown
    return ~np.append(found, True)[codes]


def shown_column(client: Client, table: str, column: str) -> str:
    """Return a column as named in messages: the client's header, and the contract's when they differ."""
    header = client.headers.get(table, {}).get(column, column)
    return header if header == column else f"{header} → {column}"


def _column(frame: pd.DataFrame | None, column: str) -> pd.Series | None:
    return frame[column] if frame is not None and column in frame else None


def check_relations(client: Client, codes: Codes | None = None) -> list[Problem]:
    """Return the problems that only show across tables: unknown ids and missing partner tables."""
    problems: list[Problem] = []
    lang = client.language
    t = client.tables
    employees = t.get("employees")
    kpis = t.get("kpis")
    objectives = t.get("objectives")
    staff = _column(employees, "employee_id")
    codes = codes or {}
    add_fix = pick(
        lang, zh="请把它加到 {target}，或删除该行。", en="Add it to {target} or delete the row."
    )
    listed_fix = pick(
        lang,
        zh="真实导出中常见；仅列出，不算错误。",
        en="Common in real exports; listed, not refused.",
    )
    relations = [
        (
            "employees",
            "manager_id",
            staff,
            "employees",
            "warning",
            pick(
                lang,
                zh="常见于只导出部分员工；仅列出，不算错误。",
                en="Often an export of a subset; listed, not refused.",
            ),
        ),
        ("results", "employee_id", staff, "employees", "error", add_fix),
        ("ratings", "employee_id", staff, "employees", "error", add_fix),
        ("competencies", "employee_id", staff, "employees", "error", add_fix),
        (
            "ratings",
            "rater_id",
            staff,
            "employees",
            "warning",
            pick(
                lang,
                zh="来自客户以外的评价人会保留；仅列出，不算错误。",
                en="Raters from outside the client are kept; listed, not refused.",
            ),
        ),
        ("results", "kpi_id", _column(kpis, "kpi_id"), "kpis", "error", add_fix),
        (
            "kpis",
            "objective_id",
            _column(objectives, "objective_id"),
            "objectives",
            "warning",
            listed_fix,
        ),
    ]
    for table, column, known, target, severity, fix in relations:
        frame = t.get(table)
        if frame is None or known is None or column not in frame:
            continue
        # ``known`` is the column ``reference`` of ``target``: its codes are kept under that name
        reference = "employee_id" if target == "employees" else f"{target.rstrip('s')}_id"
        mask = unknown_ids(
            frame[column], known, codes.get((table, column)), codes.get((target, reference))
        )
        report_rows(
            problems,
            client.sources[table],
            shown_column(client, table, column),
            frame[column],
            mask,
            client.rows.get(table, RowNumbers()),
            pick(
                lang,
                zh=f"不是 {target} 表中已有的 {reference}。",
                en=f"is not a known {reference} (none in {target}).",
            ),
            fix.format(target=target),
            severity,
            lang,
        )
    if "results" in t and kpis is None:
        problems.append(
            Problem(
                client.sources["results"],
                None,
                "kpi_id",
                None,
                pick(
                    lang,
                    zh="需要 kpis 表，但它缺失或为空。",
                    en="needs the kpis table, which is missing or empty.",
                ),
                pick(
                    lang,
                    zh="请添加 kpis.csv（kpi_id, name, role, weight）。",
                    en="Add kpis.csv (kpi_id, name, role, weight).",
                ),
            )
        )
    return problems
