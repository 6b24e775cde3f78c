"""Benchmark of the workshops' update latency: a slider move → updated outputs, at 10k employees."""

from __future__ import annotations

import time

import numpy as np

from benchmarks.run import benchmark
from benchmarks.scoring import build_client


def _latencies(workshop, moves: list[tuple[str, object]]) -> list[float]:
    """Seconds per control move (set ``.value``; the observers recompute synchronously)."""
    times = []
    for name, value in moves:
        t0 = time.perf_counter()
        workshop.controls[name].value = value
        times.append(time.perf_counter() - t0)
    return times


def _figures(prefix: str, seconds: list[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {
        f"{prefix}_median_ms": round(float(np.median(ms)), 1),
        f"{prefix}_p95_ms": round(float(np.percentile(ms, 95)), 1),
        f"{prefix}_max_ms": round(float(ms.max()), 1),
    }


def run(n_employees: int = 10_000, moves: int = 20, seed: int = 0) -> dict:
    """Time ``moves`` slider moves of the weights, calibration and rewards workshops (fresh values).

    Returns
    -------
    dict
        employees, kpis, build_s (scoring plus building the workshop), then the median, 95th
        percentile and maximum latency in milliseconds per workshop (``weights_*`` for KPI
        weight and mix sliders, ``calibration_*`` for share sliders).
    """
    from perfkit.scoring import score_performance
    from perfkit.workshop import calibration_workshop, weights_workshop

    rng = np.random.default_rng(seed)
    client = build_client(n_employees, n_periods=2, raters=4)
    scores = score_performance(client)
    t0 = time.perf_counter()
    shop = weights_workshop(client, scores)
    build = time.perf_counter() - t0
    weight_names = [n for n in shop.controls if n.startswith("weight:")]
    plan = []
    for i in range(moves):  # alternate weight and mix sliders, values never repeated
        if i % 2:
            plan.append(
                ("mix", round(0.05 * (i % 12 + 1), 2))
            )  # 0.10, 0.20 ... 0.60: never the start 0.70
        else:
            name = weight_names[rng.integers(len(weight_names))]
            plan.append((name, int((shop.controls[name].value + 5 * (i + 1)) % 101)))
    weights = _latencies(shop, plan)
    cal = calibration_workshop(client, scores)
    share_moves = [
        (f"share:{g}", round(0.05 + 0.01 * i, 2))
        for i, g in zip(range(moves), ["S", "A", "B", "C", "D"] * moves, strict=False)
    ]
    calibration = _latencies(cal, share_moves)
    rewards = _rewards_latencies(n_employees, moves, seed)
    return {
        "employees": n_employees,
        "kpis": len(client.tables["kpis"]),
        "moves": moves,
        "build_s": round(build, 2),
        **_figures("weights", weights),
        **_figures("calibration", calibration),
        **_figures("rewards", rewards),
    }


def _rewards_latencies(n_employees: int, moves: int, seed: int) -> list[float]:
    """Pool, merit-budget and multiplier moves of the rewards workshop on a sample client with pay."""
    from pathlib import Path

    from perfkit.intake import Client
    from perfkit.sample import generate_sample
    from perfkit.scoring import score_performance
    from perfkit.settings import parse_settings
    from perfkit.workshop import rewards_workshop

    sample = generate_sample(n_employees, seed=seed, lang="zh")
    tables = {
        name: frame.astype({c: "str" for c in frame.select_dtypes("category")})
        for name, frame in sample.tables.items()
    }
    client = Client("bench", Path("."), parse_settings(sample.settings), tables)
    shop = rewards_workshop(client, score_performance(client))
    pool = float(shop.controls["bonus_pool"].value)
    plan: list[tuple[str, object]] = []
    for i in range(moves):  # pool, budget and a multiplier in turn, never a value seen before
        if i % 3 == 0:
            plan.append(("bonus_pool", round(pool * (0.8 + 0.01 * i), 2)))
        elif i % 3 == 1:
            plan.append(("merit_budget_pct", round(2.0 + 0.1 * i, 2)))
        else:
            plan.append(("multiplier:D", round(0.01 * (i % 40), 2)))
    return _latencies(shop, plan)


@benchmark("workshop")
def workshop_benchmark(sizes: list[int] | None = None) -> list[dict]:
    """Registered entry for ``benchmarks/run.py``: one entry per size (default 10k)."""
    return [{"case": f"{n}-employees", **run(n)} for n in (sizes or [10_000])]


if __name__ == "__main__":
    print(run())
