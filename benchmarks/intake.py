"""Load + validate a client against plain ``pandas.read_csv`` of the same files, with peak memory."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from benchmarks.run import benchmark

DATA = Path(__file__).with_name("data")


def scratch() -> tempfile.TemporaryDirectory:
    """Return a temporary folder for a benchmark's outputs, beside its data in :data:`DATA`.

    Not in the system's temporary folder: a report writes a file per employee, and on the
    benchmark machine a file created under ``/tmp`` cost 0.15-0.39 ms of CPU (0.8 ms before its
    22 GB of leftovers were cleared) against 0.04 ms elsewhere on the same ext4 disk, which
    measured the disk's layout rather than perfkit. A consultant's deliverables go to a project
    folder, like these.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="work-", dir=DATA)


SIZES = (1_000, 10_000, 100_000)
KPIS_PER_ROLE = 6
PERIODS = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
COMPETENCIES = ("communication", "teamwork", "ownership", "customer focus", "problem solving")
DEPARTMENTS = (
    "销售部",
    "运营部",
    "财务部",
    "人力资源部",
    "信息技术部",
    "客服部",
    "Marketing",
    "Legal",
)
PERSPECTIVES = ("financial", "customer", "process", "learning")
OBJECTIVES = (
    "提升收入",
    "客户满意",
    "降本增效",
    "人才发展",
    "Grow market share",
    "Digital operations",
)
GENERATOR_VERSION = "2"  # bump when write_client changes, so cached clients are rewritten
VERSION_FILE = "generator.txt"


def _write(table: dict[str, np.ndarray], path: Path) -> None:
    arrays = {k: pa.array(v, from_pandas=True) for k, v in table.items()}  # NaN -> empty cell
    pacsv.write_csv(pa.table(arrays), path, pacsv.WriteOptions(quoting_style="needed"))


def write_client(folder: Path, employees: int, seed: int = 0) -> Path:
    """Write a synthetic client of ``employees`` people: about 24 results and 20 ratings each.

    Realistic enough for every analysis of ``perfkit diagnose``: KPIs with targets, directions,
    units, perspectives and objectives; results and 360° ratings that follow a latent
    performance (plus rater leniency and noise); employees with department, role, manager,
    gender, rating, pay and potential; objectives. Written with numpy and pyarrow (fast;
    independent of :mod:`perfkit.sample`).
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = employees
    ids = np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    roles = np.array([f"R{r:02d}" for r in range(20)])
    role_of = rng.integers(0, len(roles), n)
    managers = ids[np.minimum(np.arange(n), rng.integers(0, max(n // 10, 1), n))]
    hire = (np.datetime64("2010-01-01") + rng.integers(0, 5000, n)).astype(str)
    level = rng.integers(1, 6, n)
    latent = rng.normal(size=n)  # each person's true performance
    rating = np.clip(np.round(3 + 0.8 * latent + rng.normal(0, 0.6, n)), 1, 5).astype(int)
    midpoint = 50_000 + 20_000 * level
    _write(
        {
            "employee_id": ids,
            "name": np.char.add("员工", np.arange(n).astype(str)),
            "department": np.array(DEPARTMENTS)[rng.integers(0, len(DEPARTMENTS), n)],
            "role": roles[role_of],
            "manager_id": managers,
            "level": np.char.add("L", level.astype(str)),
            "hire_date": hire,
            "gender": np.array(["F", "M"])[rng.integers(0, 2, n)],
            "base_salary": np.round(midpoint * rng.uniform(0.8, 1.2, n), 0),
            "salary_midpoint": midpoint.astype(float),
            "last_increase_pct": np.round(
                np.clip(3 + 1.2 * latent + rng.normal(0, 1, n), 0, 12), 1
            ),
            "bonus_target_pct": np.where(level >= 4, 20.0, 10.0),
            "rating": rating,
            "potential": np.clip(np.round(2 + 0.5 * latent + rng.normal(0, 0.6, n)), 1, 3).astype(
                int
            ),
        },
        folder / "employees.csv",
    )
    n_kpis = len(roles) * KPIS_PER_ROLE
    kpi_ids = np.array([f"K{r:02d}{k}" for r in range(len(roles)) for k in range(KPIS_PER_ROLE)])
    slot_of_kpi = np.arange(n_kpis) % KPIS_PER_ROLE
    direction = np.where(slot_of_kpi == 0, "lower", "higher")
    target = np.where(slot_of_kpi == 0, 20.0, 100.0)
    _write(
        {
            "kpi_id": kpi_ids,
            "name": np.char.add("指标 ", kpi_ids),
            "role": np.repeat(roles, KPIS_PER_ROLE),
            "weight": np.full(n_kpis, 100 / KPIS_PER_ROLE).round(4),
            "target": target,
            "direction": direction,
            "threshold": np.where(slot_of_kpi == 2, 70.0, np.nan),
            "stretch": np.where(slot_of_kpi == 2, 130.0, np.nan),
            "unit": np.where(slot_of_kpi == 0, "天", "%"),
            "perspective": np.array(PERSPECTIVES)[slot_of_kpi % len(PERSPECTIVES)],
            "objective_id": np.char.add("O", (slot_of_kpi % len(OBJECTIVES)).astype(str)),
            "description": np.where(
                slot_of_kpi == 0,
                "每季度平均处理天数,来自 ERP 报表",
                "quarterly attainment in %, from the CRM report",
            ),
        },
        folder / "kpis.csv",
    )
    _write(
        {
            "objective_id": np.char.add("O", np.arange(len(OBJECTIVES)).astype(str)),
            "name": np.array(OBJECTIVES),
            "perspective": np.array(PERSPECTIVES)[np.arange(len(OBJECTIVES)) % len(PERSPECTIVES)],
        },
        folder / "objectives.csv",
    )
    per = KPIS_PER_ROLE * len(PERIODS)
    employee = np.repeat(np.arange(n), per)
    slot = np.tile(np.arange(per), n)
    kpi = role_of[employee] * KPIS_PER_ROLE + slot % KPIS_PER_ROLE
    sign = np.where(direction[kpi] == "lower", -1.0, 1.0)
    drift = (
        0.02 * (slot // KPIS_PER_ROLE) * np.sign(latent[employee])
    )  # rising and declining people
    actual = target[kpi] * (
        1 + sign * (0.1 * latent[employee] + drift) + 0.12 * rng.normal(size=len(employee))
    )
    _write(
        {
            "employee_id": ids[employee],
            "kpi_id": kpi_ids[kpi],
            "period": np.array(PERIODS)[slot // KPIS_PER_ROLE],
            "actual": np.round(actual, 2),
        },
        folder / "results.csv",
    )
    relations = np.array(["self", "manager", "peer", "peer"])
    per = len(relations) * len(COMPETENCIES)
    ratee = np.repeat(np.arange(n), per)
    slot = np.tile(np.arange(per), n)
    relation = relations[slot // len(COMPETENCIES)]
    peers = (ratee + 1 + slot // len(COMPETENCIES)) % n
    rater_index = np.where(
        relation == "self",
        ratee,
        np.where(relation == "manager", np.searchsorted(ids, managers[ratee]), peers),
    )
    leniency = rng.normal(0, 0.3, n)
    score = np.clip(
        np.round(
            3
            + 0.7 * latent[ratee]
            + leniency[rater_index]
            + 0.4 * (relation == "self")
            + rng.normal(0, 0.6, len(ratee))
        ),
        1,
        5,
    )
    _write(
        {
            "employee_id": ids[ratee],
            "rater_id": ids[rater_index],
            "relation": relation,
            "period": np.full(len(ratee), PERIODS[-1]),
            "competency": np.array(COMPETENCIES)[slot % len(COMPETENCIES)],
            "score": score.astype(int),
        },
        folder / "ratings.csv",
    )
    (folder / VERSION_FILE).write_text(GENERATOR_VERSION, encoding="utf-8")
    return folder


def client_folder(employees: int) -> Path:
    """Return the benchmark client of a size, writing it on first use (or when the generator changed)."""
    folder = DATA / f"client-{employees}"
    marker = folder / VERSION_FILE
    if not marker.is_file() or marker.read_text(encoding="utf-8") != GENERATOR_VERSION:
        for stale in folder.glob("*.csv"):
            stale.unlink()
        write_client(folder, employees)
    return folder


def _read_all(folder: Path) -> None:
    import pandas as pd

    for file in sorted(folder.glob("*.csv")):
        pd.read_csv(file)


def _load(folder: Path) -> None:
    from perfkit.intake import load_client

    load_client(folder)


def _best(function, folder: Path, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function(folder)
        times.append(time.perf_counter() - start)
    return min(times)


_PEAK = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from {module} import {what}
import pandas, pyarrow, perfkit.intake, pandera.pandas

def hwm():  # the peak resident set of this process (ru_maxrss would carry the parent's over exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    return int(line.split()[1]) / 1024

before = hwm()
{what}(Path({folder!r}))
after = hwm()
print(after, after - before)
"""


def peak_memory_mb(
    what: str, folder: Path, module: str = "benchmarks.intake"
) -> tuple[float, float]:
    """Return the peak resident memory of a fresh process doing ``what``, and its growth, in MB.

    ``what`` names a function of ``module`` that takes the client folder.
    """
    code = _PEAK.format(
        root=str(Path(__file__).parents[1]), what=what, module=module, folder=str(folder)
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    peak, growth = map(float, output.split())
    return peak, growth


@benchmark("intake")
def bench_intake(sizes: list[int] | tuple[int, ...] = SIZES) -> list[dict]:
    """Time ``load_client`` (read, coerce and validate) against ``pd.read_csv`` of the same files."""
    _load(client_folder(min(sizes)))  # imports and caches warm
    entries = []
    for size in sizes:
        folder = client_folder(size)
        repeat = 5 if size <= 10_000 else 3
        rows = sum(f.read_bytes().count(b"\n") - 1 for f in folder.glob("*.csv"))
        baseline = _best(_read_all, folder, repeat)
        loaded = _best(_load, folder, repeat)
        peak, growth = peak_memory_mb("_load", folder)
        base_peak, base_growth = peak_memory_mb("_read_all", folder)
        entries.append(
            {
                "benchmark": "intake",
                "case": f"{size} employees",
                "employees": size,
                "rows": rows,
                "read_csv_s": round(baseline, 3),
                "load_validate_s": round(loaded, 3),
                "ratio": round(loaded / baseline, 2),
                "seconds": round(loaded, 3),
                "floor_s": round(baseline, 3),
                "floor": "pd.read_csv",
                "peak_mb": round(peak, 1),
                "growth_mb": round(growth, 1),
                "read_csv_peak_mb": round(base_peak, 1),
                "read_csv_growth_mb": round(base_growth, 1),
            }
        )
    return entries


if __name__ == "__main__":
    print(json.dumps(bench_intake([int(a) for a in sys.argv[1:]] or SIZES), indent=2))
