"""The 9-box: performance tertiles × potential, with counts and members of every box."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from perfkit.language import pick
from perfkit.patterns.features import FeatureSet, build_features

#: Box names by (performance, potential), each 1 (low) .. 3 (high): (zh, en).
BOXES: dict[tuple[int, int], tuple[str, str]] = {
    (3, 3): ("明星", "Star"),
    (2, 3): ("高潜力", "High potential"),
    (1, 3): ("璞玉", "Rough diamond"),
    (3, 2): ("高绩效者", "High performer"),
    (2, 2): ("核心骨干", "Core player"),
    (1, 2): ("表现不稳", "Inconsistent player"),
    (3, 1): ("可靠专家", "Trusted professional"),
    (2, 1): ("稳定贡献者", "Effective contributor"),
    (1, 1): ("待改进", "Underperformer"),
}


@dataclass
class NineBox:
    """Employees placed on the 9-box grid.

    Attributes
    ----------
    assignments : DataFrame
        One row per employee: employee_id, score, performance (1..3), potential (1..3), box_id
        (1..9, the Star box first), box (name in the engagement's language).
    boxes : DataFrame
        One row per box (all nine, empty ones too): box_id, performance, potential, name, name_zh,
        name_en, count, share, members (list of employee_id).
    grid : DataFrame
        Counts, potential high→low as rows and performance low→high as columns.
    potential_source : {"employees.potential", "proxy"}
    notes : list of str
    """

    assignments: pd.DataFrame
    boxes: pd.DataFrame
    grid: pd.DataFrame
    potential_source: str
    notes: list[str] = field(default_factory=list)


def nine_box(
    client, scores, *, features: FeatureSet | None = None, min_known: float = 0.8
) -> NineBox:
    """Place every scored employee on the 9-box.

    Performance is the tertile of the score (ties broken by order, so the three thirds are equal).
    Potential is ``employees.potential`` (1..3, rounded and clipped) when the client gives it for
    at least ``min_known`` of the employees (others get 2, noted); otherwise a proxy, said so in
    the notes: the tertile of the sum of the standardised score trend and the standardised
    competency score (whichever of the two the data give).

    Parameters
    ----------
    client : perfkit.intake.Client
    scores : perfkit.scoring.PerformanceScores
    features : FeatureSet, optional
        Reused for the proxy when given (``PatternResult.features``); built otherwise.
    min_known : float, default=0.8

    Returns
    -------
    NineBox
    """
    lang = client.language
    scored = scores.employees[scores.employees["score"].notna()][["employee_id", "score"]].copy()
    scored["employee_id"] = scored["employee_id"].astype(str)
    scored["performance"] = _tertile(scored["score"])
    notes: list[str] = []
    given = _given_potential(client.employees, scored["employee_id"])
    if given is not None and given.notna().mean() >= min_known:
        source = "employees.potential"
        missing = int(given.isna().sum())
        if missing:
            notes.append(
                pick(
                    lang,
                    zh=f"{missing} 名员工缺少潜力评估,按中等潜力(2)放置。",
                    en=f"{missing} employees have no potential rating and were placed at medium potential (2).",
                )
            )
        scored["potential"] = given.fillna(2).round().clip(1, 3).astype(int).to_numpy()
    else:
        source = "proxy"
        proxy, used = _proxy(client, scores, features, scored["employee_id"])
        scored["potential"] = _tertile(proxy)
        notes.append(
            pick(
                lang,
                zh=f"客户未提供潜力评估(employees.potential),潜力按代理指标估计:{used},取三分位。",
                en=f"The client gives no potential rating (employees.potential); potential is a proxy: "
                f"{used}, in thirds.",
            )
        )
    scored["box_id"] = _box_id(scored["performance"].to_numpy(), scored["potential"].to_numpy())
    names = np.empty(len(BOXES) + 1, dtype=object)  # by box_id
    for (performance, potential), (zh, en) in BOXES.items():
        names[_box_id(performance, potential)] = pick(lang, zh=zh, en=en)
    scored["box"] = names[scored["box_id"].to_numpy()]
    assignments = scored.reset_index(drop=True)
    return NineBox(assignments, _boxes(assignments, lang), _grid(assignments), source, notes)


def _tertile(values: pd.Series) -> np.ndarray:
    ranks = values.rank(method="first").to_numpy()
    return np.minimum(3, 1 + np.floor(3 * (ranks - 1) / max(len(values), 1)).astype(int))


def _given_potential(employees: pd.DataFrame, ids: pd.Series) -> pd.Series | None:
    if "potential" not in employees or employees["potential"].isna().all():
        return None
    potential = pd.to_numeric(employees["potential"], errors="coerce")
    return pd.Series(potential.to_numpy(), index=employees["employee_id"].astype(str)).reindex(ids)


def _proxy(client, scores, features: FeatureSet | None, ids: pd.Series) -> tuple[pd.Series, str]:
    features = features or build_features(client, scores)
    z = features.standardised.reindex(ids.to_numpy())
    parts = [c for c in ("trend",) if c in z]
    used = [pick(client.language, zh="得分趋势", en="score trend")] if parts else []
    total = z[parts].sum(axis=1) if parts else pd.Series(0.0, index=z.index)
    competency = scores.employees.set_index(scores.employees["employee_id"].astype(str))
    if "competency_score" in competency and competency["competency_score"].notna().mean() >= 0.5:
        values = competency["competency_score"].reindex(ids.to_numpy())
        values = values.fillna(values.median())
        scale = values.std() or 1.0
        total = total + (values - values.median()) / scale
        used.append(pick(client.language, zh="能力评价得分", en="competency score"))
    if not used:
        total = z["level"]
        used.append(pick(client.language, zh="当前得分", en="current score"))
    return total.fillna(0.0), pick(client.language, zh=" + ".join(used), en=" + ".join(used))


def _box_id(performance: int | np.ndarray, potential: int | np.ndarray) -> int | np.ndarray:
    """The box of a performance and a potential (1..3 each, or arrays of them): 1..9, Star first."""
    return (3 - potential) * 3 + (4 - performance)


def _boxes(assignments: pd.DataFrame, lang: str) -> pd.DataFrame:
    box_ids = assignments["box_id"].to_numpy()
    rows = []
    for (performance, potential), (zh, en) in BOXES.items():
        box_id = _box_id(performance, potential)
        found = assignments["employee_id"][box_ids == box_id].tolist()
        rows.append(
            {
                "box_id": box_id,
                "performance": performance,
                "potential": potential,
                "name": pick(lang, zh=zh, en=en),
                "name_zh": zh,
                "name_en": en,
                "count": len(found),
                "share": round(len(found) / max(len(assignments), 1), 4),
                "members": list(found),
            }
        )
    return pd.DataFrame(rows).sort_values("box_id").reset_index(drop=True)


def _grid(assignments: pd.DataFrame) -> pd.DataFrame:
    grid = pd.crosstab(assignments["potential"], assignments["performance"])
    grid = grid.reindex(index=[3, 2, 1], columns=[1, 2, 3], fill_value=0)
    grid.index.name, grid.columns.name = "potential", "performance"
    return grid
