"""Evaluation diagnostics as findings: compressed ratings, skewed departments, misaligned ratings and pay."""

from __future__ import annotations

import pandas as pd

from perfkit.evaluation.distribution import department_distribution, rating_compression
from perfkit.evaluation.statistics import spearman
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick


def diagnose_evaluation(client: Client, scores: object | None) -> list[Finding]:
    """Return the evaluation findings the client's data allows.

    RATING_COMPRESSED (``employees.rating`` and the 360° ``ratings.score``),
    GRADE_DISTRIBUTION_SKEWED (per department), RATING_RESULTS_MISALIGNED (given ratings
    against ``scores.employees.kpi_score``) and PAY_PERFORMANCE_MISALIGNED
    (``last_increase_pct`` against the rating, or perfkit's score when there is no rating).

    Parameters
    ----------
    client : Client
    scores : PerformanceScores or None
        Only ``scores.employees`` is read (employee_id, kpi_score, score).

    Returns
    -------
    list of Finding
        Analyses lacking a column add ``ANALYSIS_SKIPPED``; the rest still run.
    """
    employees = client.employees
    scored = getattr(scores, "employees", None)
    has_rating = "rating" in employees and employees["rating"].notna().any()
    findings = compressed_findings(client)
    if has_rating:
        findings += skewed_findings(client)
    else:
        findings.append(_skip_rating(client, "grade distribution"))
    findings += results_alignment_findings(client, scored)
    findings += pay_alignment_findings(client, scored)
    return findings


def _skip_rating(client: Client, analysis: str) -> Finding:
    return skipped(
        analysis,
        "employees 表没有 rating(本周期的总体评级)列",
        "employees has no rating column (the overall rating given in the cycle)",
        client.language,
        missing=["employees.rating"],
    )


def compressed_findings(client: Client) -> list[Finding]:
    """RATING_COMPRESSED on ``employees.rating`` and on non-self ``ratings.score``."""
    lang = client.language
    limits = client.settings.thresholds
    t = {
        p: threshold(limits, "RATING_COMPRESSED", p)
        for p in ("top_share", "min_ratings", "min_points")
    }
    sources = []
    if "rating" in client.employees and client.employees["rating"].notna().any():
        sources.append(("employees.rating", client.employees["rating"]))
    ratings = client.table("ratings")
    if ratings is not None and not ratings.empty:
        others = (
            (ratings["relation"] != "self") & (ratings["rater_id"] != ratings["employee_id"])
        ).to_numpy()
        sources.append(("ratings.score", pd.Series(ratings["score"].to_numpy()[others])))
    if not sources:
        return [_skip_rating(client, "rating compression")]
    scale = client.settings.scale
    n_scale = int(scale.max - scale.min) + 1
    findings = []
    for subject, values in sources:
        summary = rating_compression(values)
        if summary["n"] < t["min_ratings"]:
            continue
        too_few = summary["n_points"] < min(t["min_points"], n_scale)
        if summary["top_share"] < t["top_share"] and not too_few:
            continue
        share = summary["top_share"]
        findings.append(
            Finding(
                "RATING_COMPRESSED",
                "warning",
                subject,
                pick(
                    lang,
                    zh=f"{subject} 中 {share:.0%} 的评分落在同一个分值 {summary['mode']:g} 上"
                    f"(共 {summary['n']} 个评分,只用了 {summary['n_points']} 个分值),难以区分绩效高低。",
                    en=f"{share:.0%} of the {summary['n']} ratings in {subject} sit on one point, "
                    f"{summary['mode']:g}, using {summary['n_points']} points of the scale: they barely "
                    f"tell people apart.",
                ),
                {**summary, "scale_min": scale.min, "scale_max": scale.max},
            )
        )
    return findings


def skewed_findings(client: Client) -> list[Finding]:
    """GRADE_DISTRIBUTION_SKEWED: departments whose ratings depart from the guideline."""
    lang = client.language
    limits = client.settings.thresholds
    t = {
        p: threshold(limits, "GRADE_DISTRIBUTION_SKEWED", p)
        for p in ("p_value", "min_count", "min_gap")
    }
    table = department_distribution(
        client.employees,
        client.settings,
        min_count=int(t["min_count"]),
        p_value=t["p_value"],
        min_gap=t["min_gap"],
    )
    hits = table[
        (table["n"] >= t["min_count"])
        & (table["p_holm"] <= t["p_value"])
        & (table["max_gap"].abs() >= t["min_gap"])
    ]
    findings = []
    for department, row in hits.sort_values("max_gap", ascending=False).iterrows():
        generous = row.max_gap > 0
        ref_zh = "评级指引" if row.reference == "guideline" else "公司其他部门"
        ref_en = "the guideline" if row.reference == "guideline" else "the rest of the company"
        if row.reference != "guideline" and row.reference_excludes:
            ref_zh += f"(不含同样偏离的{'、'.join(row.reference_excludes)})"
            ref_en += f" (without {', '.join(row.reference_excludes)}, also skewed)"
        evidence = row.to_dict()
        evidence.update(direction="generous" if generous else "harsh")
        findings.append(
            Finding(
                "GRADE_DISTRIBUTION_SKEWED",
                "warning",
                str(department),
                pick(
                    lang,
                    zh=f"部门“{department}”的评级{'偏宽松' if generous else '偏严格'}:{int(row.n)} 人中评在 "
                    f"{row.gap_point:g} 分及以上的比例比{ref_zh}{'高' if generous else '低'} "
                    f"{abs(row.max_gap) * 100:.0f} 个百分点(Holm 校正 p = {row.p_holm:.2g})。",
                    en=f"Department {department} rates {'more generously' if generous else 'more harshly'} "
                    f"than {ref_en}: the share of its {int(row.n)} people rated {row.gap_point:g} or above is "
                    f"{abs(row.max_gap) * 100:.0f} percentage points {'higher' if generous else 'lower'} (Holm-adjusted "
                    f"p = {row.p_holm:.2g}).",
                ),
                evidence,
            )
        )
    return findings


def results_alignment_findings(client: Client, scored: pd.DataFrame | None) -> list[Finding]:
    """RATING_RESULTS_MISALIGNED: the given ratings against the KPI results (Spearman)."""
    lang = client.language
    employees = client.employees
    if "rating" not in employees or employees["rating"].isna().all():
        return [_skip_rating(client, "ratings vs results")]
    if scored is None or "kpi_score" not in scored or scored["kpi_score"].isna().all():
        return [
            skipped(
                "ratings vs results",
                "没有 KPI 结果(缺少 kpis 或 results 表)",
                "there are no KPI results (no kpis or results table)",
                lang,
                missing=["kpis", "results"],
            )
        ]
    limits = client.settings.thresholds
    t = {p: threshold(limits, "RATING_RESULTS_MISALIGNED", p) for p in ("rho", "min_count")}
    joined = employees[["employee_id", "rating"]].merge(
        scored[["employee_id", "kpi_score"]], on="employee_id"
    )
    rho, p, n = spearman(joined["rating"], joined["kpi_score"])
    if n < t["min_count"] or pd.isna(rho) or rho >= t["rho"]:
        return []
    return [
        Finding(
            "RATING_RESULTS_MISALIGNED",
            "warning",
            "employees.rating",
            pick(
                lang,
                zh=f"员工获得的评级与其 KPI 结果几乎不相关(Spearman 等级相关 {rho:.2f},{n} 人,低于 {t['rho']:g})。",
                en=f"The ratings people were given barely follow their KPI results (Spearman rank "
                f"correlation {rho:.2f} over {n} people, below {t['rho']:g}).",
            ),
            {"rho": rho, "p_value": p, "n": n, "threshold": t["rho"]},
        )
    ]


def pay_alignment_findings(client: Client, scored: pd.DataFrame | None) -> list[Finding]:
    """PAY_PERFORMANCE_MISALIGNED: ``last_increase_pct`` against the rating, or perfkit's score.

    One company-wide test (departments are usually too small for a stable rank correlation).
    """
    lang = client.language
    employees = client.employees
    if "last_increase_pct" not in employees or employees["last_increase_pct"].isna().all():
        return [
            skipped(
                "pay vs performance",
                "employees 表没有 last_increase_pct 列",
                "employees has no last_increase_pct column",
                lang,
                missing=["employees.last_increase_pct"],
            )
        ]
    if "rating" in employees and employees["rating"].notna().any():
        basis, performance = "employees.rating", employees["rating"]
        joined = pd.DataFrame({"pay": employees["last_increase_pct"], "performance": performance})
    elif scored is not None and "score" in scored and scored["score"].notna().any():
        basis = "score"
        joined = (
            employees[["employee_id", "last_increase_pct"]]
            .merge(scored[["employee_id", "score"]], on="employee_id")
            .rename(columns={"last_increase_pct": "pay", "score": "performance"})
        )
    else:
        return [_skip_rating(client, "pay vs performance")]
    limits = client.settings.thresholds
    t = {p: threshold(limits, "PAY_PERFORMANCE_MISALIGNED", p) for p in ("rho", "min_count")}
    rho, p, n = spearman(joined["pay"], joined["performance"])
    if n < t["min_count"] or pd.isna(rho) or rho >= t["rho"]:
        return []
    return [
        Finding(
            "PAY_PERFORMANCE_MISALIGNED",
            "warning",
            "last_increase_pct",
            pick(
                lang,
                zh=f"调薪幅度与绩效({basis})几乎不相关(Spearman 等级相关 {rho:.2f},{n} 人,低于 {t['rho']:g})。",
                en=f"Pay increases barely follow performance ({basis}): Spearman rank correlation "
                f"{rho:.2f} over {n} people, below {t['rho']:g}.",
            ),
            {"rho": rho, "p_value": p, "n": n, "basis": basis, "threshold": t["rho"]},
        )
    ]
