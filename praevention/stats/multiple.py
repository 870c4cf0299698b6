"""Adjusting p-values for the many tests a report makes.

* Benjamini & Hochberg (1995, JRSS B 57:289–300): step-up adjusted p-values controlling the false
  discovery rate, p̃_(i) = min_{j ≥ i} (m / j) · p_(j), capped at 1.
* Holm (1979, Scand. J. Statist. 6:65–70): step-down adjusted p-values controlling the family-wise error,
  p̃_(i) = max_{j ≤ i} (m − j + 1) · p_(j), capped at 1.

Missing p-values (NaN) stay missing and do not count as tests. Both agree with R's ``p.adjust``.
"""

from __future__ import annotations

import numpy as np


def _prepare(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    p = np.asarray(p, dtype=float)
    ok = np.flatnonzero(~np.isnan(p))
    return p, ok, len(ok)


def benjamini_hochberg(p) -> np.ndarray:
    p, ok, m = _prepare(p)
    out = np.full(len(p), np.nan)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    scaled = p[order] * m / np.arange(1, m + 1)
    out[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return out


def holm(p) -> np.ndarray:
    p, ok, m = _prepare(p)
    out = np.full(len(p), np.nan)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    scaled = p[order] * (m - np.arange(m))
    out[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return out


def expected_false_positives(n_tests: int, alpha: float = 0.05) -> float:
    """How many 'effects' chance alone produces among ``n_tests`` independent tests at level α."""
    return n_tests * alpha
