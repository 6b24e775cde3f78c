"""The six Shrout–Fleiss intraclass correlations, on their published table."""

from __future__ import annotations

import pandas as pd
import pytest

from perfkit.raters import ICC_FORMS, icc
from tests.support import real_data

PUBLISHED = {
    "ICC(1,1)": 0.1657,
    "ICC(2,1)": 0.2898,
    "ICC(3,1)": 0.7148,
    "ICC(1,k)": 0.4428,
    "ICC(2,k)": 0.6201,
    "ICC(3,k)": 0.9093,
}


@pytest.fixture
def shrout_fleiss() -> pd.DataFrame:
    return pd.read_csv(real_data("shrout-fleiss-1979-icc", "shrout_fleiss_1979_ratings.csv"))


def test_reproduces_shrout_fleiss_1979(shrout_fleiss):
    table = icc(shrout_fleiss, target="target").set_index("form")
    assert list(table.index) == list(ICC_FORMS)
    for form, value in PUBLISHED.items():
        assert table.loc[form, "icc"] == pytest.approx(value, abs=5e-5), form
    assert table.attrs["n"] == 6 and table.attrs["k"] == 4


def test_confidence_intervals_match_the_psych_package(shrout_fleiss):
    # psych::ICC(sf) prints these bounds for the same table
    table = icc(shrout_fleiss, target="target").set_index("form")
    assert table.loc["ICC(1,1)", ["lower", "upper"]].tolist() == pytest.approx(
        [-0.133, 0.723], abs=1e-3
    )
    assert table.loc["ICC(2,1)", ["lower", "upper"]].tolist() == pytest.approx(
        [0.019, 0.761], abs=1e-3
    )
    assert table.loc["ICC(3,k)", ["lower", "upper"]].tolist() == pytest.approx(
        [0.676, 0.986], abs=1e-3
    )
    assert table.loc["ICC(3,1)", "F"] == pytest.approx(11.03, abs=0.01)


def test_long_frame_gives_the_same(shrout_fleiss):
    long = shrout_fleiss.melt(id_vars="target", var_name="judge", value_name="score")
    wide = icc(shrout_fleiss, target="target")["icc"]
    assert icc(long, target="target", rater="judge", score="score")[
        "icc"
    ].tolist() == pytest.approx(wide.tolist())


def test_incomplete_targets_are_dropped():
    wide = pd.DataFrame({"a": [1, 2, 3, 4, None], "b": [2, 2, 4, 5, 1], "c": [1, 3, 3, 5, 2]})
    assert icc(wide).attrs["n"] == 4


def test_too_few_targets_is_an_error():
    with pytest.raises(ValueError, match="at least 2 complete targets"):
        icc(pd.DataFrame({"a": [1], "b": [2]}))


def test_missing_long_column_is_named():
    with pytest.raises(ValueError, match="score"):
        icc(pd.DataFrame({"t": [1], "r": [1]}), target="t", rater="r", score="score")


def test_perfect_agreement_is_one():
    wide = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 2, 3, 4]})
    assert icc(wide)["icc"].tolist() == pytest.approx([1.0] * 6)
