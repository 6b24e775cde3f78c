"""Bonus pool allocation: exact totals, no negative payouts, largest-remainder rounding."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfkit.rewards import allocate_bonus_pool, round_to_total, spread_curve

amounts = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(targets=amounts, pool=st.floats(0, 1e9, allow_nan=False), seed=st.integers(0, 10_000))
def test_payouts_add_up_exactly_to_the_pool_and_never_more(targets, pool, seed):
    rng = np.random.default_rng(seed)
    multipliers = rng.choice([0.0, 0.6, 1.0, 1.2, 1.5], len(targets))
    paid = allocate_bonus_pool(pd.Series(targets), pd.Series(multipliers), pool)
    assert paid.sum() == np.floor(pool)
    assert paid.sum() <= pool
    assert (paid >= 0).all()
    assert (paid == np.round(paid)).all()


@settings(max_examples=100, deadline=None)
@given(targets=amounts, pool=st.floats(1, 1e8, allow_nan=False))
def test_each_payout_is_within_one_unit_of_its_exact_share(targets, pool):
    t = np.asarray(targets)
    m = np.linspace(1.5, 0.5, len(t))
    paid = allocate_bonus_pool(t, m, pool).to_numpy()
    w = t * m
    if w.sum() > 0:
        exact = w / w.sum() * np.floor(pool)
        assert np.all(np.abs(paid - exact) < 1 + 1e-6)


@settings(max_examples=100, deadline=None)
@given(target=st.floats(1, 1e5), n=st.integers(2, 50), pool=st.floats(100, 1e7))
def test_a_better_multiplier_never_gets_less_on_the_same_target(target, n, pool):
    multipliers = np.sort(np.random.default_rng(n).uniform(0, 2, n))
    paid = allocate_bonus_pool(np.full(n, target), multipliers, pool).to_numpy()
    assert np.all(np.diff(paid) >= -1)  # rounding may swap a unit, never more


def test_largest_remainder_gives_the_missing_units_to_the_biggest_fractions():
    assert round_to_total(np.array([33.4, 33.3, 33.3]), 100).tolist() == [34, 33, 33]
    assert round_to_total(np.array([0.5, 0.5, 0.0]), 1).tolist() == [1, 0, 0]


def test_all_zero_multipliers_fall_back_to_targets():
    paid = allocate_bonus_pool([100.0, 300.0], [0.0, 0.0], 400)
    assert paid.tolist() == [100.0, 300.0]


def test_payouts_in_coarser_units_never_pass_the_pool():
    paid = allocate_bonus_pool([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], 1050.0, unit=100)
    assert paid.sum() == 1000 and (paid % 100 == 0).all()


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="targets must be finite and >= 0"):
        allocate_bonus_pool([-1.0], [1.0], 10)
    with pytest.raises(ValueError, match="pool must be finite"):
        allocate_bonus_pool([1.0], [1.0], -5)


def test_spread_curve_keeps_the_default_five_grades_and_adapts_to_three():
    assert spread_curve(list("SABCD"), (1.5, 1.2, 1.0, 0.6, 0.0)) == {
        "S": 1.5,
        "A": 1.2,
        "B": 1.0,
        "C": 0.6,
        "D": 0.0,
    }
    assert spread_curve(["A", "B", "C"], (1.5, 1.2, 1.0, 0.6, 0.0)) == {
        "A": 1.5,
        "B": 1.0,
        "C": 0.0,
    }
