"""engagement.yaml: errors name the key, what it got and what it expects; YAML errors the line."""

from __future__ import annotations

import pytest

from perfkit.errors import SettingsError
from perfkit.settings import EngagementSettings, load_settings, parse_settings


def test_defaults_without_a_file(tmp_path):
    assert load_settings(tmp_path) == EngagementSettings()


def test_unknown_key_is_refused_by_name():
    with pytest.raises(SettingsError, match="unknown key 'languag'"):
        parse_settings({"languag": "en", "language": "en"})


def test_wrong_type_names_key_got_and_expected():
    with pytest.raises(SettingsError, match=r"key 'scale.max': got 'five'; expected"):
        parse_settings({"language": "en", "scale": {"max": "five"}})


def test_impossible_value_is_refused():
    with pytest.raises(SettingsError, match="score_mix"):
        parse_settings({"language": "en", "score_mix": {"kpi": 0.9, "competency": 0.3}})


def test_malformed_yaml_names_file_and_line(tmp_path):
    (tmp_path / "engagement.yaml").write_text(
        "language: en\nscale: {min: 1\nclient: x\n", encoding="utf-8"
    )
    with pytest.raises(SettingsError, match=r"engagement.yaml line \d+"):
        load_settings(tmp_path)


def test_unknown_table_in_columns_and_tables():
    with pytest.raises(SettingsError, match="unknown table"):
        parse_settings({"language": "en", "tables": {"staff": "x.csv"}})


def test_numeric_yaml_keys_become_text():
    settings = parse_settings(
        {"rating_labels": {1: 1.0}, "columns": {"employees": {101: "employee_id"}}}
    )
    assert settings.columns["employees"] == {"101": "employee_id"}


def test_language_unknown_gives_both_languages():
    with pytest.raises(SettingsError) as caught:
        parse_settings({"scal": 1})
    assert "未知的键" in str(caught.value) and "unknown key" in str(caught.value)
