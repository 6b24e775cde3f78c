"""The KPI methods on their own: pairwise correlation, rounding, difficulty and scorecards."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from perfkit.kpis import build_scorecards, correlate_pairwise, diagnose_kpi_system
from perfkit.kpis.difficulty import assess_difficulty, round_significant
from tests.kpis.kpi_world import build_tables, make_client


def test_pairwise_correlation_matches_pandas():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) * 50 + 1000
    data[rng.random(data.shape) < 0.2] = np.nan
    r, n = correlate_pairwise(data)
    frame = pd.DataFrame(data)
    np.testing.assert_allclose(r, frame.corr(min_periods=3).to_numpy(), atol=1e-9)
    np.testing.assert_array_equal(n, frame.notna().astype(int).T @ frame.notna().astype(int))


def test_pairwise_correlation_of_constant_or_sparse_columns_is_nan():
    data = np.array([[1.0, 5.0, 1.0], [2.0, 5.0, np.nan], [3.0, 5.0, np.nan], [4.0, 5.0, 2.0]])
    r, n = correlate_pairwise(data)
    assert np.isnan(r[0, 1]) and np.isnan(r[0, 2]) and n[0, 2] == 2


def test_round_significant():
    assert round_significant(np.array([91.734, 0.95312, 123456.0, 0.0, np.nan]))[:4].tolist() == [
        91.7,
        0.953,
        123000.0,
        0.0,
    ]


def test_difficulty_hand_computed():
    kpis = pd.DataFrame(
        {
            "kpi_id": ["A", "B"],
            "role": ["r", "r"],
            "target": [5.0, 5.0],
            "direction": ["higher", "lower"],
        }
    )
    values = np.arange(1.0, 11.0)
    results = pd.DataFrame(
        {
            "employee_id": [f"E{i}" for i in range(10)] * 2,
            "kpi_id": ["A"] * 10 + ["B"] * 10,
            "period": "P1",
            "actual": np.r_[values, values],
        }
    )
    table = assess_difficulty(kpis, results, target_hit_rate=0.6).set_index(["kpi_id", "period"])
    assert table.loc[("A", "all"), "hit_rate"] == 0.6  # 5..10 reach 5
    assert table.loc[("B", "all"), "hit_rate"] == 0.5  # 1..5 are at most 5
    assert table.loc[("A", "all"), "proposed_target"] == 4.6  # 40% quantile of 1..10
    assert table.loc[("A", "all"), "implied_hit_rate"] == 0.6
    assert table.loc[("B", "all"), "proposed_target"] == 6.4  # 60% quantile, lower is better
    assert table.loc[("B", "all"), "implied_hit_rate"] == 0.6


def test_scorecards_repeat_shared_kpis():
    cards = build_scorecards(build_tables()["kpis"])
    assert sorted(cards.loc[cards["kpi_id"] == "X1", "role"]) == ["ops", "sales"]
    assert cards.groupby("role")["weight"].sum().tolist() == [100.0, 100.0]


def test_every_finding_is_one_sentence_in_the_language():
    tables = build_tables("zh")
    kpis = tables["kpis"]
    kpis.loc[kpis["kpi_id"] == "S1", "weight"] = 20.0
    kpis.loc[kpis["kpi_id"] == "S4", ["name", "description", "target"]] = [
        "积极配合",
        np.nan,
        np.nan,
    ]
    kpis.loc[kpis["kpi_id"] == "O1", "target"] = 80.0
    kpis.loc[kpis["kpi_id"] == "X1", "perspective"] = "process"
    tables["objectives"].loc[4] = ["OX", "海外扩张", "customer"]
    zh = diagnose_kpi_system(make_client(tables, "zh"))
    en = diagnose_kpi_system(make_client(tables, "en"))
    assert {f.code for f in zh.findings} == {
        "KPI_WEIGHTS_NOT_100",
        "KPI_NOT_MEASURABLE",
        "KPI_TARGET_TOO_EASY",
        "PERSPECTIVE_MISSING",
        "OBJECTIVE_UNCOVERED",
    }
    for a, b in zip(zh.findings, en.findings, strict=True):
        assert (a.code, a.subject) == (b.code, b.subject)
        assert re.search(r"[\u4e00-\u9fff]", a.message) and a.message.endswith("。")
        assert re.search(r"[0-9]", a.message) and re.search(r"[0-9]", b.message)
        assert b.message.endswith(".") and b.message.count(". ") == 0
    easy = next(f for f in zh.findings if f.code == "KPI_TARGET_TOO_EASY")
    assert f"{easy.evidence['proposed_target']:g}" in easy.message
    fixes = zh.library.set_index("role")["top_fixes"]
    assert fixes["sales"].startswith("调整岗位“sales”的指标权重")
    assert f"将 O1 的目标由 80 调整为 {easy.evidence['proposed_target']:g}" in fixes["ops"]
    assert set(zh.fixes["role"]) == {"sales", "ops", "all"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quality_score_orders_roles(lang):
    tables = build_tables(lang)
    tables["kpis"].loc[tables["kpis"]["kpi_id"] == "S1", "weight"] = 20.0
    library = diagnose_kpi_system(make_client(tables, lang)).library.set_index("role")
    assert library.loc["sales", "quality_score"] < library.loc["ops", "quality_score"]
    assert library["quality_score"].between(0, 100).all()
