"""The calendar of an engagement: when a period ends, and dates a plan can promise."""

from __future__ import annotations

import re

import pandas as pd

_QUARTER = re.compile(r"^(?:FY)?(\d{4})\s*[-_ ]?\s*Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(?:FY)?(\d{4})\s*[-_ ]?\s*H([12])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})[-/.]?(\d{1,2})$")
_YEAR = re.compile(r"^(?:FY)?\s*(\d{4})(?:年)?$", re.IGNORECASE)
_ZH_QUARTER = re.compile(r"^(\d{4})年?\s*(?:第)?([1-4一二三四])季度?$")


def period_end(period: str | None) -> pd.Timestamp | None:
    """Return the last day of a period written as text, or None when it cannot be read.

    Understands ``2025Q4``, ``2025-Q4``, ``FY2025``, ``2025``, ``2025-03``, ``202503``,
    ``2025H1`` and ``2025年第四季度``.

    Examples
    --------
    >>> period_end("2025Q4")
    Timestamp('2025-12-31 00:00:00')
    >>> period_end("2025-02")
    Timestamp('2025-02-28 00:00:00')
    >>> period_end("next year") is None
    True
    """
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return None
    text = str(period).strip()
    if m := _QUARTER.match(text):
        return pd.Period(year=int(m[1]), quarter=int(m[2]), freq="Q").end_time.normalize()
    if m := _ZH_QUARTER.match(text):
        quarter = "1234一二三四".index(m[2]) % 4 + 1
        return pd.Period(year=int(m[1]), quarter=quarter, freq="Q").end_time.normalize()
    if m := _HALF.match(text):
        return pd.Timestamp(year=int(m[1]), month=6 * int(m[2]), day=1) + pd.offsets.MonthEnd(0)
    if (m := _MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        return pd.Timestamp(year=int(m[1]), month=int(m[2]), day=1) + pd.offsets.MonthEnd(0)
    if m := _YEAR.match(text):
        return pd.Timestamp(year=int(m[1]), month=12, day=31)
    return None


def plan_start(period: str | None, today: pd.Timestamp | None = None) -> pd.Timestamp:
    """Return the day a plan starts: the end of the current period, or ``today`` when unknown."""
    end = period_end(period)
    if end is not None:
        return end
    return (today or pd.Timestamp.today()).normalize()
