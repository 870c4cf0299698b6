"""Everything the products for people need, in memory: the contract between warehouse and renderers.

:func:`load_report_data` reads it from the warehouse; tests build small instances by hand. Renderers
never query the warehouse themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

SYNTHETIC_LABEL = "Demodaten – synthetisch"

#: Attribution lines required by the licences (dl-de/by-2-0 and Destatis terms), in German.
ATTRIBUTION = {
    "pks": "Datenquelle: Bundeskriminalamt, Polizeiliche Kriminalstatistik {years} (Datenlizenz Deutschland – "
    "Namensnennung – Version 2.0, dl-de/by-2-0)",
    "unfallatlas": "Statistische Ämter des Bundes und der Länder, Unfallatlas {years} (dl-de/by-2-0)",
    "unfallstatistik": "Statistische Ämter des Bundes und der Länder, Regionalstatistik 46241-01-03; Statistisches "
    "Bundesamt (Destatis), GENESIS-Online 46241; BBSR, INKAR 2023 (dl-de/by-2-0)",
    "vg": "© GeoBasis-DE / BKG ({years}), Verwaltungsgebiete VG250/VG5000 (dl-de/by-2-0; Daten verändert)",
    "gv100ad": "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD – Vervielfältigung und Verbreitung, "
    "auch auszugsweise, mit Quellenangabe gestattet",
    "kiss_md": "Landeshauptstadt Magdeburg, Amt für Statistik, KISS-MD (Kriminalitätsstatistik)",
    "register": "Register der Präventionsgremien: Ministerium für Inneres und Sport Sachsen-Anhalt; "
    "Einträge aus öffentlichen Quellen, je Eintrag mit Quellenangabe",
}


@dataclass
class ReportData:
    """Inputs of every renderer. Geometries are in EPSG:25832; ``*_4326`` copies exist for web maps.

    * ``gemeinden``: ags (8), name, kreis_ags (5), population, area_km2, geometry — latest Gebietsstand.
    * ``kreise``: ags (5), name, kreis_type, population, area_km2, geometry.
    * ``panel``: the ``panel`` table for the Land's units and the Land itself (see pipelines/evaluation/tables.py).
    * ``effects`` / ``pooled``: ``measure_effects`` / ``effects_pooled``.
    * ``bodies`` / ``measures``: ``register_bodies`` / ``register_measures`` (no personal data).
    * ``points``: the Land's accident points (accident_uid, year, month, ags, category, lon, lat, x_25832, y_25832, …).
    * ``quality``: quarantined rows per asset and reason (asset, reason, rows); ``ingest_log`` as stored.
    * ``regions``: mapping region name → list of Kreis keys (conference decks).
    """

    land: str
    land_name: str
    gemeinden: gpd.GeoDataFrame
    kreise: gpd.GeoDataFrame
    panel: pd.DataFrame
    effects: pd.DataFrame
    pooled: pd.DataFrame
    bodies: pd.DataFrame
    measures: pd.DataFrame
    points: pd.DataFrame
    quality: pd.DataFrame
    ingest_log: pd.DataFrame
    regions: dict[str, list[str]]
    data_years: dict[str, tuple[int, int]] = field(default_factory=dict)
    synthetic: bool = False
    generated_on: dt.date = field(default_factory=dt.date.today)

    def attributions(self) -> list[str]:
        """The attribution lines for the sources present, with their years."""
        lines = []
        for key, template in ATTRIBUTION.items():
            years = self.data_years.get(key)
            if years is None and key not in ("register", "gv100ad"):
                continue
            span = "" if years is None else (str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}")
            lines.append(template.format(years=span).replace("  ", " ").replace(" ()", ""))
        if self.synthetic:
            lines.insert(0, f"{SYNTHETIC_LABEL}: alle Zahlen, Orte und Karten sind erfunden (Demo ohne echte Daten).")
        return lines

    def data_as_of(self) -> str:
        """'Datenstand' sentence: the latest year of each source."""
        parts = []
        labels = {
            "pks": "PKS",
            "unfallatlas": "Unfallatlas",
            "unfallstatistik": "Unfallstatistik",
            "gv100ad": "Bevölkerung",
        }
        for key, label in labels.items():
            if key in self.data_years:
                parts.append(f"{label} bis {self.data_years[key][1]}")
        return "Datenstand: " + ", ".join(parts) if parts else "Datenstand: unbekannt"
