"""The workshop shell: controls, a memo per control state, and outputs kept as plain data."""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from perfkit.language import pick

#: How many rows a table shows in the widget (the full table stays in ``Workshop.result``).
SHOWN_ROWS = 30


class Memo:
    """Remember the last ``size`` results of a computation, by the control values it depends on.

    Parameters
    ----------
    compute : callable
        Called with the key's parts when the key has not been seen.
    size : int, default 64
    """

    def __init__(self, compute: Callable[..., Any], size: int = 64) -> None:
        self.compute = compute
        self.size = size
        self.hits = 0
        self.misses = 0
        self._store: OrderedDict[Hashable, Any] = OrderedDict()

    def __call__(self, *key: Hashable) -> Any:
        if key in self._store:
            self.hits += 1
            self._store.move_to_end(key)
            return self._store[key]
        self.misses += 1
        value = self.compute(*key)
        self._store[key] = value
        if len(self._store) > self.size:
            self._store.popitem(last=False)
        return value


@dataclass
class Workshop:
    """One interactive workshop: display ``widget``; set ``controls[name].value``; read ``result``.

    Attributes
    ----------
    name : str
        ``weights``, ``calibration``, ``rewards`` or ``ninebox``.
    widget : ipywidgets.VBox
        What the notebook displays.
    controls : dict of str to ipywidgets.Widget
        The sliders and dropdowns, by name (see each factory for the names).
    result : dict of str to DataFrame
        The latest outputs as plain data; replaced (never mutated) on every update.
    message : str
        The latest one-line summary (or the reason the last change was refused), in the
        engagement's language; also shown in the widget.
    """

    name: str
    widget: widgets.VBox
    controls: dict[str, widgets.Widget]
    result: dict[str, pd.DataFrame] = field(default_factory=dict)
    message: str = ""
    _refresh: Callable[[], None] | None = field(default=None, repr=False)

    def update(self) -> None:
        """Recompute the outputs from the controls' current values (controls call this on change)."""
        if self._refresh is not None:
            self._refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def bind(
    workshop: Workshop, refresh: Callable[[], None], names: list[str] | None = None
) -> Workshop:
    """Make ``refresh`` run whenever one of the named controls (default: all) changes value."""
    workshop._refresh = refresh
    for name, control in workshop.controls.items():
        if names is None or name in names:
            control.observe(lambda _change: refresh(), names="value")
    refresh()
    return workshop


def department_options(departments: pd.Series, lang: str) -> list[tuple[str, str]]:
    """Dropdown options: every department (``""`` stands for all), sorted."""
    names = sorted(str(d) for d in departments.dropna().unique())
    return [(pick(lang, zh="全部部门", en="All departments"), "")] + [(d, d) for d in names]


def table_html(
    frame: pd.DataFrame, *, title: str = "", css: str = "", rows: int = SHOWN_ROWS
) -> str:
    """Render a table as escaped HTML (client text never reaches the page unescaped)."""
    shown = frame.head(rows)
    body = shown.to_html(
        index=False, escape=True, border=0, na_rep="", float_format=lambda v: f"{v:,.2f}"
    )
    more = f"<div>… {len(frame) - rows} more</div>" if len(frame) > rows else ""
    head = f"<h4>{html.escape(title)}</h4>" if title else ""
    return f'<div class="{html.escape(css)}">{head}{body}{more}</div>'


def bars_html(
    labels: list[str], series: dict[str, list[float]], *, title: str = "", css: str = ""
) -> str:
    """A small bar chart as an HTML table: one row per label, one bar per series (escaped text)."""
    top = max([v for values in series.values() for v in values if pd.notna(v)] + [1.0])
    colours = ["#4c78a8", "#bab0ac", "#f58518", "#54a24b"]
    rows = []
    for i, label in enumerate(labels):
        cells = []
        for j, (name, values) in enumerate(series.items()):
            value = values[i]
            width = 0 if pd.isna(value) else int(round(160 * value / top))
            shown = "" if pd.isna(value) else f"{value:,.0f}"
            cells.append(
                f'<div title="{html.escape(name)}"><span style="display:inline-block;height:10px;'
                f'width:{width}px;background:{colours[j % len(colours)]}"></span> {shown}</div>'
            )
        rows.append(f"<tr><th>{html.escape(str(label))}</th><td>{''.join(cells)}</td></tr>")
    legend = " ".join(
        f'<span style="color:{colours[j % len(colours)]}">■</span> {html.escape(n)}'
        for j, n in enumerate(series)
    )
    head = f"<h4>{html.escape(title)}</h4>" if title else ""
    return f'<div class="{html.escape(css)}">{head}<div>{legend}</div><table>{"".join(rows)}</table></div>'


def summary_html(text: str, css: str = "perfkit-summary") -> str:
    """The one-line summary, in an element the browser tests find by class."""
    return f'<p class="{html.escape(css)}">{html.escape(text)}</p>'
