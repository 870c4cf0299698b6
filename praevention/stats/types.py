"""The result every estimator returns, on the rate-ratio scale (0.85 = 15 % fewer)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Effect:
    """An estimated effect with its 95 % interval.

    ``estimate`` is a rate ratio (for WDQ the target-area ratio relative to the control area; the
    quotient itself is in ``diagnostics``). ``reason`` says why an effect is not evaluable or why no
    effect can be shown (machine-readable code plus German text in ``diagnostics['reason_de']``).
    ``mde_80`` is the minimum detectable effect at 80 % power as a rate ratio (0.85: a reduction of 15 %
    would be detected with probability 0.8), see :mod:`praevention.stats.placebo`.
    """

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float | None = None
    n_before: float | None = None
    n_after: float | None = None
    diagnostics: dict = field(default_factory=dict)
    evaluable: bool = True
    reason: str | None = None
    mde_80: float | None = None

    def with_(self, **changes: object) -> Effect:
        return replace(self, **changes)


#: the 97.5 % quantile of the standard normal distribution (two-sided 95 % intervals)
Z95 = 1.959963984540054


def two_sided_p(z: float) -> float:
    """Two-sided normal p-value, 2·(1 − Φ(|z|)) = erfc(|z|/√2) (no SciPy import on the CLI's path)."""
    return math.erfc(abs(z) / math.sqrt(2))


def not_evaluable(method: str, reason: str, reason_de: str, **diagnostics: object) -> Effect:
    return Effect(
        method,
        math.nan,
        math.nan,
        math.nan,
        None,
        None,
        None,
        {"reason_de": reason_de, **diagnostics},
        evaluable=False,
        reason=reason,
    )
