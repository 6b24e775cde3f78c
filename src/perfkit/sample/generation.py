"""Generate a sample client in memory: its tables, its settings and the truth planted in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from perfkit.errors import UsageError
from perfkit.language import LANGUAGES, pick
from perfkit.sample.appraisal import appraisal_scores, draw_potential, pay_columns, rate_employees
from perfkit.sample.catalog import CLIENTS
from perfkit.sample.flaws import SKEW, Plan, plan_flaws
from perfkit.sample.kpis import build_kpi_system
from perfkit.sample.ratings import (
    build_competencies,
    build_ratings,
    build_training_catalog,
    draw_profiles,
)
from perfkit.sample.results import build_results
from perfkit.sample.world import (
    FEMALE_SHARE,
    LOCATION_SHARES,
    PERIODS,
    World,
    build_world,
    employees_frame,
    stratify,
)

MIN_EMPLOYEES = 10
TRUTH_VERSION = 1


@dataclass
class Sample:
    """A generated sample client.

    Attributes
    ----------
    tables : dict of str to DataFrame
        The contract's tables (employees, kpis, results, ratings, objectives, competencies,
        training_catalog) in the contract's columns.
    settings : dict
        The content of ``engagement.yaml``.
    truth : dict
        What was planted (see ``docs/sample.md``): ``planted`` findings ``{code, subject, ...}``,
        ``clean`` codes, ``trajectories``, ``performance``, ``current_performance``, ``over_rated``.
    lang : {"zh", "en"}
    """

    tables: dict[str, pd.DataFrame]
    settings: dict[str, Any]
    truth: dict[str, Any]
    lang: str = "zh"


def generate_sample(employees: int = 300, seed: int = 0, lang: str = "zh") -> Sample:
    """Generate a realistic sample client with planted patterns and flaws.

    Parameters
    ----------
    employees : int, default 300
        Head count, the CEO included; at least 10 (the planted effects are reliable from about 150).
    seed : int, default 0
        Chooses everything, the planted subjects included: another seed plants the same kinds
        of flaw on other subjects.
    lang : {"zh", "en"}
        The language of names, departments, roles, KPIs and competencies.

    Returns
    -------
    Sample

    Raises
    ------
    UsageError
        When ``employees`` is below 10 or ``lang`` is not zh or en.

    Examples
    --------
    >>> sample = generate_sample(200, seed=3, lang="en")
    >>> sorted(sample.tables)[:3]
    ['competencies', 'employees', 'kpis']
    """
    if lang not in LANGUAGES:
        raise UsageError(f"The 'lang' of a sample must be 'zh' or 'en'. Got {lang!r} instead.")
    if not isinstance(employees, (int, np.integer)) or employees < MIN_EMPLOYEES:
        raise UsageError(
            pick(
                lang,
                zh=f"样本至少需要 {MIN_EMPLOYEES} 名员工,收到 {employees!r}。",
                en=f"employees={employees!r} should be >= {MIN_EMPLOYEES}.",
            )
        )
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    world = build_world(int(employees), lang, streams[0])
    plan = plan_flaws(world, streams[1])
    # groups span the client's ratings alike, so that only the planted group differs
    skew = world.appraisal + np.where(world.department == plan.skew_department, SKEW, 0.0)
    world.gender = np.where(stratify(skew, FEMALE_SHARE, streams[6]) == 0, "F", "M").astype(object)
    system = build_kpi_system(world, plan, streams[2])
    results = build_results(world, system, streams[3])
    profile = draw_profiles(world, plan, streams[4])
    ratings = build_ratings(world, plan, profile, streams[4])
    rating = rate_employees(world, plan)
    world.location = stratify(appraisal_scores(world, plan), LOCATION_SHARES, streams[6])
    staff = employees_frame(world, streams[6])
    staff["rating"] = rating
    staff["potential"] = draw_potential(world, streams[5])
    staff = pd.concat([staff, pay_columns(world, plan, rating, streams[5])], axis=1)
    tables = {
        "employees": staff,
        "kpis": system.kpis,
        "results": results,
        "ratings": ratings,
        "objectives": system.objectives,
        "competencies": build_competencies(world, profile),
        "training_catalog": build_training_catalog(lang, streams[7]),
    }
    client = CLIENTS[lang][int(streams[7].integers(len(CLIENTS[lang])))]
    bonus = staff["base_salary"] * staff["bonus_target_pct"] / 100
    settings = {
        "client": client,
        "language": lang,
        "current_period": PERIODS[-1],
        "scale": {"min": 1, "max": 5},
        "rewards": {
            "bonus_pool": float(round(bonus.sum(), -4)),
            "merit_budget_pct": 4.0 if lang == "zh" else 3.5,
        },
    }
    truth = build_truth(
        world, plan, system.planted, employees=int(employees), seed=seed, client=client
    )
    return Sample(tables=tables, settings=settings, truth=truth, lang=lang)


def build_truth(
    world: World, plan: Plan, kpi_planted: list[dict], *, employees: int, seed: int, client: str
) -> dict[str, Any]:
    """The machine-readable truth: planted findings, trajectories and latent performance."""
    ids = world.employee_ids
    reports = world.report_counts()
    planted = list(kpi_planted)
    for code, person in (
        ("RATER_LENIENT", plan.lenient),
        ("RATER_SEVERE", plan.severe),
        ("RATER_CENTRAL_TENDENCY", plan.central),
        ("RATER_HALO", plan.halo),
    ):
        planted.append(
            {
                "code": code,
                "subject": str(ids[person]),
                "relation": "manager",
                "department": world.department_name(int(world.department[person])),
                "ratees": int(reports[person]),
            }
        )
    in_self = world.department == plan.self_department
    planted.append(
        {
            "code": "SELF_INFLATION",
            "subject": world.department_name(plan.self_department),
            "employees": [str(i) for i in ids[in_self]],
        }
    )
    planted.append(
        {
            "code": "GRADE_DISTRIBUTION_SKEWED",
            "subject": world.department_name(plan.skew_department),
            "column": "employees.rating",
        }
    )
    clean = ["RATING_COMPRESSED", "RATING_RESULTS_MISALIGNED"]
    if plan.female_penalty:
        planted.append(
            {"code": "ADVERSE_IMPACT", "subject": "gender:F", "column": "employees.rating"}
        )
    else:
        clean.append("ADVERSE_IMPACT")
    if plan.pay_follows_performance:
        clean.append("PAY_PERFORMANCE_MISALIGNED")
    else:
        planted.append(
            {
                "code": "PAY_PERFORMANCE_MISALIGNED",
                "subject": "last_increase_pct",
                "column": "employees.last_increase_pct",
            }
        )
    performance = np.round(world.performance, 4)
    return {
        "version": TRUTH_VERSION,
        "generator": {"employees": employees, "seed": seed, "lang": world.lang},
        "client": client,
        "periods": list(PERIODS),
        "current_period": PERIODS[-1],
        "planted": planted,
        "clean": clean,
        "over_rated": [str(i) for i in ids[plan.over_rated]],
        "trajectories": dict(zip(map(str, ids), map(str, world.trajectory), strict=True)),
        "current_performance": dict(zip(map(str, ids), performance[:, -1].tolist(), strict=True)),
        "performance": {
            str(i): dict(zip(PERIODS, row, strict=True))
            for i, row in zip(ids, performance.tolist(), strict=True)
        },
    }
