"""Charts for the deliverables: a restrained palette, a CJK font chain, titles that state the takeaway."""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from markupsafe import Markup, escape  # noqa: E402
from matplotlib import font_manager  # noqa: E402

#: Fonts that carry Chinese, in order of preference.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Arial Unicode MS",
)

#: The palette: ink for the subject, grey for context, one accent for what the title points at.
INK = "#1F3A5F"
GREY = "#B8C0CC"
ACCENT = "#C8553D"
GOOD = "#3A7D5C"
MUTED = "#5B6B7F"


class CjkFontWarning(UserWarning):
    """No font with Chinese glyphs is installed: Chinese text in charts shows as boxes."""


def find_cjk_fonts() -> list[str]:
    """Return the installed fonts of :data:`CJK_FONTS`, in order of preference.

    Read from matplotlib's font list (cached on disk by matplotlib, so cheap after the first run).
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


def configure_charts() -> list[str]:
    """Set matplotlib's fonts and style for the deliverables; warn when no CJK font is installed.

    Returns
    -------
    list of str
        The CJK fonts found (empty when none: a :class:`CjkFontWarning` is issued).
    """
    global _configured
    found = find_cjk_fonts()
    _configured = found
    if not found:
        warnings.warn(
            "No Chinese font found for charts (tried: " + ", ".join(CJK_FONTS) + "); Chinese text "
            "will show as empty boxes. Install one, e.g. `apt-get install fonts-noto-cjk`. "
            "未找到中文字体,图表中的中文将无法显示;请安装 fonts-noto-cjk。",
            CjkFontWarning,
            stacklevel=2,
        )
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*found, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#8A94A6",
            "axes.labelcolor": "#333F4F",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.titlepad": 12,
            "xtick.color": "#5B6B7F",
            "ytick.color": "#5B6B7F",
            "font.size": 9.5,
            "figure.dpi": 100,
            "savefig.dpi": 170,
            "svg.fonttype": "none",
            "svg.hashsalt": "perfkit",  # the same SVG for the same data: reproducible deliverables
        }
    )
    return found


_configured: list[str] | None = None


def ensure_charts() -> None:
    """Configure the charts once per process, unless :func:`configure_charts` already did."""
    if _configured is None:
        configure_charts()


def figure_html(fig: plt.Figure, caption: str = "") -> Markup:
    """Return a figure as an embedded SVG (``data:`` URI) in a ``<figure>``, and close it.

    SVG keeps the charts sharp in print, their text searchable in the PDF, and costs a quarter
    of a PNG's rendering time; as an ``<img>`` it can run no script.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="svg", bbox_inches="tight", facecolor="white", metadata={"Date": None}
    )
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = escape(fig.axes[0].get_title(loc="left") if fig.axes else caption)
    html = f'<figure class="pk-figure"><img alt="{alt}" src="data:image/svg+xml;base64,{data}"/>'
    if caption:
        html += f"<figcaption>{escape(caption)}</figcaption>"
    return Markup(html + "</figure>")


def bar_chart(
    values: pd.Series,
    *,
    title: str,
    xlabel: str = "",
    highlight: Sequence[str] = (),
    reference: float | None = None,
    reference_label: str = "",
    value_format: str = "{:.0f}",
) -> plt.Figure:
    """Return a horizontal bar chart of ``values`` (index = labels), highlighted bars in the accent.

    Parameters
    ----------
    values : Series
        One bar per index label, drawn top to bottom in order.
    title : str
        The takeaway, in a sentence.
    highlight : sequence of str
        Labels drawn in the accent colour.
    reference : float, optional
        A vertical reference line (a guideline, an average).
    """
    ensure_charts()
    labels = [str(i) for i in values.index]
    height = max(1.8, 0.34 * len(values) + 0.9)
    fig, ax = plt.subplots(figsize=(7.2, height))
    colors = [ACCENT if label in set(map(str, highlight)) else INK for label in labels]
    positions = range(len(values))[::-1]
    ax.barh(list(positions), values.to_numpy(dtype=float), color=colors, height=0.62)
    ax.set_yticks(list(positions), labels)
    for pos, value in zip(positions, values.to_numpy(dtype=float), strict=True):
        if pd.notna(value):
            ax.annotate(
                value_format.format(value),
                (value, pos),
                xytext=(4 if value >= 0 else -4, 0),
                textcoords="offset points",
                va="center",
                ha="left" if value >= 0 else "right",
                fontsize=8.5,
                color=MUTED,
            )
    if reference is not None:
        ax.axvline(reference, color=MUTED, linestyle="--", linewidth=1)
        if reference_label:
            ax.annotate(
                reference_label,
                (reference, len(values) - 0.4),
                xytext=(3, 0),
                textcoords="offset points",
                color=MUTED,
                fontsize=8.5,
            )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.12)
    return fig


def distribution_chart(
    actual: pd.Series,
    guideline: pd.Series,
    *,
    title: str,
    actual_label: str,
    guideline_label: str,
) -> plt.Figure:
    """Return grouped columns comparing an actual distribution with the guideline (shares 0..1)."""
    ensure_charts()
    labels = [str(i) for i in guideline.index]
    fig, ax = plt.subplots(figsize=(7.2, 2.8))
    x = range(len(labels))
    ax.bar(
        [i - 0.19 for i in x],
        guideline.to_numpy(dtype=float) * 100,
        width=0.38,
        color=GREY,
        label=guideline_label,
    )
    ax.bar(
        [i + 0.19 for i in x],
        actual.reindex(guideline.index).fillna(0).to_numpy(dtype=float) * 100,
        width=0.38,
        color=INK,
        label=actual_label,
    )
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("%")
    ax.legend(frameon=False, loc="upper right")
    ax.set_title(title)
    return fig


def scatter_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    flag: pd.Series | None = None,
) -> plt.Figure:
    """Return a scatter of ``y`` against ``x``, flagged points in the accent colour."""
    ensure_charts()
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    flagged = flag.reindex(frame.index).fillna(False).astype(bool) if flag is not None else None
    base = frame if flagged is None else frame[~flagged]
    ax.scatter(base[x], base[y], s=14, color=INK, alpha=0.55, linewidths=0)
    if flagged is not None and flagged.any():
        ax.scatter(frame.loc[flagged, x], frame.loc[flagged, y], s=18, color=ACCENT, linewidths=0)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig
