"""The vectorised impact_ratios gives exactly the table of the per-group reference loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from perfkit.evaluation.statistics import adjust_holm
from perfkit.fairness import impact_ratios
from perfkit.fairness.impact import IMPACT_COLUMNS, encode_groups, impact_columns


def _reference(data, *, outcome, groups, min_group=10, ratio=0.8, p_value=0.05, max_categories=12):
    """impact_ratios as first written: one Fisher test and one dict per group (kept as the oracle)."""
    frame = data[data[outcome].notna()]
    selected = frame[outcome].astype(bool).to_numpy()
    rows, skipped = [], []
    for column in groups:
        if column not in frame:
            continue
        codes, categories = pd.factorize(frame[column], sort=True)
        known = codes >= 0
        if len(categories) < 2 or len(categories) > max_categories:
            skipped.append(column)
            continue
        n = np.bincount(codes[known], minlength=len(categories))
        hits = np.bincount(codes[known], weights=selected[known], minlength=len(categories)).astype(
            "int64"
        )
        groups_ = [str(c) for c in categories]
        rate = hits / np.maximum(n, 1)
        eligible = np.flatnonzero(n >= min_group)
        ref = eligible[np.lexsort((-n[eligible], -rate[eligible]))[0]] if len(eligible) else None
        total_n, total_hits = int(n.sum()), int(hits.sum())
        for i, group in enumerate(groups_):
            row = {
                "column": column,
                "group": group,
                "n": int(n[i]),
                "selected": int(hits[i]),
                "rate": float(rate[i]),
                "reference": None,
                "reference_n": np.nan,
                "reference_rate": np.nan,
                "ratio": np.nan,
                "flip_ratio": np.nan,
                "p_value": np.nan,
            }
            if ref is not None and rate[ref] > 0:
                row.update(
                    reference=groups_[ref],
                    reference_n=int(n[ref]),
                    reference_rate=float(rate[ref]),
                    ratio=float(rate[i] / rate[ref]),
                    flip_ratio=float(min(hits[i] + 1, n[i]) / max(n[i], 1) / rate[ref]),
                )
                if i != ref:
                    rest_n, rest_hits = total_n - n[i], total_hits - hits[i]
                    table = [
                        [int(hits[i]), int(n[i] - hits[i])],
                        [int(rest_hits), int(rest_n - rest_hits)],
                    ]
                    row["p_value"] = float(stats.fisher_exact(table, alternative="less").pvalue)
            elif ref is not None:
                row["reference"] = groups_[ref]
            rows.append(row)
    result = pd.DataFrame(
        rows, columns=[c for c in IMPACT_COLUMNS if c not in ("p_holm", "adverse")]
    )
    if result.empty:
        result["p_holm"], result["adverse"] = pd.Series(dtype="float64"), pd.Series(dtype=bool)
    else:
        tested = (result["n"] >= min_group) & result["p_value"].notna()
        result["p_holm"] = np.nan
        result.loc[tested, "p_holm"] = adjust_holm(
            result.loc[tested, "p_value"].to_numpy(dtype="float64")
        )
        result["adverse"] = (
            tested
            & (result["ratio"] < ratio)
            & (result["flip_ratio"] < ratio)
            & (result["p_holm"] <= p_value)
        ).astype(bool)
    result.attrs["skipped"] = skipped
    return result[IMPACT_COLUMNS]


def _random_people(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    gender = rng.choice(["F", "M", None], n, p=[0.45, 0.5, 0.05])
    location = rng.choice(["北京", "上海", "深圳", "Chengdu"], n, p=[0.5, 0.3, 0.15, 0.05])
    level = rng.integers(1, 4 + seed % 12, n)  # sometimes too many categories
    base = rng.uniform(0, 1) ** 2  # rates from none to all
    gap = np.where(gender == "F", rng.uniform(0, 0.5), 0)
    top = (rng.random(n) < np.clip(base - gap, 0, 1)).astype(float)
    top[rng.random(n) < (0.1 if seed % 3 == 0 else 0)] = np.nan  # missing outcomes drop rows
    constant = np.full(n, "same")
    return pd.DataFrame(
        {"gender": gender, "location": location, "level": level, "top": top, "constant": constant}
    )


@pytest.mark.parametrize("seed", range(40))
def test_same_table_as_the_reference_loop(seed):
    data = _random_people(seed)
    groups = ["gender", "location", "level", "constant", "absent"]
    kwargs = {"min_group": [5, 10, 30][seed % 3], "max_categories": 12}
    expected = _reference(data, outcome="top", groups=groups, **kwargs)
    got = impact_ratios(data, outcome="top", groups=groups, **kwargs)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs["skipped"] == expected.attrs["skipped"]
    # with the groups encoded once beforehand, as a workshop does
    encoded = encode_groups(data, groups)
    again = impact_ratios(data, outcome="top", groups=groups, encoded=encoded, **kwargs)
    pd.testing.assert_frame_equal(again, expected, check_exact=True)
    assert again.attrs["skipped"] == expected.attrs["skipped"]
    # and as bare columns, for the rows with an outcome
    known = data["top"].notna().to_numpy()
    columns = impact_columns(
        data["top"].to_numpy()[known] == 1, encode_groups(data[known], groups), groups, **kwargs
    )
    assert list(columns) == IMPACT_COLUMNS
    for name in IMPACT_COLUMNS:
        if name == "reference":  # missing: None in the array, NaN in the table
            assert [v if pd.notna(v) else None for v in expected[name]] == columns[name].tolist()
        else:
            np.testing.assert_array_equal(columns[name], expected[name].to_numpy(), err_msg=name)


def test_encoded_rows_must_match_the_data():
    data = _random_people(1)
    encoded = encode_groups(data.head(10), ["gender"])
    with pytest.raises(ValueError, match="encoded"):
        impact_ratios(data, outcome="top", groups=["gender"], encoded=encoded)


def test_a_category_seen_only_where_the_outcome_is_missing_is_left_out():
    data = pd.DataFrame(
        {
            "gender": ["F"] * 20 + ["M"] * 20 + ["X"] * 3,
            "top": [1.0] * 5 + [0.0] * 15 + [1.0] * 15 + [0.0] * 5 + [np.nan] * 3,
        }
    )
    encoded = encode_groups(data, ["gender"])
    table = impact_ratios(data, outcome="top", groups=["gender"], encoded=encoded)
    assert table["group"].tolist() == ["F", "M"]
    pd.testing.assert_frame_equal(
        table, _reference(data, outcome="top", groups=["gender"]), check_exact=True
    )


@pytest.mark.parametrize(
    ("gender", "top"),
    [
        ([], []),  # no rows: an empty table
        (["F", "M"] * 20, [0.0] * 40),  # nobody selected: no reference rate
        (["F", "M"] * 20, [1.0] * 40),  # everybody selected
        (["F"] * 35 + ["M"] * 5, [1.0] * 3 + [0.0] * 37),  # one group below min_group
        (["F"] * 20 + ["M"] * 20, [1.0] * 20 + [0.0] * 20),  # one group all in, the other all out
    ],
)
def test_edge_cases_match_the_reference_loop(gender, top):
    data = pd.DataFrame(
        {"gender": pd.Series(gender, dtype=object), "top": pd.Series(top, dtype=float)}
    )
    expected = _reference(data, outcome="top", groups=["gender"], min_group=30)
    got = impact_ratios(data, outcome="top", groups=["gender"], min_group=30)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
