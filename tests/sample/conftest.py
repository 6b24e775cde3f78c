"""Shared sample clients for the sample generator's tests (generated once per session)."""

from __future__ import annotations

import pytest

from perfkit.intake import load_client
from perfkit.sample import generate_sample, write_sample

CASES = {"zh": (400, 11), "en": (300, 12)}


@pytest.fixture(scope="session", params=sorted(CASES))
def sample(request):
    """A generated sample, in each language."""
    employees, seed = CASES[request.param]
    return generate_sample(employees=employees, seed=seed, lang=request.param)


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """A sample written to disk and loaded back through the intake, in each language."""
    loaded = {}
    for lang, (employees, seed) in CASES.items():
        folder = tmp_path_factory.mktemp(f"sample-{lang}") / "client"
        write_sample(folder, employees=employees, seed=seed, lang=lang)
        loaded[lang] = (folder, load_client(folder))
    return loaded
