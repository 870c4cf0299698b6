"""A seeded generator of a fictional Land in the published file formats the real readers parse.

"Demoland" has the Land key ``99`` (no real Land has it), about 150 Gemeinden in 10 Kreise (three
kreisfreie Städte), plausible Voronoi shapes in the North Sea west of Schleswig-Holstein (inside the
Unfallatlas coordinate checks, far from real municipalities), populations, PKS T01 tables 2014–2024
(with a comparison pool of 160 Kreise in the equally fictional Land ``98``), the LKA's PKS by
Tatortgemeinde in its import template (every Gemeinde, 2014–2024), Unfallatlas yearly zips
2017–2024, GV100AD editions and a register of councils whose true effects are known.

Everything generated here is synthetic and is labelled so wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from praevention.demo.streets import (
    Chosen,
    Layout,
    Planted,
    SiteMeasure,
    layout,
    plant,
    simulate_city,
)
from praevention.evaluation.design import is_kreisfreie_stadt
from praevention.readers.pks import ALL_OFFENCES

LAND = "99"
POOL_LAND = "98"
LAND_NAME = "Demoland"
YEARS = range(2014, 2025)
ACCIDENT_YEARS = range(2017, 2025)
OFFENCES = {
    ALL_OFFENCES: ("Straftaten insgesamt", 6500.0),
    "****00": ("Diebstahl insgesamt und zwar:", 2300.0),
    "435*00": ("Wohnungseinbruchdiebstahl §§ 244 Abs. 1 Nr. 3 und Abs. 4, 244a StGB", 120.0),
    "892000": ("Gewaltkriminalität", 220.0),
    "899000": ("Straßenkriminalität", 1400.0),
    "674000": ("Sachbeschädigung §§ 303-305a StGB", 700.0),
}
CENTRE_LONLAT = (6.6, 54.55)
RADIUS_M = 55_000.0
_TO_UTM = Transformer.from_crs(4326, 25832, always_xy=True)
_TO_WGS = Transformer.from_crs(25832, 4326, always_xy=True)


@dataclass(frozen=True)
class TrueEffect:
    """What the evaluation should find: the rate ratio a measure really had in the generated data."""

    measure_id: str
    body_id: str
    unit_ags: str
    indicator: str
    start: dt.date
    true_rr: float


@dataclass
class DemoLand:
    gemeinden: pd.DataFrame  # ags, name, kreis, population(year), geometry (EPSG:25832)
    kreise: pd.DataFrame
    effects: list[TrueEffect] = field(default_factory=list)


def _blob(rng: np.random.Generator) -> shapely.Polygon:
    cx, cy = _TO_UTM.transform(*CENTRE_LONLAT)
    angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    wobble = 1 + 0.18 * np.sin(3 * angles + rng.uniform(0, 6)) + 0.08 * np.sin(7 * angles + rng.uniform(0, 6))
    pts = np.c_[cx + RADIUS_M * wobble * np.cos(angles), cy + 0.8 * RADIUS_M * wobble * np.sin(angles)]
    return shapely.Polygon(pts)


def _partition(rng: np.random.Generator, land: shapely.Polygon, n: int) -> list[shapely.Polygon]:
    minx, miny, maxx, maxy = land.bounds
    pts = []
    while len(pts) < n:
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if land.contains(p):
            pts.append(p)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=land.buffer(10_000))
    by_seed = []
    for p in pts:
        cell = next(c for c in cells.geoms if c.contains(p))
        by_seed.append(cell.intersection(land))
    return by_seed


def build_land(seed: int = 20261125, n_gemeinden: int = 150, n_landkreise: int = 7) -> DemoLand:
    """Geometry and population of Demoland (populations of 31.12.2013, before the trends)."""
    rng = np.random.default_rng(seed)
    land = _blob(rng)
    cells = _partition(rng, land, n_gemeinden)
    cent = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    # three cities (kreisfreie Städte) at the cells nearest three spread-out anchors; the rest in Landkreise
    anchors = cent[rng.choice(len(cells), 3, replace=False)]
    cities = sorted({int(np.argmin(((cent - a) ** 2).sum(1))) for a in anchors})
    others = [i for i in range(len(cells)) if i not in cities]
    # Landkreise: assign the remaining cells to the nearest of n_landkreise seeds (compact districts)
    seeds = cent[rng.choice(others, n_landkreise, replace=False)]
    kreis_of = {i: int(np.argmin(((seeds - cent[i]) ** 2).sum(1))) for i in others}
    rows = []
    names = _names(rng, len(cells))
    for n, i in enumerate(cities, start=1):
        rows.append(
            (
                f"{LAND}00{n}000",
                names[i],
                f"{LAND}00{n}",
                "Kreisfreie Stadt",
                cells[i],
                int(rng.integers(90_000, 240_000)),
            )
        )
    counters: dict[int, int] = {}
    for i in others:
        k = kreis_of[i]
        counters[k] = counters.get(k, 0) + 1
        kreis = f"{LAND}{51 + k:03d}"
        pop = int(np.clip(rng.lognormal(8.6, 1.0), 350, 60_000))
        rows.append((f"{kreis}{counters[k] * 5:03d}", names[i], kreis, "Landkreis", cells[i], pop))
    gem = pd.DataFrame(rows, columns=["ags", "name", "kreis", "kreis_type", "geometry", "population"])
    kreise = []
    for kreis, g in gem.groupby("kreis"):
        city = g["kreis_type"].iloc[0] == "Kreisfreie Stadt"
        name = g["name"].iloc[0] if city else f"Landkreis {_kreis_name(int(kreis[2:]))}"
        kreise.append(
            (
                kreis,
                name,
                g["kreis_type"].iloc[0],
                shapely.union_all(g["geometry"].to_numpy()),
                int(g["population"].sum()),
            )
        )
    kr = pd.DataFrame(kreise, columns=["ags", "name", "kreis_type", "geometry", "population"])
    return DemoLand(gem.sort_values("ags").reset_index(drop=True), kr)


_SYLLABLES = [
    "Alt",
    "Neu",
    "Ober",
    "Nieder",
    "Grün",
    "Stein",
    "Wasser",
    "Sand",
    "Moor",
    "Dün",
    "Deich",
    "Kliff",
    "Hafen",
    "Lin",
    "Ros",
    "Bir",
    "Eschen",
    "Ahorn",
    "Falken",
    "Möwen",
    "Salz",
    "Bern",
    "Wend",
    "Marsch",
]
_SUFFIXES = ["dorf", "hagen", "stedt", "burg", "feld", "berg", "au", "wik", "büll", "hausen", "tal", "koog", "siel"]


def _names(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = str(rng.choice(_SYLLABLES)) + str(rng.choice(_SUFFIXES))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _kreis_name(k: int) -> str:
    return [
        "Nordmarsch",
        "Dünenland",
        "Salzwiesen",
        "Hallig-Geest",
        "Möwenküste",
        "Bernsteinland",
        "Deichvorland",
        "Seewind",
        "Kliffland",
        "Wattenrand",
    ][k % 10]


# ---------------------------------------------------------------------------------------------------
# statistics with known effects


@dataclass(frozen=True)
class Treatment:
    unit: str  # Kreis key (crime) or Gemeinde key (accidents)
    indicator: str  # 'pks:<key>' or 'acc:points_all'
    start: dt.date
    true_rr: float


def pool_kreise(rng: np.random.Generator, n: int = 160, cities: int = 40) -> pd.DataFrame:
    """Comparison Kreise of the fictional Land 98 (no boundaries: used only as comparison pools); enough
    of each type that the evaluation's placebo inference has more than 19 comparisons per type."""
    rows = []
    for i in range(n):
        city = i < cities
        pop = int(rng.integers(90_000, 400_000)) if city else int(rng.integers(60_000, 300_000))
        rows.append(
            (
                f"{POOL_LAND}{(1 if city else 51) + i:03d}",
                f"Vergleichskreis {i + 1}",
                "Kreisfreie Stadt" if city else "Landkreis",
                pop,
            )
        )
    return pd.DataFrame(rows, columns=["ags", "name", "kreis_type", "population"])


def kreis_rates(rng: np.random.Generator, kreise: pd.DataFrame) -> pd.DataFrame:
    """A level per Kreis and offence: cities have more street crime; a common trend of −2 % a year."""
    rows = []
    for _, k in kreise.iterrows():
        city = k["kreis_type"] == "Kreisfreie Stadt"
        for key, (_, base) in OFFENCES.items():
            level = base * (1.5 if city else 0.8) * rng.lognormal(0, 0.15)
            rows.append((k["ags"], key, level))
    return pd.DataFrame(rows, columns=["ags", "offence_key", "rate_per_100k"])


def simulate_pks(rng: np.random.Generator, kreise: pd.DataFrame, treatments: list[Treatment]) -> pd.DataFrame:
    """Cases per Kreis × year × offence: negative binomial around rate × population × trend × effect."""
    levels = kreis_rates(rng, kreise)
    rows = []
    for _, lv in levels.iterrows():
        k = kreise.set_index("ags").loc[lv["ags"]]
        shock = rng.normal(0, 0.03, len(YEARS))
        for j, year in enumerate(YEARS):
            pop = k["population"] * (1 - 0.004) ** (year - 2014)
            mu = lv["rate_per_100k"] * pop / 1e5 * 0.98 ** (year - 2014) * np.exp(shock[j])
            for t in treatments:
                if t.unit == lv["ags"] and t.indicator == f"pks:{lv['offence_key']}" and year > t.start.year:
                    mu *= t.true_rr
            alpha = 0.004  # NB2 overdispersion
            count = rng.poisson(rng.gamma(1 / alpha, mu * alpha)) if mu > 0 else 0
            rows.append((year, lv["ags"], k["name"], k["kreis_type"], lv["offence_key"], int(count), pop))
    out = pd.DataFrame(rows, columns=["year", "ags", "kreis_name", "kreis_type", "offence_key", "cases", "population"])
    # "Straftaten insgesamt" is at least the sum of the offences shown
    parts = out[out["offence_key"] != ALL_OFFENCES].groupby(["year", "ags"])["cases"].sum()
    total = out["offence_key"] == ALL_OFFENCES
    out.loc[total, "cases"] = np.maximum(
        out.loc[total, "cases"].to_numpy(),
        parts.reindex(list(zip(out.loc[total, "year"], out.loc[total, "ags"], strict=True))).to_numpy(),
    )
    return out


def write_pks(pks: pd.DataFrame, folder: Path) -> list[Path]:
    """One T01 CSV per year in the 2016–2019 layout: ISO-8859-1, column-number line, thousands commas."""
    folder.mkdir(parents=True, exist_ok=True)
    header = (
        "Schluessel;Straftat;Gemeindeschluessel;Stadt-/Landkreis;Kreisart;erfasste Faelle;HZ nach Zensus;"
        "Versuche - Anzahl;Versuche - Anteil in %;mit Schusswaffe gedroht;mit Schusswaffe geschossen;"
        "aufgeklaerte Faelle;Aufklaerungsquote;Tatverdaechtige insgesamt;Tatverdaechtige - maennlich;"
        "Tatverdaechtige - weiblich;Nichtdeutsche Tatverdaechtige - Anzahl;Nichtdeutsche Tatverdaechtige - Anteil in %"
    )
    paths = []
    kind = {"Kreisfreie Stadt": "KfS", "Landkreis": "LK"}
    for year, g in pks.groupby("year"):
        lines = [";".join(str(i) for i in range(1, 19)), header]
        for _, r in g.sort_values(["offence_key", "ags"]).iterrows():
            c = int(r["cases"])
            cleared = int(c * 0.55)
            suspects = int(c * 0.4)
            hz = c * 1e5 / r["population"]
            lines.append(
                ";".join(
                    [
                        r["offence_key"],
                        OFFENCES[r["offence_key"]][0],
                        str(int(r["ags"])),
                        r["kreis_name"],
                        kind[r["kreis_type"]],
                        f"{c:,}",
                        f"{round(hz):,}",
                        f"{int(c * 0.07):,}",
                        "7.0",
                        "0",
                        "0",
                        f"{cleared:,}",
                        f"{(cleared / c * 100 if c else 0):.1f}",
                        f"{suspects:,}",
                        f"{int(suspects * 0.75):,}",
                        f"{suspects - int(suspects * 0.75):,}",
                        f"{int(suspects * 0.2):,}",
                        "20.0",
                    ]
                )
            )
        path = folder / f"{year}_BKA-LKS-F-03-T01-Kreise_csv.csv"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
        paths.append(path)
    return paths


#: share of a Kreis's cases without a Tatortgemeinde (no scene in the Land, e.g. online fraud)
UNATTRIBUTED = 0.04


def simulate_tatortgemeinden(
    rng: np.random.Generator, land: DemoLand, pks: pd.DataFrame, treatments: list[Treatment]
) -> pd.DataFrame:
    """Cases per Gemeinde × year × offence: each Demoland Kreis's cases split among its Gemeinden by
    population (multinomial, with a share that has no Tatortgemeinde); then a Gemeinde's measure removes
    cases after its start year (binomial thinning with its true rate ratio) from the Gemeinde, its total and
    its Kreis (``pks`` is changed in place), so that the Gemeinden never add up to more than their Kreis."""
    own = pks[pks["ags"].str[:2] == LAND]
    rows = []
    for (year, kreis, key), cases in own.set_index(["year", "ags", "offence_key"])["cases"].items():
        members = land.gemeinden[land.gemeinden["kreis"] == kreis]
        share = members["population"].to_numpy(dtype=float)
        share = share / share.sum() * (1 - UNATTRIBUTED)
        split = rng.multinomial(int(cases), [*share, UNATTRIBUTED])[:-1]
        rows += [(year, ags, key, int(n)) for ags, n in zip(members["ags"], split, strict=True)]
    out = pd.DataFrame(rows, columns=["year", "ags", "offence_key", "cases"])
    for t in treatments:
        key = t.indicator.removeprefix("pks:")
        hit = (out["ags"] == t.unit) & (out["offence_key"] == key) & (out["year"] > t.start.year)
        kept = rng.binomial(out.loc[hit, "cases"].to_numpy(), t.true_rr)
        removed = dict(zip(out.loc[hit, "year"], out.loc[hit, "cases"].to_numpy() - kept, strict=True))
        out.loc[hit, "cases"] = kept
        for year, n in removed.items():
            total = (out["ags"] == t.unit) & (out["year"] == year) & (out["offence_key"] == ALL_OFFENCES)
            out.loc[total, "cases"] -= n
            kreis = (pks["ags"] == t.unit[:5]) & (pks["year"] == year) & pks["offence_key"].isin([key, ALL_OFFENCES])
            pks.loc[kreis, "cases"] -= n
    return out


def write_tatortgemeinden(cases: pd.DataFrame, folder: Path) -> Path:
    """The LKA's figures as the ministry delivers them: the import template, filled (AGS and keys as text)."""
    from praevention.files import write_document
    from praevention.lka.template import DATA_SHEET, template_workbook

    wb = template_workbook()
    ws = wb[DATA_SHEET]
    for i, r in enumerate(cases.sort_values(["year", "ags", "offence_key"]).itertuples(index=False), start=2):
        for j, value in enumerate((r.ags, int(r.year), r.offence_key, int(r.cases)), start=1):
            ws.cell(i, j, value)
    return write_document(folder / "pks_tatortgemeinden_2014-2024.xlsx", wb)


def _points_in(rng: np.random.Generator, poly: shapely.Polygon, n: int) -> np.ndarray:
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        cand = np.c_[rng.uniform(minx, maxx, 4 * n + 8), rng.uniform(miny, maxy, 4 * n + 8)]
        inside = shapely.contains_xy(poly, cand[:, 0], cand[:, 1])
        out = np.vstack([out, cand[inside]])
    return out[:n]


ACCIDENT_COLUMNS = [
    "uid",
    "year",
    "month",
    "ags",
    "category",
    "x",
    "y",
    "hour",
    "weekday",
    "kind",
    "type",
    "light",
    "road",
    "is_bicycle",
    "is_car",
    "is_pedestrian",
    "is_motorcycle",
    "is_goods_vehicle",
    "is_other",
]


def simulate_accidents(
    rng: np.random.Generator,
    land: DemoLand,
    treatments: list[Treatment],
    planted: dict[str, tuple[Layout, list[Planted], list[SiteMeasure]]] | None = None,
    street_seed: int = 0,
) -> tuple[pd.DataFrame, list[Chosen]]:
    """Accidents with personal injury per Gemeinde and year as points (Unfallatlas fields), and where the
    measures at a place went. With ``planted`` (city → its streets, hotspots and measures), the kreisfreie
    Städte's accidents lie on streets (:func:`praevention.demo.streets.simulate_city`, with the same yearly
    rates and a generator of its own, so that every other draw stays as it was), elsewhere anywhere in the
    Gemeinde."""
    rows = []
    uid = 0
    rates: dict[str, dict[int, float]] = {}
    for _, g in land.gemeinden.iterrows():
        base = 330.0 * rng.lognormal(0, 0.2)  # per 100,000 inhabitants and year
        for year in ACCIDENT_YEARS:
            mu = base * g["population"] / 1e5 * 0.985 ** (year - 2017)
            for t in treatments:
                if t.unit == g["ags"] and year > t.start.year:
                    mu *= t.true_rr
            intensity = rng.gamma(1 / 0.02, mu * 0.02)
            rates.setdefault(g["ags"], {})[year] = intensity
            n = rng.poisson(intensity)
            xy = _points_in(rng, g["geometry"], n)
            for x, y in xy:
                uid += 1
                cat = int(rng.choice([1, 2, 3], p=[0.015, 0.2, 0.785]))
                month = int(rng.integers(1, 13))
                rows.append(
                    (
                        uid,
                        year,
                        month,
                        g["ags"],
                        cat,
                        x,
                        y,
                        int(rng.integers(0, 24)),
                        int(rng.integers(1, 8)),
                        int(rng.integers(0, 10)),
                        int(rng.integers(1, 8)),
                        int(rng.choice([0, 1, 2], p=[0.7, 0.1, 0.2])),
                        int(rng.choice([0, 1, 2], p=[0.7, 0.25, 0.05])),
                        *(int(v) for v in rng.random(6) < [0.25, 0.8, 0.1, 0.08, 0.05, 0.06]),
                    )
                )
    out = pd.DataFrame(rows, columns=ACCIDENT_COLUMNS)
    if planted is None:
        return out, []
    street_rng = np.random.default_rng(street_seed)
    cities = land.gemeinden[land.gemeinden["kreis_type"] == "Kreisfreie Stadt"]
    on_streets, chosen = [], []
    for _, g in cities.iterrows():
        lay, hotspots, measures = planted.get(g["ags"], (None, [], []))
        frame, placed = simulate_city(street_rng, g, rates[g["ags"]], hotspots, lay, measures)
        on_streets.append(frame)
        chosen += placed
    out = pd.concat([out[~out["ags"].isin(cities["ags"])], *on_streets], ignore_index=True)
    out = out.sort_values(["year", "ags"], kind="stable").reset_index(drop=True)
    out["uid"] = np.arange(1, len(out) + 1)
    return out[ACCIDENT_COLUMNS], chosen


def write_unfallatlas(acc: pd.DataFrame, folder: Path) -> list[Path]:
    """Official yearly zips: ``Unfallorte<year>_EPSG25832_CSV.zip`` holding the 2020-style CSV layout."""
    folder.mkdir(parents=True, exist_ok=True)
    header = (
        "OBJECTID;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
        "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84"
    )
    paths = []
    for year, g in acc.groupby("year"):
        lon, lat = _TO_WGS.transform(g["x"].to_numpy(), g["y"].to_numpy())

        def dec(v: float) -> str:
            return f"{v:.15f}".replace(".", ",")

        lines = [header]
        for (_, r), lo, la in zip(g.iterrows(), lon, lat, strict=True):
            a = r["ags"]
            lines.append(
                ";".join(
                    [
                        str(r["uid"]),
                        f"{a[:2]}{year % 100:02d}{r['uid']:014d}",
                        a[:2],
                        a[2],
                        a[3:5],
                        a[5:8],
                        str(year),
                        f"{r['month']:02d}",
                        f"{r['hour']:02d}",
                        str(r["weekday"]),
                        str(r["category"]),
                        str(r["kind"]),
                        str(r["type"]),
                        str(r["light"]),
                        str(r["is_bicycle"]),
                        str(r["is_car"]),
                        str(r["is_pedestrian"]),
                        str(r["is_motorcycle"]),
                        str(r["is_goods_vehicle"]),
                        str(r["is_other"]),
                        str(r["road"]),
                        dec(r["x"]),
                        dec(r["y"]),
                        dec(lo),
                        dec(la),
                    ]
                )
            )
        path = folder / f"Unfallorte{year}_EPSG25832_CSV.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"csv/Unfallorte{year}_LinRef.csv", ("\r\n".join(lines) + "\r\n").encode("latin-1"))
        paths.append(path)
    return paths


GV_EDITIONS = {  # edition (Gebietsstand) -> (population date, growth factor vs 2013, Zensus 2022 basis)
    dt.date(2018, 9, 30): (dt.date(2016, 12, 31), 0.988, False),
    dt.date(2021, 9, 30): (dt.date(2020, 12, 31), 0.972, False),
    dt.date(2023, 11, 30): (dt.date(2022, 12, 31), 0.968, False),
    dt.date(2025, 8, 31): (dt.date(2024, 12, 31), 0.935, True),  # Zensus 2022: a visible level shift
}


def write_gv100ad(land: DemoLand, folder: Path) -> list[Path]:
    """GV100AD fixed-width editions (Satzart 10, 40, 60), UTF-8 with BOM like the 2025 edition."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for edition, (_, factor, _) in GV_EDITIONS.items():
        stamp = edition.strftime("%Y%m%d")
        lines = [f"10{stamp}{LAND}".ljust(22) + LAND_NAME.ljust(50) + " " * 148]
        for _, k in land.kreise.iterrows():
            lines.append(f"40{stamp}{k['ags']}".ljust(22) + k["name"].ljust(50) + " " * 50 + "41".ljust(98))
        for _, g in land.gemeinden.iterrows():
            area_ha = round(g["geometry"].area / 1e4)
            pop = round(g["population"] * factor)
            lines.append(
                f"60{stamp}{g['ags']}0000"
                + g["name"].ljust(50)
                + " " * 50
                + ("61" if g["kreis_type"] == "Kreisfreie Stadt" else "64")
                + " " * 4
                + f"{area_ha:011d}{pop:011d}{pop // 2:011d}"
                + " " * 59
            )
        path = folder / f"GV100AD_{edition:%d%m%y}.txt"
        path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
        paths.append(path)
    return paths


def write_boundaries(land: DemoLand, folder: Path) -> list[Path]:
    """VG250-like GeoJSON (WGS84, properties AGS/GEN/BEZ/GF/WSK) for Gemeinden and Kreise."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for level, frame in (("gemeinden", land.gemeinden), ("kreise", land.kreise)):
        feats = []
        for _, r in frame.iterrows():
            geom = shapely.transform(r["geometry"], lambda xy: np.c_[_TO_WGS.transform(xy[:, 0], xy[:, 1])])
            bez = (
                r["kreis_type"]
                if level == "kreise"
                else ("Stadt" if r["kreis_type"] == "Kreisfreie Stadt" else "Gemeinde")
            )
            feats.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(shapely.to_geojson(geom)),
                    "properties": {"AGS": r["ags"], "GEN": r["name"], "BEZ": bez, "GF": 4, "WSK": "2014-01-01"},
                }
            )
        path = folder / f"demoland_{level}_vg250_2021-01-01.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------------
# the register and the whole raw-data folder


@dataclass(frozen=True)
class DemoBody:
    body_id: str
    name: str
    body_type: str  # label as the template's dropdown offers it
    level: str
    ags: str
    founded: str  # as a maintainer types it


@dataclass(frozen=True)
class DemoMeasure:
    measure_id: str
    body_id: str
    title: str
    measure_type: str
    domain: str
    target: str
    ags: str
    start: str
    treatment: Treatment | None  # None: a row that is not evaluable, on purpose
    area: str = ""  # a place: 'POINT (lon lat)', with its radius
    radius_m: float | None = None
    street: str = ""
    budget_eur: float | None = None


def demo_register(land: DemoLand) -> tuple[list[DemoBody], list[DemoMeasure]]:
    """Councils and measures of Demoland, each with the effect it really has in the generated data.

    Two crime measures of cities work (rate ratio 0.75 and 0.70), and so does one of a Gemeinde in a
    Landkreis (0.70, measured in the Gemeinde from the LKA's PKS by Tatortgemeinde); a crime measure and a
    traffic measure do not (1.0), one traffic measure works (0.75), and a council founded without measures
    changes nothing (its founding is evaluated on all offences and street crime in its Gemeinde, truth 1.0). Two more rows are loaded
    but flagged as not evaluable: one without a start date, one aimed at children (no such data).
    """
    cities = land.kreise[land.kreise["kreis_type"] == "Kreisfreie Stadt"].sort_values("ags")
    c1, c2, c3 = (cities.iloc[i] for i in range(3))
    landkreise = land.kreise[land.kreise["kreis_type"] == "Landkreis"].sort_values("ags")
    lk_a, lk_b, lk_c = landkreise.iloc[0], landkreise.iloc[1], landkreise.iloc[2]
    gem_b = land.gemeinden[land.gemeinden["kreis"] == lk_b["ags"]].sort_values("population").iloc[-1]
    gem_c = land.gemeinden[land.gemeinden["kreis"] == lk_c["ags"]].sort_values("population").iloc[-1]

    def g(kreis_row: pd.Series) -> str:
        return f"{kreis_row['ags']}000"

    bodies = [
        DemoBody("D01", f"Kriminalpräventiver Rat {c1['name']}", "Präventionsrat", "Gemeinde", g(c1), "01.03.2018"),
        DemoBody(
            "D02", f"Sicherheitspartnerschaft {c2['name']}", "Sicherheitspartnerschaft", "Gemeinde", g(c2), "06/2019"
        ),
        DemoBody(
            "D03",
            f"Kriminalpräventiver Beirat {lk_a['name']}",
            "Kriminalpräventiver Beirat",
            "Kreis",
            lk_a["ags"],
            "2017",
        ),
        DemoBody("D04", f"Präventionsrat {gem_b['name']}", "Präventionsrat", "Gemeinde", gem_b["ags"], "09.05.2016"),
        DemoBody(
            "D05",
            f"Verkehrssicherheitsrat {c3['name']}",
            "Sonstiges Gremium (Runder Tisch, Sicherheitsrat …)",
            "Gemeinde",
            g(c3),
            "01.04.2020",
        ),
        DemoBody("D06", f"Präventionsrat {gem_c['name']}", "Präventionsrat", "Gemeinde", gem_c["ags"], "01.07.2019"),
    ]

    def t(unit: str, indicator: str, start: str, rr: float) -> Treatment:
        return Treatment(unit, indicator, pd.Timestamp(dt.datetime.strptime(start, "%d.%m.%Y")).date(), rr)

    measures = [
        DemoMeasure(
            "DM01",
            "D01",
            "Gemeinsame Streifen von Stadtordnungsdienst und Polizei in der Innenstadt",
            "gemeinsame Streifen / Präsenz",
            "Kriminalität",
            "899000 Straßenkriminalität",
            g(c1),
            "01.03.2018",
            t(c1["ags"], "pks:899000", "01.03.2018", 0.75),
        ),
        DemoMeasure(
            "DM02",
            "D02",
            "Einbruchschutzberatung und Nachbarschaftsnetz",
            "Präventionsprojekt",
            "Kriminalität",
            "435*00 Wohnungseinbruchdiebstahl",
            g(c2),
            "01.06.2019",
            t(c2["ags"], "pks:435*00", "01.06.2019", 0.70),
        ),
        DemoMeasure(
            "DM03",
            "D03",
            "Graffiti-Projekt mit Jugendclubs",
            "Präventionsprojekt",
            "Kriminalität",
            "674000 Sachbeschädigung",
            lk_a["ags"],
            "01.01.2017",
            t(lk_a["ags"], "pks:674000", "01.01.2017", 1.0),
        ),
        DemoMeasure(
            "DM04",
            "D05",
            "Tempo 30 und Querungshilfen an Schulwegen",
            "Verkehrsprävention / Verkehrsüberwachung",
            "Verkehr",
            "alle Unfälle mit Personenschaden",
            g(c3),
            "01.04.2020",
            t(g(c3), "acc:points_all", "01.04.2020", 0.75),
        ),
        DemoMeasure(
            "DM05",
            "D01",
            "Verkehrssicherheitstage",
            "Verkehrsprävention / Verkehrsüberwachung",
            "Verkehr",
            "alle Unfälle mit Personenschaden",
            g(c1),
            "01.05.2021",
            t(g(c1), "acc:points_all", "01.05.2021", 1.0),
        ),
        DemoMeasure(
            "DM06",
            "D04",
            "Sicherheitsbefragung",
            "Sicherheitsbefragung",
            "Kriminalität",
            "------ Straftaten insgesamt",
            gem_b["ags"],
            "",
            None,
        ),
        DemoMeasure(
            "DM07",
            "D05",
            "Verkehrserziehung in Kitas",
            "Verkehrsprävention / Verkehrsüberwachung",
            "Verkehr",
            "Kinder",
            g(c3),
            "01.09.2021",
            None,
        ),
        DemoMeasure(
            "DM08",
            "D06",
            "Präsenzstreifen und Beleuchtung am Bahnhofsumfeld",
            "gemeinsame Streifen / Präsenz",
            "Kriminalität",
            "899000 Straßenkriminalität",
            gem_c["ags"],
            "01.07.2019",
            t(gem_c["ags"], "pks:899000", "01.07.2019", 0.70),
        ),
    ]
    return bodies, measures


def _measured_on(m: DemoMeasure, t: Treatment) -> str:
    """The unit the evaluation measures a measure on: a Gemeinde's crime measure on the Gemeinde, whose cases
    the LKA's PKS by Tatortgemeinde counts; a kreisfreie Stadt's on its Kreis (:func:`is_kreisfreie_stadt`)."""
    in_gemeinde = t.indicator.startswith("pks:") and len(m.ags) == 8 and not is_kreisfreie_stadt(m.ags)
    return m.ags if in_gemeinde else t.unit


def truth_table(bodies: list[DemoBody], measures: list[DemoMeasure]) -> list[TrueEffect]:
    """Every evaluable (measure or founding, indicator) with its true rate ratio."""
    out = [
        TrueEffect(
            m.measure_id,
            m.body_id,
            _measured_on(m, m.treatment),
            m.treatment.indicator,
            m.treatment.start,
            m.treatment.true_rr,
        )
        for m in measures
        if m.treatment is not None
    ]
    # D04 was founded without a measure that started with it: the founding is evaluated on its Gemeinde,
    # whose crime the LKA's PKS by Tatortgemeinde counts
    d04 = next(b for b in bodies if b.body_id == "D04")
    start = dt.datetime.strptime(d04.founded, "%d.%m.%Y").date()
    out += [TrueEffect("D04:gruendung", "D04", d04.ags, f"pks:{key}", start, 1.0) for key in (ALL_OFFENCES, "899000")]
    return out


def write_register(bodies: list[DemoBody], measures: list[DemoMeasure], path: Path) -> Path:
    """The register as a maintainer fills the template: sheets Gremien and Maßnahmen, German headers."""
    from openpyxl import Workbook

    from praevention.register.schema import FIELDS, SHEET_NAMES

    wb = Workbook()
    wb.remove(wb.active)
    source = "https://www.example.org/demoland (Demodaten – synthetisch)"
    body_rows = [
        {
            "body_id": b.body_id,
            "name": b.name,
            "body_type": b.body_type,
            "level": b.level,
            "ags": b.ags,
            "founded": b.founded,
            "partners": "Polizei; Vereine; Bürgerinnen und Bürger",
            "status": "aktiv",
            "source_url": source,
            "source_date": "01.11.2026",
            "notes": "Demodaten – synthetisch",
        }
        for b in bodies
    ]
    measure_rows = [
        {
            "measure_id": m.measure_id,
            "body_id": m.body_id,
            "title": m.title,
            "measure_type": m.measure_type,
            "domain": m.domain,
            "target": m.target,
            "area_type": "Punkt mit Radius" if m.area else "ganze Gemeinde",
            "area": m.area,
            "area_radius_m": m.radius_m,
            "area_street": m.street,
            "ags": m.ags,
            "start": m.start,
            "budget_eur": m.budget_eur,
            "source_url": source,
            "notes": "Demodaten – synthetisch",
        }
        for m in measures
    ]
    for table, rows in (("bodies", body_rows), ("measures", measure_rows)):
        ws = wb.create_sheet(SHEET_NAMES[table])
        names = list(rows[0])
        ws.append([FIELDS[table][n].header for n in names])
        for r in rows:
            ws.append([r[n] for n in names])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = "@"  # keys and dates typed as text, as the template prepares them
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def generate_demo(raw_dir: Path, seed: int = 20261125) -> list[TrueEffect]:
    """Write every raw file of Demoland into ``raw_dir`` and return the true effects.

    Layout: ``crime/`` (PKS T01 CSVs; ``lka_tatortgemeinde/`` the LKA's figures per Gemeinde), ``accidents/`` (Unfallatlas zips), ``boundaries/`` (GeoJSON),
    ``population/`` (GV100AD), ``councils/register.xlsx``, ``demo_truth.json`` and ``demo_hotspots.json`` (the
    planted hotspots the network screening must find).
    """
    rng = np.random.default_rng(seed)
    land = build_land(seed)
    bodies, measures = demo_register(land)
    city_row, lay, planted = site_city(land, np.random.default_rng(seed + 1))
    city = str(city_row["ags"])
    treatments = [m.treatment for m in measures if m.treatment is not None]
    kreise = pd.concat([land.kreise[["ags", "name", "kreis_type", "population"]], pool_kreise(rng)], ignore_index=True)
    crime = [t for t in treatments if t.indicator.startswith("pks:")]
    pks = simulate_pks(rng, kreise, [t for t in crime if len(t.unit) == 5])
    gemeinden = simulate_tatortgemeinden(rng, land, pks, [t for t in crime if len(t.unit) == 8])
    write_pks(pks, raw_dir / "crime")
    write_tatortgemeinden(gemeinden, raw_dir / "crime" / "lka_tatortgemeinde")
    traffic = [t for t in treatments if t.indicator.startswith("acc:")]
    acc, chosen = simulate_accidents(rng, land, traffic, {city: (lay, planted, SITE_MEASURES)}, street_seed=seed + 2)
    site_bodies, site_measures = site_register(city_row, chosen)
    bodies, measures = bodies + site_bodies, measures + site_measures
    write_unfallatlas(acc, raw_dir / "accidents")
    write_boundaries(land, raw_dir / "boundaries")
    write_gv100ad(land, raw_dir / "population")
    write_register(bodies, measures, raw_dir / "councils" / "register.xlsx")
    truth = truth_table(bodies, measures)
    (raw_dir / "demo_truth.json").write_text(
        json.dumps([{**t.__dict__, "start": t.start.isoformat()} for t in truth], indent=1), encoding="utf-8"
    )
    hotspots = [{"ags": city, "name": p.name, "x": p.x, "y": p.y, "rate": p.rate} for p in planted]
    (raw_dir / "demo_hotspots.json").write_text(json.dumps(hotspots, indent=1), encoding="utf-8")
    return truth


#: the demo's measures at a place: a speed camera without effect and a crossing that halves pedestrian accidents
SITE_MEASURES = [
    SiteMeasure("DM10", "acc:points_all", dt.date(2021, 3, 1), 1.0),
    SiteMeasure("DM09", "acc:points_pedestrian", dt.date(2021, 6, 1), 0.5, radius_m=150.0),
]


def site_city(land: DemoLand, rng: np.random.Generator) -> tuple[pd.Series, Layout, list[Planted]]:
    """The second kreisfreie Stadt (no measure of its own on accidents), its streets and its hotspots."""
    cities = land.gemeinden[land.gemeinden["kreis_type"] == "Kreisfreie Stadt"].sort_values("ags")
    city = cities.iloc[1]
    lay = layout(rng, city)
    return city, lay, plant(lay, city)


def site_register(city_row: pd.Series, chosen: list[Chosen]) -> tuple[list[DemoBody], list[DemoMeasure]]:
    """The Unfallkommission of the site city and its two measures at a place (the body was set up with the
    crossing, so its founding is that measure's start). The crossing's cost is in the register."""
    city = str(city_row["ags"])
    crossing_start = next(c.measure.start for c in chosen if c.measure.indicator == "acc:points_pedestrian")
    body = DemoBody(
        "D07",
        f"Unfallkommission {city_row['name']}",
        "Sonstiges Gremium (Runder Tisch, Sicherheitsrat …)",
        "Gemeinde",
        city,
        f"{crossing_start:%d.%m.%Y}",
    )
    out = []
    for c in chosen:
        m = c.measure
        lon, lat = c.lonlat
        crossing = m.indicator == "acc:points_pedestrian"
        out.append(
            DemoMeasure(
                m.measure_id,
                "D07",
                "Querungshilfe mit Mittelinsel am Markt" if crossing else "Stationärer Blitzer an der Hauptstraße",
                "Querungshilfe" if crossing else "Geschwindigkeitsüberwachung",
                "Verkehr",
                "Fußgänger" if crossing else "alle Unfälle mit Personenschaden",
                city,
                f"{m.start:%d.%m.%Y}",
                Treatment(f"{city}@{m.measure_id}", m.indicator, m.start, m.true_rr),
                area=f"POINT ({lon:.6f} {lat:.6f})",
                radius_m=m.radius_m,
                street="Marktstraße / Ringstraße" if crossing else "Hauptstraße / Nordring",
                budget_eur=85_000.0 if crossing else None,
            )
        )
    return [body], sorted(out, key=lambda m: m.measure_id)
