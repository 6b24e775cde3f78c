"""The vectorised feedback content: figures formatted once, items in order, nothing shared."""

import math

import pandas as pd
import pytest

from perfkit.plans import build_feedback
from perfkit.plans.feedback import _collect, _shown


@pytest.mark.parametrize(
    ("kind", "form"),
    [("pct", lambda x: f"{round(x * 100, 0):.0f}%"), ("pt", lambda x: f"{x:.1f}")],
)
def test_shown_formats_each_figure_and_keeps_the_sign_of_zero(kind, form):
    values = pd.Series([0.984, -0.004, 0.0, -0.0, math.nan, 0.984, 1.25, 0.004])
    expected = [form(v) if v == v else "—" for v in values.tolist()]
    assert _shown(values, kind) == expected
    assert _shown(pd.Series([-0.0]), kind) != _shown(pd.Series([0.0]), kind)
    assert _shown(pd.Series([], dtype=float), kind) == []


def test_collect_appends_in_the_frame_order_with_the_extra_figures():
    frame = pd.DataFrame(
        {
            "employee_id": ["a", "b", "a"],
            "name": ["K1", "K2", math.nan],
            "value": [0.5, 1.0, math.nan],
            "peer": [0.25, 0.75, 0.5],
            "size": [0.25, 0.25, 0.5],
        }
    )
    found = {"a": [{"kind": "earlier"}]}
    _collect(
        found,
        frame,
        "kpi",
        ["{name} {value} {peer} {gap}"] * 3,
        "value",
        "peer",
        "pct",
        {"d": "size"},
    )
    assert [item["text"] for item in found["a"][1:]] == ["K1 50% 25% 0.2", "nan — 50% 0.5"]
    assert found["a"][2] == {
        "kind": "kpi",
        "name": "",
        "value": None,
        "peer": 0.5,
        "text": "nan — 50% 0.5",
        "d": 0.5,
    }
    assert list(found["a"][1]) == ["kind", "name", "value", "peer", "text", "d"]
    assert found["b"][0]["value"] == 1.0 and found["a"][0] == {"kind": "earlier"}


def test_each_employee_owns_their_lists(world):
    feedback = build_feedback(*world)
    lists = [
        id(part)
        for f in feedback
        for part in (f.strengths, f.improvements, f.perception_gaps, f.talking_points, f.next_steps)
    ]
    assert len(lists) == len(set(lists))
    assert [f.employee_id for f in feedback] == world[1].employees["employee_id"].tolist()


def test_scores_and_texts_are_plain_python(world):
    for f in build_feedback(*world):
        assert f.score is None or type(f.score) is float
        assert all(type(v) is str for v in (f.name, f.department, f.role, f.grade, f.pattern))
        for item in f.strengths + f.improvements + f.perception_gaps:
            assert all(v is None or type(v) in (str, float) for v in item.values())
