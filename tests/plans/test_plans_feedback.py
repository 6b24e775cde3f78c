"""Feedback content: strengths, areas to improve, perception gaps, talking points, next steps."""

import pandas as pd

from perfkit.findings import threshold
from perfkit.plans import FeedbackContent, build_feedback


def test_one_feedback_per_employee_in_the_engagement_language(world, world_en):
    zh = build_feedback(*world)
    en = build_feedback(*world_en)
    assert len(zh) == len(world[1].employees)
    assert all(isinstance(f, FeedbackContent) for f in zh)
    assert all(f.language == "zh" for f in zh)
    assert any("高于同岗位中位数" in s["text"] for f in zh for s in f.strengths)
    assert any("above the role's median" in s["text"] for f in en for s in f.strengths)
    assert all(f.talking_points and f.next_steps for f in en)


def test_strengths_beat_peers_and_improvements_trail_them(world):
    for f in build_feedback(*world):
        for s in f.strengths:
            assert s["value"] > s["peer"]
        for i in f.improvements:
            if i["kind"] == "kpi":
                assert i["value"] < i["peer"] or i["value"] < 1


def test_perception_gaps_follow_the_self_inflation_threshold(world):
    client, scores = world
    cut = threshold(client.settings.thresholds, "SELF_INFLATION", "gap")
    comps = scores.competencies
    big = comps[(comps["self_score"] - comps["score"]).abs() >= cut]
    assert len(big)
    feedback = {f.employee_id: f for f in build_feedback(client, scores)}
    for row in big.head(20).itertuples():
        names = [g["name"] for g in feedback[row.employee_id].perception_gaps]
        assert len(names) == 3 or row.competency in names
    for f in feedback.values():
        assert all(abs(g["gap"]) >= cut for g in f.perception_gaps)


def test_planned_employees_are_told_about_their_plan(world_en):
    client, scores = world_en
    patterns = pd.DataFrame(
        {"employee_id": ["0003"], "pattern": ["Declining"], "pattern_key": ["declining"]}
    )
    feedback = {f.employee_id: f for f in build_feedback(client, scores, patterns)}
    assert "improvement plan" in feedback["0003"].next_steps[0]
    assert feedback["0003"].pattern == "Declining"
    lowest = scores.employees.loc[scores.employees["grade"] == "D", "employee_id"]
    assert all("improvement plan" in feedback[e].next_steps[0] for e in lowest)
    assert feedback["0003"].to_dict()["employee_id"] == "0003"


def test_a_subset_of_employees_keeps_the_figures_against_all_peers(world):
    everyone = {f.employee_id: f for f in build_feedback(*world)}
    some = build_feedback(*world, employee_ids=["0002", "0005"])
    assert [f.employee_id for f in some] == ["0002", "0005"]
    assert some[1].to_dict() == everyone["0005"].to_dict()
