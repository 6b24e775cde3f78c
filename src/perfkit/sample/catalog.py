"""The sample's bilingual vocabulary: departments, roles, KPI definitions, competencies, names."""

from __future__ import annotations

from dataclasses import dataclass

# The vocabulary is data: one definition per line reads better than the formatter's layout.
# fmt: off


@dataclass(frozen=True)
class KpiDef:
    """A KPI as a client would define it; ``spread`` is the relative spread of results.

    ``money`` KPIs are in 万元 in Chinese and k CNY in English (target × 10); ``bound`` caps the
    actual values (percentages and 100-point scores); ``count`` KPIs have whole-number results.
    """

    zh: str
    en: str
    unit_zh: str
    unit_en: str
    direction: str
    target: float
    spread: float
    perspective: str
    objective: str
    source: str
    bound: float | None = None
    money: bool = False
    count: bool = False


@dataclass(frozen=True)
class RoleDef:
    """A role of a department; ``manager`` roles are held by department heads and team leads."""

    zh: str
    en: str
    kpis: tuple[KpiDef, ...]
    manager: bool = False
    share: float = 1.0


@dataclass(frozen=True)
class DepartmentDef:
    """A department, its share of the headcount and its roles (the manager role first)."""

    zh: str
    en: str
    share: float
    roles: tuple[RoleDef, ...]


def _k(zh, en, unit_zh, unit_en, direction, target, spread, perspective, objective, source, **kw) -> KpiDef:
    return KpiDef(zh, en, unit_zh, unit_en, direction, target, spread, perspective, objective, source, **kw)


PCT = ("%", "%")
ATTRITION = _k("团队人员流失率", "Team attrition rate", *PCT, "lower", 8, 0.25, "process", "efficiency", "hr")

#: Data sources, by key.
SOURCES: dict[str, tuple[str, str]] = {
    "crm": ("CRM系统", "CRM"),
    "finance": ("财务系统", "Finance system"),
    "erp": ("ERP系统", "ERP"),
    "wms": ("WMS仓储系统", "Warehouse system (WMS)"),
    "survey": ("客户满意度调查", "Customer survey"),
    "tickets": ("工单系统", "Ticketing system"),
    "jira": ("项目管理系统", "Project tracker (Jira)"),
    "hr": ("HR系统", "HR system"),
    "qa": ("质检系统", "Quality system"),
    "monitor": ("运维监控平台", "Monitoring platform"),
}

DEPARTMENTS: tuple[DepartmentDef, ...] = (
    DepartmentDef("销售部", "Sales", 0.28, (
        RoleDef("销售经理", "Sales Manager", (
            _k("团队销售额", "Team sales", "万元", "k CNY", "higher", 900, 0.15, "financial", "revenue", "crm", money=True),
            _k("团队毛利率", "Team gross margin", *PCT, "higher", 28, 0.14, "financial", "profit", "finance", bound=100),
            _k("大客户续约率", "Key-account renewal rate", *PCT, "higher", 80, 0.11, "customer", "retention", "crm", bound=100),
            ATTRITION,
        ), manager=True),
        RoleDef("客户经理", "Account Manager", (
            _k("销售额", "Sales revenue", "万元", "k CNY", "higher", 120, 0.18, "financial", "revenue", "crm", money=True),
            _k("回款周期", "Days sales outstanding", "天", "days", "lower", 45, 0.15, "financial", "profit", "finance"),
            _k("新签客户数", "New clients signed", "家", "clients", "higher", 12, 0.18, "customer", "retention", "crm", count=True),
            _k("客户满意度", "Client satisfaction", "分", "points", "higher", 85, 0.1, "customer", "satisfaction", "survey", bound=100),
            _k("销售费用率", "Sales expense ratio", *PCT, "lower", 6, 0.18, "financial", "profit", "finance"),
        ), share=0.5),
        RoleDef("销售代表", "Sales Representative", (
            _k("销售额", "Sales revenue", "万元", "k CNY", "higher", 60, 0.18, "financial", "revenue", "crm", money=True),
            _k("有效拜访量", "Qualified client visits", "次", "visits", "higher", 90, 0.15, "process", "efficiency", "crm", count=True),
            _k("线索转化率", "Lead conversion rate", *PCT, "higher", 18, 0.18, "customer", "retention", "crm", bound=100),
            _k("回款率", "Collection rate", *PCT, "higher", 82, 0.11, "financial", "profit", "finance", bound=100),
        ), share=0.5),
    )),
    DepartmentDef("运营部", "Operations", 0.22, (
        RoleDef("运营经理", "Operations Manager", (
            _k("订单准时交付率", "On-time delivery rate", *PCT, "higher", 85, 0.11, "process", "efficiency", "erp", bound=100),
            _k("单位物流成本", "Logistics cost per order", "元", "CNY", "lower", 32, 0.15, "financial", "profit", "erp"),
            _k("库存周转天数", "Inventory days", "天", "days", "lower", 30, 0.15, "process", "efficiency", "wms"),
            ATTRITION,
        ), manager=True),
        RoleDef("物流专员", "Logistics Coordinator", (
            _k("订单准时交付率", "On-time delivery rate", *PCT, "higher", 85, 0.11, "process", "efficiency", "erp", bound=100),
            _k("发货差错率", "Shipping error rate", *PCT, "lower", 0.8, 0.25, "process", "quality", "wms"),
            _k("单票处理时长", "Handling time per shipment", "分钟", "minutes", "lower", 25, 0.15, "process", "efficiency", "wms"),
            _k("运输破损率", "Damage-in-transit rate", *PCT, "lower", 0.5, 0.25, "customer", "quality", "erp"),
        ), share=0.55),
        RoleDef("仓储专员", "Warehouse Specialist", (
            _k("库存差异率", "Inventory discrepancy rate", *PCT, "lower", 1.5, 0.25, "process", "quality", "wms"),
            _k("拣货效率", "Picking rate", "件/小时", "lines per hour", "higher", 120, 0.15, "process", "efficiency", "wms"),
            _k("入库及时率", "On-time receiving rate", *PCT, "higher", 85, 0.11, "process", "efficiency", "wms", bound=100),
            _k("单位仓储成本", "Storage cost per pallet", "元", "CNY", "lower", 18, 0.15, "financial", "profit", "erp"),
        ), share=0.45),
    )),
    DepartmentDef("客户服务部", "Customer Service", 0.18, (
        RoleDef("客服主管", "Service Team Lead", (
            _k("客户满意度", "Customer satisfaction (CSAT)", "分", "points", "higher", 85, 0.1, "customer", "satisfaction", "survey", bound=100),
            _k("首次解决率", "First-contact resolution", *PCT, "higher", 75, 0.12, "customer", "satisfaction", "tickets", bound=100),
            _k("平均响应时长", "Average response time", "秒", "seconds", "lower", 40, 0.18, "process", "efficiency", "tickets"),
            _k("团队人员流失率", "Team attrition rate", *PCT, "lower", 10, 0.25, "process", "efficiency", "hr"),
        ), manager=True),
        RoleDef("客服专员", "Service Agent", (
            _k("首次解决率", "First-contact resolution", *PCT, "higher", 75, 0.12, "customer", "satisfaction", "tickets", bound=100),
            _k("平均处理时长", "Average handling time", "分钟", "minutes", "lower", 8, 0.15, "process", "efficiency", "tickets"),
            _k("客户满意度", "Customer satisfaction (CSAT)", "分", "points", "higher", 85, 0.1, "customer", "satisfaction", "survey", bound=100),
            _k("日均处理工单数", "Tickets handled per day", "单", "tickets", "higher", 45, 0.15, "process", "efficiency", "tickets"),
            _k("质检合格率", "QA pass rate", *PCT, "higher", 82, 0.11, "process", "quality", "qa", bound=100),
        )),
    )),
    DepartmentDef("信息技术部", "IT", 0.14, (
        RoleDef("技术经理", "Engineering Manager", (
            _k("项目按期交付率", "On-time project delivery", *PCT, "higher", 80, 0.12, "process", "digital", "jira", bound=100),
            _k("系统故障时长", "System downtime", "小时", "hours", "lower", 6, 0.25, "process", "quality", "monitor"),
            _k("IT预算偏差率", "IT budget variance", *PCT, "lower", 5, 0.25, "financial", "profit", "finance"),
            ATTRITION,
        ), manager=True),
        RoleDef("软件工程师", "Software Engineer", (
            _k("需求交付量", "Story points delivered", "点", "points", "higher", 60, 0.18, "process", "digital", "jira"),
            _k("缺陷密度", "Defect density", "个/千行", "per KLOC", "lower", 1.2, 0.2, "process", "quality", "qa"),
            _k("代码评审通过率", "Code-review pass rate", *PCT, "higher", 80, 0.12, "process", "quality", "jira", bound=100),
            _k("缺陷修复时长", "Bug-fix time", "小时", "hours", "lower", 16, 0.2, "customer", "satisfaction", "jira"),
        ), share=0.6),
        RoleDef("运维工程师", "IT Operations Engineer", (
            _k("工单平均解决时长", "Ticket resolution time", "小时", "hours", "lower", 8, 0.18, "customer", "satisfaction", "tickets"),
            _k("变更成功率", "Change success rate", *PCT, "higher", 85, 0.11, "process", "quality", "monitor", bound=100),
            _k("故障响应时长", "Incident response time", "分钟", "minutes", "lower", 15, 0.18, "process", "digital", "monitor"),
        ), share=0.4),
    )),
    DepartmentDef("财务部", "Finance", 0.09, (
        RoleDef("财务经理", "Finance Manager", (
            _k("月结及时率", "On-time month-end close", *PCT, "higher", 85, 0.11, "process", "efficiency", "finance", bound=100),
            _k("预算偏差率", "Budget variance", *PCT, "lower", 5, 0.25, "financial", "profit", "finance"),
            _k("资金成本率", "Cost of funds", *PCT, "lower", 4.5, 0.12, "financial", "profit", "finance"),
        ), manager=True),
        RoleDef("会计", "Accountant", (
            _k("凭证差错率", "Voucher error rate", *PCT, "lower", 1.0, 0.25, "process", "quality", "finance"),
            _k("报表提交及时率", "On-time reporting", *PCT, "higher", 85, 0.11, "process", "efficiency", "finance", bound=100),
            _k("发票处理时长", "Invoice processing time", "天", "days", "lower", 3, 0.2, "process", "efficiency", "erp"),
            _k("对账完成率", "Reconciliation completion", *PCT, "higher", 85, 0.11, "financial", "profit", "finance", bound=100),
        ), share=0.6),
        RoleDef("财务分析师", "Financial Analyst", (
            _k("预测准确率", "Forecast accuracy", *PCT, "higher", 82, 0.11, "financial", "profit", "finance", bound=100),
            _k("分析报告交付数", "Analysis reports delivered", "份", "reports", "higher", 12, 0.18, "process", "efficiency", "finance", count=True),
            _k("成本节约额", "Cost savings identified", "万元", "k CNY", "higher", 30, 0.2, "financial", "profit", "finance", money=True),
            _k("报告返工率", "Report rework rate", *PCT, "lower", 10, 0.22, "process", "quality", "finance"),
        ), share=0.4),
    )),
    DepartmentDef("人力资源部", "Human Resources", 0.09, (
        RoleDef("人力资源经理", "HR Manager", (
            _k("关键岗位到岗率", "Key-role fill rate", *PCT, "higher", 82, 0.11, "process", "efficiency", "hr", bound=100),
            _k("员工流失率", "Employee attrition rate", *PCT, "lower", 10, 0.2, "process", "efficiency", "hr"),
            _k("人均人力成本", "HR cost per employee", "元", "CNY", "lower", 3500, 0.12, "financial", "profit", "finance"),
            _k("绩效面谈完成率", "Appraisal interview completion", *PCT, "higher", 85, 0.11, "process", "quality", "hr", bound=100),
        ), manager=True),
        RoleDef("招聘专员", "Recruiter", (
            _k("招聘到岗人数", "Hires made", "人", "hires", "higher", 15, 0.18, "process", "efficiency", "hr", count=True),
            _k("平均招聘周期", "Time to hire", "天", "days", "lower", 35, 0.15, "process", "efficiency", "hr"),
            _k("试用期留存率", "Probation retention rate", *PCT, "higher", 82, 0.11, "process", "quality", "hr", bound=100),
            _k("单人招聘成本", "Cost per hire", "元", "CNY", "lower", 4000, 0.15, "financial", "profit", "finance"),
        ), share=0.55),
        RoleDef("薪酬福利专员", "Compensation & Benefits Specialist", (
            _k("薪资核算差错率", "Payroll error rate", *PCT, "lower", 0.5, 0.25, "process", "quality", "hr"),
            _k("薪酬发放及时率", "On-time payroll", *PCT, "higher", 85, 0.11, "process", "efficiency", "hr", bound=100),
            _k("员工咨询响应时长", "Employee query response time", "小时", "hours", "lower", 24, 0.18, "customer", "satisfaction", "hr"),
        ), share=0.45),
    )),
)

#: The chief executive's office: one person, the CEO, to whom the department heads report.
EXECUTIVE = DepartmentDef("总经办", "Executive Office", 0.0, (
    RoleDef("总经理", "General Manager", (
        _k("公司营收", "Company revenue", "万元", "k CNY", "higher", 24000, 0.1, "financial", "revenue", "finance", money=True),
        _k("净利润率", "Net profit margin", *PCT, "higher", 12, 0.15, "financial", "profit", "finance", bound=100),
        _k("客户净推荐值", "Net promoter score", "分", "points", "higher", 40, 0.2, "customer", "satisfaction", "survey", bound=100),
    ), manager=True),
))

#: The KPI every role shares (``role = *``), with its weight.
SHARED_KPI = _k("内部协作满意度", "Internal collaboration score", "分", "points", "higher", 85, 0.1,
                "customer", "satisfaction", "survey", bound=100)
SHARED_WEIGHT = 10

#: KPIs appended to the role planted with too many KPIs.
FILLER_KPIS: tuple[KpiDef, ...] = (
    _k("工作计划完成率", "Work-plan completion", *PCT, "higher", 85, 0.11, "process", "efficiency", "jira", bound=100),
    _k("流程合规率", "Process compliance rate", *PCT, "higher", 85, 0.11, "process", "quality", "qa", bound=100),
    _k("文档及时提交率", "On-time documentation", *PCT, "higher", 82, 0.11, "process", "efficiency", "jira", bound=100),
    _k("费用预算执行率", "Spend against budget", *PCT, "lower", 95, 0.1, "financial", "profit", "finance"),
    _k("跨部门需求响应时长", "Cross-team response time", "小时", "hours", "lower", 24, 0.18, "customer", "satisfaction", "tickets"),
    _k("改进提案采纳数", "Improvement ideas adopted", "条", "ideas", "higher", 10, 0.2, "process", "quality", "jira", count=True),
)

#: Vague KPIs: no number, no unit, no period, no target (KPI_NOT_MEASURABLE).
VAGUE_KPIS: tuple[tuple[str, str, str, str], ...] = (
    ("工作态度", "Work attitude", "工作积极主动,认真负责", "Is proactive and takes responsibility"),
    ("团队合作精神", "Team spirit", "具有良好的团队合作精神", "Shows good team spirit"),
    ("综合表现", "Overall conduct", "整体表现良好,服从安排", "Generally performs well and follows instructions"),
)

#: Strategic objectives: key, zh, en, perspective, weight (no learning objective: see flaws).
OBJECTIVES: tuple[tuple[str, str, str, str, int], ...] = (
    ("revenue", "营收增长 15%", "Grow revenue by 15%", "financial", 20),
    ("profit", "利润率提升 2 个百分点", "Raise the profit margin by 2 points", "financial", 15),
    ("satisfaction", "客户满意度达到 90 分", "Reach a customer satisfaction of 90", "customer", 15),
    ("retention", "客户留存率达到 85%", "Retain 85% of clients", "customer", 10),
    ("efficiency", "运营效率提升 10%", "Improve operational efficiency by 10%", "process", 15),
    ("quality", "差错率下降 20%", "Cut error rates by 20%", "process", 15),
    ("digital", "核心流程数字化", "Digitise the core processes", "process", 10),
)

#: Competencies rated in the 360° reviews.
COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("客户导向", "Customer focus"),
    ("团队协作", "Teamwork"),
    ("沟通表达", "Communication"),
    ("专业能力", "Professional expertise"),
    ("执行力", "Execution"),
    ("创新改进", "Innovation"),
)

#: Training formats: key, zh course name, en course name, hours, cost (CNY).
FORMATS: tuple[tuple[str, str, str, int, int], ...] = (
    ("classroom", "{c}工作坊", "{c} workshop", 14, 2800),
    ("online", "{c}在线课程", "{c} e-learning", 6, 400),
    ("coaching", "{c}一对一辅导", "{c} one-to-one coaching", 10, 6000),
    ("mentoring", "{c}导师计划", "{c} mentoring programme", 24, 1200),
    ("stretch_assignment", "{c}挑战性任务", "{c} stretch assignment", 40, 0),
    ("external", "{c}外部认证课程", "External {c} certificate course", 24, 9000),
)

LEVELS = ("L1", "L2", "L3", "L4", "L5")
#: Annual salary midpoints by level (CNY) and the bonus target (% of base).
MIDPOINTS = (96_000, 144_000, 216_000, 324_000, 480_000)
CEO_MIDPOINT = 1_200_000
BONUS_TARGET_PCT = (10, 12, 15, 20, 30)

LOCATIONS: dict[str, tuple[str, ...]] = {
    "zh": ("上海", "北京", "广州", "成都"),
    "en": ("Shanghai", "Beijing", "Guangzhou", "Chengdu"),
}
CLIENTS: dict[str, tuple[str, ...]] = {
    "zh": ("华东智联科技有限公司", "江南物流集团", "远航商贸股份有限公司", "蓝海数字服务有限公司"),
    "en": ("Eastwind Logistics Ltd.", "Harbour Trading Co.", "Bluewater Digital Services", "Northstar Supply Group"),
}

SURNAMES_ZH = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN_ZH = {
    "F": tuple("芳娜敏静丽艳娟霞婷雪琳慧颖洁玲倩佳欣怡悦晴雅萍红梅兰"),
    "M": tuple("伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆哲"),
    "X": tuple("文建国志晓海嘉子思一宏晨瑞安天永立新春俊云"),
}
FIRST_EN = {
    "F": ("Amy", "Grace", "Lily", "Emma", "Sophia", "Olivia", "Chloe", "Hannah", "Zoe", "Iris", "Mia", "Ruby",
          "Vivian", "Helen", "Cindy", "Sarah", "Laura", "Julia", "Nina", "Wendy"),
    "M": ("James", "David", "Kevin", "Leo", "Jack", "Ethan", "Ryan", "Eric", "Tony", "Frank", "Oscar", "Henry",
          "Victor", "Peter", "Daniel", "Alan", "Simon", "Louis", "Martin", "Sam"),
}
SURNAMES_EN = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
               "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng",
               "Deng", "Cao", "Peng", "Zeng", "Tian", "Dong", "Pan", "Jiang", "Cai", "Ye", "Su", "Lu", "Shen", "Yao")
# fmt: on
