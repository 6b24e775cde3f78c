"""Fixtures of the rater tests: a planted and a clean synthetic 360°."""

from __future__ import annotations

import pytest

from perfkit.intake import Client
from tests.raters.synthetic_360 import Plant, make_360
from tests.support import make_client


@pytest.fixture
def planted() -> tuple[Plant, Client]:
    plant = Plant(
        lenient=["M03"],
        severe=["M07"],
        central=["M05"],
        halo=["E0901"],
        inflators=["E0102", "E0604", "E1006"],
    )
    employees, ratings = make_360(seed=1, plant=plant)
    return plant, make_client({"employees": employees, "ratings": ratings})


@pytest.fixture
def clean() -> Client:
    employees, ratings = make_360(seed=2)
    return make_client({"employees": employees, "ratings": ratings})
