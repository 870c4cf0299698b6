"""The comparison pool of a design, chosen by rule before any estimate is seen.

* **Kreis, crime:** every Kreis in Germany of the same type (kreisfreie Stadt or Landkreis) with a
  complete series and no registered measure on the indicator. Each Kreis's change is measured against
  the rest of its own Land (:mod:`praevention.stats.did`), so a shock shared by the Kreise of one Land does
  not count as an effect. The pool is not selected on the before-period trend: the pre-trend test would
  otherwise be run on the data that chose the pool.
* **Kreis or Gemeinde, traffic:** the other units of the same level in the Land (accident data exist for
  the Land only); the pool's own change carries the Land's shocks.
* **Stadtteile:** the other Stadtteile of the same city (counts only: no population is published per
  Stadtteil, and within one city over a few years the population changes little); the named Stadtteile
  of a measure are summed into one unit.
* **Land:** the other Länder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from praevention.evaluation.design import Design, stadtteil_parts
from praevention.evaluation.inputs import EvaluationData
from praevention.stats.did import CountPanel

TYPE_PLURAL = {"Kreisfreie Stadt": "kreisfreie Städte", "Landkreis": "Landkreise"}


@dataclass(frozen=True)
class Pool:
    panel: CountPanel
    treated: int | None
    members: np.ndarray
    regional: bool
    text: str

    @property
    def size(self) -> int:
        return len(self.members)


def comparison_pool(data: EvaluationData, d: Design, excluded: set[str]) -> Pool:
    """The pool of design ``d``; ``excluded`` are units with a registered measure on the same indicator."""
    panel, eligible = data.count_panel(d.indicator, d.unit_level)
    if d.unit_level == "Stadtteil":
        return _stadtteil_pool(panel, eligible, d.unit_ags, excluded)
    treated = panel.index(d.unit_ags)
    ok = eligible & ~np.isin(panel.units, list(excluded | {d.unit_ags}))
    if d.unit_level == "Land":
        members = np.flatnonzero(ok)
        return Pool(panel, treated, members, False, f"die {len(members)} anderen Länder")
    if d.unit_level == "Kreis" and d.domain == "crime":
        kind = data.kinds.get(d.unit_ags)
        same = np.array([data.kinds.get(u) == kind for u in panel.units], dtype=bool)
        members = np.flatnonzero(ok & same)
        text = (
            f"{len(members)} {TYPE_PLURAL.get(str(kind), 'Kreise')} in Deutschland ohne registrierte Maßnahme, "
            "jeweils gemessen an der Entwicklung im übrigen Land"
        )
        return Pool(panel, treated, members, True, text)
    in_land = np.array([u[:2] == data.land for u in panel.units], dtype=bool)
    members = np.flatnonzero(ok & in_land)
    plural = "Gemeinden" if d.unit_level == "Gemeinde" else "Kreise"
    return Pool(panel, treated, members, False, f"{len(members)} weitere {plural} des Landes")


#: KISS-MD's code for crimes that cannot be assigned to a Stadtteil (not a place: never a comparison)
UNASSIGNED = "99"


def _stadtteil_pool(panel: CountPanel, eligible: np.ndarray, unit: str, excluded: set[str]) -> Pool:
    """The named Stadtteile summed into one row appended to the panel, against the city's other Stadtteile."""
    parts = stadtteil_parts(unit)
    rows = np.flatnonzero(np.isin(panel.units, parts))
    if len(rows) < len(parts):
        return Pool(panel, None, np.array([], dtype=int), False, "")
    city = unit.split("-")[0]
    own = np.array([u.startswith(city + "-") and u.rsplit("-", 1)[1] != UNASSIGNED for u in panel.units])
    blocked = {p for x in excluded if "-" in x for p in stadtteil_parts(x)}
    members = np.flatnonzero(own & eligible & ~np.isin(panel.units, list(blocked | set(parts))))
    combined = CountPanel(
        units=np.append(panel.units, unit),
        years=panel.years,
        counts=np.vstack([panel.counts, panel.counts[rows].sum(axis=0)]),
        exposure=np.vstack([panel.exposure, panel.exposure[rows].sum(axis=0)]),
        region=np.append(panel.region, ""),
    )
    text = f"{len(members)} weitere Stadtteile der Stadt (Fallzahlen, ohne Einwohnerzahlen je Stadtteil)"
    return Pool(combined, len(panel.units), members, False, text)
