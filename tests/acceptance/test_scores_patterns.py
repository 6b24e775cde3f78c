"""Acceptance: scores follow true performance; patterns follow the planted trajectories."""

from __future__ import annotations

from scipy.stats import spearmanr
from sklearn.metrics import normalized_mutual_info_score


def _joined(client, truth, diagnosis):
    scores = diagnosis.scores.employees[["employee_id", "score"]]
    return truth.employees.merge(scores, on="employee_id", how="left")


def test_score_agrees_with_true_performance(unseen_client):
    client, truth, diagnosis = unseen_client
    data = _joined(client, truth, diagnosis)
    assert data.score.notna().mean() > 0.99, f"{data.score.isna().sum()} employees without a score"
    rho = spearmanr(data.score, data.true_current, nan_policy="omit").statistic
    assert rho >= 0.85, f"Spearman(score, true current performance) = {rho:.3f} < 0.85"


def test_patterns_agree_with_planted_trajectories(unseen_client):
    from perfkit.patterns import find_patterns

    client, truth, diagnosis = unseen_client
    result = find_patterns(client, diagnosis.scores)
    data = truth.employees.merge(
        result.assignments[["employee_id", "pattern_id", "pattern"]], on="employee_id"
    )
    k = data.pattern_id.nunique()
    nmi = normalized_mutual_info_score(data.trajectory, data.pattern_id)
    table = data.groupby(["trajectory", "pattern"]).size().unstack(fill_value=0)
    assert 3 <= k <= 8, f"{k} patterns\n{table}"
    assert nmi >= 0.4, f"NMI(patterns, planted trajectories) = {nmi:.3f} < 0.4\n{table}"
