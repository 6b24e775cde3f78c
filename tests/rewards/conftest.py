"""Fixtures of the rewards tests: the synthetic client of the plans tests."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "plans"))

from world import build_world  # noqa: E402


@pytest.fixture(scope="module")
def world():
    """A 60-person Chinese-language client with pay data and its scores."""
    return build_world(60, seed=7, lang="zh")
