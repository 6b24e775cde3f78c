"""``score_performance``: every employee's KPI, competency and composite score, grade and calibration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from perfkit.findings import Finding, skipped
from perfkit.language import pick
from perfkit.scoring.attainment import ATTAINMENT_COLUMNS, compute_attainment, score_kpis
from perfkit.scoring.calibration import RaterEffects, grade_changes
from perfkit.scoring.competency import score_and_profile_competencies, to_hundred
from perfkit.scoring.composite import MIN_EQUATING_REFERENCE, combine_scores, equate_single_parts
from perfkit.scoring.grading import assign_grades
from perfkit.scoring.keys import encode_keys, group_codes, unique_rows

EMPLOYEE_COLUMNS: list[str] = [
    "employee_id",
    "department",
    "role",
    "kpi_score",
    "competency_score",
    "score",
    "grade",
    "calibrated_score",
    "calibrated_grade",
    "calibrated_competency_score",
    "period",
    "source",
]
BY_PERIOD_COLUMNS: list[str] = [
    "employee_id",
    "period",
    "kpi_score",
    "competency_score",
    "score",
    "calibrated_competency_score",
    "calibrated_score",
    "self_score",
    "n_kpis",
    "partial",
]


@dataclass
class PerformanceScores:
    """Every employee's scores, grades and calibration (绩效评估), as ``docs/architecture.md`` fixes them.

    Attributes
    ----------
    attainment : DataFrame
        employee_id, kpi_id, period, actual, target, direction, weight, attainment (NaN when
        unscored), threshold, stretch, status, on_role.
    by_period : DataFrame
        employee_id, period, kpi_score, competency_score, score (every period), with
        calibrated_competency_score, calibrated_score, self_score, n_kpis, partial.
    employees : DataFrame
        One row per employee of the employees table: employee_id, department, role, kpi_score,
        competency_score, score, grade, calibrated_score, calibrated_grade, with
        calibrated_competency_score, period (the period the row is from) and source (``results``,
        ``ratings``, ``results+ratings``, ``rating`` for ``employees.rating``, or ``none``).
    competencies : DataFrame
        employee_id, competency, score (others, relation-weighted, on the rating scale),
        self_score, with period and n_ratings: each employee's current (or latest) rated period.
    notes : list of Finding
        ANALYSIS_SKIPPED findings: parts that could not be scored, and why.
    rater_effects : RaterEffects or None
        The fitted calibration model (``rater_effects_`` by rater_id).
    summary : dict
        Figures about coverage: results scored and unscored (by reason), employees with partial
        KPI coverage, employees scored from an earlier period or from ``employees.rating``...
    caveats : list of str
        The same, as sentences in the engagement's language, for the report.
    current_period : str or None
    """

    attainment: pd.DataFrame
    by_period: pd.DataFrame
    employees: pd.DataFrame
    competencies: pd.DataFrame
    notes: list[Finding] = field(default_factory=list)
    rater_effects: RaterEffects | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)
    current_period: str | None = None

    @property
    def grade_changes(self) -> pd.DataFrame:
        """Who changes grade because of calibration (see :func:`perfkit.scoring.grade_changes`)."""
        return grade_changes(self.employees)


def _in_chosen_period(frame: pd.DataFrame, current: str | None) -> np.ndarray:
    """Whether each row is in its employee's chosen period: the current period if they have it,
    else their latest before it, else their latest (periods compare as text)."""
    employee, people, _ = group_codes(frame, ["employee_id"])
    employee = np.where(employee >= 0, employee, len(people))  # no id: one more employee
    period, rows, _ = group_codes(frame, ["period"], sort=True)
    names = frame["period"].iloc[rows]
    if current is None:
        rank = np.zeros(len(rows), dtype="int64")
    else:
        rank = np.where(names == current, 2, np.where(names <= current, 1, 0))
    # (rank, period) as one number; a missing period ranks 0 and sorts after every other
    key = np.append(rank * (len(rows) + 1) + np.arange(len(rows)), len(rows))[period]
    best = np.full(len(people) + 1, -1, dtype="int64")
    np.maximum.at(best, employee, key)
    return key == best[employee]


def _empty_attainment() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in ATTAINMENT_COLUMNS})
    return frame.astype(
        {c: "str" for c in ("employee_id", "kpi_id", "period", "direction", "status")}
    )


class _Notes:
    """Collects findings, figures and sentences while scoring."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.findings: list[Finding] = []
        self.summary: dict[str, Any] = {}
        self.caveats: list[str] = []

    def skip(
        self, zh_name: str, en_name: str, reason_zh: str, reason_en: str, **evidence: Any
    ) -> None:
        analysis = pick(self.lang, zh=zh_name, en=en_name)
        self.findings.append(skipped(analysis, reason_zh, reason_en, self.lang, **evidence))

    def say(self, zh: str, en: str) -> None:
        self.caveats.append(pick(self.lang, zh=zh, en=en))


def _score_kpi_part(client, notes: _Notes) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = client.settings
    results, kpis = client.table("results"), client.table("kpis")
    missing = [t for t, f in (("results", results), ("kpis", kpis)) if f is None or f.empty]
    if missing:
        notes.skip(
            "KPI 得分",
            "KPI score",
            f"缺少 {'、'.join(missing)} 表",
            f"the {' and '.join(missing)} table(s) are missing",
            missing=missing,
        )
        return _empty_attainment(), score_kpis(_empty_attainment())
    att = compute_attainment(
        results,
        kpis,
        floor=settings.attainment.floor,
        cap=settings.attainment.cap,
        employees=client.employees,
    )
    status = att["status"].value_counts()
    notes.summary["results"] = int(len(att))
    notes.summary["results_scored"] = int(status.get("scored", 0))
    for reason in ("no_target", "unknown_kpi"):
        ids = sorted(att.loc[att["status"] == reason, "kpi_id"].dropna().unique().tolist())
        notes.summary[f"kpis_{reason}"] = ids
        if ids and reason == "no_target":
            notes.skip(
                "KPI 达成率",
                "KPI attainment",
                f"KPI {'、'.join(ids)} 没有可用的目标值(缺失或为 0),其结果未计分",
                f"KPI(s) {', '.join(ids)} have no usable target (missing or 0), so their results are unscored",
                kpis=ids,
                results=int(status.get(reason, 0)),
            )
        elif ids:
            notes.skip(
                "KPI 达成率",
                "KPI attainment",
                f"KPI {'、'.join(ids)} 不在 kpis 表中,其结果未计分",
                f"KPI(s) {', '.join(ids)} are not in the kpis table, so their results are unscored",
                kpis=ids,
                results=int(status.get(reason, 0)),
            )
    no_actual = int(status.get("no_actual", 0))
    notes.summary["results_no_actual"] = no_actual
    if no_actual:
        notes.say(
            f"{no_actual} 条结果没有实际值,未计分。",
            f"{no_actual} result(s) have no actual value and were not scored.",
        )
    off_role = int((~att["on_role"]).sum())
    notes.summary["results_off_role"] = off_role
    unknown = int(att["on_role"].isna().sum())
    notes.summary["results_unknown_employee"] = unknown
    if unknown:
        notes.say(
            f"{unknown} 条结果属于 employees 表之外的员工,计入各期得分,但不在员工名单中。",
            f"{unknown} result(s) belong to employees missing from the employees table; they are in "
            "the scores by period but not in the employee list.",
        )
    if off_role:
        notes.say(
            f"{off_role} 条结果所属 KPI 不属于该员工的岗位,仍按其权重计分。",
            f"{off_role} result(s) are for a KPI outside the employee's role; they were still scored.",
        )
    kpi = score_kpis(att, kpis, employees=client.employees)
    partial = kpi.loc[kpi["partial"], "employee_id"].nunique()
    notes.summary["employees_partial_coverage"] = int(partial)
    if partial:
        notes.say(
            f"{partial} 名员工在至少一个期间缺少部分 KPI 结果,其 KPI 得分按已有结果的权重重新归一。",
            f"{partial} employee(s) lack some KPI results in at least one period; their KPI score "
            "re-normalises the weights over the KPIs that were scored.",
        )
    return att, kpi


def _score_competency_part(client, current: str | None, notes: _Notes):
    settings = client.settings
    ratings = client.table("ratings")
    if ratings is None or ratings.empty:
        notes.skip(
            "能力得分",
            "competency score",
            "缺少 ratings 表",
            "the ratings table is missing",
            missing=["ratings"],
        )
        notes.skip(
            "评分校准",
            "calibration",
            "缺少 ratings 表",
            "the ratings table is missing",
            missing=["ratings"],
        )
        return None, None, None
    ratings = encode_keys(ratings, ["employee_id", "rater_id", "relation", "period", "competency"])
    kw = dict(rater_weights=settings.rater_weights, include_self=settings.include_self_in_score)
    raters = ratings["rater_id"].cat.codes.to_numpy()[(ratings["relation"] != "self").to_numpy()]
    n_raters = np.count_nonzero(np.bincount(raters[raters >= 0]))  # nunique, on the codes
    effects, calibrated = None, None
    if n_raters < 2:
        notes.skip(
            "评分校准",
            "calibration",
            "他评的评分人少于 2 位",
            "fewer than 2 raters besides self ratings",
            raters=int(n_raters),
        )
    else:
        effects = RaterEffects(include_self=settings.include_self_in_score).fit(ratings)
        ratings, calibrated = effects.transform(ratings), "adjusted_score"
        notes.summary["raters_calibrated"] = int(len(effects.rater_effects_))
        notes.summary["raters_too_few_ratees"] = int(len(effects.excluded_raters_))
        if effects.rater_effects_.empty:
            notes.skip(
                "评分校准",
                "calibration",
                f"没有评分人评价过至少 {effects.min_ratees} 人",
                f"no rater rated at least {effects.min_ratees} people",
                raters=int(n_raters),
            )
    comp, profile = score_and_profile_competencies(
        ratings, scale=settings.scale, calibrated=calibrated, **kw
    )
    if calibrated is None:
        comp["calibrated_competency_score"] = comp["competency_score"]
    profile = profile[_in_chosen_period(profile, current)].reset_index(drop=True)
    profile = profile[["employee_id", "competency", "score", "self_score", "period", "n_ratings"]]
    return comp, profile, effects


def _equate_periods(parts: pd.DataFrame, cal: pd.Series, notes: _Notes) -> pd.DataFrame:
    """Put single-part scores on the composite's footing, period by period (docs/scoring.md §4).

    Each period is equated against its own employees with both parts; a period with too few
    of them against every period's, pooled; with too few overall, nothing changes.
    """
    k, c = (
        parts["kpi_score"].to_numpy(dtype="float64"),
        parts["competency_score"].to_numpy(dtype="float64"),
    )
    kc = cal.to_numpy(dtype="float64")
    both = np.isfinite(k) & np.isfinite(c)
    single = np.isfinite(k) ^ np.isfinite(c)
    if not single.any() or both.sum() < MIN_EQUATING_REFERENCE:
        notes.summary["scores_equated"] = 0
        return parts
    score = parts["score"].to_numpy(dtype="float64", copy=True)
    calibrated = parts["calibrated_score"].to_numpy(dtype="float64", copy=True)
    period = pd.factorize(parts["period"])[
        0
    ]  # -1 for a missing period: one group, as text "nan" was

    def equate(target: np.ndarray, reference: np.ndarray) -> None:
        use = np.flatnonzero(reference | target)
        alone = target[use]
        score[use[alone]] = equate_single_parts(k[use], c[use], score[use])[alone]
        calibrated[use[alone]] = equate_single_parts(k[use], kc[use], calibrated[use])[alone]

    # A single part's equated score depends only on the reference it is placed in: the periods
    # placed in the pooled reference are equated in one pass.
    pooled = np.zeros(len(parts), dtype=bool)
    for p in np.unique(period[single]):
        target = single & (period == p)
        reference = both & (period == p)
        if reference.sum() < MIN_EQUATING_REFERENCE:
            pooled |= target
        else:
            equate(target, reference)
    if pooled.any():
        equate(pooled, both)
    parts["score"], parts["calibrated_score"] = score, calibrated
    n = int(parts.loc[single, "employee_id"].nunique())
    notes.summary["scores_equated"] = n
    notes.say(
        f"{n} 名员工只有 KPI 结果或只有评分:其单项得分按在同期两项俱全员工中的百分位,换算为综合得分的对应分位数。",
        f"{n} employee(s) have only KPI results or only ratings: their single part is placed at the "
        "composite score of the same percentile among the employees who have both parts.",
    )
    return parts


def _combine_periods(
    kpi: pd.DataFrame, comp: pd.DataFrame | None, settings, notes: _Notes
) -> pd.DataFrame:
    keys = ["employee_id", "period"]
    parts = kpi[[*keys, "kpi_score", "n_kpis", "partial"]]
    if comp is not None:
        parts = parts.merge(
            comp[[*keys, "competency_score", "calibrated_competency_score", "self_score"]],
            on=keys,
            how="outer",
        )
    else:
        parts = parts.assign(
            competency_score=np.nan, calibrated_competency_score=np.nan, self_score=np.nan
        )
    parts["score"] = combine_scores(
        parts["kpi_score"], parts["competency_score"], score_mix=settings.score_mix
    )
    cal = parts["calibrated_competency_score"].fillna(parts["competency_score"])
    parts["calibrated_score"] = combine_scores(
        parts["kpi_score"], cal, score_mix=settings.score_mix
    )
    parts = _equate_periods(parts, cal, notes)
    parts["n_kpis"] = parts["n_kpis"].fillna(0).astype("int64")
    parts["partial"] = parts["partial"].astype("boolean").fillna(False).astype(bool)
    for col in ("kpi_score", "competency_score", "calibrated_competency_score", "self_score"):
        parts[col] = parts[col].astype("float64")
    # already in key order: score_kpis returns it, and an outer merge sorts its keys
    return parts[BY_PERIOD_COLUMNS]


def _employee_rows(
    client, by_period: pd.DataFrame, current: str | None, notes: _Notes
) -> pd.DataFrame:
    settings = client.settings
    staff = client.employees
    first = unique_rows(staff["employee_id"])
    base = pd.DataFrame(
        {
            "employee_id": staff["employee_id"],
            "department": staff.get("department", np.nan),
            "role": staff.get("role", pd.Series(np.nan, index=staff.index, dtype="str")),
        }
    )[first]
    scored = by_period[by_period["score"].notna()]
    chosen = scored[_in_chosen_period(scored, current)]
    rows = base.merge(
        chosen.drop(columns=["n_kpis", "partial", "self_score"]), on="employee_id", how="left"
    )
    has_k, has_c = rows["kpi_score"].notna(), rows["competency_score"].notna()
    source = np.where(
        has_k & has_c,
        "results+ratings",
        np.where(has_k, "results", np.where(has_c, "ratings", "none")),
    )
    if "rating" in staff:
        # rows are base's, one for each first row of staff
        rating = staff["rating"][first].set_axis(rows.index)
        use = rows["score"].isna() & rating.notna()
        mapped = to_hundred(rating.to_numpy(dtype="float64"), settings.scale)
        rows["score"] = np.where(use, mapped, rows["score"])
        rows["calibrated_score"] = np.where(use, mapped, rows["calibrated_score"])
        source = np.where(use, "rating", source)
        notes.summary["employees_from_rating"] = int(use.sum())
        if use.any():
            notes.say(
                f"{int(use.sum())} 名员工没有 KPI 结果或评分,得分取 employees 表的 rating(映射到 0–100)。",
                f"{int(use.sum())} employee(s) have no KPI results or ratings; their score is "
                "employees.rating mapped to 0–100.",
            )
    rows["source"] = pd.Series(source, index=rows.index, dtype="str")
    earlier = (
        rows["period"].notna() & (rows["period"] != current)
        if current
        else rows["period"].isna() & False
    )
    notes.summary["employees_other_period"] = int(earlier.sum())
    if earlier.any():
        notes.say(
            f"{int(earlier.sum())} 名员工在当期({current})没有得分,采用其最近一期的得分。",
            f"{int(earlier.sum())} employee(s) have no score in the current period ({current}); "
            "their latest period is used.",
        )
    missing = rows["score"].isna()
    notes.summary["employees"] = int(len(rows))
    notes.summary["employees_unscored"] = int(missing.sum())
    if missing.all():
        notes.skip(
            "绩效得分与等级",
            "performance score and grades",
            "没有 KPI 结果、评分,也没有 employees 表的 rating",
            "there are no KPI results, no ratings and no employees.rating",
            employees=int(len(rows)),
        )
    elif missing.any():
        ids = rows.loc[missing, "employee_id"].head(20).tolist()
        notes.skip(
            "部分员工的绩效得分",
            "performance score of some employees",
            f"{int(missing.sum())} 名员工没有 KPI 结果、评分或 rating",
            f"{int(missing.sum())} employee(s) have no KPI results, ratings or rating",
            employees=int(missing.sum()),
            examples=ids,
        )
    rows["grade"] = assign_grades(rows, settings.grades)
    calibrated = rows[["employee_id", "kpi_score"]].assign(score=rows["calibrated_score"])
    rows["calibrated_grade"] = assign_grades(calibrated, settings.grades)
    for col in (
        "kpi_score",
        "competency_score",
        "score",
        "calibrated_score",
        "calibrated_competency_score",
    ):
        rows[col] = rows[col].astype("float64")
    return rows[EMPLOYEE_COLUMNS].reset_index(drop=True)


def score_performance(client) -> PerformanceScores:
    """Score every employee of a client: KPI attainment, KPI, competency and composite scores,
    grades, and the calibrated score and grade.

    Parameters
    ----------
    client : perfkit.intake.Client

    Returns
    -------
    PerformanceScores
        Parts the data cannot give are NaN, with an ANALYSIS_SKIPPED finding in ``notes``;
        every formula is in ``docs/scoring.md``.
    """
    notes = _Notes(client.language)
    current = client.current_period  # read once: it scans every period column
    attainment, kpi = _score_kpi_part(client, notes)
    comp, profile, effects = _score_competency_part(client, current, notes)
    by_period = _combine_periods(kpi, comp, client.settings, notes)
    employees = _employee_rows(client, by_period, current, notes)
    if profile is None:
        profile = pd.DataFrame(
            {
                c: pd.Series(dtype="float64")
                for c in ("employee_id", "competency", "score", "self_score", "period", "n_ratings")
            }
        )
    changes = grade_changes(employees)
    notes.summary["grade_changes"] = int(len(changes))
    return PerformanceScores(
        attainment=attainment,
        by_period=by_period,
        employees=employees,
        competencies=profile,
        notes=notes.findings,
        rater_effects=effects,
        summary=notes.summary,
        caveats=notes.caveats,
        current_period=current,
    )
