"""Rewards (绩效奖励): merit matrix, bonus pool, promotion candidates and scheme comparison."""

from perfkit.rewards.bonus import (
    allocate_bonus_pool,
    grade_multipliers,
    round_to_total,
    spread_curve,
)
from perfkit.rewards.merit import (
    MeritFit,
    assign_bands,
    band_labels,
    fit_merit_matrix,
    merit_grade_factors,
)
from perfkit.rewards.plan import (
    REWARD_COLUMNS,
    RewardPlan,
    describe_rewards,
    plan_rewards,
    reward_inputs,
)
from perfkit.rewards.promotion import find_promotion_candidates
from perfkit.rewards.schemes import SCHEMES, SchemeComparison, compare_schemes

__all__ = [
    "REWARD_COLUMNS",
    "SCHEMES",
    "MeritFit",
    "RewardPlan",
    "SchemeComparison",
    "allocate_bonus_pool",
    "assign_bands",
    "band_labels",
    "compare_schemes",
    "describe_rewards",
    "find_promotion_candidates",
    "fit_merit_matrix",
    "grade_multipliers",
    "merit_grade_factors",
    "plan_rewards",
    "reward_inputs",
    "round_to_total",
    "spread_curve",
]
