"""Workshop 3: bonus pool, merit budget, multipliers per grade and scheme → cost, fairness, departments."""

from __future__ import annotations

import dataclasses

import ipywidgets as widgets

from perfkit.errors import SettingsError
from perfkit.language import pick
from perfkit.rewards import SCHEMES, compare_schemes, grade_multipliers, plan_rewards
from perfkit.rewards.schemes import prepare_schemes
from perfkit.scoring import score_performance
from perfkit.settings import parse_settings
from perfkit.workshop.state import Memo, Workshop, bind, summary_html, table_html

#: Control names: ``bonus_pool``, ``merit_budget_pct``, ``scheme`` and ``multiplier:<grade>``.
MULTIPLIER_PREFIX = "multiplier:"


def _with_rewards(
    client, pool: float, merit_pct: float, multipliers: tuple[tuple[str, float], ...]
):
    """The client with its ``rewards`` settings changed, validated as ``engagement.yaml`` would be."""
    data = client.settings.model_dump(mode="json")
    data["rewards"].update(
        bonus_pool=pool, merit_budget_pct=merit_pct, bonus_multipliers=dict(multipliers)
    )
    return dataclasses.replace(client, settings=parse_settings(data, source="workshop"))


def rewards_workshop(client, scores=None) -> Workshop:
    """Build the rewards workshop.

    Controls: ``bonus_pool`` (currency), ``merit_budget_pct`` (% of base salaries),
    ``multiplier:<grade>`` (bonus multiplier per grade, which must not rise from the best grade
    to the worst, as ``engagement.yaml`` requires) and ``scheme`` (dropdown of
    :data:`perfkit.rewards.SCHEMES`). The first three re-run :func:`perfkit.rewards.compare_schemes`
    (remembered per combination); the scheme only picks the rows to show.

    Parameters
    ----------
    client : perfkit.intake.Client
    scores : PerformanceScores, optional

    Returns
    -------
    Workshop
        ``result``: ``schemes`` (cost, budget, differentiation, pay_for_performance,
        min_impact_ratio, adverse_impact... per scheme), ``impact`` (the chosen scheme's
        4/5ths-rule table), ``departments`` (department, employees, total, mean payout of the
        chosen scheme) and ``payouts`` (per employee, with department).
    """
    lang, settings = client.language, client.settings
    scores = scores if scores is not None else score_performance(client)
    pool_start = settings.rewards.bonus_pool
    if (
        pool_start is None
    ):  # the default pool, the sum of target bonuses, as the reward plan finds it
        pool_start = plan_rewards(client, scores).summary.get("bonus_pool", 0.0)
    pool_start = float(round(pool_start))
    departments = scores.employees[["employee_id", "department"]].drop_duplicates("employee_id")

    # who is rewarded and their groups do not move with the sliders: read them once
    prepared = prepare_schemes(client, scores)

    def compare(pool: float, merit_pct: float, multipliers: tuple[tuple[str, float], ...]):
        return compare_schemes(
            _with_rewards(client, pool, merit_pct, multipliers), scores, prepared=prepared
        )

    department_of: dict[str, object] = {}

    def with_departments(payouts):
        """``payouts`` with each person's department (the same people every time: joined once)."""
        if "column" not in department_of:
            department_of["column"] = payouts.merge(departments, on="employee_id", how="left")[
                "department"
            ]
        column = department_of["column"]
        if len(column) != len(payouts) or not column.index.equals(payouts.index):
            return payouts.merge(departments, on="employee_id", how="left")
        return payouts.assign(department=column)

    memo = Memo(compare, size=16)
    start_multipliers = grade_multipliers(settings)
    base = memo(
        round(pool_start, 2),
        round(float(settings.rewards.merit_budget_pct), 4),
        tuple((g, round(float(start_multipliers.get(g, 1.0)), 4)) for g in settings.grade_names),
    )
    top = max(pool_start * 2, 1000.0)
    controls: dict[str, widgets.Widget] = {
        "bonus_pool": widgets.FloatSlider(
            value=pool_start,
            min=0.0,
            max=round(top),
            step=round(top / 200) or 1,
            continuous_update=False,
            readout_format=",.0f",
            description=pick(lang, zh="奖金池", en="Bonus pool"),
            style={"description_width": "initial"},
        ),
        "merit_budget_pct": widgets.FloatSlider(
            value=round(float(settings.rewards.merit_budget_pct), 4),
            min=0.0,
            max=15.0,
            step=0.1,
            continuous_update=False,
            readout_format=".1f",
            description=pick(lang, zh="调薪预算 %", en="Merit budget %"),
            style={"description_width": "initial"},
        ),
        "scheme": widgets.Dropdown(
            options=[(pick(lang, zh=zh, en=en), key) for key, (zh, en) in SCHEMES.items()],
            value=base.recommended or next(iter(SCHEMES)),
            description=pick(lang, zh="方案", en="Scheme"),
        ),
    }
    for grade in settings.grade_names:
        controls[MULTIPLIER_PREFIX + grade] = widgets.FloatSlider(
            value=round(float(start_multipliers.get(grade, 1.0)), 4),
            min=0.0,
            max=3.0,
            step=0.05,
            continuous_update=False,
            description=grade,
            readout_format=".2f",
        )
    controls["bonus_pool"].add_class("perfkit-pool")
    summary, schemes, per_department, impact = (
        widgets.HTML(),
        widgets.HTML(),
        widgets.HTML(),
        widgets.HTML(),
    )
    box = widgets.VBox(
        [
            widgets.HBox(
                [controls["bonus_pool"], controls["merit_budget_pct"], controls["scheme"]]
            ),
            widgets.HBox([controls[MULTIPLIER_PREFIX + g] for g in settings.grade_names]),
            summary,
            schemes,
            per_department,
            impact,
        ]
    )
    workshop = Workshop("rewards", box, controls)

    def refresh() -> None:
        multipliers = tuple(
            (g, round(float(controls[MULTIPLIER_PREFIX + g].value), 4))
            for g in settings.grade_names
        )
        try:
            comparison = memo(
                round(float(controls["bonus_pool"].value), 2),
                round(float(controls["merit_budget_pct"].value), 4),
                multipliers,
            )
        except SettingsError:  # the only setting the sliders can break: multipliers rising
            shown = ", ".join(f"{g} {v:g}" for g, v in multipliers)
            workshop.message = pick(
                lang,
                zh=f"未采用此设置:奖金系数须从最好等级到最差等级不升高(现为 {shown})。",
                en=f"Not applied: bonus multipliers must not rise from the best grade to "
                f"the worst (now {shown}).",
            )
            summary.value = summary_html(workshop.message)
            return
        if comparison.table.empty:
            workshop.message = pick(
                lang,
                zh="缺少 base_salary 或绩效等级,无法比较奖励方案。",
                en="base_salary or grades are missing, so reward schemes cannot be compared.",
            )
            workshop.result = {}
            summary.value = summary_html(workshop.message)
            return
        scheme = controls["scheme"].value
        payouts = with_departments(comparison.payouts)
        totals = (
            payouts.groupby("department", dropna=False)[scheme]
            .agg(["size", "sum", "mean"])
            .rename(columns={"size": "employees", "sum": "total", "mean": "mean"})
            .reset_index()
        )
        row = comparison.table.set_index("scheme").loc[scheme]
        workshop.result = {
            "schemes": comparison.table,
            "impact": comparison.impact[comparison.impact["scheme"] == scheme].reset_index(
                drop=True
            ),
            "departments": totals.round(2),
            "payouts": payouts,
        }
        adverse = pick(
            lang,
            zh="存在不利影响" if row["adverse_impact"] else "无不利影响",
            en="adverse impact" if row["adverse_impact"] else "no adverse impact",
        )
        workshop.message = pick(
            lang,
            zh=f"{row['label']}:支出 {row['cost']:,.0f}(预算的 {row['cost_share']:.1%}),"
            f"区分度 {row['differentiation']:.2f},{adverse}(最低影响比 {row['min_impact_ratio']:.2f})。",
            en=f"{row['label']}: cost {row['cost']:,.0f} ({row['cost_share']:.1%} of budget), differentiation "
            f"{row['differentiation']:.2f}, {adverse} (lowest impact ratio {row['min_impact_ratio']:.2f}).",
        )
        summary.value = summary_html(workshop.message)
        shown = comparison.table[
            [
                "label",
                "cost",
                "budget",
                "cost_share",
                "differentiation",
                "pay_for_performance",
                "min_impact_ratio",
                "worst_group",
                "adverse_impact",
                "recommended",
            ]
        ]
        schemes.value = table_html(
            shown, title=pick(lang, zh="方案比较", en="Schemes compared"), css="perfkit-schemes"
        )
        per_department.value = table_html(
            totals.round(2),
            title=pick(lang, zh="各部门合计", en="Totals per department"),
            css="perfkit-departments",
        )
        impact.value = table_html(
            workshop.result["impact"],
            title=pick(lang, zh="不利影响(四分之五规则)", en="Adverse impact (4/5ths rule)"),
            css="perfkit-impact",
        )

    return bind(workshop, refresh)
