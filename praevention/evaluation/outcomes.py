"""What the evaluation counts: crime, not the administration of residence and asylum law.

"Straftaten insgesamt" (PKS key ``------``) includes violations of residence, asylum and free-movement law
(key ``725000``). They are recorded where the foreigners' authorities and reception centres are, not where
local crime happens: in the Landkreis Harz, home of the Zentrale Anlaufstelle für Asylbewerber in
Halberstadt, they were 32 % of all offences in 2016, 69 cases in 2022 and 29 % in 2024. A council's work
cannot change them, and their swings would be read as its success or failure.

* **The outcome "all offences"** is therefore all offences without these violations: the BKA's key
  ``890000`` ("Straftaten insgesamt, jedoch ohne Verstöße gegen das Aufenthalts-, Asyl- und
  Freizügigkeitsgesetz/EU", published in table T01 from 2015) where the table has it, else ``------`` minus
  ``725000`` (:func:`add_without_asylum`; in every year where both are published the two agree). Its label
  says what it is: :data:`WITHOUT_ASYLUM_LABEL`.
* **Register targets.** A measure or a council aiming at "all offences" (``------``) is evaluated on
  ``890000`` (:func:`design_key`). The one exception are a city's Stadtteile: the city's statistics publish
  only all offences per Stadtteil, so a Stadtteil design counts ``------`` and its note says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from praevention.readers.pks import ALL_OFFENCES

ASYLUM_LAW = "725000"
WITHOUT_ASYLUM = "890000"
WITHOUT_ASYLUM_INDICATOR = f"pks:{WITHOUT_ASYLUM}"
WITHOUT_ASYLUM_LABEL = "Straftaten ohne ausländerrechtliche Verstöße"
#: the source note of a derived row
DERIVED_SOURCE = "(Schlüssel ------ ohne 725000)"
#: what a Stadtteil design of "all offences" counts, said in its note
STADTTEIL_ALL_OFFENCES = (
    "Die Stadtteilstatistik zählt alle Straftaten; ausländerrechtliche Verstöße sind darin nicht getrennt ausgewiesen"
)


def design_key(key: str, level: str) -> str:
    """The PKS key a design on ``level`` evaluates for a registered target ``key``: all offences are
    evaluated without violations of residence and asylum law, except on Stadtteile (only ``------``)."""
    if key == ALL_OFFENCES and level != "Stadtteil":
        return WITHOUT_ASYLUM
    return key


def add_without_asylum(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (panel rows with ``unit_ags``, ``year``, ``indicator``, ``count``, …) with a row
    ``pks:890000`` for every unit and year that has ``------`` and ``725000`` but no published ``890000``:
    a copy of the ``------`` row with the difference as its count (no published HZ). Every ``890000`` row
    carries :data:`WITHOUT_ASYLUM_LABEL`."""
    if rows.empty:
        return rows
    key = ["unit_ags", "year"]
    total = rows[rows["indicator"] == f"pks:{ALL_OFFENCES}"]
    asylum = rows[rows["indicator"] == f"pks:{ASYLUM_LAW}"][[*key, "count"]]
    have = rows.loc[rows["indicator"] == WITHOUT_ASYLUM_INDICATOR, key]
    derived = total.merge(asylum, on=key, suffixes=("", "_asylum")).merge(
        have.assign(published=True), on=key, how="left"
    )
    derived = derived[derived["published"].isna()].drop(columns="published")
    derived["count"] = derived["count"] - derived.pop("count_asylum")
    derived["indicator"] = WITHOUT_ASYLUM_INDICATOR
    if "offence_key" in derived:
        derived["offence_key"] = WITHOUT_ASYLUM
    if "hz_published" in derived:
        derived["hz_published"] = np.nan
    if "source" in derived:
        derived["source"] = derived["source"].astype(str) + " " + DERIVED_SOURCE
    out = pd.concat([rows, derived], ignore_index=True)
    out.loc[out["indicator"] == WITHOUT_ASYLUM_INDICATOR, "indicator_label"] = WITHOUT_ASYLUM_LABEL
    return out
