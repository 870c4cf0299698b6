"""Spatial displacement: the weighted displacement quotient (Bowers & Johnson 2003, J. Quant.
Criminology 19(3):275–301).

A = target area, B = buffer around it, C = control area, each counted before (b) and after (a):

* success measure SM = A_a/C_a − A_b/C_b (negative: the target improved relative to the control);
* buffer displacement BDM = B_a/C_a − B_b/C_b;
* WDQ = BDM / SM. WDQ > 0: diffusion of benefits into the buffer; WDQ < 0: displacement; WDQ = −1: the
  whole gain was displaced; near 0: neither.

The :class:`Effect` carries the target-area rate ratio relative to the control, (A_a/A_b)/(C_a/C_b), with
a log-normal 95 % interval from the Poisson variances 1/A_a + 1/A_b + 1/C_a + 1/C_b; the WDQ and its
reading go into ``diagnostics``.

Beside it the weighted displacement difference (Wheeler & Ratcliffe 2018, Crime Science 7:11), a count
of crimes prevented with a standard error: WDD = ΔA − ΔC_A + ΔB − ΔC_B (Δ = after − before; C_A and C_B
the control areas of target and buffer, here both the control area C), with Var = the sum of the eight
counts (normal approximation to the Poisson, so it assumes counts that are not overdispersed). A negative
WDD means fewer cases in target and buffer together than the control's trend implies.

Assumptions: the buffer is where displaced offences would go; the control area is unaffected by the
measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from praevention.stats.methods import WDQ
from praevention.stats.types import Z95, Effect, not_evaluable, two_sided_p


def wdq(a_before: float, a_after: float, b_before: float, b_after: float, c_before: float, c_after: float) -> float:
    """The weighted displacement quotient (NaN when the target did not change relative to the control)."""
    sm = a_after / c_after - a_before / c_before
    bdm = b_after / c_after - b_before / c_before
    return math.nan if sm == 0 else bdm / sm


def interpret(value: float, success: float) -> str:
    if success >= 0:
        return "keine Verbesserung im Zielgebiet: WDQ nicht deutbar"
    if math.isnan(value):
        return "nicht bestimmbar"
    if value <= -1:
        return "vollständige Verdrängung ins Umfeld"
    if value < -0.1:
        return "teilweise Verdrängung ins Umfeld"
    if value > 0.1:
        return "Ausstrahlung: auch im Umfeld weniger Fälle"
    return "weder Verdrängung noch Ausstrahlung"


def displacement(
    a_before: float, a_after: float, b_before: float, b_after: float, c_before: float, c_after: float
) -> Effect:
    if min(a_before, a_after, c_before, c_after) <= 0:
        return not_evaluable(WDQ, "zero_counts", "zu wenige Fälle im Ziel- oder Kontrollgebiet")
    log_rr = math.log((a_after / a_before) / (c_after / c_before))
    se = math.sqrt(1 / a_after + 1 / a_before + 1 / c_after + 1 / c_before)
    success = a_after / c_after - a_before / c_before
    value = wdq(a_before, a_after, b_before, b_after, c_before, c_after) if c_after > 0 else math.nan
    diag = {
        "wdq": None if math.isnan(value) else round(value, 4),
        "success_measure": round(success, 4),
        "reading": interpret(value, success),
        "target": [a_before, a_after],
        "buffer": [b_before, b_after],
        "control": [c_before, c_after],
    }
    d = wdd((a_before, a_after), (c_before, c_after), (b_before, b_after), (c_before, c_after))
    diag.update({"wdd": round(d.estimate, 2), "wdd_se": round(d.se, 3), "wdd_p": round(d.p_value, 4)})
    return Effect(
        WDQ,
        math.exp(log_rr),
        math.exp(log_rr - Z95 * se),
        math.exp(log_rr + Z95 * se),
        two_sided_p(log_rr / se),
        a_before,
        a_after,
        diag,
    )


@dataclass(frozen=True)
class WDD:
    """Weighted displacement difference: crimes prevented (negative: fewer) with its standard error."""

    local: float
    displacement: float
    estimate: float
    se: float

    @property
    def p_value(self) -> float:
        return two_sided_p(self.estimate / self.se) if self.se > 0 else 1.0

    @property
    def ci(self) -> tuple[float, float]:
        return self.estimate - Z95 * self.se, self.estimate + Z95 * self.se


def wdd(
    treated: tuple[float, float],
    control: tuple[float, float],
    displacement: tuple[float, float] = (0.0, 0.0),
    displacement_control: tuple[float, float] = (0.0, 0.0),
) -> WDD:
    """WDD of Wheeler & Ratcliffe (2018); each argument is (before, after) counts of equal periods."""
    local = (treated[1] - treated[0]) - (control[1] - control[0])
    disp = (displacement[1] - displacement[0]) - (displacement_control[1] - displacement_control[0])
    var = sum(treated) + sum(control) + sum(displacement) + sum(displacement_control)
    return WDD(local, disp, local + disp, math.sqrt(var))
