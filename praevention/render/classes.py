"""Class breaks for choropleth maps: Fisher-Jenks natural breaks and quantiles.

Both follow mapclassify's definitions (bins are the classes' upper bounds; a value belongs to the first
class whose bound it does not exceed), computed here with numpy: mapclassify's import pulls in SciPy's
statistics (about 3 s per process) and its Fisher-Jenks runs in pure Python without numba.
"""

from __future__ import annotations

import numpy as np


def fisher_jenks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` classes of sorted ``values`` that minimise the sum of squared deviations
    from the class means: Fisher's exact optimal grouping by dynamic programming (W. D. Fisher, "On
    grouping for maximum homogeneity", JASA 53 (1958) 789–798; Jenks' natural breaks), O(k·n²) in
    numpy vectors. Equal to ``mapclassify.FisherJenks(values, k).bins`` (tested)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n values, got k={k}, n={n}")
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def ssd(i: np.ndarray, j: int) -> np.ndarray:
        """Squared deviations of x[i:j] from their mean, for every start i."""
        m = j - i
        return s2[j] - s2[i] - (s1[j] - s1[i]) ** 2 / m

    # cost[j]: least SSD of the first j values in c classes; start[c][j]: where the last class begins
    cost = np.full(n + 1, np.inf)
    cost[1:] = s2[1:] - s1[1:] ** 2 / np.arange(1, n + 1)
    starts = []
    for c in range(2, k + 1):
        new = np.full(n + 1, np.inf)
        start = np.zeros(n + 1, dtype=int)
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)
            total = cost[i] + ssd(i, j)
            best = int(np.argmin(total))
            new[j], start[j] = total[best], i[best]
        starts.append(start)
        cost = new
    bounds = [x[n - 1]]
    j = n
    for start in reversed(starts):
        j = start[j]
        bounds.append(x[j - 1])
    return np.array(bounds[::-1])


def quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes (linear interpolation between order statistics); repeated
    bounds collapse, so that tied values give fewer classes (as mapclassify's ``Quantiles``). No values
    give one class with an undefined bound (NaN), as there."""
    if len(values) == 0:
        return np.array([np.nan])
    p = np.minimum(np.arange(1, k + 1) * 100.0 / k, 100.0)
    return np.unique(np.percentile(np.asarray(values, dtype=float), p))
