"""Competency scores from 360° ratings: a mean per relation, then the rater weights by relation."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from perfkit.scoring.keys import decode_keys, group_codes

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


def _weighted_by_relation(
    ratings: pd.DataFrame,
    keys: list[str],
    weights: dict[str, float],
    values: list[str],
    decode: bool = True,
) -> pd.DataFrame:
    """Mean of each value column per keys × relation, then the relation-weighted mean per keys.

    Rows count where the first value column is a number; the result has one column per value.
    With ``decode=False``, categorical keys stay categorical (cheaper to merge; decode after).
    """
    numbers = [pd.to_numeric(ratings[v], errors="coerce").to_numpy(dtype="float64") for v in values]
    used_mask = ratings["relation"].isin(list(weights)).to_numpy() & np.isfinite(numbers[0])
    used = ratings.loc[used_mask, keys]
    groups, first, valid = group_codes(used, keys)
    if not len(first):
        return pd.DataFrame(
            {
                **{k: pd.Series(dtype="str") for k in keys},
                **{v: pd.Series(dtype="float64") for v in values},
                "n_ratings": pd.Series(dtype="int64"),
            }
        )
    rel_codes, rel_names = pd.factorize(ratings.loc[used_mask, "relation"])
    rel = rel_codes.astype("int64")[valid]
    w_rel = np.asarray([weights[str(r)] for r in rel_names], dtype="float64")
    g = groups[valid]
    pair = g * len(rel_names) + rel
    pair_codes, pair_first, _ = group_codes(pd.DataFrame({"pair": pair}), ["pair"])
    count = np.bincount(pair_codes).astype("float64")
    pair_group = g[pair_first]
    pair_w = w_rel[rel[pair_first]]
    n_groups = len(first)
    w = np.bincount(pair_group, weights=pair_w, minlength=n_groups)
    out = used.iloc[first].reset_index(drop=True)
    out = decode_keys(out, keys) if decode else out
    for name, number in zip(values, numbers, strict=True):
        total = np.bincount(pair_codes, weights=np.nan_to_num(number[used_mask][valid]))
        out[name] = np.bincount(pair_group, weights=pair_w * total / count, minlength=n_groups) / w
    out["n_ratings"] = np.bincount(pair_group, weights=count, minlength=n_groups).astype("int64")
    return out


def _self_means(
    ratings: pd.DataFrame, keys: list[str], value: str, decode: bool = True
) -> pd.DataFrame:
    score = pd.to_numeric(ratings[value], errors="coerce").to_numpy(dtype="float64")
    mask = (ratings["relation"] == "self").to_numpy() & np.isfinite(score)
    own = ratings.loc[mask, keys]
    groups, first, valid = group_codes(own, keys)
    out = own.iloc[first].reset_index(drop=True)
    out = decode_keys(out, keys) if decode else out
    if len(first):
        out["self"] = np.bincount(groups[valid], weights=score[mask][valid]) / np.bincount(
            groups[valid]
        )
    else:
        out["self"] = pd.Series(dtype="float64")
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
    scored = _weighted_by_relation(ratings, keys, weights, [value, *extra])
    scored["competency_score"] = to_hundred(scored[value], scale)
    columns = [*keys, "competency_score", "self_score", "n_ratings"]
    if calibrated:
        scored["calibrated_competency_score"] = to_hundred(scored[calibrated], scale)
        columns.append("calibrated_competency_score")
    selfs = _self_means(ratings, keys, value)
    selfs["self_score"] = to_hundred(selfs["self"], scale)
    out = scored[[c for c in columns if c != "self_score"]].merge(
        selfs[[*keys, "self_score"]], on=keys, how="outer"
    )
    out["n_ratings"] = out["n_ratings"].fillna(0).astype("int64")
    for col in columns[2:]:
        if col != "n_ratings":
            out[col] = out[col].astype("float64")
    out = out[columns]
    return out.sort_values(keys, ignore_index=True)


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
    # merged on the (categorical) codes, decoded once after: the order comes from the sort below
    scored = _weighted_by_relation(ratings, keys, weights, ["score"], decode=False)
    selfs = _self_means(ratings, keys, "score", decode=False).rename(columns={"self": "self_score"})
    out = decode_keys(scored.merge(selfs, on=keys, how="outer"), keys)
    out["n_ratings"] = out["n_ratings"].fillna(0).astype("int64")
    out["score"] = out["score"].astype("float64")
    return out[[*keys, "score", "self_score", "n_ratings"]].sort_values(keys, ignore_index=True)
