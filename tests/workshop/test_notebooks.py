"""The workshop notebooks: thin, committed without outputs, and executed by papermill with widget state."""

from __future__ import annotations

import ast
import json
from collections import Counter
from pathlib import Path

import nbformat
import papermill
import pytest

from perfkit.sample import write_sample

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("workshop_*.ipynb"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def test_there_are_at_least_two_workshop_notebooks():
    names = {p.stem for p in NOTEBOOKS}
    assert {"workshop_weights", "workshop_rewards"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert 'client_dir: str = "data/samples/demo-zh"' in code[0].source
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source.replace("display(", "print("))
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)], cell.source


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return write_sample(
        tmp_path_factory.mktemp("sample") / "acme", employees=120, seed=11, lang="en"
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_keeps_its_widget_state(path, sample, tmp_path):
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters={"client_dir": str(sample)},
        kernel_name="python3",
        progress_bar=False,
        store_widget_state=True,
        cwd=str(tmp_path),
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    state = nb["metadata"]["widgets"][WIDGET_STATE]["state"]
    models = Counter(model["model_name"] for model in state.values())
    assert models["DropdownModel"] >= 1
    assert models["IntSliderModel"] + models["FloatSliderModel"] >= (
        0 if "ninebox" in path.stem else 2
    )
    values = [m["state"].get("value") for m in state.values() if m["model_name"] == "HTMLModel"]
    assert any(
        "perfkit-summary" in (v or "") for v in values
    )  # the outputs were computed, not blank
