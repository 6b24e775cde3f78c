"""The analysis handed from ``perfkit report`` to the report notebook: a pickle of a portable Report."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from perfkit.errors import PerfkitError

if (
    TYPE_CHECKING
):  # imported on use: a kernel loading a PreparedReport imports neither pandas nor the engines
    from perfkit.reporting.content import Report
    from perfkit.reporting.prepared import PreparedReport

#: Modules whose objects travel as they are (cheap to import in the kernel); other dataclasses
#: (the engines' results) travel as :class:`EngineResult`, so that the kernel never imports the
#: engines, nor scikit-learn and SciPy behind them.
PORTABLE_MODULES: tuple[str, ...] = (
    "perfkit.reporting",
    "perfkit.findings",
    "perfkit.intake",
    "perfkit.settings",
)
#: Written beside the analysis when the calling process could not compute it.
FAILED_SUFFIX = ".failed"


class EngineResult(SimpleNamespace):
    """An engine's result as plain attributes (the sections read attributes, never methods).

    ``kind`` holds the original class's qualified name.
    """


def portable(value: Any) -> Any:
    """Return ``value`` with engine dataclasses as :class:`EngineResult` and fitted models dropped.

    Fitted scikit-learn estimators (the pattern clusterer, the rater-effects model) are what
    a report never shows; they become None.
    """
    module = type(value).__module__
    if module.startswith(("sklearn", "scipy")) or any(
        c.__module__.startswith("sklearn") for c in type(value).__mro__
    ):
        return None
    if (
        is_dataclass(value)
        and not isinstance(value, type)
        and not module.startswith(PORTABLE_MODULES)
    ):
        attributes = {f.name: portable(getattr(value, f.name)) for f in fields(value)}
        return EngineResult(kind=f"{module}.{type(value).__qualname__}", **attributes)
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return tuple(portable(v) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return {k: portable(v) for k, v in value.items()}
    return value


def save_report(report: Report | PreparedReport, path: str | Path) -> Path:
    """Write a portable copy of ``report`` for :func:`load_report`, atomically (renamed into place).

    ``perfkit report`` hands over a :class:`~perfkit.reporting.prepared.PreparedReport` (sections
    already drawn), written as it is; a :class:`Report` travels as a portable copy.

    Parameters
    ----------
    report : Report or PreparedReport
    path : str or Path

    Returns
    -------
    Path
    """
    from perfkit.reporting.content import Report

    path = Path(path)
    copy = report
    if isinstance(report, Report):
        copy = Report(**{f.name: getattr(report, f.name) for f in fields(report)})
        for name in ("scores", "kpi_audit", "patterns", "feedback", "extras"):
            setattr(copy, name, portable(getattr(report, name)))
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as stream:
        pickle.dump(copy, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    return path


def mark_failed(path: str | Path) -> None:
    """Tell a waiting :func:`load_report` that the analysis will not come."""
    Path(str(path) + FAILED_SUFFIX).touch()


def load_report(
    analysis_path: str | Path | None,
    client_dir: str | Path | None = None,
    *,
    language: str | None = None,
    sections: Sequence[str] | None = None,
    anonymize: bool = False,
    timeout: float = 900.0,
) -> Report | PreparedReport:
    """Return the report's analysis: the one ``perfkit report`` computed, or a new one.

    ``perfkit report`` computes the analysis in its own process while the notebook's kernel
    starts, and writes it to ``analysis_path``; this waits for that file. Run by hand, with no
    ``analysis_path``, the notebook computes it here with :func:`build_report`.

    Parameters
    ----------
    analysis_path : str, Path or None
        The file written by :func:`save_report` (trusted: perfkit's own temporary folder).
    client_dir : str or Path, optional
        The client, when there is no ``analysis_path``.
    language, sections, anonymize
        As for :func:`build_report`, when there is no ``analysis_path``.
    timeout : float, default 900
        Seconds to wait for the analysis.

    Raises
    ------
    PerfkitError
        When the calling process failed to compute the analysis, or it did not come in time.
    """
    if not analysis_path:
        if client_dir is None:
            raise PerfkitError("load_report needs an analysis_path or a client_dir")
        from perfkit.reporting.content import build_report

        return build_report(client_dir, language=language, sections=sections, anonymize=anonymize)
    path = Path(analysis_path)
    failed = Path(str(path) + FAILED_SUFFIX)
    deadline = time.monotonic() + timeout
    while not path.exists():
        if failed.exists():
            raise PerfkitError("the analysis failed in the calling process")
        if time.monotonic() > deadline:
            raise PerfkitError(f"the analysis did not arrive within {timeout:.0f} s: {path}")
        time.sleep(0.02)
    with open(path, "rb") as stream:
        return pickle.load(stream)  # noqa: S301 - written by save_report into perfkit's own folder
