"""Target difficulty from past results: hit rates, spread, and recalibrated target proposals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, threshold
from perfkit.kpis.weights import locate
from perfkit.language import pick
from perfkit.scoring.keys import factorize_text

ALL_PERIODS = "all"
DIFFICULTY_COLUMNS = [
    "kpi_id",
    "role",
    "period",
    "n",
    "hit_rate",
    "target",
    "direction",
    "proposed_target",
    "implied_hit_rate",
    "mean",
    "cv",
]


def round_significant(values: np.ndarray, digits: int = 3) -> np.ndarray:
    """Round to ``digits`` significant figures (a target a client can write down).

    Examples
    --------
    >>> round_significant(np.array([91.734, 0.95312, 123456.0])).tolist()
    [91.7, 0.953, 123000.0]
    """
    values = np.asarray(values, dtype=float)
    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    magnitude = np.floor(np.log10(np.abs(values[ok])))
    factor = 10.0 ** (digits - 1 - magnitude)
    out[ok] = np.round(values[ok] * factor) / factor
    return out


def assess_difficulty(
    kpis: pd.DataFrame,
    results: pd.DataFrame,
    *,
    target_hit_rate: float = 0.6,
    min_results: int = 10,
) -> pd.DataFrame:
    """Return each KPI's hit rate, spread and a recalibrated target, per period and over all periods.

    "Reaching the target" respects the KPI's direction: ``actual >= target`` when higher is
    better, ``actual <= target`` when lower is better. The proposed target is the value that
    ``target_hit_rate`` of past results reach: the ``1 - target_hit_rate`` quantile of actuals
    (the ``target_hit_rate`` quantile when lower is better), rounded to 3 significant figures;
    ``implied_hit_rate`` is the share of past results that reach the rounded proposal.

    Parameters
    ----------
    kpis : DataFrame
        kpi_id, role, direction; target when present.
    results : DataFrame
        employee_id, kpi_id, period, actual.
    target_hit_rate : float
        The hit rate the proposal aims at (0..1).
    min_results : int
        The fewest results (over all periods) for a KPI's coefficient of variation to count.

    Returns
    -------
    DataFrame
        One row per KPI and period, plus one per KPI with ``period == "all"``:
        kpi_id, role, period, n, hit_rate, target, direction, proposed_target,
        implied_hit_rate, mean, cv. The ``all`` row's cv is the spread across employees within
        each period, pooled over periods (the root of the within-period sums of squares over
        ``n - periods``), divided by the absolute mean; NaN under ``min_results``.
    """
    kpis = kpis.drop_duplicates("kpi_id")
    ids = pd.Index(kpis["kpi_id"])
    codes = locate(results["kpi_id"], ids)
    period_code, periods = factorize_text(results["period"])
    actual = results["actual"].to_numpy(dtype=float)
    keep = (codes >= 0) & np.isfinite(actual) & (period_code >= 0)
    if not keep.any():
        return pd.DataFrame(columns=DIFFICULTY_COLUMNS)
    if not keep.all():
        codes, actual, period_code = codes[keep], actual[keep], period_code[keep]
    target = (
        kpis["target"].to_numpy(dtype=float) if "target" in kpis else np.full(len(kpis), np.nan)
    )
    sign_by_kpi = np.where(kpis["direction"].to_numpy() == "lower", -1.0, 1.0)
    sign = sign_by_kpi[codes]
    score = actual * sign  # "higher is better" space for every KPI
    goal = target[codes] * sign
    has_goal, hit = (~np.isnan(goal)).astype(float), (score >= goal).astype(float)
    rows = _Rows(score, actual, sign, has_goal, hit, *rank_values(score))

    n_periods, n_kpis = len(periods), len(ids)
    by_period = _summarise(
        codes * n_periods + period_code, n_kpis * n_periods, rows, target_hit_rate
    )
    by_period["k"], by_period["period"] = (
        by_period["group"] // n_periods,
        by_period["group"] % n_periods,
    )
    overall = _summarise(codes, n_kpis, rows, target_hit_rate)
    overall["k"] = overall["group"]
    # spread across employees: the within-period deviations, pooled over periods
    grouped = by_period.groupby("k")
    pooled = pd.DataFrame({"ss": grouped["ss"].sum(), "periods": grouped.size()})
    pooled = pooled.reindex(overall["k"].to_numpy())
    dof = overall["n"].to_numpy() - pooled["periods"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(pooled["ss"].to_numpy() / dof)
        cv = np.where(sd == 0, 0.0, sd / np.abs(overall["mean"].to_numpy()))
    ok = (overall["n"].to_numpy() >= min_results) & (dof >= 2) & np.isfinite(cv)
    overall["cv"] = np.where(ok, cv, np.nan)
    by_period["period"] = np.asarray(periods, dtype=object)[by_period["period"].to_numpy()]
    overall["period"] = ALL_PERIODS
    table = pd.concat([by_period, overall], ignore_index=True)
    k = table["k"].to_numpy()
    table["kpi_id"] = ids.to_numpy()[k]
    table["role"] = kpis["role"].to_numpy()[k]
    table["target"] = target[k]
    table["direction"] = kpis["direction"].to_numpy()[k]
    table["_all"] = table["period"] == ALL_PERIODS
    table = table.sort_values(["kpi_id", "_all", "period"], kind="stable")  # "all" last per KPI
    return table[DIFFICULTY_COLUMNS].reset_index(drop=True)


def rank_values(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Return the dense rank of each finite value (equal values share one) and the number of ranks.

    Examples
    --------
    >>> rank, n_ranks = rank_values(np.array([2.5, -1.0, 2.5, 0.0, -0.0]))
    >>> rank.tolist(), n_ranks
    ([2, 0, 2, 1, 1], 3)
    """
    # the bits hash exactly once -0.0 is made 0.0 (a comparison has them equal); a hash table
    # sized from a sample stays in cache when, as usual, results repeat a few thousand values
    bits = (values + 0.0).view(np.int64)
    hint = min(len(bits), 4 * len(pd.unique(bits[: 1 << 16])))
    distinct, uniques = pd.factorize(bits, size_hint=hint)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(uniques.view(np.float64))] = np.arange(len(uniques))
    return rank[distinct], len(uniques)


@dataclass
class _Rows:
    """The results being summarised, one entry per row (finite actuals of known KPIs and periods)."""

    score: np.ndarray  # actual in "higher is better" space
    actual: np.ndarray
    sign: np.ndarray  # -1.0 for "lower is better" KPIs
    has_goal: np.ndarray  # 1.0 when the KPI has a target
    hit: np.ndarray  # 1.0 when the target is reached
    rank: np.ndarray  # dense rank of score
    n_ranks: int

    def sort_by(self, group: np.ndarray, size: int) -> np.ndarray:
        """Return the rows by group (codes below ``size``), then score, then position.

        That is ``np.lexsort((rank, group))``; when (group, rank, position) fits in 63 bits,
        one plain sort of those unique integers does it several times faster.
        """
        bits = max(len(group) - 1, 1).bit_length()
        if max(size * self.n_ranks - 1, 1).bit_length() + bits > 63:
            return np.lexsort((self.rank, group))
        key = (group * self.n_ranks + self.rank) << bits | np.arange(len(group))
        return np.sort(key) & ((1 << bits) - 1)


def _summarise(group: np.ndarray, size: int, rows: _Rows, rate: float) -> pd.DataFrame:
    """Per group: size, hit rate, mean, cv, the proposal and its implied hit rate (numpy, no groupby).

    Counts need no order; the mean and the sum of squares are summed in (group, score, row)
    order, and the proposal reads the score at two positions of that order per group.
    """
    counts = np.bincount(group, minlength=size)
    ids = np.flatnonzero(counts)
    n = counts[ids]
    starts = np.r_[0, np.cumsum(n)[:-1]]
    order = rows.sort_by(group, size)
    dense = np.repeat(np.arange(len(ids)), n)  # the group of each row in that order
    goals = np.bincount(group, weights=rows.has_goal, minlength=size)[ids]
    hits = np.bincount(group, weights=rows.hit, minlength=size)[ids]
    with np.errstate(invalid="ignore", divide="ignore"):
        hit_rate = hits / goals
        ordered = rows.actual[order]
        mean = np.bincount(dense, weights=ordered, minlength=len(n)) / n
        squares = np.bincount(dense, weights=(ordered - np.repeat(mean, n)) ** 2, minlength=len(n))
        sd = np.sqrt(squares / (n - 1))
        cv = np.where(sd == 0, 0.0, sd / np.abs(mean))
    cv[~np.isfinite(cv)] = np.nan
    # the (1 - rate) quantile of each group's sorted scores, linear interpolation as numpy's default
    position = (1.0 - rate) * (n - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, n - 1)
    fraction = position - low
    score = rows.score
    quantile = score[order[starts + low]] * (1 - fraction) + score[order[starts + high]] * fraction
    group_sign = rows.sign[order[starts]]
    proposed = round_significant(quantile * group_sign)
    bar = np.zeros(size)
    bar[ids] = proposed * group_sign
    implied = np.bincount(group, weights=score >= bar[group], minlength=size)[ids] / n
    return pd.DataFrame(
        {
            "group": ids,
            "n": n,
            "hit_rate": hit_rate,
            "mean": mean,
            "cv": cv,
            "ss": squares,
            "proposed_target": proposed,
            "implied_hit_rate": implied,
        }
    )


def check_difficulty(
    difficulty: pd.DataFrame, thresholds: Mapping[str, Any], lang: str
) -> list[Finding]:
    """Return KPI_TARGET_TOO_EASY, KPI_TARGET_TOO_HARD and KPI_NO_DISCRIMINATION findings (warnings).

    Judged over all periods (the ``all`` rows of :func:`assess_difficulty`), each with its
    minimum-count guard; the evidence carries the proposed target and the hit rate it implies.
    """
    easy = threshold(thresholds, "KPI_TARGET_TOO_EASY", "hit_rate")
    easy_n = threshold(thresholds, "KPI_TARGET_TOO_EASY", "min_results")
    hard = threshold(thresholds, "KPI_TARGET_TOO_HARD", "hit_rate")
    hard_n = threshold(thresholds, "KPI_TARGET_TOO_HARD", "min_results")
    flat = threshold(thresholds, "KPI_NO_DISCRIMINATION", "cv")
    findings: list[Finding] = []
    overall = difficulty[difficulty["period"] == ALL_PERIODS]
    for row in overall.itertuples(index=False):
        evidence = {
            "n": int(row.n),
            "hit_rate": row.hit_rate,
            "target": row.target,
            "direction": row.direction,
            "proposed_target": row.proposed_target,
            "implied_hit_rate": row.implied_hit_rate,
        }
        if pd.notna(row.hit_rate) and row.n >= easy_n and row.hit_rate >= easy:
            message = pick(
                lang,
                zh=f"指标 {row.kpi_id} 的 {int(row.n)} 个结果中有 {row.hit_rate:.0%} 达到目标 {row.target:g},"
                f"目标过低;建议调整为 {row.proposed_target:g}(历史达成率 {row.implied_hit_rate:.0%})。",
                en=f"{row.hit_rate:.0%} of {int(row.n)} results of KPI {row.kpi_id} reach its target "
                f"{row.target:g}, which is too easy; {row.proposed_target:g} would be reached by "
                f"{row.implied_hit_rate:.0%}.",
            )
            findings.append(
                Finding(
                    "KPI_TARGET_TOO_EASY",
                    "warning",
                    row.kpi_id,
                    message,
                    {**evidence, "threshold": easy},
                )
            )
        elif pd.notna(row.hit_rate) and row.n >= hard_n and row.hit_rate <= hard:
            message = pick(
                lang,
                zh=f"指标 {row.kpi_id} 的 {int(row.n)} 个结果中仅 {row.hit_rate:.0%} 达到目标 {row.target:g},"
                f"目标过高;建议调整为 {row.proposed_target:g}(历史达成率 {row.implied_hit_rate:.0%})。",
                en=f"Only {row.hit_rate:.0%} of {int(row.n)} results of KPI {row.kpi_id} reach its target "
                f"{row.target:g}, which is too hard; {row.proposed_target:g} would be reached by "
                f"{row.implied_hit_rate:.0%}.",
            )
            findings.append(
                Finding(
                    "KPI_TARGET_TOO_HARD",
                    "warning",
                    row.kpi_id,
                    message,
                    {**evidence, "threshold": hard},
                )
            )
        if pd.notna(row.cv) and row.cv < flat:
            message = pick(
                lang,
                zh=f"指标 {row.kpi_id} 的结果在员工之间几乎没有差异(变异系数 {row.cv:.3f},"
                f"低于 {flat:g}),无法区分绩效高低。",
                en=f"Results of KPI {row.kpi_id} barely vary across employees (coefficient of variation "
                f"{row.cv:.3f}, below {flat:g}), so it cannot tell people apart.",
            )
            findings.append(
                Finding(
                    "KPI_NO_DISCRIMINATION",
                    "warning",
                    row.kpi_id,
                    message,
                    {
                        "cv": row.cv,
                        "mean": row.mean,
                        "n": int(row.n),
                        "threshold": flat,
                    },
                )
            )
    return findings
