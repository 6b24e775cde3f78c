"""The fast paths of the feedback sheets give the bytes of the plain, autoescaped rendering."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from perfkit.reporting.content import build_report
from perfkit.reporting.feedback import (
    _format,
    _formatted,
    _labels,
    _rows_by_person,
    feedback_environment,
    reserve_sheet_files,
    sheet_contexts,
    write_feedback_sheets,
)
from perfkit.reporting.resources import template_dir

from .reporting_clients import SCRIPT, write_client


def autoescaping_environment() -> Environment:
    """Jinja's own escaping, as the sheets were rendered before the memoised ``finalize``."""
    return Environment(
        loader=FileSystemLoader(str(template_dir())),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@pytest.fixture(scope="module", params=["en", "zh"])
def hostile(request, tmp_path_factory):
    """A small client whose names, a KPI, a department, comments and title hold markup."""
    base = tmp_path_factory.mktemp(f"hostile-{request.param}")
    folder = write_client(
        base / "c", employees=40, seed=2, lang=request.param, inject=True, title=SCRIPT + " & Co"
    )
    return build_report(folder)


def test_sheets_are_byte_for_byte_the_autoescaped_rendering(hostile, tmp_path):
    files = write_feedback_sheets(hostile, tmp_path)
    template = autoescaping_environment().get_template("feedback.html.j2")
    labels = SimpleNamespace(**_labels(hostile.lang))
    contexts = sheet_contexts(hostile)
    assert len(contexts) == len(files) == len(hostile.client.employees)
    for context in contexts:
        expected = template.render(
            person=context, labels=labels, client=hostile.client.title, lang=hostile.lang
        )
        assert (tmp_path / files[context.employee_id]).read_bytes() == expected.encode("utf-8")
    assert "&lt;script&gt;" in (tmp_path / files[contexts[0].employee_id]).read_text("utf-8")


VALUES = [
    SCRIPT,
    'Tom & Jerry\'s "shop"',
    "张三 <经理>",
    "",
    Markup("<b>kept</b>"),
    None,
    1,
    1.0,
    True,
    -0.0,
    math.nan,
]


@pytest.mark.parametrize(
    "source",
    [
        "{{ v }}|{{ v or 'none' }}|{{ w }}|{{ v }}",
        "{% for x in many %}<li>{{ x }}</li>{% endfor %}",
        "{{ missing }}{{ v|safe }}",
    ],
)
def test_finalize_escapes_every_value_as_autoescape_does(source):
    fast = feedback_environment().from_string(source)
    plain = autoescaping_environment().from_string(source)
    for v in VALUES:
        values = {"v": v, "w": VALUES[1], "many": VALUES}
        assert fast.render(**values) == plain.render(**values), repr(v)


def test_memoised_escaping_keeps_equal_values_of_other_types_apart():
    template = feedback_environment().from_string("{% for x in xs %}{{ x }} {% endfor %}")
    assert template.render(xs=[1, 1.0, True, "1", 1, 1.0, True]) == "1 1.0 True 1 1 1.0 True "


@pytest.mark.parametrize("kind", ["number", "percent"])
def test_formatted_column_is_each_value_formatted(kind):
    values = pd.Series([-0.0, 0.0, math.nan, 0.125, -0.004, 99999.95, 1e5, -1234.56, 0.0, -0.0])
    assert _formatted(values, kind) == [_format(v, kind) for v in values.tolist()]
    assert _formatted(values, kind)[0] != _formatted(values, kind)[1]  # -0.0 keeps its sign
    ints = pd.Series([3, 120000, 3], dtype="int64")
    assert _formatted(ints, kind) == [_format(v, kind) for v in ints.tolist()]
    texts = pd.Series(["a", None, "b"], dtype=object)
    assert _formatted(texts, kind) == ["a", "–", "b"]
    assert _formatted(pd.Series([], dtype=float), kind) == []


def test_rows_by_person_keep_the_frame_order():
    frame = pd.DataFrame({"employee_id": ["b", "a", None, "b", "c", "a"]})
    columns = [list("123456"), list("uvwxyz")]
    rows = _rows_by_person(frame, columns)
    assert rows["b"] == [("1", "u"), ("4", "x")]
    assert rows["a"] == [("2", "v"), ("6", "z")]
    assert rows["c"] == [("5", "y")]
    assert _rows_by_person(frame.iloc[:0], [[], []]) == {}


def test_sheet_contexts_hold_rows_as_tuples(hostile):
    contexts = sheet_contexts(hostile)
    with_kpis = [c for c in contexts if c.kpis]
    assert with_kpis and all(len(row) == 4 for c in with_kpis for row in c.kpis)
    assert all(len(row) == 3 for c in contexts for row in c.competencies)


def test_reserved_files_are_the_sheets_files_and_are_then_written_whole(hostile, tmp_path):
    folder = tmp_path / "feedback"
    assert reserve_sheet_files(hostile, folder) == len(hostile.client.employees)
    reserved = sorted(folder.iterdir())
    assert all(path.stat().st_size == 0 for path in reserved)
    assert reserve_sheet_files(hostile, folder) == 0  # what exists is left alone
    files = write_feedback_sheets(hostile, folder)
    assert sorted(folder / name for name in files.values()) == reserved
    fresh = tmp_path / "fresh"
    write_feedback_sheets(hostile, fresh)
    for name in files.values():
        assert (folder / name).read_bytes() == (fresh / name).read_bytes()


def test_a_longer_file_already_there_is_cut_to_the_new_sheet(hostile, tmp_path):
    folder = tmp_path / "feedback"
    files = write_feedback_sheets(hostile, tmp_path / "fresh")
    folder.mkdir()
    for name in files.values():
        (folder / name).write_bytes(b"stale" * 10_000)
    write_feedback_sheets(hostile, folder)
    for name in files.values():
        assert (folder / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_templates_are_compiled_once_per_process_and_again_when_edited(tmp_path, monkeypatch):
    from perfkit.reporting.feedback import COMPILED, CompiledTemplates

    assert feedback_environment().bytecode_cache is COMPILED  # the sheets share one cache
    compiled = CompiledTemplates()
    (tmp_path / "t.j2").write_text("one {{ x }}", encoding="utf-8")
    compiles = []
    original = Environment.compile
    monkeypatch.setattr(
        Environment, "compile", lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)
    )

    def render() -> str:
        env = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=compiled)
        return env.get_template("t.j2").render(x=1)

    assert [render(), render()] == ["one 1", "one 1"]
    assert len(compiles) == 1
    (tmp_path / "t.j2").write_text("two {{ x }}", encoding="utf-8")
    assert render() == "two 1"
    assert len(compiles) == 2
