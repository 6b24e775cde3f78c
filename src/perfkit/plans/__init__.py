"""Plans: improvement (绩效改进), development (员工发展) and feedback content (绩效反馈)."""

from perfkit.plans.actions import ACTIONS, Action, select_actions
from perfkit.plans.dates import period_end, plan_start
from perfkit.plans.development import (
    DEVELOPMENT_COLUMNS,
    DevelopmentPlan,
    plan_development,
    rank_courses,
)
from perfkit.plans.feedback import FeedbackContent, build_feedback
from perfkit.plans.improvement import (
    DECLINING_PATTERNS,
    IMPROVEMENT_COLUMNS,
    plan_improvements,
    select_improvement_employees,
)
from perfkit.plans.standing import competency_standing, kpi_standing

__all__ = [
    "ACTIONS",
    "DECLINING_PATTERNS",
    "DEVELOPMENT_COLUMNS",
    "IMPROVEMENT_COLUMNS",
    "Action",
    "DevelopmentPlan",
    "FeedbackContent",
    "build_feedback",
    "competency_standing",
    "kpi_standing",
    "period_end",
    "plan_development",
    "plan_improvements",
    "plan_start",
    "rank_courses",
    "select_actions",
    "select_improvement_employees",
    "write_plan_workbook",
]


def __getattr__(name: str):  # noqa: ANN202
    # openpyxl (≈ 0.3 s to import) only where the workbook is written: a forked writer, not the
    # process that runs the analyses.
    if name == "write_plan_workbook":
        from perfkit.plans.workbook import write_plan_workbook

        return write_plan_workbook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
