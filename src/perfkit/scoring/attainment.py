"""KPI attainment per employee, KPI and period, and the weighted KPI score built from it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perfkit.scoring.keys import group_codes, positions, unique_rows

#: Why a result row has no attainment (the ``status`` column of :func:`compute_attainment`).
STATUSES: tuple[str, ...] = ("scored", "no_actual", "no_target", "unknown_kpi")

ATTAINMENT_COLUMNS: list[str] = [
    "employee_id",
    "kpi_id",
    "period",
    "actual",
    "target",
    "direction",
    "weight",
    "threshold",
    "stretch",
    "attainment",
    "status",
    "on_role",
]


def _column(frame: pd.DataFrame, name: str, default: object = np.nan) -> pd.Series:
    return frame[name] if name in frame else pd.Series(default, index=frame.index)


def _check_bounds(floor: float, cap: float) -> None:
    if not (np.isfinite(floor) and np.isfinite(cap)) or cap <= floor:
        raise ValueError(
            f"attainment bounds must satisfy floor < cap; got floor={floor}, cap={cap}."
        )


def attain(
    actual, target, direction_sign, threshold, stretch, *, floor: float, cap: float
) -> np.ndarray:
    """Return the attainment of actuals against targets, element-wise (the formula of docs/scoring.md).

    Parameters
    ----------
    actual, target : array-like of float
        A missing value, or a target of 0, gives NaN (unscored).
    direction_sign : array-like of {+1, -1}
        +1 for higher-is-better KPIs, -1 for lower-is-better.
    threshold, stretch : array-like of float
        NaN when the KPI has none. A threshold on the better side of the target, or a stretch on
        the worse side, is ignored.
    floor, cap : float
        The final clip.

    Returns
    -------
    ndarray of float
        ``1 + s (actual - target) / |target|``; 0 when worse than the threshold; linear from 1
        at the target to ``cap`` at the stretch; then clipped to ``floor..cap``.

    Examples
    --------
    >>> attain([110, 88], [100, 80], [1, -1], [np.nan, np.nan], [np.nan, np.nan], floor=0, cap=1.2)
    array([1.1, 0.9])
    """
    _check_bounds(floor, cap)
    a = np.asarray(actual, dtype="float64")
    t = np.asarray(target, dtype="float64")
    s = np.asarray(direction_sign, dtype="float64")
    thr = np.asarray(threshold, dtype="float64")
    stre = np.asarray(stretch, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = a - t
        raw = np.asarray(s * gap)  # changed in place below: fewer full-size temporaries
        raw /= np.abs(t)
        raw += 1.0
        raw[np.isfinite(thr) & (s * (thr - t) <= 0) & (s * (a - thr) < 0)] = 0.0
        past = np.isfinite(stre) & (s * (stre - t) > 0) & (s * gap > 0)
        raw = np.where(past, 1.0 + (cap - 1.0) * gap / (stre - t), raw)
    raw[~(np.isfinite(a) & np.isfinite(t) & (t != 0))] = np.nan
    return np.clip(raw, floor, cap, out=raw)[()]


def compute_attainment(
    results: pd.DataFrame,
    kpis: pd.DataFrame,
    *,
    floor: float = 0.0,
    cap: float = 1.2,
    employees: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the attainment of every result row.

    Parameters
    ----------
    results : DataFrame
        employee_id, kpi_id, period, actual.
    kpis : DataFrame
        kpi_id, role, weight; optional target, direction (``higher``/``lower``), threshold, stretch.
    floor, cap : float, keyword-only
        ``settings.attainment``: attainment is clipped to ``floor..cap``.
    employees : DataFrame, optional
        employee_id, role: when given, ``on_role`` tells whether the KPI belongs to the
        employee's role (``kpis.role`` equal to ``employees.role``, or ``*``). Results off the
        role are still scored.

    Returns
    -------
    DataFrame
        One row per result: employee_id, kpi_id, period, actual, target, direction, weight,
        threshold, stretch, attainment (NaN when unscored), status (one of :data:`STATUSES`),
        on_role (boolean; NA when ``employees`` is not given, or for an employee not in it).
    """
    _check_bounds(floor, cap)
    for name, frame, cols in (
        ("results", results, ("employee_id", "kpi_id", "period", "actual")),
        ("kpis", kpis, ("kpi_id",)),
    ):
        missing = [c for c in cols if c not in frame]
        if missing:
            raise ValueError(
                f"The {name} table needs column(s) {missing}; it has {list(frame.columns)}."
            )
    spec = kpis.drop_duplicates("kpi_id")
    pos = positions(results["kpi_id"], pd.Index(spec["kpi_id"].astype("str")))
    known = pos >= 0

    def take(column: str) -> np.ndarray:  # an unknown KPI (pos -1) takes the appended NaN
        values = pd.to_numeric(_column(spec, column), errors="coerce").to_numpy(dtype="float64")
        return np.append(values, np.nan)[pos]

    lower = (_column(spec, "direction", "higher") == "lower").to_numpy(dtype=bool)
    is_lower = np.append(lower, False)[pos]
    out = results[["employee_id", "kpi_id", "period"]].reset_index(drop=True)
    out["actual"] = pd.to_numeric(results["actual"], errors="coerce").to_numpy(dtype="float64")
    for column in ("target", "weight", "threshold", "stretch"):
        out[column] = take(column)
    out["direction"] = pd.Categorical.from_codes(
        np.where(known, is_lower.astype("int8"), -1), categories=["higher", "lower"]
    )
    out["attainment"] = attain(
        out["actual"],
        out["target"],
        np.where(is_lower, -1.0, 1.0),
        out["threshold"],
        out["stretch"],
        floor=floor,
        cap=cap,
    )
    target = out["target"].to_numpy()
    status = np.zeros(len(out), dtype="int8")  # each reason overrides the ones before it
    status[np.isnan(out["actual"].to_numpy())] = 1
    status[~np.isfinite(target) | (target == 0)] = 2
    status[~known] = 3
    out["status"] = pd.Categorical.from_codes(status, categories=list(STATUSES))
    if employees is not None and "role" in employees:
        out["on_role"] = _on_role(results, spec, pos, employees)
    else:
        out["on_role"] = pd.array([pd.NA] * len(out), dtype="boolean")
    return out[ATTAINMENT_COLUMNS]


def _on_role(
    results: pd.DataFrame, spec: pd.DataFrame, pos: np.ndarray, employees: pd.DataFrame
) -> np.ndarray:
    """Whether each result's KPI belongs to its employee's role (or to ``*``); NA for unknown employees."""
    staff = employees[unique_rows(employees["employee_id"])]
    vocab = pd.Index(
        pd.concat([staff["role"], _column(spec, "role")]).dropna().astype("str").unique()
    )
    n_roles, n_kpis = len(vocab), len(spec)
    # role n_roles: no role, or not in the employees table (only "*" KPIs are theirs)
    emp_role = np.where(staff["role"].notna().to_numpy(), positions(staff["role"], vocab), n_roles)
    epos = positions(results["employee_id"], pd.Index(staff["employee_id"].astype("str")))
    row_role = np.append(emp_role, n_roles)[epos]
    # whether each KPI (and n_kpis: an unknown KPI) belongs to each role, looked up per row
    kpi_roles = _column(spec, "role")
    kpi_role = np.where(kpi_roles.notna().to_numpy(), positions(kpi_roles, vocab), -1)
    table = np.zeros((n_roles + 1, n_kpis + 1), dtype=bool)
    table[:, :n_kpis] = (kpi_roles == "*").to_numpy(dtype=bool)
    theirs = np.flatnonzero(kpi_role >= 0)
    table[kpi_role[theirs], theirs] = True
    values = table.ravel()[row_role * (n_kpis + 1) + np.where(pos >= 0, pos, n_kpis)]
    return pd.arrays.BooleanArray(values, epos < 0)


def expected_kpis(employees: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """Return the KPIs each employee is measured on: their role's KPIs and the ``*`` KPIs.

    Only KPIs with a weight above 0 and a usable target count (the others cannot be scored).

    Returns
    -------
    DataFrame
        employee_id, kpi_id.
    """
    target = pd.to_numeric(_column(kpis, "target"), errors="coerce")
    weight = pd.to_numeric(_column(kpis, "weight"), errors="coerce")
    usable = kpis[(weight > 0) & target.notna() & (target != 0)]
    roles = employees[["employee_id"] + (["role"] if "role" in employees else [])].drop_duplicates(
        "employee_id"
    )
    by_role = pd.DataFrame(columns=["employee_id", "kpi_id"])
    if "role" in roles and "role" in usable:
        by_role = roles.dropna(subset=["role"]).merge(usable[["kpi_id", "role"]], on="role")[
            ["employee_id", "kpi_id"]
        ]
    every = usable.loc[_column(usable, "role") == "*", ["kpi_id"]]
    for_all = roles[["employee_id"]].merge(every, how="cross")
    return pd.concat([by_role, for_all], ignore_index=True).drop_duplicates()


def _expected_per_employee(
    employees: pd.DataFrame, kpis: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Per employee: how many usable KPIs they should have, and their total weight."""
    target = pd.to_numeric(_column(kpis, "target"), errors="coerce")
    weight = pd.to_numeric(_column(kpis, "weight"), errors="coerce")
    usable = kpis.loc[(weight > 0) & target.notna() & (target != 0)].drop_duplicates("kpi_id")
    usable = usable.assign(weight=pd.to_numeric(usable["weight"], errors="coerce"))
    roles = _column(usable, "role")
    star = usable[roles == "*"]
    per_role = usable[roles != "*"].groupby("role")["weight"].agg(["size", "sum"])
    staff = employees[unique_rows(employees["employee_id"])]
    index = pd.Index(staff["employee_id"].astype("str"))
    role = _column(staff, "role")
    at = (
        per_role.index.get_indexer(role.astype("str")) if len(per_role) else np.full(len(staff), -1)
    )
    at = np.where(role.notna().to_numpy(), at, -1)
    n_role = (
        np.where(at >= 0, per_role["size"].to_numpy()[np.maximum(at, 0)], 0) if len(per_role) else 0
    )
    w_role = (
        np.where(at >= 0, per_role["sum"].to_numpy()[np.maximum(at, 0)], 0.0)
        if len(per_role)
        else 0.0
    )
    n = pd.Series(n_role + len(star), index=index, dtype="float64")
    w = pd.Series(w_role + float(star["weight"].sum()), index=index, dtype="float64")
    return n, w


def score_kpis(
    attainment: pd.DataFrame,
    kpis: pd.DataFrame | None = None,
    *,
    employees: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the KPI score per employee and period: ``100 * Σ w·attainment / Σ w``.

    The sums run over the KPIs that were scored for that employee and period, so weights are
    re-normalised when results are missing. Missing or negative weights count as 0; when every
    scored KPI of an employee and period weighs 0, their plain mean is used.

    Parameters
    ----------
    attainment : DataFrame
        The output of :func:`compute_attainment`.
    kpis : DataFrame, optional
        With ``employees``, gives the KPIs each employee should have been scored on, to report
        partial coverage.
    employees : DataFrame, optional
        employee_id, role.

    Returns
    -------
    DataFrame
        employee_id, period, kpi_score, n_kpis (scored), n_expected (NaN without ``employees``
        and ``kpis``), weight_share (the share of the expected weight that was scored),
        partial (an expected KPI has no scored result).
    """
    scored = attainment[attainment["attainment"].notna()]
    cols = ["employee_id", "period", "kpi_score", "n_kpis", "n_expected", "weight_share", "partial"]
    if scored.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype(
            {"employee_id": "str", "period": "str", "partial": "bool"}
        )
    w = scored["weight"].fillna(0).clip(lower=0).to_numpy()
    a = scored["attainment"].to_numpy()
    keys = ["employee_id", "period"]
    codes, first, valid = group_codes(scored, keys, sort=True)  # groups in the order of the keys
    if not valid.all():
        w, a, codes = w[valid], a[valid], codes[valid]
    n = len(first)
    sum_w = np.bincount(codes, weights=w, minlength=n)
    sum_wa = np.bincount(codes, weights=w * a, minlength=n)
    count = np.bincount(codes, minlength=n)
    sum_a = np.bincount(codes, weights=a, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(sum_w > 0, sum_wa / sum_w, sum_a / count) * 100.0
    out = scored[["employee_id", "period"]].iloc[first].reset_index(drop=True)
    out["kpi_score"] = score
    out["n_kpis"] = count.astype("int64")
    out["n_expected"] = np.nan
    out["weight_share"] = np.nan
    out["partial"] = False
    if kpis is not None and employees is not None and "weight" in kpis:
        given = "on_role" in scored and not scored["on_role"].isna().all()
        on_role = scored["on_role"].to_numpy(dtype=bool, na_value=False) if given else None
        if on_role is None:
            spec = kpis.drop_duplicates("kpi_id")
            pos = positions(scored["kpi_id"], pd.Index(spec["kpi_id"].astype("str")))
            on_role = (
                _on_role(scored, spec, pos, employees)
                if "role" in employees
                else (
                    (_column(spec, "role") == "*").to_numpy(dtype=bool)[np.maximum(pos, 0)]
                    & (pos >= 0)
                )
            )
        hit = (
            np.asarray(on_role, dtype=bool)
            if not hasattr(on_role, "to_numpy")
            else on_role.to_numpy(dtype=bool, na_value=False)
        )
        hit = (hit if valid.all() else hit[valid]) & (w > 0)
        n_hit = np.bincount(codes, weights=hit, minlength=n)
        w_hit = np.bincount(codes, weights=w * hit, minlength=n)
        n_exp, w_exp = _expected_per_employee(employees, kpis)
        epos = positions(scored["employee_id"], n_exp.index)[first]  # text hashed once
        n_expected = (
            np.where(epos >= 0, n_exp.to_numpy()[np.maximum(epos, 0)], 0.0)
            if len(n_exp)
            else np.zeros(n)
        )
        w_expected = (
            np.where(epos >= 0, w_exp.to_numpy()[np.maximum(epos, 0)], 0.0)
            if len(w_exp)
            else np.zeros(n)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            out["weight_share"] = np.where(w_expected > 0, w_hit / w_expected, np.nan)
        out["n_expected"] = n_expected.astype("float64")
        out["partial"] = n_expected > n_hit
    if any(isinstance(scored[k].dtype, pd.CategoricalDtype) for k in keys):
        return out[cols].sort_values(keys, ignore_index=True)  # by category, not text
    return out[cols]


def score_kpi_cells(rows, kpis, attainment, weights, *, n_rows: int) -> np.ndarray:
    """Return the KPI score per row from scored cells (row, KPI, attainment) under given weights.

    The formula of :func:`score_kpis` for one period, on the scored cells of an employee × KPI
    matrix held sparse (the workshops re-score 10k employees per slider move with it):
    ``100 · Σ w·a / Σ w`` over the row's cells, the plain mean where those weights sum to 0,
    NaN for a row without cells.

    Parameters
    ----------
    rows, kpis : ndarray of int
        Row (employee) and column (KPI) index of each scored cell.
    attainment : ndarray of float
        Each cell's attainment (finite).
    weights : ndarray of float
        Weight per KPI column; missing or negative weights count as 0.
    n_rows : int, keyword-only

    Returns
    -------
    ndarray of shape (n_rows,)

    Examples
    --------
    >>> score_kpi_cells(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1.1, 0.9, 1.0]),
    ...                 np.array([60.0, 40.0]), n_rows=2).round(1).tolist()
    [102.0, 100.0]
    """
    w = np.clip(np.nan_to_num(np.asarray(weights, dtype="float64"), nan=0.0), 0.0, None)[kpis]
    a = np.asarray(attainment, dtype="float64")
    sum_w = np.bincount(rows, weights=w, minlength=n_rows)
    sum_wa = np.bincount(rows, weights=w * a, minlength=n_rows)
    count = np.bincount(rows, minlength=n_rows)
    sum_a = np.bincount(rows, weights=a, minlength=n_rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(sum_w > 0, sum_wa / sum_w, sum_a / count) * 100.0
    return np.where(count > 0, score, np.nan)


def score_kpi_matrix(attainment: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return the KPI score of each row of a dense employee × KPI attainment matrix (NaN = unscored).

    The same as :func:`score_kpi_cells` on the matrix's finite cells.

    Examples
    --------
    >>> score_kpi_matrix(np.array([[1.1, 0.9], [np.nan, 1.0]]), np.array([60.0, 40.0])).round(1).tolist()
    [102.0, 100.0]
    """
    a = np.asarray(attainment, dtype="float64")
    rows, kpis = np.nonzero(np.isfinite(a))
    return score_kpi_cells(rows, kpis, a[rows, kpis], weights, n_rows=a.shape[0])
