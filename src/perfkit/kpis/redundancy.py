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
    everyone = np.ones(len(results), dtype=bool)
    roles = _roles_of_staff(results, everyone, employee_code, staff, kpis, employees)
    return np.append(roles, None)[employee_code]


def _roles_of_staff(
    results: pd.DataFrame,
    rows: np.ndarray,
    employee_code: np.ndarray,
    staff: pd.Index,
    kpis: pd.DataFrame,
    employees: pd.DataFrame | None,
) -> np.ndarray:
    """The role of each of ``staff`` (object array), inferred from the results ``rows`` when unknown."""
    role = np.full(len(staff), np.nan, dtype=object)
    if employees is not None and "role" in employees:
        # on the codes of both columns, which the other analyses factorize too
        person, people = factorize_text(employees["employee_id"])
        role_code, names = factorize_text(employees["role"])
        listed = np.flatnonzero((role_code >= 0) & (person >= 0))
        # an employee listed twice keeps their first role
        listed_people, first = np.unique(person[listed], return_index=True)
        role_of = np.full(len(people) + 1, -1)  # by employee; the last, -1, for staff not listed
        role_of[listed_people] = role_code[listed[first]]
        code = role_of[people.get_indexer(staff)]
        role = np.append(np.asarray(names, dtype=object), np.nan)[code]
    unknown = pd.isna(role)
    if unknown.any():
        kpis = kpis.drop_duplicates("kpi_id")
        kpi_role = np.append(kpis["role"].to_numpy(dtype=object), None)[
            locate(results["kpi_id"], kpis["kpi_id"])[rows]
        ]
        own = pd.DataFrame({"e": employee_code[rows], "role": kpi_role})
        own = own[own["role"].notna() & (own["role"] != EVERY_ROLE)]
        counts = own.groupby(["e", "role"]).size().reset_index(name="n")
        best = (
            counts.sort_values(["n", "role"], ascending=[False, True])
            .drop_duplicates("e")
            .set_index("e")["role"]
        )
        inferred = best.reindex(np.arange(len(staff))).to_numpy(dtype=object)
        role = np.where(unknown, inferred, role)
    return role


def _codes_by_appearance(keys: np.ndarray) -> tuple[np.ndarray, int]:
    """Return the codes of ``pd.factorize(keys)`` (order of first appearance) and how many keys.

    Results come grouped by employee and period, so equal keys come in runs: only the first
    key of each run is hashed.
    """
    heads = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    codes, uniques = pd.factorize(keys[heads])
    return np.repeat(codes, np.diff(np.r_[heads, len(keys)])), len(uniques)


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
    valid = (results["actual"].notna() & results["period"].notna()).to_numpy()
    if not valid.any() or cards.empty:
        return pd.DataFrame(columns=REDUNDANCY_COLUMNS)
    # codes of the whole table (factorized once per client, shared with the other analyses)
    employee_code, staff = factorize_text(results["employee_id"])
    staff_role, role_names = pd.factorize(
        _roles_of_staff(results, valid, employee_code, staff, cards, employees)
    )
    role_names = list(role_names)
    role_code = np.append(staff_role + 1, 0)[employee_code]  # 0: no role (employee_code -1 too)
    period_code, periods = factorize_text(results["period"])
    row_key = employee_code * len(periods) + period_code
    kpi_list = pd.Index(sorted(cards["kpi_id"].unique()))
    kpi_code = locate(results["kpi_id"], kpi_list)
    actual = results["actual"].to_numpy(dtype=float)

    shared = sorted(cards.loc[cards["shared"], "kpi_id"].unique())
    position = {kpi_id: i for i, kpi_id in enumerate(kpi_list)}
    scorecards = _list_scorecards(cards, shared, role_names)
    groups = _group_results(scorecards, role_names, position, role_code, kpi_code, valid)
    if len(shared) > 1:
        lookup = np.full(len(kpi_list) + 1, -1)
        lookup[[position[kpi_id] for kpi_id in shared]] = np.arange(len(shared))
        column = lookup[kpi_code]  # kpi_code -1 reads the trailing -1
        everyone = np.flatnonzero(valid & (column >= 0))
        groups.append((EVERY_ROLE, shared, everyone, column[everyone], None))

    pairs = []  # per scorecard: role, kpi_a, kpi_b, r, n of its pairs
    for role, columns, rows, column, first_shared in groups:
        if len(rows) == 0 or len(columns) < 2:
            continue
        row_code, n_rows = _codes_by_appearance(row_key[rows])
        matrix = np.full((n_rows, len(columns)), np.nan)
        matrix[row_code, column] = actual[rows]
        r, n = correlate_pairwise(matrix)
        i, j = np.triu_indices(len(columns), k=1)
        if first_shared is not None:  # on a role's card, shared KPIs pair with its own only
            keep = ~((i >= first_shared) & (j >= first_shared))
            i, j = i[keep], j[keep]
        a, b = np.asarray(columns, dtype=object)[i], np.asarray(columns, dtype=object)[j]
        role_of = np.full(len(i), role, dtype=object)
        pairs.append((role_of, np.where(a < b, a, b), np.where(a < b, b, a), r[i, j], n[i, j]))
    if not pairs:
        return pd.DataFrame(columns=REDUNDANCY_COLUMNS)
    columns = map(np.concatenate, zip(*pairs, strict=True))
    table = dict(zip(REDUNDANCY_COLUMNS, columns, strict=True))
    order = np.lexsort((table["kpi_b"], table["kpi_a"], table["role"]))  # each pair comes once
    return pd.DataFrame({name: values[order] for name, values in table.items()})


def _list_scorecards(
    cards: pd.DataFrame, shared: list[str], role_names: list
) -> list[tuple[str, list[str], int]]:
    """Each role's scorecard: its own KPIs then the shared ones, and how many are its own.

    Only roles some results belong to (``role_names``) are listed.
    """
    own: dict[str, set[str]] = {}  # plain Python: a scorecard table has a few hundred rows
    for role, kpi_id, star in zip(cards["role"], cards["kpi_id"], cards["shared"], strict=True):
        if not star and not pd.isna(role):
            own.setdefault(role, set()).add(kpi_id)
    return [
        (role, sorted(own[role]) + shared, len(own[role]))
        for role in sorted(own)
        if role in role_names
    ]


def _group_results(
    scorecards: list[tuple[str, list[str], int]],
    role_names: list,
    position: dict[str, int],
    role_code: np.ndarray,
    kpi_code: np.ndarray,
    valid: np.ndarray,
) -> list[tuple[str, list[str], np.ndarray, np.ndarray, int | None]]:
    """Per scorecard: role, columns, its results (rows in table order), their columns, first shared.

    A table of role codes (row 0: none) × KPIs (last: unknown) gives each result its column on
    its employee's scorecard (-1: not on it); one stable (radix) sort by role then gives every
    role's rows, rather than a mask over the whole table per role.
    """
    codes = [role_names.index(role) + 1 for role, _, _ in scorecards]
    on_card = np.full((len(role_names) + 1, len(position) + 1), -1)
    for code, (_, columns, _) in zip(codes, scorecards, strict=True):
        on_card[code, [position[kpi_id] for kpi_id in columns]] = np.arange(len(columns))
    column = on_card[role_code, kpi_code]
    on = np.where(valid & (column >= 0), role_code, 0).astype(np.min_scalar_type(len(role_names)))
    by_role = np.argsort(on, kind="stable")
    ends = np.cumsum(np.bincount(on, minlength=len(role_names) + 1))
    groups = []
    for code, (role, columns, n_own) in zip(codes, scorecards, strict=True):
        rows = by_role[ends[code - 1] : ends[code]]
        groups.append((role, columns, rows, column[rows], n_own))
    return groups


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
