"""Self-inflation: people, and whole departments, whose self-ratings sit well above others' ratings."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

import numpy as np
import pandas as pd
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm, scale_factor
from perfkit.findings import Finding, skipped, threshold
from perfkit.intake import Client
from perfkit.language import pick
from perfkit.raters.effects import CodedRatings, code_ratings, rater_effects, self_ratings
from perfkit.scoring.keys import factorize_text


def self_inflation_by_department(
    people: pd.DataFrame, employees: pd.DataFrame, *, min_department: int = 5
) -> pd.DataFrame:
    """Compare each department's self-rating gaps with the rest of the company's.

    Parameters
    ----------
    people : DataFrame
        :func:`perfkit.raters.self_ratings`, indexed by employee_id.
    employees : DataFrame
        With ``employee_id`` and ``department``.
    min_department : int, default 5
        Departments with fewer self-raters are listed but not tested.

    Returns
    -------
    DataFrame
        Indexed by ``department``: ``n_people``, ``mean_gap``, ``rest_mean_gap``, ``share_above``
        (share of its people whose gap exceeds the company's median), ``p_value`` (one-sided
        Welch t-test of its people's gaps above the rest's) and ``p_holm`` (Holm across the
        departments tested).
    """
    gaps = _with_departments(people[["gap"]], employees).dropna(subset=["department"])
    median = float(people["gap"].median()) if len(people) else np.nan
    columns = ["n_people", "mean_gap", "rest_mean_gap", "share_above", "p_value", "p_holm"]
    if gaps.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="department"))
    grouped = gaps.assign(above=gaps["gap"] > median).groupby("department", sort=True)
    table = pd.DataFrame(  # one plain aggregation per column: named aggregation is slower
        {
            "n_people": grouped.size(),
            "mean_gap": grouped["gap"].mean(),
            "var": grouped["gap"].var(),
            "share_above": grouped["above"].mean(),
        }
    )
    total_n, total = len(gaps), gaps["gap"].sum()
    total_sq = (gaps["gap"] ** 2).sum()
    sums = grouped["gap"].sum()
    rest_n = total_n - table["n_people"]
    rest_sum = total - sums
    table["rest_mean_gap"] = rest_sum / rest_n
    rest_var = (
        total_sq - (gaps["gap"] ** 2).groupby(gaps["department"]).sum() - rest_sum**2 / rest_n
    ) / (rest_n - 1)
    testable = (table["n_people"] >= min_department) & (rest_n >= 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = stats.ttest_ind_from_stats(
            table["mean_gap"].to_numpy(),
            np.sqrt(table["var"].fillna(0).to_numpy()),
            table["n_people"].to_numpy(),
            table["rest_mean_gap"].to_numpy(),
            np.sqrt(rest_var.clip(lower=0).to_numpy()),
            rest_n.to_numpy(),
            equal_var=False,
            alternative="greater",
        )
    table["p_value"] = np.where(testable, result.pvalue, np.nan)
    table["p_holm"] = adjust_holm(table["p_value"].to_numpy())
    return table[columns]


def _with_departments(frame: pd.DataFrame, employees: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (indexed by employee_id) joined with each employee's ``department``."""
    person, ids = factorize_text(employees["employee_id"])
    if len(ids) < len(employees) or (person < 0).any():  # ids repeat: the join repeats rows
        return frame.join(employees.set_index("employee_id")["department"], how="left")
    # one id per row: a lookup in the ids' codes (shared with the other analyses) is the join
    where = ids.get_indexer(frame.index)
    department = employees["department"].array.take(where, allow_fill=True)
    return frame.assign(department=department)


def iterate_rows(frame: pd.DataFrame) -> Iterator[tuple[Hashable, dict]]:
    """Yield each row's index label and its values by column name, typed as ``iterrows`` types them.

    ``iterrows`` builds a Series per row, and reading it by attribute is slower still: on the
    few hundred raters a large 360° flags, that was most of the time spent writing findings.
    """
    columns = list(frame.columns)
    for label, values in zip(frame.index, frame.to_numpy(), strict=True):
        yield label, dict(zip(columns, values, strict=True))


def leniency_limits(client: Client) -> dict:
    """The :func:`perfkit.raters.rater_effects` arguments that make a rater clearly lenient or severe.

    The looser of the RATER_LENIENT and RATER_SEVERE thresholds (``min_ratees``,
    ``effect_size``, ``p_value``, ``min_points`` on the client's scale).
    """
    limits = client.settings.thresholds
    both = [
        {
            p: threshold(limits, code, p)
            for p in ("effect_size", "min_ratees", "p_value", "min_points")
        }
        for code in ("RATER_LENIENT", "RATER_SEVERE")
    ]
    return {
        "min_ratees": int(min(t["min_ratees"] for t in both)),
        "effect_size": min(t["effect_size"] for t in both),
        "p_value": max(t["p_value"] for t in both),
        "min_points": min(t["min_points"] for t in both) * scale_factor(client.settings),
    }


def self_inflation_findings(
    client: Client, ratings: pd.DataFrame | CodedRatings, offsets: pd.Series | None = None
) -> list[Finding]:
    """SELF_INFLATION: whole departments first, then individuals outside them (capped).

    A department whose people as a group rate themselves well above what others give them is
    one finding (subject = the department) rather than a finding per person; people elsewhere
    are reported individually, at most ``max_reported``, largest gaps first. Others' scores are
    compared after removing the offsets of clearly lenient or severe raters (``offsets``, as
    :func:`perfkit.raters.rater_effects` returns them in ``attrs["offsets"]``; estimated here
    with :func:`leniency_limits` when None), so that a severe manager does not make their
    reports look self-inflated.
    """
    lang = client.language
    t = {
        p: threshold(client.settings.thresholds, "SELF_INFLATION", p)
        for p in ("gap", "min_competencies", "p_value", "max_reported", "min_department")
    }
    ratings = code_ratings(ratings)
    if offsets is None:
        offsets = rater_effects(ratings, **leniency_limits(client)).attrs.get("offsets")
    people = self_ratings(ratings, offsets)
    if people.empty:
        return [
            skipped(
                "self-inflation",
                "ratings 表中没有可与他评对比的自评",
                "the ratings table has no self-ratings that others also scored",
                lang,
                missing=["ratings.relation == self"],
            )
        ]
    gap_min = t["gap"] * scale_factor(client.settings)
    # masks as arrays: indexing by a boolean Series hashes its (100k-id) index to align it
    people = people[(people["n_competencies"] >= t["min_competencies"]).to_numpy()]
    findings = []
    covered: set[str] = set()
    if "department" in client.employees:
        table = self_inflation_by_department(
            people, client.employees, min_department=int(t["min_department"])
        )
        hits = table[(table["mean_gap"] >= gap_min) & (table["p_holm"] <= t["p_value"])]
        department_of = pd.Index([])  # each person's department, mapped only when one is flagged
        if len(hits):
            departments = client.employees.set_index("employee_id")["department"]
            department_of = people.index.map(departments)
        for department, row in iterate_rows(hits.sort_values("mean_gap", ascending=False)):
            members = people.index[department_of == department]
            covered.update(members)
            top = (
                people.loc[members].sort_values("gap", ascending=False).head(int(t["max_reported"]))
            )
            findings.append(
                Finding(
                    "SELF_INFLATION",
                    "warning",
                    str(department),
                    pick(
                        lang,
                        zh=f"部门“{department}”的 {int(row['n_people'])} 名员工自评平均比他人评价高 {row['mean_gap']:.2f} 分"
                        f"(公司其他员工为 {row['rest_mean_gap']:.2f} 分)。",
                        en=f"The {int(row['n_people'])} people of department {department} rate themselves "
                        f"{row['mean_gap']:.2f} points above what others give them on average (the rest of "
                        f"the company: {row['rest_mean_gap']:.2f}).",
                    ),
                    {
                        "level": "department",
                        "n_people": int(row["n_people"]),
                        "mean_gap": row["mean_gap"],
                        "rest_mean_gap": row["rest_mean_gap"],
                        "share_above_median": row["share_above"],
                        "p_value": row["p_value"],
                        "p_holm": row["p_holm"],
                        "employees": [str(e) for e in top.index],
                        "gaps": [round(float(g), 3) for g in top["gap"]],
                    },
                )
            )
    inflated = people[
        (
            (people["gap"] >= gap_min)
            & (people["p_value"] <= t["p_value"])
            & ~people.index.isin(list(covered))
        ).to_numpy()
    ]
    inflated = inflated.sort_values(["gap", "n_competencies"], ascending=False, kind="stable")
    context = {
        "level": "employee",
        "n_flagged": len(inflated),
        "n_self_raters": len(people),
        "company_median_gap": float(people["gap"].median()),
    }
    for rank, (employee_id, row) in enumerate(
        iterate_rows(inflated.head(int(t["max_reported"]))), start=1
    ):
        evidence = {
            "n_competencies": int(row["n_competencies"]),
            "self_mean": row["self_mean"],
            "others_mean": row["others_mean"],
            "gap": row["gap"],
            "p_value": row["p_value"],
        }
        evidence.update(context, rank=rank)
        findings.append(
            Finding(
                "SELF_INFLATION",
                "warning",
                str(employee_id),
                pick(
                    lang,
                    zh=f"员工 {employee_id} 的自评平均比他人评价高 {row['gap']:.2f} 分({row['self_mean']:.2f} 对 "
                    f"{row['others_mean']:.2f},{int(row['n_competencies'])} 项能力评分)。",
                    en=f"Employee {employee_id} rates themself {row['gap']:.2f} points above what others give "
                    f"them ({row['self_mean']:.2f} vs {row['others_mean']:.2f} over {int(row['n_competencies'])} "
                    f"competency ratings).",
                ),
                evidence,
            )
        )
    return findings
