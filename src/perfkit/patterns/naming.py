"""Plain names and one-sentence descriptions of patterns, read from their centres by fixed rules."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from perfkit.language import pick

#: Each kind of pattern: (zh name, en name, zh ending, en ending) of its description.
KINDS: dict[str, tuple[str, str, str, str]] = {
    "rising": ("持续上升", "Rising", "绩效持续上升", "improving period after period"),
    "declining": ("下滑", "Declining", "绩效持续下滑,需要关注", "declining, and needs attention"),
    "over_rated": (
        "评价偏高",
        "Over-rated",
        "能力评价相对 KPI 得分比全员中位水平高 {gap:.1f} 分",
        "competency ratings run {gap:.1f} points further above KPI results than the median employee's",
    ),
    "under_rated": (
        "评价偏低",
        "Under-rated",
        "能力评价相对 KPI 得分比全员中位水平低 {gap:.1f} 分",
        "competency ratings run {gap:.1f} points further below KPI results than the median employee's",
    ),
    "self_overrated": (
        "自评偏高",
        "Self-overrated",
        "自评比他评平均高 {gap:.2f} 分",
        "self-ratings run {gap:.2f} scale points above others' ratings",
    ),
    "volatile": (
        "波动",
        "Volatile",
        "各期得分起伏较大(波动 {vol:.1f} 分)",
        "scores swing from period to period (volatility {vol:.1f} points)",
    ),
    "steady_high": ("稳定高绩效", "Steady high", "保持稳定的高绩效", "steady high performance"),
    "steady_core": (
        "稳定中坚",
        "Steady core",
        "绩效稳定在中等水平",
        "steady performance in the middle",
    ),
    "steady_low": (
        "稳定待提升",
        "Steady low",
        "绩效稳定但偏低,需要改进",
        "steady but low performance, in need of improvement",
    ),
    "high": ("高绩效", "High performers", "绩效处于高位", "high performance"),
    "core": ("中坚", "Core", "绩效处于中等水平", "performance in the middle"),
    "low": (
        "待提升",
        "Low performers",
        "绩效偏低,需要改进",
        "low performance, in need of improvement",
    ),
}

_UNITS = {
    "quarter": ("季度", "quarter"),
    "month": ("月度", "month"),
    "half": ("半年度", "half-year"),
    "year": ("年度", "year"),
    "period": ("每期", "period"),
}

_QUALIFIERS = {
    2: (("较高", "higher"), ("较低", "lower")),
    3: (("较高", "higher"), ("居中", "middle"), ("较低", "lower")),
}


@dataclass(frozen=True)
class NamingRules:
    """The thresholds that turn a pattern's centre into its name; every one overridable.

    The rules are applied in this order, the first that holds naming the pattern:

    1. ``trend ≥ rising_points`` → 持续上升 / Rising; ``trend ≤ −rising_points`` → 下滑 / Declining
       (points of score per period, original units).
    2. ``kpi_competency_gap`` above the client's median gap by ``≥ gap_points`` → 评价偏高 /
       Over-rated; below it by as much → 评价偏低 / Under-rated (points on the 0–100 score scale;
       relative to the median because the two scales need not share a centre: KPI scores sit near
       100 when targets are met, competency scores wherever the rating scale puts them).
    3. ``self_gap ≥ self_gap_points`` → 自评偏高 / Self-overrated (points of the rating scale).
    4. standardised ``volatility ≥ volatile_z`` → 波动 / Volatile.
    5. by the standardised mean score over the periods (the current score when there is one
       period): ``≥ high_z`` → 稳定高绩效 / Steady high, ``≤ low_z`` → 稳定待提升 / Steady
       low, else 稳定中坚 / Steady core ("steady" is left out when the data give no trend).

    Parameters
    ----------
    rising_points : float, default=3.0
    gap_points : float, default=15.0
    self_gap_points : float, default=0.75
    volatile_z : float, default=1.0
    high_z : float, default=0.5
    low_z : float, default=-0.5
    """

    rising_points: float = 3.0
    gap_points: float = 15.0
    self_gap_points: float = 0.75
    volatile_z: float = 1.0
    high_z: float = 0.5
    low_z: float = -0.5

    @classmethod
    def from_mapping(cls, overrides) -> NamingRules:
        """Return the rules with some thresholds overridden; an unknown name is refused.

        Raises
        ------
        ValueError
            Naming the unknown key and the known ones.
        """
        if overrides is None:
            return cls()
        if isinstance(overrides, cls):
            return overrides
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(
                f"Unknown naming rule(s) {sorted(unknown)}; expected among {sorted(known)}."
            )
        return cls(**{k: float(v) for k, v in overrides.items()})


def classify_centre(
    raw: pd.Series, z: pd.Series, rules: NamingRules, baseline: pd.Series | None = None
) -> str:
    """Return the kind of a pattern (``rising``, ``steady_high``...) from its centre.

    Parameters
    ----------
    raw : Series
        The centre in original units, by feature (missing features are simply absent).
    z : Series
        The centre in standardised units.
    rules : NamingRules
    baseline : Series, optional
        The client's median of each feature (``FeatureSet.centre``); the gap rule is relative to it.
    """
    trend = raw.get("trend")
    if trend is not None and trend >= rules.rising_points:
        return "rising"
    if trend is not None and trend <= -rules.rising_points:
        return "declining"
    gap = raw.get("kpi_competency_gap")
    if gap is not None and baseline is not None:
        gap = gap - baseline.get("kpi_competency_gap", 0.0)
    if gap is not None and gap >= rules.gap_points:
        return "over_rated"
    if gap is not None and gap <= -rules.gap_points:
        return "under_rated"
    self_gap = raw.get("self_gap")
    if self_gap is not None and self_gap >= rules.self_gap_points:
        return "self_overrated"
    volatility = z.get("volatility")
    if volatility is not None and volatility >= rules.volatile_z:
        return "volatile"
    level = z.get("average", z.get("level", 0.0))
    steady = "steady_" if trend is not None else ""
    if level >= rules.high_z:
        return steady + "high"
    if level <= rules.low_z:
        return steady + "low"
    return "steady_core" if steady else "core"


def name_patterns(
    centres: pd.DataFrame,
    z_centres: pd.DataFrame,
    sizes: pd.Series,
    *,
    lang: str,
    period_unit: str = "period",
    rules: NamingRules | None = None,
    baseline: pd.Series | None = None,
) -> pd.DataFrame:
    """Name and describe every pattern; names are unique (duplicates get a level qualifier).

    Parameters
    ----------
    centres : DataFrame
        One row per pattern (index: pattern id), the mean of each feature in original units.
    z_centres : DataFrame
        The same in standardised units.
    sizes : Series
        Employees per pattern.
    lang : {"zh", "en"}
    period_unit : str
        What one step of the trend is (``quarter``...), for the description.
    rules : NamingRules, optional
    baseline : Series, optional
        The client's median of each feature, for the rules relative to it.

    Returns
    -------
    DataFrame
        Indexed like ``centres``: key, name, name_zh, name_en, description.
    """
    rules = rules or NamingRules()
    baseline = pd.Series(dtype=float) if baseline is None else baseline
    kinds = pd.Series(
        {
            i: classify_centre(centres.loc[i], z_centres.loc[i], rules, baseline)
            for i in centres.index
        }
    )
    names_zh = kinds.map(lambda k: KINDS[k][0])
    names_en = kinds.map(lambda k: KINDS[k][1])
    for kind in kinds[kinds.duplicated(keep=False)].unique():
        members = (
            centres.loc[kinds[kinds == kind].index, "level"].sort_values(ascending=False).index
        )
        for rank, pattern in enumerate(members):
            if len(members) in _QUALIFIERS:
                q_zh, q_en = _QUALIFIERS[len(members)][rank]
            else:
                q_zh = q_en = str(rank + 1)
            names_zh[pattern] = f"{names_zh[pattern]}({q_zh})"
            names_en[pattern] = f"{names_en[pattern]} ({q_en})"
    rows = {}
    for pattern in centres.index:
        rows[pattern] = {
            "key": kinds[pattern],
            "name": pick(lang, zh=names_zh[pattern], en=names_en[pattern]),
            "name_zh": names_zh[pattern],
            "name_en": names_en[pattern],
            "description": describe_pattern(
                kinds[pattern],
                centres.loc[pattern],
                int(sizes[pattern]),
                lang=lang,
                period_unit=period_unit,
                baseline_gap=baseline.get("kpi_competency_gap", 0.0),
            ),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def describe_pattern(
    kind: str,
    centre: pd.Series,
    size: int,
    *,
    lang: str,
    period_unit: str = "period",
    baseline_gap: float = 0.0,
) -> str:
    """Return one sentence with the figures behind a pattern, in ``lang``.

    ``baseline_gap`` is the client's median competency-vs-KPI gap, which the over- and
    under-rated sentences are relative to.

    Examples
    --------
    >>> describe_pattern("steady_high", pd.Series({"level": 88.14, "trend": 0.2}), 142,
    ...                  lang="zh", period_unit="quarter")
    '142 人,平均得分 88.1,季度趋势 +0.2 分,保持稳定的高绩效。'
    >>> describe_pattern("rising", pd.Series({"level": 71.0, "trend": 5.0}), 3, lang="en",
    ...                  period_unit="quarter")
    '3 people, mean score 71.0, trend +5.0 points per quarter: improving period after period.'
    """
    _, _, end_zh, end_en = KINDS[kind]
    values = {
        "gap": abs(centre.get("kpi_competency_gap", 0.0) - baseline_gap),
        "vol": centre.get("volatility", 0.0),
    }
    if kind == "self_overrated":
        values["gap"] = centre.get("self_gap", 0.0)
    end_zh, end_en = end_zh.format(**values), end_en.format(**values)
    unit_zh, unit_en = _UNITS.get(period_unit, _UNITS["period"])
    people_en = "person" if size == 1 else "people"
    zh = f"{size} 人,平均得分 {centre['level']:.1f}"
    en = f"{size} {people_en}, mean score {centre['level']:.1f}"
    if "trend" in centre.index and pd.notna(centre["trend"]):
        zh += f",{unit_zh}趋势 {centre['trend']:+.1f} 分"
        en += f", trend {centre['trend']:+.1f} points per {unit_en}"
    return pick(lang, zh=f"{zh},{end_zh}。", en=f"{en}: {end_en}.")
