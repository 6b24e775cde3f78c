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


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")


class _RatedRows:
    """The ratings that enter competency scores, prepared once to be grouped by several keys.

    A row counts when ``value`` is a number: the others' ratings by a relation in ``weights``,
    and the self ratings (for ``self``).
    """

    def __init__(self, ratings: pd.DataFrame, weights: dict[str, float], value: str) -> None:
        score = _numbers(ratings[value])
        rated = np.isfinite(score)
        others = ratings["relation"].isin(list(weights)).to_numpy() & rated
        own = (ratings["relation"] == "self").to_numpy() & rated
        self.ratings, self.weights, self.value, self.score = ratings, weights, value, score
        self.kept = np.flatnonzero(others | own)
        self.is_other, self.is_own = others[self.kept], own[self.kept]
        # Relations are numbered as they first appear among the others' ratings (whatever their
        # keys), and each group sums its relations' means in that order: the same sums, to the
        # last digit, however the groups are numbered.
        self.relation, self.relation_names = _relation_order(ratings["relation"], others)
        self.own_score = score[own]  # in the order of is_own (kept is ascending)

    def scores(self, keys: list[str], values: list[str]) -> pd.DataFrame:
        """Per group of ``keys``: the relation-weighted mean of each value column, and the self mean.

        Each value column (the first is ``value``) is averaged per relation, then those means
        are weighted (re-normalised over the relations present); ``n_ratings`` counts the
        ratings, and ``self`` is the mean self rating of ``value``. One row per group with
        either, sorted by keys (categorical keys decoded to text).
        """
        frame = self.ratings[keys].take(self.kept)
        groups, first, valid = group_codes(frame, keys, sort=True)
        n_groups = len(first)
        out = decode_keys(frame.iloc[first].reset_index(drop=True), keys)
        in_group = self.is_other & valid
        other_rows = self.kept[in_group]
        n_rel = len(self.relation_names)
        pair = groups[in_group] * n_rel + self.relation[valid[self.is_other]]
        count = np.bincount(pair, minlength=n_groups * n_rel)
        present = np.flatnonzero(count)
        count = count[present].astype("float64")
        pair_group = present // n_rel
        pair_w = np.asarray([self.weights[str(r)] for r in self.relation_names], dtype="float64")
        pair_w = pair_w[present % n_rel]
        w = np.bincount(pair_group, weights=pair_w, minlength=n_groups)
        own_groups = groups[self.is_own]
        mine = own_groups >= 0
        own_groups = own_groups[mine]
        with np.errstate(divide="ignore", invalid="ignore"):
            for name in values:
                number = self.score if name == self.value else _numbers(self.ratings[name])
                rated_by_others = np.nan_to_num(number[other_rows])
                total = np.bincount(pair, weights=rated_by_others, minlength=n_groups * n_rel)
                mean = pair_w * total[present] / count
                out[name] = np.bincount(pair_group, weights=mean, minlength=n_groups) / w
            own_total = np.bincount(own_groups, weights=self.own_score[mine], minlength=n_groups)
            out["self"] = own_total / np.bincount(own_groups, minlength=n_groups)
        out["n_ratings"] = np.bincount(pair_group, weights=count, minlength=n_groups).astype(
            "int64"
        )
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
    rated = _RatedRows(ratings, _relation_weights(rater_weights, include_self), value)
    return _competency_scores(rated, scale, calibrated)


def _competency_scores(rated: _RatedRows, scale, calibrated: str | None) -> pd.DataFrame:
    keys = ["employee_id", "period"]
    value = rated.value
    scored = rated.scores(keys, [value, calibrated] if calibrated else [value])
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
    rated = _RatedRows(ratings, _relation_weights(rater_weights, include_self), "score")
    return _competency_profile(rated)


def _competency_profile(rated: _RatedRows) -> pd.DataFrame:
    keys = ["employee_id", "period", "competency"]
    out = rated.scores(keys, ["score"]).rename(columns={"self": "self_score"})
    return out[[*keys, "score", "self_score", "n_ratings"]]


def score_and_profile_competencies(
    ratings: pd.DataFrame,
    *,
    rater_weights: Mapping[str, float],
    scale,
    include_self: bool = False,
    calibrated: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return :func:`score_competencies` and :func:`profile_competencies` of ``score``, together.

    The same two tables as the two calls, for less: the ratings used, their relations and
    self ratings are picked out once for both groupings.

    Parameters
    ----------
    ratings : DataFrame
        employee_id, rater_id, relation, period, competency, score (and ``calibrated``).
    rater_weights, scale, include_self, calibrated
        As for :func:`score_competencies` (``value`` is ``score``).

    Returns
    -------
    scores : DataFrame
        :func:`score_competencies`'s table.
    profile : DataFrame
        :func:`profile_competencies`'s table.
    """
    _check_ratings(ratings, ("employee_id", "relation", "period", "score"))
    _check_ratings(ratings, RATING_COLUMNS)
    rated = _RatedRows(ratings, _relation_weights(rater_weights, include_self), "score")
    return _competency_scores(rated, scale, calibrated), _competency_profile(rated)
