"""Each role's scorecard: its KPIs (own plus the ``*`` KPIs every role shares), weight sum and count."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, threshold
from perfkit.language import pick
from perfkit.scoring.keys import factorize_text

EVERY_ROLE = "*"
WEIGHT_COLUMNS = ["role", "n_kpis", "n_shared", "weight_sum", "n_zero_weight"]


def list_roles(kpis: pd.DataFrame) -> list[str]:
    """Return the roles that have a scorecard: every ``kpis.role`` but ``*``, sorted.

    When every KPI is a ``*`` KPI, the one scorecard is ``*`` itself.
    """
    roles = sorted(r for r in kpis["role"].dropna().unique() if r != EVERY_ROLE)
    if not roles and (kpis["role"] == EVERY_ROLE).any():
        roles = [EVERY_ROLE]
    return roles


def build_scorecards(kpis: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (role, KPI) of each role's scorecard.

    A ``*`` KPI belongs to every role's scorecard, so it is repeated once per role, with
    ``shared=True``. Missing weights count as 0.

    Returns
    -------
    DataFrame
        The KPI columns, with ``role`` the scorecard's role, plus ``shared`` (bool).
    """
    roles = list_roles(kpis)
    own = kpis[kpis["role"] != EVERY_ROLE].assign(shared=False)
    star = kpis[kpis["role"] == EVERY_ROLE]
    if roles == [EVERY_ROLE]:
        own = star.assign(shared=True)
        star = star.iloc[0:0]
    if len(star):  # the * KPIs once per role, role after role
        repeated = star.take(np.tile(np.arange(len(star)), len(roles)))
        shared = repeated.assign(role=np.repeat(roles, len(star)), shared=True)
        cards = pd.concat([own, shared], ignore_index=True)
    else:
        cards = own.reset_index(drop=True)
    cards["weight"] = cards["weight"].fillna(0.0).astype(float)
    return cards.sort_values(["role", "kpi_id"], kind="stable").reset_index(drop=True)


def summarise_weights(cards: pd.DataFrame) -> pd.DataFrame:
    """Return each role's number of KPIs and weight sum (``*`` KPIs included).

    Parameters
    ----------
    cards : DataFrame
        From :func:`build_scorecards`.

    Returns
    -------
    DataFrame
        role, n_kpis, n_shared, weight_sum, n_zero_weight
    """
    if cards.empty:
        return pd.DataFrame(columns=WEIGHT_COLUMNS)
    # one plain aggregation per column: named aggregation with a lambda is several times slower
    grouped = cards.assign(zero=cards["weight"] == 0).groupby("role", sort=True)
    table = pd.DataFrame(
        {
            "n_kpis": grouped.size(),
            "n_shared": grouped["shared"].sum(),
            "weight_sum": grouped["weight"].sum().round(6),
            "n_zero_weight": grouped["zero"].sum(),
        }
    ).reset_index()
    return table[WEIGHT_COLUMNS]


def check_weights(weights: pd.DataFrame, thresholds: Mapping[str, Any], lang: str) -> list[Finding]:
    """Return KPI_WEIGHTS_NOT_100 and KPI_COUNT_OUT_OF_RANGE findings, one per role.

    Weights off 100 by more than ``tolerance`` are critical (the scorecard cannot be scored as
    designed); a count out of ``min_kpis..max_kpis`` is a warning.
    """
    tolerance = threshold(thresholds, "KPI_WEIGHTS_NOT_100", "tolerance")
    low = threshold(thresholds, "KPI_COUNT_OUT_OF_RANGE", "min_kpis")
    high = threshold(thresholds, "KPI_COUNT_OUT_OF_RANGE", "max_kpis")
    findings: list[Finding] = []
    for row in weights.itertuples(index=False):
        total = float(row.weight_sum)
        if abs(total - 100.0) > tolerance:
            message = pick(
                lang,
                zh=f"岗位“{row.role}”的 {row.n_kpis} 项指标权重合计为 {total:g}%,而不是 100%。",
                en=f"The {row.n_kpis} KPI weights of role '{row.role}' sum to {total:g}%, not 100%.",
            )
            findings.append(
                Finding(
                    "KPI_WEIGHTS_NOT_100",
                    "critical",
                    row.role,
                    message,
                    {
                        "weight_sum": total,
                        "n_kpis": int(row.n_kpis),
                        "n_shared": int(row.n_shared),
                        "gap": round(100.0 - total, 6),
                        "tolerance": tolerance,
                    },
                )
            )
        n = int(row.n_kpis)
        if n < low or n > high:
            message = pick(
                lang,
                zh=f"岗位“{row.role}”有 {n} 项指标(含全员指标 {int(row.n_shared)} 项),"
                f"超出建议的 {low:g}–{high:g} 项。",
                en=f"Role '{row.role}' has {n} KPIs ({int(row.n_shared)} shared by every role), "
                f"outside the advised {low:g}–{high:g}.",
            )
            findings.append(
                Finding(
                    "KPI_COUNT_OUT_OF_RANGE",
                    "warning",
                    row.role,
                    message,
                    {
                        "n_kpis": n,
                        "n_shared": int(row.n_shared),
                        "min_kpis": low,
                        "max_kpis": high,
                    },
                )
            )
    return findings


def weight_share(cards: pd.DataFrame) -> pd.Series:
    """Return each scorecard row's share of its role's total weight (0 when the total is 0)."""
    totals = cards.groupby("role")["weight"].transform("sum").to_numpy(dtype=float)
    weights = cards["weight"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, weights / totals, 0.0)
    return pd.Series(share, index=cards.index, name="share")


def locate(values: pd.Series, categories: pd.Index | list[str]) -> np.ndarray:
    """Return the position of each value in ``categories`` (-1 when absent), fast on millions of rows.

    Factorises the values first, so that only their distinct values are looked up.
    """
    codes, uniques = factorize_text(values)
    found = pd.Index(categories).get_indexer(pd.Index(uniques, dtype=object))
    return np.append(found, -1)[codes]  # code -1 (missing) reads the trailing -1
