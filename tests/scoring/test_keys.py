"""Integer codes for text keys: the sorted group numbering and the helpers built on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfkit.scoring.keys import (
    encode_keys,
    factorize_text,
    group_codes,
    positions,
    sorted_codes,
    unique_rows,
)

IDS = ["e10", "e2", "中", "E1", "e2", None, "a", "e10"]


def frames(seed: int) -> list[pd.DataFrame]:
    """The same keys as object, ``str`` and categorical columns (categories in data order)."""
    rng = np.random.default_rng(seed)
    n = 40
    frame = pd.DataFrame(
        {
            "e": rng.choice(np.array(IDS, dtype=object), n),
            "p": rng.choice(np.array(["2025Q2", "2025Q1", "2024Q4", None], dtype=object), n),
        }
    )
    text = frame.astype("str").where(frame.notna())
    return [frame, text, encode_keys(text, ["e", "p"])]


@pytest.mark.parametrize("seed", range(5))
def test_sorted_groups_come_in_the_order_sort_values_gives(seed):
    for frame in frames(seed):
        codes, rows, valid = group_codes(frame, ["e", "p"], sort=True)
        heads = frame[["e", "p"]].astype(object).iloc[rows].reset_index(drop=True)
        expected = heads.sort_values(["e", "p"], ignore_index=True)
        pd.testing.assert_frame_equal(heads, expected)
        assert (codes[~valid] == -1).all()
        # every row is in the group of its keys
        keys = frame[["e", "p"]].astype(object)[valid].to_numpy()
        assert (keys == heads.to_numpy()[codes[valid]]).all()


def test_categorical_keys_sort_by_their_text():
    frame = encode_keys(pd.DataFrame({"e": pd.Series(["b", "c", "a", "b"], dtype="str")}), ["e"])
    assert list(frame["e"].cat.categories) == ["b", "c", "a"]  # data order
    codes, rows, _ = group_codes(frame, ["e"], sort=True)
    assert codes.tolist() == [1, 2, 0, 1]
    assert frame["e"].iloc[rows].tolist() == ["a", "b", "c"]


def test_sorted_codes_sort_as_the_values():
    values = pd.Series(IDS, dtype="str")
    codes = sorted_codes(values)
    assert (codes[values.isna().to_numpy()] == -1).all()
    present = values.dropna()
    order = np.argsort(codes[values.notna().to_numpy()], kind="stable")
    assert present.iloc[order].tolist() == present.sort_values(kind="stable").tolist()


@pytest.mark.parametrize("dtype", [object, "str"])
def test_unique_rows_are_the_rows_drop_duplicates_keeps(dtype):
    values = pd.Series(IDS, dtype=dtype)
    kept = values[unique_rows(values)]
    pd.testing.assert_series_equal(kept, values.drop_duplicates())
    assert unique_rows(pd.Series(["a", "b"], dtype="str")).all()


def test_factorized_text_is_shared_by_frames_that_share_the_data():
    frame = pd.DataFrame({"e": pd.Series(["x", "y", "x"], dtype="str"), "v": [1.0, 2.0, 3.0]})
    codes, _ = factorize_text(frame["e"])
    again, _ = factorize_text(frame[["e"]].reset_index(drop=True)["e"])
    assert again is codes  # the same Arrow data: remembered
    assert not codes.flags.writeable
    changed = frame.assign(e=pd.Series(["y", "y", "x"], dtype="str"))
    assert factorize_text(changed["e"])[0].tolist() == [0, 0, 1]  # new data: factorized anew


@pytest.mark.parametrize("kind", ["object", "str", "category"])
def test_positions_of_values_in_an_index(kind):
    values = pd.Series(["b", None, "z", "a", "b"], dtype=object)
    if kind != "object":
        values = values.astype("str").where(values.notna())
    if kind == "category":
        values = encode_keys(pd.DataFrame({"v": values}), ["v"])["v"]
    index = pd.Index(["a", "b", "c"], dtype="str")
    assert positions(values, index).tolist() == [1, -1, -1, 0, 1]
