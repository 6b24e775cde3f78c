"""Where each employee stands against role peers, KPI by KPI and competency by competency."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from perfkit.intake import Client
from perfkit.plans.development import competency_key, latest_competencies

_KPI_COLUMNS = [
    "employee_id",
    "role",
    "kpi_id",
    "kpi_name",
    "unit",
    "period",
    "actual",
    "target",
    "direction",
    "attainment",
    "peer_attainment",
    "peer_actual",
    "relative",
    "n_peers",
]
_COMPETENCY_COLUMNS = [
    "employee_id",
    "role",
    "competency",
    "key",
    "score",
    "self_score",
    "peer_score",
    "relative",
    "level",
    "required",
    "gap",
]


def _roles(scores: Any) -> pd.DataFrame:
    employees = scores.employees
    role = employees["role"] if "role" in employees else pd.Series("", index=employees.index)
    return pd.DataFrame(
        {"employee_id": employees["employee_id"], "role": role.fillna("").astype(str)}
    )


def kpi_standing(client: Client, scores: Any) -> pd.DataFrame:
    """Each employee's latest attainment per KPI against the median of role peers.

    Returns
    -------
    DataFrame
        employee_id, role, kpi_id, kpi_name, unit, period, actual, target, direction, attainment,
        peer_attainment (median of the role on that KPI), peer_actual, relative (attainment −
        peer_attainment), n_peers. Empty when there is no attainment.
    """
    att = getattr(scores, "attainment", None)
    if att is None or att.empty or "attainment" not in att:
        return pd.DataFrame(columns=_KPI_COLUMNS)
    att = att.dropna(subset=["attainment"])
    latest = att.groupby("employee_id")["period"].transform("max")
    att = att[att["period"] == latest].drop_duplicates(["employee_id", "kpi_id"], keep="last")
    cols = [
        c
        for c in ("employee_id", "kpi_id", "period", "actual", "target", "direction", "attainment")
        if c in att
    ]
    frame = att[cols].merge(_roles(scores), on="employee_id", how="inner")
    groups = frame.groupby(["role", "kpi_id"])
    frame["peer_attainment"] = groups["attainment"].transform("median")
    frame["peer_actual"] = groups["actual"].transform("median") if "actual" in frame else np.nan
    frame["n_peers"] = groups["attainment"].transform("size")
    frame["relative"] = frame["attainment"] - frame["peer_attainment"]
    kpis = client.table("kpis")
    if kpis is not None:
        info = kpis.drop_duplicates("kpi_id").set_index("kpi_id")
        frame["kpi_name"] = frame["kpi_id"].map(info["name"]).fillna(frame["kpi_id"])
        frame["unit"] = frame["kpi_id"].map(info["unit"]) if "unit" in info else np.nan
        if "target" not in frame:
            frame["target"] = frame["kpi_id"].map(info["target"]) if "target" in info else np.nan
    else:
        frame["kpi_name"], frame["unit"] = frame["kpi_id"], np.nan
    return frame.reindex(columns=_KPI_COLUMNS)


def competency_standing(client: Client, scores: Any) -> pd.DataFrame:
    """Each employee's competencies: others' rating against role peers, self rating, level and gap.

    Returns
    -------
    DataFrame
        employee_id, role, competency, key, score (others' rating), self_score, peer_score (mean
        of the role), relative (score − peer_score), level, required, gap (required − level).
        One row per employee and competency found in either ``scores.competencies`` or the
        competencies table.
    """
    rated = getattr(scores, "competencies", None)
    parts = []
    if rated is not None and not rated.empty:
        rated = rated.dropna(subset=["employee_id", "competency"]).copy()
        rated["key"] = competency_key(rated["competency"])
        rated = rated.drop_duplicates(["employee_id", "key"], keep="last")
        cols = [
            c for c in ("employee_id", "competency", "key", "score", "self_score") if c in rated
        ]
        parts.append(rated[cols])
    table = client.table("competencies")
    if table is not None and not table.empty:
        assessed = latest_competencies(table)
        assessed["gap"] = assessed["required"] - assessed["level"]
        parts.append(assessed[["employee_id", "competency", "key", "level", "required", "gap"]])
    if not parts:
        return pd.DataFrame(columns=_COMPETENCY_COLUMNS)
    frame = parts[0]
    if len(parts) == 2:
        frame = frame.merge(
            parts[1], on=["employee_id", "key"], how="outer", suffixes=("", "_table")
        )
        frame["competency"] = frame["competency"].fillna(frame.pop("competency_table"))
    frame = frame.merge(_roles(scores), on="employee_id", how="inner")
    if "score" in frame:
        frame["peer_score"] = frame.groupby(["role", "key"])["score"].transform("mean")
        frame["relative"] = frame["score"] - frame["peer_score"]
    return frame.reindex(columns=_COMPETENCY_COLUMNS)
