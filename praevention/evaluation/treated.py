"""The register's treated units: what the calibration needs of the register, and nothing more.

The calibration (:mod:`praevention.evaluation.calibration`) draws placebo measures in Kreise without a
registered body or measure, on the PKS indicators the register's designs use, and leaves every unit with an
evaluable registered design out of the comparison pools, as the evaluation of the real measures does. The
``treated_units`` table holds exactly these three, so that the calibration depends on the set of treated
units and not on the register's text: a corrected title, a new note or another partner leaves it as it was.

One row per unit and indicator of a registered design (``evaluable``: at least one of its designs is
evaluable) and one per Kreis with a registered body or measure and per Gemeinde or Kreis the register names
(``indicator`` ``*``; ``named``: the register names the unit itself): no Kreis placebo is drawn in such a
Kreis, no Gemeinde placebo in a named Gemeinde or Kreis.
"""

from __future__ import annotations

import pandas as pd

from praevention.evaluation.calibration import register_indicators, registered_kreise, registered_places
from praevention.evaluation.design import Design

#: the indicator of a Kreis's or Gemeinde's row: a registered body or measure there, whatever its targets
EVERY_INDICATOR = "*"
COLUMNS = ["unit_ags", "indicator", "evaluable", "named"]


def treated_table(designs: list[Design], bodies: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """The ``treated_units`` rows of the register's designs and its bodies and measures."""
    named = registered_places(bodies, measures)
    rows: dict[tuple[str, str], bool] = dict.fromkeys(
        ((place, EVERY_INDICATOR) for place in registered_kreise(bodies, measures) | named), False
    )
    for d in designs:
        if d.indicator:
            key = (d.unit_ags, d.indicator)
            rows[key] = rows.get(key, False) or d.evaluable
    frame = pd.DataFrame(
        [(u, i, e, i == EVERY_INDICATOR and u in named) for (u, i), e in rows.items()], columns=COLUMNS
    )
    return frame.sort_values(["indicator", "unit_ags"], ignore_index=True)


def calibration_units(table: pd.DataFrame) -> tuple[list[str], set[str], dict[str, set[str]], set[str]]:
    """(indicators, excluded Kreise, indicator → treated units, registered Gemeinden and Kreise) of
    :func:`~praevention.evaluation.calibration.calibrate_units` from the ``treated_units`` table."""
    places = table["indicator"] == EVERY_INDICATOR
    treated: dict[str, set[str]] = {}
    for unit, indicator in table.loc[~places & table["evaluable"].astype(bool), ["unit_ags", "indicator"]].itertuples(
        index=False
    ):
        treated.setdefault(indicator, set()).add(unit)
    named = set(table.loc[places & table["named"].astype(bool), "unit_ags"])
    kreise = {u[:5] for u in table.loc[places, "unit_ags"]}
    return register_indicators(table.loc[~places, "indicator"]), kreise, treated, named
