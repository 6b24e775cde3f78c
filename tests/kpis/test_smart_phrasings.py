"""The SMART lint on realistic KPI phrasings, in English and Chinese, with expected verdicts."""

from __future__ import annotations

import pytest

from perfkit.kpis.smart import lint_definition

# text, numeric target (None: the table has none), measurable, specific, time-bound
EN = [
    ("Monthly sales revenue", 100, True, True, True),
    ("Improve customer satisfaction", None, False, False, False),
    ("Raise customer satisfaction score to 90% by Q4", None, True, True, True),
    ("Improve NPS to 45 by year-end", None, True, True, True),
    ("Enhance teamwork", None, False, False, False),
    ("Ensure compliance with company policies", None, False, False, False),
    ("Support the sales team actively", None, False, False, False),
    ("On-time delivery rate ≥ 95% per month", None, True, True, True),
    ("Average ticket resolution time under 24 hours, monthly", None, True, True, True),
    ("Reduce cost per order to CNY 40 quarterly", None, True, True, True),
    ("Number of new customers signed per quarter", 12, True, True, True),
    ("Employee turnover rate below 8% annually", None, True, True, True),
    ("Strengthen communication with other departments", None, False, False, False),
    ("Optimize warehouse processes", None, False, False, False),
    ("Days sales outstanding (DSO)", 45, True, True, False),
    ("Gross margin", 32, True, True, False),
    ("Promote the company culture", None, False, False, False),
    ("Complete 16 training hours per quarter", None, True, True, True),
    ("Customer complaints per 1,000 orders, monthly", 2, True, True, True),
    ("Be a good team player", None, False, False, False),
    ("Help colleagues when needed", None, False, False, False),
    ("Close the monthly books within 5 working days", None, True, True, True),
    ("Achieve 100% of the annual sales quota", None, True, True, True),
    ("Increase market share", None, False, True, False),
    ("Maintain good relationships with key accounts", None, False, False, False),
    ("System uptime of 99.9% per month", None, True, True, True),
    ("First-call resolution rate", 80, True, True, False),
    ("Continue to improve product quality", None, False, False, False),
    ("Deliver the ERP upgrade project by end of June", None, False, False, True),
    ("Payroll accuracy 99.5%, monthly, per payroll system", None, True, True, True),
    ("Actively participate in team meetings", None, False, False, False),
    ("Budget variance within ±5% per quarter", None, True, True, True),
    ("Hire 20 engineers by December 2025", None, True, True, True),
    ("Sales growth of 15% year over year", None, True, True, True),
    ("Improve customer satisfaction", 90, True, True, False),
    ("Enhance teamwork", 4, False, False, False),
    ("Support 3 projects in Q2", None, True, False, True),
    ("Revenue per FTE (kCNY/year)", 800, True, True, True),
    ("At least 60 qualified customer visits per quarter", None, True, True, True),
]

ZH = [
    ("月度销售额", 100, True, True, True),
    ("提升客户满意度", None, False, False, False),
    ("将客户满意度提升至 90%", None, True, True, False),
    ("每季度客户满意度调查得分不低于 4.5 分", None, True, True, True),
    ("加强团队建设", None, False, False, False),
    ("确保安全生产", None, False, False, False),
    ("积极配合其他部门工作", None, False, False, False),
    ("准时交付率 ≥ 95%(每月)", None, True, True, True),
    ("客户投诉处理及时率", 98, True, True, False),
    ("年度销售回款率达到 95%", None, True, True, True),
    ("新客户开发数量每季度不少于 12 家", None, True, True, True),
    ("员工流失率控制在 8% 以内(年度)", None, True, True, True),
    ("优化工作流程", None, False, False, False),
    ("推进数字化转型", None, False, False, False),
    ("应收账款周转天数", 45, True, True, False),
    ("毛利率", 32, True, True, False),
    ("努力提高工作质量", None, False, False, False),
    ("每季度完成培训学时 16 小时", None, True, True, True),
    ("每千单投诉数,月度统计", 2, True, True, True),
    ("做好本职工作", None, False, False, False),
    ("12月底前完成 ERP 系统上线", None, False, False, True),
    ("财务月结在 5 个工作日内完成", None, True, True, True),
    ("完成年度销售指标的 100%", None, True, True, True),
    ("提高市场占有率", None, False, False, False),
    ("维护好重点客户关系", None, False, False, False),
    ("系统可用率不低于 99.9%(每月)", None, True, True, True),
    ("首次解决率", 80, True, True, False),
    ("持续改善产品质量", None, False, False, False),
    ("人均产值(万元/人/年)", 50, True, True, True),
    ("薪资发放准确率 99.5%,每月,薪酬系统", None, True, True, True),
    ("积极参加部门会议", None, False, False, False),
    ("预算偏差控制在 ±5% 以内(季度)", None, True, True, True),
    ("2025年底前招聘 20 名工程师", None, True, True, True),
    ("同比销售增长 15%", None, True, True, True),
    ("加强与客户的沟通,客户满意度提升至 92%", None, True, True, False),
    ("三天内完成报销审核", None, True, True, True),
    ("提升客户满意度", 90, True, True, False),
    ("加强团队建设", 4, False, False, False),
    ("有效拜访量", 20, True, True, False),
    ("每季度有效拜访量不低于 60 次", None, True, True, True),
    ("有效沟通", None, False, False, False),
]


@pytest.mark.parametrize(
    ("text", "target", "measurable", "specific", "time_bound"),
    EN + ZH,
    ids=[row[0] for row in EN + ZH],
)
def test_phrasing_verdict(text, target, measurable, specific, time_bound):
    verdict = lint_definition(text, target=target, lang="en")
    assert (verdict.measurable, verdict.specific, verdict.time_bound) == (
        measurable,
        specific,
        time_bound,
    )


def test_enough_phrasings_per_language():
    assert len(EN) >= 30 and len(ZH) >= 30


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("Sales revenue from the CRM report", None, True),
        ("Collection rate per finance", None, True),
        ("Monthly sales revenue", "Salesforce", True),
        ("Monthly sales revenue", None, False),
        ("回款率,取自财务系统", None, True),
        ("月度销售额,ERP 导出", None, True),
        ("月度销售额", "销售台账", True),
        ("月度销售额", None, False),
    ],
)
def test_data_source(text, column, expected):
    assert lint_definition(text, target=1.0, data_source=column).data_source is expected


def test_reasons_follow_the_language():
    zh = lint_definition("提升客户满意度", lang="zh")
    en = lint_definition("提升客户满意度", lang="en")
    assert "没有数值目标" in zh.reasons and "no numeric target" in en.reasons
    assert any("提升" in r for r in zh.reasons)
    assert zh.score == en.score == 0.0


def test_score_counts_the_criteria_met():
    assert lint_definition("Monthly sales revenue from the CRM", target=100).score == 1.0
    assert lint_definition("Gross margin", target=32).score == 0.5
