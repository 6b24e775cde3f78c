"""Each planted flaw is strong where it was planted and absent elsewhere (simple reference checks).

These are not perfkit's diagnostics: they are the plainest measures of each effect, so that a
sample whose plants are weak, or whose clean parts are not clean, fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats


def planted(truth: dict, code: str) -> list[dict]:
    return [p for p in truth["planted"] if p["code"] == code]


def subject(truth: dict, code: str) -> str:
    return planted(truth, code)[0]["subject"]


@pytest.fixture(scope="module")
def tables(sample):
    t = {name: frame.copy() for name, frame in sample.tables.items()}
    for name in ("results", "ratings", "competencies"):
        cats = t[name].select_dtypes("category").columns
        t[name][cats] = t[name][cats].astype(str)
    results = t["results"].merge(t["kpis"][["kpi_id", "target", "direction"]], on="kpi_id")
    reached = np.where(
        results["direction"] == "higher",
        results["actual"] >= results["target"],
        results["actual"] <= results["target"],
    )
    t["results"] = results.assign(hit=reached)
    return t


def _rater_effects(ratings: pd.DataFrame) -> pd.DataFrame:
    """Each rater's mean gap to the other raters (self excluded) of the same person and item."""
    others = ratings[ratings["relation"] != "self"]
    keys = ["employee_id", "period", "competency"]
    total = others.groupby(keys)["score"].agg(["sum", "count"]).reset_index()
    x = others.merge(total, on=keys)
    x = x[x["count"] > 1]
    x = x.assign(gap=x["score"] - (x["sum"] - x["score"]) / (x["count"] - 1))
    per_ratee = x.groupby(["rater_id", "employee_id"])["gap"].mean().reset_index()
    effects = per_ratee.groupby("rater_id")["gap"].agg(["mean", "count"])
    return effects[effects["count"] >= 5]


def test_kpi_targets(sample, tables):
    hit = tables["results"][tables["results"]["target"].notna()].groupby("kpi_id")["hit"].mean()
    n = tables["results"].groupby("kpi_id").size()
    easy, hard = (
        subject(sample.truth, "KPI_TARGET_TOO_EASY"),
        subject(sample.truth, "KPI_TARGET_TOO_HARD"),
    )
    assert hit[easy] >= 0.95 and hit[hard] <= 0.05
    others = hit.drop([easy, hard])[n >= 40]
    assert others.between(0.25, 0.87).all(), others[~others.between(0.25, 0.87)]


def test_kpi_discrimination(sample, tables):
    grouped = tables["results"].groupby("kpi_id")["actual"]
    cv = (grouped.std() / grouped.mean().abs())[
        grouped.size() >= 10
    ]  # the CEO's KPIs have 4 results
    flat = subject(sample.truth, "KPI_NO_DISCRIMINATION")
    assert cv[flat] < 0.01 and cv.drop(flat).min() > 0.03


def test_only_the_planted_pair_is_redundant(sample, tables):
    pair = tuple(subject(sample.truth, "KPI_REDUNDANT").split(","))
    results = tables["results"].merge(
        tables["employees"][["employee_id", "role"]], on="employee_id"
    )
    found = []
    for _role, group in results.groupby("role"):
        wide = group.pivot_table(index=["employee_id", "period"], columns="kpi_id", values="actual")
        if len(wide) < 10:
            continue
        corr = wide.corr().abs().to_numpy().copy()
        np.fill_diagonal(corr, 0)
        found += [
            (wide.columns[i], wide.columns[j], corr[i, j])
            for i, j in zip(*np.nonzero(np.triu(corr) >= 0.8), strict=False)
        ]
    assert [(a, b) for a, b, r in found] == [pair] and found[0][2] >= 0.95


def test_lenient_and_severe_managers(sample, tables):
    effects = _rater_effects(tables["ratings"])["mean"]
    lenient, severe = subject(sample.truth, "RATER_LENIENT"), subject(sample.truth, "RATER_SEVERE")
    assert effects[lenient] >= 0.7 and effects[severe] <= -0.7
    assert effects.drop([lenient, severe]).abs().max() < 0.6


def test_central_tendency_and_halo(sample, tables):
    ratings = tables["ratings"]
    central, halo = (
        subject(sample.truth, "RATER_CENTRAL_TENDENCY"),
        subject(sample.truth, "RATER_HALO"),
    )
    spread = {}
    for rater in ratings["rater_id"].unique():
        own = ratings[ratings["rater_id"] == rater]
        if own["employee_id"].nunique() < 5:
            continue
        rest = ratings[
            ratings["employee_id"].isin(own["employee_id"])
            & (ratings["rater_id"] != rater)
            & (ratings["relation"] != "self")
        ]
        spread[rater] = own["score"].std() / rest["score"].std()
    spread = pd.Series(spread)
    assert spread[central] < 0.4 and spread.drop([central, halo], errors="ignore").min() > 0.5
    within = (
        ratings.groupby(["rater_id", "employee_id", "period"])["score"]
        .std()
        .groupby("rater_id")
        .mean()
    )
    assert within[halo] < 0.05 and within.drop([halo, central]).min() > 0.15
    assert within[central] > 0.15


def test_self_inflation(sample, tables):
    ratings, staff = tables["ratings"], tables["employees"].set_index("employee_id")
    own = ratings[ratings["relation"] == "self"].groupby("employee_id")["score"].mean()
    others = ratings[ratings["relation"] != "self"].groupby("employee_id")["score"].mean()
    gap = (own - others).dropna().groupby(staff["department"]).agg(["mean", "count"])
    gap = gap.loc[gap["count"] >= 5, "mean"]
    department = subject(sample.truth, "SELF_INFLATION")
    assert gap[department] >= 1.0 and gap.drop(department).abs().max() < 0.35


def test_grade_distribution(sample, tables):
    staff = tables["employees"]
    guideline = np.array([0.1, 0.2, 0.4, 0.2, 0.1])
    counts = pd.crosstab(staff["department"], staff["rating"]).reindex(
        columns=range(1, 6), fill_value=0
    )
    skewed = subject(sample.truth, "GRADE_DISTRIBUTION_SKEWED")
    p = {
        d: stats.chisquare(row, guideline * row.sum()).pvalue
        for d, row in counts.iterrows()
        if row.sum() >= 15
    }
    top = counts[[4, 5]].sum(axis=1) / counts.sum(axis=1)
    assert p.pop(skewed) < 0.01 and top[skewed] >= 0.45
    assert min(p.values()) > 0.001


def test_adverse_impact_only_where_planted(sample, tables):
    staff = tables["employees"]
    top = staff.assign(top=staff["rating"] >= 4).groupby("gender")["top"].mean()
    ratio = top["F"] / top["M"]
    if planted(sample.truth, "ADVERSE_IMPACT"):
        assert ratio < 0.7
    else:
        assert 0.85 <= ratio <= 1.18
    by_location = staff.assign(top=staff["rating"] >= 4).groupby("location")["top"].mean()
    assert by_location.min() / by_location.max() >= 0.85


def test_pay_follows_performance_only_in_zh(sample, tables):
    staff = tables["employees"]
    rho = stats.spearmanr(staff["last_increase_pct"], staff["rating"]).statistic
    if planted(sample.truth, "PAY_PERFORMANCE_MISALIGNED"):
        assert abs(rho) < 0.15
    else:
        assert rho > 0.6


def test_over_rated_employees(sample, tables):
    ratings = tables["ratings"]
    others = ratings[ratings["relation"] != "self"].groupby("employee_id")["score"].mean()
    truth = pd.Series(sample.truth["current_performance"])
    over = sample.truth["over_rated"]
    z_rating = (others[over].mean() - others.mean()) / others.std()
    z_truth = (truth[over].mean() - truth.mean()) / truth.std()
    assert len(over) >= 5 and z_rating - z_truth >= 1.2


def test_potential_follows_performance(sample):
    staff = sample.tables["employees"]
    truth = pd.Series(sample.truth["current_performance"])[staff["employee_id"]].to_numpy()
    assert stats.spearmanr(staff["potential"], truth).statistic > 0.5
