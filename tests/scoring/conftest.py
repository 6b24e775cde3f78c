"""Small synthetic clients for the scoring tests, built in memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from perfkit.intake import Client
from perfkit.settings import parse_settings


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("str")
    return frame


def build_client(tables: dict[str, pd.DataFrame], name: str = "test", **settings) -> Client:
    """Return a Client from DataFrames (text columns as ``str``) and settings given as keywords."""
    tables = {k: _text(v) for k, v in tables.items()}
    if "kpis" in tables and "direction" not in tables["kpis"]:
        tables["kpis"]["direction"] = "higher"
    return Client(name, Path("."), parse_settings(settings), tables)


@pytest.fixture
def make_client():
    """The :func:`build_client` factory."""
    return build_client
