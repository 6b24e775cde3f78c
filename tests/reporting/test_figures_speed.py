"""Charts drawn once: the same crop as matplotlib's tight bounding box, big scatters as an image."""

import io
import re

import numpy as np
import pandas as pd
import pytest

from perfkit.reporting.figures import (
    MAX_VECTOR_POINTS,
    bar_chart,
    render_svg,
    scatter_chart,
)

SIZE = re.compile(r'<svg[^>]*width="([0-9.]+)pt" height="([0-9.]+)pt" viewBox="([^"]+)"')


def tight_svg(fig) -> str:
    """The figure as matplotlib crops it: drawn twice, to measure it, then to write it."""
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="svg", bbox_inches="tight", facecolor="white", metadata={"Date": None}
    )
    return buffer.getvalue().decode()


def long_labels_chart():
    values = pd.Series(
        [98.0, 77.0, 5.0],
        index=["一个很长很长的指标名称 (K058)", "Probation retention (K072)", "x"],
    )
    return bar_chart(
        values,
        title="1 项指标目标过易、1 项过难,无法区分绩效高低 — a title longer than the bars",
        highlight=["x"],
        reference=50,
        reference_label="参考线",
        value_format="{:.0f}%",
        xlabel="达成目标的结果占比(%)",
    )


def test_the_crop_is_matplotlibs_tight_bounding_box():
    tight = SIZE.search(tight_svg(long_labels_chart())).groups()
    once = SIZE.search(render_svg(long_labels_chart()).decode()).groups()
    assert float(once[0]) == pytest.approx(float(tight[0]), abs=0.002)
    assert float(once[1]) == pytest.approx(float(tight[1]), abs=0.002)
    x, y, w, h = (float(v) for v in once[2].split())
    assert (w, h) == (float(once[0]), float(once[1]))
    # the long labels reach past the figure's left edge, the title past its top: the crop goes
    # there too, onto the background, which reaches past the edges as well
    assert x < 0 and y < 0


def test_charts_are_reproducible():
    assert render_svg(long_labels_chart()) == render_svg(long_labels_chart())


@pytest.mark.parametrize("n", [50, MAX_VECTOR_POINTS + 1])
def test_big_scatters_draw_their_points_as_an_image(n):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"score": rng.normal(70, 10, n), "increase": rng.normal(3, 1, n)})
    flag = pd.Series(np.arange(n) % 7 == 0, index=frame.index)
    fig = scatter_chart(frame, "score", "increase", title="t", xlabel="x", ylabel="y", flag=flag)
    svg = render_svg(fig).decode()
    if n > MAX_VECTOR_POINTS:
        assert "<image" in svg and svg.count("<use") < 50
    else:
        assert "<image" not in svg and svg.count("<use") >= n


def test_another_matplotlib_falls_back_to_the_usual_tight_crop(monkeypatch):
    from perfkit.reporting import figures

    def broken(fig):
        raise TypeError("RendererSVG() got an unexpected keyword argument")

    monkeypatch.setattr(figures, "_draw_svg_once", broken)
    fig = long_labels_chart()
    expected = tight_svg(fig)
    assert render_svg(fig).decode() == expected
