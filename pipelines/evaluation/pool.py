"""The comparison pool of a design, chosen by rule before any estimate is seen.

* **Kreis, crime:** every Kreis in Germany of the same type (kreisfreie Stadt or Landkreis) with a
  complete series and no registered measure on the indicator. Each Kreis's change is measured against
  the rest of its own Land (:mod:`pipelines.stats.did`), so a shock shared by the Kreise of one Land does
  not count as an effect. The pool is not selected on the before-period trend: the pre-trend test would
  otherwise be run on the data that chose the pool.
* **Kreis or Gemeinde, traffic:** the other units of the same level in the Land (accident data exist for
  the Land only); the pool's own change carries the Land's shocks.
* **Land:** the other Länder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.evaluation.design import Design
from pipelines.evaluation.inputs import EvaluationData
from pipelines.stats.did import CountPanel

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
