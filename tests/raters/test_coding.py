"""The integer coding of a 360° and the exact shortcuts the rater diagnostics take for speed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from perfkit.raters import code_ratings, rater_effects, self_ratings
from perfkit.raters.effects import _dense_codes
from perfkit.raters.inflation import iterate_rows, self_inflation_by_department
from tests.raters.synthetic_360 import Plant, make_360


@pytest.mark.parametrize("high", [7, 5_000, 10**12, 2**62])
@pytest.mark.parametrize("runs", [False, True])
def test_dense_codes_are_the_sorted_factorization(high, runs):
    rng = np.random.default_rng(high % 1000)
    keys = rng.integers(0, high, 4000)
    if runs:  # a rater's scores of one person come together
        keys = np.repeat(keys[:1000], 4)
    codes, uniques = _dense_codes(keys)
    expected, expected_uniques = pd.factorize(keys, sort=True)
    assert np.array_equal(codes, expected) and np.array_equal(uniques, expected_uniques)


def test_dense_codes_of_every_key_in_range_are_the_keys():
    keys = np.array([2, 0, 1, 1, 2])
    codes, uniques = _dense_codes(keys, 3)
    assert codes.tolist() == [2, 0, 1, 1, 2] and uniques.tolist() == [0, 1, 2]


def test_special_functions_are_the_distributions_tails():
    """scipy.special in the rater tests gives exactly what scipy.stats would, edges included."""
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(scale=4, size=5000), 0.0, -0.0, 40.0, -40.0, np.inf, -np.inf, np.nan]
    df = np.r_[rng.integers(1, 400, len(x) - 3), 1.0, 2.0, 1e6].astype(float)
    for got, expected in [
        (special.stdtr(df, -x), stats.t.sf(x, df)),
        (special.stdtr(df, x), stats.t.cdf(x, df)),
    ]:
        assert np.array_equal(got, expected, equal_nan=True)


def test_self_rows_are_found_by_relation_or_by_id():
    employees, ratings = make_360(n_teams=2, team_size=4, seed=0)
    flagged = ratings.assign(relation=ratings["relation"].replace("self", "peer"))
    # the same rows are self-ratings whether relation says so or rater_id == employee_id
    assert np.array_equal(code_ratings(flagged).self_y, code_ratings(ratings).self_y)
    missing = flagged.astype({"rater_id": object})
    missing.loc[0, "rater_id"] = None  # a missing id takes the other way of matching ids
    assert len(code_ratings(missing).self_y) == len(code_ratings(ratings).self_y)


def test_effects_do_not_depend_on_row_order():
    plant = Plant(lenient=["M03"], severe=["M07"], central=["M05"], halo=["E0901"])
    _, ratings = make_360(seed=1, plant=plant)
    shuffled = ratings.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a, b = rater_effects(ratings), rater_effects(shuffled)
    pd.testing.assert_frame_equal(a, b.loc[a.index], check_exact=False, rtol=1e-9)
    people, shuffled_people = self_ratings(ratings), self_ratings(shuffled)
    pd.testing.assert_frame_equal(
        people, shuffled_people.loc[people.index], check_exact=False, rtol=1e-9
    )


def test_a_rater_alone_on_every_score_has_no_comparison():
    _, ratings = make_360(n_teams=2, team_size=4, seed=0)
    cells = ratings.drop_duplicates(["employee_id", "period"]).iloc[:3]
    alone = cells.assign(rater_id="X1", competency="solo", relation="peer")
    effects = rater_effects(pd.concat([ratings, alone], ignore_index=True))
    assert effects.loc["X1", ["relation", "n_ratees", "mean_deviation"]].isna().all()
    assert effects["n_ratees"].dtype == "float64"  # NaN for X1, as a reindex would give


def test_iterate_rows_types_values_as_iterrows():
    frame = pd.DataFrame(
        {"relation": ["peer", None], "n": [1, 2], "x": [0.5, np.nan]}, index=["r1", "r2"]
    )
    numeric = frame[["n", "x"]]
    for table in (frame, numeric):
        for (label, series), (same_label, row) in zip(
            table.iterrows(), iterate_rows(table), strict=True
        ):
            assert label == same_label
            for column in table.columns:
                value, expected = row[column], series[column]
                assert type(value) is type(expected)
                assert value == expected or (pd.isna(value) and pd.isna(expected))


def test_departments_join_with_repeated_employee_ids():
    employees, ratings = make_360(seed=7, plant=Plant(inflators=["E0101", "E0102"]))
    people = self_ratings(ratings)
    once = self_inflation_by_department(people, employees, min_department=2)
    twice = pd.concat([employees, employees.iloc[:3].assign(department="DX")], ignore_index=True)
    repeated = self_inflation_by_department(people, twice, min_department=2)
    assert "DX" in repeated.index and "DX" not in once.index
