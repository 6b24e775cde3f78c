"""Turning a column of client text into the contract's type: ids, text, numbers, ratings, dates."""

from __future__ import annotations

import math
import unicodedata
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perfkit.errors import Problem
from perfkit.intake.columns import Column
from perfkit.intake.problems import RowNumbers, report_rows
from perfkit.language import pick
from perfkit.settings import EngagementSettings


@dataclass
class ColumnSource:
    """Where a column came from, to say so in a problem.

    Attributes
    ----------
    table, source : str
        The contract table and the client's file (``results.csv``).
    shown : str
        The column as the client named it (with the contract name when they differ).
    rows : RowNumbers
    settings : EngagementSettings
    problems : list of Problem
        Where problems are appended.
    codes : dict, optional
        Where the codes of text columns are kept, by (table, column): one integer per row
        (-1 when missing) into a dictionary of distinct values; the key and id checks reuse them.
    """

    table: str
    source: str
    shown: str
    rows: RowNumbers
    settings: EngagementSettings
    problems: list[Problem]
    codes: dict[tuple[str, str], tuple[np.ndarray, pa.Array]] | None = None

    @property
    def lang(self) -> str:
        """The language of messages."""
        return self.settings.language

    def report(
        self, values: pd.Series, mask: np.ndarray, expected: str, fix: str, severity: str = "error"
    ) -> int:
        """Report the rows where ``mask`` holds; see :func:`report_rows`."""
        return report_rows(
            self.problems,
            self.source,
            self.shown,
            values,
            mask,
            self.rows,
            expected,
            fix,
            severity,
            self.lang,
        )

    def note(self, expected: str, severity: str = "warning") -> None:
        """Add a problem about the whole column."""
        self.problems.append(Problem(self.source, None, self.shown, None, expected, "", severity))


def arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """Return a column as an Arrow string array (no copy for pandas' Arrow-backed ``str``)."""
    array = series.array
    if hasattr(array, "__arrow_array__") and isinstance(series.dtype, pd.StringDtype):
        chunked = array.__arrow_array__()
        chunked = chunked if isinstance(chunked, pa.ChunkedArray) else pa.chunked_array([chunked])
        if pa.types.is_large_string(chunked.type) or pa.types.is_string(chunked.type):
            return chunked
        return chunked.cast(pa.string())
    values = series.to_numpy(dtype=object, na_value=None)
    return pa.chunked_array(
        [pa.array([None if v is None else str(v) for v in values], type=pa.string())]
    )


def to_series(array: pa.ChunkedArray | pa.Array) -> pd.Series:
    """Return an Arrow string array as a pandas ``str`` Series (missing as NaN)."""
    return pd.Series(array.to_pandas(), copy=False).astype("str")


def normalize_label(text: str) -> str:
    """Return a label as compared: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _as_text_series(series: pd.Series) -> pd.Series:
    """Return typed (Parquet) cells as the text a client would see: ``22.0`` as ``22``."""
    if isinstance(series.dtype, pd.StringDtype):
        return series
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.map(lambda v: None if pd.isna(v) else ("TRUE" if v else "FALSE")).astype(
            "str"
        )
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64").astype("str")
    if pd.api.types.is_float_dtype(series.dtype):
        numbers = series.to_numpy(dtype="float64", na_value=np.nan)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 1e15)
        text = np.where(
            whole,
            np.char.mod("%d", np.where(whole, numbers, 0).astype(np.int64)),
            np.char.mod("%r", numbers),
        ).astype(object)
        text[np.isnan(numbers)] = None
        return pd.Series(text, index=series.index, dtype="str")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.dt.strftime("%Y-%m-%d").astype("str")
    return series.map(
        lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
    ).astype("str")


def encode_text(text: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Return a text column as codes (one per row, -1 when missing) into its distinct values."""
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        # Arrow encodes the chunks in turn against one growing dictionary and gives every chunk
        # the whole of it, so the chunks need not be copied into one array first.
        chunks = encoded.chunks
        distinct = chunks[-1].dictionary if chunks else pa.array([], encoded.type.value_type)
        if any(len(c.dictionary) != len(distinct) for c in chunks):
            return encode_text(text.combine_chunks())
        indices = pa.chunked_array([c.indices for c in chunks], pa.int32())
    else:
        distinct, indices = encoded.dictionary, encoded.indices
    codes = indices.fill_null(-1).to_numpy().astype(np.int32, copy=False)
    return codes, distinct


def trim_text(series: pd.Series, where: ColumnSource) -> pa.ChunkedArray:
    """Return a column as trimmed Arrow text, empty cells missing; note how many were trimmed."""
    raw = arrow_text(_as_text_series(series))
    text = pc.utf8_trim_whitespace(raw)
    trimmed = pc.sum(pc.not_equal(pc.binary_length(raw), pc.binary_length(text))).as_py() or 0
    if trimmed:
        where.note(
            pick(
                where.lang,
                zh=f"有 {trimmed} 个单元格首尾带空格；perfkit 已去除。",
                en=f"had leading or trailing spaces in {trimmed} cell(s); perfkit trimmed them.",
            )
        )
    empty = pc.equal(text, "")
    if pc.any(empty).as_py():
        text = pc.if_else(empty, pa.scalar(None, pa.string()), text)
    return text


def map_values(
    text: pa.Array | pa.ChunkedArray, mapping: dict[str, str]
) -> pa.Array | pa.ChunkedArray:
    """Replace the client's values by the contract's (``values:`` in ``engagement.yaml``)."""
    keys = pa.array(list(mapping), type=pa.string())
    index = pc.index_in(text, value_set=keys)
    if not pc.any(pc.is_valid(index)).as_py():
        return text
    replaced = pc.take(pa.array([str(v) for v in mapping.values()], type=pa.string()), index)
    return pc.coalesce(replaced, text)


def clean_text(series: pd.Series, column: Column, where: ColumnSource) -> pd.Series:
    """Trim, map (``values:``) and, for choices, lower-case a text column, value by distinct value.

    The work is done once per distinct value, not per row; the codes are kept in ``where.codes``.
    """
    raw = arrow_text(_as_text_series(series))
    codes, distinct = encode_text(raw)
    text = pc.utf8_trim_whitespace(distinct)
    changed = pc.not_equal(pc.binary_length(distinct), pc.binary_length(text)).to_numpy(
        zero_copy_only=False
    )
    if changed.any():
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
        where.note(
            pick(
                where.lang,
                zh=f"有 {int(counts[changed].sum())} 个单元格首尾带空格；perfkit 已去除。",
                en=f"had leading or trailing spaces in {int(counts[changed].sum())} cell(s); "
                "perfkit trimmed them.",
            )
        )
    mapping = where.settings.values.get(where.table, {}).get(column.name)
    if mapping:
        text = map_values(text, {str(k).strip(): v for k, v in mapping.items()})
    if column.kind == "choice":
        text = pc.utf8_lower(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if column.kind == "id":
        text = _ids(text, where)
    if not text.equals(distinct):
        unified = pc.dictionary_encode(text)
        remap = np.append(unified.indices.fill_null(-1).to_numpy(zero_copy_only=False), -1)
        codes = remap[np.where(codes >= 0, codes, len(remap) - 1)].astype(np.int32)
        distinct = unified.dictionary
        raw = pc.take(distinct, pa.array(codes, mask=codes < 0))
    if where.codes is not None:
        where.codes[(where.table, column.name)] = (codes, distinct)
    return to_series(raw)


def coerce_column(series: pd.Series, column: Column, where: ColumnSource) -> pd.Series:
    """Return a client column in the contract's type, reporting every cell that does not fit.

    Ids, text, periods and choices come back as ``str`` (choices lower-case), numbers and ratings
    as ``float64``, dates as datetime64. Cells that cannot be converted are left missing and
    reported.
    """
    if (
        column.kind in ("number", "rating")
        and pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_bool_dtype(series.dtype)
    ):
        numbers = series.astype("float64")
        _report_not_finite(numbers.to_numpy(), series, column, where)
        return numbers.where(np.isfinite(numbers))
    if column.kind == "date" and pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    if column.kind in ("id", "text", "period", "choice"):
        return clean_text(series, column, where)
    if column.kind == "date":
        return _dates(clean_text(series, column, where), where)
    if isinstance(series.dtype, pd.StringDtype):
        raw = arrow_text(series)
        try:
            numbers = pc.cast(raw, pa.float64()).to_numpy(zero_copy_only=False)
            # cells written "inf" or "nan" take the slow way below, which reports them
            if not np.isinf(numbers).any() and np.isnan(numbers).sum() == raw.null_count:
                return pd.Series(numbers if numbers.flags.writeable else numbers.copy())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    text = trim_text(series, where)
    mapping = where.settings.values.get(where.table, {}).get(column.name)
    if mapping:
        text = map_values(text, mapping)
    return _numbers(text, column, where)


def _ids(text: pa.Array, where: ColumnSource) -> pa.Array:
    """Ids stay text; a column written as floats by a spreadsheet (``22.0``) reads as ``22``."""
    head = pc.drop_null(text.slice(0, 1000))
    if len(head) and pc.any(pc.ends_with(head, ".0")).as_py():
        valid = pc.drop_null(text)
        if len(valid) and pc.all(pc.match_substring_regex(valid, r"^-?[0-9]+\.0+$")).as_py():
            text = pc.replace_substring_regex(text, r"\.0+$", "")
            where.note(
                pick(
                    where.lang,
                    zh="的编号写成了小数（如 22.0）；perfkit 按整数编号读取（22）。",
                    en="holds ids written as decimals (22.0); perfkit read them as whole ids (22).",
                )
            )
    return text


def _report_not_finite(
    numbers: np.ndarray, shown: pd.Series, column: Column, where: ColumnSource
) -> None:
    bad = np.isinf(numbers)
    if bad.any():
        where.report(
            shown,
            bad,
            pick(where.lang, zh="不是有限的数字。", en="is not a finite number."),
            pick(
                where.lang,
                zh="请修改文件；perfkit 不做猜测。",
                en="Fix the file; perfkit does not guess.",
            ),
        )


def _parse_number(text: str) -> float:
    value = float(unicodedata.normalize("NFKC", text).replace("\u2212", "-"))
    return value if math.isfinite(value) else math.nan


def _numbers(text: pa.ChunkedArray, column: Column, where: ColumnSource) -> pd.Series:
    """Numbers (and ratings): fast Arrow parsing, then the odd cells one by one."""
    lang = where.lang
    try:
        parsed = pc.cast(text, pa.float64())
        numbers = parsed.to_numpy(zero_copy_only=False).astype("float64", copy=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(to_series(text), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
    numbers = np.array(numbers, dtype="float64", copy=True)
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    odd = present & ~np.isfinite(numbers)
    if not odd.any():
        return pd.Series(numbers)
    series = to_series(text)
    odd_values = series[odd]
    converted: dict[str, float] = {}
    widened = 0
    labels = {normalize_label(k): float(v) for k, v in where.settings.rating_labels.items()}
    for value in odd_values.unique():
        try:
            converted[value] = _parse_number(value)
            widened += not math.isnan(converted[value])
        except ValueError:
            converted[value] = (
                labels.get(normalize_label(value), math.nan)
                if column.kind == "rating"
                else math.nan
            )
    numbers[odd] = odd_values.map(converted).to_numpy(dtype="float64")
    if widened:
        where.note(
            pick(
                lang,
                zh="含全角或其他形式的数字；perfkit 已按数字读取。",
                en="holds numbers in full-width or other forms; perfkit read them as numbers.",
            )
        )
    bad = present & np.isnan(numbers)
    if column.kind == "rating":
        known = ", ".join(where.settings.rating_labels) or pick(
            lang, zh="未定义", en="none defined"
        )
        where.report(
            series,
            bad,
            pick(
                lang,
                zh=f"既不是数字，也不是评级标签（标签：{known}）。",
                en=f"is neither a number nor a rating label (labels: {known}).",
            ),
            pick(
                lang,
                zh="请在 engagement.yaml 的 'rating_labels' 中把每个文字评级对应到数字。",
                en="Map each text rating to a number under 'rating_labels' in engagement.yaml.",
            ),
        )
    else:
        where.report(
            series,
            bad,
            pick(lang, zh="不是数字。", en="is not a number."),
            pick(
                lang,
                zh="请修改文件；perfkit 不做猜测。",
                en="Fix the file; perfkit does not guess.",
            ),
        )
    return pd.Series(numbers)


def _dates(text: pd.Series, where: ColumnSource) -> pd.Series:
    """Dates: each distinct value parsed once, ISO 8601 first, then the other usual forms."""
    distinct = pd.Series(text.dropna().unique(), dtype="str")
    parsed = pd.to_datetime(distinct, format="ISO8601", errors="coerce")
    rest = parsed.isna().to_numpy()
    if rest.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed[rest] = pd.to_datetime(distinct[rest], format="mixed", errors="coerce").astype(
                parsed.dtype
            )
    lookup = pd.Series(parsed.to_numpy(), index=distinct.to_numpy())
    dates = pd.Series(lookup.reindex(text.to_numpy()).to_numpy(), index=text.index)
    bad = (text.notna() & dates.isna()).to_numpy()
    where.report(
        text,
        bad,
        pick(
            where.lang,
            zh="不是日期；perfkit 将其留空。",
            en="is not a date; perfkit left it empty.",
        ),
        pick(where.lang, zh="请使用 YYYY-MM-DD 格式。", en="Use YYYY-MM-DD."),
        "warning",
    )
    return dates
