"""The sample generator: determinism, seeds, contract columns, KPI system, trajectories, truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from perfkit.errors import UsageError
from perfkit.intake import TABLE_COLUMNS
from perfkit.sample import generate_sample
from perfkit.sample.world import TRAJECTORIES


def planted(truth: dict, code: str) -> list[dict]:
    """The planted entries of one finding code."""
    return [p for p in truth["planted"] if p["code"] == code]


def _subjects(truth: dict) -> set[tuple[str, str]]:
    return {(p["code"], p["subject"]) for p in truth["planted"]}


def test_same_seed_same_sample():
    a, b = generate_sample(150, seed=5, lang="en"), generate_sample(150, seed=5, lang="en")
    for table in a.tables:
        pd.testing.assert_frame_equal(a.tables[table], b.tables[table])
    assert a.truth == b.truth and a.settings == b.settings


def test_other_seeds_plant_elsewhere():
    truths = [generate_sample(300, seed=s, lang="zh").truth for s in (1, 2, 3)]
    for code in (
        "RATER_LENIENT",
        "RATER_SEVERE",
        "KPI_TARGET_TOO_EASY",
        "KPI_REDUNDANT",
        "KPI_WEIGHTS_NOT_100",
    ):
        subjects = {planted(t, code)[0]["subject"] for t in truths}
        assert len(subjects) >= 2, code
    assert [sorted(c for c, _ in _subjects(t)) for t in truths][0] == sorted(
        c for c, _ in _subjects(truths[1])
    )
    assert truths[0]["current_performance"] != truths[1]["current_performance"]


def test_contract_columns_present(sample):
    for table, columns in TABLE_COLUMNS.items():
        assert set(columns) <= set(sample.tables[table].columns), table
    ids = sample.tables["employees"]["employee_id"]
    assert ids.str.fullmatch(r"E\d{4,}").all() and ids.is_unique


def test_ratings_are_integers_on_the_scale(sample):
    for frame, column in (
        (sample.tables["ratings"], "score"),
        (sample.tables["employees"], "rating"),
    ):
        values = frame[column].to_numpy()
        assert np.issubdtype(values.dtype, np.integer) and values.min() >= 1 and values.max() <= 5
    assert set(sample.tables["employees"]["potential"]) == {1, 2, 3}


def _role_kpis(sample) -> dict[str, pd.DataFrame]:
    kpis = sample.tables["kpis"]
    shared = kpis[kpis["role"] == "*"]
    return {
        role: pd.concat([kpis[kpis["role"] == role], shared])
        for role in kpis["role"].unique()
        if role != "*"
    }


def test_weights_sum_to_100_except_the_planted_role(sample):
    wrong = planted(sample.truth, "KPI_WEIGHTS_NOT_100")[0]["subject"]
    sums = {role: frame["weight"].sum() for role, frame in _role_kpis(sample).items()}
    assert sums.pop(wrong) == 90
    assert set(sums.values()) == {100}


def test_kpi_counts_in_range_except_the_planted_role(sample):
    wrong = planted(sample.truth, "KPI_COUNT_OUT_OF_RANGE")[0]["subject"]
    counts = {role: len(frame) for role, frame in _role_kpis(sample).items()}
    assert counts.pop(wrong) > 8
    assert all(3 <= c <= 8 for c in counts.values()), counts


def test_kpi_definitions_are_measurable_except_the_vague_ones(sample):
    kpis = sample.tables["kpis"].set_index("kpi_id")
    vague = {p["subject"] for p in planted(sample.truth, "KPI_NOT_MEASURABLE")}
    assert len(vague) == 2 and kpis.loc[list(vague), "target"].isna().all()
    sound = kpis.drop(index=list(vague))
    assert sound["target"].notna().all() and sound["unit"].notna().all()
    assert sound["description"].str.contains(r"\d").all()
    assert not kpis.loc[list(vague), "description"].str.contains(r"\d").any()
    assert (kpis["direction"] == "lower").sum() >= 8
    assert "learning" not in set(kpis["perspective"])


def test_trajectory_shares(sample):
    shares = pd.Series(sample.truth["trajectories"]).value_counts(normalize=True)
    for name, (share, _) in TRAJECTORIES.items():
        assert shares[name] == pytest.approx(share, abs=0.01)


def test_planted_subjects_exist(sample):
    t = sample.tables
    kpi_ids, roles = set(t["kpis"]["kpi_id"]), set(t["kpis"]["role"])
    people, departments = set(t["employees"]["employee_id"]), set(t["employees"]["department"])
    raters = set(t["ratings"]["rater_id"].astype(str))
    for item in sample.truth["planted"]:
        code, subject = item["code"], item["subject"]
        if code in ("KPI_WEIGHTS_NOT_100", "KPI_COUNT_OUT_OF_RANGE"):
            assert subject in roles
        elif code.startswith("KPI_"):
            assert set(subject.split(",")) <= kpi_ids
        elif code.startswith("RATER_"):
            assert subject in people and subject in raters
        elif code in ("SELF_INFLATION", "GRADE_DISTRIBUTION_SKEWED"):
            assert subject in departments
        elif code == "OBJECTIVE_UNCOVERED":
            assert subject in set(t["objectives"]["objective_id"])
            assert subject not in set(t["kpis"]["objective_id"])
    assert set(sample.truth["over_rated"]) <= people
    assert set(sample.truth["current_performance"]) == people


def test_attainment_follows_true_performance(sample):
    kpis = sample.tables["kpis"][["kpi_id", "target", "direction", "weight"]]
    results = sample.tables["results"].astype({"kpi_id": str, "employee_id": str, "period": str})
    now = results[results["period"] == sample.truth["current_period"]].merge(kpis, on="kpi_id")
    now = now[now["target"].notna()]
    ratio = np.where(
        now["direction"] == "higher", now["actual"] / now["target"], now["target"] / now["actual"]
    )
    now = now.assign(points=np.clip(ratio, 0, 1.2) * now["weight"])
    sums = now.groupby("employee_id")[["points", "weight"]].sum()
    score = sums["points"] / sums["weight"]
    truth = pd.Series(sample.truth["current_performance"])[score.index]
    assert stats.spearmanr(score, truth).statistic >= 0.85


def test_rejects_bad_parameters():
    with pytest.raises(UsageError, match="employees"):
        generate_sample(5, lang="en")
    with pytest.raises(UsageError, match="lang"):
        generate_sample(100, lang="fr")
