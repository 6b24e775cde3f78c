"""Charts for the deliverables: a restrained palette, a CJK font chain, titles that state the takeaway."""

from __future__ import annotations

import base64
import io
import re
import warnings
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from markupsafe import Markup, escape  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_mixed import MixedModeRenderer  # noqa: E402
from matplotlib.backends.backend_svg import RendererSVG  # noqa: E402

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

#: Scatter charts of more points draw them as one embedded image (axes and text stay vector): as
#: SVG, each point is an element of its own, and 20,000 of them make a 3 MB chart that takes
#: matplotlib half a second to write and WeasyPrint twenty seconds to draw.
MAX_VECTOR_POINTS = 2000

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
    svg = render_svg(fig)
    plt.close(fig)
    data = base64.b64encode(svg).decode("ascii")
    alt = escape(fig.axes[0].get_title(loc="left") if fig.axes else caption)
    html = f'<figure class="pk-figure"><img alt="{alt}" src="data:image/svg+xml;base64,{data}"/>'
    if caption:
        html += f"<figcaption>{escape(caption)}</figcaption>"
    return Markup(html + "</figure>")


#: The size of the SVG matplotlib writes, in its first tag.
_SVG_SIZE = re.compile(r'width="([0-9.]+)pt" height="([0-9.]+)pt" viewBox="0 0 \1 \2"')


def render_svg(fig: plt.Figure) -> bytes:
    """Return ``fig`` as SVG cropped to what it draws, as ``savefig(bbox_inches="tight")``, drawn once.

    matplotlib's tight crop draws a figure twice, the first time only to measure it: more than
    half of a chart's cost. Here the figure is drawn once at its full size, measured with the
    renderer that drew it (which knows the size of every text by then), and cropped by the SVG's
    ``viewBox``. The white background reaches past the figure's edges, where the crop may go (a
    title above the top), as it does in a tight crop. Should matplotlib's renderers change (an
    error, or a header not as expected), the figure is saved the usual way.
    """
    try:
        cropped = _draw_svg_once(fig)
    except Exception:  # renderer internals of another matplotlib version: the usual way
        cropped = None
    if cropped is not None:
        return cropped
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="svg", bbox_inches="tight", facecolor="white", metadata={"Date": None}
    )
    return buffer.getvalue()


def _draw_svg_once(fig: plt.Figure) -> bytes | None:
    """The tight SVG of :func:`render_svg`, or None when matplotlib's header is not as expected."""
    dpi = matplotlib.rcParams["savefig.dpi"]  # of rasterized artists, as savefig's
    dpi = fig.dpi if dpi == "figure" else dpi
    width, height = fig.get_size_inches()
    patch, facecolor = fig.patch, fig.patch.get_facecolor()
    text = io.StringIO()
    saved_dpi, fig.dpi = fig.dpi, 72  # vector output counts in points, as in savefig
    try:
        patch.set(facecolor="white", bounds=(-1, -1, 3, 3))  # in figure fractions
        svg = RendererSVG(width * 72, height * 72, text, image_dpi=dpi, metadata={"Date": None})
        renderer = MixedModeRenderer(fig, width, height, dpi, svg)
        fig.draw(renderer)
        renderer.finalize()
        box = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    finally:
        fig.dpi = saved_dpi
        patch.set(facecolor=facecolor, bounds=(0, 0, 1, 1))
    x, y, w, h = (72 * v for v in (box.x0, height - box.y1, box.width, box.height))
    cropped, found = _SVG_SIZE.subn(
        f'width="{w:.3f}pt" height="{h:.3f}pt" viewBox="{x:.3f} {y:.3f} {w:.3f} {h:.3f}"',
        text.getvalue(),
        count=1,
    )
    return cropped.encode("utf-8") if found else None


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
    """Return a scatter of ``y`` against ``x``, flagged points in the accent colour.

    Beyond :data:`MAX_VECTOR_POINTS` points, the points are drawn as an image (at ``savefig.dpi``).
    """
    ensure_charts()
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    flagged = flag.reindex(frame.index).fillna(False).astype(bool) if flag is not None else None
    base = frame if flagged is None else frame[~flagged]
    raster = len(frame) > MAX_VECTOR_POINTS
    ax.scatter(base[x], base[y], s=14, color=INK, alpha=0.55, linewidths=0, rasterized=raster)
    if flagged is not None and flagged.any():
        ax.scatter(
            frame.loc[flagged, x],
            frame.loc[flagged, y],
            s=18,
            color=ACCENT,
            linewidths=0,
            rasterized=raster,
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig
