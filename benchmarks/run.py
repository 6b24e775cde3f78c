"""Run perfkit's benchmarks (``make bench``): write ``benchmarks/results.json`` and print a table.

A benchmark is a function registered with :func:`benchmark`; it returns a list of entries
(dicts with at least ``benchmark`` and ``case``). Entries replace those of the same
benchmark and case in ``results.json``; the others are kept.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")
README = Path(__file__).parents[1] / "README.md"
TABLE_START, TABLE_END = "<!-- bench-table -->", "<!-- /bench-table -->"
REGISTRY: dict[str, Callable[..., list[dict]]] = {}


def benchmark(name: str) -> Callable[[Callable[..., list[dict]]], Callable[..., list[dict]]]:
    """Register a benchmark function under ``name``."""

    def register(function: Callable[..., list[dict]]) -> Callable[..., list[dict]]:
        REGISTRY[name] = function
        return function

    return register


def merge_results(entries: list[dict], path: Path = RESULTS) -> list[dict]:
    """Merge entries into the results file (same benchmark and case replaced) and return all."""
    existing = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    fresh = {(e["benchmark"], e["case"]) for e in entries}
    merged = [e for e in existing if (e["benchmark"], e["case"]) not in fresh] + entries
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return merged


def markdown_table(entries: list[dict]) -> str:
    """Return entries as a markdown table, one column per key."""
    if not entries:
        return ""
    keys: list[str] = []
    for entry in entries:
        keys += [k for k in entry if k not in keys]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for entry in entries:
        lines.append("| " + " | ".join(_cell(entry.get(k, "")) for k in keys) + " |")
    return "\n".join(lines)


def summary_table(entries: list[dict]) -> str:
    """Return one markdown row per figure: what, the figure, its floor, the ratio and the goal."""
    lines = [
        "| benchmark | case | figure | floor | ratio | goal | met |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for e in entries:
        if "seconds" in e:
            figure = f"{_cell(float(e['seconds']))} s"
            floor = (
                f"{_cell(float(e['floor_s']))} s ({e.get('floor', '')})" if "floor_s" in e else ""
            )
        elif "peak_mb" in e:
            figure = f"{e['peak_mb']:.0f} MB"
            floor = (
                f"{e['floor_peak_mb']:.0f} MB ({e.get('floor', '')})"
                if "floor_peak_mb" in e
                else ""
            )
        elif any(k.endswith("_p95_ms") for k in e):
            p95 = {k.removesuffix("_p95_ms"): v for k, v in e.items() if k.endswith("_p95_ms")}
            figure = "; ".join(f"{k} {v:g} ms p95" for k, v in p95.items())
            floor = ""
            e = {
                **e,
                "goal": f"<= {WORKSHOP_GOAL_MS:g} ms",
                "meets": max(p95.values()) <= WORKSHOP_GOAL_MS,
            }
        else:
            figure, floor = str(e.get("note", "")), ""
        ratio = f"{_cell(float(e['ratio']))}×" if isinstance(e.get("ratio"), (int, float)) else ""
        if "ratio_fresh" in e:
            ratio += f" ({_cell(float(e['ratio_fresh']))}× a fresh process's read)"
        if "vs_10k" in e:
            ratio += f"; {_cell(float(e['vs_10k']))}× 10k"
        if "speedup" in e:
            ratio = f"{_cell(float(e['speedup']))}× faster"
            if e.get("round_speedups"):
                ratio += " (rounds: " + ", ".join(f"{r:g}×" for r in e["round_speedups"])
                if "median_round_speedup" in e:
                    ratio += f"; median {e['median_round_speedup']:g}×"
                ratio += ")"
        met = {True: "yes", False: "**no**"}.get(e.get("meets"), "")
        lines.append(
            f"| {e['benchmark']} | {e['case']} | {figure} | {floor} | {ratio} | {e.get('goal', '')} | {met} |"
        )
    return "\n".join(lines)


def write_readme_table(entries: list[dict] | None = None, readme: Path = README) -> str:
    """Rewrite the README's block between ``<!-- bench-table -->`` and ``<!-- /bench-table -->``.

    Parameters
    ----------
    entries : list of dict, optional
        The results; by default those of ``results.json``.
    readme : Path
        The file whose block is rewritten (nothing else in it changes).

    Returns
    -------
    str
        The table written.
    """
    if entries is None:
        entries = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else []
    order = {name: i for i, name in enumerate(ORDER)}
    entries = sorted(
        entries, key=lambda e: order.get(e["benchmark"], len(order))
    )  # stable within one
    when = max((e.get("when", "") for e in entries), default="")
    table = (
        summary_table(entries)
        + f"\n\n_Latest run: {when}; every figure in `benchmarks/results.json`._"
    )
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    readme.write_text(f"{head}{TABLE_START}\n{table}\n{TABLE_END}{tail}", encoding="utf-8")
    return table


WORKSHOP_GOAL_MS = 100.0  # a workshop update (one slider move) at 10k employees
ORDER = ("intake", "diagnose", "kpis", "scoring", "patterns", "report", "commands", "workshop")


def _cell(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default)."""
    import importlib
    import pkgutil

    import benchmarks

    for module in pkgutil.iter_modules(benchmarks.__path__):
        if module.name != "run":
            importlib.import_module(f"benchmarks.{module.name}")  # each registers its benchmarks
    from benchmarks.run import REGISTRY  # the registry of the imported module, not of __main__

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default all: {', '.join(REGISTRY)})"
    )
    parser.add_argument(
        "--sizes", default=None, help="comma-separated sizes, for benchmarks that take them"
    )
    parser.add_argument("--no-readme", action="store_true", help="leave the README's table alone")
    args = parser.parse_args(argv)
    order = {name: i for i, name in enumerate(ORDER)}
    names = args.names or sorted(REGISTRY, key=lambda n: order.get(n, len(order)))
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {list(REGISTRY)}")
    entries: list[dict] = []
    merge = sys.modules["benchmarks.run"].merge_results if __name__ == "__main__" else merge_results
    for name in names:
        kwargs = {"sizes": [int(s) for s in args.sizes.split(",")]} if args.sizes else {}
        started = time.strftime("%Y-%m-%dT%H:%M:%S")
        for entry in REGISTRY[name](**kwargs):
            entry.setdefault("benchmark", name)
            entry["when"] = started
            entry["python"] = platform.python_version()
            entries.append(entry)
    merged = merge(entries)
    print(markdown_table(entries))
    if not args.no_readme:
        sys.modules["benchmarks.run"].write_readme_table(merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
