"""Loading a client: types, mapping, conversions and every problem at once."""

from __future__ import annotations

import pandas as pd
import pytest

from perfkit.errors import DataError, UsageError
from perfkit.intake import load_client, read_client


def test_small_client_loads_with_contract_dtypes(small_client):
    client = load_client(small_client)
    employees = client.employees
    assert employees["employee_id"].tolist() == ["001", "002", "003", "004"]
    assert employees["employee_id"].dtype == "str"
    assert employees["rating"].dtype == "float64"
    assert employees["hire_date"].dtype.kind == "M"
    assert client.table("kpis")["direction"].tolist() == ["higher", "lower", "higher"]
    assert client.table("results")["actual"].dtype == "float64"
    assert client.periods == ["2025Q1"]
    assert client.notes == []


def test_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        load_client(tmp_path / "nope")


def test_every_problem_at_once_across_tables(tmp_path, make_client, client_texts):
    folder = make_client(
        tmp_path / "c",
        {
            "employees": client_texts["employees"] + "004,IT,Eve,engineer,,2022-01-01,F,1,9\n",
            "kpis": client_texts["kpis"].replace(
                "K3,Tickets closed,engineer,100", "K3,Tickets closed,engineer,-100"
            ),
            "results": client_texts["results"] + "099,K9,2025Q1,十二\n",
        },
    )
    with pytest.raises(DataError) as caught:
        load_client(folder, lang="en")
    text = str(caught.value)
    assert "employees.csv row 6, column 'employee_id'" in text  # duplicate
    assert "employees.csv row 6, column 'rating': '9'" in text  # off scale
    assert "kpis.csv row 4, column 'weight': '-100'" in text
    assert "results.csv row 8, column 'actual': '十二' is not a number" in text
    assert (
        "results.csv row 8, column 'employee_id': '099'" in text
    )  # cross-table, despite errors above
    assert "results.csv row 8, column 'kpi_id': 'K9'" in text


def test_text_ratings_through_labels_case_and_space_insensitive(tmp_path, make_client):
    employees = "employee_id,department,rating\n1,A,Fully  meets\n2,A,EXCEEDS\n3,A,3\n"
    folder = make_client(
        tmp_path / "c",
        {
            "employees": employees,
            "engagement.yaml": "rating_labels: {Exceeds: 4, Fully Meets: 3}\n",
        },
    )
    assert load_client(folder).employees["rating"].tolist() == [3.0, 4.0, 3.0]


def test_fullwidth_digits_read_and_announced(tmp_path, make_client):
    folder = make_client(
        tmp_path / "c", {"employees": "employee_id,department,base_salary\n1,A,１２３４５\n"}
    )
    client = load_client(folder, lang="en")
    assert client.employees["base_salary"].tolist() == [12345.0]
    assert any("full-width" in n.expected for n in client.notes)


def test_gbk_with_chinese_headers_and_mapping(tmp_path, make_client):
    content = "工号,部门,评级\n007,销售部,良好\n008,技术部,优秀\n".encode("gbk")
    settings = (
        "columns: {employees: {工号: employee_id, 部门: department, 评级: rating}}\n"
        "rating_labels: {优秀: 5, 良好: 4}\n"
    )
    folder = make_client(tmp_path / "c", {"employees": content, "engagement.yaml": settings})
    employees = load_client(folder).employees
    assert employees["employee_id"].tolist() == ["007", "008"]
    assert employees["department"].tolist() == ["销售部", "技术部"]
    assert employees["rating"].tolist() == [4.0, 5.0]


def test_values_mapping_and_extra_columns_kept(tmp_path, make_client, client_texts):
    kpis = "kpi_id,name,role,weight,direction,Owner\nK1,Cost,*,100,越低越好,王\n"
    folder = make_client(
        tmp_path / "c",
        {
            "employees": client_texts["employees"],
            "kpis": kpis,
            "engagement.yaml": "values: {kpis: {direction: {越高越好: higher, 越低越好: lower}}}\n",
        },
    )
    frame = load_client(folder).table("kpis")
    assert frame["direction"].tolist() == ["lower"]
    assert frame["Owner"].tolist() == ["王"]


def test_float_written_ids_read_as_whole_ids(tmp_path, make_client):
    employees = "employee_id,department,manager_id\n1,A,\n2,A,1.0\n22,B,2.0\n"
    client = load_client(make_client(tmp_path / "c", {"employees": employees}), lang="en")
    assert client.employees["manager_id"].tolist()[1:] == ["1", "2"]
    assert any("22.0" in n.expected for n in client.notes)


def test_workbook_with_sheet_per_table_and_settings_beside(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Employees"
    sheet.append(["employee_id", "department", "rating"])
    sheet.append([7.0, "IT", "Top"])
    sheet.append(["008", "Sales", 3])
    kpis = book.create_sheet("kpis")
    kpis.append(["kpi_id", "name", "role", "weight"])
    kpis.append(["K1", "Revenue", "*", 100])
    book.save(tmp_path / "acme.xlsx")
    (tmp_path / "acme.yaml").write_text("rating_labels: {top: 5}\n", encoding="utf-8")
    client = load_client(tmp_path / "acme.xlsx")
    assert client.name == "acme"
    assert client.employees["employee_id"].tolist() == ["7", "008"]
    assert client.employees["rating"].tolist() == [5.0, 3.0]
    assert client.sources["kpis"] == "acme.xlsx[kpis]"


def test_parquet_table(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    pd.DataFrame({"employee_id": [7, 8], "department": ["a", "b"], "rating": [3, 4]}).to_parquet(
        folder / "employees.parquet"
    )
    employees = load_client(folder).employees
    assert employees["employee_id"].tolist() == ["7", "8"]
    assert employees["rating"].dtype == "float64"


def test_tables_setting_names_the_file(tmp_path, make_client, client_texts):
    folder = make_client(
        tmp_path / "c",
        {
            "export 2025.csv": client_texts["employees"],
            "engagement.yaml": "tables: {employees: export 2025.csv}\n",
        },
    )
    assert len(load_client(folder).employees) == 4


def test_read_client_returns_problems_without_raising(tmp_path, make_client):
    folder = make_client(tmp_path / "c", {"employees": "employee_id,dept\n1,A\n"})
    client, problems = read_client(folder, lang="en")
    assert [p.column for p in problems if p.severity == "error"] == ["department"]
    assert "employees" not in client.tables or client.employees is not None


def test_two_files_for_one_table_are_refused(small_client):
    (small_client / "kpis.parquet").write_bytes(b"PAR1")
    with pytest.raises(DataError, match="more than one file"):
        load_client(small_client, lang="en")
