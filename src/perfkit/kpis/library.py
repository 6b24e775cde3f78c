"""The KPI library per role: a 0–100 quality score and the concrete fixes, most urgent first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perfkit.findings import Finding
from perfkit.kpis.alignment import OVERALL
from perfkit.language import pick

#: Points each kind of problem can cost a role's scorecard (they sum to 100).
QUALITY_PENALTIES: dict[str, float] = {
    "weights": 20.0,  # the weights do not sum to 100
    "count": 10.0,  # fewer or more KPIs than advised
    "smart": 30.0,  # times (1 - the mean SMART score of the role's KPIs)
    "difficulty": 20.0,  # times the share of KPIs too easy, too hard or not discriminating
    "redundancy": 10.0,  # times the share of KPIs in a redundant pair
    "coverage": 10.0,  # times the share of weight linked to no objective (when KPIs carry links)
}
#: How many fixes the library table shows per role.
TOP_FIXES = 3
#: Order of urgency of the fixes (lower first).
FIX_PRIORITY: dict[str, int] = {
    "KPI_WEIGHTS_NOT_100": 1,
    "KPI_NOT_MEASURABLE": 2,
    "KPI_TARGET_TOO_EASY": 3,
    "KPI_TARGET_TOO_HARD": 3,
    "KPI_REDUNDANT": 4,
    "KPI_NO_DISCRIMINATION": 4,
    "KPI_COUNT_OUT_OF_RANGE": 5,
    "KPI_UNLINKED": 6,
    "OBJECTIVE_UNCOVERED": 7,
    "PERSPECTIVE_MISSING": 8,
}
FIX_COLUMNS = ["role", "subject", "code", "priority", "fix"]
LIBRARY_COLUMNS = [
    "role",
    "n_kpis",
    "weight_sum",
    "smart_mean",
    "n_issues",
    "quality_score",
    "top_fixes",
]


def write_fix(finding: Finding, names: dict[str, str], lang: str) -> str:
    """Return the concrete fix for one finding, as one imperative sentence in ``lang``."""
    e, s = finding.evidence, finding.subject
    label = _label(s, names, lang)
    code = finding.code
    if code == "KPI_WEIGHTS_NOT_100":
        return pick(
            lang,
            zh=f"调整岗位“{s}”的指标权重,使合计由 {e['weight_sum']:g}% 变为 100%",
            en=f"Rebalance role '{s}' KPI weights from {e['weight_sum']:g}% to 100%",
        )
    if code == "KPI_COUNT_OUT_OF_RANGE":
        if e["n_kpis"] > e["max_kpis"]:
            return pick(
                lang,
                zh=f"将岗位“{s}”的指标由 {e['n_kpis']} 项精简到 {e['max_kpis']:g} 项以内",
                en=f"Cut role '{s}' from {e['n_kpis']} KPIs to at most {e['max_kpis']:g}",
            )
        return pick(
            lang,
            zh=f"为岗位“{s}”补充指标至少到 {e['min_kpis']:g} 项(现有 {e['n_kpis']} 项)",
            en=f"Add KPIs to role '{s}': it has {e['n_kpis']}, it needs at least {e['min_kpis']:g}",
        )
    if code == "KPI_NOT_MEASURABLE":
        missing_zh = [
            t
            for t, ok in (
                ("数值目标", pd.notna(e.get("target"))),
                ("可计量的口径", e["specific"]),
                ("考核周期", e["time_bound"]),
                ("数据来源", e["data_source"]),
            )
            if not ok
        ]
        missing_en = [
            t
            for t, ok in (
                ("a numeric target", pd.notna(e.get("target"))),
                ("a countable metric", e["specific"]),
                ("a period", e["time_bound"]),
                ("a data source", e["data_source"]),
            )
            if not ok
        ]
        return pick(
            lang,
            zh=f"为 {label}写明{'、'.join(missing_zh) or '单位'}",
            en=f"Give {label} {', '.join(missing_en) or 'a unit'}",
        )
    if code in ("KPI_TARGET_TOO_EASY", "KPI_TARGET_TOO_HARD"):
        verb = "Raise" if code == "KPI_TARGET_TOO_EASY" else "Lower"
        if e.get("direction") == "lower":
            verb = "Lower" if code == "KPI_TARGET_TOO_EASY" else "Raise"
        return pick(
            lang,
            zh=f"将 {s} 的目标由 {e['target']:g} 调整为 {e['proposed_target']:g}"
            f"(历史达成率 {e['implied_hit_rate']:.0%})",
            en=f"{verb} {s}'s target from {e['target']:g} to {e['proposed_target']:g} "
            f"({e['implied_hit_rate']:.0%} of past results reach it)",
        )
    if code == "KPI_NO_DISCRIMINATION":
        return pick(
            lang,
            zh=f"更换 {label}的口径:其结果几乎没有差异(变异系数 {e['cv']:.3f})",
            en=f"Redefine {label}: its results barely vary (CV {e['cv']:.3f})",
        )
    if code == "KPI_REDUNDANT":
        return pick(
            lang,
            zh=f"合并 {e['kpi_a']} 与 {e['kpi_b']} 或删除其一(r={e['r']:.2f})",
            en=f"Merge {e['kpi_a']} and {e['kpi_b']} or drop one (r={e['r']:.2f})",
        )
    if code == "OBJECTIVE_UNCOVERED":
        return pick(
            lang,
            zh=f"为战略目标 {s}“{e['objective']}”设置承接指标",
            en=f"Give strategic objective {s} '{e['objective']}' a KPI",
        )
    if code == "PERSPECTIVE_MISSING":
        return pick(
            lang,
            zh=f"为平衡计分卡的 {s} 维度设置带权重的指标",
            en=f"Give the {s} balanced-scorecard perspective weighted KPIs",
        )
    return finding.message


def list_fixes(
    findings: list[Finding], cards: pd.DataFrame, unlinked: list[str], lang: str
) -> pd.DataFrame:
    """Return the fixes, one per finding and role whose scorecard it touches, most urgent first.

    A KPI's finding applies to every role whose scorecard holds the KPI (``*`` KPIs: every role);
    objective and perspective findings apply to the whole company (role ``all``).

    Parameters
    ----------
    findings : list of Finding
        The kpi_system findings.
    cards : DataFrame
        From :func:`perfkit.kpis.weights.build_scorecards`.
    unlinked : list of str
        KPIs linked to no objective (empty when the client does not link KPIs to objectives).
    lang : {"zh", "en"}
    """
    names = dict(zip(cards["kpi_id"], cards["name"], strict=True))
    roles_of = cards.groupby("kpi_id")["role"].agg(list).to_dict()
    rows = []
    for finding in findings:
        code = finding.code
        if code not in FIX_PRIORITY:
            continue
        if code in ("KPI_WEIGHTS_NOT_100", "KPI_COUNT_OUT_OF_RANGE"):
            roles = [finding.subject]
        elif code == "KPI_REDUNDANT":
            role = finding.evidence["role"]
            roles = sorted(cards["role"].unique()) if role == "*" else [role]
        elif code in ("OBJECTIVE_UNCOVERED", "PERSPECTIVE_MISSING"):
            roles = [OVERALL]
        else:
            roles = roles_of.get(finding.subject, [])
        fix = write_fix(finding, names, lang)
        rows += [
            {
                "role": r,
                "subject": finding.subject,
                "code": code,
                "priority": FIX_PRIORITY[code],
                "fix": fix,
            }
            for r in roles
        ]
    for kpi_id in unlinked:
        fix = pick(
            lang,
            zh=f"将 {_label(kpi_id, names, lang)} 关联到一项战略目标",
            en=f"Link {_label(kpi_id, names, lang)} to a strategic objective",
        )
        rows += [
            {
                "role": r,
                "subject": kpi_id,
                "code": "KPI_UNLINKED",
                "priority": FIX_PRIORITY["KPI_UNLINKED"],
                "fix": fix,
            }
            for r in roles_of.get(kpi_id, [])
        ]
    table = pd.DataFrame(rows, columns=FIX_COLUMNS)
    return table.sort_values(["role", "priority", "subject"], kind="stable").reset_index(drop=True)


def _label(kpi_id: str, names: dict[str, str], lang: str) -> str:
    if kpi_id not in names:
        return kpi_id
    return f"{kpi_id}“{names[kpi_id]}”" if lang == "zh" else f"{kpi_id} '{names[kpi_id]}'"


def summarise_library(
    cards: pd.DataFrame,
    weights: pd.DataFrame,
    smart: pd.DataFrame,
    fixes: pd.DataFrame,
    unlinked_share: pd.Series | None,
    lang: str,
) -> pd.DataFrame:
    """Return one row per role: its KPI count, weight sum, mean SMART score, quality score and top fixes.

    The quality score starts at 100 and loses :data:`QUALITY_PENALTIES`: the full penalty for
    weights off 100 or a count out of range; the SMART penalty times (1 − the mean SMART score
    of the role's KPIs); the difficulty and redundancy penalties times the share of the role's
    KPIs concerned; the coverage penalty times the share of weight linked to no objective.

    Parameters
    ----------
    cards, weights, smart, fixes : DataFrame
        The scorecards, the weights table, the SMART lint and :func:`list_fixes`.
    unlinked_share : Series or None
        By role, the share of weight linked to no objective (None when KPIs carry no links).
    lang : {"zh", "en"}
    """
    if weights.empty:
        return pd.DataFrame(columns=LIBRARY_COLUMNS)
    smart_score = cards["kpi_id"].map(
        smart.drop_duplicates("kpi_id").set_index("kpi_id")["smart_score"]
    )
    smart_mean = smart_score.groupby(cards["role"]).mean()
    # plain dicts: looking a key up in a Series (or filtering the table) per role is slow
    by_code = fixes.groupby(["role", "code"])["subject"].agg(list).to_dict() if len(fixes) else {}
    by_role = dict(tuple(fixes.groupby("role", sort=False))) if len(fixes) else {}
    sep = pick(lang, zh="；", en="; ")
    rows = []
    for row in weights.itertuples(index=False):
        role, n = row.role, max(int(row.n_kpis), 1)

        def flagged(*codes: str, role: str = role) -> set[str]:
            found: set[str] = set()
            for code in codes:
                for subject in by_code.get((role, code), []):
                    found.update(subject.split(","))
            return found

        penalty = QUALITY_PENALTIES["weights"] * bool(flagged("KPI_WEIGHTS_NOT_100"))
        penalty += QUALITY_PENALTIES["count"] * bool(flagged("KPI_COUNT_OUT_OF_RANGE"))
        mean = float(smart_mean.get(role, np.nan))
        penalty += QUALITY_PENALTIES["smart"] * (1.0 - (mean if np.isfinite(mean) else 0.0))
        hard = flagged("KPI_TARGET_TOO_EASY", "KPI_TARGET_TOO_HARD", "KPI_NO_DISCRIMINATION")
        penalty += QUALITY_PENALTIES["difficulty"] * min(len(hard) / n, 1.0)
        penalty += QUALITY_PENALTIES["redundancy"] * min(len(flagged("KPI_REDUNDANT")) / n, 1.0)
        if unlinked_share is not None:
            penalty += QUALITY_PENALTIES["coverage"] * float(unlinked_share.get(role, 0.0))
        own = by_role.get(role, fixes.iloc[0:0])
        rows.append(
            {
                "role": role,
                "n_kpis": int(row.n_kpis),
                "weight_sum": float(row.weight_sum),
                "smart_mean": round(mean, 3) if np.isfinite(mean) else np.nan,
                "n_issues": len(own),
                "quality_score": int(round(float(np.clip(100.0 - penalty, 0.0, 100.0)))),
                "top_fixes": sep.join(own["fix"].head(TOP_FIXES)),
            }
        )
    return pd.DataFrame(rows, columns=LIBRARY_COLUMNS)
