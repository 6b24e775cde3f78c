"""Rater diagnostics as findings: RATER_LENIENT, RATER_SEVERE, RATER_CENTRAL_TENDENCY, RATER_HALO, SELF_INFLATION."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from perfkit.evaluation.statistics import adjust_holm, scale_factor
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick
from perfkit.raters.effects import code_ratings, rater_effects
from perfkit.raters.inflation import iterate_rows, leniency_limits, self_inflation_findings
from perfkit.raters.managers import manager_leniency


def diagnose_raters(client: Client) -> list[Finding]:
    """Return the rater findings the client's data allows.

    With a ``ratings`` table (a 360°): leniency and severity, central tendency and halo per
    rater, and self-inflation per employee. Without one, but with ``employees.manager_id`` and
    ``employees.rating``: leniency and severity per manager from the ratings they gave. Whatever
    cannot run is reported as ``ANALYSIS_SKIPPED``.

    Parameters
    ----------
    client : Client

    Returns
    -------
    list of Finding
    """
    lang = client.language
    ratings = client.table("ratings")
    if ratings is not None and not ratings.empty:
        return _diagnose_360(client, ratings)
    findings = [
        skipped(
            "360° rater diagnostics",
            "缺少 ratings 表(360° 评分)",
            "there is no ratings table (360° scores)",
            lang,
            missing=["ratings"],
        )
    ]
    if client.has("employees", columns={"employees": ["manager_id", "rating"]}):
        findings += diagnose_managers(client)
    else:
        missing = [
            c
            for c in ("manager_id", "rating")
            if c not in client.employees or client.employees[c].isna().all()
        ]
        findings.append(
            skipped(
                "leniency by manager",
                f"employees 表缺少 {', '.join(missing)} 列",
                f"employees has no {' or '.join(missing)} column",
                lang,
                missing=[f"employees.{c}" for c in missing],
            )
        )
    return findings


def _diagnose_360(client: Client, ratings: pd.DataFrame) -> list[Finding]:
    lang = client.language
    limits = client.settings.thresholds
    t_ct = {
        p: threshold(limits, "RATER_CENTRAL_TENDENCY", p)
        for p in ("spread_ratio", "min_ratees", "p_value")
    }
    t_halo = {
        p: threshold(limits, "RATER_HALO", p)
        for p in ("within_ratio", "min_ratees", "min_competencies", "others_sd")
    }
    coded = code_ratings(ratings)
    effects = rater_effects(
        coded, min_competencies=int(t_halo["min_competencies"]), **leniency_limits(client)
    )
    findings = _leniency_findings(client, effects)

    # masks as arrays: indexing by a boolean Series hashes the (100k-id) index to align it
    collapsed = (effects["spread_ratio"] <= t_ct["spread_ratio"]).to_numpy()
    spread_p = effects["spread_p_value"]
    tested = ((effects["n_people"] >= t_ct["min_ratees"]) & spread_p.notna()).to_numpy()
    spread_holm = np.full(len(effects), np.nan)
    spread_holm[tested] = adjust_holm(spread_p.to_numpy()[tested])
    effects = effects.assign(spread_p_holm=spread_holm)
    central = effects[tested & collapsed & (spread_holm <= t_ct["p_value"])]
    for rater_id, row in iterate_rows(central):
        findings.append(
            Finding(
                "RATER_CENTRAL_TENDENCY",
                "warning",
                str(rater_id),
                pick(
                    lang,
                    zh=f"评分人 {rater_id} 的评分几乎不区分人:对同样 {int(row['n_people'])} 人,其人均评分的标准差为 "
                    f"{row['spread']:.2f},而其他评分人为 {row['others_spread']:.2f}(比值 {row['spread_ratio']:.2f})。",
                    en=f"Rater {rater_id}'s scores barely tell people apart: SD {row['spread']:.2f} across "
                    f"{int(row['n_people'])} people whom other raters score with SD {row['others_spread']:.2f} "
                    f"(ratio {row['spread_ratio']:.2f}).",
                ),
                row_evidence(
                    row,
                    [
                        "n_people",
                        "spread",
                        "others_spread",
                        "spread_ratio",
                        "spread_p_value",
                        "spread_p_holm",
                    ],
                ),
            )
        )

    others_floor = t_halo["others_sd"] * scale_factor(client.settings)
    halo = effects[
        (
            (effects["n_halo_ratees"] >= t_halo["min_ratees"])
            & (effects["within_ratio"] <= t_halo["within_ratio"])
            & (effects["others_within_sd"] >= others_floor)
        ).to_numpy()
        & ~collapsed
    ]  # one score for everyone is central tendency, not halo
    for rater_id, row in iterate_rows(halo):
        findings.append(
            Finding(
                "RATER_HALO",
                "warning",
                str(rater_id),
                pick(
                    lang,
                    zh=f"评分人 {rater_id} 对 {int(row['n_halo_ratees'])} 人的各项能力几乎打同一个分(同一人各能力间标准差 "
                    f"{row['within_sd']:.2f},其他评分人为 {row['others_within_sd']:.2f})。",
                    en=f"Rater {rater_id} gives each of {int(row['n_halo_ratees'])} people nearly one score on every "
                    f"competency (SD within a person {row['within_sd']:.2f}, other raters "
                    f"{row['others_within_sd']:.2f}).",
                ),
                row_evidence(
                    row, ["n_halo_ratees", "within_sd", "others_within_sd", "within_ratio"]
                ),
            )
        )

    # others' scores corrected for the raters found clearly lenient or severe, as the baselines above
    findings += self_inflation_findings(
        client, coded, effects.attrs.get("offsets", pd.Series(dtype="float64"))
    )
    return findings


def _leniency_findings(client: Client, effects: pd.DataFrame) -> list[Finding]:
    lang = client.language
    limits = client.settings.thresholds
    findings: list[Finding] = []
    for code, sign in (("RATER_LENIENT", 1), ("RATER_SEVERE", -1)):
        t = {
            p: threshold(limits, code, p)
            for p in ("effect_size", "min_ratees", "p_value", "min_points")
        }
        hits = effects[
            (
                (effects["n_ratees"] >= t["min_ratees"])
                & (sign * effects["effect_size"] >= t["effect_size"])
                & (
                    sign * effects["mean_deviation"]
                    >= t["min_points"] * scale_factor(client.settings)
                )
                & (effects["p_holm"] <= t["p_value"])
            ).to_numpy()  # an array: a boolean Series would hash the index to align it
        ]
        for rater_id, row in iterate_rows(hits.sort_values("effect_size", ascending=sign < 0)):
            gap = abs(row["mean_deviation"])
            findings.append(
                Finding(
                    code,
                    "warning",
                    str(rater_id),
                    pick(
                        lang,
                        zh=f"评分人 {rater_id} 给同一批员工的评分平均比其他评分人{'高' if sign > 0 else '低'} "
                        f"{gap:.2f} 分({row['rater_mean']:.2f} 对 {row['others_mean']:.2f},{int(row['n_ratees'])} 人,"
                        f"效应量 {row['effect_size']:.1f})。",
                        en=f"Rater {rater_id} scores the same people {gap:.2f} points "
                        f"{'above' if sign > 0 else 'below'} what other raters give them "
                        f"({row['rater_mean']:.2f} vs {row['others_mean']:.2f}, {int(row['n_ratees'])} people, "
                        f"effect size {row['effect_size']:.1f}).",
                    ),
                    row_evidence(
                        row,
                        [
                            "relation",
                            "n_ratees",
                            "n_ratings",
                            "mean_deviation",
                            "effect_size",
                            "rater_mean",
                            "others_mean",
                            "p_value",
                            "p_holm",
                        ],
                    ),
                )
            )
    return findings


def diagnose_managers(client: Client) -> list[Finding]:
    """Return RATER_LENIENT and RATER_SEVERE findings per manager, from ``employees.rating``.

    For clients without a 360°: each manager's ratings against the rest of the company's
    (see :func:`perfkit.raters.manager_leniency`), with an effect size, a minimum number of
    rated reports, a minimum difference in points and Holm's correction across managers.
    """
    lang = client.language
    limits = client.settings.thresholds
    min_ratees = min(
        threshold(limits, "RATER_LENIENT", "min_ratees"),
        threshold(limits, "RATER_SEVERE", "min_ratees"),
    )
    table = manager_leniency(client.employees, min_ratees=int(min_ratees))
    findings: list[Finding] = []
    for code, sign in (("RATER_LENIENT", 1), ("RATER_SEVERE", -1)):
        t = {
            p: threshold(limits, code, p)
            for p in ("effect_size", "min_ratees", "p_value", "min_points")
        }
        hits = table[
            (table["n_ratees"] >= t["min_ratees"])
            & (sign * table["effect_size"] >= t["effect_size"])
            & (sign * table["mean_difference"] >= t["min_points"] * scale_factor(client.settings))
            & (table["p_holm"] <= t["p_value"])
        ]
        for manager_id, row in hits.iterrows():
            gap = abs(row.mean_difference)
            evidence = row_evidence(
                row,
                [
                    "n_ratees",
                    "mean",
                    "rest_mean",
                    "mean_difference",
                    "effect_size",
                    "p_value",
                    "p_holm",
                ],
            )
            evidence.update(
                source="employees.rating",
                distribution=row.distribution,
                rater_mean=row["mean"],
                others_mean=row.rest_mean,
                mean_deviation=row.mean_difference,
            )
            findings.append(
                Finding(
                    code,
                    "warning",
                    str(manager_id),
                    pick(
                        lang,
                        zh=f"经理 {manager_id} 给 {int(row.n_ratees)} 名下属的评分平均比公司其他员工"
                        f"{'高' if sign > 0 else '低'} {gap:.2f} 分({row['mean']:.2f} 对 {row.rest_mean:.2f},"
                        f"效应量 {row.effect_size:.1f},Holm 校正 p = {row.p_holm:.3g})。",
                        en=f"Manager {manager_id} rated {int(row.n_ratees)} reports {gap:.2f} points "
                        f"{'above' if sign > 0 else 'below'} the rest of the company on average "
                        f"({row['mean']:.2f} vs {row.rest_mean:.2f}, effect size {row.effect_size:.1f}, "
                        f"Holm-adjusted p = {row.p_holm:.3g}).",
                    ),
                    evidence,
                )
            )
    return findings


def row_evidence(row: Mapping[str, Any], names: list[str]) -> dict:
    """The named figures of a row (a Series or a dict), as plain numbers (counts as int)."""
    evidence = {}
    for name in names:
        value = row[name]
        if name.startswith("n_") and pd.notna(value):
            value = int(value)
        elif isinstance(value, (np.floating, float)):
            value = round(float(value), 6)
        elif isinstance(value, np.integer):
            value = int(value)
        evidence[name] = value
    return evidence
