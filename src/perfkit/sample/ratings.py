"""360° ratings, the competencies table and the training catalog, with the planted rater effects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from perfkit.sample.catalog import COMPETENCIES, FORMATS
from perfkit.sample.flaws import LENIENCY, OVER_RATING, SELF_INFLATION, Plan
from perfkit.sample.world import PERFORMANCE_SD, PERIODS, World

RATED_PERIODS = PERIODS[-2:]
LOADING = 0.85  # rating points per standard deviation of latent performance
PROFILE_SD = 0.35  # a person's strengths and weaknesses across competencies
RATER_SD = 0.08  # an ordinary rater's own leniency: small next to the planted +/-1.2
PAIR_SD = 0.25  # a rater's view of one ratee
ITEM_SD = 0.4  # one score's noise
SELF_PAIR_SD = 0.1  # self-ratings: one rater, so less spread, or many people would look inflated
RELATION_OFFSET = {"self": 0.05, "manager": 0.0, "peer": 0.0, "report": 0.1}
CENTRAL_OFF_MIDDLE = 0.55  # the central rater's share of reviews with one score off the middle


COMMENTS = {
    "zh": (
        "明显低于岗位要求,需要制定改进计划",
        "部分达到要求,仍需加强",
        "达到岗位要求,表现稳定",
        "表现良好,经常超出预期",
        "表现卓越,是团队的榜样",
    ),
    "en": (
        "Well below what the job needs; an improvement plan is required",
        "Partly meets expectations; needs work",
        "Meets expectations consistently",
        "Often exceeds expectations",
        "Outstanding; a role model for the team",
    ),
}


def competency_names(lang: str) -> list[str]:
    """The competencies in the sample's language."""
    return [c[0] if lang == "zh" else c[1] for c in COMPETENCIES]


def draw_profiles(world: World, plan: Plan, rng: np.random.Generator) -> np.ndarray:
    """Each person's true competency level offsets (people x competencies), over-rating included."""
    profile = rng.normal(0, PROFILE_SD, (world.size, len(COMPETENCIES)))
    profile[plan.over_rated] += OVER_RATING
    return profile


def rating_pairs(
    world: World, plan: Plan, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (rater, ratee, relation): self, the manager, 2–4 peers and up to 3 reports.

    Peers come from the whole department, not only the team, so every team's people are also
    rated by raters who rate elsewhere: that is what tells a lenient manager from a severe team.
    The people of the planted lenient and severe managers get four peers each.
    """
    n = world.size
    everyone = np.arange(n)
    has_mgr = world.manager >= 0
    raters, ratees, relations = (
        [everyone, world.manager[has_mgr]],
        [everyone, everyone[has_mgr]],
        ["self", "manager"],
    )
    order, start, size, pos = _groups(world.department, rng)
    n_peers = rng.integers(2, 5, n)
    n_peers[np.isin(world.manager, [plan.lenient, plan.severe])] = 4
    n_peers = np.minimum(n_peers[order], size - 1)
    for step in range(1, 5):
        rater, ratee = order[(start + (pos + step) % size)], order
        ok = (step <= n_peers) & (world.manager[ratee] != rater) & (world.manager[rater] != ratee)
        raters.append(rater[ok])
        ratees.append(ratee[ok])
        relations.append("peer")
    order, start, size, pos = _groups(world.manager, rng)
    team = world.manager[order]
    up = (pos < 3) & (team >= 0)
    raters.append(order[up])
    ratees.append(team[up])
    relations.append("report")
    relation = np.concatenate(
        [np.full(len(r), rel, dtype=object) for r, rel in zip(raters, relations, strict=True)]
    )
    return np.concatenate(raters), np.concatenate(ratees), relation


def _groups(key: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """People shuffled within groups of ``key``: (order, group start, group size, position in group)."""
    n = len(key)
    order = np.lexsort((rng.random(n), key))
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, n])
    start = np.repeat(starts, sizes)
    return order, start, np.repeat(sizes, sizes), np.arange(n) - start


def build_ratings(
    world: World, plan: Plan, profile: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Return the ratings table: every rater-ratee pair x the last two periods x each competency."""
    rater, ratee, relation = rating_pairs(world, plan, rng)
    n_pairs, n_c, n_t = len(rater), len(COMPETENCIES), len(RATED_PERIODS)
    z = world.performance[:, -n_t:] / PERFORMANCE_SD
    offset = (
        np.vectorize(RELATION_OFFSET.get, otypes=[float])(relation)
        + rng.normal(0, RATER_SD, world.size)[rater]
    )
    offset += np.where((rater == plan.lenient) & (relation == "manager"), LENIENCY, 0.0)
    offset -= np.where((rater == plan.severe) & (relation == "manager"), LENIENCY, 0.0)
    offset += np.where(
        (relation == "self") & (world.department[ratee] == plan.self_department),
        SELF_INFLATION,
        0.0,
    )
    pair = (
        rng.normal(0, 1, (n_pairs, 1, 1))
        * np.where(relation == "self", SELF_PAIR_SD, PAIR_SD)[:, None, None]
    )
    latent = (
        3
        + LOADING * z[ratee][:, None, :]
        + profile[ratee][:, :, None]
        + (offset[:, None, None] + pair)
    )  # pairs x competencies x periods
    halo = rater == plan.halo
    latent[halo] = latent[halo].mean(axis=1, keepdims=True)  # one impression for every competency
    noise = rng.normal(0, ITEM_SD, latent.shape)
    noise[halo] = 0.0
    score = np.clip(np.round(latent + noise), 1, 5)
    central = rater == plan.central
    score[central] = _central_scores(latent[central], rng)
    ids = world.employee_ids
    relations = np.array(list(RELATION_OFFSET), dtype=object)
    relation_code = np.searchsorted(relations, relation, sorter=np.argsort(relations))
    relation_code = np.argsort(relations)[relation_code]
    return pd.DataFrame(
        {  # categoricals: see build_results
            "employee_id": pd.Categorical.from_codes(np.repeat(ratee, n_c * n_t), categories=ids),
            "rater_id": pd.Categorical.from_codes(np.repeat(rater, n_c * n_t), categories=ids),
            "relation": pd.Categorical.from_codes(
                np.repeat(relation_code, n_c * n_t), categories=relations
            ),
            "period": pd.Categorical.from_codes(
                np.tile(np.arange(n_t), n_pairs * n_c), categories=list(RATED_PERIODS), ordered=True
            ),
            "competency": pd.Categorical.from_codes(
                np.tile(np.repeat(np.arange(n_c), n_t), n_pairs),
                categories=competency_names(world.lang),
            ),
            "score": score.reshape(-1).astype(int),
            "comment": _comments(world.lang, relation, score, n_c, n_t),
        }
    )


def _central_scores(latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The central rater's scores: the middle, 3, except one competency in some reviews.

    In a share CENTRAL_OFF_MIDDLE of reviews (ratee x period) one competency gets 2 or 4, in the
    direction of the rater's impression: the scores barely spread, yet the rater does not give
    one score on every competency (that would be halo).
    """
    pairs, n_c, n_t = latent.shape
    score = np.full(latent.shape, 3.0)
    review = np.zeros(pairs * n_t, dtype=bool)
    review[rng.permutation(pairs * n_t)[: int(round(CENTRAL_OFF_MIDDLE * pairs * n_t))]] = True
    review = review.reshape(pairs, n_t)
    item = rng.integers(0, n_c, (pairs, n_t))
    p, t = np.nonzero(review)
    score[p, item[p, t], t] = np.where(latent[p, item[p, t], t] >= 3, 4, 2)
    return score


def _comments(
    lang: str, relation: np.ndarray, score: np.ndarray, n_c: int, n_t: int
) -> pd.Categorical:
    """A manager's comment on the first competency of each review, in the score's tone; empty elsewhere."""
    texts = COMMENTS[lang]
    code = np.full(score.shape, -1, dtype=int)
    manager = relation == "manager"
    code[manager, 0, :] = score[manager, 0, :].astype(int) - 1
    return pd.Categorical.from_codes(code.reshape(-1), categories=list(texts))


def build_competencies(world: World, profile: np.ndarray) -> pd.DataFrame:
    """Return the competencies table: each person's assessed level vs the level their job requires."""
    n, n_c = profile.shape
    level = np.clip(
        np.round(3 + LOADING * world.current[:, None] / PERFORMANCE_SD + profile), 1, 5
    ).astype(int)
    required = np.where(world.level[:, None] >= 3, 4, 3) + np.zeros((1, n_c), dtype=int)
    required[:, 3] += world.level == 2  # seniors need more professional expertise
    return pd.DataFrame(
        {
            "employee_id": pd.Categorical.from_codes(
                np.repeat(np.arange(n), n_c), categories=world.employee_ids
            ),
            "competency": pd.Categorical.from_codes(
                np.tile(np.arange(n_c), n), categories=competency_names(world.lang)
            ),
            "level": level.reshape(-1),
            "required": np.minimum(required, 5).reshape(-1),
            "period": PERIODS[-1],
        }
    )


def build_training_catalog(lang: str, rng: np.random.Generator) -> pd.DataFrame:
    """Return the training catalog: every competency in four to six formats, with hours and cost."""
    rows = []
    for competency in competency_names(lang):
        chosen = np.sort(rng.choice(len(FORMATS), rng.integers(4, 7), replace=False))
        for f in chosen:
            key, zh, en, hours, cost = FORMATS[f]
            rows.append(
                {
                    "course_id": f"C{len(rows) + 1:03d}",
                    "name": (zh if lang == "zh" else en).format(c=competency),
                    "competency": competency,
                    "format": key,
                    "hours": int(round(hours * rng.uniform(0.75, 1.25))),
                    "cost": int(round(cost * rng.uniform(0.8, 1.2), -2)),
                }
            )
    return pd.DataFrame(rows)
