"""Grades from scores: a forced distribution by guideline shares, or cutoffs by minimum score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from perfkit.scoring.keys import sorted_codes


def _grade_rules(grades) -> tuple[list[str], list[float] | None, list[float] | None]:
    names, shares, cuts = [], [], []
    for g in grades:
        get = g.get if isinstance(g, Mapping) else lambda k, g=g: getattr(g, k, None)
        names.append(str(get("grade")))
        shares.append(get("share"))
        cuts.append(get("min_score"))
    if not names:
        raise ValueError("The 'grades' parameter needs at least one grade. Got none.")
    if all(s is not None for s in shares):
        total = float(sum(shares))
        if abs(total - 1) > 1e-6:
            raise ValueError(f"Grade shares must sum to 1. Got {total:g}.")
        return names, [float(s) for s in shares], None
    if all(c is not None for c in cuts):
        return names, None, [float(c) for c in cuts]
    raise ValueError(
        "Every grade needs a 'share' (forced distribution), or every grade a 'min_score' (cutoffs)."
    )


def grade_counts(n: int, shares: Sequence[float]) -> np.ndarray:
    """Return how many of ``n`` people each grade gets under a forced distribution.

    Cumulative shares are rounded half up (``floor(n·cum + 0.5)``), so the counts always sum to
    ``n`` and are exact when ``n × share`` is a whole number.

    Examples
    --------
    >>> grade_counts(10, [0.1, 0.2, 0.4, 0.2, 0.1]).tolist()
    [1, 2, 4, 2, 1]
    """
    cum = np.cumsum(np.asarray(shares, dtype="float64"))
    cum[-1] = 1.0
    bounds = np.floor(n * cum + 0.5 + 1e-9).astype("int64")
    bounds = np.minimum(bounds, n)
    return np.diff(np.concatenate([[0], bounds]))


def assign_grades(scores, grades) -> pd.Series:
    """Return a grade for each score, best first as in ``grades``; NaN scores get no grade.

    Parameters
    ----------
    scores : DataFrame or Series
        A DataFrame with ``score`` and, for tie-breaking, ``kpi_score`` and ``employee_id``; or a
        Series of scores (ties broken by its index).
    grades : sequence of Grade or of mappings
        ``settings.grades``. All with ``share``: forced distribution: people ranked by score,
        then kpi_score, then employee_id (ascending), and the top ``share`` of them get the first
        grade, and so on (see :func:`grade_counts`). All with ``min_score``: the first grade whose
        ``min_score`` the score reaches; below every cutoff, the last grade.

    Returns
    -------
    Series of str
        Aligned on ``scores``' index; NaN where the score is NaN.

    Examples
    --------
    >>> assign_grades(pd.Series([90, 70, 80, 60]), [{"grade": "A", "share": 0.5}, {"grade": "B", "share": 0.5}]).tolist()
    ['A', 'B', 'A', 'B']
    """
    names, shares, cuts = _grade_rules(grades)
    if isinstance(scores, pd.Series):
        frame = pd.DataFrame(
            {"score": scores.to_numpy(), "employee_id": scores.index.astype(str)},
            index=scores.index,
        )
    else:
        if "score" not in scores:
            raise ValueError(f"assign_grades needs a 'score' column; got {list(scores.columns)}.")
        frame = scores
    score = pd.to_numeric(frame["score"], errors="coerce").to_numpy(dtype="float64")
    grade = np.full(len(frame), -1)  # position in names; -1: no grade
    ok = np.isfinite(score)
    if cuts is not None:
        idx = np.full(len(frame), len(names) - 1)
        for i in range(len(names) - 1, -1, -1):
            idx = np.where(score >= cuts[i], i, idx)
        grade[ok] = idx[ok]
    elif ok.any():
        pos = np.flatnonzero(ok)
        kpi = (
            pd.to_numeric(frame["kpi_score"], errors="coerce").to_numpy(dtype="float64")[pos]
            if "kpi_score" in frame
            else np.zeros(len(pos))
        )
        kpi = np.where(np.isfinite(kpi), kpi, -np.inf)
        # lexsort (stable; last key is primary): score desc, kpi_score desc, then as given
        order = np.lexsort((-kpi, -score[pos]))
        ranked_s, ranked_k = score[pos][order], kpi[order]
        tied = (ranked_s[1:] == ranked_s[:-1]) & (ranked_k[1:] == ranked_k[:-1])
        if "employee_id" in frame and tied.any():
            order = _by_id_within_ties(order, tied, frame["employee_id"].iloc[pos])
        counts = grade_counts(len(pos), shares)
        grade[pos[order]] = np.repeat(np.arange(len(names)), counts)
    text = pd.array(names, dtype="str").take(grade, allow_fill=True)
    return pd.Series(text, index=frame.index)


def _by_id_within_ties(order: np.ndarray, tied: np.ndarray, ids: pd.Series) -> np.ndarray:
    """``order`` with each run of tied rows (``tied[i]``: ranks i and i+1 tie) sorted by id as text.

    Only the tied rows' ids are sorted: ids are costly to sort, ties are few.
    """
    run = np.cumsum(np.concatenate([[True], ~tied]))
    in_tie = np.flatnonzero(np.concatenate([tied, [False]]) | np.concatenate([[False], tied]))
    rows = order[in_tie]
    text = sorted_codes(ids.iloc[rows].astype(str))
    order = order.copy()
    order[in_tie] = rows[np.lexsort((text, run[in_tie]))]
    return order
