"""Fixtures of the plans tests: a synthetic client and its scores."""

import pytest

from tests.plans.world import build_world


@pytest.fixture(scope="module")
def world():
    """A 60-person Chinese-language client with pay data and its scores."""
    return build_world(60, seed=7, lang="zh")


@pytest.fixture(scope="module")
def world_en():
    """The same in English."""
    return build_world(60, seed=7, lang="en")
