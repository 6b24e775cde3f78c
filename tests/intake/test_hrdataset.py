"""Real data: HRDataset_v14 loads through the committed settings and gives the published counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from perfkit.intake import load_client, validate_client

SETTINGS = Path(__file__).parents[2] / "examples" / "hrdataset-v14" / "engagement.yaml"
PUBLISHED = {  # Department -> Exceeds / Fully Meets / Needs Improvement / PIP
    "Admin Offices": (0, 9, 0, 0),
    "Executive Office": (0, 1, 0, 0),
    "IT/IS": (6, 42, 1, 1),
    "Production": (27, 159, 15, 8),
    "Sales": (2, 24, 1, 4),
    "Software Engineering": (2, 8, 1, 0),
}


def _client_folder(real_data: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "hrdataset"
    folder.mkdir()
    shutil.copy(SETTINGS, folder / "engagement.yaml")
    (folder / "HRDataset_v14.csv").symlink_to(real_data / "hrdataset-v14" / "HRDataset_v14.csv")
    return folder


def test_hrdataset_validates_with_warnings_only(real_data, tmp_path):
    report = validate_client(_client_folder(real_data, tmp_path))
    assert not report.has_errors, [p.describe() for p in report.errors]
    columns = {p.column for p in report.warnings}
    assert "ManagerID → manager_id" in columns  # manager ids are not EmpIDs in this export
    assert "Department → department" in columns  # trailing spaces, trimmed


def test_hrdataset_reproduces_published_counts(real_data, tmp_path):
    employees = load_client(_client_folder(real_data, tmp_path)).employees
    assert len(employees) == 311
    counts = pd.crosstab(employees["department"], employees["rating"]).reindex(
        columns=[4.0, 3.0, 2.0, 1.0], fill_value=0
    )
    assert {d: tuple(int(v) for v in row) for d, row in counts.iterrows()} == PUBLISHED
    assert tuple(int(v) for v in counts.sum()) == (37, 243, 18, 13)


def test_hrdataset_ids_are_text(real_data, tmp_path):
    employees = load_client(_client_folder(real_data, tmp_path)).employees
    assert employees["employee_id"].iloc[0] == "10026"
    assert "22" in set(employees["manager_id"].dropna())
    assert employees["hire_date"].dtype.kind == "M" and employees["hire_date"].notna().all()
    assert employees["base_salary"].dtype == "float64"
