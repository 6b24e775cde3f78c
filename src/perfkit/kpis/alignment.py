"""Strategy alignment: objectives × roles weight shares and balanced-scorecard perspectives."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, threshold
from perfkit.kpis.weights import weight_share
from perfkit.language import pick

PERSPECTIVES: tuple[str, ...] = ("financial", "customer", "process", "learning")
PERSPECTIVE_NAMES: dict[str, dict[str, str]] = {
    "financial": {"zh": "财务", "en": "financial"},
    "customer": {"zh": "客户", "en": "customer"},
    "process": {"zh": "内部流程", "en": "internal process"},
    "learning": {"zh": "学习与成长", "en": "learning and growth"},
}
OVERALL = "all"
ALIGNMENT_COLUMNS = ["objective_id", "objective", "role", "n_kpis", "weight", "share"]
PERSPECTIVE_COLUMNS = ["role", "perspective", "weight", "share"]
_UNLINKED = "\x00unlinked"
_SEPARATORS = re.compile(r"[;,，；、|/]")


def link_objectives(cards: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (scorecard row, linked objective), the weight split across its objectives.

    ``kpis.objective_id`` may list several objectives (``O1;O2``); a KPI linked to none keeps
    one row with ``objective_id`` NaN.
    """
    cards = cards.assign(share=weight_share(cards))
    ids = cards["objective_id"] if "objective_id" in cards else pd.Series(np.nan, index=cards.index)
    lists = ids.map(
        lambda v: (
            [p.strip() for p in _SEPARATORS.split(v) if p.strip()] if isinstance(v, str) else []
        )
    )
    lists = lists.map(lambda parts: parts or [np.nan])
    counts = lists.map(len).to_numpy()
    # each row once per objective, as DataFrame.explode would (several times faster by hand)
    linked = cards.take(np.repeat(np.arange(len(cards)), counts)).assign(
        objective_id=np.array([o for parts in lists for o in parts], dtype=object)
    )
    linked["weight"] = linked["weight"] / np.repeat(counts, counts)
    linked["share"] = linked["share"] / np.repeat(counts, counts)
    return linked.reset_index(drop=True)


def _narrow(cards: pd.DataFrame) -> pd.DataFrame:
    """The columns :func:`link_objectives` needs: exploding every text column costs most of its time."""
    return cards[[c for c in ("kpi_id", "role", "weight", "objective_id") if c in cards]]


def assess_alignment(
    cards: pd.DataFrame, objectives: pd.DataFrame | None, lang: str
) -> pd.DataFrame:
    """Return the objectives × roles matrix of weight shares, as a tidy table.

    Parameters
    ----------
    cards : DataFrame
        From :func:`perfkit.kpis.weights.build_scorecards`, with ``objective_id``.
    objectives : DataFrame or None
        The ``objectives`` table: every objective appears, covered or not.
    lang : {"zh", "en"}
        The language of the row for KPIs linked to no objective.

    Returns
    -------
    DataFrame
        objective_id, objective (its name), role, n_kpis, weight, share (of the role's total
        weight). KPIs linked to no objective come as ``objective_id`` NaN.
    """
    linked = link_objectives(_narrow(cards))
    roles = sorted(cards["role"].unique())
    known = list(objectives["objective_id"]) if objectives is not None else []
    found = sorted(o for o in linked["objective_id"].dropna().unique() if o not in set(known))
    ids = known + found
    names = (
        dict(zip(objectives["objective_id"], objectives["name"], strict=True))
        if objectives is not None
        else {}
    )
    linked["objective_id"] = linked["objective_id"].fillna(_UNLINKED)
    by_cell = linked.groupby(["objective_id", "role"])
    grouped = pd.DataFrame(
        {
            "n_kpis": by_cell.size(),
            "weight": by_cell["weight"].sum(),
            "share": by_cell["share"].sum(),
        }
    )
    grid = pd.MultiIndex.from_product([[*ids, _UNLINKED], roles], names=["objective_id", "role"])
    table = grouped.reindex(grid).reset_index()
    unlinked = table["objective_id"] == _UNLINKED
    table = table[~unlinked | table["n_kpis"].notna()].copy()
    table[["n_kpis", "weight", "share"]] = table[["n_kpis", "weight", "share"]].fillna(0.0)
    table["n_kpis"] = table["n_kpis"].astype(int)
    table["objective"] = table["objective_id"].map(lambda o: names.get(o, o))
    unlinked = table["objective_id"] == _UNLINKED
    table.loc[unlinked, "objective"] = pick(lang, zh="(未关联目标)", en="(no objective)")
    table.loc[unlinked, "objective_id"] = np.nan
    return table[ALIGNMENT_COLUMNS].reset_index(drop=True)


def check_objectives(
    kpis: pd.DataFrame, objectives: pd.DataFrame, thresholds: Mapping[str, Any], lang: str
) -> list[Finding]:
    """Return an OBJECTIVE_UNCOVERED warning for each objective whose linked KPI weight is at most ``min_weight``.

    Weights are summed over the ``kpis`` table (a ``*`` KPI once), so an objective linked only
    to zero-weight KPIs is uncovered too.
    """
    floor = threshold(thresholds, "OBJECTIVE_UNCOVERED", "min_weight")
    linked = link_objectives(_narrow(kpis).assign(weight=kpis["weight"].fillna(0.0), role="_"))
    grouped = linked.groupby("objective_id")["weight"]
    sizes, sums = grouped.size(), grouped.sum()
    findings = []
    for objective in objectives.itertuples(index=False):
        n = int(sizes.get(objective.objective_id, 0))
        weight = float(sums.get(objective.objective_id, 0.0))
        if weight > floor:
            continue
        message = pick(
            lang,
            zh=f"战略目标 {objective.objective_id}“{objective.name}”没有任何指标承接"
            f"(关联指标 {n} 项,权重合计 {weight:g}%)。",
            en=f"Strategic objective {objective.objective_id} '{objective.name}' is carried by no KPI "
            f"({n} linked KPIs, total weight {weight:g}%).",
        )
        findings.append(
            Finding(
                "OBJECTIVE_UNCOVERED",
                "warning",
                objective.objective_id,
                message,
                {
                    "objective": objective.name,
                    "n_kpis": n,
                    "weight": weight,
                    "min_weight": floor,
                },
            )
        )
    return findings


def fill_perspectives(cards: pd.DataFrame, objectives: pd.DataFrame | None) -> pd.Series:
    """Return each scorecard row's perspective: its own, else its (first) objective's."""
    own = (
        cards["perspective"]
        if "perspective" in cards
        else pd.Series(np.nan, index=cards.index, dtype=object)
    )
    if objectives is not None and "perspective" in objectives and "objective_id" in cards:
        first = cards["objective_id"].map(
            lambda v: _SEPARATORS.split(v)[0].strip() if isinstance(v, str) else v
        )
        own = own.fillna(
            first.map(
                objectives.drop_duplicates("objective_id").set_index("objective_id")["perspective"]
            )
        )
    return own


def assess_perspectives(cards: pd.DataFrame, perspective: pd.Series) -> pd.DataFrame:
    """Return each role's weight and share per balanced-scorecard perspective, and overall.

    Returns
    -------
    DataFrame
        role (``all`` for the whole company: every role's scorecard pooled), perspective
        (the four, plus ``unassigned`` when some weight has none), weight, share.
    """
    frame = pd.DataFrame(
        {
            "role": cards["role"],
            "weight": cards["weight"],
            "perspective": perspective.fillna("unassigned"),
        }
    )
    frames = [frame, frame.assign(role=OVERALL)]
    pooled = pd.concat(frames, ignore_index=True)
    table = pooled.groupby(["role", "perspective"])["weight"].sum()
    roles = [*sorted(frame["role"].unique()), OVERALL]
    extra = ["unassigned"] if (frame["perspective"] == "unassigned").any() else []
    grid = pd.MultiIndex.from_product(
        [roles, [*PERSPECTIVES, *extra]], names=["role", "perspective"]
    )
    table = table.reindex(grid, fill_value=0.0).reset_index()
    totals = table.groupby("role")["weight"].transform("sum")
    table["share"] = np.where(totals > 0, table["weight"] / totals.where(totals > 0, 1.0), 0.0)
    return table[PERSPECTIVE_COLUMNS]


def check_perspectives(
    perspectives: pd.DataFrame, thresholds: Mapping[str, Any], lang: str
) -> list[Finding]:
    """Return a PERSPECTIVE_MISSING warning for each perspective whose company-wide share is at most ``min_share``."""
    floor = threshold(thresholds, "PERSPECTIVE_MISSING", "min_share")
    overall = perspectives[
        (perspectives["role"] == OVERALL) & perspectives["perspective"].isin(PERSPECTIVES)
    ]
    findings = []
    for row in overall.itertuples(index=False):
        if row.share > floor:
            continue
        name = PERSPECTIVE_NAMES[row.perspective][lang if lang in ("zh", "en") else "en"]
        message = pick(
            lang,
            zh=f"平衡计分卡的“{name}”维度在全公司指标中权重占比为 {row.share:.0%},没有指标承接。",
            en=f"The balanced-scorecard {name} perspective carries {row.share:.0%} of KPI weight "
            f"company-wide: no KPI covers it.",
        )
        findings.append(
            Finding(
                "PERSPECTIVE_MISSING",
                "warning",
                row.perspective,
                message,
                {
                    "share": row.share,
                    "weight": row.weight,
                    "min_share": floor,
                },
            )
        )
    return findings
