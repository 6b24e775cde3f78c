"""The action library of improvement plans: documented actions, as data, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass

from perfkit.language import pick


@dataclass(frozen=True)
class Action:
    """One improvement action.

    Attributes
    ----------
    key : str
        Stable identifier (``kpi_coaching``).
    kind : {"training", "coaching", "job_adjustment", "resources"}
    focus : {"kpi", "competency", "any"}
        The kind of focus area it serves.
    when : {"always", "severe", "course"}
        ``always``; ``severe`` only when the focus is far off target (attainment below
        :data:`SEVERE_ATTAINMENT` or a competency gap of 2 levels or more); ``course`` only
        when the training catalog has a course for the competency (``{course}`` names it).
    zh, en : str
        The action, with ``{focus}`` (and ``{course}``) fields.
    """

    key: str
    kind: str
    focus: str
    when: str
    zh: str
    en: str

    def text(self, lang: str, **fields: str) -> str:
        """Return the action in ``lang`` with its fields filled."""
        return pick(lang, zh=self.zh, en=self.en).format(**fields)


#: A KPI whose attainment is below this share of target counts as far off target.
SEVERE_ATTAINMENT = 0.7
#: A competency gap of at least this many levels counts as severe.
SEVERE_GAP = 2.0

ACTIONS: tuple[Action, ...] = (
    Action(
        "kpi_coaching",
        "coaching",
        "kpi",
        "always",
        "经理每两周与员工进行一次一对一辅导,复盘“{focus}”的进展与障碍",
        "Fortnightly one-to-one coaching with the manager on progress and blockers in '{focus}'",
    ),
    Action(
        "kpi_resources",
        "resources",
        "kpi",
        "always",
        "提供“{focus}”的周度数据看板与所需工具、资源",
        "Provide a weekly dashboard for '{focus}' and the tools and resources it needs",
    ),
    Action(
        "kpi_peer_practice",
        "training",
        "kpi",
        "always",
        "安排与同岗位“{focus}”表现最佳的同事结对学习",
        "Pair with the role's best performer on '{focus}' to learn their practice",
    ),
    Action(
        "kpi_job_adjustment",
        "job_adjustment",
        "kpi",
        "severe",
        "调整工作分配(区域、客户或任务量),使“{focus}”目标在 90 天内可达成",
        "Adjust the assignment (territory, accounts or workload) so that '{focus}' is reachable in 90 days",
    ),
    Action(
        "competency_course",
        "training",
        "competency",
        "course",
        "参加培训课程“{course}”",
        "Take the course '{course}'",
    ),
    Action(
        "competency_coaching",
        "coaching",
        "competency",
        "always",
        "经理或导师每月辅导“{focus}”,并在实际工作中安排练习机会",
        "Monthly coaching on '{focus}' by the manager or a mentor, with practice in real work",
    ),
    Action(
        "competency_job_adjustment",
        "job_adjustment",
        "competency",
        "severe",
        "暂时调整岗位职责,减少依赖“{focus}”的任务,直至能力达标",
        "Temporarily adjust duties that depend on '{focus}' until the level is reached",
    ),
    Action(
        "overall_review",
        "coaching",
        "any",
        "always",
        "经理与员工共同梳理岗位职责与期望,明确本期的关键成果",
        "Manager and employee restate the role's duties and expectations and agree the key results",
    ),
)


def select_actions(focus_kind: str, *, severe: bool, course: str | None) -> list[Action]:
    """Return the library's actions for a focus area, in library order.

    Parameters
    ----------
    focus_kind : {"kpi", "competency", "any"}
    severe : bool
        Whether the focus is far off target (adds job adjustments).
    course : str or None
        A course of the training catalog for the competency (adds the course action).
    """
    chosen = []
    for action in ACTIONS:
        if action.focus != focus_kind:
            continue
        if action.when == "severe" and not severe:
            continue
        if action.when == "course" and not course:
            continue
        chosen.append(action)
    return chosen
