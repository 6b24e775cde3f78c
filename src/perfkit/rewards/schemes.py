"""Reward schemes compared on cost, differentiation, pay for performance and adverse impact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.fairness import impact_ratios
from perfkit.fairness.impact import GroupCodes, encode_groups, impact_columns
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick
from perfkit.rewards.bonus import allocate_bonus_pool, grade_multipliers
from perfkit.rewards.merit import (
    assign_bands,
    compa_factors,
    fit_linear_merit,
    fit_merit_matrix,
    merit_grade_factors,
)
from perfkit.rewards.plan import SCHEMES, reward_inputs

#: The schemes compared, in order of simplicity (ties in the rule go to the simpler one).
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


def _impact(name: str, selected: np.ndarray, inputs: SchemeInputs, thresholds: Any) -> pd.DataFrame:
    """A scheme's 4/5ths-rule table of the reward rate by group, by :func:`perfkit.fairness.impact_ratios`.

    Returns
    -------
    DataFrame
        scheme, group_column, group, n, reward_rate, impact_ratio, flip_ratio, p_holm, adverse.
    """
    table = impact_ratios(
        pd.DataFrame({"rewarded": selected.astype(float)}),
        outcome="rewarded",
        groups=list(inputs.groups),
        min_group=int(threshold(thresholds, "ADVERSE_IMPACT", "min_group")),
        ratio=threshold(thresholds, "ADVERSE_IMPACT", "ratio"),
        p_value=threshold(thresholds, "ADVERSE_IMPACT", "p_value"),
        encoded=inputs.encoded,
    )
    table = table.rename(
        columns={"column": "group_column", "rate": "reward_rate", "ratio": "impact_ratio"}
    )
    table["reward_rate"] = table["reward_rate"].astype(float).round(4)
    table["impact_ratio"] = table["impact_ratio"].astype(float).round(4)
    table["adverse"] = table["adverse"].fillna(False).astype(bool)
    table = table[list(IMPACT_PART[1:])]
    table.insert(0, "scheme", name)
    return table


#: The columns of :attr:`SchemeComparison.impact`.
IMPACT_PART = (
    "scheme",
    "group_column",
    "group",
    "n",
    "reward_rate",
    "impact_ratio",
    "flip_ratio",
    "p_holm",
    "adverse",
)


def _impact_part(name: str, selected: np.ndarray, inputs: SchemeInputs, thresholds: Any) -> dict:
    """The rows :func:`_impact` gives, as arrays (the same numbers without building a table per scheme)."""
    table = impact_columns(
        selected,
        inputs.encoded,
        inputs.groups,
        min_group=int(threshold(thresholds, "ADVERSE_IMPACT", "min_group")),
        ratio=threshold(thresholds, "ADVERSE_IMPACT", "ratio"),
        p_value=threshold(thresholds, "ADVERSE_IMPACT", "p_value"),
    )
    return {
        "scheme": np.array([name] * len(table["n"]), dtype=object),
        "group_column": table["column"],
        "group": table["group"],
        "n": table["n"],
        "reward_rate": np.round(table["rate"].astype(float), 4),
        "impact_ratio": np.round(table["ratio"].astype(float), 4),
        "flip_ratio": table["flip_ratio"],
        "p_holm": table["p_holm"],
        "adverse": table["adverse"],
    }


@dataclass
class SchemeInputs:
    """What :func:`compare_schemes` reads off the people, whatever the budgets and multipliers.

    Build it once with :func:`prepare_schemes` and pass it as ``prepared`` to compare the
    schemes again after changing ``rewards.bonus_pool``, ``merit_budget_pct``,
    ``bonus_multipliers``, ``merit_factors``, ``compa_bands``, ``compa_factors`` or the
    ADVERSE_IMPACT thresholds (a workshop's sliders): the result is the same as without it.

    Attributes
    ----------
    people : DataFrame
        :func:`~perfkit.rewards.reward_inputs` rows with a grade and a base salary > 0.
    groups : tuple of str
        The group columns of the fairness check.
    grade_column : str
    impact_groups : tuple of str
        ``rewards.impact_groups`` of the settings it was built with (they pick the columns).
    encoded : perfkit.fairness.impact.GroupCodes
        The group columns of ``people``, factorized.
    """

    people: pd.DataFrame
    groups: tuple[str, ...]
    grade_column: str
    impact_groups: tuple[str, ...]
    encoded: GroupCodes
    has_target: bool = False
    targets: pd.Series | None = None
    compa: pd.Series | None = None
    has_groups: bool = False
    grade_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    grade_values: list = field(default_factory=list)
    linear: pd.Series | None = None
    score_varied: bool = False
    _score_ranks: dict = field(default_factory=dict, repr=False)
    _graded: dict = field(default_factory=dict, repr=False)

    def grades_among(self, names: list[str]) -> pd.Series:
        """The grades as a categorical Series of ``names`` (for :func:`fit_merit_matrix`: the same codes, faster)."""
        key = tuple(names)
        if key not in self._graded:
            self._graded[key] = pd.Series(
                pd.Categorical(self.people["grade"], categories=names), index=self.people.index
            )
        return self._graded[key]

    def by_grade(self, values: dict) -> np.ndarray:
        """Each person's value of their grade in ``values`` (NaN for a grade not in it), as Series.map."""
        table = np.array([values.get(g, np.nan) for g in self.grade_values] + [np.nan], dtype=float)
        return table[self.grade_codes]

    def score_ranks(self, both: np.ndarray) -> np.ndarray:
        """Average ranks of the scores where ``both`` is true (remembered per mask)."""
        key = both.tobytes()
        if key not in self._score_ranks:
            self._score_ranks.clear()  # a few masks at most: the schemes share the flat payout
            self._score_ranks[key] = stats.rankdata(
                self.people["score"].to_numpy(dtype=float)[both]
            )
        return self._score_ranks[key]


def prepare_schemes(
    client: Client, scores: Any, *, groups: list[str] | None = None, grade_column: str = "grade"
) -> SchemeInputs:
    """Read the people :func:`compare_schemes` needs once, for comparing schemes many times.

    Parameters
    ----------
    client, scores, groups, grade_column
        As for :func:`compare_schemes`.

    Returns
    -------
    SchemeInputs
        Its ``people`` is empty when no one has both a grade and a base salary.
    """
    settings = client.settings
    people = reward_inputs(client, scores, grade_column=grade_column)
    groups = tuple(settings.rewards.impact_groups if groups is None else groups)
    impact_groups = tuple(settings.rewards.impact_groups)
    salary = (
        people["base_salary"] if "base_salary" in people else pd.Series(np.nan, index=people.index)
    )
    has_target = bool("bonus_target_pct" in people and people["bonus_target_pct"].notna().any())
    ok = people["grade"].notna() & (salary.fillna(0) > 0)
    if not ok.any():
        empty = people.iloc[:0]
        return SchemeInputs(empty, groups, grade_column, impact_groups, encode_groups(empty, []))
    people = people[ok.to_numpy()].reset_index(drop=True)
    salary = people["base_salary"]
    pct = (
        people["bonus_target_pct"].fillna(people["bonus_target_pct"].median())
        if has_target
        else None
    )
    targets = salary * pct / 100 if pct is not None else salary
    if "salary_midpoint" in people and people["salary_midpoint"].notna().any():
        compa = salary / people["salary_midpoint"].where(people["salary_midpoint"] > 0)
    else:
        compa = pd.Series(np.nan, index=people.index)
    codes, values = pd.factorize(people["grade"])
    score = people.get("score")
    return SchemeInputs(
        people,
        groups,
        grade_column,
        impact_groups,
        encode_groups(people, [c for c in groups if c in people]),
        has_target=has_target,
        targets=targets,
        compa=compa,
        has_groups=any(c in people and people[c].notna().any() for c in groups),
        grade_codes=np.where(codes >= 0, codes, len(values)),
        grade_values=list(values),
        linear=(people["score"].clip(lower=0) / 100).fillna(0) if "score" in people else None,
        score_varied=bool(score is not None and score.nunique() > 1),
    )


def _scheme_factors(name: str, inputs: SchemeInputs, settings: Any) -> tuple[pd.Series, dict, list]:
    """Bonus multiplier per person, merit grade factors and merit band factors of a scheme."""
    people = inputs.people
    grades = settings.grade_names
    n_bands = len(settings.rewards.compa_bands) + 1
    ones = {g: 1.0 for g in grades}
    if name == "flat":
        return pd.Series(1.0, index=people.index), ones, [1.0] * n_bands
    if name == "score_linear":
        return inputs.linear, ones, [1.0] * n_bands
    multipliers = inputs.by_grade(grade_multipliers(settings))
    multipliers = np.where(np.isnan(multipliers), 0.0, multipliers)
    bands = compa_factors(settings) if name == "merit_matrix" else [1.0] * n_bands
    return pd.Series(multipliers, index=people.index), merit_grade_factors(settings), bands


def compare_schemes(
    client: Client,
    scores: Any,
    *,
    groups: list[str] | None = None,
    grade_column: str = "grade",
    prepared: SchemeInputs | None = None,
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

    Parameters
    ----------
    client : Client
    scores : PerformanceScores
    groups : list of str, optional
        Default ``rewards.impact_groups``.
    grade_column : str, default "grade"
    prepared : SchemeInputs, optional
        From :func:`prepare_schemes` on this client's people and ``scores`` (with the same
        ``groups``, ``grade_column`` and ``rewards.impact_groups``), to skip reading them again;
        the budgets, multipliers, factors and thresholds still come from ``client.settings``.

    Returns
    -------
    SchemeComparison

    Raises
    ------
    ValueError
        When ``prepared`` was built for other groups, grade column or impact groups.
    """
    settings, lang = client.settings, client.language
    if prepared is None:
        prepared = prepare_schemes(client, scores, groups=groups, grade_column=grade_column)
    else:
        wanted = (
            tuple(settings.rewards.impact_groups if groups is None else groups),
            grade_column,
            tuple(settings.rewards.impact_groups),
        )
        if wanted != (prepared.groups, prepared.grade_column, prepared.impact_groups):
            raise ValueError(
                f"`prepared` was built for groups, grade column and impact groups "
                f"{(prepared.groups, prepared.grade_column, prepared.impact_groups)}, not {wanted}."
            )
    groups = list(prepared.groups)
    notes: list[Finding] = []
    people = prepared.people
    if people.empty:
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
    salary = people["base_salary"]
    has_target, targets = prepared.has_target, prepared.targets
    pool = float(
        settings.rewards.bonus_pool
        if settings.rewards.bonus_pool is not None
        else np.floor(targets.sum())
        if has_target
        else 0.0
    )
    merit_budget = settings.rewards.merit_budget_pct / 100 * float(salary.sum())
    bands = assign_bands(prepared.compa, settings.rewards.compa_bands)

    payouts = pd.DataFrame(
        {
            "employee_id": people["employee_id"],
            "score": people.get("score"),
            "grade": people["grade"],
        }
    )
    face: dict[str, float] = {}
    band_index = bands.to_numpy()
    for name in SCHEMES:
        multiplier, grade_factors, band_factors = _scheme_factors(name, prepared, settings)
        bonus = allocate_bonus_pool(targets, multiplier, pool)
        if name == "score_linear":
            grade_factors = {g: 1.0 for g in settings.grade_names}
            merit_pct = fit_linear_merit(multiplier, salary, merit_budget)
            face_merit = (
                float((salary * multiplier).sum()) * settings.rewards.merit_budget_pct / 100
            )
        else:
            fit = fit_merit_matrix(
                prepared.grades_among(list(grade_factors)),
                bands,
                salary,
                budget=merit_budget,
                grade_factors=grade_factors,
                band_factors=band_factors,
            )
            merit_pct = fit.increase_pct
            factor = prepared.by_grade(grade_factors) * np.asarray(band_factors)[band_index]
            face_merit = float((salary * factor).sum()) * settings.rewards.merit_budget_pct / 100
        payouts[name] = bonus + (salary * merit_pct / 100).round(2)
        face[name] = (float((targets * multiplier).sum()) if pool > 0 else 0.0) + face_merit

    flat = payouts["flat"].to_numpy(dtype=float)
    standard = np.where(flat > 0, flat, np.nan)
    min_group = int(threshold(settings.thresholds, "ADVERSE_IMPACT", "min_group"))
    cutoff = threshold(settings.thresholds, "ADVERSE_IMPACT", "ratio")
    rows, impacts = [], []
    budget = pool + merit_budget
    for name, (zh, en) in SCHEMES.items():
        paid = payouts[name].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = paid / standard
        known = ratio[~np.isnan(ratio)]
        median = float(np.median(known)) if known.size else np.nan
        varied = known.size > 0 and known.min() < known.max() and prepared.score_varied
        rho = _spearman(ratio, prepared) if varied else np.nan
        impact = _impact_part(name, ratio >= REWARDED_AT, prepared, settings.thresholds)
        impacts.append(impact)
        worst = _worst(impact, min_group)
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
                "differentiation": round(float(np.quantile(known, 0.9) / median), 4)
                if median > 0
                else np.nan,
                "pay_for_performance": round(float(rho), 4) if pd.notna(rho) else 0.0,
                "min_impact_ratio": (
                    float(impact["impact_ratio"][worst])
                    if worst is not None and pd.notna(impact["impact_ratio"][worst])
                    else 1.0
                ),
                "worst_group": (
                    f"{impact['group_column'][worst]}:{impact['group'][worst]}"
                    if worst is not None
                    else ""
                ),
                "adverse_impact": bool(impact["adverse"].any()),
            }
        )
    table = pd.DataFrame(rows)
    if not prepared.has_groups:
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
    if sum(len(part["n"]) for part in impacts):
        impact = pd.DataFrame(
            {c: np.concatenate([part[c] for part in impacts]) for c in impacts[0]}
        )
    else:  # no group to check: the empty table impact_ratios gives, once per scheme
        impact = pd.concat(
            [
                _impact(name, np.zeros(len(people), dtype=bool), prepared, settings.thresholds)
                for name in SCHEMES
            ],
            ignore_index=True,
        )
    return SchemeComparison(table, impact, payouts, recommended, reasons, notes)


def _worst(impact: dict[str, np.ndarray], min_group: int) -> int | None:
    """Row of the lowest impact ratio among groups of ``min_group`` or more (first on ties, NaN last)."""
    rows = np.flatnonzero(impact["n"] >= min_group)
    if not len(rows):
        return None
    ratios = impact["impact_ratio"][rows]
    return int(rows[np.argsort(ratios, kind="stable")[0]])


def _spearman(ratio: np.ndarray, inputs: SchemeInputs) -> float:
    """Spearman's rho of ``ratio`` and the score: the Pearson correlation of average ranks (pairs with a NaN left out)."""
    score = inputs.people["score"].to_numpy(dtype=float)
    both = ~np.isnan(ratio) & ~np.isnan(score)
    if both.sum() < 3:
        return np.nan
    rx, ry = stats.rankdata(ratio[both]), inputs.score_ranks(both)
    if rx.std() == 0 or ry.std() == 0:
        return np.nan
    return float(np.corrcoef(rx, ry)[0, 1])


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
