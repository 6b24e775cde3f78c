"""Acceptance: budgets kept, development rows sound, the lowest grade planned, schemes compared."""

from __future__ import annotations

import pandas as pd


def test_bonus_pool_and_merit_budget(unseen_client):
    from perfkit.rewards import plan_rewards

    client, _, diagnosis = unseen_client
    plan = plan_rewards(client, diagnosis.scores)
    pool = client.settings.rewards.bonus_pool
    paid = plan.table.bonus_amount.sum()
    assert 0.99 * pool <= paid <= pool, f"bonus paid {paid} of pool {pool} ({paid / pool:.4%})"
    assert (plan.table.bonus_amount.dropna() >= 0).all()
    emp = client.employees.set_index("employee_id")
    graded = plan.table.dropna(subset=["grade"]).set_index("employee_id")
    salary = emp.base_salary.reindex(graded.index)
    budget = client.settings.rewards.merit_budget_pct / 100 * salary.sum()
    cost = (salary * graded.merit_increase_pct / 100).sum()
    assert 0.95 * budget <= cost <= budget + 1e-6, (
        f"merit cost {cost:.0f} of budget {budget:.0f} ({cost / budget:.4%})"
    )


def test_development_rows_name_a_gap_and_a_course_of_it(unseen_client):
    from perfkit.plans import plan_development

    client, _, diagnosis = unseen_client
    table = plan_development(client, diagnosis.scores).table
    assert len(table) > 0
    comp = client.table("competencies")
    latest = comp.sort_values("period").groupby(["employee_id", "competency"]).tail(1)
    gap = latest.assign(g=latest.required - latest.level).set_index(["employee_id", "competency"]).g
    has_gap = (
        gap.reindex(pd.MultiIndex.from_frame(table[["employee_id", "competency"]])).to_numpy() > 0
    )
    catalog = client.table("training_catalog").set_index("course_id").competency
    same = catalog.reindex(table.course_id).to_numpy() == table.competency.to_numpy()
    assert has_gap.all(), table[~has_gap].head()
    assert same.all(), table[~same].head()


def test_lowest_grade_has_improvement_plans(unseen_client):
    from perfkit.patterns import find_patterns
    from perfkit.plans import plan_improvements

    client, truth, diagnosis = unseen_client
    scores = diagnosis.scores
    patterns = find_patterns(client, scores).assignments
    plans = plan_improvements(client, scores, patterns=patterns)
    lowest = client.settings.grade_names[-1]
    need = set(scores.employees.employee_id[scores.employees.grade == lowest])
    missing = need - set(plans.employee_id)
    assert need and not missing, (
        f"{len(missing)} of {len(need)} lowest-grade employees without a plan"
    )


def test_scheme_comparison_recommends_with_fairness_check(unseen_client):
    from perfkit.rewards import compare_schemes

    client, _, diagnosis = unseen_client
    comparison = compare_schemes(client, diagnosis.scores)
    assert len(comparison.table) >= 3
    assert comparison.recommended in set(comparison.table.scheme)
    assert comparison.reasons
    row = comparison.table.set_index("scheme").loc[comparison.recommended]
    assert {"min_impact_ratio", "adverse_impact"} <= set(row.index)
    assert (comparison.impact.scheme == comparison.recommended).any()
