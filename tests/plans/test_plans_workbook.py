"""plan.xlsx: contract sheets and columns, formats, and client text never run as a formula."""

from pathlib import Path

import openpyxl
import pytest

from perfkit.plans import plan_development, plan_improvements, write_plan_workbook
from perfkit.rewards import compare_schemes, plan_rewards


@pytest.fixture(scope="module")
def workbook(world, tmp_path_factory):
    client, scores = world
    improvement = plan_improvements(client, scores)
    improvement.loc[0, "focus"] = '=HYPERLINK("http://evil.example","x")'
    improvement.loc[1 % len(improvement), "goal"] = "+1+1"
    path = tmp_path_factory.mktemp("out") / "plan.xlsx"
    write_plan_workbook(
        path,
        improvement,
        plan_development(client, scores),
        plan_rewards(client, scores),
        compare_schemes(client, scores),
        "zh",
    )
    return path


def test_contract_sheets_and_columns(workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames[:3] == ["improvement", "development", "rewards"]
    assert {"schemes", "growth", "说明"} <= set(wb.sheetnames)
    heads = {
        name: [c.value for c in wb[name][1]] for name in ("improvement", "development", "rewards")
    }
    assert heads["improvement"][:5] == ["employee_id", "focus", "goal", "actions", "checkpoint"]
    assert heads["development"][:5] == ["employee_id", "competency", "gap", "course_id", "format"]
    assert heads["rewards"][:5] == [
        "employee_id",
        "grade",
        "merit_increase_pct",
        "bonus_amount",
        "promotion_candidate",
    ]


def test_client_text_is_stored_as_text_not_formula(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["improvement"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+"))]
    assert {c.value for c in risky} >= {'=HYPERLINK("http://evil.example","x")', "+1+1"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    ids = [c.value for c in wb["rewards"]["A"][1:]]
    assert ids[0] == "0001"  # ids stay text


def test_formats_frozen_header_and_filter(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["rewards"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    heads = [c.value for c in ws[1]]
    assert ws.cell(2, heads.index("bonus_amount") + 1).number_format == "#,##0"
    assert ws.cell(2, heads.index("merit_increase_pct") + 1).number_format == '0.00"%"'
    assert ws["A1"].font.bold
    schemes = wb["schemes"]
    values = [c.value for row in schemes.iter_rows() for c in row]
    assert "推荐方案" in values


def test_written_atomically_without_leftovers(workbook):
    leftovers = [p for p in Path(workbook).parent.iterdir() if p.name != "plan.xlsx"]
    assert leftovers == []


def test_missing_inputs_keep_the_headers(tmp_path):
    import pandas as pd

    path = write_plan_workbook(tmp_path / "plan.xlsx", pd.DataFrame(), None, None, None, "en")
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["rewards"][1]] == [
        "employee_id",
        "grade",
        "merit_increase_pct",
        "bonus_amount",
        "promotion_candidate",
    ]
    assert "readme" in wb.sheetnames
