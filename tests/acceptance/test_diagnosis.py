"""Acceptance: every planted finding is reported with its subject, and nothing clean is flagged."""

from __future__ import annotations

import json

import pytest

AREAS = {"kpi_system", "raters", "evaluation", "fairness", "rewards"}


def _reported(diagnosis, area=None):
    return {
        (f.code, f.subject)
        for f in diagnosis.findings
        if f.area in AREAS and (area is None or f.area == area)
    }


def _planted(truth, area):
    from perfkit.findings import CODES

    return {p for p in truth.planted if CODES[p[0]] == area}


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_planted_finding_is_reported(unseen_client, area):
    _, truth, diagnosis = unseen_client
    missed = _planted(truth, area) - _reported(diagnosis, area)
    assert not missed, f"missed {area} findings (code, subject): {sorted(missed)}"


@pytest.mark.parametrize("area", sorted(AREAS))
def test_nothing_clean_is_flagged(unseen_client, area):
    _, truth, diagnosis = unseen_client
    extra = _reported(diagnosis, area) - _planted(truth, area)
    detail = [
        (f.code, f.subject, f.evidence) for f in diagnosis.findings if (f.code, f.subject) in extra
    ]
    assert not extra, f"false positives in {area}: {sorted(extra)}\nevidence: {detail}"


def test_cli_writes_the_same_findings(unseen_client, tmp_path):
    from perfkit.cli import main

    client, truth, diagnosis = unseen_client
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(client.path), "--json", str(out)]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {(r["code"], r["subject"]) for r in records} == {
        (f.code, f.subject) for f in diagnosis.findings
    }
    assert all(r["message"] and r["severity"] in {"info", "warning", "critical"} for r in records)


def test_compressed_export_fires_compression_not_pay(tmp_path):
    import unseen

    from perfkit.diagnosis import run_diagnosis
    from perfkit.intake import load_client

    unseen.make_compressed_client(tmp_path / "hr_export", seed=5)
    client = load_client(tmp_path / "hr_export")
    assert client.employees.rating.value_counts(normalize=True).max() > 0.8
    codes = {(f.code, f.subject) for f in run_diagnosis(client).findings}
    assert any(c == "RATING_COMPRESSED" for c, _ in codes), sorted(codes)
    assert not any(c == "PAY_PERFORMANCE_MISALIGNED" for c, _ in codes), sorted(codes)
    flagged = sorted(
        s
        for c, s in codes
        if c in {"GRADE_DISTRIBUTION_SKEWED", "ADVERSE_IMPACT", "RATER_LENIENT", "RATER_SEVERE"}
    )
    assert not flagged, f"clean departments, groups or managers flagged: {flagged}"


@pytest.mark.slow
def test_55k_employees_only_finishes_and_says_what_it_skipped(tmp_path):
    import unseen

    from perfkit.cli import main

    unseen.make_large_employees_only(tmp_path / "big", seed=3)
    out = tmp_path / "findings.json"
    assert main(["diagnose", str(tmp_path / "big"), "--json", str(out)]) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    skipped = [r for r in records if r["code"] == "ANALYSIS_SKIPPED"]
    assert len(skipped) >= 3, records
    assert all(r["severity"] == "info" and r["message"] for r in skipped)


def test_parallel_and_serial_diagnoses_are_identical(unseen_client):
    from perfkit.diagnosis import run_diagnosis

    client, _, _ = unseen_client
    forked, serial = run_diagnosis(client, parallel=True), run_diagnosis(client, parallel=False)
    assert [f.to_dict() for f in forked.findings] == [f.to_dict() for f in serial.findings]
    for name in ("weights", "difficulty", "redundancy"):
        left, right = getattr(forked.kpi_audit, name), getattr(serial.kpi_audit, name)
        assert left.equals(right), name
