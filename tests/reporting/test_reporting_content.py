"""The report's content built in process: sections, feedback sheets, anonymisation, deliverables."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from perfkit.concurrency import can_fork
from perfkit.reporting import build_report, write_deliverables
from perfkit.reporting import sections as show
from perfkit.reporting.content import SECTIONS

from .reporting_clients import FORMULA, SCRIPT, write_client


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    folder = write_client(
        tmp_path_factory.mktemp("c") / "evil",
        employees=40,
        seed=3,
        lang="en",
        inject=True,
        title=SCRIPT,
    )
    return build_report(folder)


@pytest.fixture(scope="module")
def injected_outputs(injected, tmp_path_factory):
    out = tmp_path_factory.mktemp("deliverables")
    write_deliverables(injected, out)
    return out


@pytest.fixture(scope="module")
def injected_html(injected) -> str:
    return _all_sections(injected)


def _all_sections(report) -> str:
    shown = [getattr(show, name)(report) for name in ("cover", *SECTIONS)]
    return "".join(s._repr_html_()[0] for s in shown if s is not None)


def test_every_section_renders_with_its_anchor(injected_html):
    html = injected_html
    for section in SECTIONS:
        assert f'id="{section}"' in html


def test_no_client_script_reaches_the_sections(injected_html):
    html = injected_html
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_sections_not_asked_for_are_not_shown(tmp_path):
    report = build_report(write_client(tmp_path / "c", employees=30), sections=["summary"])
    assert show.raters(report) is None
    assert show.summary(report) is not None


def test_unknown_section_is_refused(tmp_path):
    from perfkit.errors import UsageError

    with pytest.raises(UsageError, match="unknown report section"):
        build_report(write_client(tmp_path / "c", employees=30), sections=["gossip"])


def test_missing_table_gives_a_skipped_note_not_a_crash(tmp_path):
    folder = write_client(tmp_path / "c", employees=30)
    (folder / "ratings.csv").unlink()
    report = build_report(folder)
    html = show.raters(report)._repr_html_()[0]
    assert "pk-skipped" in html and "ratings" in html


def test_feedback_sheet_per_employee_escaped(injected, injected_outputs):
    sheets = sorted((injected_outputs / "feedback").glob("*.html"))
    assert len(sheets) == len(injected.client.employees)
    for sheet in sheets:
        assert "<script" not in sheet.read_text(encoding="utf-8")
    index = pd.read_csv(
        injected_outputs / "feedback" / "index.csv", dtype=str, encoding="utf-8-sig"
    )
    assert set(index["employee_id"]) == set(injected.client.employees["employee_id"])


def test_scores_csv_and_plan_workbook_hold_no_formula(injected_outputs):
    scores = pd.read_csv(injected_outputs / "scores.csv", dtype=str, encoding="utf-8-sig")
    assert list(scores.columns[:8]) == [
        "employee_id",
        "department",
        "kpi_score",
        "competency_score",
        "score",
        "grade",
        "calibrated_score",
        "pattern",
    ]
    assert not scores.stack().str.startswith("=").any()
    assert "'" + FORMULA in set(scores["name"])
    book = load_workbook(injected_outputs / "plan.xlsx")
    assert {"improvement", "development", "rewards"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_anonymize_replaces_names_everywhere(tmp_path):
    folder = write_client(tmp_path / "c", employees=30, seed=4, lang="zh")
    report = build_report(folder, anonymize=True)
    names = report.client.employees["name"]
    assert names.str.startswith("员工 ").all()
    again = build_report(folder, anonymize=True).client.employees["name"]
    assert names.tolist() == again.tolist()
    out = tmp_path / "out"
    write_deliverables(report, out)
    text = _all_sections(report) + "".join(
        p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.html")
    )
    text += (out / "scores.csv").read_text(encoding="utf-8-sig")
    for real in ("员工0", "员工1", "员工29"):
        assert real + "<" not in text and real + "," not in text and real + "\n" not in text
    assert "表现稳定" not in text  # comments may name people: dropped


def test_language_override(tmp_path):
    report = build_report(write_client(tmp_path / "c", employees=30, lang="zh"), language="en")
    assert report.lang == "en"
    assert "Executive summary" in show.summary(report)._repr_html_()[0]


def test_loaded_analysis_draws_the_same_sections(injected, injected_html, tmp_path):
    from perfkit.reporting import load_report, save_report

    path = save_report(injected, tmp_path / "analysis.pickle")
    loaded = load_report(str(path))
    assert _all_sections(loaded) == injected_html
    assert (
        loaded.patterns.model is None and loaded.scores.rater_effects is None
    )  # fitted models stay behind


def test_loaded_analysis_imports_no_engine_nor_sklearn(injected, tmp_path):
    import subprocess
    import sys

    from perfkit.reporting import save_report

    path = save_report(injected, tmp_path / "analysis.pickle")
    code = (
        "import sys\nfrom perfkit.reporting import configure_charts, load_report, sections as show\n"
        f"configure_charts()\nreport = load_report({str(path)!r})\nshow.patterns(report)\nshow.actions(report)\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'seaborn', 'openpyxl')\n"
        "         or m in ('perfkit.scoring', 'perfkit.patterns', 'perfkit.plans', 'perfkit.rewards')]\n"
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_prepared_sections_are_the_drawn_ones_with_their_metadata(injected, tmp_path):
    from perfkit.reporting import load_report, prepare_report, save_report
    from perfkit.reporting import show as shown

    loaded = load_report(str(save_report(prepare_report(injected), tmp_path / "prepared.pickle")))
    for name in ("cover", *SECTIONS):
        drawn, prepared = getattr(show, name)(injected), getattr(shown, name)(loaded)
        assert prepared._repr_html_() == drawn._repr_html_()  # same HTML, same SVG, same metadata
        assert (
            getattr(shown, name)(injected)._repr_html_() == drawn._repr_html_()
        )  # by hand: drawn there
    assert "data:image/svg+xml;base64," in loaded.sections["kpi_system"].html


def test_a_prepared_report_is_shown_without_pandas_nor_matplotlib(injected, tmp_path):
    """What the report's kernel runs: the notebook's cells on a prepared report."""
    import subprocess
    import sys

    from perfkit.reporting import prepare_report, save_report

    path = save_report(prepare_report(injected), tmp_path / "prepared.pickle")
    code = (
        "import sys\nfrom perfkit.reporting import load_report, show, write_deliverables\n"
        f"report = load_report({str(path)!r})\nwrite_deliverables(report, None)\n"
        "html = [show.cover(report)._repr_html_(), show.patterns(report)._repr_html_()]\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy', 'matplotlib', 'sklearn',\n"
        "         'scipy', 'openpyxl') or m in ('perfkit.intake', 'perfkit.reporting.content')]\n"
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_forked_writers_write_every_deliverable_and_raise_their_error(injected, tmp_path):
    from perfkit.concurrency import ForkedCall
    from perfkit.reporting.deliverables import write_deliverables

    writers = [
        ForkedCall(write_deliverables, injected, tmp_path / "out", ("findings", "scores", "plan")),
        ForkedCall(write_deliverables, injected, tmp_path / "out", ("feedback",)),
    ]
    written = {k: v for w in writers for k, v in w.result().items()}
    assert sorted(written) == ["feedback", "findings", "plan", "scores"]
    assert (tmp_path / "out" / "plan.xlsx").stat().st_size > 0
    assert len(list((tmp_path / "out" / "feedback").glob("*.html"))) == len(
        injected.client.employees
    )

    def broken(*args, **kwargs):
        raise OSError("disk full (planted)")

    with pytest.raises(OSError, match="planted"):
        ForkedCall(broken, injected, tmp_path / "again").result()


def test_load_report_computes_without_a_path_and_stops_on_a_failed_analysis(tmp_path):
    from perfkit.errors import PerfkitError
    from perfkit.reporting.handoff import load_report, mark_failed

    folder = write_client(tmp_path / "c", employees=30)
    assert load_report(None, folder, sections=["summary"]).sections == ("summary",)
    mark_failed(tmp_path / "analysis.pickle")
    with pytest.raises(PerfkitError, match="failed"):
        load_report(str(tmp_path / "analysis.pickle"), timeout=5)


def test_an_engine_failure_becomes_a_note_and_a_warning(tmp_path, monkeypatch):
    import perfkit.rewards
    from perfkit.reporting.content import EngineWarning

    def broken(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(perfkit.rewards, "compare_schemes", broken)
    with pytest.warns(EngineWarning, match="planted"):
        report = build_report(write_client(tmp_path / "c", employees=30))
    assert report.extras["schemes"] is None and "planted" in " ".join(report.skipped["rewards"])
    assert "planted" in show.actions(report)._repr_html_()[0]


def test_feedback_is_announced_once_ready_before_the_plans(tmp_path):
    seen = []

    def on_feedback(report):
        seen.append((report.feedback, "improvement" in report.extras))

    report = build_report(write_client(tmp_path / "c", employees=30), on_feedback=on_feedback)
    assert len(seen) == 1
    feedback, planned = seen[0]
    assert feedback is report.feedback and len(feedback) == 30
    assert not planned  # the feedback writer starts before the plans are made


def _same_extras(a, b):
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        elif hasattr(x, "__dataclass_fields__"):
            for f in x.__dataclass_fields__:
                _same_extras({f: getattr(x, f)}, {f: getattr(y, f)})
        else:
            assert x == y, name


@pytest.mark.skipif(not can_fork(), reason="this platform has no fork")
def test_plans_made_in_a_forked_process_are_the_same(tmp_path):
    from perfkit.reporting.content import analyse, diagnose

    folder = write_client(tmp_path / "c", employees=40)
    reports = {}
    for parallel in (False, True):
        report = build_report(folder, sections=())  # a shell: analysed again below
        report.extras, report.skipped = {}, {}
        diagnose(report)
        analyse(report, parallel=parallel)
        reports[parallel] = report
    assert {"improvement", "development", "schemes", "rewards"} <= set(reports[True].extras)
    _same_extras(reports[False].extras, reports[True].extras)
    assert reports[False].skipped == reports[True].skipped


@pytest.mark.skipif(not can_fork(), reason="this platform has no fork")
def test_an_engine_failure_in_the_forked_plans_comes_back_as_a_note(tmp_path, monkeypatch):
    import perfkit.rewards
    from perfkit.reporting.content import analyse

    def broken(*args, **kwargs):
        raise ZeroDivisionError("planted")

    report = build_report(write_client(tmp_path / "c", employees=30))
    monkeypatch.setattr(perfkit.rewards, "compare_schemes", broken)  # the child inherits it
    report.extras, report.skipped = {}, {}
    analyse(report, parallel=True)
    assert report.extras["schemes"] is None
    assert "planted" in " ".join(report.skipped["rewards"])
    assert report.extras["improvement"] is not None


def test_the_loaded_client_is_announced_before_any_analysis(tmp_path):
    seen = []
    report = build_report(
        write_client(tmp_path / "c", employees=30),
        anonymize=True,
        on_loaded=lambda r: seen.append((r.scores, r.client.employees["name"].tolist())),
    )
    assert len(seen) == 1
    scores, names = seen[0]
    assert scores is None  # nothing analysed yet
    assert names == report.client.employees["name"].tolist()  # already anonymised
