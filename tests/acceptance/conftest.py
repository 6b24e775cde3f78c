"""Unseen clients built once per module by the independent generator in ``unseen.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import unseen  # noqa: E402

#: (seed, scale max, pay follows ratings, gender values in Chinese)
CASES = [(11, 5, False, False), (24, 4, True, True), (38, 5, True, False)]


@pytest.fixture(scope="session", params=CASES, ids=lambda c: f"seed{c[0]}-scale1to{c[1]}")
def unseen_client(request, tmp_path_factory):
    """(client, truth, diagnosis) of one unseen client."""
    from perfkit.diagnosis import run_diagnosis
    from perfkit.intake import load_client

    seed, smax, pay, zh = request.param
    folder = tmp_path_factory.mktemp(f"unseen{seed}") / f"client{seed}"
    truth = unseen.make_client(folder, seed, scale_max=smax, pay_follows=pay, zh_gender=zh)
    client = load_client(folder)
    return client, truth, run_diagnosis(client)
