"""PatternClusterer: a scikit-learn estimator that picks k by silhouette on a sample."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from perfkit.patterns import PatternClusterer
from perfkit.patterns.clusterer import silhouettes


# Every check of scikit-learn runs; the only one that skips itself is check_array_api_input,
# which needs SCIPY_ARRAY_API=1 in the environment (perfkit does not support array-API input).
@parametrize_with_checks([PatternClusterer()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def blobs(n=600, centers=5, seed=0):
    return make_blobs(n_samples=n, centers=centers, cluster_std=0.6, random_state=seed)


def test_finds_the_planted_number_of_blobs():
    x, y = blobs()
    model = PatternClusterer(random_state=0).fit(x)
    assert model.n_clusters_ == 5
    assert set(model.silhouette_scores_) == set(range(3, 9))
    assert max(model.silhouette_scores_, key=model.silhouette_scores_.get) == 5
    assert adjusted_rand_score(y, model.labels_) > 0.95
    assert model.cluster_centers_.shape == (5, 2)


def test_chooses_k_on_a_sample_and_fits_every_row():
    x, y = blobs(n=3000, centers=4)
    model = PatternClusterer(sample_size=500, random_state=1).fit(x)
    assert model.n_clusters_ == 4
    assert len(model.labels_) == 3000
    assert adjusted_rand_score(y, model.labels_) > 0.95


def test_deterministic_for_a_seed():
    x, _ = blobs(n=2000, centers=6)
    first = PatternClusterer(sample_size=300, random_state=7).fit(x)
    second = PatternClusterer(sample_size=300, random_state=7).fit(x)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.cluster_centers_, second.cluster_centers_)
    assert first.silhouette_scores_ == second.silhouette_scores_


def test_fixed_n_clusters_skips_the_search():
    x, _ = blobs()
    model = PatternClusterer(n_clusters=3).fit(x)
    assert model.n_clusters_ == 3
    assert model.silhouette_scores_ == {}


def test_predict_matches_labels_and_clone_keeps_params():
    x, _ = blobs()
    model = PatternClusterer(k_range=(2, 6), sample_size=100, random_state=3).fit(x)
    np.testing.assert_array_equal(model.predict(x), model.labels_)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "labels_")


@pytest.mark.parametrize("k_range", [(1, 4), (5, 3), ("a", 3), (3,), (2.5, 4)])
def test_bad_k_range_is_refused(k_range):
    with pytest.raises(
        ValueError, match="'k_range' parameter of PatternClusterer must be two integers"
    ):
        PatternClusterer(k_range=k_range).fit(np.random.default_rng(0).normal(size=(30, 2)))


def test_few_rows_cap_the_range():
    x = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    model = PatternClusterer().fit(x)
    assert model.n_clusters_ in (2, 3)
    assert max(model.silhouette_scores_) <= 3


def test_one_row_is_refused():
    with pytest.raises(ValueError, match="n_samples=1 should be >= 2"):
        PatternClusterer().fit([[1.0, 2.0]])


def test_silhouettes_equal_sklearn():
    x = np.random.default_rng(0).normal(size=(400, 3))
    labelings = {k: KMeans(k, n_init=1, random_state=0).fit_predict(x) for k in (2, 3, 5)}
    mine = silhouettes(x, labelings, chunk_size=97)
    for k, labels in labelings.items():
        assert mine[k] == pytest.approx(silhouette_score(x, labels), abs=1e-9)


def test_silhouette_of_a_singleton_cluster_is_zero_for_that_row():
    x = np.array([[0.0], [0.1], [0.2], [10.0]])
    labels = np.array([0, 0, 0, 1])
    assert silhouettes(x, {"k": labels})["k"] == pytest.approx(silhouette_score(x, labels))
