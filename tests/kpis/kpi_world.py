"""Small synthetic clients for the KPI system tests: a clean one that each test plants flaws into."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from perfkit.intake import Client
from perfkit.settings import EngagementSettings

# kpi_id, role, name (en), name (zh), description (en), description (zh), weight, target, direction,
# unit, perspective, objective_id
KPIS = [
    (
        "S1",
        "sales",
        "Monthly sales revenue",
        "月度销售额",
        "Sales revenue booked per month, from the CRM report",
        "每月签约销售额,取自 CRM 报表",
        30,
        100.0,
        "higher",
        "kCNY",
        "financial",
        "OF",
    ),
    (
        "S2",
        "sales",
        "New customer count",
        "新客户数",
        "Number of new customers signed per quarter (CRM)",
        "每季度新签客户数量(CRM 系统)",
        20,
        12.0,
        "higher",
        "customers",
        "customer",
        "OC",
    ),
    (
        "S3",
        "sales",
        "Collection rate",
        "回款率",
        "Share of invoices collected within 60 days, monthly, finance system",
        "60 天内回款金额占比,月度统计,财务系统",
        20,
        90.0,
        "higher",
        "%",
        "financial",
        "OF",
    ),
    (
        "S4",
        "sales",
        "Average discount rate",
        "平均折扣率",
        "Average discount per quarter, % of list price, from ERP",
        "每季度平均折扣,占目录价的百分比,ERP 导出",
        10,
        8.0,
        "lower",
        "%",
        "process",
        "OP",
    ),
    (
        "O1",
        "ops",
        "On-time delivery rate",
        "准时交付率",
        "Orders delivered on time per month, from the WMS report",
        "每月按时交付订单占比,WMS 报表",
        30,
        95.0,
        "higher",
        "%",
        "customer",
        "OC",
    ),
    (
        "O2",
        "ops",
        "Order cycle time",
        "订单周期天数",
        "Average days from order to delivery, monthly, ERP",
        "从下单到交付的平均天数,月度,ERP 系统",
        20,
        3.0,
        "lower",
        "days",
        "process",
        "OP",
    ),
    (
        "O3",
        "ops",
        "Picking error rate",
        "拣货差错率",
        "Picking errors per 1000 lines, monthly, WMS",
        "每千行拣货差错数,月度,WMS 系统",
        15,
        2.0,
        "lower",
        "‰",
        "process",
        "OP",
    ),
    (
        "O4",
        "ops",
        "Cost per order",
        "单均成本",
        "Fulfilment cost per order, quarterly, finance report",
        "每单履约成本,季度,财务报表",
        15,
        40.0,
        "lower",
        "CNY",
        "financial",
        "OF",
    ),
    (
        "X1",
        "*",
        "Training hours",
        "培训学时",
        "Training hours completed per quarter, from the HRIS",
        "每季度完成培训学时,取自 HRIS 系统",
        20,
        16.0,
        "higher",
        "hours",
        "learning",
        "OL",
    ),
]
OBJECTIVES = [
    ("OF", "Grow profitable revenue", "增长有利润的收入", "financial"),
    ("OC", "Win and keep customers", "赢得并留住客户", "customer"),
    ("OP", "Run lean operations", "精益运营", "process"),
    ("OL", "Build capabilities", "提升组织能力", "learning"),
]
PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]


def build_tables(lang: str = "en", per_role: int = 40, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Return the tables of a clean client: every KPI sound, every role's weights 80 + 20 (``*``) = 100."""
    rng = np.random.default_rng(seed)
    zh = lang == "zh"
    kpis = pd.DataFrame(
        [
            {
                "kpi_id": k,
                "role": r,
                "name": nz if zh else ne,
                "description": dz if zh else de,
                "weight": float(w),
                "target": t,
                "direction": d,
                "unit": u,
                "perspective": p,
                "objective_id": o,
            }
            for k, r, ne, nz, de, dz, w, t, d, u, p, o in KPIS
        ]
    )
    employees = pd.DataFrame(
        {
            "employee_id": [f"E{i:03d}" for i in range(2 * per_role)],
            "department": ["Sales"] * per_role + ["Ops"] * per_role,
            "role": ["sales"] * per_role + ["ops"] * per_role,
        }
    )
    level = pd.Series(rng.normal(size=len(employees)), index=employees["employee_id"])
    cards = pd.concat(
        [employees.merge(kpis[kpis["role"] == r], on="role") for r in ("sales", "ops")]
        + [employees.assign(key=1).merge(kpis[kpis["role"] == "*"].assign(key=1), on="key")]
    )
    results = cards[["employee_id", "kpi_id", "target", "direction"]].merge(
        pd.DataFrame({"period": PERIODS}), how="cross"
    )
    results = results.sort_values(["employee_id", "period", "kpi_id"], ignore_index=True)
    z = 0.6 * level.reindex(results["employee_id"]).to_numpy() + 0.8 * rng.normal(size=len(results))
    sign = np.where(results["direction"] == "higher", 1.0, -1.0)
    results["actual"] = (results["target"] * (1 + 0.1 * sign * z)).round(3)
    results = results[["employee_id", "kpi_id", "period", "actual"]]
    objectives = pd.DataFrame(
        [
            {"objective_id": o, "name": nz if zh else ne, "perspective": p}
            for o, ne, nz, p in OBJECTIVES
        ]
    )
    return {"employees": employees, "kpis": kpis, "results": results, "objectives": objectives}


def make_client(
    tables: dict[str, pd.DataFrame], lang: str = "en", thresholds: dict | None = None
) -> Client:
    """Return a Client over the given tables, with the contract's dtypes."""
    tables = {name: frame.copy() for name, frame in tables.items()}
    for frame in tables.values():
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str").where(frame[column].notna())
    settings = EngagementSettings(language=lang, thresholds=thresholds or {})
    return Client(name="synthetic", path=Path("/nonexistent"), settings=settings, tables=tables)
