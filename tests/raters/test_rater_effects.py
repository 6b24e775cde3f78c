"""Rater effects in a synthetic 360°: each planted effect found on its rater, nothing on a clean one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.raters import diagnose_raters, rater_effects, rater_reliability, self_ratings
from tests.raters.synthetic_360 import Plant, make_360
from tests.support import make_client

RATER_CODES = {
    "RATER_LENIENT",
    "RATER_SEVERE",
    "RATER_CENTRAL_TENDENCY",
    "RATER_HALO",
    "SELF_INFLATION",
}


def _by_code(findings, code):
    return sorted(f.subject for f in findings if f.code == code)


def test_lenient_manager_found_with_evidence(planted):
    plant, client = planted
    findings = diagnose_raters(client)
    assert _by_code(findings, "RATER_LENIENT") == plant.lenient
    finding = next(f for f in findings if f.code == "RATER_LENIENT")
    evidence = finding.evidence
    assert evidence["n_ratees"] == 8
    assert evidence["mean_deviation"] > 0.6
    assert evidence["effect_size"] > 2
    assert evidence["rater_mean"] > evidence["others_mean"]
    assert "M03" in finding.message and "above" in finding.message


def test_severe_manager_found(planted):
    plant, client = planted
    findings = diagnose_raters(client)
    assert _by_code(findings, "RATER_SEVERE") == plant.severe
    assert next(f for f in findings if f.code == "RATER_SEVERE").evidence["mean_deviation"] < -0.6


def test_central_tendency_rater_found_and_not_called_halo(planted):
    plant, client = planted
    findings = diagnose_raters(client)
    assert _by_code(findings, "RATER_CENTRAL_TENDENCY") == plant.central
    assert plant.central[0] not in _by_code(findings, "RATER_HALO")


def test_halo_rater_found(planted):
    plant, client = planted
    findings = diagnose_raters(client)
    assert _by_code(findings, "RATER_HALO") == plant.halo
    evidence = next(f for f in findings if f.code == "RATER_HALO").evidence
    assert evidence["within_sd"] < 0.1 < evidence["others_within_sd"]


def test_self_inflation_names_the_employees(planted):
    plant, client = planted
    findings = diagnose_raters(client)
    assert _by_code(findings, "SELF_INFLATION") == sorted(plant.inflators)
    ranks = [f.evidence["rank"] for f in findings if f.code == "SELF_INFLATION"]
    assert sorted(ranks) == [1, 2, 3]


def test_clean_360_flags_nobody(clean):
    findings = diagnose_raters(clean)
    assert [f for f in findings if f.code in RATER_CODES] == []


def test_peers_of_a_lenient_manager_are_not_called_severe():
    """A lenient manager lifts the others' mean of their team: offsets must absorb it."""
    plant = Plant(lenient=["M00", "M01", "M02"])
    employees, ratings = make_360(n_teams=6, team_size=8, seed=5, plant=plant)
    effects = rater_effects(ratings)
    peers = effects[effects.index.str.startswith(("E00", "E01", "E02"))]
    assert peers["mean_deviation"].abs().max() < 0.4
    assert (
        set(
            _by_code(
                diagnose_raters(make_client({"employees": employees, "ratings": ratings})),
                "RATER_SEVERE",
            )
        )
        == set()
    )


def test_self_inflation_capped_when_everyone_inflates():
    employees, ratings = make_360(seed=3, self_bias=1.6)
    client = make_client(
        {"employees": employees, "ratings": ratings},
        thresholds={"SELF_INFLATION": {"max_reported": 4}},
    )
    found = [f for f in diagnose_raters(client) if f.code == "SELF_INFLATION"]
    assert len(found) == 4
    assert found[0].evidence["n_flagged"] > 4
    gaps = [f.evidence["gap"] for f in found]
    assert gaps == sorted(gaps, reverse=True)


def test_thresholds_are_settings(planted):
    _, client = planted
    strict = make_client(client.tables, thresholds={"RATER_LENIENT": 10.0})
    assert _by_code(diagnose_raters(strict), "RATER_LENIENT") == []


def test_messages_in_chinese(planted):
    plant, client = planted
    zh = make_client(client.tables, lang="zh")
    lenient = next(f for f in diagnose_raters(zh) if f.code == "RATER_LENIENT")
    assert "评分人" in lenient.message and "高" in lenient.message


def test_self_ratings_table():
    employees, ratings = make_360(n_teams=2, seed=4, plant=Plant(inflators=["E0001"]))
    table = self_ratings(ratings)
    assert table.loc["E0001", "gap"] > 1.0
    assert table.loc["E0001", "n_competencies"] == 12
    assert table["p_value"].between(0, 1).all()


def test_missing_self_ratings_is_skipped_and_rest_runs(planted):
    plant, client = planted
    ratings = client.table("ratings")
    no_self = ratings[ratings["relation"] != "self"]
    findings = diagnose_raters(make_client({"employees": client.employees, "ratings": no_self}))
    assert any(f.code == "ANALYSIS_SKIPPED" and f.subject == "self-inflation" for f in findings)
    assert _by_code(findings, "RATER_LENIENT") == plant.lenient


def test_rater_reliability_unbalanced():
    _, ratings = make_360(seed=6)
    # drop a third of the peer ratings at random: raters per ratee now vary
    rng = np.random.default_rng(0)
    keep = (ratings["relation"] != "peer") | (rng.random(len(ratings)) > 0.33)
    table = rater_reliability(ratings[keep]).set_index("raters")
    assert {"all", "peer"} <= set(table.index)
    assert 0.3 < table.loc["all", "icc1"] < 1
    assert table.loc["all", "icc1k"] > table.loc["all", "icc1"]


def test_empty_ratings_give_empty_effects():
    empty = pd.DataFrame(
        columns=["employee_id", "rater_id", "relation", "period", "competency", "score"]
    )
    assert rater_effects(empty).empty


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_other_seeds_plant_elsewhere(seed):
    rng = np.random.default_rng(seed)
    teams = rng.choice(12, size=2, replace=False)
    plant = Plant(lenient=[f"M{teams[0]:02d}"], severe=[f"M{teams[1]:02d}"])
    employees, ratings = make_360(seed=seed, plant=plant)
    findings = diagnose_raters(make_client({"employees": employees, "ratings": ratings}))
    assert _by_code(findings, "RATER_LENIENT") == plant.lenient
    assert _by_code(findings, "RATER_SEVERE") == plant.severe
    assert _by_code(findings, "RATER_HALO") == _by_code(findings, "RATER_CENTRAL_TENDENCY") == []


def test_a_department_that_inflates_is_one_finding():
    members = [f"E{team:02d}{i:02d}" for team in (1, 5, 9) for i in range(8)]  # department D1
    plant = Plant(inflators=[*members, "E0003"])
    employees, ratings = make_360(seed=7, plant=plant)
    found = [
        f
        for f in diagnose_raters(make_client({"employees": employees, "ratings": ratings}))
        if f.code == "SELF_INFLATION"
    ]
    department = [f for f in found if f.evidence["level"] == "department"]
    assert [f.subject for f in department] == ["D1"]
    assert department[0].evidence["n_people"] == 24 and department[0].evidence["mean_gap"] > 1.0
    people = [f.subject for f in found if f.evidence["level"] == "employee"]
    assert people == ["E0003"]  # D1's members are covered by the department's finding


def test_a_severe_manager_does_not_make_their_team_look_self_inflated():
    """Others' mean is corrected for a clearly severe manager before self-ratings are compared."""
    employees, ratings = make_360(
        seed=1, plant=Plant(severe=["M07"], inflators=["E0102"]), self_bias=0.5
    )
    harsh = ratings["rater_id"].eq("M07")
    ratings.loc[harsh, "score"] = (ratings.loc[harsh, "score"] - 1.5).clip(
        lower=1
    )  # about 2.5 points severe
    effects = rater_effects(ratings)
    assert effects.attrs["offsets"].loc[("M07", "manager")] < -1.0
    raw, corrected = self_ratings(ratings), self_ratings(ratings, effects.attrs["offsets"])
    team = raw.index.str.startswith("E07")
    rest = corrected.loc[~team & (raw.index != "E0102"), "gap"].mean()
    assert raw.loc[team, "gap"].mean() - rest > 0.3  # the confound: M07's team looks inflated
    assert abs(corrected.loc[team, "gap"].mean() - rest) < 0.15
    assert (corrected.loc[~team, "gap"] == raw.loc[~team, "gap"]).all()
    found = diagnose_raters(make_client({"employees": employees, "ratings": ratings}))
    assert _by_code(found, "RATER_SEVERE") == ["M07"]
    assert _by_code(found, "SELF_INFLATION") == ["E0102"]
