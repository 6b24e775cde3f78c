"""The reward plan (绩效奖励): merit increase, bonus and promotion for every scored employee."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, skipped
from perfkit.intake import Client
from perfkit.language import pick
from perfkit.plans.dates import plan_start
from perfkit.rewards.bonus import allocate_bonus_pool, grade_multipliers
from perfkit.rewards.merit import (
    MeritFit,
    assign_bands,
    band_labels,
    compa_factors,
    fit_linear_merit,
    fit_merit_matrix,
    merit_grade_factors,
)
from perfkit.rewards.promotion import find_promotion_candidates

#: The reward schemes perfkit can apply and compare, with their names in zh and en.
SCHEMES: dict[str, tuple[str, str]] = {
    "flat": ("统一比例", "Flat"),
    "forced_distribution": ("强制分布系数", "Forced-distribution multipliers"),
    "merit_matrix": ("绩效矩阵(等级×薪酬比)", "Merit matrix (grade × compa-ratio)"),
    "score_linear": ("按分数线性", "Linear in score"),
}

#: The contract's columns of the ``rewards`` sheet, in order.
REWARD_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "grade",
    "merit_increase_pct",
    "bonus_amount",
    "promotion_candidate",
)
_PEOPLE_COLUMNS = (
    "name",
    "manager_id",
    "level",
    "hire_date",
    "gender",
    "location",
    "base_salary",
    "salary_midpoint",
    "bonus_target_pct",
    "potential",
)


@dataclass
class RewardPlan:
    """Merit increases, bonuses and promotion candidates of one client.

    Attributes
    ----------
    table : DataFrame
        One row per scored employee: the contract's columns (employee_id, grade,
        merit_increase_pct, bonus_amount, promotion_candidate) first, then compa_ratio,
        compa_band, base_salary, merit_amount, target_bonus, bonus_multiplier, tenure_years,
        promotion_reason. Pay columns are NaN where the data lacks them.
    merit_matrix : DataFrame or None
        Increase in percent, grades × compa-ratio bands; None when salaries are missing.
    summary : dict
        merit_budget, merit_cost, merit_spend_share, bonus_pool, bonus_paid, bonus_paid_share,
        promotion_candidates, currency.
    notes : list of Finding
        ANALYSIS_SKIPPED for each part the data did not allow.
    """

    table: pd.DataFrame
    merit_matrix: pd.DataFrame | None
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)


def reward_inputs(client: Client, scores: Any, *, grade_column: str = "grade") -> pd.DataFrame:
    """Join the scored employees with their pay data: one row per scored employee.

    Returns employee_id, department, role, score, grade (from ``grade_column``) and the
    employees table's name, manager_id, level, hire_date, gender, location, base_salary,
    salary_midpoint, bonus_target_pct and potential where present, plus any column listed in
    ``rewards.impact_groups``.
    """
    scored = scores.employees
    keep = ["employee_id"] + [c for c in ("department", "role", "score") if c in scored]
    people = scored[keep].copy()
    people["grade"] = scored[grade_column].to_numpy()
    employees = client.employees
    extra = [
        c
        for c in (*_PEOPLE_COLUMNS, *client.settings.rewards.impact_groups)
        if c in employees and c not in people and c != "employee_id"
    ]
    extra = list(dict.fromkeys(extra))
    people = people.merge(
        employees[["employee_id", *extra]].drop_duplicates("employee_id"),
        on="employee_id",
        how="left",
    )
    return people.reset_index(drop=True)


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame and frame[column].notna().any()


def plan_rewards(
    client: Client, scores: Any, *, grade_column: str = "grade", scheme: str = "merit_matrix"
) -> RewardPlan:
    """Recommend merit increases, bonuses and promotion candidates.

    - **Merit**: a matrix of grade × compa-ratio band (base_salary / salary_midpoint, bands at
      ``rewards.compa_bands``), factors ``rewards.merit_factors`` × ``rewards.compa_factors``,
      scaled to spend 95–100% of ``rewards.merit_budget_pct`` % of the graded employees' base
      salaries, never more (see :func:`~perfkit.rewards.merit.fit_merit_matrix`).
    - **Bonus**: the pool ``rewards.bonus_pool`` (default: the sum of target bonuses, base_salary ×
      bonus_target_pct / 100) shared by target bonus × ``rewards.bonus_multipliers`` of the grade,
      in whole currency units adding up exactly to the pool (rounded down to a unit).
    - **Promotion**: see :func:`~perfkit.rewards.promotion.find_promotion_candidates`.

    Missing pay columns skip the parts they feed, each with an ANALYSIS_SKIPPED note.

    Parameters
    ----------
    client : Client
    scores : PerformanceScores
        Its ``employees`` frame must hold employee_id and ``grade_column``.
    grade_column : str, default "grade"
        ``"calibrated_grade"`` to reward the calibrated grades.
    scheme : str, default "merit_matrix"
        The scheme to apply, one of :data:`SCHEMES` (usually the one
        :func:`~perfkit.rewards.compare_schemes` recommends): ``merit_matrix`` as above;
        ``forced_distribution``, the same without compa-ratio bands; ``flat``, everyone at
        target bonus and the budget percentage; ``score_linear``, bonus multiplier and merit
        increase in proportion to the score.

    Returns
    -------
    RewardPlan

    Raises
    ------
    ValueError
        When ``scheme`` is not one of :data:`SCHEMES`.
    """
    if scheme not in SCHEMES:
        raise ValueError(
            f"The 'scheme' parameter of plan_rewards must be one of {sorted(SCHEMES)}. Got {scheme!r} instead."
        )
    settings, lang = client.settings, client.language
    rewards = settings.rewards
    people = reward_inputs(client, scores, grade_column=grade_column)
    notes: list[Finding] = []
    graded = people["grade"].notna().to_numpy()
    salary = (
        people["base_salary"] if "base_salary" in people else pd.Series(np.nan, index=people.index)
    )
    has_salary = salary.notna().any()
    paid = graded & (salary.fillna(0) > 0).to_numpy()
    table = pd.DataFrame({"employee_id": people["employee_id"], "grade": people["grade"]})
    table["merit_increase_pct"] = np.nan
    table["bonus_amount"] = np.nan
    summary: dict[str, Any] = {"currency": rewards.currency, "scheme": scheme}
    matrix = None

    if has_salary:
        if _has(people, "salary_midpoint"):
            compa = salary / people["salary_midpoint"].where(people["salary_midpoint"] > 0)
        else:
            compa = pd.Series(np.nan, index=people.index)
            notes.append(
                skipped(
                    "compa-ratio bands",
                    "缺少 employees.salary_midpoint 列,所有人按中间档计算",
                    "employees.salary_midpoint is missing, so everyone sits in the middle band",
                    lang,
                    missing=["employees.salary_midpoint"],
                )
            )
        bands = assign_bands(compa, rewards.compa_bands)
        labels = band_labels(rewards.compa_bands)
        budget = rewards.merit_budget_pct / 100 * float(salary[paid].sum())
        ones = {g: 1.0 for g in settings.grade_names}
        fit = fit_merit_matrix(
            people["grade"].where(paid),
            bands,
            salary,
            budget=budget,
            grade_factors=ones
            if scheme in ("flat", "score_linear")
            else merit_grade_factors(settings),
            band_factors=compa_factors(settings)
            if scheme == "merit_matrix"
            else [1.0] * len(labels),
            band_names=labels,
        )
        matrix = fit.matrix if scheme != "score_linear" else None
        if scheme == "score_linear":
            linear = _score_factor(people).where(paid, 0.0)
            increase = fit_linear_merit(linear, salary.where(paid, 0.0), budget).where(paid)
            fit = MeritFit(
                None, increase, fit.budget, float((salary * increase.fillna(0)).sum()) / 100, 1.0
            )
        table["compa_ratio"] = compa.round(3)
        table["compa_band"] = np.where(
            paid, np.asarray(labels, dtype=object)[bands.to_numpy()], None
        )
        table["base_salary"] = salary
        table["merit_increase_pct"] = fit.increase_pct
        table["merit_amount"] = (salary * fit.increase_pct / 100).round(2)
        summary.update(
            merit_budget=round(budget, 2),
            merit_cost=round(fit.cost, 2),
            merit_spend_share=round(fit.spend_share, 6),
        )
    else:
        notes.append(
            skipped(
                "merit increase",
                "缺少 employees.base_salary 列",
                "employees.base_salary is missing",
                lang,
                missing=["employees.base_salary"],
            )
        )

    targets = _target_bonus(people, paid, has_salary, rewards.bonus_pool, lang, notes)
    if targets is not None:
        mask = targets.notna().to_numpy() & graded
        multipliers = _bonus_multipliers(people, settings, scheme)
        target_sum = float(targets[mask].sum())
        pool = float(rewards.bonus_pool) if rewards.bonus_pool is not None else np.floor(target_sum)
        weights = (targets[mask] * multipliers[mask]).sum()
        if mask.any() and weights <= 0 < pool:
            notes.append(
                skipped(
                    "bonus multipliers",
                    "所有人的绩效系数均为 0,奖金按目标奖金分配",
                    "every multiplier is 0, so the pool follows target bonuses alone",
                    lang,
                )
            )
        payouts = (
            allocate_bonus_pool(targets[mask], multipliers[mask], pool)
            if mask.any()
            else pd.Series()
        )
        table["target_bonus"] = targets.round(2)
        table["bonus_multiplier"] = multipliers
        table.loc[mask, "bonus_amount"] = payouts.to_numpy()
        bonus_paid = float(payouts.sum())
        summary.update(
            bonus_pool=round(float(pool), 2),
            bonus_paid=bonus_paid,
            bonus_paid_share=round(bonus_paid / float(pool), 6) if pool > 0 else 1.0,
        )

    top = settings.grade_names[: rewards.promotion_top_grades]
    as_of = plan_start(client.current_period)
    promo = find_promotion_candidates(
        people, top_grades=top, min_years=rewards.promotion_min_years, as_of=as_of, lang=lang
    )
    table["promotion_candidate"] = promo["promotion_candidate"].to_numpy()
    table["tenure_years"] = promo["tenure_years"].to_numpy()
    table["promotion_reason"] = promo["promotion_reason"].to_numpy()
    summary["promotion_candidates"] = int(table["promotion_candidate"].sum())
    ordered = list(REWARD_COLUMNS) + [c for c in table if c not in REWARD_COLUMNS]
    return RewardPlan(table[ordered], matrix, summary, notes)


def _score_factor(people: pd.DataFrame) -> pd.Series:
    """The score-linear scheme's factor: the score over 100 (0 when unscored)."""
    score = people["score"] if "score" in people else pd.Series(np.nan, index=people.index)
    return (score.clip(lower=0) / 100).fillna(0.0)


def _bonus_multipliers(people: pd.DataFrame, settings: Any, scheme: str) -> pd.Series:
    """Each person's bonus multiplier under a scheme."""
    if scheme == "flat":
        return pd.Series(1.0, index=people.index).where(people["grade"].notna())
    if scheme == "score_linear":
        return _score_factor(people).where(people["grade"].notna())
    return people["grade"].map(grade_multipliers(settings)).astype(float)


def _target_bonus(
    people: pd.DataFrame,
    paid: np.ndarray,
    has_salary: bool,
    pool: float | None,
    lang: str,
    notes: list[Finding],
) -> pd.Series | None:
    """Each rewarded employee's target bonus, or None when the bonus must be skipped."""
    index = people.index
    if has_salary and _has(people, "bonus_target_pct"):
        pct = people["bonus_target_pct"]
        if pct[paid].isna().any():
            notes.append(
                skipped(
                    "target bonus",
                    "部分员工缺少 bonus_target_pct,按中位数计算",
                    "some employees lack bonus_target_pct; the median stands in",
                    lang,
                    missing=["employees.bonus_target_pct"],
                    count=int(pct[paid].isna().sum()),
                )
            )
            pct = pct.fillna(pct.median())
        return (people["base_salary"] * pct / 100).where(paid)
    if pool is None:
        notes.append(
            skipped(
                "bonus pool",
                "缺少 base_salary 或 bonus_target_pct,且未设定 rewards.bonus_pool",
                "base_salary or bonus_target_pct is missing and rewards.bonus_pool is not set",
                lang,
                missing=[
                    c
                    for c in ("employees.base_salary", "employees.bonus_target_pct")
                    if c.split(".")[1] not in people
                ],
            )
        )
        return None
    if has_salary:
        notes.append(
            skipped(
                "target bonus",
                "缺少 bonus_target_pct,奖金池按基本工资比例分配",
                "bonus_target_pct is missing, so the pool follows base salary",
                lang,
                missing=["employees.bonus_target_pct"],
            )
        )
        return people["base_salary"].where(paid)
    notes.append(
        skipped(
            "target bonus",
            "缺少 base_salary,奖金池按人数与绩效系数分配",
            "base_salary is missing, so the pool is shared per head by multiplier",
            lang,
            missing=["employees.base_salary"],
        )
    )
    return pd.Series(1.0, index=index).where(people["grade"].notna())


def describe_rewards(plan: RewardPlan, lang: str) -> str:
    """Summarise a reward plan in one sentence in the engagement's language."""
    s = plan.summary
    zh_name, en_name = SCHEMES[s.get("scheme", "merit_matrix")]
    parts = [pick(lang, zh=f"方案“{zh_name}”", en=f"scheme: {en_name}")]
    if "merit_cost" in s:
        parts.append(
            pick(
                lang,
                zh=f"调薪支出 {s['merit_cost']:,.0f}(预算的 {s['merit_spend_share']:.1%})",
                en=f"merit cost {s['merit_cost']:,.0f} ({s['merit_spend_share']:.1%} of budget)",
            )
        )
    if "bonus_paid" in s:
        parts.append(
            pick(
                lang,
                zh=f"奖金发放 {s['bonus_paid']:,.0f}(奖金池的 {s['bonus_paid_share']:.1%})",
                en=f"bonus paid {s['bonus_paid']:,.0f} ({s['bonus_paid_share']:.1%} of the pool)",
            )
        )
    parts.append(
        pick(
            lang,
            zh=f"晋升候选人 {s['promotion_candidates']} 名",
            en=f"{s['promotion_candidates']} promotion candidate(s)",
        )
    )
    return pick(lang, zh=";", en="; ").join(parts) + pick(lang, zh="。", en=".")
