"""Everything the products for people need, in memory: the contract between warehouse and renderers.

:func:`load_report_data` reads it from the warehouse; tests build small instances by hand. Renderers
never query the warehouse themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from praevention.evaluation.design import span as year_span
from praevention.evaluation.pooling import COLUMNS as TYPE_COLUMNS
from praevention.evaluation.sites import SITE_SEPARATOR
from praevention.register.sourced_register import is_placeholder_body as is_placeholder
from praevention.render import fmt
from praevention.render.disclosure import mark_panel, single_gemeinde_kreise
from praevention.render.roadsafety import site_unit_name

SYNTHETIC_LABEL = "Demodaten – synthetisch"

#: Attribution lines required by the licences (dl-de/by-2-0 and Destatis terms), in German.
ATTRIBUTION = {
    "pks": "Datenquelle: Bundeskriminalamt, Polizeiliche Kriminalstatistik {years} (Datenlizenz Deutschland – "
    "Namensnennung – Version 2.0, dl-de/by-2-0)",
    "pks_gemeinden": "Landeskriminalamt Sachsen-Anhalt, Polizeiliche Kriminalstatistik nach Tatortgemeinde {years} "
    "(nicht veröffentlicht, vom Ministerium für Inneres und Sport bereitgestellt)",
    "unfallatlas": "Statistische Ämter des Bundes und der Länder, Unfallatlas {years} (dl-de/by-2-0)",
    "unfallstatistik": "Statistische Ämter des Bundes und der Länder, Regionalstatistik 46241-01-03; Statistisches "
    "Bundesamt (Destatis), GENESIS-Online 46241; BBSR, INKAR 2023 (dl-de/by-2-0)",
    "vg": "© GeoBasis-DE / BKG ({years}), Verwaltungsgebiete VG250/VG5000 (dl-de/by-2-0; Daten verändert)",
    "gv100ad": "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD – Vervielfältigung und Verbreitung, "
    "auch auszugsweise, mit Quellenangabe gestattet",
    "kiss_md": "Landeshauptstadt Magdeburg, Amt für Statistik, KISS-MD (Kriminalitätsstatistik)",
    "register": "Register der Präventionsgremien: Ministerium für Inneres und Sport Sachsen-Anhalt; "
    "Einträge aus öffentlichen Quellen, je Eintrag mit Quellenangabe",
    "umfragen": "Befragungen zum Sicherheitsgefühl {years}: Erhebungen der Gemeinden und Präventionsgremien mit dem "
    "Standardfragebogen des Präventionsmonitors (Fragen nach SKiD und Deutschem Viktimisierungssurvey)",
}


#: German names of the warehouse's sources (the quarantine's ``asset`` column), for people
SOURCE_NAMES = {
    "boundaries": "Gebietsgrenzen",
    "accident_counts": "Unfallstatistik",
    "accident_points": "Unfallatlas",
    "crime_cases": "PKS",
    "population": "Bevölkerung",
    "register": "Register",
    "crime_city_stats": "KISS-MD",
    "crime_gemeinde_cases": "PKS nach Tatortgemeinde (LKA)",
}

#: the sources whose latest year dates the outputs (boundaries and population lag behind them)
DATA_DATE_SOURCES = ("pks", "unfallatlas", "unfallstatistik")
NO_DATA_DATE = dt.date(1970, 1, 1)


@dataclass
class ReportData:
    """Inputs of every renderer. Geometries are in EPSG:25832; ``*_4326`` copies exist for web maps.

    * ``gemeinden``: ags (8), name, kreis_ags (5), population, area_km2, geometry — latest Gebietsstand.
    * ``kreise``: ags (5), name, kreis_type, population, area_km2, geometry.
    * ``panel``: the ``panel`` table for the Land's units and the Land itself (see praevention/evaluation/tables.py).
    * ``effects`` / ``pooled``: ``measure_effects`` / ``effects_pooled``; ``types``: ``measure_type_effects``.
    * ``calibration``: the ``calibration`` table (false positives of the procedure on placebo measures).
    * ``bodies`` / ``measures``: ``register_bodies`` / ``register_measures`` without their free-text ``notes``.
    * ``points``: the Land's accident points (accident_uid, year, month, ags, category, lon, lat, x_25832, y_25832, …).
    * ``quality``: quarantined rows per asset and reason (asset, reason, rows); ``ingest_log`` as stored.
    * ``regions``: mapping region name → list of Kreis keys (conference decks).
    * ``safety`` / ``safety_changes``: ``safety_perception`` / ``safety_changes`` (empty without surveys).
    * ``screening`` / ``site_calibration``: ``accident_screening`` / ``site_calibration`` (road safety at a place).
    """

    land: str
    land_name: str
    gemeinden: gpd.GeoDataFrame
    kreise: gpd.GeoDataFrame
    panel: pd.DataFrame
    effects: pd.DataFrame
    pooled: pd.DataFrame
    calibration: pd.DataFrame
    bodies: pd.DataFrame
    measures: pd.DataFrame
    points: pd.DataFrame
    quality: pd.DataFrame
    ingest_log: pd.DataFrame
    regions: dict[str, list[str]]
    data_years: dict[str, tuple[int, int]] = field(default_factory=dict)
    synthetic: bool = False
    #: dissolved Gemeinden (today parts of a Gemeinde of their Kreis) with the name the statistics gave them:
    #: ags, name
    former_gemeinden: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["ags", "name"]))
    #: the date every output carries (footers, workbook and deck properties, zip members): the end of the
    #: latest year of crime or accident data, not the day of the run, so that runs on different days give
    #: identical files; derived from ``data_years`` unless given
    data_date: dt.date | None = None
    safety: pd.DataFrame = field(default_factory=pd.DataFrame)
    safety_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: ``measure_type_effects``: the evaluations pooled by type of measure ("Was wirkt?")
    types: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*TYPE_COLUMNS, "verdict_de"]))
    screening: pd.DataFrame = field(default_factory=pd.DataFrame)
    site_calibration: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        if self.data_date is None:
            latest = [hi for key, (_, hi) in self.data_years.items() if key in DATA_DATE_SOURCES]
            self.data_date = dt.date(max(latest), 12, 31) if latest else NO_DATA_DATE
        if "disclosure" not in self.panel:
            self.panel = self._published_panel(self.panel)

    def _published_panel(self, panel: pd.DataFrame) -> pd.DataFrame:
        """The panel as every product shows it: only today's Gemeinden and Kreise (no rows of dissolved
        Gemeinden or old Kreise, which have no name and no boundary) and the Land, Stadtteile kept; each row's
        ``disclosure`` flag (:func:`praevention.render.disclosure.mark_panel`)."""
        level, ags = panel["unit_level"].astype(str), panel["unit_ags"].astype(str)
        current = (
            ((level == "Gemeinde") & ags.isin(set(self.gemeinden["ags"].astype(str))))
            | ((level == "Kreis") & ags.isin(set(self.kreise["ags"].astype(str))))
            | ~level.isin(["Gemeinde", "Kreis"])
        )
        out = panel[current].reset_index(drop=True)
        return out.assign(disclosure=mark_panel(out, self.kreisfreie))

    def top_sites(self, ags: str, n: int) -> pd.DataFrame:
        """The ``n`` first-ranked screened road sites of a Gemeinde (``accident_screening``; none without it)."""
        if not len(self.screening):
            return self.screening
        return self.screening[self.screening["ags"] == ags].sort_values("rank").head(n)

    @property
    def real_bodies(self) -> pd.DataFrame:
        """The register's bodies without placeholders (:func:`is_placeholder`)."""
        return self.bodies[~self.bodies["body_id"].map(is_placeholder)]

    @cached_property
    def kreisfreie(self) -> set[str]:
        """The Kreise that are one Gemeinde (kreisfreie Städte)."""
        return single_gemeinde_kreise(self.gemeinden, self.kreise)

    def attributions(self, *keys: str) -> list[str]:
        """The attribution lines for the sources present, with their years; only ``keys`` when given."""
        lines = []
        for key, template in ATTRIBUTION.items():
            if keys and key not in keys:
                continue
            years = self.data_years.get(key)
            if years is None and key not in ("register", "gv100ad"):
                continue
            span = "" if years is None else (str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}")
            if key == "unfallatlas" and len(self.points):  # the years as present: a missing year is no range
                span = year_span(sorted({int(y) for y in self.points["year"]}))
            lines.append(template.format(years=span).replace("  ", " ").replace(" ()", ""))
        if self.synthetic:  # no number comes from these sources: they only lent their file formats
            lines = [f"Dateiformat wie: {line}" for line in lines]
            lines.insert(0, f"{SYNTHETIC_LABEL}: alle Zahlen, Orte und Karten sind erfunden (Demo ohne echte Daten).")
        return lines

    @staticmethod
    def sources_of(indicator: str, *, geometry: bool = False) -> tuple[str, ...]:
        """The attribution keys behind one panel indicator (plus the boundaries when drawn on a map)."""
        if indicator.startswith("pks:"):
            keys: tuple[str, ...] = ("pks", "gv100ad")
        elif indicator.startswith("acc:points_"):
            keys = ("unfallatlas", "gv100ad")
        else:
            keys = ("unfallstatistik", "gv100ad")
        return (*keys, "vg") if geometry else keys

    def event_name(self, measure_id: str, limit: int = 0) -> str:
        """What people call a measure or a body's founding (never its register ID), cut to ``limit``
        characters at a word boundary when given (:func:`praevention.render.verdict.event_title`, :func:`fmt.shorten`)."""
        from praevention.render.verdict import event_title

        titles = (
            dict(zip(self.measures["measure_id"], self.measures["title"], strict=False)) if len(self.measures) else {}
        )
        names = dict(zip(self.bodies["body_id"], self.bodies["name"], strict=False)) if len(self.bodies) else {}
        return fmt.shorten(event_title(str(measure_id), titles, names), limit)

    def kreis_label(self, ags: str) -> str:
        """A Kreis as people name it: 'Landkreis Harz'; a name that says 'kreis' (Burgenlandkreis, Altmarkkreis
        Salzwedel) or 'Landkreis' and a kreisfreie Stadt as they are."""
        hit = self.kreise[self.kreise["ags"].astype(str) == str(ags)]
        if hit.empty:
            return f"Kreis {ags}"
        name, kind = str(hit["name"].iloc[0]), str(hit["kreis_type"].iloc[0]) if "kreis_type" in hit else ""
        if "kreisfrei" in kind.lower() or str(ags) in self.kreisfreie or "kreis" in name.lower():
            return name
        return f"Landkreis {name}"

    def unit_name(self, ags: str) -> str:
        """The name of a Gemeinde, a Kreis or the Land; a Stadtteil group by its numbers; a measure's site."""
        ags = str(ags)
        if ags == self.land:
            return self.land_name
        if SITE_SEPARATOR in ags:
            return site_unit_name(self.unit_name(ags.split(SITE_SEPARATOR)[0]))
        for frame in (self.gemeinden, self.kreise):
            hit = frame.loc[frame["ags"] == ags, "name"]
            if len(hit):
                return str(hit.iloc[0])
        if "-" in ags:
            return f"{self.unit_name(ags.split('-')[0])}, Stadtteile {ags.partition('-')[2].replace('+', ', ')}"
        return ags or "Deutschland"

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


def load_regions(scheme: str, land: str, kreise: list[str], config: Path | None = None) -> dict[str, list[str]]:
    """Regions for the conference kit: ``kreise`` (one per Kreis) or the police inspections from ``data/regions.yaml``."""
    import yaml

    if scheme == "kreise":
        return {k: [k] for k in kreise}
    path = config or Path(__file__).resolve().parents[2] / "data" / "regions.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    regions = {name: list(keys) for name, keys in (doc.get("sachsen-anhalt" if land == "15" else land) or {}).items()}
    covered = {k for keys in regions.values() for k in keys}
    if not regions or not set(kreise) <= covered:
        return {k: [k] for k in kreise}  # no complete region definition for this Land: one region per Kreis
    return regions


def _geo(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    import shapely

    wkb = [bytes(b) for b in frame["wkb"]]
    return gpd.GeoDataFrame(frame.drop(columns=["wkb"]), geometry=shapely.from_wkb(wkb), crs=25832)


def load_report_data(con, land: str, *, synthetic: bool = False, regions: str = "polizeiinspektionen") -> ReportData:
    """Read everything the renderers need from the warehouse (no personal data is stored there)."""
    from praevention.evaluation.panel import LAND_NAMES

    sql_dir = Path(__file__).parent / "sql"
    gem = _geo(con.execute((sql_dir / "gemeinden.sql").read_text(), [land]).df())
    kre = _geo(con.execute((sql_dir / "kreise.sql").read_text(), [land]).df())
    panel = con.execute("SELECT * FROM panel WHERE substr(unit_ags, 1, 2) = ?", [land]).df()
    effects = con.execute("SELECT * FROM measure_effects").df()
    pooled = con.execute("SELECT * FROM effects_pooled").df()
    types = con.execute("SELECT * FROM measure_type_effects").df()
    calibration = con.execute("SELECT * FROM calibration").df()
    # the register's free text (notes) is for the register keeper, never for a product
    bodies = con.execute("SELECT * EXCLUDE (notes) FROM register_bodies").df()
    measures = con.execute("SELECT * EXCLUDE (notes) FROM register_measures").df()
    points = con.execute(
        "SELECT accident_uid, year, month, ags, category, lon, lat, x_25832, y_25832, is_pedestrian, is_bicycle, "
        "is_motorcycle, is_car FROM accident_points WHERE substr(ags, 1, 2) = ? ORDER BY accident_uid",
        [land],
    ).df()
    screening = con.execute("SELECT * FROM accident_screening ORDER BY ags, rank").df()
    site_calibration = con.execute("SELECT * FROM site_calibration").df()
    quality = con.execute("SELECT asset, reason, count(*) AS rows FROM quarantine GROUP BY ALL ORDER BY ALL").df()
    ingest_log = con.execute("SELECT * FROM ingest_log ORDER BY asset, source_file").df()
    years = {}
    for key, sql, params in (
        ("pks", "SELECT min(year), max(year) FROM crime_cases", []),
        ("pks_gemeinden", "SELECT min(year), max(year) FROM crime_gemeinde_cases", []),
        ("unfallatlas", "SELECT min(year), max(year) FROM accident_points WHERE substr(ags, 1, 2) = ?", [land]),
        # yearly figures only: the monthly GENESIS tables run ahead with provisional months
        ("unfallstatistik", "SELECT min(year), max(year) FROM accident_counts WHERE month IS NULL", []),
        ("vg", "SELECT min(year(valid_from)), max(year(valid_from)) FROM boundaries", []),
        ("gv100ad", "SELECT min(year(reference_date)), max(year(reference_date)) FROM population", []),
    ):
        lo, hi = con.execute(sql, params).fetchone()
        if lo is not None:
            years[key] = (int(lo), int(hi))
    safety, changes = pd.DataFrame(), pd.DataFrame()
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'safety_perception'").fetchone()[
        0
    ]:
        safety = con.execute("SELECT * FROM safety_perception ORDER BY ags, wave_date, item").df()
        changes = con.execute("SELECT * FROM safety_changes ORDER BY ags, item, wave_before").df()
        if len(safety):
            years["umfragen"] = (int(safety["wave_date"].min().year), int(safety["wave_date"].max().year))
    if con.execute("SELECT count(*) FROM crime_city_stats").fetchone()[0]:
        years["kiss_md"] = tuple(
            int(v) for v in con.execute("SELECT min(year), max(year) FROM crime_city_stats").fetchone()
        )
    former = con.execute(
        "SELECT DISTINCT ags, unit_name AS name FROM accident_counts WHERE level = 'Gemeinde' AND substr(ags, 1, 2) = ? "
        "AND unit_name IS NOT NULL ORDER BY ags",
        [land],
    ).df()
    return ReportData(
        former_gemeinden=former[~former["ags"].isin(set(gem["ags"]))].reset_index(drop=True),
        land=land,
        land_name="Demoland" if synthetic else LAND_NAMES.get(land, land),
        gemeinden=gem,
        kreise=kre,
        panel=panel,
        effects=effects,
        pooled=pooled,
        calibration=calibration,
        bodies=bodies,
        measures=measures,
        points=points,
        quality=quality,
        ingest_log=ingest_log,
        regions=load_regions(regions, land, sorted(kre["ags"])),
        data_years=years,
        synthetic=synthetic,
        safety=safety,
        safety_changes=changes,
        types=types,
        screening=screening,
        site_calibration=site_calibration,
    )
