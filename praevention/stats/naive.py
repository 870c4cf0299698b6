"""Naive before/after comparison: the rate after over the rate before, nothing else.

It ignores trends shared with other places, regression to the mean after a bad year and everything
else that changed; it is therefore only ever shown next to the other methods and labelled naive.
Interval and p-value: exact conditional binomial (see :mod:`praevention.stats.rates`).
"""

from __future__ import annotations

import math

from praevention.stats import methods
from praevention.stats.placebo import mde_from_se
from praevention.stats.rates import rate_ratio_exact
from praevention.stats.types import Effect, not_evaluable

METHOD = methods.NAIVE


def naive_before_after(
    count_before: float, exposure_before: float, count_after: float, exposure_after: float
) -> Effect:
    """Rate ratio after/before with its exact 95 % interval (exposure: person-years or years)."""
    if count_before <= 0:
        return not_evaluable(METHOD, "no_cases_before", "vorher keine Fälle: keine Verhältniszahl möglich")
    rr, lo, hi, p = rate_ratio_exact(count_after, exposure_after, count_before, exposure_before)
    mde = math.exp(-mde_from_se(math.sqrt(1 / count_before + 1 / max(count_after, 0.5))))
    return Effect(
        METHOD,
        rr,
        lo,
        hi,
        p,
        count_before,
        count_after,
        {"design": "naiv: Vorher-Nachher ohne Vergleichsgruppe"},
        mde_80=mde,
    )
