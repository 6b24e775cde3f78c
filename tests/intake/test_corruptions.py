"""Random corruptions of a small valid client end in success or a PerfkitError, nothing else."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfkit.errors import PerfkitError
from perfkit.intake import load_client

TABLES = ("employees.csv", "kpis.csv", "results.csv", "ratings.csv")


def _corrupt(folder: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(TABLES), label="file")
    path = folder / name
    raw = bytearray(path.read_bytes())
    kind = data.draw(
        st.sampled_from(["flip", "truncate", "cell", "drop_column", "bytes", "yaml"]), label="kind"
    )
    if kind == "flip" and raw:
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] = data.draw(st.integers(0, 255))
        path.write_bytes(bytes(raw))
    elif kind == "truncate":
        path.write_bytes(bytes(raw[: data.draw(st.integers(0, len(raw)))]))
    elif kind == "cell":
        lines = raw.decode("utf-8").splitlines()
        row = data.draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(",")
        cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(
            st.sampled_from(
                [
                    "",
                    " ",
                    "十二",
                    "１２",
                    "nan",
                    "-1e309",
                    '"',
                    "a,b",
                    "\t",
                    "NULL",
                    "007",
                    "9" * 40,
                ]
            )
        )
        lines[row] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "drop_column":
        lines = raw.decode("utf-8").splitlines()
        drop = data.draw(st.integers(0, lines[0].count(",")))
        path.write_text(
            "\n".join(
                ",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines
            ),
            encoding="utf-8",
        )
    elif kind == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=300)))
    else:
        (folder / "engagement.yaml").write_text(data.draw(st.text(max_size=60)), encoding="utf-8")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_corruptions_end_in_success_or_perfkit_error(small_client, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("corrupt") / "client"
    shutil.copytree(small_client, folder)
    _corrupt(folder, data)
    with contextlib.suppress(PerfkitError):
        load_client(folder)
