"""One vocabulary of findings shared by every analysis, the report and ``findings.json``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from perfkit.language import pick

SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")

#: The stable codes of the public contract, each with its area.
CODES: dict[str, str] = {
    "KPI_WEIGHTS_NOT_100": "kpi_system",
    "KPI_COUNT_OUT_OF_RANGE": "kpi_system",
    "KPI_NOT_MEASURABLE": "kpi_system",
    "KPI_TARGET_TOO_EASY": "kpi_system",
    "KPI_TARGET_TOO_HARD": "kpi_system",
    "KPI_NO_DISCRIMINATION": "kpi_system",
    "KPI_REDUNDANT": "kpi_system",
    "OBJECTIVE_UNCOVERED": "kpi_system",
    "PERSPECTIVE_MISSING": "kpi_system",
    "RATER_LENIENT": "raters",
    "RATER_SEVERE": "raters",
    "RATER_CENTRAL_TENDENCY": "raters",
    "RATER_HALO": "raters",
    "SELF_INFLATION": "raters",
    "RATING_COMPRESSED": "evaluation",
    "GRADE_DISTRIBUTION_SKEWED": "evaluation",
    "ADVERSE_IMPACT": "fairness",
    "PAY_PERFORMANCE_MISALIGNED": "rewards",
    "RATING_RESULTS_MISALIGNED": "evaluation",
    "ANALYSIS_SKIPPED": "data",
}

#: Default thresholds, by finding code. The first parameter of each code is its primary
#: threshold: ``thresholds: {KPI_TARGET_TOO_EASY: 0.95}`` in ``engagement.yaml`` overrides it;
#: ``thresholds: {RATER_LENIENT: {min_ratees: 8}}`` overrides any parameter by name.
#: The table in ``docs/thresholds.md`` documents each one.
DEFAULT_THRESHOLDS: dict[str, dict[str, float]] = {
    "KPI_WEIGHTS_NOT_100": {"tolerance": 0.5},
    "KPI_COUNT_OUT_OF_RANGE": {"min_kpis": 3, "max_kpis": 8},
    "KPI_NOT_MEASURABLE": {"min_smart_score": 0.5},
    "KPI_TARGET_TOO_EASY": {"hit_rate": 0.9, "min_results": 10, "target_hit_rate": 0.6},
    "KPI_TARGET_TOO_HARD": {"hit_rate": 0.1, "min_results": 10},
    "KPI_NO_DISCRIMINATION": {"cv": 0.02, "min_results": 10},
    "KPI_REDUNDANT": {"r": 0.9, "min_pairs": 10},
    "OBJECTIVE_UNCOVERED": {"min_weight": 0.0},
    "PERSPECTIVE_MISSING": {"min_share": 0.0},
    # rater, evaluation and fairness codes: see docs/thresholds.md for the reasons behind each
    # default. Thresholds in "points" are stated for a 1-5 scale and rescaled to the client's.
    "RATER_LENIENT": {"effect_size": 0.8, "min_ratees": 5, "p_value": 0.05, "min_points": 0.5},
    "RATER_SEVERE": {"effect_size": 0.8, "min_ratees": 5, "p_value": 0.05, "min_points": 0.5},
    "RATER_CENTRAL_TENDENCY": {"spread_ratio": 0.4, "min_ratees": 5, "p_value": 0.05},
    "RATER_HALO": {"within_ratio": 0.3, "min_ratees": 3, "min_competencies": 3, "others_sd": 0.3},
    "SELF_INFLATION": {
        "gap": 1.0,
        "min_competencies": 3,
        "p_value": 0.01,
        "max_reported": 10,
        "min_department": 5,
    },
    "RATING_COMPRESSED": {"top_share": 0.7, "min_ratings": 20, "min_points": 3},
    "GRADE_DISTRIBUTION_SKEWED": {"p_value": 0.05, "min_count": 15, "min_gap": 0.15},
    "ADVERSE_IMPACT": {
        "ratio": 0.8,
        "min_group": 10,
        "p_value": 0.05,
        "top_points": 2,
        "top_grades": 2,
        "max_categories": 12,
    },
    "PAY_PERFORMANCE_MISALIGNED": {"rho": 0.2, "min_count": 20},
    "RATING_RESULTS_MISALIGNED": {"rho": 0.3, "min_count": 20},
    "ANALYSIS_SKIPPED": {},
}


@dataclass(frozen=True)
class Finding:
    """A diagnosis: what is wrong (or was skipped), about what, with the figures behind it.

    Parameters
    ----------
    code : str
        One of the stable codes in :data:`CODES`.
    severity : {"info", "warning", "critical"}
    subject : str
        What the finding is about: a role, a KPI id, ``"K1,K2"``, a rater id, a department,
        ``"gender:F"``.
    message : str
        One plain sentence in the engagement's language.
    evidence : dict
        The figures behind it (JSON-serialisable after :func:`to_records`).
    area : str
        Derived from the code when left empty.
    """

    code: str
    severity: str
    subject: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    area: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(
                f"Unknown finding code {self.code!r}; expected one of {sorted(CODES)}."
            )
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"The 'severity' of a Finding must be one of {SEVERITIES}. Got {self.severity!r}."
            )
        if not self.area:
            object.__setattr__(self, "area", CODES[self.code])

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as the contract's JSON object, with plain Python numbers."""
        record = asdict(self)
        record["evidence"] = _plain(record["evidence"])
        return {
            k: record[k] for k in ("code", "severity", "area", "subject", "message", "evidence")
        }


def _plain(value: Any) -> Any:
    """Convert numpy and pandas scalars (and NaN) into JSON-friendly Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def threshold(thresholds: Mapping[str, Any] | None, code: str, param: str | None = None) -> float:
    """Return a diagnostic threshold, with the engagement's override if it has one.

    Parameters
    ----------
    thresholds : mapping or None
        ``EngagementSettings.thresholds``: by code, a number (the primary parameter) or a
        mapping of parameter names to numbers.
    code : str
        The finding code.
    param : str, optional
        The parameter's name; the code's primary (first) parameter when omitted.

    Examples
    --------
    >>> threshold({}, "KPI_TARGET_TOO_EASY")
    0.9
    >>> threshold({"KPI_TARGET_TOO_EASY": 0.95}, "KPI_TARGET_TOO_EASY")
    0.95
    """
    defaults = DEFAULT_THRESHOLDS[code]
    primary = next(iter(defaults))
    param = param or primary
    if param not in defaults:
        raise KeyError(f"{code} has no threshold {param!r}; it has {sorted(defaults)}.")
    override = (thresholds or {}).get(code)
    if isinstance(override, Mapping):
        return float(override.get(param, defaults[param]))
    if override is not None and param == primary:
        return float(override)
    return float(defaults[param])


def skipped(analysis: str, reason_zh: str, reason_en: str, lang: str, **evidence: Any) -> Finding:
    """Return the ANALYSIS_SKIPPED finding for an analysis that lacked a table or column.

    Parameters
    ----------
    analysis : str
        The analysis's name (``"rater diagnostics"``); it becomes the subject.
    reason_zh, reason_en : str
        Why, in each language (``"缺少 ratings 表"`` / ``"the ratings table is missing"``).
    lang : {"zh", "en"}
    **evidence
        Figures behind it (the missing tables or columns).
    """
    message = pick(
        lang,
        zh=f"未执行“{analysis}”分析:{reason_zh}。",
        en=f"The {analysis} analysis was skipped: {reason_en}.",
    )
    return Finding("ANALYSIS_SKIPPED", "info", analysis, message, dict(evidence))


def to_records(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Return the findings as the list of JSON objects of ``findings.json``."""
    return [f.to_dict() for f in findings]


def write_findings(findings: Iterable[Finding], path: str | Path) -> Path:
    """Write ``findings.json`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(to_records(findings), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def findings_frame(findings: Iterable[Finding]):
    """Return the findings as a tidy DataFrame (one row each), for reports and workshops."""
    import pandas as pd

    rows = to_records(findings)
    return pd.DataFrame(
        rows, columns=["code", "severity", "area", "subject", "message", "evidence"]
    )
