"""The workshop factories in plain pytest: set control values, assert on the outputs' data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.errors import PerfkitError
from perfkit.scoring import grade_counts, score_kpi_cells, score_kpis, score_performance
from perfkit.settings import EngagementSettings
from perfkit.workshop import (
    Memo,
    calibration_workshop,
    ninebox_workshop,
    rewards_workshop,
    weights_workshop,
)

# --- 1. KPI weights and score mix ---------------------------------------------------------------


def test_weights_start_at_the_baseline(client, scores):
    shop = weights_workshop(client, scores)
    people = shop.result["employees"]
    assert shop.result["changes"].empty
    assert people["grade"].tolist() == scores.employees["grade"].tolist()
    assert np.allclose(people["kpi_score"], scores.employees["kpi_score"].round(2))
    dist = shop.result["distribution"]
    assert dist["count"].tolist() == grade_counts(60, [0.1, 0.2, 0.4, 0.2, 0.1]).tolist()
    assert dist["guideline"].tolist() == dist["baseline"].tolist()


def test_all_weight_on_one_kpi_makes_the_ranking_follow_it(client, scores):
    shop = weights_workshop(client, scores)
    shop.controls["mix"].value = 1.0
    shop.controls["weight:K2"].value = 0
    people = shop.result["employees"].set_index("employee_id")
    results = client.tables["results"]
    k1 = (
        results[results["kpi_id"] == "K1"].set_index("employee_id")["actual"].clip(upper=120)
    )  # cap 1.2
    sales = people.loc[k1.index]
    assert np.allclose(sales["kpi_score"], k1, atol=0.01)  # attainment = actual / target(100)
    assert sales["score"].rank(method="min").tolist() == k1.round(2).rank(method="min").tolist()
    assert not shop.result["changes"].empty
    assert set(shop.result["changes"]["grade"]) <= set("SABCD")


def test_mix_at_zero_scores_competencies_alone(client, scores):
    shop = weights_workshop(client, scores)
    shop.controls["mix"].value = 0.0
    people = shop.result["employees"]
    assert np.allclose(people["score"], scores.employees["competency_score"].round(2), atol=0.01)
    assert len(shop.result["changes"]) > 0
    assert shop.result["distribution"]["count"].sum() == 60


def test_role_dropdown_shows_that_roles_sliders_without_recomputing(client, scores):
    shop = weights_workshop(client, scores)
    sliders = shop.widget.children[1]
    before = shop.result["employees"]
    shop.controls["role"].value = "ops"
    shown = {w.description.split()[0] for w in sliders.children if hasattr(w, "min")}
    assert shown == {"K3", "K4"}
    shop.controls["role"].value = "sales"
    shown = {w.description.split()[0] for w in sliders.children if hasattr(w, "min")}
    assert shown == {"K1", "K2"}
    pd.testing.assert_frame_equal(shop.result["employees"], before)


def test_going_back_to_the_start_hits_the_memo_and_clears_the_changes(client, scores):
    shop = weights_workshop(client, scores)
    shop.controls["weight:K3"].value = 100
    assert not shop.result["changes"].empty
    shop.controls["weight:K3"].value = 60
    assert shop.result["changes"].empty


def test_kpi_cells_agree_with_score_kpis():
    rng = np.random.default_rng(1)
    rows, kpis = np.repeat(np.arange(10), 3), np.tile(np.arange(3), 10)
    att = rng.uniform(0, 1.2, 30)
    weights = np.array([50.0, 0.0, 50.0])
    long = pd.DataFrame(
        {
            "employee_id": [f"e{r}" for r in rows],
            "period": "P",
            "kpi_id": kpis.astype(str),
            "weight": weights[kpis],
            "attainment": att,
        }
    )
    expected = score_kpis(long).sort_values("employee_id")["kpi_score"].to_numpy()
    assert np.allclose(score_kpi_cells(rows, kpis, att, weights, n_rows=10), expected)


def test_weights_need_kpis(build_workshop_client):
    client = build_workshop_client()
    client.tables.pop("kpis")
    with pytest.raises(PerfkitError, match="kpis"):
        weights_workshop(client)


# --- 2. Calibration -----------------------------------------------------------------------------


def test_raising_a_grades_share_raises_its_count(client, scores):
    shop = calibration_workshop(client, scores)
    before = shop.result["distribution"].set_index("grade")
    shop.controls["share:S"].value = 0.3
    after = shop.result["distribution"].set_index("grade")
    assert after.loc["S", "count"] > before.loc["S", "count"]
    assert after.loc["S", "calibrated_count"] > before.loc["S", "calibrated_count"]
    assert after["count"].sum() == 60
    assert after["guideline"].tolist() == grade_counts(60, after["share"].tolist()).tolist()


def test_department_filter_filters_who_moves(client, scores):
    shop = calibration_workshop(client, scores)
    everyone = shop.result["changes"]
    assert len(everyone) > 0
    shop.controls["department"].value = "Ops"
    moved = shop.result["changes"]
    assert set(shop.result["employees"]["department"]) == {"Ops"}
    assert set(moved["department"]) <= {"Ops"}
    assert set(moved["employee_id"]) == set(
        everyone.loc[everyone["department"] == "Ops", "employee_id"]
    )
    assert shop.result["distribution"]["count"].sum() == 20
    assert (moved["grade"] != moved["calibrated_grade"]).all()


def test_zero_shares_are_refused_without_a_crash(client, scores):
    shop = calibration_workshop(client, scores)
    for grade in "SABC":
        shop.controls[f"share:{grade}"].value = 0.0
    kept = shop.result
    assert kept["distribution"].set_index("grade").loc["D", "count"] == 60
    shop.controls["share:D"].value = 0.0
    assert "share" in shop.message
    assert shop.result is kept


def test_calibration_needs_shares(build_workshop_client):
    client = build_workshop_client()
    client.settings = EngagementSettings(
        language="en", grades=[{"grade": "A", "min_score": 90}, {"grade": "B", "min_score": 0}]
    )
    with pytest.raises(PerfkitError, match="share"):
        calibration_workshop(client)


# --- 3. Rewards ---------------------------------------------------------------------------------


def test_bonus_pool_change_moves_the_totals(client, scores, hostile):
    shop = rewards_workshop(client, scores)
    shop.controls["scheme"].value = "flat"
    pool = shop.controls["bonus_pool"].value
    before = shop.result["schemes"].set_index("scheme").loc["flat", "cost"]
    shop.controls["bonus_pool"].value = pool + 50_000
    after = shop.result["schemes"].set_index("scheme")
    assert after.loc["flat", "cost"] == pytest.approx(before + 50_000, abs=1)
    assert shop.result["departments"]["total"].sum() == pytest.approx(
        after.loc["flat", "cost"], abs=1
    )
    assert set(shop.result["departments"]["department"]) == {"Sales", "Ops", hostile}


def test_merit_budget_raises_the_cost(client, scores):
    shop = rewards_workshop(client, scores)
    before = shop.result["schemes"]["cost"].to_numpy()
    shop.controls["merit_budget_pct"].value = 8.0
    assert (shop.result["schemes"]["cost"].to_numpy() > before).all()


def test_scheme_choice_only_reslices(client, scores):
    shop = rewards_workshop(client, scores)
    shop.controls["scheme"].value = "flat"
    flat = shop.result["departments"]["total"].to_numpy()
    shop.controls["scheme"].value = "forced_distribution"
    assert set(shop.result["impact"]["group_column"]) <= {"gender", "location"}
    assert not np.allclose(shop.result["departments"]["total"].to_numpy(), flat)
    assert "Forced" in shop.message


def test_multipliers_change_the_payouts_and_rising_ones_are_refused(client, scores):
    shop = rewards_workshop(client, scores)
    shop.controls["scheme"].value = "forced_distribution"
    before = shop.result["payouts"].set_index("employee_id")["forced_distribution"]
    shop.controls["multiplier:D"].value = 0.5
    after = shop.result["payouts"].set_index("employee_id")["forced_distribution"]
    graded_d = shop.result["payouts"].set_index("employee_id")["grade"] == "D"
    assert (after[graded_d] > before[graded_d]).all()
    kept = shop.result
    shop.controls["multiplier:S"].value = 0.1
    assert shop.result is kept
    assert "must not rise" in shop.message


# --- 4. The 9-box -------------------------------------------------------------------------------


def test_department_filter_filters_the_nine_box(client, scores):
    shop = ninebox_workshop(client, scores)
    assert shop.result["boxes"]["count"].sum() == 60
    assert int(shop.result["grid"].to_numpy().sum()) == 60
    shop.controls["department"].value = "Sales"
    boxes = shop.result["boxes"]
    assert boxes["count"].sum() == 20
    sales = set(scores.employees.loc[scores.employees["department"] == "Sales", "employee_id"])
    assert set().union(*boxes["members"]) == sales
    shop.controls["box"].value = 1
    members = shop.result["members"]
    assert set(members["box_id"]) <= {1}
    assert len(members) == boxes.loc[boxes["box_id"] == 1, "count"].iloc[0]


# --- Shared --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory", [weights_workshop, calibration_workshop, rewards_workshop, ninebox_workshop]
)
def test_client_text_reaches_the_widgets_escaped(client, scores, factory, hostile):
    shop = factory(client, scores)
    if "department" in shop.controls:
        shop.controls["department"].value = hostile
    if "mix" in shop.controls:
        shop.controls[
            "mix"
        ].value = 0.0  # so that the changes table lists people of every department
    html = " ".join(w.value for w in _html_widgets(shop.widget))
    assert hostile not in html
    assert "&lt;script&gt;" in html


def test_messages_follow_the_engagements_language(build_workshop_client):
    client = build_workshop_client(lang="zh")
    scores = score_performance(client)
    assert "人" in weights_workshop(client, scores).message
    assert "人" in ninebox_workshop(client, scores).message


def test_memo_remembers_and_forgets():
    calls = []
    memo = Memo(lambda x: calls.append(x) or x * 2, size=2)
    assert [memo(1), memo(1), memo(2), memo(3), memo(1)] == [2, 2, 4, 6, 2]
    assert calls == [1, 2, 3, 1]
    assert (memo.hits, memo.misses) == (1, 4)


def _html_widgets(widget):
    children = getattr(widget, "children", ())
    found = [widget] if type(widget).__name__ == "HTML" else []
    for child in children:
        found += _html_widgets(child)
    return found
