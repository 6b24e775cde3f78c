"""The vectorised paths of the KPI audit against plain pandas, on shuffled, gappy random results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.kpis import assess_difficulty, assess_redundancy, build_scorecards
from perfkit.kpis.difficulty import _Rows, rank_values
from perfkit.kpis.redundancy import assign_roles


def _world(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """KPIs of two roles plus two shared ones, and shuffled results with gaps and strays."""
    rng = np.random.default_rng(seed)
    kpis = pd.DataFrame(
        {
            "kpi_id": ["A1", "A2", "A3", "B1", "B2", "X1", "X2"],
            "role": ["a", "a", "a", "b", "b", "*", "*"],
            "weight": [30.0, 20.0, 20.0, 50.0, 20.0, 15.0, 15.0],
            "target": [10.0, 5.0, np.nan, 3.0, 8.0, 2.0, 4.0],
            "direction": ["higher", "lower", "higher", "lower", "higher", "higher", "lower"],
        }
    )
    employees = pd.DataFrame(
        {"employee_id": [f"E{i:02d}" for i in range(40)], "role": ["a"] * 20 + ["b"] * 20}
    )
    employees.loc[[3, 25], "role"] = None  # their role comes from their results
    rows = []
    for e, role in zip(employees["employee_id"], ["a"] * 20 + ["b"] * 20, strict=True):
        own = [k for k, r in zip(kpis["kpi_id"], kpis["role"], strict=True) if r in (role, "*")]
        for period in ("P1", "P2", "P3"):
            level = rng.normal()
            for k in own:
                if rng.random() < 0.9:
                    rows.append((e, k, period, float(np.round(5 + 2 * level + rng.normal(), 1))))
    results = pd.DataFrame(rows, columns=["employee_id", "kpi_id", "period", "actual"])
    results.loc[results.sample(frac=0.05, random_state=seed).index, "actual"] = np.nan
    results.loc[0, "kpi_id"] = "ZZ"  # a KPI not in the library
    results = results.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    for frame in (kpis, employees, results):
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str").where(frame[column].notna())
    return kpis, employees, results


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_difficulty_matches_pandas(seed):
    kpis, _, results = _world(seed)
    table = assess_difficulty(kpis, results, target_hit_rate=0.6, min_results=3)
    known = results[results["kpi_id"].isin(kpis["kpi_id"]) & results["actual"].notna()]
    known = known.merge(kpis, on="kpi_id")
    sign = np.where(known["direction"] == "lower", -1.0, 1.0)
    known = known.assign(score=known["actual"] * sign, goal=known["target"] * sign)
    for (kpi_id, period), part in pd.concat(
        [known, known.assign(period="all")], ignore_index=True
    ).groupby(["kpi_id", "period"]):
        row = table.set_index(["kpi_id", "period"]).loc[(kpi_id, period)]
        assert row["n"] == len(part)
        if part["goal"].notna().all():
            assert row["hit_rate"] == (part["score"] >= part["goal"]).mean()
        assert row["mean"] == pytest.approx(part["actual"].mean(), rel=1e-12)
        # the proposal: the 40% quantile in "higher is better" space, to 3 significant figures
        sign = -1.0 if part["direction"].iloc[0] == "lower" else 1.0
        proposed = row["proposed_target"] * sign
        assert proposed == pytest.approx(np.quantile(part["score"], 0.4), rel=5e-3)
        assert row["implied_hit_rate"] == (part["score"] >= proposed).mean()


def test_rank_values_tie_equal_values_and_signed_zeros():
    values = np.array([3.5, -0.0, 0.0, -2.0, 3.5, 1e300])
    rank, n_ranks = rank_values(values)
    assert rank.tolist() == [2, 1, 1, 0, 2, 3] and n_ranks == 4


@pytest.mark.parametrize("size", [3, 200, 70_000])
def test_sort_by_group_and_score_is_a_stable_lexsort(size):
    rng = np.random.default_rng(size)
    group = rng.integers(0, size, 5000)
    score = rng.integers(-50, 50, 5000) / 4.0
    rank, n_ranks = rank_values(score)
    rows = _Rows(score, score, np.ones(5000), np.ones(5000), np.ones(5000), rank, n_ranks)
    expected = np.lexsort((score, group))
    assert np.array_equal(rows.sort_by(group, size), expected)
    # a key too wide for 63 bits falls back to np.lexsort, with the same answer
    assert np.array_equal(rows.sort_by(group, 1 << 60), expected)


@pytest.mark.parametrize("seed", [0, 1])
def test_redundancy_matches_pandas_pivot(seed):
    kpis, employees, results = _world(seed)
    employees["role"] = employees["role"].fillna("a")
    table = assess_redundancy(build_scorecards(kpis), results, employees)
    role = results["employee_id"].map(employees.set_index("employee_id")["role"])
    valid = results.assign(role=role).dropna(subset=["actual"])
    for row in table.itertuples(index=False):
        part = valid if row.role == "*" else valid[valid["role"] == row.role]
        wide = part.pivot_table(
            index=["employee_id", "period"], columns="kpi_id", values="actual", aggfunc="last"
        )
        pair = wide[[row.kpi_a, row.kpi_b]].dropna()
        assert row.n == len(pair)
        assert row.r == pytest.approx(pair[row.kpi_a].corr(pair[row.kpi_b]), abs=1e-9)
    shared_pairs = table.loc[table["role"] == "*", ["kpi_a", "kpi_b"]].itertuples(index=False)
    assert set(shared_pairs) == {("X1", "X2")}
    assert table.equals(table.sort_values(["role", "kpi_a", "kpi_b"], ignore_index=True))


def test_roles_missing_from_employees_come_from_results():
    kpis, employees, results = _world(0)
    roles = pd.Series(assign_roles(results, kpis, employees), index=results["employee_id"])
    assert roles.groupby(level=0).unique().loc[["E03", "E25"]].map(list).tolist() == [
        ["a"],
        ["b"],
    ]
    assert (roles.loc["E00"] == "a").all() and (roles.loc["E39"] == "b").all()
