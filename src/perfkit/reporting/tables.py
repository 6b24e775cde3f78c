"""Tables and numbers for the deliverables: every cell escaped, numbers formatted, styled by CSS."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

#: A column's format: a ``str.format`` pattern (``"{:.1f}"``), a callable, or None (as text).
Format = str | Callable[[Any], str] | None


def format_value(value: Any, fmt: Format = None) -> str:
    """Return a cell as text: ``–`` for missing values, numbers by ``fmt`` (thousands separated).

    Examples
    --------
    >>> format_value(1234567.891, "{:,.0f}")
    '1,234,568'
    >>> format_value(float("nan"))
    '–'
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if callable(fmt):
        return fmt(value)
    if fmt is not None:
        try:
            return fmt.format(value)
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def percent(value: Any, digits: int = 0) -> str:
    """Return a share (0.25) as a percentage (``25%``).

    Examples
    --------
    >>> percent(0.254)
    '25%'
    """
    try:
        return f"{float(value) * 100:.{digits}f}%"
    except (TypeError, ValueError):
        return "–"


def html_table(
    frame: pd.DataFrame,
    *,
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, Format] | None = None,
    highlight: Callable[[pd.Series], str] | None = None,
    max_rows: int = 30,
    more: str = "",
    css_class: str = "",
) -> Markup:
    """Return a DataFrame as an escaped, styled HTML table.

    Parameters
    ----------
    frame : DataFrame
        The rows to show, in order; the index is ignored.
    headers : mapping, optional
        The header shown for each column (the column's name otherwise).
    formats : mapping, optional
        The format of each column (see :data:`Format`); numbers are right-aligned.
    highlight : callable, optional
        Given a row, returns a CSS class for it (``"pk-flag"``) or ``""``.
    max_rows : int, default 30
        Rows beyond this are counted in a last line, not shown.
    more : str
        The text of that last line, with ``{n}`` for the number of rows left out.
    css_class : str
        Extra classes of the ``<table>``.

    Returns
    -------
    Markup
        Safe HTML: every value and header is escaped.
    """
    headers = dict(headers or {})
    formats = dict(formats or {})
    columns = list(frame.columns)
    numeric = {
        c
        for c in columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }
    parts = [f'<table class="pk-table {escape(css_class)}"><thead><tr>']
    for column in columns:
        align = ' class="num"' if column in numeric else ""
        parts.append(f"<th{align}>{escape(headers.get(column, column))}</th>")
    parts.append("</tr></thead><tbody>")
    shown = frame.head(max_rows)
    for _, row in shown.iterrows():
        row_class = highlight(row) if highlight else ""
        parts.append(f'<tr class="{escape(row_class)}">' if row_class else "<tr>")
        for column in columns:
            align = ' class="num"' if column in numeric else ""
            parts.append(
                f"<td{align}>{escape(format_value(row[column], formats.get(column)))}</td>"
            )
        parts.append("</tr>")
    hidden = len(frame) - len(shown)
    if hidden > 0:
        note = (more or "… {n}").format(n=hidden)
        parts.append(f'<tr class="pk-more"><td colspan="{len(columns)}">{escape(note)}</td></tr>')
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def key_figures(items: Sequence[tuple[str, str]]) -> Markup:
    """Return a row of headline figures (value above label), escaped."""
    cells = "".join(
        f'<div class="pk-kpi"><div class="pk-kpi-value">{escape(value)}</div>'
        f'<div class="pk-kpi-label">{escape(label)}</div></div>'
        for label, value in items
    )
    return Markup(f'<div class="pk-kpis">{cells}</div>')
