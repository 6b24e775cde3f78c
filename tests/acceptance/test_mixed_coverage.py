"""Acceptance: people without KPIs (managers rated only by 360°) are not graded down for it."""

from __future__ import annotations


def test_people_without_kpis_are_not_graded_down(tmp_path):
    import unseen

    from perfkit.diagnosis import run_diagnosis
    from perfkit.intake import load_client

    truth = unseen.make_client(tmp_path / "c", 52, managers_have_kpis=False)
    diagnosis = run_diagnosis(load_client(tmp_path / "c"))
    emp = diagnosis.scores.employees.merge(truth.employees, on="employee_id")
    leads = emp[emp.role == "团队主管"]
    bottom = (leads.grade.isin(["C", "D"])).mean()
    flagged = sorted(
        f.subject
        for f in diagnosis.findings
        if f.code == "ADVERSE_IMPACT" and f.subject.startswith("level:")
    )
    assert bottom <= 0.5 and not flagged, (
        f"{bottom:.0%} of team leads (no KPIs, 360° only) graded C or D; mean score {leads.score.mean():.1f} vs "
        f"{emp.score.mean():.1f} company-wide; ADVERSE_IMPACT on {flagged}"
    )
