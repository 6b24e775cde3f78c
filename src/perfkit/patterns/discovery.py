"""``find_patterns``: features, clusters and their plain names for one client, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from perfkit.findings import Finding, skipped
from perfkit.language import pick
from perfkit.patterns.clusterer import PatternClusterer
from perfkit.patterns.features import FeatureSet, build_features
from perfkit.patterns.naming import NamingRules, name_patterns

#: How much each standardised feature counts in the clustering distance. A pattern is a
#: trajectory: where someone stands and where they are heading. Standing is measured twice — the
#: current score (with every part of the score, but one period's noise) and the mean over the
#: periods (less noise, but only the parts every period has) — each at 0.7, so that together they
#: weigh about as much as the trend (√(0.7² + 0.7²) ≈ 1). When the data hold a single period, the
#: current score takes the whole weight. The gaps and the volatility are mostly noise in a healthy
#: client: at full weight they blur every pattern, so they count a quarter and name a pattern only
#: when a whole group stands out on them. The scorecard perspectives restate the standing three or
#: four times over: they describe the patterns (weight 0).
DEFAULT_WEIGHTS: dict[str, float] = {
    "level": 0.7,
    "average": 0.7,
    "trend": 1.0,
    "volatility": 0.25,
    "kpi_competency_gap": 0.25,
    "self_gap": 0.25,
    "attainment_financial": 0.0,
    "attainment_customer": 0.0,
    "attainment_process": 0.0,
    "attainment_learning": 0.0,
}


@dataclass
class PatternResult:
    """The performance patterns of one client.

    Attributes
    ----------
    assignments : DataFrame
        One row per employee: employee_id, pattern_id, pattern (name in the engagement's
        language), pattern_key, then every feature in original units.
    patterns : DataFrame
        One row per pattern, largest level first: pattern_id, key, name, name_zh, name_en,
        description, size, share, then the mean of each feature (original units).
    notes : list of str
        Dropped features, imputations, the k chosen — sentences in the engagement's language.
    features : FeatureSet
    model : PatternClusterer or None
        The fitted estimator (None when there were too few employees).
    findings : list of Finding
        ``ANALYSIS_SKIPPED`` when the analysis could not run.
    """

    assignments: pd.DataFrame
    patterns: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    features: FeatureSet | None = None
    model: PatternClusterer | None = None
    findings: list[Finding] = field(default_factory=list)

    def pattern_of(self) -> pd.Series:
        """Return each employee's pattern name, indexed by employee_id (for ``scores.csv``)."""
        return self.assignments.set_index("employee_id")["pattern"]


def find_patterns(
    client,
    scores,
    *,
    n_clusters: int | None = None,
    k_range: tuple[int, int] = (3, 8),
    weights: dict[str, float] | None = None,
    rules: NamingRules | dict | None = None,
    sample_size: int = 5000,
    min_employees: int = 20,
    random_state: int = 0,
) -> PatternResult:
    """Find the client's performance patterns and name them.

    Parameters
    ----------
    client : perfkit.intake.Client
    scores : perfkit.scoring.PerformanceScores
    n_clusters : int, optional
        A fixed number of patterns; by default chosen within ``k_range`` by silhouette.
    k_range : tuple of (int, int), default=(3, 8)
    weights : dict of str to float, optional
        Overrides of :data:`DEFAULT_WEIGHTS`, by feature.
    rules : NamingRules or dict, optional
        Overrides of the naming thresholds (see :class:`NamingRules`).
    sample_size : int, default=5000
        Rows used to choose k.
    min_employees : int, default=20
        Fewer scored employees than this and the analysis is skipped (with a finding).
    random_state : int, default=0

    Returns
    -------
    PatternResult

    Raises
    ------
    ValueError
        For an unknown feature in ``weights`` or an unknown naming rule.
    """
    lang = client.language
    rules = NamingRules.from_mapping(rules)
    unknown = set(weights or {}) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(
            f"Unknown feature(s) {sorted(unknown)} in weights; expected among {list(DEFAULT_WEIGHTS)}."
        )
    weight = {**DEFAULT_WEIGHTS, **(weights or {})}
    features = build_features(client, scores)
    if "average" not in features.columns:
        weight["level"] = float(np.hypot(weight["level"], weight["average"]))
    n = len(features.frame)
    if n < min_employees:
        return _skipped(features, lang, n, min_employees)
    columns = [c for c in features.columns if weight.get(c, 0) > 0]
    matrix = features.standardised[columns].to_numpy() * np.array([weight[c] for c in columns])
    model = PatternClusterer(
        n_clusters=n_clusters,
        k_range=tuple(k_range),
        sample_size=sample_size,
        random_state=random_state,
    ).fit(matrix)
    raw = features.frame.set_index("employee_id")
    labels = pd.Series(model.labels_, index=raw.index)
    centres = raw.groupby(labels.to_numpy()).mean()
    z_centres = features.standardised.groupby(labels.to_numpy()).mean()
    sizes = labels.value_counts()
    order = centres["level"].sort_values(ascending=False).index
    pattern_id = pd.Series(np.arange(1, len(order) + 1), index=order)
    named = name_patterns(
        centres,
        z_centres,
        sizes,
        lang=lang,
        period_unit=features.period_unit,
        rules=rules,
        baseline=features.centre,
    )

    patterns = named.join(centres).loc[order]
    patterns.insert(0, "pattern_id", pattern_id[order].to_numpy())
    patterns.insert(6, "size", sizes[order].to_numpy())
    patterns.insert(7, "share", (sizes[order] / n).round(4).to_numpy())
    patterns = patterns.reset_index(drop=True)

    assignments = pd.DataFrame(
        {
            "employee_id": raw.index,
            "pattern_id": pattern_id[labels].to_numpy(),
            "pattern": named["name"][labels].to_numpy(),
            "pattern_key": named["key"][labels].to_numpy(),
        }
    )
    assignments = pd.concat([assignments, raw.reset_index(drop=True)], axis=1)
    notes = list(features.notes)
    notes.append(_k_note(model, lang))
    return PatternResult(assignments, patterns, notes, features, model)


def _k_note(model: PatternClusterer, lang: str) -> str:
    k = model.n_clusters_
    if not model.silhouette_scores_:
        return pick(lang, zh=f"按设定分为 {k} 类绩效模式。", en=f"{k} patterns, as set.")
    tried = ", ".join(f"{key}: {value:.2f}" for key, value in model.silhouette_scores_.items())
    return pick(
        lang,
        zh=f"按轮廓系数选择了 {k} 类绩效模式(各 k 的轮廓系数 {tried})。",
        en=f"{k} patterns were chosen by silhouette (silhouette by k: {tried}).",
    )


def _skipped(features: FeatureSet, lang: str, n: int, minimum: int) -> PatternResult:
    finding = skipped(
        "performance patterns" if lang == "en" else "绩效模式",
        f"只有 {n} 名员工有得分,至少需要 {minimum} 名",
        f"only {n} employees have a score; at least {minimum} are needed",
        lang,
        employees=n,
        min_employees=minimum,
    )
    assignments = features.frame.assign(pattern_id=pd.NA, pattern=pd.NA, pattern_key=pd.NA)
    assignments = assignments[
        ["employee_id", "pattern_id", "pattern", "pattern_key", *features.columns]
    ]
    patterns = pd.DataFrame(
        columns=[
            "pattern_id",
            "key",
            "name",
            "name_zh",
            "name_en",
            "description",
            "size",
            "share",
            *features.columns,
        ]
    )
    return PatternResult(
        assignments, patterns, [*features.notes, finding.message], features, None, [finding]
    )
