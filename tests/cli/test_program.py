"""The ``perfkit`` program itself: its exit status, and the imports it spares a report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PERFKIT = Path(sys.executable).with_name("perfkit")


def test_the_program_exits_with_the_commands_status(tmp_path):
    ok = subprocess.run([PERFKIT, "--help"], capture_output=True, text=True)
    assert ok.returncode == 0 and "report" in ok.stdout
    missing = subprocess.run(
        [PERFKIT, "diagnose", str(tmp_path / "nowhere"), "--json", str(tmp_path / "f.json")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_unused_imports_are_skipped_and_notebooks_still_validate():
    script = """
import sys
from perfkit.cli import UNUSED_IMPORTS, skip_unused_imports
skip_unused_imports()
import jsonschema, nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
try:
    nbformat.validate({"nbformat": 4})
except nbformat.ValidationError:
    pass
else:
    raise SystemExit("an invalid notebook passed")
print(all(sys.modules[name] is None for name in UNUSED_IMPORTS))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
