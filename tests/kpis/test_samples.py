"""Acceptance on sample clients: every planted kpi_system flaw found, with its subject; nothing else flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfkit.findings import CODES
from perfkit.intake import load_client
from perfkit.kpis import diagnose_kpi_system

KPI_CODES = {c for c, area in CODES.items() if area == "kpi_system"}
SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def compare(folder: Path) -> tuple[set, set]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    planted = {(p["code"], p["subject"]) for p in truth["planted"] if p["code"] in KPI_CODES}
    audit = diagnose_kpi_system(load_client(folder))
    found = {(f.code, f.subject) for f in audit.findings if f.code in KPI_CODES}
    assert not [f for f in audit.findings if f.code == "ANALYSIS_SKIPPED"]
    return planted, found


def shipped_samples() -> list[Path]:
    return (
        sorted(p for p in SAMPLES.glob("*") if (p / "truth.json").is_file())
        if SAMPLES.is_dir()
        else []
    )


@pytest.mark.parametrize(
    "folder", shipped_samples() or [None], ids=lambda p: p.name if p else "none"
)
def test_shipped_samples(folder):
    if folder is None:
        pytest.skip(f"no sample with truth.json under {SAMPLES}")
    planted, found = compare(folder)
    assert planted - found == set(), "planted flaws missed"
    assert found - planted == set(), "clean roles or KPIs flagged"


@pytest.mark.parametrize(("lang", "seed"), [("zh", 21), ("en", 22)])
def test_generated_samples(tmp_path, lang, seed):
    write_sample = pytest.importorskip("perfkit.sample").write_sample
    folder = write_sample(tmp_path / f"s-{lang}", employees=200, seed=seed, lang=lang)
    planted, found = compare(Path(folder))
    assert len(planted) == 10
    assert planted - found == set(), "planted flaws missed"
    assert found - planted == set(), "clean roles or KPIs flagged"
