"""``perfkit batch`` and ``perfkit report`` through the command line and on a Dask LocalCluster."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from perfkit.cli import main
from perfkit.reporting import run_batch

from .reporting_clients import write_client


def test_cli_report_bad_data_exits_1_without_traceback(tmp_path, capsys):
    folder = write_client(tmp_path / "bad", employees=12)
    (folder / "employees.csv").write_text("employee_id,department\n,\n", encoding="utf-8")
    assert main(["report", str(folder), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


@pytest.mark.slow
def test_batch_of_two_clients_with_two_workers_and_one_failure(tmp_path):
    good = [  # south is larger: handed out first, reported second as given
        write_client(tmp_path / name, employees=size, seed=i)
        for i, (name, size) in enumerate((("north", 40), ("south", 60)))
    ]
    missing = tmp_path / "nowhere"
    buffer = io.StringIO()
    outcome = run_batch(
        [*good, missing], tmp_path / "out", workers=2, console=Console(file=buffer, width=200)
    )
    assert not outcome.ok
    assert [r.ok for r in outcome.results] == [True, True, False]
    assert [Path(r.output).name for r in outcome.results[:2]] == ["north", "south"]
    for name in ("north", "south"):
        assert (tmp_path / "out" / name / "report.html").exists()
    assert "2/3 reports rendered" in buffer.getvalue() and "nowhere" in buffer.getvalue()


@pytest.mark.slow
def test_batch_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = write_client(tmp_path / "east", employees=40, seed=5)
    bad = write_client(tmp_path / "west", employees=20, seed=6)
    (bad / "results.csv").write_text(
        "employee_id,kpi_id,period,actual\nE001,SALES0,2025Q4,abc\n", encoding="utf-8"
    )
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        outcome = run_batch(
            [bad, folder],  # folder, the larger, is submitted first
            tmp_path / "out",
            scheduler=cluster.scheduler_address,
            console=Console(file=io.StringIO()),
        )
    assert [r.ok for r in outcome.results] == [False, True]
    assert "abc" in outcome.results[0].error
    assert (tmp_path / "out" / "east" / "scores.csv").exists()
    assert not (tmp_path / "out" / "west").exists()


def test_largest_clients_are_handed_out_first(tmp_path):
    from perfkit.reporting.batch import largest_first

    small = write_client(tmp_path / "small", employees=20, seed=1)
    large = write_client(tmp_path / "large", employees=200, seed=2)
    workbook = tmp_path / "middle.xlsx"
    workbook.write_bytes(b"x" * 10)  # smaller than any folder
    missing = tmp_path / "missing"
    args = [(str(p), "out", ("html",)) for p in (small, missing, large, workbook)]
    assert largest_first(args) == [2, 0, 3, 1]
