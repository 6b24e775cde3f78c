"""A small synthetic client and its scores, built in memory for the plans and rewards tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from perfkit.intake import Client
from perfkit.settings import parse_settings

COMPETENCIES = ("沟通", "领导力", "Analysis", "Customer focus", "执行力")
FORMATS = ("classroom", "online", "coaching", "mentoring", "stretch_assignment", "external")
PERIODS = ("2025Q3", "2025Q4")


@dataclass
class Scores:
    """The shape of perfkit.scoring.PerformanceScores that plans and rewards read."""

    employees: pd.DataFrame
    attainment: pd.DataFrame
    competencies: pd.DataFrame
    by_period: pd.DataFrame | None = None
    notes: list = field(default_factory=list)


def grade_by_share(score: pd.Series, names: list[str], shares: list[float]) -> pd.Series:
    """Best ``shares[0]`` of scores get ``names[0]``, and so on (ties broken by order)."""
    rank = score.rank(ascending=False, method="first") / len(score)
    edges = np.cumsum(shares)
    idx = np.searchsorted(edges, rank.to_numpy() - 1e-12)
    return pd.Series(
        np.asarray(names, dtype=object)[np.minimum(idx, len(names) - 1)], index=score.index
    )


def build_world(
    n: int = 60, seed: int = 0, lang: str = "zh", settings: dict | None = None, pay: bool = True
) -> tuple[Client, Scores]:
    """Return a client of ``n`` employees and scores in the shape of PerformanceScores."""
    rng = np.random.default_rng(seed)
    ids = [f"{i:04d}" for i in range(1, n + 1)]
    depts = rng.choice(["销售部", "Operations", "财务部", "IT"], n)
    roles = np.array([f"{d}-{r}" for d, r in zip(depts, rng.choice(["A", "B"], n), strict=True)])
    levels = rng.choice(["L1", "L2", "L3", "L4", "L5"], n)
    midpoint = (
        pd.Series(levels)
        .map({"L1": 8e4, "L2": 1.1e5, "L3": 1.5e5, "L4": 2.1e5, "L5": 3e5})
        .to_numpy()
    )
    names = [f"员工{i}" for i in range(n)]
    names[0] = '=HYPERLINK("http://evil.example","click")'
    names[1 % n] = "+1+1"
    employees = pd.DataFrame(
        {
            "employee_id": ids,
            "department": depts,
            "name": names,
            "role": roles,
            "manager_id": np.asarray(ids, dtype=object)[(rng.random(n) * np.arange(n)).astype(int)],
            "level": levels,
            "hire_date": pd.to_datetime("2025-12-31")
            - pd.to_timedelta(rng.integers(30, 4000, n), unit="D"),
            "gender": rng.choice(["F", "M"], n),
            "location": rng.choice(["上海", "Beijing"], n),
            "potential": rng.integers(1, 4, n).astype(float),
        }
    )
    if pay:
        employees["base_salary"] = (midpoint * rng.uniform(0.75, 1.3, n)).round(0)
        employees["salary_midpoint"] = midpoint
        employees["bonus_target_pct"] = rng.choice([10.0, 15.0, 20.0], n)
    kpis = []
    for role in sorted(set(roles)):
        for j in range(3):
            kpis.append(
                {
                    "kpi_id": f"{role}-K{j}",
                    "name": f"{role} 指标{j}",
                    "role": role,
                    "weight": [40.0, 30.0, 30.0][j],
                    "target": [100.0, 50.0, 5.0][j],
                    "direction": ["higher", "higher", "lower"][j],
                    "unit": ["万元", "%", "天"][j],
                }
            )
    kpis = pd.DataFrame(kpis)
    talent = rng.normal(0, 1, n)
    base = pd.DataFrame({"employee_id": ids, "role": roles, "t": talent})
    grid = base.merge(kpis, on="role").merge(pd.DataFrame({"period": PERIODS}), how="cross")
    att = np.maximum(0.0, 1 + 0.15 * grid["t"].to_numpy() + rng.normal(0, 0.1, len(grid)))
    higher = (grid["direction"] == "higher").to_numpy()
    actual = np.where(higher, grid["target"] * att, grid["target"] / np.maximum(att, 0.2))
    attainment = grid.assign(actual=np.round(actual, 2), attainment=np.minimum(att, 1.2))[
        ["employee_id", "kpi_id", "period", "actual", "target", "direction", "weight", "attainment"]
    ]
    results = attainment[["employee_id", "kpi_id", "period", "actual"]].copy()
    cg = base.merge(pd.DataFrame({"competency": COMPETENCIES}), how="cross")
    m = len(cg)
    required = rng.integers(2, 5, m).astype(float)
    level = np.clip(np.round(required + cg["t"].to_numpy() + rng.normal(0, 0.8, m)), 1, 5)
    comp_rows = pd.DataFrame(
        {
            "employee_id": cg["employee_id"],
            "competency": cg["competency"],
            "level": level,
            "required": required,
        }
    )
    others = np.clip(3 + 0.6 * cg["t"].to_numpy() + rng.normal(0, 0.4, m), 1, 5)
    self_score = np.clip(others + rng.normal(0.3, 0.6, m), 1, 5)
    score_rows = pd.DataFrame(
        {
            "employee_id": cg["employee_id"],
            "competency": cg["competency"],
            "score": np.round(others, 2),
            "self_score": np.round(self_score, 2),
        }
    )
    catalog = []
    for ci, c in enumerate(COMPETENCIES):
        for j in range(4):
            catalog.append(
                {
                    "course_id": f"C{ci}{j}",
                    "name": f"{c} 课程 {j}",
                    "competency": c,
                    "format": FORMATS[(ci + j) % len(FORMATS)],
                    "hours": float(4 + 4 * j),
                    "cost": float(500 + 700 * ((j * 3 + ci) % 4)),
                }
            )
    client = Client(
        name="world",
        path=Path("."),
        settings=parse_settings({"language": lang, **(settings or {})}),
        tables={
            "employees": employees,
            "kpis": kpis,
            "results": results,
            "competencies": comp_rows,
            "training_catalog": pd.DataFrame(catalog),
        },
    )
    current = attainment[attainment["period"] == PERIODS[-1]]
    kpi_score = (
        current.assign(w=current["weight"] * current["attainment"])
        .groupby("employee_id")["w"]
        .sum()
    )
    comp = score_rows
    comp_score = (comp.groupby("employee_id")["score"].mean() - 1) / 4 * 100
    frame = pd.DataFrame({"employee_id": ids, "department": depts, "role": roles})
    frame["kpi_score"] = frame["employee_id"].map(kpi_score)
    frame["competency_score"] = frame["employee_id"].map(comp_score)
    frame["score"] = 0.7 * frame["kpi_score"] + 0.3 * frame["competency_score"]
    st = client.settings
    shares = [g.share for g in st.grades]
    frame["grade"] = grade_by_share(frame["score"], st.grade_names, shares)
    frame["calibrated_score"] = frame["score"]
    frame["calibrated_grade"] = frame["grade"]
    return client, Scores(employees=frame, attainment=attainment, competencies=comp)
