"""Reward schemes compared on cost, differentiation, pay for performance and adverse impact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.fairness import impact_ratios
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick
from perfkit.rewards.bonus import allocate_bonus_pool, grade_multipliers
from perfkit.rewards.merit import assign_bands, compa_factors, fit_merit_matrix, merit_grade_factors
from perfkit.rewards.plan import reward_inputs

#: The schemes compared, in order of simplicity (ties in the rule go to the simpler one).
SCHEMES: dict[str, tuple[str, str]] = {
    "flat": ("统一比例", "Flat"),
    "forced_distribution": ("强制分布系数", "Forced-distribution multipliers"),
    "merit_matrix": ("绩效矩阵(等级×薪酬比)", "Merit matrix (grade × compa-ratio)"),
    "score_linear": ("按分数线性", "Linear in score"),
}
#: A payout counts as a reward in the adverse-impact check when it reaches this share of the
#: flat scheme's payout to the same person.
REWARDED_AT = 0.995


@dataclass
class SchemeComparison:
    """Reward schemes side by side, with the recommended one and why.

    Attributes
    ----------
    table : DataFrame
        One row per scheme: scheme, label, cost, budget, cost_share, within_budget,
        face_value_cost, differentiation, pay_for_performance, min_impact_ratio, worst_group,
        adverse_impact, recommended.
    impact : DataFrame
        The fairness check: scheme, group_column, group, n, reward_rate, impact_ratio, flip_ratio,
        p_holm, adverse.
    payouts : DataFrame
        employee_id, score, grade, then each scheme's payout (bonus + merit increase, currency).
    recommended : str or None
    reasons : str
        Why, in the engagement's language.
    notes : list of Finding
    """

    table: pd.DataFrame
    impact: pd.DataFrame
    payouts: pd.DataFrame
    recommended: str | None
    reasons: str
    notes: list[Finding] = field(default_factory=list)


def _impact(data: pd.DataFrame, groups: list[str], thresholds: Any) -> pd.DataFrame:
    """The 4/5ths-rule table of the reward rate by group, from :func:`perfkit.fairness.impact_ratios`.

    Returns
    -------
    DataFrame
        group_column, group, n, reward_rate, impact_ratio, flip_ratio, p_holm, adverse.
    """
    table = impact_ratios(
        data,
        outcome="rewarded",
        groups=groups,
        min_group=int(threshold(thresholds, "ADVERSE_IMPACT", "min_group")),
        ratio=threshold(thresholds, "ADVERSE_IMPACT", "ratio"),
        p_value=threshold(thresholds, "ADVERSE_IMPACT", "p_value"),
    )
    table = table.rename(
        columns={"column": "group_column", "rate": "reward_rate", "ratio": "impact_ratio"}
    )
    table["reward_rate"] = table["reward_rate"].astype(float).round(4)
    table["impact_ratio"] = table["impact_ratio"].astype(float).round(4)
    table["adverse"] = table["adverse"].fillna(False).astype(bool)
    return table[
        [
            "group_column",
            "group",
            "n",
            "reward_rate",
            "impact_ratio",
            "flip_ratio",
            "p_holm",
            "adverse",
        ]
    ]


def _scheme_factors(name: str, people: pd.DataFrame, settings: Any) -> tuple[pd.Series, dict, list]:
    """Bonus multiplier per person, merit grade factors and merit band factors of a scheme."""
    grades = settings.grade_names
    n_bands = len(settings.rewards.compa_bands) + 1
    ones = {g: 1.0 for g in grades}
    if name == "flat":
        return pd.Series(1.0, index=people.index), ones, [1.0] * n_bands
    if name == "score_linear":
        return (people["score"].clip(lower=0) / 100).fillna(0), ones, [1.0] * n_bands
    multipliers = people["grade"].map(grade_multipliers(settings)).astype(float).fillna(0)
    bands = compa_factors(settings) if name == "merit_matrix" else [1.0] * n_bands
    return multipliers, merit_grade_factors(settings), bands


def compare_schemes(
    client: Client, scores: Any, *, groups: list[str] | None = None, grade_column: str = "grade"
) -> SchemeComparison:
    """Compare reward schemes that spend the same budgets, and recommend one.

    Each scheme shares the bonus pool (exactly, in whole units) and fits the merit budget
    (95–100%), so that they differ only in who gets what:

    - ``flat``: every bonus at target, every increase the budget percentage;
    - ``forced_distribution``: bonus multipliers and merit factors by grade alone;
    - ``merit_matrix``: the same multipliers, merit by grade × compa-ratio band (the plan);
    - ``score_linear``: bonus and merit in proportion to the score.

    A person's payout is bonus + merit increase. The measures are: ``cost`` against ``budget``
    (pool + merit budget); ``face_value_cost``, what the multipliers and factors would cost as
    published (targets × multiplier, budget % × factor), before fitting; ``differentiation``,
    the 90th percentile of payout ÷ the flat payout over its median; ``pay_for_performance``,
    Spearman's rho of payout ÷ flat payout against the score; and adverse impact: the rate of
    people whose payout reaches 99.5% of their flat payout, per group of each column in
    ``groups`` (default ``rewards.impact_groups``), as a ratio to the best group's rate, by
    :func:`perfkit.fairness.impact_ratios`: adverse impact is a ratio below the ADVERSE_IMPACT
    ``ratio`` threshold (0.8) in a group of at least ``min_group`` (10) people that one more
    rewarded person would not lift, and that Fisher's test (Holm-corrected) confirms at ``p_value``.

    **The rule**: among schemes within budget and without adverse impact, the highest
    pay-for-performance correlation wins (within 0.01, the simpler scheme in the order above).
    When every scheme shows adverse impact, the one with the highest lowest impact ratio wins.

    Returns
    -------
    SchemeComparison
    """
    settings, lang = client.settings, client.language
    people = reward_inputs(client, scores, grade_column=grade_column)
    groups = list(settings.rewards.impact_groups if groups is None else groups)
    notes: list[Finding] = []
    salary = (
        people["base_salary"] if "base_salary" in people else pd.Series(np.nan, index=people.index)
    )
    has_target = "bonus_target_pct" in people and people["bonus_target_pct"].notna().any()
    ok = people["grade"].notna() & (salary.fillna(0) > 0)
    if not ok.any():
        notes.append(
            skipped(
                "reward schemes",
                "缺少 base_salary 或绩效等级",
                "base_salary or grades are missing",
                lang,
                missing=["employees.base_salary"],
            )
        )
        return SchemeComparison(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), None, "", notes)
    people = people[ok.to_numpy()].reset_index(drop=True)
    salary = people["base_salary"]
    pct = (
        people["bonus_target_pct"].fillna(people["bonus_target_pct"].median())
        if has_target
        else None
    )
    targets = salary * pct / 100 if pct is not None else salary
    pool = float(
        settings.rewards.bonus_pool
        if settings.rewards.bonus_pool is not None
        else np.floor(targets.sum())
        if has_target
        else 0.0
    )
    merit_budget = settings.rewards.merit_budget_pct / 100 * float(salary.sum())
    if "salary_midpoint" in people and people["salary_midpoint"].notna().any():
        compa = salary / people["salary_midpoint"].where(people["salary_midpoint"] > 0)
    else:
        compa = pd.Series(np.nan, index=people.index)
    bands = assign_bands(compa, settings.rewards.compa_bands)

    payouts = pd.DataFrame(
        {
            "employee_id": people["employee_id"],
            "score": people.get("score"),
            "grade": people["grade"],
        }
    )
    face: dict[str, float] = {}
    for name in SCHEMES:
        multiplier, grade_factors, band_factors = _scheme_factors(name, people, settings)
        bonus = allocate_bonus_pool(targets, multiplier, pool)
        if name == "score_linear":
            grade_factors = {g: 1.0 for g in settings.grade_names}
            merit_pct = _fit_linear_merit(multiplier, salary, merit_budget)
            face_merit = (
                float((salary * multiplier).sum()) * settings.rewards.merit_budget_pct / 100
            )
        else:
            fit = fit_merit_matrix(
                people["grade"],
                bands,
                salary,
                budget=merit_budget,
                grade_factors=grade_factors,
                band_factors=band_factors,
            )
            merit_pct = fit.increase_pct
            factor = (
                people["grade"].map(grade_factors).to_numpy()
                * np.asarray(band_factors)[bands.to_numpy()]
            )
            face_merit = float((salary * factor).sum()) * settings.rewards.merit_budget_pct / 100
        payouts[name] = bonus + (salary * merit_pct / 100).round(2)
        face[name] = (float((targets * multiplier).sum()) if pool > 0 else 0.0) + face_merit

    standard = payouts["flat"].where(payouts["flat"] > 0)
    min_group = int(threshold(settings.thresholds, "ADVERSE_IMPACT", "min_group"))
    cutoff = threshold(settings.thresholds, "ADVERSE_IMPACT", "ratio")
    rows, impacts = [], []
    budget = pool + merit_budget
    for name, (zh, en) in SCHEMES.items():
        ratio = payouts[name] / standard
        median = ratio.median()
        varied = ratio.nunique() > 1 and payouts["score"].nunique() > 1
        rho = _spearman(ratio, payouts["score"]) if varied else np.nan
        data = people[[c for c in groups if c in people]].copy()
        data["rewarded"] = (ratio >= REWARDED_AT).astype(float)
        impact = _impact(data, groups, settings.thresholds)
        impact.insert(0, "scheme", name)
        impacts.append(impact)
        worst = impact[impact["n"] >= min_group].sort_values("impact_ratio", kind="stable").head(1)
        cost = float(payouts[name].sum())
        rows.append(
            {
                "scheme": name,
                "label": pick(lang, zh=zh, en=en),
                "cost": round(cost, 2),
                "budget": round(budget, 2),
                "cost_share": round(cost / budget, 6) if budget > 0 else 1.0,
                "within_budget": cost <= budget + 0.01,
                "face_value_cost": round(face[name], 2),
                "differentiation": round(float(ratio.quantile(0.9) / median), 4)
                if median > 0
                else np.nan,
                "pay_for_performance": round(float(rho), 4) if pd.notna(rho) else 0.0,
                "min_impact_ratio": (
                    float(worst["impact_ratio"].iloc[0])
                    if len(worst) and pd.notna(worst["impact_ratio"].iloc[0])
                    else 1.0
                ),
                "worst_group": (
                    f"{worst['group_column'].iloc[0]}:{worst['group'].iloc[0]}"
                    if len(worst)
                    else ""
                ),
                "adverse_impact": bool(impact["adverse"].any()),
            }
        )
    table = pd.DataFrame(rows)
    if not any(c in people and people[c].notna().any() for c in groups):
        notes.append(
            skipped(
                "reward adverse impact",
                f"缺少分组列 {groups}",
                f"no group column among {groups}",
                lang,
                missing=[f"employees.{c}" for c in groups],
            )
        )
    recommended, reasons = _recommend(table, lang, cutoff)
    table["recommended"] = table["scheme"] == recommended
    impact = pd.concat(impacts, ignore_index=True) if impacts else pd.DataFrame()
    return SchemeComparison(table, impact, payouts, recommended, reasons, notes)


def _spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rho: the Pearson correlation of average ranks (pairs with a NaN left out)."""
    both = x.notna() & y.notna()
    if both.sum() < 3:
        return np.nan
    rx, ry = x[both].rank().to_numpy(), y[both].rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return np.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def _fit_linear_merit(factor: pd.Series, salary: pd.Series, budget: float) -> pd.Series:
    """Increase in percent ∝ factor, rounded down to 0.01 point, spending at most the budget."""
    unit = float((salary * factor).sum()) / 100
    if unit <= 0:
        factor, unit = pd.Series(1.0, index=salary.index), float(salary.sum()) / 100
    exact = factor * (budget / unit) * (1 - 1e-12) if unit > 0 else factor * 0
    for places in range(2, 10):
        pct = np.floor(exact * 10**places) / 10**places
        if budget <= 0 or float((salary * pct).sum()) / 100 >= 0.95 * budget:
            break
    return pct


def _recommend(table: pd.DataFrame, lang: str, cutoff: float) -> tuple[str, str]:
    """Apply the documented rule and say why in the engagement's language."""
    fair = table[table["within_budget"] & ~table["adverse_impact"]]
    if len(fair):
        best_rho = fair["pay_for_performance"].max()
        chosen = fair[fair["pay_for_performance"] >= best_rho - 0.01].iloc[0]
        others = table[(table["scheme"] != chosen["scheme"]) & table["adverse_impact"]][
            "label"
        ].tolist()
        reason = pick(
            lang,
            zh=(
                f"推荐“{chosen['label']}”:在预算内(支出为预算的 {chosen['cost_share']:.1%})、"
                f"未出现不利影响(四分之五规则,最低影响比 {chosen['min_impact_ratio']:.2f},阈值 {cutoff:.2f}),"
                f"且绩效与奖励的等级相关最高(ρ = {chosen['pay_for_performance']:.2f});"
                f"前10%与中位数的奖励比为 {chosen['differentiation']:.2f}。"
            ),
            en=(
                f"Recommended: {chosen['label']}. It stays within budget ({chosen['cost_share']:.1%} of it), "
                f"shows no adverse impact by the 4/5ths rule (lowest impact ratio {chosen['min_impact_ratio']:.2f}, "
                f"threshold {cutoff:.2f}) "
                f"and ties pay to performance most closely (ρ = {chosen['pay_for_performance']:.2f}); "
                f"top-decile payouts are {chosen['differentiation']:.2f}× the median."
            ),
        )
        if others:
            reason += pick(
                lang,
                zh=f"未选:{'、'.join(others)}(存在不利影响)。",
                en=f" Not chosen for adverse impact: {', '.join(others)}.",
            )
        return str(chosen["scheme"]), reason
    chosen = table.sort_values("min_impact_ratio", ascending=False, kind="stable").iloc[0]
    reason = pick(
        lang,
        zh=(
            f"所有方案均存在不利影响;推荐影响最小的“{chosen['label']}”(最低影响比 "
            f"{chosen['min_impact_ratio']:.2f},{chosen['worst_group']}),实施前请复核评估结果。"
        ),
        en=(
            f"Every scheme shows adverse impact; {chosen['label']} shows the least (lowest impact ratio "
            f"{chosen['min_impact_ratio']:.2f}, {chosen['worst_group']}). Review the ratings before using it."
        ),
    )
    return str(chosen["scheme"]), reason
