"""Which subjects the seed plants each flaw on, and how strong each planted effect is."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from perfkit.sample.catalog import OBJECTIVES, VAGUE_KPIS
from perfkit.sample.world import World

#: Planted effect sizes, in rating points (1..5 scale) unless said otherwise.
LENIENCY = 1.7  # the lenient manager's latent shift (about +1 point once clipped to 1..5)
SELF_INFLATION = 1.5  # the self-rating shift in the planted department
OVER_RATING = 1.6  # competency ratings of over-rated employees, above their results
SKEW = 1.25  # the skewed department's employees.rating, in latent standard deviations
FEMALE_PENALTY = 0.7  # zh: women's employees.rating, in latent standard deviations
EASY_SHIFT = 2.4  # too-easy KPI: target this many result SDs below the typical result
NO_SPREAD = 0.004  # no-discrimination KPI: relative spread of its results
MIN_REPORTS = 6  # a planted manager rates at least this many direct reports


@dataclass
class Plan:
    """The planted subjects, as indexes into the world (people, departments, roles).

    Attributes
    ----------
    weights_role, count_role, redundant_role : int
        Roles planted with weights summing to 90, with 10 KPIs, with a redundant KPI pair.
    easy_role, hard_role, flat_role : int
        Roles holding the too-easy, too-hard and no-discrimination KPIs (their first KPI).
    vague_roles : list of int
        Roles each holding one vague KPI.
    uncovered_objective : str
        The key of the objective no KPI links to.
    lenient, severe, central, halo : int
        The planted raters (people with direct reports).
    self_department, skew_department : int
        The department whose people inflate their self-ratings, the one with generous ratings.
    over_rated : np.ndarray
        People whose competency ratings run far above their KPI results.
    pay_follows_performance : bool
        False in the English sample: ``last_increase_pct`` ignores performance.
    female_penalty : bool
        True in the Chinese sample: women get fewer top ``employees.rating``.
    """

    weights_role: int
    count_role: int
    redundant_role: int
    easy_role: int
    hard_role: int
    flat_role: int
    vague_roles: list[int]
    uncovered_objective: str
    lenient: int
    severe: int
    central: int
    halo: int
    self_department: int
    skew_department: int
    pay_follows_performance: bool
    female_penalty: bool
    over_rated: np.ndarray = field(default_factory=lambda: np.array([], dtype=int))

    @property
    def kpi_roles(self) -> dict[str, int]:
        """The role of each role-level KPI plant."""
        return {
            "weights": self.weights_role,
            "count": self.count_role,
            "redundant": self.redundant_role,
            "easy": self.easy_role,
            "hard": self.hard_role,
            "flat": self.flat_role,
        }

    @property
    def raters(self) -> dict[str, int]:
        """The planted raters by effect."""
        return {
            "lenient": self.lenient,
            "severe": self.severe,
            "central": self.central,
            "halo": self.halo,
        }


def _ranked(
    candidates: np.ndarray, sizes: np.ndarray, minimum: int, rng: np.random.Generator
) -> list[int]:
    """Candidates of at least ``minimum`` size in random order, then the smaller ones, largest first."""
    small = sizes < minimum
    order = np.lexsort((rng.random(len(candidates)), np.where(small, -sizes, 0), small))
    return [int(c) for c in np.asarray(candidates)[order]]


def plan_flaws(world: World, rng: np.random.Generator) -> Plan:
    """Choose, with the seed, the subject of every planted flaw (distinct where it matters)."""
    role_sizes = np.bincount(world.role, minlength=len(world.roles))
    roles = np.arange(1, len(world.roles))  # role 0 is the CEO's
    own = np.array([len(world.roles[r][1].kpis) for r in roles])
    ranked = _ranked(roles, role_sizes[roles], 5, rng)
    count_role = next((r for r in ranked if own[r - 1] >= 4), ranked[0])
    ranked = [r for r in ranked if r != count_role]
    ranked += ranked * 2  # tiny samples reuse roles rather than fail
    weights_role, redundant_role, easy_role, hard_role, flat_role, vague_a, vague_b = ranked[:7]

    dept_sizes = np.bincount(world.department, minlength=len(world.departments))
    depts = np.arange(1, len(world.departments))
    dept_order = _ranked(depts, dept_sizes[depts], 40, rng)
    skew_department = dept_order[0]
    others = sorted((d for d in dept_order[1:] if dept_sizes[d] >= 8), key=lambda d: dept_sizes[d])
    self_department = int(rng.choice(others[:3])) if others else dept_order[-1]

    reports = world.report_counts()
    managers = np.flatnonzero((reports > 0) & (world.manager >= 0))  # not the CEO
    managers = (
        managers[world.department[managers] != self_department] if len(managers) > 4 else managers
    )
    order = _ranked(managers, reports[managers], MIN_REPORTS, rng)
    picked: list[int] = []
    for pass_ in (0, 1):  # distinct departments first, then any
        for m in order:
            if len(picked) == 4:
                break
            if m in picked or (
                pass_ == 0 and world.department[m] in {world.department[p] for p in picked}
            ):
                continue
            picked.append(m)
    picked += [picked[-1]] * (4 - len(picked)) if picked else [0] * 4
    team_mean = {m: world.current[world.manager == m].mean() if reports[m] else 0.0 for m in picked}
    by_mean = sorted(
        picked, key=lambda m: team_mean[m]
    )  # the lenient one has room to go up, the severe down
    picked = [by_mean[0], by_mean[-1], *by_mean[1:-1]] if len(set(picked)) == 4 else picked
    keys = [o[0] for o in OBJECTIVES]
    perspectives = [o[3] for o in OBJECTIVES]
    uncovered = [k for k, p in zip(keys, perspectives, strict=True) if perspectives.count(p) >= 2]
    plan = Plan(
        weights_role=weights_role,
        count_role=count_role,
        redundant_role=redundant_role,
        easy_role=easy_role,
        hard_role=hard_role,
        flat_role=flat_role,
        vague_roles=[vague_a, vague_b],
        uncovered_objective=str(rng.choice(uncovered)),
        lenient=picked[0],
        severe=picked[1],
        central=picked[2],
        halo=picked[3],
        self_department=self_department,
        skew_department=skew_department,
        pay_follows_performance=world.lang == "zh",
        female_penalty=world.lang == "zh",
    )
    plan.over_rated = _over_rated(world, plan, rng)
    return plan


def _over_rated(world: World, plan: Plan, rng: np.random.Generator) -> np.ndarray:
    """A few staff with weak current results, away from the planted raters and department."""
    reports = world.report_counts()
    planted_teams = np.isin(world.manager, list(plan.raters.values()))
    eligible = np.flatnonzero(
        (reports == 0)
        & ~planted_teams
        & (world.current < -0.3)
        & (world.department != plan.self_department)
        & (world.manager >= 0)
    )
    n = min(len(eligible), max(5, int(round(0.015 * world.size))))
    return np.sort(rng.choice(eligible, n, replace=False)) if n else np.array([], dtype=int)


def vague_definitions(lang: str, rng: np.random.Generator) -> list[tuple[str, str]]:
    """Two vague KPI (name, description) pairs in the sample's language."""
    chosen = rng.choice(len(VAGUE_KPIS), 2, replace=False)
    return [
        (VAGUE_KPIS[i][0], VAGUE_KPIS[i][2])
        if lang == "zh"
        else (VAGUE_KPIS[i][1], VAGUE_KPIS[i][3])
        for i in chosen
    ]
