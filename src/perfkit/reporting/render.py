"""``perfkit report``: execute the report notebook, export HTML and PDF, move the deliverables into place."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import stat
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from perfkit.concurrency import ForkedCall, can_fork
from perfkit.diagnosis import runs_beside
from perfkit.errors import PerfkitError, UsageError
from perfkit.reporting.content import SECTIONS, build_report
from perfkit.reporting.deliverables import write_deliverables
from perfkit.reporting.feedback import reserve_sheet_files
from perfkit.reporting.handoff import mark_failed, save_report
from perfkit.reporting.prepared import prepare_report
from perfkit.reporting.resources import REPORT_TEMPLATE, notebook_path, template_dir

if TYPE_CHECKING:
    from perfkit.reporting.kernel import ReportKernel

FORMATS: tuple[str, ...] = ("html", "pdf")
#: Tags of cells that never reach the client: the parameters and papermill's injected values.
HIDDEN_TAGS = {"remove_cell", "parameters", "injected-parameters"}
#: Errors raised inside the notebook that are the user's (shown as a message, exit 1).
USER_ERRORS = {"DataError", "SettingsError", "UsageError", "PerfkitError"}
#: The kernel's arguments: no kernel chatter on the console, no history database (a report's
#: cells are nobody's history, and a batch's kernels would share its SQLite file), and no output
#: cache (``Out``, ``_``: nobody reads them, and clearing the cache between a batch's notebooks
#: runs a full garbage collection, two thirds of a reset's CPU).
KERNEL_ARGUMENTS = [
    "--IPKernelApp.log_level=ERROR",
    "--HistoryManager.enabled=False",
    "--InteractiveShell.cache_size=0",
]
#: The analysis handed to the kernel, in the temporary folder (removed before the folder is installed).
ANALYSIS_FILE = ".analysis.pickle"


class ReportError(PerfkitError):
    """The report could not be rendered (a notebook cell failed, a template is missing...)."""


class ReportParameters(BaseModel):
    """The report notebook's parameters; an unknown or mistyped one is refused (papermill only warns).

    Attributes mirror the notebook's ``parameters`` cell.
    """

    model_config = ConfigDict(extra="forbid")

    client_dir: str
    language: str | None = None
    sections: list[str] = list(SECTIONS)
    anonymize: bool = False
    output_dir: str | None = None
    analysis_path: str | None = None


def render_report(
    folder: str | Path,
    out: str | Path,
    formats: Sequence[str] = FORMATS,
    lang: str | None = None,
    anonymize: bool = False,
    *,
    sections: Sequence[str] | None = None,
    progress: bool = True,
    timeout: int = 900,
    kernel: ReportKernel | None = None,
) -> Path:
    """Render one client's deliverables into ``out/<client name>/``.

    The report notebook is executed by papermill into a temporary folder beside the
    destination, which also receives ``findings.json``, ``scores.csv``, ``plan.xlsx`` and
    ``feedback/``; the HTML is exported by nbconvert with perfkit's template and the PDF by
    WeasyPrint. Only when everything is written does the folder replace the destination, so a
    failure never leaves a half-finished deliverable over a good one.

    Parameters
    ----------
    folder : str or Path
        The client folder or ``.xlsx`` workbook.
    out : str or Path
        The folder of deliverables; the client's go into ``out/<name>/``.
    formats : sequence of {"html", "pdf"}
        What to render besides the notebook and the data files.
    lang : {"zh", "en"}, optional
        The report's language; the engagement's by default.
    anonymize : bool, default False
        Stable pseudonyms instead of names, everywhere.
    sections : sequence of str, optional
        The sections to show (see :data:`perfkit.reporting.content.SECTIONS`).
    progress : bool, default True
        Show a progress bar on stderr.
    timeout : int, default 900
        Seconds a notebook cell may run.
    kernel : ReportKernel, optional
        A kernel kept across reports (a batch worker's); by default the notebook gets its own,
        shut down as soon as it is done.

    Returns
    -------
    Path
        The client's deliverables folder.

    Raises
    ------
    UsageError
        For an unknown format, language or parameter.
    DataError, SettingsError
        When the client's data or settings are invalid (nothing is written).
    ReportError
        When the notebook or an export fails.
    """
    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"formats must be among {list(FORMATS)}; got {bad}")
    if not Path(folder).exists():
        raise UsageError(f"{folder}: no such client folder or workbook")
    # Absolute paths: the kernel may run elsewhere than this process's working directory.
    folder, out = Path(folder).resolve(), Path(out).resolve()
    name = folder.stem if folder.is_file() else folder.name  # as perfkit.intake names a client
    try:
        params = ReportParameters(
            client_dir=str(folder),
            language=lang,
            anonymize=anonymize,
            sections=list(SECTIONS if sections is None else sections),
        )
    except ValidationError as exc:
        raise UsageError(f"invalid report parameters: {exc}") from None
    unknown = [s for s in params.sections if s not in SECTIONS]
    if unknown or lang not in (None, "zh", "en"):
        raise UsageError(
            f"unknown report section(s) {unknown} or language {lang!r}; "
            f"sections among {list(SECTIONS)}, language 'zh' or 'en'"
        )
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out))
    analysis = work / ANALYSIS_FILE
    params.analysis_path = str(analysis)  # the kernel loads what this process computes
    writers: dict[str, ForkedCall] = {}  # by what they write, in the order they start
    try:
        with _notebook_thread(kernel) as submit, _progress_bar(progress, name) as advance:
            # The kernel starts while this process loads the client and runs every analysis; the
            # forked writers then write findings.json, scores.csv, plan.xlsx and feedback/ while this
            # process draws the sections (charts included) and hands them over: the kernel, waiting
            # for them, only displays ready HTML (no pandas, no matplotlib), then the HTML is exported.
            notebook = submit(
                execute_report,
                params,
                work / "report.ipynb",
                on_cell=lambda: advance(1),
                timeout=timeout,
                kernel=kernel,
            )
            try:
                # Forked writers: the feedback sheets' files, created at low priority once the
                # client is loaded; the sheets (the longest) as soon as their content is ready,
                # while this process plans and draws; then the data files and plan.xlsx.
                with _collector_paused():
                    report = build_report(
                        folder,
                        language=lang,
                        sections=params.sections,
                        anonymize=anonymize,
                        on_loaded=lambda loaded: _reserve_sheet_files(loaded, work, writers),
                        on_feedback=lambda ready: writers.setdefault(
                            "feedback", ForkedCall(write_deliverables, ready, work, ("feedback",))
                        ),
                    )
                    if "feedback" not in writers:  # no scores, hence no feedback content
                        writers["feedback"] = ForkedCall(
                            write_deliverables, report, work, ("feedback",)
                        )
                    writers["data"] = ForkedCall(
                        write_deliverables, report, work, ("findings", "scores", "plan")
                    )
                    save_report(prepare_report(report), analysis)
            except BaseException:
                mark_failed(analysis)
                with contextlib.suppress(Exception):
                    notebook.result()
                raise
            executed = notebook.result()
            for leftover in work.glob(ANALYSIS_FILE + "*"):
                leftover.unlink()
            html = export_html(executed)
            advance(1)
            if "html" in formats:
                (work / "report.html").write_text(html, encoding="utf-8")
            if "pdf" in formats:
                export_pdf(html, work / "report.pdf")
            advance(1)
            for writer in writers.values():
                writer.result()
            publish(work)
            destination = install(work, out / name)
            advance(1)
    except BaseException:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(work, ignore_errors=True)
        if created and not any(out.iterdir()):
            out.rmdir()  # leave no folder of ours behind a failure
        raise
    return destination


def _reserve_sheet_files(report: Any, work: Path, writers: dict[str, ForkedCall]) -> None:
    """Start creating a large client's feedback files in a low-priority forked process.

    See :func:`perfkit.reporting.feedback.reserve_sheet_files`; for a small client (or where
    the platform cannot fork) the sheets' writer creates them, as fast.
    """
    if can_fork() and runs_beside(report.client):
        writers["files"] = ForkedCall(reserve_sheet_files, report, work / "feedback", nice=19)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the analysis builds the report.

    The analysis keeps what it makes (tables, per-employee content, drawn sections) until the
    report is handed over, so each full collection walks every object made so far, in vain:
    at 20,000 employees that was 1.3-1.5 s of a report. It makes little cyclic garbage (about
    30,000 objects, a few MB), collected once the report is handed over.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _notebook_thread(kernel: ReportKernel | None) -> Iterator[Callable[..., Future]]:
    """Yield a ``submit`` that runs the notebook beside this thread: on the kernel's, or a new one."""
    if kernel is not None:
        yield kernel.submit
        return
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit


def execute_report(
    params: ReportParameters,
    output: Path,
    *,
    on_cell: Callable[[], None] | None = None,
    timeout: int = 900,
    kernel: ReportKernel | None = None,
) -> Any:
    """Execute the report notebook with papermill (kernel ``python3``) and return it.

    The notebook gets a kernel of its own (managed by
    :class:`~perfkit.reporting.kernel.ReportKernelManager`), shut down as soon as it is done; or
    ``kernel``'s, cleared first, and discarded if the notebook fails.

    Raises
    ------
    DataError-like PerfkitError
        When a perfkit error was raised in the notebook: its message, not a traceback.
    ReportError
        When another error stopped the notebook.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from perfkit.reporting.kernel import ReportKernelManager

    options: dict[str, Any] = {}
    if on_cell is not None:
        options["on_cell_complete"] = lambda **_: on_cell()
    if kernel is not None:
        options["km"] = kernel.manager()
    else:
        options["kernel_manager_class"] = ReportKernelManager
    try:
        return papermill.execute_notebook(
            str(notebook_path()),
            str(output),
            parameters=params.model_dump(),
            kernel_name="python3",
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            shutdown_kernel="immediate",
            extra_arguments=KERNEL_ARGUMENTS,
            **options,
        )
    except BaseException as exc:
        if kernel is not None:
            kernel.discard()
        if not isinstance(exc, PapermillExecutionError):
            raise
        if exc.ename in USER_ERRORS:
            raise ReportError(exc.evalue) from None
        raise ReportError(
            f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None
    finally:
        if kernel is not None:
            kernel.release()


def report_labels(nb: Any) -> dict[str, str]:
    """Return the title, language and labels the template shows, from the cover's metadata."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            metadata = output.get("metadata", {})
            meta = metadata.get("perfkit") or metadata.get("text/html", {}).get("perfkit") or {}
            if meta.get("cover"):
                return dict(meta)
    return {
        "title": "perfkit",
        "lang": "en",
        "kicker": "Performance management review",
        "contents": "Contents",
        "footer": "perfkit",
    }


def export_html(nb: Any) -> str:
    """Return the executed notebook as the client's HTML: no code, no scripts, images embedded."""
    import nbformat

    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    exporter, lock = _html_exporter()
    with lock:
        body, _ = exporter.from_notebook_node(nb, resources={"perfkit": report_labels(nb)})
    return body


@functools.cache
def _html_exporter() -> tuple[Any, threading.Lock]:
    """The HTML exporter, made once per process: nbconvert compiles its templates on first use
    (about 0.2 s, most of an export), and a batch worker exports one report after another."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=REPORT_TEMPLATE,
        extra_template_basedirs=[str(template_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=HIDDEN_TAGS,
            remove_all_outputs_tags={"remove_output"},
            remove_input_tags={"remove_input"},
        ),
        enabled=True,
    )
    return exporter, threading.Lock()


def export_pdf(html: str, path: Path) -> Path:
    """Write the HTML as an A4 PDF with WeasyPrint (Chinese as real text, with the Noto CJK fonts)."""
    from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        HTML(string=html, base_url=str(path.parent)).write_pdf(str(path))
    except Exception as exc:  # a PDF failure is reported, not a traceback
        raise ReportError(f"the PDF could not be written: {type(exc).__name__}: {exc}") from None
    return path


def publish(folder: Path) -> None:
    """Give a finished folder normal permissions, as the umask allows.

    ``mkdtemp`` and ``mkstemp`` make folders 0700 and files 0600; the rest already have the
    umask's. Only what differs is changed (a report's folder holds a file per employee).
    """
    umask = os.umask(0o022)
    os.umask(umask)
    modes = {True: 0o777 & ~umask, False: 0o666 & ~umask}  # by "is a folder"
    os.chmod(folder, modes[True])
    for parent, folders, files in os.walk(folder):
        for name, is_folder in [(n, True) for n in folders] + [(n, False) for n in files]:
            path = os.path.join(parent, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) != modes[is_folder]:
                os.chmod(path, modes[is_folder])


def install(work: Path, destination: Path) -> Path:
    """Move a complete deliverables folder into place, replacing an older one only now."""
    if destination.exists():
        old = destination.with_name(f".{destination.name}.old-{uuid.uuid4().hex[:8]}")
        destination.rename(old)
        work.rename(destination)
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(destination)
    return destination


@contextlib.contextmanager
def _progress_bar(enabled: bool, title: str) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(n)`` for a rich progress bar on stderr (a no-op when disabled)."""
    if not enabled:
        yield lambda n: None
        return
    import nbformat
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    cells = sum(
        1 for c in nbformat.read(notebook_path(), as_version=4).cells if c.cell_type == "code"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(
            escape(title), total=cells + 4
        )  # + papermill's injected cell, HTML, PDF, install
        yield lambda n: bar.advance(task, n)
