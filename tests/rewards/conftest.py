"""Fixtures of the rewards tests: the synthetic client of the plans tests."""

import pytest

from tests.plans.world import build_world


@pytest.fixture(scope="module")
def world():
    """A 60-person Chinese-language client with pay data and its scores."""
    return build_world(60, seed=7, lang="zh")
