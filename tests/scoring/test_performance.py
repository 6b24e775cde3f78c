"""score_performance on whole clients: the PerformanceScores shape and messy data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.findings import Finding
from perfkit.scoring import PerformanceScores, score_performance
from tests.support import real_data

EMPLOYEE_COLUMNS = [
    "employee_id",
    "department",
    "role",
    "kpi_score",
    "competency_score",
    "score",
    "grade",
    "calibrated_score",
    "calibrated_grade",
]


def small_client(make_client, **settings):
    employees = pd.DataFrame(
        {
            "employee_id": ["001", "002", "003", "004", "005"],
            "department": ["销售部", "销售部", "运营部", "运营部", "运营部"],
            "role": ["sales", "sales", "ops", np.nan, "ops"],
        }
    ).astype({"role": "str"})
    kpis = pd.DataFrame(
        {
            "kpi_id": ["S1", "S2", "O1", "ALL", "VAGUE"],
            "name": list("abcde"),
            "role": ["sales", "sales", "ops", "*", "ops"],
            "weight": [70.0, 30.0, 100.0, 0.0, 20.0],
            "target": [100.0, 5.0, 50.0, 1.0, np.nan],
            "direction": ["higher", "lower", "higher", "higher", "higher"],
        }
    )
    results = pd.DataFrame(
        [
            ("001", "S1", "2025Q3", 90.0),
            ("001", "S2", "2025Q3", 5.0),
            ("001", "S1", "2025Q4", 120.0),
            ("001", "S2", "2025Q4", 4.0),
            ("002", "S1", "2025Q4", 80.0),
            ("002", "S2", "2025Q4", np.nan),
            ("003", "O1", "2025Q3", 55.0),
            ("003", "VAGUE", "2025Q3", 3.0),
            ("004", "ALL", "2025Q4", 1.0),
            ("005", "S1", "2025Q4", 100.0),
            ("999", "O1", "2025Q4", 50.0),
        ],
        columns=["employee_id", "kpi_id", "period", "actual"],
    )
    return make_client({"employees": employees, "kpis": kpis, "results": results}, **settings)


def codes(notes):
    return [(n.code, n.subject) for n in notes]


def test_shape_of_performance_scores(make_client):
    scores = score_performance(small_client(make_client, language="en"))
    assert isinstance(scores, PerformanceScores)
    assert list(scores.employees.columns[:9]) == EMPLOYEE_COLUMNS
    assert scores.employees["employee_id"].tolist() == ["001", "002", "003", "004", "005"]
    assert {
        "employee_id",
        "kpi_id",
        "period",
        "actual",
        "target",
        "direction",
        "weight",
        "attainment",
    } <= set(scores.attainment.columns)
    assert {"employee_id", "period", "kpi_score", "competency_score", "score"} <= set(
        scores.by_period.columns
    )
    assert {"employee_id", "competency", "score", "self_score"} <= set(scores.competencies.columns)
    assert all(isinstance(n, Finding) for n in scores.notes)
    assert scores.current_period == "2025Q4"


def test_messy_rows_are_scored_and_reported(make_client):
    scores = score_performance(small_client(make_client, language="en"))
    emp = scores.employees.set_index("employee_id")
    assert emp.loc["001", "kpi_score"] == pytest.approx(100 * (70 * 1.2 + 30 * 1.2) / 100)
    assert emp.loc["002", "kpi_score"] == pytest.approx(80.0)  # NaN actual: re-normalised
    assert emp.loc["003", "period"] == "2025Q3" and emp.loc["003", "kpi_score"] == pytest.approx(
        110.0
    )
    assert emp.loc["004", "kpi_score"] == pytest.approx(100.0)  # no role, weight-0 * KPI
    assert emp.loc["005", "kpi_score"] == pytest.approx(100.0)  # off-role result, still scored
    assert "999" not in emp.index and "999" in set(scores.by_period["employee_id"])
    s = scores.summary
    assert s["results_no_actual"] == 1 and s["results_off_role"] == 1
    assert s["employees_partial_coverage"] == 2 and s["employees_other_period"] == 1
    assert s["kpis_no_target"] == ["VAGUE"]
    assert ("ANALYSIS_SKIPPED", "KPI attainment") in codes(scores.notes)
    assert ("ANALYSIS_SKIPPED", "competency score") in codes(scores.notes)
    assert any("2025Q4" in c for c in scores.caveats)


def test_messages_in_chinese(make_client):
    scores = score_performance(small_client(make_client, language="zh"))
    assert any(n.subject == "能力得分" for n in scores.notes)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c) for c in scores.caveats)


def test_employees_only_large_client_scores_from_rating(make_client):
    n = 54_808
    rng = np.random.default_rng(0)
    rating = np.where(rng.random(n) < 0.85, 3.0, rng.integers(1, 5, n)).astype(float)
    rating[rng.random(n) < 0.02] = np.nan
    employees = pd.DataFrame(
        {
            "employee_id": [f"{i:06d}" for i in range(n)],
            "department": rng.choice(["A", "B", "C"], n),
            "rating": rating,
        }
    )
    scores = score_performance(make_client({"employees": employees}, scale={"min": 1, "max": 4}))
    emp = scores.employees
    assert len(emp) == n
    assert emp.loc[emp["score"].notna(), "source"].eq("rating").all()
    steps = emp["score"].dropna().to_numpy() * 3 / 100  # 1..4 mapped to 0, 33.3, 66.7, 100
    assert np.allclose(steps, np.round(steps)) and set(np.round(steps)) <= {0, 1, 2, 3}
    graded = emp["grade"].notna().sum()
    assert graded == emp["score"].notna().sum()
    assert emp["grade"].value_counts()["S"] == int(np.floor(graded * 0.1 + 0.5))
    assert (emp["calibrated_score"].fillna(-1) == emp["score"].fillna(-1)).all()
    subjects = [n.subject for n in scores.notes]
    assert {"KPI 得分", "能力得分", "评分校准", "部分员工的绩效得分"} <= set(subjects)
    assert scores.attainment.empty and scores.by_period.empty and scores.grade_changes.empty


def test_nothing_to_score(make_client):
    employees = pd.DataFrame({"employee_id": ["a", "b"], "department": ["d", "d"]})
    scores = score_performance(make_client({"employees": employees}, language="en"))
    assert scores.employees["score"].isna().all() and scores.employees["grade"].isna().all()
    assert ("ANALYSIS_SKIPPED", "performance score and grades") in codes(scores.notes)


def test_single_employee_and_all_scores_equal(make_client):
    employees = pd.DataFrame(
        {"employee_id": [f"E{i}" for i in range(10)], "department": "d", "role": "r"}
    )
    kpis = pd.DataFrame(
        {"kpi_id": ["K"], "name": ["k"], "role": ["r"], "weight": [100.0], "target": [10.0]}
    )
    results = pd.DataFrame(
        {"employee_id": employees["employee_id"], "kpi_id": "K", "period": "P", "actual": 10.0}
    )
    scores = score_performance(
        make_client({"employees": employees, "kpis": kpis, "results": results})
    )
    emp = scores.employees
    assert (emp["score"] == 100.0).all()
    assert emp["grade"].value_counts().to_dict() == {"B": 4, "A": 2, "C": 2, "S": 1, "D": 1}
    assert emp.set_index("employee_id").loc["E0", "grade"] == "S"
    one = score_performance(
        make_client({"employees": employees.head(1), "kpis": kpis, "results": results.head(1)})
    )
    assert one.employees["score"].item() == 100.0 and one.employees["grade"].item() == "B"


def test_score_mix_and_rating_fallback(make_client):
    employees = pd.DataFrame(
        {"employee_id": ["a", "b", "c"], "department": "d", "role": "r", "rating": [5.0, 1.0, 3.0]}
    )
    kpis = pd.DataFrame(
        {"kpi_id": ["K"], "name": ["k"], "role": ["r"], "weight": [100.0], "target": [10.0]}
    )
    results = pd.DataFrame(
        {"employee_id": ["a"], "kpi_id": ["K"], "period": ["P"], "actual": [9.0]}
    )
    ratings = pd.DataFrame(
        {
            "employee_id": ["a", "b"],
            "rater_id": ["m", "m"],
            "relation": "manager",
            "period": "P",
            "competency": "c",
            "score": [5.0, 3.0],
        }
    )
    scores = score_performance(
        make_client(
            {"employees": employees, "kpis": kpis, "results": results, "ratings": ratings},
            score_mix={"kpi": 0.6, "competency": 0.4},
        )
    )
    emp = scores.employees.set_index("employee_id")
    assert emp.loc["a", "score"] == pytest.approx(0.6 * 90 + 0.4 * 100)
    assert emp.loc["b", "score"] == pytest.approx(50.0) and emp.loc["b", "source"] == "ratings"
    assert emp.loc["c", "score"] == pytest.approx(50.0) and emp.loc["c", "source"] == "rating"


def test_cutoff_grades_from_settings(make_client):
    employees = pd.DataFrame({"employee_id": ["a", "b"], "department": "d", "rating": [5.0, 2.0]})
    grades = [{"grade": "优秀", "min_score": 80}, {"grade": "合格", "min_score": 0}]
    scores = score_performance(make_client({"employees": employees}, grades=grades))
    assert scores.employees["grade"].tolist() == ["优秀", "合格"]


def test_hrdataset_v14_grades_from_performance_score(make_client):
    path = real_data("hrdataset-v14", "HRDataset_v14.csv")
    raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    labels = {"Exceeds": 4.0, "Fully Meets": 3.0, "Needs Improvement": 2.0, "PIP": 1.0}
    employees = pd.DataFrame(
        {
            "employee_id": raw["EmpID"].str.strip(),
            "department": raw["Department"].str.strip(),
            "rating": raw["PerformanceScore"].str.strip().map(labels),
        }
    )
    scores = score_performance(make_client({"employees": employees}, scale={"min": 1, "max": 4}))
    emp = scores.employees
    assert len(emp) == 311
    assert emp["score"].round(6).value_counts().to_dict() == {
        66.666667: 243,
        100.0: 37,
        33.333333: 18,
        0.0: 13,
    }
    assert emp["grade"].value_counts()["S"] == 31  # round(311 × 0.10)
    exceeds = emp[emp["score"] == 100.0]
    assert exceeds["grade"].value_counts().to_dict() == {
        "S": 31,
        "A": 6,
    }  # 37 Exceeds: the tie split by id
    assert exceeds.sort_values("employee_id")["grade"].tolist() == ["S"] * 31 + ["A"] * 6


def _mixed_coverage(seed: int) -> dict[str, pd.DataFrame]:
    """160 staff with KPI results and 360° ratings, 40 leads (as able) with ratings only."""
    rng = np.random.default_rng(seed)
    n_staff, n_leads = 160, 40
    ids = [f"S{i:03d}" for i in range(n_staff)] + [f"L{i:02d}" for i in range(n_leads)]
    latent = pd.Series(rng.normal(0, 1, len(ids)), index=ids)
    employees = pd.DataFrame(
        {"employee_id": ids, "department": "d", "role": ["staff"] * n_staff + ["lead"] * n_leads}
    )
    kpis = pd.DataFrame(
        {"kpi_id": ["K"], "name": ["k"], "role": ["staff"], "weight": [100.0], "target": [100.0]}
    )
    results = pd.DataFrame(
        {
            "employee_id": ids[:n_staff],
            "kpi_id": "K",
            "period": "P",
            "actual": 100 + 12 * latent.iloc[:n_staff].to_numpy() + rng.normal(0, 4, n_staff),
        }
    )
    ratings = pd.DataFrame(
        [
            {
                "employee_id": e,
                "rater_id": f"R{(i + j) % 30}",
                "relation": "peer",
                "period": "P",
                "competency": comp,
                "score": float(np.clip(np.round(3 + latent[e] + rng.normal(0, 0.6)), 1, 5)),
            }
            for i, e in enumerate(ids)
            for j in range(3)
            for comp in ("a", "b")
        ]
    )
    return {"employees": employees, "kpis": kpis, "results": results, "ratings": ratings}


def test_people_with_one_part_are_placed_on_the_composite_footing(make_client, monkeypatch):
    """Leads without KPI results are not ranked at the bottom for their competency_score's ~50 footing."""
    tables = _mixed_coverage(seed=3)

    def lead_grades():
        emp = score_performance(make_client(tables)).employees
        return emp, emp[emp["role"] == "lead"]

    import perfkit.scoring.performance as performance

    with monkeypatch.context() as patch:  # the confound: the part alone, on its own footing
        patch.setattr(performance, "MIN_EQUATING_REFERENCE", 10**9)
        emp, leads = lead_grades()
        assert leads["grade"].isin(["C", "D"]).mean() > 0.7  # 30 % expected when placed fairly
    emp, leads = lead_grades()
    assert (leads["source"] == "ratings").all()
    assert leads["grade"].isin(["C", "D"]).mean() < 0.5
    assert abs(leads["score"].mean() - emp.loc[emp["role"] == "staff", "score"].mean()) < 5
    # the better-rated lead still scores higher: equating keeps the order within the part
    ordered = leads.sort_values("competency_score")
    assert ordered["score"].is_monotonic_increasing
    assert leads["calibrated_score"].notna().all()
