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
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(REGISTRY)})")
    parser.add_argument("--sizes", default=None, help="comma-separated sizes, for benchmarks that take them")
    args = parser.parse_args(argv)
    names = args.names or list(REGISTRY)
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
    merge(entries)
    print(markdown_table(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
