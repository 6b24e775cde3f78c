"""Diagnose (every analysis) against the I/O floor, from 1k to 100k employees, with peak memory."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.intake import SIZES, _read_all, client_folder, peak_memory_mb
from benchmarks.run import benchmark

GOAL_FLOOR_RATIO = 5.0  # diagnose at 100k within 5x the time pandas takes to read the same files
GOAL_SCALING = 12.0  # 100k within 12x the 10k time (10x the data: near-linear)
GOAL_PEAK_MB = 4096.0  # load + diagnose at 100k, in a fresh process


def _diagnose(client) -> int:  # noqa: ANN001
    from perfkit.diagnosis import run_diagnosis

    return len(run_diagnosis(client).findings)


def load_and_diagnose(folder: Path) -> None:
    """Load a client and run every analysis (the work whose peak memory is measured)."""
    from perfkit.diagnosis import run_diagnosis
    from perfkit.intake import load_client

    run_diagnosis(load_client(folder))


_FRESH = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from benchmarks.intake import _read_all
import pandas, perfkit.intake
start = time.perf_counter()
_read_all(Path({folder!r}))
print(time.perf_counter() - start)
"""


def time_fresh_floor(folder: Path) -> float:
    """Return the seconds ``pd.read_csv`` of every table takes in a fresh process (imports done first).

    In a process that has already held a big client, the allocator reuses its memory and the
    read is up to 3x faster than in a fresh one: both floors are recorded.
    """
    code = _FRESH.format(root=str(Path(__file__).parents[1]), folder=str(folder))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(run.stdout.split()[-1])


def time_best(function, argument, repeat: int) -> tuple[float, float, object]:  # noqa: ANN001
    """Return the best wall and CPU seconds of ``function(argument)`` over ``repeat`` runs, and its result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function(argument)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return min(walls), min(cpus), result


@benchmark("diagnose")
def bench_diagnose(sizes: list[int] | tuple[int, ...] = SIZES) -> list[dict]:
    """Time ``run_diagnosis`` on a loaded client against reading the same files with pandas.

    The floor is the I/O any analysis needs: ``pd.read_csv`` of every table. Loading and
    validation are timed by the ``intake`` benchmark; here the client is loaded beforehand.
    """
    from perfkit.intake import load_client

    _diagnose(load_client(client_folder(min(sizes))))  # imports and caches warm
    entries, wall_of = [], {}
    for size in sorted(sizes):
        folder = client_folder(size)
        repeat = 3 if size <= 10_000 else 2
        client = load_client(folder)
        floor, floor_cpu, _ = time_best(_read_all, folder, repeat)
        wall, cpu, findings = time_best(_diagnose, client, repeat)
        del client
        fresh = min(time_fresh_floor(folder) for _ in range(2))
        wall_of[size] = wall
        entry = {
            "benchmark": "diagnose",
            "case": f"{size} employees",
            "employees": size,
            "seconds": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "floor_s": round(floor, 3),
            "floor": "pd.read_csv",
            "ratio": round(wall / floor, 2),
            "floor_cpu_s": round(floor_cpu, 3),
            "cpu_ratio": round(cpu / floor_cpu, 2),
            "fresh_floor_s": round(fresh, 3),
            "ratio_fresh": round(wall / fresh, 2),
            "findings": findings,
        }
        if size >= 100_000:
            entry.update(
                goal=f"<= {GOAL_FLOOR_RATIO:g}x floor", meets=wall / floor <= GOAL_FLOOR_RATIO
            )
        if size == 100_000 and 10_000 in wall_of:
            entry["vs_10k"] = round(wall / wall_of[10_000], 2)
            entry["goal"] += f"; <= {GOAL_SCALING:g}x 10k"
            entry["meets"] = entry["meets"] and wall / wall_of[10_000] <= GOAL_SCALING
        entries.append(entry)
    biggest = client_folder(max(sizes))
    peak, growth = peak_memory_mb("load_and_diagnose", biggest, module="benchmarks.diagnose")
    floor_peak, _ = peak_memory_mb("_read_all", biggest)
    entries.append(
        {
            "benchmark": "diagnose",
            "case": f"peak memory, load + diagnose, {max(sizes)} employees",
            "employees": max(sizes),
            "peak_mb": round(peak, 1),
            "growth_mb": round(growth, 1),
            "floor_peak_mb": round(floor_peak, 1),
            "floor": "pd.read_csv",
            "ratio": round(peak / floor_peak, 2),
            "goal": f"<= {GOAL_PEAK_MB:g} MB",
            "meets": peak <= GOAL_PEAK_MB,
        }
    )
    return entries
