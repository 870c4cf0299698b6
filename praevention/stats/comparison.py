"""The comparison-group before/after study of one site (Hauer 1997, *Observational Before-After Studies in
Road Safety*, ch. 9).

A comparison group of untreated places counts M accidents before and N after; the treated site counts K
before and L after, over the same years. The comparison ratio, corrected for the bias of a ratio of
Poisson counts, r_C = (N/M)/(1 + 1/M), predicts the site's after count without the measure, π = r_C·K,
with Var(π) = π²(1/K + 1/M + 1/N) (the variance of the comparison odds ratio between groups, ω², is taken
as 0). Hauer's θ and Var(θ) follow as in :func:`praevention.stats.eb.hauer_theta`; the interval is
log-normal from Var(θ).

It corrects for trends the comparison places share with the site, not for regression to the mean: a site
chosen for its many accidents before looks improved by this estimate alone. Shown beside the Empirical
Bayes estimate, the difference between the two is the regression to the mean of the site's selection.
"""

from __future__ import annotations

import math

from praevention.stats.eb import hauer_theta
from praevention.stats.methods import COMPARISON
from praevention.stats.placebo import mde_from_se
from praevention.stats.types import Z95, Effect, not_evaluable, two_sided_p


def comparison_group(site_before: float, site_after: float, comp_before: float, comp_after: float) -> Effect:
    """θ of a site against a comparison group (K, L of the site; M, N of the group; same years)."""
    k, lam, m, n = site_before, site_after, comp_before, comp_after
    if min(k, lam, m, n) <= 0:
        return not_evaluable(COMPARISON, "zero_counts", "zu wenige Unfälle am Ort oder in der Vergleichsgruppe")
    ratio = (n / m) / (1 + 1 / m)
    pi = ratio * k
    var_pi = pi**2 * (1 / k + 1 / m + 1 / n)
    theta, var_theta = hauer_theta(lam, pi, var_pi)
    se_log = math.sqrt(var_theta) / theta
    diag = {
        "comparison_before": m,
        "comparison_after": n,
        "comparison_ratio": round(ratio, 4),
        "expected_without_measure": round(pi, 3),
        "var_expected": round(var_pi, 3),
        "theta": round(theta, 4),
        "var_theta": round(var_theta, 6),
    }
    return Effect(
        COMPARISON,
        theta,
        theta * math.exp(-Z95 * se_log),
        theta * math.exp(Z95 * se_log),
        two_sided_p(math.log(theta) / se_log),
        k,
        lam,
        diag,
        mde_80=math.exp(-mde_from_se(math.sqrt(1 / k + 1 / m + 1 / n + 1 / max(pi, 1e-9)))),
    )
