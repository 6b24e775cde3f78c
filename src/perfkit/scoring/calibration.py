"""Calibration: rater effects by least squares (score = ratee + rater + noise) and calibrated ratings."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, cg
from sklearn.base import BaseEstimator

from perfkit.scoring.keys import decode_keys, group_codes, positions, value_codes


class RaterEffects(BaseEstimator):
    """Estimate each rater's leniency (+) or severity (−) in rating points.

    The model is ``score = ratee + rater + noise``, fitted by least squares with a small ridge
    penalty ``alpha · Σ rater²`` (so that a rater with few ratings is pulled towards 0). The
    ratee effects are absorbed (each ratee's mean of ``score − rater``), which leaves a sparse
    system in the rater effects alone, solved by preconditioned conjugate gradients: memory and
    time grow with the number of ratings, so 100k employees × 8 raters × 6 competencies fit in
    seconds. Rater effects are identified by centring them to zero mean within each connected
    group of raters and ratees (one group in any real 360° design).

    Parameters
    ----------
    alpha : float, default=1.0
        Ridge penalty on rater effects, in squared rating points per rating.
    include_self : bool, default=False
        Whether self ratings enter the fit. They do not by default: a self rating says more
        about the person than about a rater's habits.
    per_period : bool, default=True
        Whether a ratee is an employee in one period (performance may change between periods)
        or the employee over all periods. Rater effects are always pooled over periods.
    min_ratees : int, default=2
        A rater who rated fewer distinct people is left out of the fit (effect 0, ratings kept
        as given): with one ratee, a rater's habit cannot be told from their view of that person.
    tol : float, default=1e-6
        Relative tolerance of the conjugate-gradient solver.
    max_iter : int, default=1000

    Attributes
    ----------
    rater_effects_ : Series
        By rater_id, in rating points (positive = lenient).
    ratee_effects_ : Series
        By (employee_id, period), or by employee_id when ``per_period=False``: the estimated
        true rating, on the rating scale.
    n_ratings_ : Series
        By rater_id: how many ratings the estimate rests on.
    excluded_raters_ : Index
        Raters left out for rating fewer than ``min_ratees`` people.
    n_components_ : int
        Connected groups of raters and ratees.
    residual_sd_ : float
        Standard deviation of the residuals.
    n_iter_ : int
        Conjugate-gradient iterations.

    Examples
    --------
    >>> ratings = pd.DataFrame({"employee_id": ["a", "a", "b", "b"], "rater_id": ["m", "n", "m", "n"],
    ...                         "relation": "peer", "period": "P1", "score": [4.0, 3.0, 5.0, 4.0]})
    >>> RaterEffects(alpha=0).fit(ratings).rater_effects_.round(2).to_dict()
    {'m': 0.5, 'n': -0.5}
    """

    def __init__(
        self,
        alpha: float = 1.0,
        include_self: bool = False,
        per_period: bool = True,
        min_ratees: int = 2,
        tol: float = 1e-6,
        max_iter: int = 1000,
    ) -> None:
        self.alpha = alpha
        self.include_self = include_self
        self.min_ratees = min_ratees
        self.per_period = per_period
        self.tol = tol
        self.max_iter = max_iter

    def _ratee_keys(self, ratings: pd.DataFrame) -> list[str]:
        return (
            ["employee_id", "period"]
            if self.per_period and "period" in ratings
            else ["employee_id"]
        )

    def _usable(self, ratings: pd.DataFrame) -> tuple[pd.DataFrame, tuple | None]:
        """The ratings the fit uses, and their ``group_codes`` by rater when already at hand."""
        missing = [c for c in ("employee_id", "rater_id", "score") if c not in ratings]
        if missing:
            raise ValueError(
                f"RaterEffects.fit needs column(s) {missing}; the ratings have {list(ratings.columns)}."
            )
        keep = (
            pd.to_numeric(ratings["score"], errors="coerce").notna() & ratings["rater_id"].notna()
        )
        for key in self._ratee_keys(ratings):
            keep &= ratings[key].notna()
        if not self.include_self and "relation" in ratings:
            keep &= (ratings["relation"] != "self").to_numpy()
        columns = [c for c in ("employee_id", "period", "rater_id", "score") if c in ratings]
        used = ratings.loc[keep.to_numpy(), columns]
        self.excluded_raters_ = pd.Index([], dtype="str", name="rater_id")
        by_rater = None
        if self.min_ratees > 1 and len(used):
            rater, rows, _ = by_rater = group_codes(used, ["rater_id"])
            person, n_people = value_codes(used["employee_id"])  # only told apart
            n_r = len(rows)
            if self.min_ratees == 2:
                low = np.full(n_r, n_people, dtype="int64")
                high = np.full(n_r, -1, dtype="int64")
                np.minimum.at(low, rater, person)
                np.maximum.at(high, rater, person)
                enough = high > low
            else:
                pairs = pd.unique(rater * n_people + person)
                enough = np.bincount(pairs // n_people, minlength=n_r) >= self.min_ratees
            if not enough.all():
                few = decode_keys(
                    used[["rater_id"]].iloc[rows[~enough]].reset_index(drop=True), ["rater_id"]
                )
                self.excluded_raters_ = pd.Index(
                    sorted(few["rater_id"]), dtype="str", name="rater_id"
                )
                used, by_rater = used.loc[enough[rater]], None
        return used, by_rater

    def fit(self, ratings: pd.DataFrame, y=None) -> RaterEffects:
        """Fit rater and ratee effects on ``ratings`` (employee_id, rater_id, [relation, period], score).

        Returns
        -------
        self
        """
        if not (self.alpha >= 0):
            raise ValueError(
                f"The 'alpha' parameter of RaterEffects must be >= 0. Got {self.alpha!r} instead."
            )
        if not (isinstance(self.min_ratees, (int, np.integer)) and self.min_ratees >= 1):
            raise ValueError(
                f"The 'min_ratees' parameter of RaterEffects must be an int >= 1. Got {self.min_ratees!r} instead."
            )
        used, by_rater = self._usable(ratings)
        keys = self._ratee_keys(used)
        ratee, first, _ = group_codes(used, keys)
        heads = decode_keys(used[keys].iloc[first].reset_index(drop=True), keys)
        ratee_index = (
            pd.MultiIndex.from_frame(heads) if len(keys) > 1 else pd.Index(heads["employee_id"])
        )
        rater, rater_rows, _ = by_rater or group_codes(used, ["rater_id"])
        rater_index = decode_keys(
            used[["rater_id"]].iloc[rater_rows].reset_index(drop=True), ["rater_id"]
        )["rater_id"]
        y = pd.to_numeric(used["score"], errors="coerce").to_numpy(dtype="float64")
        n_e, n_r = len(ratee_index), len(rater_index)
        n_ratee = np.bincount(ratee, minlength=n_e).astype("float64")
        n_rater = np.bincount(rater, minlength=n_r).astype("float64")

        def demean(z: np.ndarray) -> np.ndarray:
            return (
                z - (np.bincount(ratee, weights=z, minlength=n_e) / np.maximum(n_ratee, 1))[ratee]
            )

        effects = np.zeros(n_r)
        self.n_iter_ = 0
        if n_r and len(y):
            rhs = np.bincount(rater, weights=demean(y), minlength=n_r)
            # Runs of consecutive rows with one (ratee, rater) pair: exact pair counts when a pair's
            # ratings are contiguous (as exports list them); otherwise a looser but still valid
            # Jacobi preconditioner, and duplicate graph edges, which are harmless.
            pair = ratee.astype("int64") * n_r + rater
            starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
            m = np.diff(np.concatenate([starts, [len(pair)]])).astype("float64")
            pair_ratee, pair_rater = ratee[starts], rater[starts]
            ratee_count = np.maximum(n_ratee, 1)

            def normal(b: np.ndarray) -> np.ndarray:
                # X'(I - P)X b, summed over runs of rows (a run's rows share b[rater]): the same
                # sums as over rows, with a run of m rows weighing m (competencies per pair: ~5x fewer terms)
                z = b[pair_rater]
                mean = np.bincount(pair_ratee, weights=m * z, minlength=n_e) / ratee_count
                deviation = m * (z - mean[pair_ratee])
                return np.bincount(pair_rater, weights=deviation, minlength=n_r) + self.alpha * b

            diag = n_rater - np.bincount(
                pair_rater, weights=m * m / n_ratee[pair_ratee], minlength=n_r
            )
            diag = diag + self.alpha
            precond = 1.0 / np.where(diag > 1e-12, diag, 1.0)
            iterations = [0]

            def count(_):
                iterations[0] += 1

            operator = LinearOperator((n_r, n_r), matvec=normal, dtype="float64")
            jacobi = LinearOperator((n_r, n_r), matvec=lambda v: precond * v, dtype="float64")
            effects, _ = cg(
                operator,
                rhs,
                rtol=self.tol,
                atol=0.0,
                maxiter=self.max_iter,
                M=jacobi,
                callback=count,
            )
            self.n_iter_ = iterations[0]
            graph = sparse.coo_matrix(
                (np.ones(len(starts)), (pair_ratee, n_e + pair_rater)), shape=(n_e + n_r, n_e + n_r)
            )
            self.n_components_, labels = connected_components(graph, directed=False)
            group = labels[n_e:]
            effects = effects - (np.bincount(group, weights=effects) / np.bincount(group))[group]
        else:
            self.n_components_ = 0
        rated = effects[rater] if len(y) else y  # each rating's rater effect
        residual = y - rated
        ratee_values = np.bincount(ratee, weights=residual, minlength=n_e) / np.maximum(n_ratee, 1)
        fitted = ratee_values[ratee] + rated if len(y) else y
        self.residual_sd_ = float(np.std(y - fitted)) if len(y) > 1 else float("nan")
        labels = rater_index.astype("str").array
        order = np.asarray(labels.argsort(kind="stable"))  # by text, as Arrow sorts it
        self.rater_effects_ = pd.Series(
            effects[order],
            index=pd.Index(labels.take(order), name="rater_id", dtype="str"),
            name="rater_effect",
        )
        self.ratee_effects_ = pd.Series(ratee_values, index=ratee_index, name="ratee_effect")
        self.n_ratings_ = pd.Series(
            n_rater[order].astype("int64"), index=self.rater_effects_.index, name="n_ratings"
        )
        return self

    def transform(self, ratings: pd.DataFrame) -> pd.DataFrame:
        """Return ``ratings`` with ``rater_effect`` and ``adjusted_score`` (= score − rater_effect).

        Self ratings (unless fitted with ``include_self``) and raters unseen in the fit keep
        their score (effect 0).
        """
        if not hasattr(self, "rater_effects_"):
            raise ValueError("This RaterEffects is not fitted yet; call fit(ratings) first.")
        out = ratings.copy(deep=False)  # columns are added, none changed
        where = positions(out["rater_id"], self.rater_effects_.index)
        known = np.append(self.rater_effects_.to_numpy(dtype="float64"), 0.0)  # -1 picks the 0
        effect = known[where]
        if not self.include_self and "relation" in out:
            effect = np.where((out["relation"] == "self").to_numpy(), 0.0, effect)
        out["rater_effect"] = effect
        out["adjusted_score"] = pd.to_numeric(out["score"], errors="coerce").to_numpy() - effect
        return out

    def fit_transform(self, ratings: pd.DataFrame, y=None) -> pd.DataFrame:
        """Fit on ``ratings`` and return them calibrated (see :meth:`transform`)."""
        return self.fit(ratings).transform(ratings)


def calibrate_ratings(ratings: pd.DataFrame, **params) -> pd.DataFrame:
    """Return ratings with each rater's effect removed: ``adjusted_score = score − rater_effect``.

    Parameters
    ----------
    ratings : DataFrame
        employee_id, rater_id, relation, period, score.
    **params
        Parameters of :class:`RaterEffects` (``alpha``, ``include_self``...).

    Returns
    -------
    DataFrame
        A copy of ``ratings`` with ``rater_effect`` and ``adjusted_score``.
    """
    return RaterEffects(**params).fit_transform(ratings)


def grade_changes(scores) -> pd.DataFrame:
    """Return who changes grade because of calibration.

    Parameters
    ----------
    scores : PerformanceScores or DataFrame
        Its ``employees`` frame (or the frame itself) with grade and calibrated_grade.

    Returns
    -------
    DataFrame
        employee_id, grade, calibrated_grade, score, calibrated_score (plus department when
        known), best calibrated score first.
    """
    frame = getattr(scores, "employees", scores)
    cols = ["employee_id", "department", "grade", "calibrated_grade", "score", "calibrated_score"]
    cols = [c for c in cols if c in frame]
    if not {"grade", "calibrated_grade"} <= set(frame.columns):
        return pd.DataFrame(columns=cols)
    moved = frame[
        frame["grade"].notna()
        & frame["calibrated_grade"].notna()
        & (frame["grade"] != frame["calibrated_grade"])
    ]
    return moved[cols].sort_values(
        ["calibrated_score", "employee_id"], ascending=[False, True], ignore_index=True
    )
