"""Redundant KPIs: pairs of one role's KPIs whose results track each other across employees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, threshold
from perfkit.kpis.weights import EVERY_ROLE, locate
from perfkit.language import pick
from perfkit.scoring.keys import factorize_text

REDUNDANCY_COLUMNS = ["role", "kpi_a", "kpi_b", "r", "n"]


def correlate_pairwise(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return Pearson's r and the pair count of every pair of columns, on pairwise-complete rows.

    Vectorised: four matrix products over the (rows × columns) matrix, with NaN for missing.

    Parameters
    ----------
    matrix : ndarray of shape (n_rows, n_columns)

    Returns
    -------
    r : ndarray of shape (n_columns, n_columns)
        NaN where a pair has fewer than 3 complete rows or no variance.
    n : ndarray of shape (n_columns, n_columns)
        The number of rows where both columns are present.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, np.nan], [4.0, 8.0]])
    >>> r, n = correlate_pairwise(x)
    >>> round(float(r[0, 1]), 3), int(n[0, 1])
    (1.0, 3)
    """
    present = np.isfinite(matrix)
    mask = present.astype(float)
    filled = np.where(present, matrix, 0.0)
    counts = mask.sum(axis=0)
    means = np.divide(filled.sum(axis=0), counts, out=np.zeros(matrix.shape[1]), where=counts > 0)
    centred = np.where(present, filled - means, 0.0)
    n = mask.T @ mask
    sums = centred.T @ mask  # sums[i, j]: sum of column i over rows where j is present too
    squares = (centred**2).T @ mask
    products = centred.T @ centred
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = products - sums * sums.T / n
        var_i = squares - sums**2 / n
        r = cov / np.sqrt(var_i * var_i.T)
    r[(n < 3) | ~np.isfinite(r)] = np.nan
    return np.clip(r, -1.0, 1.0), n.astype(int)


def assign_roles(
    results: pd.DataFrame, kpis: pd.DataFrame, employees: pd.DataFrame | None
) -> np.ndarray:
    """Return the role of each result's employee, as an object array (None when unknown).

    From ``employees.role`` when filled; otherwise the role owning most of the employee's
    results (``*`` KPIs aside).
    """
    employee_code, staff = factorize_text(results["employee_id"])
    staff = pd.Index(staff, dtype=object)
    role = pd.Series(None, index=staff, dtype=object)
    if employees is not None and "role" in employees:
        known = employees.dropna(subset=["role"]).drop_duplicates("employee_id")
        role = pd.Series(
            known["role"].to_numpy(dtype=object), index=pd.Index(known["employee_id"], dtype=object)
        )
        role = role.reindex(staff)
    if role.isna().any():
        kpis = kpis.drop_duplicates("kpi_id")
        kpi_role = np.append(kpis["role"].to_numpy(dtype=object), None)[
            locate(results["kpi_id"], kpis["kpi_id"])
        ]
        own = pd.DataFrame({"e": employee_code, "role": kpi_role})
        own = own[own["role"].notna() & (own["role"] != EVERY_ROLE)]
        counts = own.groupby(["e", "role"]).size().reset_index(name="n")
        best = (
            counts.sort_values(["n", "role"], ascending=[False, True])
            .drop_duplicates("e")
            .set_index("e")["role"]
        )
        inferred = pd.Series(
            best.reindex(np.arange(len(staff))).to_numpy(dtype=object), index=staff
        )
        role = role.fillna(inferred)
    return np.append(role.to_numpy(dtype=object), None)[employee_code]


def assess_redundancy(
    cards: pd.DataFrame, results: pd.DataFrame, employees: pd.DataFrame | None
) -> pd.DataFrame:
    """Return the correlation of every pair of KPIs on one role's scorecard.

    Results are pivoted to one row per (employee, period) and one column per KPI, among the
    employees of the role; the ``*`` KPIs shared by every role are correlated once, among all
    employees, with role ``*``.

    Parameters
    ----------
    cards : DataFrame
        From :func:`perfkit.kpis.weights.build_scorecards`.
    results : DataFrame
        employee_id, kpi_id, period, actual.
    employees : DataFrame or None

    Returns
    -------
    DataFrame
        role, kpi_a, kpi_b (``kpi_a < kpi_b``), r, n (the pair count).
    """
    results = results.dropna(subset=["actual", "period"]).reset_index(drop=True)
    if results.empty or cards.empty:
        return pd.DataFrame(columns=REDUNDANCY_COLUMNS)
    role_code, role_names = pd.factorize(assign_roles(results, cards, employees))
    role_names = list(role_names)
    employee_code = factorize_text(results["employee_id"])[0].astype(np.int64)
    period_code, periods = factorize_text(results["period"])
    row_key = employee_code * len(periods) + period_code
    kpi_list = pd.Index(sorted(cards["kpi_id"].unique()))
    kpi_code = locate(results["kpi_id"], kpi_list)
    actual = results["actual"].to_numpy(dtype=float)

    shared = sorted(cards.loc[cards["shared"], "kpi_id"].unique())
    groups: list[tuple[str, list[str], np.ndarray, bool]] = []
    for role, card in cards[~cards["shared"]].groupby("role", sort=True):
        if role not in role_names:
            continue
        own = sorted(card["kpi_id"].unique())
        groups.append((role, own + shared, role_code == role_names.index(role), True))
    if len(shared) > 1:
        groups.append((EVERY_ROLE, shared, np.ones(len(results), dtype=bool), False))

    frames = []
    for role, columns, in_role, skip_shared_pairs in groups:
        lookup = np.full(len(kpi_list) + 1, -1)
        lookup[kpi_list.get_indexer(columns)] = np.arange(len(columns))
        col = lookup[kpi_code]  # kpi_code -1 reads the trailing -1
        rows = in_role & (col >= 0)
        if rows.sum() == 0 or len(columns) < 2:
            continue
        row_code, uniques = pd.factorize(row_key[rows])
        matrix = np.full((len(uniques), len(columns)), np.nan)
        matrix[row_code, col[rows]] = actual[rows]
        r, n = correlate_pairwise(matrix)
        i, j = np.triu_indices(len(columns), k=1)
        if skip_shared_pairs:
            first_shared = len(columns) - len(shared)
            keep = ~((i >= first_shared) & (j >= first_shared))
            i, j = i[keep], j[keep]
        a, b = np.asarray(columns, dtype=object)[i], np.asarray(columns, dtype=object)[j]
        frames.append(
            pd.DataFrame(
                {
                    "role": role,
                    "kpi_a": np.where(a < b, a, b),
                    "kpi_b": np.where(a < b, b, a),
                    "r": r[i, j],
                    "n": n[i, j],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=REDUNDANCY_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["role", "kpi_a", "kpi_b"], kind="stable").reset_index(drop=True)[
        REDUNDANCY_COLUMNS
    ]


def check_redundancy(
    redundancy: pd.DataFrame, thresholds: Mapping[str, Any], lang: str
) -> list[Finding]:
    """Return a KPI_REDUNDANT warning for each pair with ``|r| >= r`` on at least ``min_pairs`` pairs.

    The subject is the two KPI ids, sorted and joined by ``,``.
    """
    limit = threshold(thresholds, "KPI_REDUNDANT", "r")
    min_pairs = threshold(thresholds, "KPI_REDUNDANT", "min_pairs")
    flagged = redundancy[(redundancy["r"].abs() >= limit) & (redundancy["n"] >= min_pairs)]
    findings = []
    for row in flagged.itertuples(index=False):
        message = pick(
            lang,
            zh=f"岗位“{row.role}”的指标 {row.kpi_a} 与 {row.kpi_b} 在 {int(row.n)} 个员工-周期上高度相关"
            f"(r={row.r:.2f}),实为重复考核,建议合并或删除其一。",
            en=f"KPIs {row.kpi_a} and {row.kpi_b} of role '{row.role}' move together across {int(row.n)} "
            f"employee-periods (r={row.r:.2f}), so they measure the same thing; merge them or drop one.",
        )
        findings.append(
            Finding(
                "KPI_REDUNDANT",
                "warning",
                f"{row.kpi_a},{row.kpi_b}",
                message,
                {
                    "role": row.role,
                    "kpi_a": row.kpi_a,
                    "kpi_b": row.kpi_b,
                    "r": row.r,
                    "n": int(row.n),
                    "threshold": limit,
                },
            )
        )
    return findings
