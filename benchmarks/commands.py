"""Side by side, as a customer checks it: the commands in fresh processes against their floors.

``perfkit diagnose`` against a fresh Python reading the same files with pandas (imports
included on both sides); ``perfkit report`` against papermill + nbconvert of a one-cell notebook,
in a fresh process too. The client is a ``perfkit sample`` of 20,000 employees.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.intake import scratch
from benchmarks.report import GOAL_REPORT_RATIO, sample_folder
from benchmarks.run import benchmark

GOAL_DIAGNOSE_RATIO = 5.0
EMPLOYEES = 20_000
PERFKIT = [
    str(Path(sys.executable).with_name("perfkit"))
]  # the installed command, as a user runs it

_READ = """
import sys
import pandas as pd
from pathlib import Path
for file in sorted(Path(sys.argv[1]).glob("*.csv")):
    pd.read_csv(file)
"""

_NOTEBOOK = """
import sys
import nbformat, papermill
from nbconvert import HTMLExporter
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(nb, sys.argv[1] + "/one.ipynb")
executed = papermill.execute_notebook(sys.argv[1] + "/one.ipynb", sys.argv[1] + "/out.ipynb",
    kernel_name="python3", progress_bar=False, shutdown_kernel="immediate")
HTMLExporter(template_name="lab").from_notebook_node(executed)
"""


def time_command(command: list[str]) -> float:
    """Return the wall seconds of a command (a fresh process); raise when it fails."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _best_interleaved(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, command in commands.items():
            best[name] = min(best[name], time_command(command))
    return best


def _entry(
    command: str, size: int, seconds: float, floor: float, what: str, goal: float, **more: object
) -> dict:
    """A result row: a command's best time against its floor's, and whether it meets its goal."""
    return {
        "benchmark": "commands",
        "case": f"{command}, {size} employees, fresh process",
        "employees": size,
        "seconds": round(seconds, 2),
        "floor_s": round(floor, 2),
        "floor": what,
        "ratio": round(seconds / floor, 2),
        **more,
        "goal": f"<= {goal:g}x floor",
        "meets": seconds / floor <= goal,
    }


@benchmark("commands")
def bench_commands(sizes: list[int] | None = None) -> list[dict]:
    """``perfkit diagnose`` and ``perfkit report`` in fresh processes, against their floors."""
    entries = []
    for size in sizes or [EMPLOYEES]:
        client = sample_folder(size)
        with scratch() as tmp:
            work = Path(tmp)
            time_command([*PERFKIT, "diagnose", str(client), "--json", str(work / "w.json")])
            best = _best_interleaved(
                {
                    "floor": [sys.executable, "-c", _READ, str(client)],
                    "diagnose": [
                        *PERFKIT,
                        "diagnose",
                        str(client),
                        "--json",
                        str(work / "f.json"),
                    ],
                },
                repeat=3,
            )
            entries.append(
                _entry(
                    "perfkit diagnose",
                    size,
                    best["diagnose"],
                    best["floor"],
                    "python -c: import pandas, pd.read_csv of every table",
                    GOAL_DIAGNOSE_RATIO,
                )
            )
            best = {"floor": float("inf"), "report": float("inf")}
            for run in range(2):
                best["floor"] = min(
                    best["floor"], time_command([sys.executable, "-c", _NOTEBOOK, str(work)])
                )
                # a new folder each time: the last run's 20,000 files are deleted only at the end,
                # not just before (on ext4 without a journal, recently deleted inodes make
                # creating files several times slower, and that would be this harness's doing)
                out = work / f"out-{run}"
                best["report"] = min(
                    best["report"],
                    time_command([*PERFKIT, "report", str(client), "--out", str(out)]),
                )
            entries.append(
                _entry(
                    "perfkit report (html)",
                    size,
                    best["report"],
                    best["floor"],
                    "python -c: papermill + nbconvert, 1 cell",
                    GOAL_REPORT_RATIO,
                    feedback_sheets=len(list((out / client.name / "feedback").glob("*.html"))),
                )
            )
    return entries
