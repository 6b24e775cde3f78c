"""The ``perfkit`` command line: sample, validate, diagnose, report, batch."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from perfkit.errors import DataError, PerfkitError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="perfkit: a workbench for performance-management consultants (绩效管理).",
)
console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
state = {"debug": False}

#: Optional modules that the libraries of ``perfkit report`` import but never use, marked absent in
#: the command's own process (see :func:`skip_unused_imports`).
UNUSED_IMPORTS: tuple[str, ...] = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Spare ``perfkit report`` and ``perfkit batch`` two seconds of imports they never use.

    papermill and nbconvert read notebooks with nbformat, which imports jsonschema, which
    imports ``rfc3987_syntax`` when it is installed (jupyterlab's jupyter-events asks for it)
    to check the ``iri`` string format. That module compiles a Lark grammar when imported: about
    2 s of CPU, as long as the rest of the report's imports. Notebook validation checks no
    string format, so the command's process, which owns its imports, marks the module absent
    and jsonschema goes on without that one checker (it expects the module may be missing).
    A library call of :func:`perfkit.reporting.render_report` changes nothing of its caller's.
    """
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[assignment]


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
) -> None:
    state["debug"] = debug


@app.command()
def sample(
    folder: Annotated[Path, typer.Argument(help="Folder to write the sample client into.")],
    employees: Annotated[
        int, typer.Option("--employees", min=10, help="Number of employees.")
    ] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
) -> None:
    """Write a realistic sample client folder, with planted patterns and flaws."""
    from perfkit.sample import write_sample

    _language(lang)
    write_sample(folder, employees=employees, seed=seed, lang=lang)
    console.print(f"wrote a sample client of {employees} employees to {folder}")


@app.command()
def validate(
    folder: Annotated[Path, typer.Argument(help="The client folder or .xlsx workbook.")],
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the summary as HTML.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (default: the settings').")
    ] = None,
) -> None:
    """Check every table and the settings; list every problem at once (exit 0 valid, 1 invalid)."""
    from perfkit.intake.validation import validate_client

    _language(lang)
    report = validate_client(folder, lang=lang)
    report.print(out)
    if html is not None:
        report.write_html(html)
    raise typer.Exit(1 if report.has_errors else 0)


@app.command()
def diagnose(
    folder: Annotated[Path, typer.Argument(help="The client folder or .xlsx workbook.")],
    json_path: Annotated[Path, typer.Option("--json", help="Where to write findings.json.")],
) -> None:
    """Run every analysis the data allows and write the findings."""
    from perfkit.diagnosis import diagnose_client
    from perfkit.findings import write_findings
    from perfkit.intake import load_client

    client = load_client(folder)
    findings = diagnose_client(client)
    write_findings(findings, json_path)
    console.print(f"{len(findings)} findings written to {json_path}")


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="The client folder or .xlsx workbook.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the deliverables.")],
    format: Annotated[str, typer.Option("--format", help="html, pdf or html,pdf.")] = "html",
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (default: the settings').")
    ] = None,
    anonymize: Annotated[
        bool, typer.Option("--anonymize", help="Stable pseudonyms instead of names.")
    ] = False,
) -> None:
    """Execute the report notebook and render the client deliverables into OUT/<client>/."""
    skip_unused_imports()
    from perfkit.reporting import render_report

    _language(lang)
    render_report(folder, out, formats=_formats(format), lang=lang, anonymize=anonymize)


@app.command()
def batch(
    clients: Annotated[list[Path], typer.Argument(help="Client folders or workbooks.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the deliverables.")],
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 2,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="A Dask scheduler address.")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="html, pdf or html,pdf.")] = "html",
) -> None:
    """Render many clients' reports at once; one failing client does not stop the rest."""
    skip_unused_imports()  # before the workers are forked: none of them imports it either
    from perfkit.reporting import run_batch

    outcome = run_batch(
        clients, out, workers=workers, scheduler=scheduler, formats=_formats(format)
    )
    raise typer.Exit(0 if outcome.ok else 1)


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in ("html", "pdf")]
    if bad or not formats:
        raise UsageError(f"--format takes html, pdf or html,pdf; got {text!r}")
    return formats


def _language(lang: str | None) -> None:
    if lang is not None and lang not in ("zh", "en"):
        raise UsageError(f"--lang must be 'zh' or 'en'; got {lang!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; print errors as messages (no traceback) and return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = ["--debug"] + [a for a in argv if a != "--debug"] if debug else argv
    try:
        status = app(args=argv, prog_name="perfkit", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except PerfkitError as exc:
        if debug:
            raise
        if isinstance(exc, DataError):
            console.print(f"error: {exc.summary}", markup=False)
            for problem in exc.problems:
                console.print(f"  - {problem.describe(exc.lang)}", markup=False)
        else:
            console.print(f"error: {exc}", markup=False)
        return _usage_status(argv) if isinstance(exc, UsageError) else exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        console.print("aborted")
        return 130
    except Exception as exc:  # click usage errors and the like
        if hasattr(exc, "show") and hasattr(exc, "exit_code") and type(exc).__name__ != "Exit":
            exc.show()
            return _usage_status(argv)
        if debug:
            raise
        console.print(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)",
            markup=False,
        )
        return 1
    return status if isinstance(status, int) else 0


#: Commands whose usage errors (a missing folder, an unknown option) exit 2, as the contract says;
#: the others exit 1 for any error.
USAGE_STATUS: dict[str, int] = {"validate": 2}


def _usage_status(argv: list[str]) -> int:
    command = next((a for a in argv if not a.startswith("-")), None)
    return USAGE_STATUS.get(command, 1)


def run() -> NoReturn:
    """The ``perfkit`` program: run :func:`main` on the process's arguments and exit with its status."""
    status = main()
    # The process ends next: spare the interpreter's last garbage collection a walk over every
    # object the command made (0.8 s after a report). Exit handlers still run; the objects are
    # freed as they would be otherwise.
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
