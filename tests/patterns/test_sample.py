"""The sample clients (perfkit sample + perfkit.scoring): patterns agree with the planted trajectories."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import normalized_mutual_info_score

from perfkit.intake import load_client
from perfkit.patterns import find_patterns, nine_box

scoring = pytest.importorskip("perfkit.scoring", reason="perfkit.scoring is not there yet")
sample = pytest.importorskip("perfkit.sample", reason="perfkit.sample is not there yet")

DEMO = Path(__file__).parents[2] / "data" / "samples" / "demo-zh"


def check(folder: Path) -> dict[str, float]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    client = load_client(folder)
    scores = scoring.score_performance(client)
    result = find_patterns(client, scores)
    labels = result.assignments.set_index("employee_id")["pattern"]
    trajectories = pd.Series(truth["trajectories"])
    figures = {
        "nmi": normalized_mutual_info_score(trajectories[labels.index], labels),
        "patterns": len(result.patterns),
    }
    current = truth.get("current_performance")
    if isinstance(current, dict):
        score = scores.employees.set_index("employee_id")["score"].dropna()
        figures["spearman"] = spearmanr(score, pd.Series(current)[score.index]).statistic
    names = result.patterns.set_index("key")
    assert {"rising", "declining"} <= set(names.index), names["name"].tolist()
    assert nine_box(client, scores, features=result.features).boxes["count"].sum() == len(
        scores.employees
    )
    return figures


@pytest.mark.parametrize("seed, lang", [(5, "zh"), (6, "en")])
def test_fresh_sample_clients(tmp_path, seed, lang):
    folder = sample.write_sample(tmp_path / f"client{seed}", employees=300, seed=seed, lang=lang)
    figures = check(Path(folder))
    assert figures["nmi"] >= 0.4
    assert 3 <= figures["patterns"] <= 8
    assert figures.get("spearman", 1.0) >= 0.85


def test_demo_sample():
    if not (DEMO / "truth.json").is_file():
        pytest.skip(f"{DEMO} has no truth.json yet (the sample engineer writes it)")
    figures = check(DEMO)
    assert figures["nmi"] >= 0.4
    assert 3 <= figures["patterns"] <= 8
