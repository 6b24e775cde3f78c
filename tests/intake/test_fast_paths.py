"""The shortcuts of loading give what the slow, general way gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfkit.intake.coercion import arrow_text, encode_text
from perfkit.intake.crosschecks import unknown_ids
from perfkit.intake.reading import _is_utf8
from perfkit.intake.schemas import _holds, table_schema
from perfkit.settings import EngagementSettings

SETTINGS = EngagementSettings()
IDS = st.sampled_from(["E1", "E2", "E3", "x", "", None])


def _pandera_passes(table: str, frame: pd.DataFrame) -> bool:
    import pandera.pandas as pa_

    schema, _ = table_schema(table, SETTINGS)
    try:
        schema.validate(frame, lazy=True)
    except pa_.errors.SchemaErrors:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    ids=st.lists(st.sampled_from(["1", "2", None]), min_size=1, max_size=6),
    numbers=st.data(),
    direction=st.data(),
)
def test_holds_agrees_with_pandera(ids, numbers, direction):
    n = len(ids)
    cell = st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.5, 1.0, 3.0, 5.0, 6.0]))
    employees = pd.DataFrame(
        {
            "employee_id": pd.Series(ids, dtype="str"),
            "department": pd.Series(["A"] * n, dtype="str"),
            "rating": pd.Series(numbers.draw(st.lists(cell, min_size=n, max_size=n)), dtype=float),
            "potential": pd.Series(
                numbers.draw(st.lists(cell, min_size=n, max_size=n)), dtype=float
            ),
            "base_salary": pd.Series(
                numbers.draw(st.lists(cell, min_size=n, max_size=n)), dtype=float
            ),
        }
    )
    assert _holds("employees", employees, SETTINGS) == _pandera_passes("employees", employees)
    choices = st.lists(
        st.sampled_from(["higher", "lower", "Higher", "up", None]), min_size=n, max_size=n
    )
    kpis = pd.DataFrame(
        {
            "kpi_id": pd.Series([f"K{i}" for i in range(n)], dtype="str"),
            "name": pd.Series(["n"] * n, dtype="str"),
            "role": pd.Series(["r"] * n, dtype="str"),
            "weight": pd.Series([10.0] * n),
            "direction": pd.Series(direction.draw(choices), dtype="str"),
        }
    )
    assert _holds("kpis", kpis, SETTINGS) == _pandera_passes("kpis", kpis)


def test_holds_refuses_a_number_column_of_another_type():
    frame = pd.DataFrame({"employee_id": ["1"], "department": ["A"], "rating": ["3"]}, dtype="str")
    assert not _holds("employees", frame, SETTINGS)


@given(st.lists(st.lists(IDS, max_size=8), min_size=0, max_size=5))
def test_encode_text_on_chunks_matches_one_array(chunks):
    chunked = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], pa.large_string())
    codes, distinct = encode_text(chunked)
    whole = pc.dictionary_encode(chunked.combine_chunks())
    assert codes.dtype == np.int32
    assert codes.tolist() == [-1 if v is None else v for v in whole.indices.to_pylist()]
    assert distinct.to_pylist() == whole.dictionary.to_pylist()


@given(st.lists(IDS, max_size=12), st.lists(IDS, max_size=6))
def test_unknown_ids_with_kept_codes(values, known):
    values = pd.Series(values, dtype="str").replace("", np.nan)
    known = pd.Series(known, dtype="str").replace("", np.nan)
    value_codes = encode_text(arrow_text(values))
    known_codes = encode_text(arrow_text(known))
    expected = values.notna().to_numpy() & ~values.isin(known.dropna()).to_numpy()
    assert unknown_ids(values, known).tolist() == expected.tolist()
    assert unknown_ids(values, known, value_codes, known_codes).tolist() == expected.tolist()


def python_decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        "员工,部门".encode(),
        "员工".encode("gbk"),
        b"\xed\xa0\x80",  # a surrogate
        b"\xc0\x80",  # overlong
        b"\xf4\x90\x80\x80",  # past U+10FFFF
        b"abc\xe4\xb8",  # cut short
    ],
)
def test_is_utf8_as_strict_as_python(raw):
    assert _is_utf8(raw) == python_decodes(raw)


@given(st.binary(max_size=40))
def test_is_utf8_on_any_bytes(raw):
    assert _is_utf8(raw) == python_decodes(raw)
