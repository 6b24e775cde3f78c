"""``PatternClusterer``: k-means that picks its own k by silhouette on a sample, for any size."""

from __future__ import annotations

import functools
import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context
from sklearn.cluster import KMeans
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import ThreadpoolController


@functools.cache
def _thread_pools() -> ThreadpoolController:
    """The process's native thread pools, found once (``threadpool_limits`` looks anew each time)."""
    return ThreadpoolController()


class PatternClusterer(ClusterMixin, BaseEstimator):
    """Group employees' standardised features into patterns, choosing k by silhouette.

    For each k in ``k_range`` a :class:`~sklearn.cluster.KMeans` is fitted on a random sample of
    at most ``sample_size`` rows and scored by its silhouette on that sample; the k with the best
    silhouette (the smallest k on ties) is then fitted on every row, starting from the centres
    found on the sample (one k-means run on all rows instead of ``n_init``). The silhouette costs
    O(sample_size²), so choosing k costs the same at 1 000 or 100 000 employees, and the final fit
    is linear in the number of rows.

    k-means rather than a Gaussian mixture: its centres are plain means, which the naming rules
    read directly; with ``n_init`` fixed and a seed it is deterministic; and it fits 100 000 rows in
    well under a second, where a full-covariance mixture is several times slower and its soft
    assignments add nothing a consultant would use.

    Parameters
    ----------
    n_clusters : int or None, default=None
        A fixed number of patterns; None chooses it within ``k_range`` by silhouette.
    k_range : tuple of (int, int), default=(3, 8)
        The smallest and largest k tried (both included), capped at ``n_samples - 1``.
    sample_size : int, default=5000
        Rows drawn (without replacement) to choose k; all rows when there are fewer.
    n_init : int, default=4
        k-means restarts per fit, fixed so that runs are deterministic and cost is bounded.
    max_iter : int, default=300
        Maximum k-means iterations per restart.
    random_state : int, RandomState instance or None, default=0
        Seeds the sample and k-means; an int gives identical results on every run.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        The pattern of each training row, 0..n_clusters_-1.
    cluster_centers_ : ndarray of shape (n_clusters_, n_features)
        The centres, in the (standardised) units of ``X``.
    n_clusters_ : int
        The number of patterns found.
    silhouette_scores_ : dict of int to float
        The silhouette of each k tried (empty when ``n_clusters`` was given).
    inertia_ : float
        Sum of squared distances of the rows to their centre.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.zeros((20, 2)), np.full((20, 2), 5.0), np.full((20, 2), -5.0)]
    >>> X = X + np.random.default_rng(0).normal(0, 0.1, X.shape)
    >>> PatternClusterer(random_state=0).fit(X).n_clusters_
    3
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "k_range": [tuple, list],
        "sample_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=None,
        k_range=(3, 8),
        sample_size=5000,
        n_init=4,
        max_iter=300,
        random_state=0,
    ):
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.sample_size = sample_size
        self.n_init = n_init
        self.max_iter = max_iter
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):  # noqa: N803, N806 - scikit-learn's X
        """Choose k (unless fixed) and fit k-means on every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Standardised features, without missing values.
        y : None
            Ignored.

        Returns
        -------
        self : PatternClusterer

        Raises
        ------
        ValueError
            When ``k_range`` is not two ascending integers ≥ 2, or there are too few rows.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])  # noqa: N803, N806 - scikit-learn's X
        n_samples = X.shape[0]
        if n_samples < 2:
            raise ValueError(f"n_samples={n_samples} should be >= 2 to find patterns.")
        low, high = self._checked_range()
        rng = check_random_state(self.random_state)
        seed = rng.randint(np.iinfo(np.int32).max)
        self.silhouette_scores_ = {}
        if self.n_clusters is not None and self.n_clusters > n_samples:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={self.n_clusters}.")
        # Small fits run faster on one thread, and threads only fight on a busy machine.
        with _thread_pools().limit(limits=1, user_api="openmp"):
            if self.n_clusters is not None:
                k, init = self.n_clusters, None
            else:
                k, init = self._choose_k(X, low, high, rng, seed)
        with _thread_pools().limit(
            limits=1 if n_samples <= self.sample_size else None, user_api="openmp"
        ):
            if init is None:
                model = KMeans(
                    n_clusters=k, n_init=self.n_init, max_iter=self.max_iter, random_state=seed
                ).fit(X)
            else:  # refine the sample's best centres on every row: one run instead of n_init
                model = KMeans(
                    n_clusters=k, init=init, n_init=1, max_iter=self.max_iter, random_state=seed
                ).fit(X)
        self.cluster_centers_ = model.cluster_centers_
        self.labels_ = model.labels_.astype(np.intp)
        self.inertia_ = float(model.inertia_)
        self.n_iter_ = int(model.n_iter_)
        self.n_clusters_ = int(k)
        return self

    def predict(self, X):  # noqa: N803, N806 - scikit-learn's X
        """Return the nearest pattern centre of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)  # noqa: N803, N806 - scikit-learn's X
        centres = self.cluster_centers_.astype(X.dtype, copy=False)
        distances = (
            np.einsum("ij,ij->i", X, X)[:, None]
            - 2.0 * X @ centres.T
            + np.einsum("ij,ij->i", centres, centres)
        )
        return np.argmin(distances, axis=1).astype(np.intp)

    def _checked_range(self) -> tuple[int, int]:
        try:
            low, high = (int(v) for v in self.k_range)
            valid = all(float(v) == int(v) for v in self.k_range)
        except (TypeError, ValueError):
            valid = False
        if not valid or low < 2 or high < low:
            raise ValueError(
                "The 'k_range' parameter of PatternClusterer must be two integers (low, high) with "
                f"2 <= low <= high. Got {self.k_range!r} instead."
            )
        return low, high

    def _choose_k(self, X, low: int, high: int, rng, seed: int) -> int:  # noqa: N803, N806 - scikit-learn's X
        n_samples = X.shape[0]
        if n_samples > self.sample_size:
            sample = X[np.sort(rng.choice(n_samples, self.sample_size, replace=False))]
        else:
            sample = X
        n_distinct = len(np.unique(sample, axis=0))
        high = min(high, n_distinct - 1, len(sample) - 1)
        if high < 2:
            return max(1, min(low, n_distinct)), None
        low = min(low, high)
        models = {
            k: KMeans(
                n_clusters=k, n_init=self.n_init, max_iter=self.max_iter, random_state=seed
            ).fit(sample)
            for k in range(low, high + 1)
        }
        self.silhouette_scores_ = silhouettes(sample, {k: m.labels_ for k, m in models.items()})
        best = max(self.silhouette_scores_, key=lambda k: (self.silhouette_scores_[k], -k))
        return best, (models[best].cluster_centers_ if len(sample) < n_samples else None)


def silhouettes(X, labelings: dict, chunk_size: int = 1000) -> dict:  # noqa: N803, N806 - scikit-learn's X
    """Return the mean silhouette of several labelings of the same rows, in one pass over the distances.

    Equal to :func:`sklearn.metrics.silhouette_score` for each labeling (a row alone in its cluster
    scores 0; a labeling with a single cluster scores -1 here, where sklearn refuses it), but the
    pairwise distances are computed once for all labelings instead of once each.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labelings : dict of key to ndarray of shape (n_samples,)
        Integer labels 0..k-1.
    chunk_size : int, default=1000
        Rows of the distance matrix held in memory at a time.

    Returns
    -------
    dict of key to float
    """
    keys = list(labelings)
    blocks, slices, start = [], {}, 0
    for key in keys:
        labels = np.asarray(labelings[key])
        k = int(labels.max()) + 1
        blocks.append(np.eye(k)[labels])
        slices[key] = slice(start, start + k)
        start += k
    members = np.hstack(blocks)
    counts = members.sum(axis=0)
    n = len(X)
    sums = np.empty((n, start))
    for begin in range(0, n, chunk_size):
        distances = euclidean_distances(X[begin : begin + chunk_size], X)
        sums[begin : begin + chunk_size] = distances @ members
    scores = {}
    for key in keys:
        labels = np.asarray(labelings[key])
        part, size = sums[:, slices[key]], counts[slices[key]]
        if np.count_nonzero(size) < 2:
            scores[key] = -1.0
            continue
        rows = np.arange(n)
        own_size = size[labels]
        with np.errstate(invalid="ignore", divide="ignore"):
            a = part[rows, labels] / np.maximum(own_size - 1, 1)
            means = np.where(size > 0, part / np.where(size > 0, size, 1), np.inf)
            means[rows, labels] = np.inf
            b = means.min(axis=1)
            s = np.where(own_size > 1, (b - a) / np.maximum(a, b), 0.0)
        scores[key] = float(np.nan_to_num(s).mean())
    return scores
