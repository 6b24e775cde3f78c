"""KPI results per employee, KPI and period, derived from latent performance plus noise."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from perfkit.sample.kpis import KpiSystem
from perfkit.sample.world import PERFORMANCE_SD, PERIODS, World

#: The share of a KPI's independent noise that lasts (the person's knack for that KPI).
LASTING_SHARE = 0.6
#: Roles larger than this need no orthogonalising: chance correlations are already below 0.05.
LARGE_ROLE = 2000
MIN_SPREAD = 0.7


def build_results(world: World, system: KpiSystem, rng: np.random.Generator) -> pd.DataFrame:
    """Return the results table: one row per employee, KPI of their role (and ``*``) and period.

    Each result is ``target × (1 ± spread × (x - q))`` (``-`` for lower-is-better KPIs), where
    ``x = loading × z + sqrt(1 - loading²) × noise``, ``z`` is the person's standardised latent
    performance in that period and ``q`` the quantile of ``x`` that a share Φ(bias) exceeds: the
    hit rate is Φ(bias) in the sample itself. The noise of every KPI is independent, so two KPIs of a role
    correlate at about loading² (0.56–0.72), below any redundancy threshold; the planted redundant
    KPI is instead the tracked KPI's attainment in percent.
    """
    spec = system.spec
    z = world.performance / PERFORMANCE_SD
    periods = np.array(PERIODS, dtype=object)
    shared = spec.index[spec["role"] == -1].to_numpy()
    frames: list[pd.DataFrame] = []
    for role in range(len(world.roles)):
        people = np.flatnonzero(world.role == role)
        rows = np.concatenate([spec.index[spec["role"] == role].to_numpy(), shared])
        if not len(people) or not len(rows):
            continue
        actual = np.empty((len(people), len(rows), len(PERIODS)))
        noise = draw_noise(z[people], len(rows), rng)
        for j, row in enumerate(rows):
            kpi = spec.loc[row]
            if kpi["kind"] != "redundant":
                actual[:, j, :] = _measure(kpi, z[people], noise[:, j, :])
        for j, row in enumerate(rows):
            kpi = spec.loc[row]
            if kpi["kind"] == "redundant":
                source = int(np.flatnonzero(rows == kpi["source"])[0])
                base = spec.loc[kpi["source"]]
                ratio = actual[:, source, :] / base["target"]
                ratio = ratio if base["direction"] == "higher" else 1 / ratio
                actual[:, j, :] = np.round(100 * ratio + rng.normal(0, 0.3, ratio.shape), 1)
        n_p, n_k, n_t = actual.shape
        frames.append(
            pd.DataFrame(
                {
                    "employee_id": np.repeat(people, n_k * n_t),
                    "kpi_id": np.tile(np.repeat(rows, n_t), n_p),
                    "period": np.tile(np.arange(n_t), n_p * n_k),
                    "actual": actual.reshape(-1),
                }
            )
        )
    codes = pd.concat(frames, ignore_index=True)
    # categoricals: 100k employees make millions of rows, and text columns would take seconds
    return pd.DataFrame(
        {
            "employee_id": pd.Categorical.from_codes(
                codes["employee_id"], categories=world.employee_ids
            ),
            "kpi_id": pd.Categorical.from_codes(
                codes["kpi_id"], categories=spec["kpi_id"].to_numpy()
            ),
            "period": pd.Categorical.from_codes(codes["period"], categories=periods, ordered=True),
            "actual": codes["actual"],
        }
    )


def draw_noise(z: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Independent noise for ``k`` KPIs (people x KPIs x periods), scaled like ``z``.

    Part of it lasts (a person's knack for a KPI), part changes each period. The noise columns
    are made exactly orthogonal to each other and to latent performance (each period's, and the
    lasting part to the people's mean performance), so that two KPIs correlate at about
    loading × loading in the sample itself, not only on average: small roles would otherwise
    show chance correlations near 0.9. Roles too small for that are orthogonalised over all
    their employee-periods at once.
    """
    n, t = z.shape
    lasting = _orthogonal(z.mean(axis=1), rng.standard_normal((n, k)))
    noise = np.sqrt(LASTING_SHARE) * lasting[:, :, None] + np.sqrt(
        1 - LASTING_SHARE
    ) * rng.standard_normal((n, k, t))
    if n >= k + 3:
        for period in range(t):
            noise[:, :, period] = _orthogonal(z[:, period], noise[:, :, period])
    elif n * t >= k + 3:
        flat = _orthogonal(z.reshape(-1), noise.transpose(0, 2, 1).reshape(n * t, k))
        noise = flat.reshape(n, t, k).transpose(0, 2, 1)
    return noise


def _orthogonal(z: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Noise columns made orthogonal to ``z`` and to each other, each with ``z``'s spread.

    The spread is at least MIN_SPREAD, so that a small role whose people perform alike still
    has results that vary.
    """
    n, k = noise.shape
    if n < k + 3:
        return noise
    if n > LARGE_ROLE:
        return noise
    columns = np.column_stack([z, noise])
    columns -= columns.mean(axis=0)
    q, r = np.linalg.qr(columns)
    q *= np.sign(np.diag(r))
    return q[:, 1:] * np.sqrt(n) * max(float(z.std()), MIN_SPREAD)


def _measure(kpi: pd.Series, z: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """One KPI's results for people x periods, from latent performance and the KPI's noise."""
    loading = kpi["loading"]
    x = loading * z + np.sqrt(1 - loading**2) * noise
    if kpi["kind"] == "vague":
        return np.clip(np.round(kpi["target"] + 8 * x), 40, 100)
    sign = 1.0 if kpi["direction"] == "higher" else -1.0
    # the client set the target so that a share Φ(bias) of these very results reach it
    hit_rate = 0.5 * (1 + math.erf(kpi["bias"] / math.sqrt(2)))
    x = x - np.quantile(x, 1 - hit_rate)
    relative = np.maximum(1 + sign * kpi["spread"] * x, 0.15)
    actual = kpi["target"] * relative
    if not np.isnan(kpi["bound"]):
        actual = np.minimum(actual, kpi["bound"])
    return np.round(actual, int(kpi["decimals"]))
