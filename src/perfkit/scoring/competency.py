"""Competency scores from 360° ratings: a mean per relation, then the rater weights by relation."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from perfkit.scoring.keys import decode_keys, factorize_text, group_codes

RATING_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "rater_id",
    "relation",
    "period",
    "competency",
    "score",
)


def _scale_bounds(scale) -> tuple[float, float]:
    if isinstance(scale, Mapping):
        low, high = float(scale["min"]), float(scale["max"])
    elif isinstance(scale, (tuple, list)):
        low, high = float(scale[0]), float(scale[1])
    else:
        low, high = float(scale.min), float(scale.max)
    if not high > low:
        raise ValueError(f"The rating scale needs max > min; got min={low}, max={high}.")
    return low, high


def to_hundred(values, scale) -> np.ndarray:
    """Map ratings from ``scale`` (min..max) to 0..100: ``100 (x - min) / (max - min)``.

    Examples
    --------
    >>> to_hundred([1, 3.5, 5], {"min": 1, "max": 5})
    array([  0. ,  62.5, 100. ])
    """
    low, high = _scale_bounds(scale)
    return (np.asarray(values, dtype="float64") - low) / (high - low) * 100.0


def _relation_weights(rater_weights: Mapping[str, float], include_self: bool) -> dict[str, float]:
    weights = {str(k): float(v) for k, v in rater_weights.items() if v is not None and float(v) > 0}
    if not include_self:
        weights.pop("self", None)
    return weights


def _relation_order(relation: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Code of the relation of each row in ``rows`` (a mask), numbered as they first appear there."""
    if isinstance(relation.dtype, pd.CategoricalDtype):
        codes, names = relation.cat.codes.to_numpy(), relation.cat.categories
    else:
        codes, names = factorize_text(relation)
    codes = codes[rows]
    order = pd.unique(codes)
    rank = np.zeros(len(names), dtype="int64")
    rank[order] = np.arange(len(order))
    return rank[codes], names[order]


def _relation_scores(
    ratings: pd.DataFrame, keys: list[str], weights: dict[str, float], values: list[str]
) -> pd.DataFrame:
    """Per group of ``keys``: the relation-weighted mean of each value column, and the self mean.

    Each value column is averaged per relation in ``weights``, then those means are weighted
    (re-normalised over the relations present). Rows count where the first value column is a
    number; ``n_ratings`` counts them, and ``self`` is the mean self rating of the first value
    column. One row per group with either, sorted by keys (categorical keys decoded to text).
    """
    numbers = [pd.to_numeric(ratings[v], errors="coerce").to_numpy(dtype="float64") for v in values]
    rated = np.isfinite(numbers[0])
    others = ratings["relation"].isin(list(weights)).to_numpy() & rated
    own = (ratings["relation"] == "self").to_numpy() & rated
    kept = others | own
    frame = ratings.loc[kept, keys]
    groups, first, valid = group_codes(frame, keys, sort=True)
    n_groups = len(first)
    out = decode_keys(frame.iloc[first].reset_index(drop=True), keys)
    # Relations are numbered as they first appear among the rows used (whatever their keys),
    # and each group sums its relations' means in that order: the same sums, to the last
    # digit, however the groups are numbered.
    rel, rel_names = _relation_order(ratings["relation"], others)
    in_group = valid[others[kept]]
    n_rel = len(rel_names)
    pair = groups[others[kept]][in_group] * n_rel + rel[in_group]
    count = np.bincount(pair, minlength=n_groups * n_rel)
    present = np.flatnonzero(count)
    count = count[present].astype("float64")
    pair_group = present // n_rel
    pair_w = np.asarray([weights[str(r)] for r in rel_names], dtype="float64")[present % n_rel]
    w = np.bincount(pair_group, weights=pair_w, minlength=n_groups)
    mine = own[kept] & valid
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, number in zip(values, numbers, strict=True):
            rated_by_others = np.nan_to_num(number[others][in_group])
            total = np.bincount(pair, weights=rated_by_others, minlength=n_groups * n_rel)
            mean = pair_w * total[present] / count
            out[name] = np.bincount(pair_group, weights=mean, minlength=n_groups) / w
        out["self"] = np.bincount(
            groups[mine], weights=numbers[0][kept][mine], minlength=n_groups
        ) / np.bincount(groups[mine], minlength=n_groups)
    out["n_ratings"] = np.bincount(pair_group, weights=count, minlength=n_groups).astype("int64")
    return out


def _check_ratings(ratings: pd.DataFrame, needed: tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in ratings]
    if missing:
        raise ValueError(
            f"The ratings table needs column(s) {missing}; it has {list(ratings.columns)}."
        )


def score_competencies(
    ratings: pd.DataFrame,
    *,
    rater_weights: Mapping[str, float],
    scale,
    include_self: bool = False,
    value: str = "score",
    calibrated: str | None = None,
) -> pd.DataFrame:
    """Return the competency score per employee and period, on 0..100.

    Per employee and period: the mean rating of each relation (over its raters and
    competencies), then the mean of those weighted by ``rater_weights``, re-normalised over the
    relations present; then mapped from ``scale`` to 0..100. Self ratings stay out of the score
    unless ``include_self``; they are returned as ``self_score`` for comparison.

    Parameters
    ----------
    ratings : DataFrame
        employee_id, rater_id, relation, period, competency, score.
    rater_weights : mapping of relation to weight, keyword-only
        ``settings.rater_weights``. A relation absent from it (or weighing 0) is left out.
    scale : Scale, mapping with min and max, or (min, max)
        ``settings.scale``.
    include_self : bool
        ``settings.include_self_in_score``.
    value : str
        The column to score.
    calibrated : str, optional
        A second column scored the same way (calibration's ``adjusted_score``), returned as
        ``calibrated_competency_score``.

    Returns
    -------
    DataFrame
        employee_id, period, competency_score, self_score (NaN without self ratings),
        n_ratings (the ratings in the score), and calibrated_competency_score when asked.
    """
    _check_ratings(ratings, ("employee_id", "relation", "period", value))
    keys = ["employee_id", "period"]
    weights = _relation_weights(rater_weights, include_self)
    extra = [calibrated] if calibrated else []
    scored = _relation_scores(ratings, keys, weights, [value, *extra])
    out = scored[keys]
    out["competency_score"] = to_hundred(scored[value], scale)
    out["self_score"] = to_hundred(scored["self"], scale)
    out["n_ratings"] = scored["n_ratings"]
    if calibrated:
        out["calibrated_competency_score"] = to_hundred(scored[calibrated], scale)
    return out


def profile_competencies(
    ratings: pd.DataFrame,
    *,
    rater_weights: Mapping[str, float],
    include_self: bool = False,
) -> pd.DataFrame:
    """Return each employee's rating per competency and period, on the rating scale.

    ``score`` is the relation-weighted mean of the others' ratings (self included only with
    ``include_self``), ``self_score`` the employee's own rating.

    Returns
    -------
    DataFrame
        employee_id, period, competency, score, self_score, n_ratings.
    """
    _check_ratings(ratings, RATING_COLUMNS)
    keys = ["employee_id", "period", "competency"]
    weights = _relation_weights(rater_weights, include_self)
    out = _relation_scores(ratings, keys, weights, ["score"])
    return out.rename(columns={"self": "self_score"})[[*keys, "score", "self_score", "n_ratings"]]
