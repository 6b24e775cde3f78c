"""Pattern fit: ``find_patterns`` from 1k to 100k employees against a plain k-means of the same features."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from benchmarks.run import benchmark
from perfkit.intake import Client
from perfkit.settings import EngagementSettings

TRAJECTORIES = {
    "steady_high": (0.15, 90.0, 0.0),
    "steady_mid": (0.40, 75.0, 0.0),
    "steady_low": (0.15, 60.0, 0.0),
    "rising": (0.15, 62.0, 9.0),
    "declining": (0.15, 88.0, -9.0),
}


def build_scores(n_employees: int = 100_000, n_periods: int = 4, seed: int = 0):
    """Return (client, scores, truth): scores shaped like ``perfkit.scoring.PerformanceScores``."""
    rng = np.random.default_rng(seed)
    names = list(TRAJECTORIES)
    truth = rng.choice(names, n_employees, p=[TRAJECTORIES[t][0] for t in names])
    ids = np.char.add("E", np.arange(n_employees).astype("U7"))
    start = np.array([TRAJECTORIES[t][1] for t in truth]) + rng.normal(0, 3, n_employees)
    step = np.array([TRAJECTORIES[t][2] for t in truth])
    periods = [f"2025Q{q + 1}" for q in range(n_periods)]
    frames = []
    for t, period in enumerate(periods):
        kpi = start + step * t + rng.normal(0, 4, n_employees)
        comp = start + step * t + rng.normal(0, 6, n_employees)
        frames.append(
            pd.DataFrame(
                {
                    "employee_id": ids,
                    "period": period,
                    "kpi_score": kpi,
                    "competency_score": comp,
                    "score": 0.7 * kpi + 0.3 * comp,
                }
            )
        )
    by_period = pd.concat(frames, ignore_index=True)
    current = frames[-1].assign(
        department=np.char.add("D", (np.arange(n_employees) % 7).astype("U1"))
    )
    employees = current[["employee_id", "department"]]
    client = Client("bench", Path("."), EngagementSettings(language="en"), {"employees": employees})
    scores = SimpleNamespace(by_period=by_period, employees=current, attainment=None, notes=[])
    return client, scores, pd.Series(truth, index=ids)


def run(n_employees: int = 100_000, seed: int = 0) -> dict[str, float]:
    """Time feature building, the clusterer alone and ``find_patterns`` end to end.

    Returns
    -------
    dict
        Wall seconds for each step (and CPU seconds of the clusterer, less sensitive to a busy machine), the k chosen, and the NMI with the planted trajectories.
    """
    from sklearn.metrics import normalized_mutual_info_score

    from perfkit.patterns import PatternClusterer, build_features, find_patterns, nine_box

    client, scores, truth = build_scores(n_employees, seed=seed)
    figures: dict[str, float] = {"employees": n_employees}
    start = time.perf_counter()
    features = build_features(client, scores)
    figures["features_s"] = time.perf_counter() - start
    cpu = time.process_time()
    matrix = features.standardised[["average", "trend"]].to_numpy()
    start = time.perf_counter()
    model = PatternClusterer(random_state=seed).fit(matrix)
    figures["clusterer_fit_s"] = time.perf_counter() - start
    figures["clusterer_fit_cpu_s"] = time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    result = find_patterns(client, scores, random_state=seed)
    figures["find_patterns_s"] = time.perf_counter() - start
    figures["find_patterns_cpu_s"] = time.process_time() - cpu
    start = time.perf_counter()
    nine_box(client, scores, features=result.features)
    figures["nine_box_s"] = time.perf_counter() - start
    figures["k"] = result.model.n_clusters_
    figures["k_clusterer_alone"] = model.n_clusters_
    labels = result.assignments.set_index("employee_id")["pattern"]
    figures["nmi"] = normalized_mutual_info_score(truth[labels.index], labels)
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def time_floor(features, k: int, seed: int = 0) -> float:  # noqa: ANN001
    """Return the seconds one k-means (``n_init=1``) of the same standardised features takes: the floor."""
    from sklearn.cluster import KMeans

    matrix = (
        features.standardised.drop(columns="employee_id", errors="ignore")
        .select_dtypes("number")
        .to_numpy()
    )
    start = time.perf_counter()
    KMeans(n_clusters=k, n_init=1, random_state=seed).fit(matrix)
    return time.perf_counter() - start


@benchmark("patterns")
def bench_patterns(sizes: list[int] | tuple[int, ...] = (1_000, 10_000, 100_000)) -> list[dict]:
    """Time ``find_patterns`` (features, k chosen by silhouette on a sample, naming) at each size."""
    from sklearn.metrics import normalized_mutual_info_score

    from perfkit.patterns import find_patterns

    client, scores, _ = build_scores(1_000)
    find_patterns(client, scores)  # imports warm
    entries = []
    for size in sorted(sizes):
        client, scores, truth = build_scores(size)
        walls, cpus = [], []
        for _ in range(2):
            start, cpu = time.perf_counter(), time.process_time()
            result = find_patterns(client, scores, random_state=0)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        k = result.model.n_clusters_
        floor = min(time_floor(result.features, k) for _ in range(2))
        labels = result.assignments.set_index("employee_id")["pattern"]
        entries.append(
            {
                "benchmark": "patterns",
                "case": f"{size} employees",
                "employees": size,
                "seconds": round(min(walls), 3),
                "cpu_s": round(min(cpus), 3),
                "floor_s": round(floor, 3),
                "floor": f"KMeans(k={k}, n_init=1)",
                "ratio": round(min(walls) / floor, 2),
                "k": k,
                "nmi_planted": round(normalized_mutual_info_score(truth[labels.index], labels), 3),
            }
        )
    return entries


if __name__ == "__main__":
    print(run())
