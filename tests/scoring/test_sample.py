"""On the sample clients, scores follow the planted true performance and calibration finds the planted raters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scipy.stats import spearmanr

from perfkit.intake import load_client
from perfkit.scoring import score_performance

DEMO = Path(__file__).resolve().parents[2] / "data" / "samples" / "demo-zh"


def _check(folder: Path) -> None:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    scores = score_performance(load_client(folder))
    emp = scores.employees.dropna(subset=["score"])
    true = emp["employee_id"].map(truth["current_performance"])
    assert true.notna().all()
    assert spearmanr(emp["score"], true).statistic >= 0.85
    assert spearmanr(emp["calibrated_score"], true).statistic >= 0.85
    effects = scores.rater_effects.rater_effects_
    for planted in truth["planted"]:
        if planted["code"] == "RATER_LENIENT":
            assert effects[planted["subject"]] > 0.5
        if planted["code"] == "RATER_SEVERE":
            assert effects[planted["subject"]] < -0.5


@pytest.mark.parametrize(("seed", "lang"), [(11, "zh"), (12, "en")])
def test_generated_sample(tmp_path, seed, lang):
    sample = pytest.importorskip("perfkit.sample")
    folder = tmp_path / f"sample-{seed}"
    sample.write_sample(folder, employees=200, seed=seed, lang=lang)
    _check(folder)


def test_demo_sample():
    if not (DEMO / "truth.json").is_file():
        pytest.skip(f"{DEMO} has not been generated yet")
    _check(DEMO)
