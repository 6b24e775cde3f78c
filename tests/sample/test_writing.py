"""Writing a sample folder: files, loading through the intake, refusing to clobber client data."""

from __future__ import annotations

import json

import pytest
import yaml

from perfkit.cli import main
from perfkit.errors import UsageError
from perfkit.intake import load_client
from perfkit.sample import write_sample


def test_written_sample_loads_cleanly(written):
    for lang, (folder, client) in written.items():
        assert {p.severity for p in client.notes} <= {"warning"}
        assert set(client.tables) == {
            "employees",
            "kpis",
            "results",
            "ratings",
            "objectives",
            "competencies",
            "training_catalog",
        }
        assert client.language == lang and client.current_period == "2025Q4"
        assert client.employees["employee_id"].str.startswith("E0").all()
        settings = yaml.safe_load((folder / "engagement.yaml").read_text(encoding="utf-8"))
        assert settings["rewards"]["bonus_pool"] > 0
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        readme = (folder / "README.md").read_text(encoding="utf-8")
        for item in truth["planted"]:
            assert item["code"] in readme and item["subject"] in readme


def test_readme_is_in_the_sample_language(written):
    zh = (written["zh"][0] / "README.md").read_text(encoding="utf-8")
    en = (written["en"][0] / "README.md").read_text(encoding="utf-8")
    assert "埋设" in zh and "planted" in en.lower() and "埋设" not in en


def test_refuses_a_folder_with_client_data(tmp_path):
    (tmp_path / "employees.csv").write_text(
        "employee_id,department\n007,销售部\n", encoding="utf-8"
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(UsageError, match="truth.json"):
        write_sample(tmp_path, employees=50, seed=1, lang="en")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_overwrites_a_previous_sample(tmp_path):
    write_sample(tmp_path, employees=60, seed=1, lang="zh")
    first = (tmp_path / "truth.json").read_text(encoding="utf-8")
    write_sample(tmp_path, employees=60, seed=2, lang="zh")
    assert (tmp_path / "truth.json").read_text(encoding="utf-8") != first
    assert load_client(tmp_path).employees.shape[0] == 60


def test_command_line(tmp_path, capsys):
    assert (
        main(["sample", str(tmp_path / "c"), "--employees", "40", "--seed", "3", "--lang", "en"])
        == 0
    )
    assert (tmp_path / "c" / "results.csv").is_file()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["sample", str(tmp_path / "d")]) == 1
    assert (tmp_path / "d" / "notes.txt").read_text(encoding="utf-8") == "mine"
