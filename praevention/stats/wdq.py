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
of crimes prevented with a standard error: WDD = ΔA − ΔC_A + ΔB − ΔC_B (Δ = after − before), where C_A and
C_B are the control areas of target and buffer, each comparable in size with its area, and the variance is
the sum of the eight counts (Poisson, independent areas; :func:`wdd`). A negative WDD means fewer cases in
target and buffer together than the controls' trend implies.

Where one control area serves both and is much larger than them (the rest of the Kreis), passing its raw
counts as C_A and C_B lets its raw change dominate (target 20→10, buffer 30→20, control 500→400 would give
+180: "more crime", from a control of 500). Each area then gets its own control: the control's trend
r = C_after / C_before applied to the area's own before count, C_A = (A_before, r · A_before) and likewise
C_B, so that WDD = (A_after + B_after) − r (A_before + B_before) (−10 in the example). Both controls come
from the same counts, so the variance is computed for that expression (:func:`wdd_common_control`, delta
method): Var = A_after + B_after + r² (A_before + B_before) + (A_before + B_before)² r² (1/C_after + 1/C_before).
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
    d = wdd_common_control((a_before, a_after), (b_before, b_after), (c_before, c_after))
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


def wdd_common_control(target: tuple[float, float], buffer: tuple[float, float], control: tuple[float, float]) -> WDD:
    """WDD of target and buffer, each against its own control built from one common control area scaled to
    the area's before count (see the module); (before, after) counts of equal periods, control before > 0."""
    r = control[1] / control[0]
    local = target[1] - r * target[0]
    disp = buffer[1] - r * buffer[0]
    base = target[0] + buffer[0]
    var = target[1] + buffer[1] + r**2 * base + base**2 * r**2 * (1 / control[1] + 1 / control[0])
    return WDD(local, disp, local + disp, math.sqrt(var))
