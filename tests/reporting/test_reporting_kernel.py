"""ReportKernel: one kernel for a batch worker's notebooks, cleared between them, replaced after a failure."""

from __future__ import annotations

import io
import os

import nbformat
import papermill
import pytest
from rich.console import Console

from perfkit.reporting import run_batch
from perfkit.reporting.kernel import ReportKernel
from perfkit.reporting.render import render_report

from .reporting_clients import write_client


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _run(kernel: ReportKernel, notebook, out) -> nbformat.NotebookNode:
    def execute():
        try:
            return papermill.execute_notebook(
                str(notebook),
                str(out),
                kernel_name="python3",
                progress_bar=False,
                km=kernel.manager(),
            )
        finally:
            kernel.release()

    return kernel.submit(execute).result()


def _notebook(path, *sources: str):
    """Write a ``python3`` notebook of code cells to ``path`` and return the path."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


def test_notebooks_share_the_kernel_but_not_its_namespace(tmp_path):
    notebook = _notebook(
        tmp_path / "in.ipynb",
        "import os\nprint(os.getpid(), 'leftover' in globals())",
        "leftover = 1",
    )
    with ReportKernel() as kernel:
        runs = [_run(kernel, notebook, tmp_path / f"{i}.ipynb") for i in range(2)]
        pid = kernel.pid
    printed = [run.cells[0].outputs[0]["text"].split() for run in runs]
    assert printed == [[str(pid), "False"], [str(pid), "False"]]  # same kernel, a clean slate
    for run in runs:
        assert [c.execution_count for c in run.cells] == [1, 2]
    assert not _alive(pid)  # closed: shut down at once


@pytest.mark.slow
def test_a_failed_report_discards_the_kernel_and_the_next_gets_a_new_one(tmp_path):
    good = write_client(tmp_path / "good", employees=30, seed=1)
    bad = write_client(tmp_path / "bad", employees=20, seed=2)
    (bad / "results.csv").write_text(
        "employee_id,kpi_id,period,actual\nE001,SALES0,2025Q4,abc\n", encoding="utf-8"
    )
    with ReportKernel() as kernel:
        render_report(good, tmp_path / "out", progress=False, kernel=kernel)
        first = kernel.pid
        with pytest.raises(Exception, match="abc"):
            render_report(bad, tmp_path / "out", progress=False, kernel=kernel)
        assert kernel.pid is None and not _alive(first)
        render_report(good, tmp_path / "again", progress=False, kernel=kernel)
        assert kernel.pid not in (None, first)
    assert (tmp_path / "again" / "good" / "report.html").exists()


@pytest.mark.slow
def test_a_serial_batch_goes_on_after_a_failed_client(tmp_path):
    clients = [write_client(tmp_path / f"c{i}", employees=30, seed=i) for i in range(3)]
    (clients[1] / "results.csv").write_text(
        "employee_id,kpi_id,period,actual\nE001,SALES0,2025Q4,abc\n", encoding="utf-8"
    )
    outcome = run_batch(clients, tmp_path / "out", workers=1, console=Console(file=io.StringIO()))
    assert [r.ok for r in outcome.results] == [True, False, True]
    assert (tmp_path / "out" / "c2" / "report.html").exists()


@pytest.mark.parametrize("spare", [0, 1])
def test_pool_workers_fork_helpers_only_when_a_core_is_left_for_them(spare):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from perfkit.concurrency import can_fork
    from perfkit.reporting.batch import _start_worker, available_cores

    workers = max(available_cores() - spare, 1)
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(workers,),
    ) as pool:
        allowed = pool.submit(can_fork).result()
    assert allowed is (workers < available_cores())


def test_a_kernel_that_died_is_replaced(tmp_path):
    import signal

    with ReportKernel() as kernel:
        first = kernel.submit(lambda: (kernel.manager(), kernel.pid)[1]).result()
        os.kill(first, signal.SIGKILL)
        second = kernel.submit(lambda: (kernel.manager(), kernel.pid)[1]).result()
        assert second != first and _alive(second)


def test_report_kernels_start_without_the_debugger(tmp_path):
    from jupyter_client.kernelspec import KernelSpec

    from perfkit.reporting.kernel import LAUNCHER, without_debugger

    spec = KernelSpec(
        argv=[
            "python",
            "-Xfrozen_modules=off",
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
        ],
        display_name="Python 3",
        language="python",
        metadata={"debugger": True},
    )
    started = without_debugger(spec)
    assert started.argv == [
        "python",
        "-Xfrozen_modules=off",
        "-c",
        LAUNCHER,
        "-f",
        "{connection_file}",
    ]
    assert started.metadata["debugger"] is False and started.display_name == "Python 3"
    other = KernelSpec(argv=["ir", "--slave", "-f", "{connection_file}"], language="R")
    assert without_debugger(other) is other  # not an ipykernel: as it is

    notebook = _notebook(
        tmp_path / "in.ipynb",
        "1 + 1",
        "import sys\nprint(sys.modules.get('debugpy'), len(Out))",
    )
    with ReportKernel() as kernel:
        run = _run(kernel, notebook, tmp_path / "out.ipynb")
    assert run.cells[0].outputs[0]["data"]["text/plain"] == "2"  # a working kernel...
    assert run.cells[1].outputs[0]["text"].split() == ["None", "0"]  # no debugger, no output cache


def test_a_report_of_its_own_gets_the_report_kernel_manager(monkeypatch, tmp_path):
    from perfkit.reporting import render
    from perfkit.reporting.kernel import ReportKernelManager

    seen = {}
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: seen.update(k) or "done")
    params = render.ReportParameters(client_dir=str(tmp_path))
    assert render.execute_report(params, tmp_path / "out.ipynb") == "done"
    assert seen["kernel_manager_class"] is ReportKernelManager and "km" not in seen
