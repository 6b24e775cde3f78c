"""Rater effects in a 360°: leniency, severity, central tendency, halo and self-inflation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from perfkit.evaluation.statistics import adjust_holm
from perfkit.scoring.keys import factorize_text

RATING_COLUMNS = ["employee_id", "rater_id", "relation", "period", "competency", "score"]


@dataclass
class CodedRatings:
    """A ratings table as integer codes, for vectorised group arithmetic with ``np.bincount``.

    Build it once with :func:`code_ratings` and pass it to :func:`rater_effects` and
    :func:`self_ratings` instead of the table, to factorize a large table only once.

    Row arrays (``y``, ``cell``, ``rater``, ``ratee``, ``pair``, ``relation``) are the non-self
    rows; a *cell* is a (ratee, period, competency), a *pair* a (rater, ratee, period).
    """

    y: np.ndarray
    cell: np.ndarray
    rater: np.ndarray
    ratee: np.ndarray
    pair: np.ndarray
    relation: np.ndarray
    pair_rater: np.ndarray  # by pair code
    pair_rp: np.ndarray  # by pair code: its (ratee, period) code
    rp_ratee: np.ndarray  # by (ratee, period) code: its ratee code
    n_cells: int
    rater_ids: pd.Index
    ratee_ids: pd.Index
    relations: pd.Index
    self_y: np.ndarray
    self_cell: np.ndarray
    self_ratee: np.ndarray


def _dense_codes(keys: np.ndarray, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..k-1 for non-negative integer keys, and the keys in code order (sorted).

    A bitmap over the key range when it is small enough; else one sort of the first key of each
    run of equal keys (a rater's scores of one person come together), each packed with its
    position so that a plain sort of unique integers does it.
    """
    keys = np.asarray(keys).astype("int64", copy=False)
    size = int(keys.max()) + 1 if size is None and len(keys) else (size or 0)
    if size <= max(4 * len(keys), 1 << 20):
        present = np.zeros(size, dtype=bool)
        present[keys] = True
        uniques = np.flatnonzero(present)
        if len(uniques) == size and keys.min(initial=0) >= 0:
            return keys, uniques  # every key present: the keys are their own codes
        lookup = np.cumsum(present) - 1
        return lookup[keys], uniques
    if not len(keys):
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    heads = np.flatnonzero(_run_starts(keys))
    first = keys[heads]
    bits = max(len(first) - 1, 1).bit_length()
    if int(first.max()).bit_length() + bits > 63:
        codes, uniques = pd.factorize(first, sort=True)
        codes, uniques = codes.astype("int64"), np.asarray(uniques)
    else:
        packed = np.sort(first << bits | np.arange(len(first)))
        ordered = packed >> bits
        new = _run_starts(ordered)
        codes = np.empty(len(first), dtype="int64")
        codes[packed & ((1 << bits) - 1)] = np.cumsum(new) - 1
        uniques = ordered[new]
    return np.repeat(codes, np.diff(np.r_[heads, len(keys)])), uniques


def _run_starts(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins (at the first value too)."""
    return np.diff(values, prepend=values[:1] - 1) != 0


def code_ratings(ratings: pd.DataFrame | CodedRatings) -> CodedRatings:
    """Return the ratings table as integer codes (or ``ratings`` itself when already coded)."""
    if isinstance(ratings, CodedRatings):
        return ratings
    # factorize each text column once (shared with scoring), then work on integer codes
    y_all = pd.to_numeric(ratings["score"], errors="coerce").to_numpy(dtype="float64")
    ratee_all, ratee_ids = factorize_text(ratings["employee_id"])
    rater_all, rater_all_ids = factorize_text(ratings["rater_id"])
    relation_all, relations = factorize_text(ratings["relation"])
    period, periods = factorize_text(ratings["period"])
    competency, competencies = factorize_text(ratings["competency"])
    n_periods, n_competencies = max(len(periods), 1), max(len(competencies), 1)
    self_code = pd.Index(relations).get_indexer(["self"])[0]
    if ratee_all.min(initial=0) >= 0 and rater_all.min(initial=0) >= 0:
        # no id is missing: comparing the two id columns row by row is the cheaper test
        rates_self = (ratings["rater_id"] == ratings["employee_id"]).to_numpy(dtype=bool)
    else:
        rates_self = ratee_ids.get_indexer(rater_all_ids)[rater_all] == ratee_all
    is_self = (relation_all == self_code) | rates_self
    valid = ~np.isnan(y_all)
    others = valid & ~is_self
    mine = valid & is_self
    rp_all = ratee_all.astype("int64") * n_periods + period
    cell_all, _ = _dense_codes(
        rp_all * n_competencies + competency, len(ratee_ids) * n_periods * n_competencies
    )
    rp, rp_keys = _dense_codes(rp_all[others], len(ratee_ids) * n_periods)
    rater, rater_uniques = _dense_codes(rater_all[others], len(rater_all_ids))
    relation, relation_uniques = _dense_codes(relation_all[others], len(relations))
    pair, pair_keys = _dense_codes(rater * len(rp_keys) + rp)
    n_rp = max(len(rp_keys), 1)
    return CodedRatings(
        y=y_all[others],
        cell=cell_all[others],
        rater=rater,
        ratee=ratee_all[others].astype("int64"),
        pair=pair,
        relation=relation,
        pair_rater=pair_keys // n_rp,
        pair_rp=pair_keys % n_rp,
        rp_ratee=rp_keys // n_periods,
        n_cells=int(cell_all.max()) + 1 if len(cell_all) else 0,
        rater_ids=_subset(rater_all_ids, rater_uniques),
        ratee_ids=pd.Index(ratee_ids),
        relations=_subset(relations, relation_uniques),
        self_y=y_all[mine],
        self_cell=cell_all[mine],
        self_ratee=ratee_all[mine].astype("int64"),
    )


def _subset(ids: pd.Index, positions: np.ndarray) -> pd.Index:
    """``ids[positions]``, as ``pd.Index`` of those values would type it (text as ``str``)."""
    if isinstance(ids.dtype, pd.StringDtype):
        return ids[positions]  # already text: no round trip through Python strings
    return pd.Index(np.asarray(ids)[positions])


def _sums(codes: np.ndarray, values: np.ndarray | None, size: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=size).astype("float64", copy=False)


def rater_effects(
    ratings: pd.DataFrame | CodedRatings,
    *,
    min_ratees: int = 5,
    effect_size: float = 0.8,
    p_value: float = 0.05,
    min_points: float = 0.3,
    min_competencies: int = 3,
    rounds: int = 5,
) -> pd.DataFrame:
    """Return, per non-self rater, how their scores compare with other raters' of the same people.

    Only scores on a (ratee, period, competency) that at least one other non-self rater also
    scored are compared. A rater's deviation on a score is their score minus the mean of the
    other raters' scores of the same cell. A clearly lenient or severe rater would bias that
    baseline for everyone who rates the same people (a lenient manager makes the peers of
    their team look severe), so the comparison is repeated, up to ``rounds`` times, with the
    offsets of the raters found clearly lenient or severe (by ``min_ratees``, ``effect_size``,
    ``min_points`` and ``p_value``, as RATER_LENIENT uses them) removed from the baselines.

    Parameters
    ----------
    ratings : DataFrame or CodedRatings
        The contract's ratings table (or :func:`code_ratings` of it).
    min_ratees, effect_size, p_value, min_points : optional
        What makes a rater clearly lenient or severe (the RATER_LENIENT thresholds).
    min_competencies : int, default 3
        A (rater, ratee, period) needs this many competencies to measure halo.
    rounds : int, default 5
        Most re-estimations of the baselines.

    Returns
    -------
    DataFrame
        Indexed by ``rater_id``, with:

        - ``relation``: the rater's most frequent relation to the people they rate;
        - ``n_ratees``, ``n_ratings``: people and scores compared;
        - ``rater_mean``, ``others_mean``: the rater's mean score and what the other raters gave
          on the same ratee, competency and period;
        - ``mean_deviation``: the mean over people (each person once) of the rater's deviation
          from the others' (corrected) baseline;
        - ``effect_size``: ``mean_deviation`` over the pooled within-rater SD of per-person
          deviations; ``t``, ``p_value``: its two-sided t-test (with the larger of the rater's
          own and the pooled SD); ``p_holm``: Holm-adjusted across the raters with at least
          ``min_ratees`` people; ``offset``: the offset removed from baselines (0 for most);
          ``attrs["offsets"]`` holds every nonzero offset by (``rater_id``, ``relation``), for
          :func:`self_ratings`;
        - ``spread``, ``others_spread``, ``spread_ratio``: SD across the people rated of the
          rater's mean score per person, and of the other raters' (corrected) mean on the same
          cells; ``spread_p_value``: one-sided Pitman–Morgan test that the rater's spread is the
          smaller (paired: the same people);
        - ``within_sd``, ``others_within_sd``, ``within_ratio``, ``n_halo_ratees``: root-mean-square
          SD across competencies within a person and period, the rater's and the other raters'.
    """
    c = code_ratings(ratings)
    n_raters = len(c.rater_ids)
    columns = [
        "relation",
        "n_ratees",
        "n_ratings",
        "rater_mean",
        "others_mean",
        "mean_deviation",
        "effect_size",
        "t",
        "p_value",
        "p_holm",
        "offset",
        "n_people",
        "spread",
        "others_spread",
        "spread_ratio",
        "spread_p_value",
        "within_sd",
        "others_within_sd",
        "within_ratio",
        "n_halo_ratees",
    ]
    if n_raters == 0:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="rater_id"))
    table: dict[str, np.ndarray] = {}  # the columns, by rater

    n_cell = _sums(c.cell, None, c.n_cells)
    shared = n_cell[c.cell] >= 2
    if not shared.all():  # usually every score is shared: no copies then
        y, cell, rater, pair = c.y[shared], c.cell[shared], c.rater[shared], c.pair[shared]
        relation = c.relation[shared]
        n_cell = _sums(cell, None, c.n_cells)
    else:
        y, cell, rater, pair, relation = c.y, c.cell, c.rater, c.pair, c.relation
    n_other = n_cell[cell] - 1
    # leniency is judged per rater *and relation*: a manager may inflate their own team only
    n_rel = max(len(c.relations), 1)
    unit, unit_keys = _dense_codes(rater * n_rel + relation, n_raters * n_rel)
    n_units = len(unit_keys)
    unit_rater = unit_keys // n_rel
    pair_people = _pair_people(c)
    people = pair_people[pair]  # each row's (rater, ratee)
    by_unit = _person_codes(people * n_rel + relation, unit)
    offsets = np.zeros(n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        others = (_sums(cell, y, c.n_cells)[cell] - y) / n_other  # the other raters' mean score
        for _ in range(max(rounds, 1)):
            others_adj = others
            if offsets.any():
                adjusted = y - offsets[unit]
                others_adj = (_sums(cell, adjusted, c.n_cells)[cell] - adjusted) / n_other
            stats_ = _deviation_stats(y - others_adj, by_unit, n_units)
            tested = stats_["n"] >= min_ratees
            p_holm = np.full(n_units, np.nan)
            p_holm[tested] = adjust_holm(stats_["p_value"][tested])
            clear = (
                tested
                & (np.abs(stats_["effect_size"]) >= effect_size)
                & (p_holm <= p_value)
                & (np.abs(stats_["mean"]) >= min_points)
            )
            updated = np.where(clear, stats_["mean"], 0.0)
            if np.array_equal(updated != 0, offsets != 0):
                break
            offsets = updated
        n_rows = _sums(unit, None, n_units)
        units = {
            "relation": np.asarray(c.relations, dtype=object)[unit_keys % n_rel],
            "n_ratees": stats_["n"].astype("int64"),
            "n_ratings": n_rows.astype("int64"),
            "rater_mean": _sums(unit, y, n_units) / n_rows,
            "others_mean": _sums(unit, others, n_units) / n_rows,
            "mean_deviation": stats_["mean"],
            "effect_size": stats_["effect_size"],
            "t": stats_["t"],
            "p_value": stats_["p_value"],
            "p_holm": p_holm,
            "offset": offsets,
        }
        # each rater's most telling relation: the smallest adjusted p, then the most people
        rank_p = np.where(np.isnan(p_holm), 2.0, p_holm)
        order = np.lexsort((-units["n_ratees"], rank_p, unit_rater))  # stable
        first = order[_run_starts(unit_rater[order])]
        best = np.full(n_raters, -1)
        best[unit_rater[first]] = first
        for name, values in units.items():
            table[name] = _pick_units(values, best)
        _add_spread(table, y, others_adj, _person_codes(people, rater), n_raters)
    _add_halo(table, c, pair_people, n_raters, min_competencies)
    out = pd.DataFrame(
        {name: table[name] for name in columns}, index=pd.Index(c.rater_ids, name="rater_id")
    )
    out.attrs["pooled_sd"] = stats_["pooled_sd"]
    clear_units = offsets != 0
    out.attrs["offsets"] = pd.Series(
        offsets[clear_units],
        name="offset",
        index=pd.MultiIndex.from_arrays(
            [
                c.rater_ids[unit_rater[clear_units]],
                np.asarray(c.relations)[unit_keys[clear_units] % n_rel],
            ],
            names=["rater_id", "relation"],
        ),
    )
    return out


def _pick_units(values: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Each rater's value from their ``best`` unit; NaN for a rater with none (ints become floats)."""
    if (best >= 0).all():
        return values[best]
    widened = values.astype(np.result_type(values.dtype, np.float64))
    return np.append(widened, np.nan)[best]  # best -1 reads the NaN


def _pair_people(c: CodedRatings) -> np.ndarray:
    """Per pair, a code of its (rater, ratee): pairs are coded by rater, then ratee, then period."""
    ratee = c.rp_ratee[c.pair_rp]
    return np.cumsum(_run_starts(c.pair_rater) | _run_starts(ratee)) - 1


def _person_codes(key: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row, a code of the person a unit scored (``key``); per code, its unit and row count.

    ``key`` must order one unit's people by ratee (a (rater, ratee) code, times the number of
    relations plus the relation, does): sums over a unit's people then add them in that order.
    The codes are dense: every person has rows.
    """
    codes, keys = _dense_codes(key)
    person_unit = np.zeros(len(keys), dtype="int64")
    person_unit[codes] = unit  # a person belongs to one unit: every write to it is the same
    return codes, person_unit, _sums(codes, None, len(keys))


def _deviation_stats(
    deviation: np.ndarray, person: tuple[np.ndarray, np.ndarray, np.ndarray], n_raters: int
) -> dict:
    """Per unit (a rater, or a rater in one relation): the mean per-person deviation and its test."""
    codes, person_rater, counts = person
    person_dev = _sums(codes, deviation, len(counts)) / counts
    n = _sums(person_rater, None, n_raters)
    mean = _sums(person_rater, person_dev, n_raters) / n
    resid_sq = _sums(person_rater, (person_dev - mean[person_rater]) ** 2, n_raters)
    usable = n >= 2
    pooled_df = float((n[usable] - 1).sum())
    pooled_sd = np.sqrt(resid_sq[usable].sum() / pooled_df) if pooled_df > 0 else np.nan
    own_sd = np.sqrt(np.where(usable, resid_sq / np.maximum(n - 1, 1), np.nan))
    # the rater's own SD when it is larger (a noisy rater), else the pooled one
    use_own = own_sd > pooled_sd
    se = np.where(use_own, own_sd, pooled_sd) / np.sqrt(n)
    df = np.where(use_own, n - 1, pooled_df)
    t = mean / se
    # stdtr(df, -x) is scipy.stats.t.sf(x, df) without the distribution object's overhead
    p = np.where(usable & np.isfinite(t), 2 * special.stdtr(np.maximum(df, 1), -np.abs(t)), np.nan)
    return {
        "n": n,
        "mean": mean,
        "effect_size": mean / pooled_sd,
        "t": t,
        "p_value": p,
        "pooled_sd": float(pooled_sd),
    }


def _add_spread(
    table: dict[str, np.ndarray],
    y: np.ndarray,
    others_adj: np.ndarray,
    person: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_raters: int,
) -> None:
    codes, person_rater, counts = person
    own = _sums(codes, y, len(counts)) / counts
    theirs = _sums(codes, others_adj, len(counts)) / counts
    n = _sums(person_rater, None, n_raters)
    table["n_people"] = n.astype("int64")
    own_var = _variance(
        n, _sums(person_rater, own, n_raters), _sums(person_rater, own**2, n_raters)
    )
    their_var = _variance(
        n, _sums(person_rater, theirs, n_raters), _sums(person_rater, theirs**2, n_raters)
    )
    table["spread"] = np.sqrt(own_var)
    table["others_spread"] = np.sqrt(their_var)
    table["spread_ratio"] = table["spread"] / table["others_spread"]
    # Pitman–Morgan test of equal variances in paired data (the same people): the correlation
    # of (own + theirs) with (own − theirs); one-sided, own spread below the others'
    plus, minus = own + theirs, own - theirs
    var_plus = _variance(
        n, _sums(person_rater, plus, n_raters), _sums(person_rater, plus**2, n_raters)
    )
    var_minus = _variance(
        n, _sums(person_rater, minus, n_raters), _sums(person_rater, minus**2, n_raters)
    )
    cov = (
        _sums(person_rater, plus * minus, n_raters)
        - _sums(person_rater, plus, n_raters) * _sums(person_rater, minus, n_raters) / n
    ) / (n - 1)
    r = np.clip(cov / np.sqrt(var_plus * var_minus), -1 + 1e-12, 1 - 1e-12)
    t = r * np.sqrt((n - 2) / (1 - r**2))
    table["spread_p_value"] = np.where(n >= 3, special.stdtr(np.maximum(n - 2, 1), t), np.nan)


def _variance(n: np.ndarray, total: np.ndarray, squares: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (squares - total**2 / n) / (n - 1)
    return np.where(n >= 2, np.maximum(var, 0.0), np.nan)


def _add_halo(
    table: dict[str, np.ndarray],
    c: CodedRatings,
    pair_people: np.ndarray,
    n_raters: int,
    min_competencies: int,
) -> None:
    n_groups, n_rp = len(c.pair_rater), max(len(c.rp_ratee), 1)
    group, g_rater, g_rp = c.pair, c.pair_rater, c.pair_rp
    g_n = _sums(group, None, n_groups)
    g_var = _variance(g_n, _sums(group, c.y, n_groups), _sums(group, c.y**2, n_groups))
    valid = g_n >= min_competencies
    g_var = np.where(valid, g_var, 0.0)
    rp_var = _sums(g_rp, g_var, n_rp)
    rp_count = _sums(g_rp, valid.astype("float64"), n_rp)
    others_count = rp_count[g_rp] - 1
    with_others = valid & (others_count >= 1)
    others_var = np.where(with_others, (rp_var[g_rp] - g_var) / np.maximum(others_count, 1), 0.0)
    weight = with_others.astype("float64")
    n_groups_r = _sums(g_rater, weight, n_raters)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["within_sd"] = np.sqrt(_sums(g_rater, g_var * weight, n_raters) / n_groups_r)
        table["others_within_sd"] = np.sqrt(
            _sums(g_rater, others_var * weight, n_raters) / n_groups_r
        )
        table["within_ratio"] = table["within_sd"] / table["others_within_sd"]
    # the people a rater scored alongside others: pairs run by (rater, ratee), count the changes
    people = pair_people[with_others]
    first = _run_starts(people)
    table["n_halo_ratees"] = np.bincount(g_rater[with_others][first], minlength=n_raters).astype(
        "int64"
    )


def self_ratings(
    ratings: pd.DataFrame | CodedRatings, offsets: pd.Series | None = None
) -> pd.DataFrame:
    """Return, per employee who rated themselves, how far their self-ratings sit above others'.

    A clearly severe manager makes everyone they rate look self-inflated when compared with
    the raw mean of others' scores (and a lenient one hides it), so the others' scores are
    first corrected by ``offsets``: each rater's clear leniency or severity in the relation
    they rate the person in, as :func:`rater_effects` estimates it (``attrs["offsets"]``).

    Parameters
    ----------
    ratings : DataFrame or CodedRatings
        The contract's ratings table; self-ratings are ``relation == 'self'`` or rows whose
        ``rater_id`` is the ``employee_id``.
    offsets : Series, optional
        Points to subtract from a rater's scores, indexed by (``rater_id``, ``relation``);
        raters and relations not listed are not corrected. None: no correction.

    Returns
    -------
    DataFrame
        Indexed by ``employee_id``: ``n_competencies`` (competency × period cells that others
        also rated), ``self_mean``, ``others_mean`` (corrected), ``gap`` (mean of self minus the
        others' mean, cell by cell), ``gap_sd``, ``t`` and ``p_value`` (one-sided: the gap is
        above 0).
    """
    c = code_ratings(ratings)
    columns = ["n_competencies", "self_mean", "others_mean", "gap", "gap_sd", "t", "p_value"]
    n_cell = _sums(c.cell, None, c.n_cells)
    sum_cell = _sums(c.cell, c.y - _row_offsets(c, offsets), c.n_cells)
    has_others = n_cell[c.self_cell] >= 1
    if not has_others.any():
        return pd.DataFrame(columns=columns, index=pd.Index([], name="employee_id"))
    cell = c.self_cell[has_others]
    y = c.self_y[has_others]
    person, person_ids = _dense_codes(c.self_ratee[has_others], len(c.ratee_ids))
    n_people = len(person_ids)
    others = sum_cell[cell] / n_cell[cell]
    gap = y - others
    n = _sums(person, None, n_people)
    out = pd.DataFrame(index=pd.Index(c.ratee_ids[person_ids], name="employee_id"))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_gap = _sums(person, gap, n_people) / n
        sd = np.sqrt(_variance(n, _sums(person, gap, n_people), _sums(person, gap**2, n_people)))
        t = np.where(sd > 0, mean_gap / (sd / np.sqrt(n)), np.sign(mean_gap) * np.inf)
        p = np.where(n >= 2, special.stdtr(np.maximum(n - 1, 1), -t), np.nan)  # t.sf
    out["n_competencies"] = n.astype("int64")
    out["self_mean"] = _sums(person, y, n_people) / n
    out["others_mean"] = _sums(person, others, n_people) / n
    out["gap"] = mean_gap
    out["gap_sd"] = sd
    out["t"] = t
    out["p_value"] = p
    return out[columns]


def _row_offsets(c: CodedRatings, offsets: pd.Series | None) -> np.ndarray:
    """Per non-self row, the offset of its rater in its relation (0 when not listed)."""
    if offsets is None or len(offsets) == 0 or len(c.y) == 0:
        return np.zeros(len(c.y))
    n_rel = max(len(c.relations), 1)
    table = np.zeros(len(c.rater_ids) * n_rel)
    raters = c.rater_ids.get_indexer(offsets.index.get_level_values(0))
    relations = c.relations.get_indexer(offsets.index.get_level_values(1))
    known = (raters >= 0) & (relations >= 0)
    table[raters[known] * n_rel + relations[known]] = offsets.to_numpy(dtype="float64")[known]
    return table[c.rater.astype("int64") * n_rel + c.relation]
