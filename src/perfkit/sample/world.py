"""The sample's organisation: departments, roles, reporting lines, people and their latent performance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from perfkit.sample.catalog import (
    DEPARTMENTS,
    EXECUTIVE,
    FIRST_EN,
    GIVEN_ZH,
    LEVELS,
    LOCATIONS,
    SURNAMES_EN,
    SURNAMES_ZH,
    DepartmentDef,
    RoleDef,
)

PERIODS: tuple[str, ...] = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
TRAJECTORIES: dict[str, tuple[float, tuple[float, ...]]] = {
    "steady_high": (0.15, (1.2, 1.2, 1.2, 1.2)),
    "steady_mid": (0.40, (0.0, 0.0, 0.0, 0.0)),
    "steady_low": (0.15, (-1.2, -1.2, -1.2, -1.2)),
    "rising": (0.15, (-0.9, -0.3, 0.3, 0.9)),
    "declining": (0.15, (0.9, 0.3, -0.3, -0.9)),
}
#: The spread of latent performance across people (its standard deviation): a planted effect of
#: ``k`` standard deviations is ``k * PERFORMANCE_SD`` in latent units.
PERFORMANCE_SD = 0.835
PERSON_SD = 0.3  # a person's lasting offset from their trajectory
PERIOD_SD = 0.2  # a period's wobble around it
TEAM_SIZE = 10  # direct reports of a team lead
APPRAISAL_NOISE = 0.4  # the client's overall rating's noise, in latent standard deviations
FEMALE_SHARE = (0.45, 0.55)
LOCATION_SHARES = (0.4, 0.3, 0.2, 0.1)


@dataclass
class World:
    """The organisation, as arrays indexed by person (row ``i`` is ``employee_ids[i]``)."""

    lang: str
    employee_ids: np.ndarray
    department: np.ndarray  # index into ``departments``
    role: np.ndarray  # index into ``roles``
    manager: np.ndarray  # index of the manager, -1 for the CEO
    level: np.ndarray  # 0..4 for L1..L5
    gender: np.ndarray  # "F" or "M"
    location: np.ndarray  # index into the sample's locations
    trajectory: np.ndarray  # trajectory name per person
    performance: np.ndarray  # latent performance, people x periods
    appraisal: np.ndarray  # the client's view of current performance, before planted shifts
    departments: list[DepartmentDef]
    roles: list[tuple[int, RoleDef]]  # (department index, role)

    @property
    def size(self) -> int:
        """The number of people."""
        return len(self.employee_ids)

    def department_name(self, index: int) -> str:
        """A department's name in the sample's language."""
        dept = self.departments[index]
        return dept.zh if self.lang == "zh" else dept.en

    def role_name(self, index: int) -> str:
        """A role's name in the sample's language."""
        role = self.roles[index][1]
        return role.zh if self.lang == "zh" else role.en

    def report_counts(self) -> np.ndarray:
        """The number of direct reports of each person."""
        return np.bincount(self.manager[self.manager >= 0], minlength=self.size)

    @property
    def current(self) -> np.ndarray:
        """Latent performance in the current (last) period."""
        return self.performance[:, -1]


def split_counts(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole counts proportional to ``shares`` (largest remainder)."""
    shares = np.asarray(shares, dtype=float) / np.sum(shares)
    raw = shares * total
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def build_world(employees: int, lang: str, rng: np.random.Generator) -> World:
    """Build the organisation: a CEO, department heads, team leads and their teams."""
    departments = [EXECUTIVE, *DEPARTMENTS]
    roles: list[tuple[int, RoleDef]] = [
        (d, r) for d, dept in enumerate(departments) for r in dept.roles
    ]
    role_index = {(d, id(r)): i for i, (d, r) in enumerate(roles)}
    sizes = split_counts(employees - 1, np.array([d.share for d in DEPARTMENTS]))
    dept_l, role_l, mgr_l, level_l = (
        [np.array([0])],
        [np.array([0])],
        [np.array([-1])],
        [np.array([4])],
    )
    start = 1
    for d, n in enumerate(sizes, start=1):
        if n == 0:
            continue
        dept = departments[d]
        head = start
        staff = n - 1
        leads = 0 if staff <= TEAM_SIZE + 2 else int(round(staff / (TEAM_SIZE + 1)))
        members = staff - leads
        manager_role = role_index[(d, id(dept.roles[0]))]
        staff_roles = [role_index[(d, id(r))] for r in dept.roles if not r.manager]
        shares = np.array([r.share for r in dept.roles if not r.manager])
        member_roles = np.repeat(staff_roles, split_counts(members, shares))
        rng.shuffle(member_roles)
        lead_ids = head + 1 + np.arange(leads)
        member_mgr = lead_ids[np.arange(members) % leads] if leads else np.full(members, head)
        dept_l.append(np.full(n, d))
        role_l.append(np.concatenate([[manager_role] * (1 + leads), member_roles]).astype(int))
        mgr_l.append(np.concatenate([[0], np.full(leads, head), member_mgr]).astype(int))
        level_l.append(
            np.concatenate([[4], np.full(leads, 3), rng.choice(3, members, p=[0.35, 0.4, 0.25])])
        )
        start += n
    size = start
    width = max(4, len(str(size)))
    ids = np.array([f"E{i:0{width}d}" for i in range(1, size + 1)], dtype=object)
    trajectory, performance = draw_performance(size, rng)
    appraisal = performance[:, -1] / PERFORMANCE_SD + rng.normal(0, APPRAISAL_NOISE, size)
    # gender and location are balanced over the client's ratings once the flaws are planted
    gender = np.full(size, "M", dtype=object)
    location = np.zeros(size, dtype=int)
    return World(
        lang,
        ids,
        np.concatenate(dept_l),
        np.concatenate(role_l),
        np.concatenate(mgr_l),
        np.concatenate(level_l).astype(int),
        gender,
        location,
        trajectory,
        performance,
        appraisal,
        departments,
        roles,
    )


def stratify(
    score: np.ndarray, shares: tuple[float, ...], rng: np.random.Generator, block: int = 20
) -> np.ndarray:
    """Assign groups in ``shares`` within each block of ``block`` people of similar ``score``.

    Every group then spans the whole range of performance alike: no group gets fewer top
    ratings by chance (only the planted ADVERSE_IMPACT differs).
    """
    n = len(score)
    rank = np.empty(n, dtype=int)
    rank[np.argsort(score, kind="stable")] = np.arange(n)
    order = np.lexsort((rng.random(n), rank // block))
    within = np.empty(n, dtype=int)
    within[order] = np.arange(n) % block
    bounds = np.round(np.cumsum(shares) * block).astype(int)
    return np.searchsorted(bounds, within, side="right")


def draw_performance(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Assign trajectories in their exact shares and draw latent performance per period."""
    names = list(TRAJECTORIES)
    counts = split_counts(size, np.array([TRAJECTORIES[t][0] for t in names]))
    kind = np.repeat(np.arange(len(names)), counts)
    rng.shuffle(kind)
    means = np.array([TRAJECTORIES[t][1] for t in names])[kind]
    person = rng.normal(0, PERSON_SD, (size, 1))
    wobble = rng.normal(0, PERIOD_SD, (size, len(PERIODS)))
    return np.array(names, dtype=object)[kind], means + person + wobble


def draw_names(world: World, rng: np.random.Generator) -> np.ndarray:
    """Draw a plausible name for each person, by gender, in the sample's language."""
    n = world.size
    female = world.gender == "F"
    if world.lang == "zh":
        surname = np.array(SURNAMES_ZH, dtype=object)[rng.integers(0, len(SURNAMES_ZH), n)]
        first = np.where(female, _pick(GIVEN_ZH["F"], n, rng), _pick(GIVEN_ZH["M"], n, rng))
        middle = np.where(rng.random(n) < 0.6, _pick(GIVEN_ZH["X"], n, rng), "")
        return surname + middle + first
    first = np.where(female, _pick(FIRST_EN["F"], n, rng), _pick(FIRST_EN["M"], n, rng))
    return first + " " + _pick(SURNAMES_EN, n, rng)


def _pick(values: tuple[str, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    return np.array(values, dtype=object)[rng.integers(0, len(values), n)]


def employees_frame(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """The employees table's organisational columns (pay and ratings are added by appraisal)."""
    n = world.size
    dept_names = np.array(
        [world.department_name(i) for i in range(len(world.departments))], dtype=object
    )
    role_names = np.array([world.role_name(i) for i in range(len(world.roles))], dtype=object)
    manager_ids = np.where(
        world.manager >= 0, world.employee_ids[np.maximum(world.manager, 0)], None
    )
    years = np.array([1.5, 3.0, 5.0, 7.0, 9.0])[world.level] * rng.uniform(0.3, 1.7, n) + 0.2
    hired = pd.Timestamp("2025-12-31") - pd.to_timedelta(np.round(years * 365.25), unit="D")
    locations = np.array(LOCATIONS[world.lang], dtype=object)
    return pd.DataFrame(
        {
            "employee_id": world.employee_ids,
            "name": draw_names(world, rng),
            "department": dept_names[world.department],
            "role": role_names[world.role],
            "manager_id": manager_ids,
            "level": np.array(LEVELS, dtype=object)[world.level],
            "hire_date": hired.strftime("%Y-%m-%d"),
            "gender": world.gender,
            "location": locations[world.location],
        }
    )
