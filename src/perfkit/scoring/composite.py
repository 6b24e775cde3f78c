"""The composite score: KPI and competency scores mixed by ``score_mix``."""

from __future__ import annotations

import numpy as np
import pandas as pd


def combine_scores(kpi_score, competency_score, *, score_mix) -> np.ndarray:
    """Return the composite score, element-wise.

    ``kpi · kpi_score + competency · competency_score`` where both exist (the weights of
    ``score_mix`` sum to 1); the one that exists where only one does; NaN where neither does.
    A part whose weight is 0 is ignored, unless it is the only part there is.

    Parameters
    ----------
    kpi_score, competency_score : array-like of float
        On 0..100 (kpi_score up to ``cap × 100``).
    score_mix : ScoreMix or mapping with ``kpi`` and ``competency``
        ``settings.score_mix``.

    Examples
    --------
    >>> combine_scores([104.0, np.nan, 80.0], [62.5, 50.0, np.nan], score_mix={"kpi": 0.7, "competency": 0.3})
    array([91.55, 50.  , 80.  ])
    """
    get = score_mix.get if isinstance(score_mix, dict) else lambda k: getattr(score_mix, k)
    wk, wc = float(get("kpi")), float(get("competency"))
    if wk < 0 or wc < 0 or wk + wc <= 0:
        raise ValueError(
            f"score_mix weights must be >= 0 with a positive sum; got kpi={wk}, competency={wc}."
        )
    k = pd.to_numeric(pd.Series(np.asarray(kpi_score, dtype="float64")), errors="coerce").to_numpy()
    c = pd.to_numeric(
        pd.Series(np.asarray(competency_score, dtype="float64")), errors="coerce"
    ).to_numpy()
    has_k, has_c = np.isfinite(k), np.isfinite(c)
    if wk > 0 and wc > 0:
        both = (wk * np.where(has_k, k, 0.0) + wc * np.where(has_c, c, 0.0)) / (wk + wc)
    else:
        both = k if wk > 0 else c
    return np.where(has_k & has_c, both, np.where(has_k, k, c))
