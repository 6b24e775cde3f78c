"""Shared fixtures: a small valid client folder written as CSV, and the real-data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

EMPLOYEES = """employee_id,department,name,role,manager_id,hire_date,gender,base_salary,rating
001,Sales,Ann,sales,,2020-01-15,F,100000,4
002,Sales,Bob,sales,001,2021-03-01,M,90000,3
003,IT,Cai,engineer,001,2019-07-01,F,120000,3
004,IT,Dan,engineer,003,2022-05-20,M,95000,2
"""
KPIS = """kpi_id,name,role,weight,target,direction
K1,Revenue,sales,60,100,higher
K2,Complaints,sales,40,5,lower
K3,Tickets closed,engineer,100,50,higher
"""
RESULTS = """employee_id,kpi_id,period,actual
001,K1,2025Q1,110
001,K2,2025Q1,4
002,K1,2025Q1,90
002,K2,2025Q1,6
003,K3,2025Q1,55
004,K3,2025Q1,40
"""
RATINGS = """employee_id,rater_id,relation,period,competency,score
002,001,manager,2025Q1,teamwork,4
002,002,self,2025Q1,teamwork,5
004,003,manager,2025Q1,teamwork,3
"""
TABLES = {"employees": EMPLOYEES, "kpis": KPIS, "results": RESULTS, "ratings": RATINGS}


def write_tables(folder: Path, tables: dict[str, str | bytes]) -> Path:
    """Write tables (text as UTF-8, or raw bytes) as ``<name>.csv`` unless the name has a suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        path = folder / (name if "." in name else f"{name}.csv")
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.fixture
def small_client(tmp_path: Path) -> Path:
    """A valid client folder of four employees, three KPIs, results and ratings."""
    return write_tables(tmp_path / "client", TABLES)


@pytest.fixture
def real_data() -> Path:
    """The shared real public data (``../shared/data`` beside the repo, or $PERFKIT_REAL_DATA)."""
    from tests.support import real_data as shared_data

    return shared_data()


@pytest.fixture
def make_client():
    """Return a function writing tables into a folder: ``make_client(folder, {"employees": text})``."""
    return write_tables


@pytest.fixture
def client_texts() -> dict[str, str]:
    """The CSV text of each table of :func:`small_client`."""
    return dict(TABLES)
