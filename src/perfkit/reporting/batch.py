"""``perfkit batch``: many clients' reports, in local processes or on a Dask cluster."""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from perfkit.errors import PerfkitError

if TYPE_CHECKING:
    from perfkit.reporting.kernel import ReportKernel


@dataclass
class ClientOutcome:
    """How one client's report went.

    Attributes
    ----------
    client : str
        The client folder or workbook, as given.
    ok : bool
    seconds : float
    output : str or None
        The deliverables folder, when it succeeded.
    error : str or None
        The message, when it failed.
    """

    client: str
    ok: bool
    seconds: float = 0.0
    output: str | None = None
    error: str | None = None


@dataclass
class BatchOutcome:
    """Every client's outcome, in the order given; ``ok`` when all succeeded."""

    results: list[ClientOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every client's report was rendered."""
        return all(r.ok for r in self.results)

    def table(self) -> Table:
        """Return the summary as a rich table."""
        done = sum(r.ok for r in self.results)
        table = Table(title=f"perfkit batch: {done}/{len(self.results)} reports rendered")
        for column in ("client", "status", "seconds", "output / error"):
            table.add_column(column, justify="right" if column == "seconds" else "left")
        for r in self.results:
            status = "[green]ok[/green]" if r.ok else "[red]failed[/red]"
            table.add_row(
                r.client, status, f"{r.seconds:.1f}", (r.output if r.ok else r.error) or ""
            )
        return table


def render_one(
    client: str, out: str, formats: Sequence[str] = ("html",), kernel: ReportKernel | None = None
) -> ClientOutcome:
    """Render one client's report and return its outcome; never raises (for pools and clusters).

    The notebook runs on ``kernel``, or on the worker's own (see :func:`_start_worker`), or on
    a kernel of its own (on a Dask worker).
    """
    from perfkit.reporting.render import render_report

    start = time.perf_counter()
    try:
        path = render_report(
            client,
            out,
            formats=tuple(formats),
            progress=False,
            kernel=kernel or _worker["kernel"],
        )
    except PerfkitError as exc:
        return ClientOutcome(client, False, time.perf_counter() - start, error=str(exc))
    except Exception as exc:  # one client's failure must not stop the batch
        return ClientOutcome(
            client, False, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"
        )
    return ClientOutcome(client, True, time.perf_counter() - start, output=str(path))


#: What a report imports: loaded before the workers are forked, so that none imports them again.
WARM_MODULES = (
    "perfkit.reporting.render",
    "perfkit.reporting.figures",
    "perfkit.diagnosis",
    "perfkit.evaluation",
    "perfkit.fairness",
    "perfkit.kpis",
    "perfkit.raters",
    "perfkit.scoring",
    "perfkit.patterns",
    "perfkit.plans",
    "perfkit.rewards",
    "perfkit.plans.workbook",  # openpyxl: imported by each report's plan writer otherwise
    "papermill",
    "nbconvert",
)

#: A pool worker's kernel, kept across the reports it renders (None outside a pool worker).
_worker: dict[str, ReportKernel | None] = {"kernel": None}


def _client_name(path: Path) -> str:
    return path.stem if path.suffix.lower() == ".xlsx" else path.name


def run_batch(
    clients: Sequence[str | Path],
    out: str | Path,
    workers: int = 2,
    scheduler: str | None = None,
    formats: Sequence[str] = ("html",),
    *,
    console: Console | None = None,
) -> BatchOutcome:
    """Render many clients' reports at once; one failing client does not stop the rest.

    Parameters
    ----------
    clients : sequence of str or Path
        Client folders or workbooks.
    out : str or Path
        Each client's deliverables go into ``out/<name>/``.
    workers : int, default 2
        Local worker processes (when no scheduler is given).
    scheduler : str, optional
        The address of a Dask scheduler (``tcp://host:8786``): the reports run on its workers,
        which need perfkit installed and must see the client folders and ``out``.
    formats : sequence of {"html", "pdf"}
    console : rich Console, optional
        Where the summary table is printed; stderr by default.

    Returns
    -------
    BatchOutcome
        ``.ok`` is True when every client succeeded.
    """
    console = console or Console(stderr=True)
    out = Path(out).resolve()
    paths = [Path(c).resolve() for c in clients]
    names = Counter(_client_name(p) for p in paths)
    outcomes: dict[int, ClientOutcome] = {}
    todo: list[int] = []
    for i, path in enumerate(paths):
        if names[_client_name(path)] > 1:
            outcomes[i] = ClientOutcome(
                str(clients[i]),
                False,
                error=(
                    f"another client in this batch is also named '{_client_name(path)}'; their outputs would collide"
                ),
            )
        else:
            todo.append(i)
    args = [(str(paths[i]), str(out), tuple(formats)) for i in todo]
    if scheduler:
        results = _on_dask(scheduler, args)
    elif workers <= 1 or len(args) <= 1:
        from perfkit.reporting.kernel import ReportKernel

        _warm_up()
        with ReportKernel() as kernel:
            results = [render_one(*a, kernel=kernel) for a in args]
    else:
        results = _on_processes(args, workers)
    for i, result in zip(todo, results, strict=True):
        result.client = str(clients[i])
        outcomes[i] = result
    outcome = BatchOutcome([outcomes[i] for i in range(len(paths))])
    console.print(outcome.table())
    return outcome


def _on_processes(
    args: list[tuple[str, str, tuple[str, ...]]], workers: int
) -> list[ClientOutcome]:
    """Run the reports in a pool of worker processes.

    Where the platform can fork, the workers are forked from this process once it has imported
    the report's libraries (pandas, matplotlib, nbconvert...): each starts warm instead of
    spending seconds on imports, and the imported code's memory is shared. Elsewhere they are
    spawned. Each worker keeps one kernel for the reports it renders. The largest clients are
    handed out first (:func:`largest_first`), so that none is left running alone at the end.
    """
    from perfkit.concurrency import can_fork

    forking = can_fork()
    if forking:
        _warm_up()
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    results: dict[int, ClientOutcome] = {}
    workers = min(workers, len(args))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(workers,)
    ) as pool:
        if forking:  # the workers, forked at the first submit, leave the shared objects alone
            gc.freeze()
        try:
            futures = {pool.submit(render_one, *args[i]): i for i in largest_first(args)}
        finally:
            if forking:
                gc.unfreeze()
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # a worker process died
                results[i] = ClientOutcome(args[i][0], False, error=f"{type(exc).__name__}: {exc}")
    return [results[i] for i in range(len(args))]


def largest_first(args: Sequence[tuple[str, ...]]) -> list[int]:
    """Return the positions of the clients (first item of each ``args``), largest data first.

    A batch ends when its last report does: handing out the longest reports first (the
    longest-processing-time rule) keeps the workers busy until the end instead of leaving one
    client running alone. A client's size is the bytes of its files, a fair proxy of its rows.
    """
    return sorted(range(len(args)), key=lambda i: -_data_bytes(Path(args[i][0])))


def _data_bytes(path: Path) -> int:
    """The bytes of a client's workbook, or of the files in its folder (0 if unreadable)."""
    try:
        if path.is_file():
            return path.stat().st_size
        with os.scandir(path) as entries:  # the tables are the folder's own files
            return sum(e.stat().st_size for e in entries if e.is_file())
    except OSError:
        return 0


def _warm_up() -> None:
    """Import what a report imports (:data:`WARM_MODULES`) once, before the reports."""
    for name in WARM_MODULES:
        importlib.import_module(name)


def _start_worker(workers: int) -> None:
    """A pool worker's start: a kernel kept for its reports (shut at exit), one thread each, and
    no forked helpers when the workers take every core (see :func:`perfkit.concurrency.allow_helpers`)."""
    from multiprocessing.util import Finalize

    from perfkit.concurrency import allow_helpers
    from perfkit.reporting.kernel import ReportKernel

    _one_thread_each()
    allow_helpers(workers < available_cores())
    kernel = ReportKernel()
    _worker["kernel"] = kernel
    Finalize(kernel, kernel.close, exitpriority=10)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _one_thread_each() -> None:
    """Keep each worker (and the kernels it starts) to one BLAS/OpenMP thread: the workers share the cores."""
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    ):
        os.environ.setdefault(name, "1")
    try:  # a forked worker's libraries are loaded already: limit their pools directly
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1)


def _on_dask(address: str, args: list[tuple[str, str, tuple[str, ...]]]) -> list[ClientOutcome]:
    """Run the reports on a Dask cluster's workers."""
    try:
        from distributed import Client
    except ImportError:
        raise PerfkitError("--scheduler needs Dask: pip install 'perfkit[distributed]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise PerfkitError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        submitted = {
            i: client.submit(render_one, *args[i], pure=False) for i in largest_first(args)
        }
        results = []
        for i, a in enumerate(args):
            try:
                results.append(submitted[i].result())
            except Exception as exc:  # the worker died or lost the task
                results.append(ClientOutcome(a[0], False, error=f"{type(exc).__name__}: {exc}"))
    return results
