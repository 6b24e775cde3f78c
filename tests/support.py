"""What many test folders share: the real public data, and a Client built from DataFrames."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from perfkit.intake import Client
from perfkit.settings import EngagementSettings

#: ``../shared/data`` beside the repository, or the folder named by $PERFKIT_REAL_DATA.
REAL_DATA = Path(
    os.environ.get("PERFKIT_REAL_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


def real_data(*parts: str) -> Path:
    """Return a file (or, with no parts, the folder) of the shared real data, or skip saying why."""
    path = REAL_DATA.joinpath(*parts)
    if not (path.is_file() if parts else path.is_dir()):
        pytest.skip(
            f"real data not available: {path} (set PERFKIT_REAL_DATA to the shared data folder)"
        )
    return path.resolve()


def make_client(tables: dict[str, pd.DataFrame], lang: str = "en", **settings) -> Client:
    """A Client built directly from DataFrames, with settings given as keywords."""
    return Client(
        name="synthetic",
        path=Path("."),
        settings=EngagementSettings(language=lang, **settings),
        tables=tables,
    )
