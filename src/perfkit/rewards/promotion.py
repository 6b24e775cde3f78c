"""Promotion candidates: the best grades, high potential and enough time in the company."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perfkit.language import pick


def find_promotion_candidates(
    people: pd.DataFrame,
    *,
    top_grades: Sequence[str],
    min_years: float,
    as_of: pd.Timestamp,
    lang: str = "en",
    grade_column: str = "grade",
) -> pd.DataFrame:
    """Flag promotion candidates and say why, one row per person.

    A candidate meets every rule whose data is present:

    1. their grade is among ``top_grades`` (``rewards.promotion_top_grades`` best grades);
    2. ``potential`` is 3 (high), when the column has any value; a person without a value fails;
    3. ``hire_date`` is at least ``min_years`` (``rewards.promotion_min_years``) before ``as_of``
       (the end of the current period), when the column has any value; a person without a hire
       date fails. The contract has no date of the last promotion, so tenure stands in for
       time in level.

    Parameters
    ----------
    people : DataFrame
        employee_id, ``grade_column`` and optionally potential, hire_date.
    top_grades : sequence of str
    min_years : float
    as_of : Timestamp
    lang : {"zh", "en"}
    grade_column : str, default "grade"

    Returns
    -------
    DataFrame
        employee_id, promotion_candidate (bool), tenure_years, promotion_reason (text).
    """
    grade_ok = people[grade_column].isin(list(top_grades)).to_numpy()
    ok = grade_ok.copy()
    reasons = [pick(lang, zh="绩效等级为最高档", en="top grade")]
    tenure = pd.Series(np.nan, index=people.index)
    if "potential" in people and people["potential"].notna().any():
        ok &= (people["potential"] == 3).to_numpy()
        reasons.append(pick(lang, zh="高潜力(3)", en="high potential (3)"))
    if "hire_date" in people and people["hire_date"].notna().any():
        hired = pd.to_datetime(people["hire_date"], errors="coerce")
        tenure = (as_of - hired).dt.days / 365.25
        ok &= (tenure >= min_years).fillna(False).to_numpy()
        reasons.append(pick(lang, zh=f"司龄≥{min_years:g}年", en=f"tenure ≥ {min_years:g} years"))
    joined = pick(lang, zh=";", en="; ").join(reasons)
    return pd.DataFrame(
        {
            "employee_id": people["employee_id"].to_numpy(),
            "promotion_candidate": ok,
            "tenure_years": tenure.round(1).to_numpy(),
            "promotion_reason": np.where(ok, joined, ""),
        },
        index=people.index,
    )
