"""Per-employee features of performance patterns, from whatever the client's data can give."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from perfkit.errors import PerfkitError
from perfkit.language import pick
from perfkit.scoring.keys import factorize_text, positions

#: The balanced-scorecard perspectives, in the contract's order.
PERSPECTIVES: tuple[str, ...] = ("financial", "customer", "process", "learning")

#: Every feature perfkit can build, in order; ``attainment_<perspective>`` for each perspective.
FEATURES: tuple[str, ...] = (
    "level",
    "average",
    "trend",
    "volatility",
    "kpi_competency_gap",
    "self_gap",
    *(f"attainment_{p}" for p in PERSPECTIVES),
)

_LABELS = {
    "level": ("当前得分", "current score"),
    "average": ("各期平均得分", "mean score over the periods"),
    "trend": ("得分趋势", "score trend"),
    "volatility": ("得分波动", "score volatility"),
    "kpi_competency_gap": ("能力评价与 KPI 之差", "competency-vs-KPI gap"),
    "self_gap": ("自评与他评之差", "self-vs-others gap"),
    **{
        f"attainment_{p}": (f"{z}维度达成率", f"{p} attainment")
        for p, z in zip(PERSPECTIVES, ("财务", "客户", "内部流程", "学习与成长"), strict=True)
    },
}


def label_feature(feature: str, lang: str) -> str:
    """Return a feature's plain name in ``lang`` (``trend`` → 得分趋势 / score trend)."""
    zh, en = _LABELS.get(feature, (feature, feature))
    return pick(lang, zh=zh, en=en)


@dataclass
class FeatureSet:
    """The features of every employee, in original units and standardised.

    Attributes
    ----------
    frame : DataFrame
        One row per employee with a score: ``employee_id`` then one column per kept feature, in original units (score points,
        points per period, rating-scale points, % of target), missing values imputed.
    standardised : DataFrame
        The same columns (indexed by ``employee_id``) as robust z-scores: (x − median) / (SD of the
        values winsorised at their 1st and 99th percentiles), clipped to ±``clip``.
    centre, scale : Series
        The median and robust scale of each feature, to move between the two units.
    notes : list of str
        Sentences in the engagement's language: each dropped feature and why, each imputation.
    dropped : dict of str to str
        Each dropped feature and the reason (English).
    imputed : dict of str to int
        How many employees got the median of each feature.
    period_unit : {"quarter", "month", "half", "year", "period"}
        What one step of ``trend`` is, read from the period labels.
    periods : list of str
        The periods the trend is computed over, in time order.
    trend_source : {"score", "kpi_score", "competency_score"}
        The by-period series of ``average``, ``trend`` and ``volatility``: the composite score,
        unless its two parts cover different periods (then the part covering more of them).
    """

    frame: pd.DataFrame
    standardised: pd.DataFrame
    centre: pd.Series
    scale: pd.Series
    notes: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)
    imputed: dict[str, int] = field(default_factory=dict)
    period_unit: str = "period"
    periods: list[str] = field(default_factory=list)
    trend_source: str = "score"

    @property
    def columns(self) -> list[str]:
        """The kept features, in order."""
        return list(self.standardised.columns)


def build_features(client, scores, *, clip: float = 3.0, min_coverage: float = 0.5) -> FeatureSet:
    """Build each employee's pattern features from the scores and the client's tables.

    Parameters
    ----------
    client : perfkit.intake.Client
        For ``ratings``, ``kpis`` (perspectives), the language and the current period.
    scores : perfkit.scoring.PerformanceScores
        ``employees`` (one row per employee: score, kpi_score, competency_score), ``by_period``
        (employee_id, period, score) and ``attainment`` (employee_id, kpi_id, period, weight,
        attainment).
    clip : float, default=3.0
        Standardised values are clipped to ±clip, so that an outlier cannot pull a centre.
    min_coverage : float, default=0.5
        A feature known for fewer than this share of employees is dropped, not imputed.

    Returns
    -------
    FeatureSet

    Raises
    ------
    PerfkitError
        When ``scores.employees`` holds no employee with a score.
    """
    lang = client.language
    employees = scores.employees
    if (
        employees is None
        or employees.empty
        or "score" not in employees
        or employees["score"].isna().all()
    ):
        raise PerfkitError(
            pick(
                lang,
                zh="无法识别绩效模式:没有任何员工有得分。请先确认 results 或 ratings 表有当期数据。",
                en="Cannot find performance patterns: no employee has a score. "
                "Check that results or ratings hold data for the current period.",
            )
        )
    unscored = int(employees["score"].isna().sum())
    employees = employees[employees["score"].notna()]
    ids = employees["employee_id"].astype(str).to_numpy()
    raw = pd.DataFrame(index=pd.Index(ids, name="employee_id"))
    dropped: dict[str, tuple[str, str]] = {}
    raw["level"] = employees["score"].to_numpy(dtype=float)

    series, mixed = _trend_series(scores.by_period, client.current_period)
    periods = _periods(scores.by_period, client.current_period, series)
    average, trend, volatility = _trend_and_volatility(scores.by_period, periods, raw.index, series)
    if len(periods) < 2:
        dropped["average"] = (
            f"只有 {len(periods)} 期得分,与当前得分相同",
            f"only {len(periods)} period(s) of scores; it is the current score",
        )
        dropped["trend"] = (
            f"只有 {len(periods)} 期得分,计算趋势至少需要 2 期",
            f"only {len(periods)} period(s) of scores; a trend needs 2",
        )
    else:
        raw["average"] = average
        raw["trend"] = trend
    if len(periods) < 3:
        dropped["volatility"] = (
            f"只有 {len(periods)} 期得分,计算波动至少需要 3 期",
            f"only {len(periods)} period(s) of scores; volatility needs 3",
        )
    else:
        raw["volatility"] = volatility

    if {"kpi_score", "competency_score"} <= set(employees.columns):
        raw["kpi_competency_gap"] = (
            employees["competency_score"] - employees["kpi_score"]
        ).to_numpy(dtype=float)
    else:
        dropped["kpi_competency_gap"] = (
            "得分中缺少 KPI 得分或能力得分",
            "scores have no kpi_score or competency_score",
        )

    self_gap, reason = _self_gap(client.table("ratings"), client.current_period)
    if reason:
        dropped["self_gap"] = reason
    else:
        raw["self_gap"] = self_gap.reindex(raw.index)

    by_perspective, reason = _perspective_attainment(
        getattr(scores, "attainment", None), client.table("kpis"), client.current_period
    )
    if reason:
        dropped["attainment"] = reason
    for perspective in PERSPECTIVES:
        column = f"attainment_{perspective}"
        if perspective in by_perspective:
            raw[column] = by_perspective[perspective].reindex(raw.index)
        elif not reason:
            dropped[column] = (
                "该维度的 KPI 在当期没有结果",
                f"no KPI of the {perspective} perspective has results",
            )

    for column in list(raw.columns):
        known = raw[column].notna()
        if known.mean() < min_coverage:
            dropped[column] = (
                f"只有 {known.sum()} 名员工(共 {len(raw)} 名)有数据",
                f"known for {known.sum()} of {len(raw)} employees only",
            )
            raw = raw.drop(columns=column)
        elif raw.loc[known, column].nunique() < 2:
            dropped[column] = ("所有员工取值相同", "the same value for every employee")
            raw = raw.drop(columns=column)

    imputed = {c: int(raw[c].isna().sum()) for c in raw.columns if raw[c].isna().any()}
    raw = raw.fillna(raw.median())
    centre, scale = _robust_scale(raw)
    standardised = ((raw - centre) / scale).clip(-clip, clip)
    notes = [_drop_note(f, r, lang) for f, r in dropped.items()]
    if mixed and "trend" in raw:
        part_zh, part_en = (
            ("KPI 得分", "KPI score")
            if series == "kpi_score"
            else ("能力评价得分", "competency score")
        )
        notes.append(
            pick(
                lang,
                zh=f"KPI 结果覆盖 {mixed[0]} 期、能力评价覆盖 {mixed[1]} 期,综合得分在两者衔接处会跳变,"
                f"因此趋势、各期平均与波动按{part_zh}计算。",
                en=f"KPI results cover {mixed[0]} periods and competency ratings {mixed[1]}: the composite score "
                f"jumps where they meet, so the trend, mean and volatility follow the {part_en}.",
            )
        )
    notes += [_impute_note(f, n, len(raw), lang) for f, n in imputed.items()]
    if unscored:
        notes.append(
            pick(
                lang,
                zh=f"{unscored} 名员工没有得分,不参与绩效模式分析。",
                en=f"{unscored} employees have no score and are left out of the patterns.",
            )
        )
    return FeatureSet(
        frame=raw.reset_index(),
        standardised=standardised,
        centre=centre,
        scale=scale,
        notes=notes,
        dropped={f: en for f, (_, en) in dropped.items()},
        imputed=imputed,
        period_unit=read_period_unit(periods),
        periods=periods,
        trend_source=series,
    )


def read_period_unit(periods: list[str]) -> str:
    """Return what one step between the periods is: quarter, month, half, year or period.

    Examples
    --------
    >>> read_period_unit(["2025Q1", "2025Q2"])
    'quarter'
    >>> read_period_unit(["FY2024", "FY2025"])
    'year'
    """
    patterns = {
        "quarter": r".*\d{2}\s*-?\s*Q[1-4]|Q[1-4]\s*-?\s*\d{2,4}",
        "month": r"\d{4}[-/.]?(0[1-9]|1[0-2])|\d{4}M\d{1,2}",
        "half": r".*\d{2}\s*-?\s*H[12]",
        "year": r"(FY)?\s*\d{4}",
    }
    for unit, pattern in patterns.items():
        if periods and all(re.fullmatch(pattern, str(p).strip(), flags=re.I) for p in periods):
            return unit
    return "period"


def _periods(
    by_period: pd.DataFrame | None, current: str | None, series: str = "score"
) -> list[str]:
    if by_period is None or by_period.empty or series not in by_period:
        return []
    found = sorted(by_period.loc[by_period[series].notna(), "period"].dropna().astype(str).unique())
    return [p for p in found if current is None or p <= str(current)]


def _trend_series(
    by_period: pd.DataFrame | None, current: str | None
) -> tuple[str, tuple[int, int] | None]:
    """The score series whose trend means something: the composite, unless its make-up changes.

    When the KPI part and the competency part cover different periods (360° ratings in the last
    two quarters only, say), the composite jumps where the second part starts: the trend then
    follows the part that covers more periods. Returns the column and, in that case, the number
    of periods each part covers (for the note).
    """
    needed = {"kpi_score", "competency_score", "period"}
    if by_period is None or by_period.empty or not needed <= set(by_period.columns):
        return "score", None
    frame = by_period[by_period["period"].astype(str) <= str(current)] if current else by_period
    coverage = frame.groupby(frame["period"].astype(str))[["kpi_score", "competency_score"]].agg(
        lambda column: column.notna().mean()
    )
    covered = coverage >= 0.5
    kpi, comp = covered["kpi_score"], covered["competency_score"]
    if not kpi.any() or not comp.any() or kpi.equals(comp):
        return "score", None
    counts = (int(kpi.sum()), int(comp.sum()))
    if counts[0] == counts[1]:
        return "score", None
    return ("kpi_score" if counts[0] > counts[1] else "competency_score"), counts


def _trend_and_volatility(
    by_period: pd.DataFrame | None, periods: list[str], ids: pd.Index, series: str = "score"
):
    """Mean score, OLS slope on the period index and residual SD, for every employee at once."""
    nan = np.full(len(ids), np.nan)
    if len(periods) < 2:
        return nan, nan, nan
    rows = positions(by_period["employee_id"], ids)
    cols = positions(by_period["period"], pd.Index(periods))
    values = by_period[series].to_numpy(dtype=float)
    keep = (rows >= 0) & (cols >= 0) & ~np.isnan(values)
    cells = rows[keep] * len(periods) + cols[keep]
    size = len(ids) * len(periods)
    totals = np.bincount(cells, weights=values[keep], minlength=size)
    counts = np.bincount(cells, minlength=size)
    with np.errstate(invalid="ignore"):
        y = (totals / counts).reshape(len(ids), len(periods))  # the mean, should a period repeat
    known = ~np.isnan(y)
    x = np.broadcast_to(np.arange(len(periods), dtype=float), y.shape)
    n = known.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = np.where(known, x, 0).sum(axis=1) / n
        y_mean = np.where(known, y, 0).sum(axis=1) / n
        dx = np.where(known, x - x_mean[:, None], 0)
        dy = np.where(known, y - y_mean[:, None], 0)
        sxx = (dx**2).sum(axis=1)
        slope = np.where((n >= 2) & (sxx > 0), (dx * dy).sum(axis=1) / sxx, np.nan)
        residual = np.where(known, dy - slope[:, None] * dx, 0)
        volatility = np.where(n >= 3, np.sqrt((residual**2).sum(axis=1) / (n - 2)), np.nan)
    return y_mean, slope, volatility


def _latest(periods: pd.Series, rows: np.ndarray, current: str | None) -> np.ndarray:
    """Which of ``rows`` (a mask) are of the current period, or of the latest period before it.

    Read from the periods' codes (shared with the other analyses, see
    :func:`~perfkit.scoring.keys.factorize_text`), not by selecting rows of a table of a million
    ratings: only the distinct periods are compared.
    """
    codes, uniques = factorize_text(periods)
    present = np.flatnonzero(np.bincount(codes[rows] + 1, minlength=len(uniques) + 1)[1:])
    labels = uniques[present].astype(str)
    found = [p for p in labels if current is None or p <= str(current)]
    chosen = np.zeros(len(uniques) + 1, dtype=bool)  # the last one, False, for code -1 (missing)
    if found:
        chosen[present[labels == max(found)]] = True
    return rows & chosen[codes]


def _mean_by(values: np.ndarray, codes: np.ndarray, rows: np.ndarray) -> pd.Series:
    """The mean of ``values`` per code among ``rows`` (a mask), indexed by code."""
    return pd.Series(values[rows]).groupby(codes[rows]).mean()


def _self_gap(
    ratings: pd.DataFrame | None, current: str | None
) -> tuple[pd.Series, tuple[str, str] | None]:
    if ratings is None or ratings.empty:
        return pd.Series(dtype=float), ("缺少 ratings 表", "the client has no ratings table")
    score = ratings["score"].to_numpy(dtype=float, na_value=np.nan)
    rated = ~np.isnan(score)
    is_self = ratings["relation"].eq("self").to_numpy(dtype=bool)
    if not (rated & is_self).any():
        return pd.Series(dtype=float), ("评价中没有自评", "the ratings hold no self-ratings")
    if not (rated & ~is_self).any():
        return pd.Series(dtype=float), (
            "评价中只有自评,没有他评",
            "the ratings hold only self-ratings",
        )
    person, ids = factorize_text(ratings["employee_id"])
    latest = _latest(ratings["period"], rated, current) & (person >= 0)
    mine = _mean_by(score, person, latest & is_self)
    others = _mean_by(score, person, latest & ~is_self)
    gap = (mine - others).dropna()
    if gap.empty:
        return pd.Series(dtype=float), (
            "没有员工在同一期同时有自评和他评",
            "no employee has both a self-rating and others' ratings in one period",
        )
    gap.index = ids[gap.index.to_numpy()].astype(str)
    return gap, None


def _perspective_attainment(
    attainment: pd.DataFrame | None, kpis: pd.DataFrame | None, current: str | None
):
    """Weighted mean attainment (% of target) per employee and perspective, in the current period."""
    if attainment is None or attainment.empty or "attainment" not in attainment:
        return {}, ("得分中没有 KPI 达成数据", "the scores carry no KPI attainment")
    if kpis is None or "perspective" not in kpis or kpis["perspective"].isna().all():
        return {}, ("kpis 表未标注平衡计分卡维度", "the kpis table gives no perspective")
    rows = _latest(attainment["period"], attainment["attainment"].notna().to_numpy(), current)
    columns = [c for c in ("employee_id", "kpi_id", "weight", "attainment") if c in attainment]
    latest = attainment.loc[rows, columns]
    frame = latest.merge(kpis[["kpi_id", "perspective"]], on="kpi_id", how="inner")
    frame = frame[frame["perspective"].notna()]
    if frame.empty:
        return {}, (
            "标注了维度的 KPI 在当期没有结果",
            "no KPI with a perspective has results in the current period",
        )
    weight = (
        frame["weight"].fillna(0).clip(lower=0)
        if "weight" in frame
        else pd.Series(1.0, index=frame.index)
    )
    weight = weight.where(weight > 0, 1.0)
    frame = frame.assign(_w=weight, _wa=weight * frame["attainment"] * 100.0)
    sums = frame.groupby(["perspective", "employee_id"])[["_wa", "_w"]].sum()
    means = (sums["_wa"] / sums["_w"]).rename("attainment")
    result = {}
    for perspective, values in means.groupby(level="perspective"):
        values = values.droplevel("perspective")
        values.index = values.index.astype(str)
        result[perspective] = values
    return result, None


def _robust_scale(raw: pd.DataFrame, tail: float = 0.01) -> tuple[pd.Series, pd.Series]:
    """Median and winsorised SD of each column (values beyond the 1st/99th percentiles pulled in).

    Not the MAD: when a third of the staff rise or fall, the MAD only measures the steady majority's
    noise and blows that noise up to the size of the real differences in level.
    """
    centre = raw.median()
    low, high = raw.quantile([tail, 1 - tail]).to_numpy()
    winsorised = pd.DataFrame(np.clip(raw.to_numpy(), low, high), columns=raw.columns)
    scale = winsorised.std()
    scale = scale.where(scale > 0, raw.std())
    scale = scale.where(scale > 0, 1.0).fillna(1.0)
    return centre, scale


def _drop_note(feature: str, reason: tuple[str, str], lang: str) -> str:
    if feature == "attainment":
        name_zh, name_en = "各平衡计分卡维度的达成率", "attainment by scorecard perspective"
    else:
        name_zh, name_en = _LABELS[feature]
    return pick(
        lang,
        zh=f"未使用特征“{name_zh}”:{reason[0]}。",
        en=f"The feature '{name_en}' was not used: {reason[1]}.",
    )


def _impute_note(feature: str, count: int, total: int, lang: str) -> str:
    name_zh, name_en = _LABELS[feature]
    return pick(
        lang,
        zh=f"“{name_zh}”有 {count} 名员工(共 {total} 名)缺少数据,已用中位数补齐。",
        en=f"{count} of {total} employees had no '{name_en}'; the median was used for them.",
    )
