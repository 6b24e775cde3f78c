"""Fixtures of the KPI system tests: the clean synthetic client's tables, in each language."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.kpis.kpi_world import build_tables


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return build_tables("en")


@pytest.fixture
def tables_zh() -> dict[str, pd.DataFrame]:
    return build_tables("zh")
