"""A seeded generator of a fictional Land in the published file formats the real readers parse.

"Demoland" has the Land key ``99`` (no real Land has it), about 150 Gemeinden in 10 Kreise (three
kreisfreie Städte), plausible Voronoi shapes in the North Sea west of Schleswig-Holstein (inside the
Unfallatlas coordinate checks, far from real municipalities), populations, PKS T01 tables 2014–2024
(with a comparison pool of 160 Kreise in the equally fictional Land ``98``; violations of residence and
asylum law concentrated in the Kreis of a reception centre, and the key 890000 from 2015 as the BKA
publishes it), the LKA's PKS by Tatortgemeinde in its import template (every Gemeinde, 2014–2024), one
city's crimes per Stadtteil in the layout of the city statistics (KISS-MD K11_T3), Unfallatlas yearly zips
2017–2024, GV100AD editions and a register of councils whose true effects are known.

The noise is that of the real PKS series: beyond Poisson a year-to-year standard deviation of 0.07 and
Kreis trends with a standard deviation of 1.5 % a year (:data:`NOISE_SD`, :data:`TREND_SD`, as measured in
``benchmarks/simulation_study.py --describe-warehouse``); Gemeinden and Stadtteile get their own level,
trend and year noise when a Kreis's cases are split among them.

Everything generated here is synthetic and is labelled so wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import math
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
from praevention.demo.surveys import IMPROVEMENT, DemoSurvey, true_ratio, write_surveys
from praevention.evaluation.design import is_kreisfreie_stadt, stadtteil_parts
from praevention.readers.pks import ALL_OFFENCES
from praevention.register.schema import MECHANISMS

LAND = "99"
POOL_LAND = "98"
LAND_NAME = "Demoland"
YEARS = range(2014, 2025)
ACCIDENT_YEARS = range(2017, 2025)
OFFENCES = {
    ALL_OFFENCES: ("Straftaten insgesamt", 6500.0),
    "725000": ("Straftaten gegen das Aufenthalts-, das Asyl- und das Freizügigkeitsgesetz/EU", 120.0),
    "****00": ("Diebstahl insgesamt und zwar:", 2300.0),
    "435*00": ("Wohnungseinbruchdiebstahl §§ 244 Abs. 1 Nr. 3 und Abs. 4, 244a StGB", 120.0),
    "892000": ("Gewaltkriminalität", 220.0),
    "899000": ("Straßenkriminalität", 1400.0),
    "674000": ("Sachbeschädigung §§ 303-305a StGB", 700.0),
}
#: published from 2015 on, as in the BKA's tables: all offences without violations of residence and asylum law
WITHOUT_ASYLUM = (
    "890000",
    "Straftaten insgesamt, jedoch ohne Verstöße gegen das Aufenthalts-, Asyl- und Freizügigkeitsgesetz/EU",
    2015,
)
#: noise of the real PKS series beyond Poisson: year to year (NB2 with α = NOISE_SD²) and Kreis trends per year
NOISE_SD = 0.07
TREND_SD = 0.015
#: the Kreis with a reception centre: its violations of residence and asylum law are this many times the rate
RECEPTION_CENTRE_FACTOR = 12.0
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


def kreis_rates(rng: np.random.Generator, kreise: pd.DataFrame, reception: str = "") -> pd.DataFrame:
    """A level per Kreis and offence: cities have more street crime; violations of residence and asylum law
    concentrate in the Kreis of a reception centre (``reception``)."""
    rows = []
    for _, k in kreise.iterrows():
        city = k["kreis_type"] == "Kreisfreie Stadt"
        for key, (_, base) in OFFENCES.items():
            level = base * (1.5 if city else 0.8) * rng.lognormal(0, 0.15)
            if key == "725000" and k["ags"] == reception:
                level *= RECEPTION_CENTRE_FACTOR
            rows.append((k["ags"], key, level))
    return pd.DataFrame(rows, columns=["ags", "offence_key", "rate_per_100k"])


def simulate_pks(
    rng: np.random.Generator, kreise: pd.DataFrame, treatments: list[Treatment], reception: str = ""
) -> pd.DataFrame:
    """Cases per Kreis × year × offence: negative binomial (year noise :data:`NOISE_SD`) around rate ×
    population × national trend × the Kreis's own trend (:data:`TREND_SD`) × effect. Violations of residence
    and asylum law jump in 2015–2016, as they did."""
    levels = kreis_rates(rng, kreise, reception)
    rows = []
    t = np.array(YEARS) - np.mean(YEARS)
    for _, lv in levels.iterrows():
        k = kreise.set_index("ags").loc[lv["ags"]]
        trend = rng.normal(0, TREND_SD)
        for j, year in enumerate(YEARS):
            pop = k["population"] * (1 - 0.004) ** (year - 2014)
            mu = lv["rate_per_100k"] * pop / 1e5 * 0.98 ** (year - 2014) * np.exp(trend * t[j])
            if lv["offence_key"] == "725000" and year in (2015, 2016):
                mu *= 2.5
            for tr in treatments:
                if tr.unit == lv["ags"] and tr.indicator == f"pks:{lv['offence_key']}" and year > tr.start.year:
                    mu *= tr.true_rr
            alpha = NOISE_SD**2  # NB2 overdispersion: the real year-to-year noise
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


def add_without_asylum(pks: pd.DataFrame) -> pd.DataFrame:
    """The key 890000 (all offences without violations of residence and asylum law) from 2015, as the BKA
    publishes it: ``------`` minus ``725000``."""
    key = ["year", "ags"]
    total = pks[(pks["offence_key"] == ALL_OFFENCES) & (pks["year"] >= WITHOUT_ASYLUM[2])]
    asylum = pks.loc[pks["offence_key"] == "725000", [*key, "cases"]]
    derived = total.merge(asylum, on=key, suffixes=("", "_asylum"))
    derived = derived.assign(offence_key=WITHOUT_ASYLUM[0], cases=derived["cases"] - derived.pop("cases_asylum"))
    return pd.concat([pks[pks["offence_key"] != WITHOUT_ASYLUM[0]], derived], ignore_index=True)


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
            label = WITHOUT_ASYLUM[1] if r["offence_key"] == WITHOUT_ASYLUM[0] else OFFENCES[r["offence_key"]][0]
            cleared = int(c * 0.55)
            suspects = int(c * 0.4)
            hz = c * 1e5 / r["population"]
            lines.append(
                ";".join(
                    [
                        r["offence_key"],
                        label,
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


#: noise of a Gemeinde's share of its Kreis's cases: level, trend per year and year to year
GEMEINDE_LEVEL_SD, GEMEINDE_TREND_SD, GEMEINDE_YEAR_SD = 0.3, 0.02, 0.08


def split_weights(rng: np.random.Generator, base: np.ndarray, n_years: int) -> np.ndarray:
    """Shares (parts × years) of parts with ``base`` weights (population) that differ in level, trend and
    from year to year (:data:`GEMEINDE_LEVEL_SD` …), so that a part's series is as noisy as a real one."""
    t = np.arange(n_years) - (n_years - 1) / 2
    log_w = (
        np.log(base)[:, None]
        + rng.normal(0, GEMEINDE_LEVEL_SD, len(base))[:, None]
        + rng.normal(0, GEMEINDE_TREND_SD, len(base))[:, None] * t
        + rng.normal(0, GEMEINDE_YEAR_SD, (len(base), n_years))
    )
    w = np.exp(log_w)
    return w / w.sum(axis=0)


def simulate_tatortgemeinden(
    rng: np.random.Generator, land: DemoLand, pks: pd.DataFrame, treatments: list[Treatment], reception: str = ""
) -> pd.DataFrame:
    """Cases per Gemeinde × year × offence: each Demoland Kreis's cases split among its Gemeinden by
    population with their own noise (:func:`split_weights`; a share has no Tatortgemeinde), violations of
    residence and asylum law all in the reception centre's Gemeinde (``reception``) or by population; all
    offences are the Gemeinde's split of the others plus its violations. Then a Gemeinde's measure removes
    cases after its start year (binomial thinning with its true rate ratio) from the Gemeinde, its total and
    its Kreis (``pks`` is changed in place), so that the Gemeinden never add up to more than their Kreis.
    The key 890000 is not delivered: the pipeline derives it."""
    own = pks[(pks["ags"].str[:2] == LAND) & (pks["offence_key"] != WITHOUT_ASYLUM[0])]
    years = list(YEARS)
    rows = []
    for kreis, members in land.gemeinden.groupby("kreis"):
        ags = members["ags"].to_numpy()
        weights = split_weights(rng, members["population"].to_numpy(dtype=float), len(years))
        counts = own[own["ags"] == kreis].set_index(["offence_key", "year"])["cases"]
        for key in [k for k in OFFENCES if k != ALL_OFFENCES]:
            for j, year in enumerate(years):
                cases = int(counts.get((key, year), 0))
                share = weights[:, j] * (1 - UNATTRIBUTED)
                if key == "725000" and reception in ags:
                    share = np.where(ags == reception, 1 - UNATTRIBUTED, 0.0)
                split = rng.multinomial(cases, [*share, 1 - share.sum()])[:-1]
                rows += [(year, a, key, int(n)) for a, n in zip(ags, split, strict=True)]
        for j, year in enumerate(years):  # all offences: the Kreis's rest beyond the keys shown, split too
            rest = int(counts.get((ALL_OFFENCES, year), 0)) - sum(
                int(counts.get((k, year), 0)) for k in OFFENCES if k != ALL_OFFENCES
            )
            split = rng.multinomial(max(rest, 0), [*(weights[:, j] * (1 - UNATTRIBUTED)), UNATTRIBUTED])[:-1]
            rows += [(year, a, "rest", int(n)) for a, n in zip(ags, split, strict=True)]
    out = pd.DataFrame(rows, columns=["year", "ags", "offence_key", "cases"])
    totals = out.groupby(["year", "ags"], as_index=False)["cases"].sum().assign(offence_key=ALL_OFFENCES)
    out = pd.concat([out[out["offence_key"] != "rest"], totals], ignore_index=True)
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


STADTTEILE = 12
#: the city statistics' code of crimes that cannot be assigned to a Stadtteil
UNASSIGNED_STADTTEIL = "99998"


def simulate_stadtteile(
    rng: np.random.Generator, kreis: str, pks: pd.DataFrame, treatments: list[Treatment]
) -> pd.DataFrame:
    """A city's (Kreis ``kreis``) crimes per Stadtteil and year (all offences, as the city statistics publish them): the city's
    cases split among :data:`STADTTEILE` Stadtteile with their own noise (:func:`split_weights`; 3 % cannot be
    assigned); a Stadtteil measure removes cases after its start (binomial thinning) from its Stadtteile and
    the city, every offence of the city in proportion (``pks`` changed in place). Columns: year, code ('01'…, '99998'), cases."""
    years = list(YEARS)
    sizes = rng.lognormal(0, 0.6, STADTTEILE)
    weights = split_weights(rng, sizes, len(years))
    rows = []
    for j, year in enumerate(years):
        total = int(
            pks.loc[(pks["ags"] == kreis) & (pks["year"] == year) & (pks["offence_key"] == ALL_OFFENCES), "cases"].sum()
        )
        split = rng.multinomial(total, [*(weights[:, j] * 0.97), 0.03])
        rows += [(year, f"{i + 1:02d}", int(n)) for i, n in enumerate(split[:-1])]
        rows.append((year, UNASSIGNED_STADTTEIL, int(split[-1])))
    out = pd.DataFrame(rows, columns=["year", "code", "cases"])
    for t in treatments:
        codes = stadtteil_parts(t.unit)
        hit = out["code"].isin([c.rsplit("-", 1)[1] for c in codes]) & (out["year"] > t.start.year)
        kept = rng.binomial(out.loc[hit, "cases"].to_numpy(), t.true_rr)
        removed = pd.Series(out.loc[hit, "cases"].to_numpy() - kept, index=out.loc[hit, "year"]).groupby(level=0).sum()
        out.loc[hit, "cases"] = kept
        for year, n in removed.items():  # every offence of the city falls in proportion
            city = (pks["ags"] == kreis) & (pks["year"] == year)
            total = float(pks.loc[city & (pks["offence_key"] == ALL_OFFENCES), "cases"].iloc[0])
            parts = city & (pks["offence_key"] != ALL_OFFENCES)
            pks.loc[parts, "cases"] -= (pks.loc[parts, "cases"] * int(n) / total).round().astype(int)
            pks.loc[city & (pks["offence_key"] == ALL_OFFENCES), "cases"] -= int(n)
    return out


def write_stadtteile(cases: pd.DataFrame, kreis: str, folder: Path) -> Path:
    """The Stadtteil figures in the city statistics' layout (KISS-MD K11_T3, CSV): year, Stadtteil number
    (the city's Kreis key for its total row), cases."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["tabelle;K11_T3_var1;K11_T3_var2;K11_T3_var3"]
    for year, g in cases.groupby("year"):
        lines.append(f"K11_T3;{year};{kreis};{int(g['cases'].sum())}")
        lines += [f"K11_T3;{year};{r.code};{int(r.cases)}" for r in g.itertuples()]
    path = folder / "K11_T3_erfasste-straftaten-nach-stadtteilen-demoland.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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


@dataclass(frozen=True)
class Displacement:
    """A measure at a place that moves part of what it prevents into the ring around it: accidents within
    ``radius`` of ``centre`` (EPSG:25832) are thinned with ``target_rr`` after the start year, and
    ``displaced_share`` of the removed ones happen in the ring from ``radius`` to twice it instead."""

    measure_id: str
    gemeinde: str
    centre: tuple[float, float]
    radius: float
    start: dt.date
    target_rr: float
    displaced_share: float


def displace(
    rng: np.random.Generator, acc: pd.DataFrame, land: DemoLand, d: Displacement
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The accidents with the displacement of ``d`` applied, and what it did: removed and added counts."""
    poly = land.gemeinden.set_index("ags").loc[d.gemeinde, "geometry"]
    inner = shapely.Point(d.centre).buffer(d.radius)
    ring = shapely.Point(d.centre).buffer(2 * d.radius).difference(inner).intersection(poly)
    dist = np.hypot(acc["x"].to_numpy() - d.centre[0], acc["y"].to_numpy() - d.centre[1])
    target = (acc["ags"].to_numpy() == d.gemeinde) & (dist <= d.radius) & (acc["year"].to_numpy() > d.start.year)
    removed = target & (rng.random(len(acc)) > d.target_rr)
    moved = removed & (rng.random(len(acc)) < d.displaced_share)
    out = acc.copy()
    xy = _points_in(rng, ring, int(moved.sum()))
    out.loc[moved, "x"], out.loc[moved, "y"] = xy[:, 0], xy[:, 1]
    out = out[~(removed & ~moved)].reset_index(drop=True)
    return out, {"removed": int(removed.sum()), "added": int(moved.sum())}


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
    treatment: Treatment | None  # None: a row that is not evaluable, on purpose (or the displacement case)
    area_type: str = "ganze Gemeinde"
    area: str = ""  # a place: 'POINT (lon lat)' with its radius, or a polygon; Stadtteile by number
    area_radius_m: str = ""
    street: str = ""
    mechanism: str = ""
    moderators: str = ""
    intensity: str = ""
    duration: str = ""
    partners: str = ""
    budget_eur: str = ""


def demo_register(land: DemoLand) -> tuple[list[DemoBody], list[DemoMeasure], Displacement]:
    """Councils and measures of Demoland, each with the effect it really has in the generated data.

    * **Kreis level** (kreisfreie Städte and a Kreis-wide body): patrols in a city's centre (street crime 0.75),
      burglary advice (0.60), a graffiti project without effect (1.0).
    * **Gemeinde level** (the LKA's PKS by Tatortgemeinde): patrols in four towns of four Landkreise (street
      crime 0.75 each). With the city's patrols they are five measures of one type, "Streifen", each measured
      on its own area, whose pooled effect is 0.75; and a council founded without measures (truth 1.0).
    * **Stadtteil level** (the city statistics per Stadtteil): lighting and video at a station quarter, two
      Stadtteile, all offences 0.65.
    * **Traffic**: a 30 zone (0.75), traffic days without effect (1.0), and a redesigned junction in the largest
      town of a Landkreis without another body or measure that halves accidents within a radius covering about an eighth of the town and moves
      half of the prevented ones into the ring around it (the displacement case, returned as
      :class:`Displacement`). The measures at a place of the second city (a crossing and a speed camera) are
      added by :func:`site_register`.
    * **Sense of safety** (survey waves, :mod:`praevention.demo.surveys`): lighting and patrols in a town's
      centre improve it (a quarter fewer feel unsafe), a citizens' dialogue does not.
    * Two rows are loaded but not evaluable: one without a start date, one aimed at children (no such data).
    """
    cities = land.kreise[land.kreise["kreis_type"] == "Kreisfreie Stadt"].sort_values("ags")
    c1, c2, c3 = (cities.iloc[i] for i in range(3))
    lk = [r for _, r in land.kreise[land.kreise["kreis_type"] == "Landkreis"].sort_values("ags").iterrows()]

    def town(kreis_row: pd.Series) -> pd.Series:
        """The largest Gemeinde of a Landkreis."""
        return land.gemeinden[land.gemeinden["kreis"] == kreis_row["ags"]].sort_values("population").iloc[-1]

    gem_b, gem_c = town(lk[1]), town(lk[2])
    patrol_towns = [(town(lk[3]), "01.03.2019"), (town(lk[4]), "01.06.2020"), (town(lk[5]), "01.09.2019")]
    # the displacement case in the largest town of a Landkreis that no other body or measure names; the streets
    # of the second city hold the measures at a place and the hotspots of the road-safety screening
    # (:func:`site_city`)
    named = {gem_b["ags"], gem_c["ags"], *(tw["ags"] for tw, _ in patrol_towns)}
    free = land.gemeinden[(land.gemeinden["kreis_type"] != "Kreisfreie Stadt") & ~land.gemeinden["ags"].isin(named)]
    chosen = str(free.sort_values(["population", "ags"]).iloc[-1]["ags"])
    junction = land.gemeinden.set_index("ags").loc[chosen].rename(chosen)
    # the junction's radius: about an eighth of the town's territory inside it, so that it counts accidents
    radius = float(round(math.sqrt(junction["geometry"].area / 8 / math.pi), -2))

    def g(kreis_row: pd.Series) -> str:
        return f"{kreis_row['ags']}000"

    other = "Sonstiges Gremium (Runder Tisch, Sicherheitsrat …)"
    bodies = [
        DemoBody("D01", f"Kriminalpräventiver Rat {c1['name']}", "Präventionsrat", "Gemeinde", g(c1), "01.03.2018"),
        DemoBody(
            "D02", f"Sicherheitspartnerschaft {c2['name']}", "Sicherheitspartnerschaft", "Gemeinde", g(c2), "06/2019"
        ),
        DemoBody(
            "D03",
            f"Kriminalpräventiver Beirat {lk[0]['name']}",
            "Kriminalpräventiver Beirat",
            "Kreis",
            lk[0]["ags"],
            "2017",
        ),
        DemoBody("D04", f"Präventionsrat {gem_b['name']}", "Präventionsrat", "Gemeinde", gem_b["ags"], "09.05.2017"),
        DemoBody("D05", f"Verkehrssicherheitsrat {c3['name']}", other, "Gemeinde", g(c3), "01.04.2020"),
        DemoBody("D06", f"Präventionsrat {gem_c['name']}", "Präventionsrat", "Gemeinde", gem_c["ags"], "01.07.2019"),
        *(
            DemoBody(f"D0{7 + i}", f"Präventionsrat {tw['name']}", "Präventionsrat", "Gemeinde", tw["ags"], start)
            for i, (tw, start) in enumerate(patrol_towns)
        ),
        DemoBody("D10", f"Verkehrsforum {junction['name']}", other, "Gemeinde", junction.name, "01.05.2021"),
    ]

    def t(unit: str, indicator: str, start: str, rr: float) -> Treatment:
        return Treatment(unit, indicator, pd.Timestamp(dt.datetime.strptime(start, "%d.%m.%Y")).date(), rr)

    patrols, street, traffic = (
        "gemeinsame Streifen / Präsenz",
        "899000 Straßenkriminalität",
        "Verkehrsprävention / Verkehrsüberwachung",
    )
    presence, situational = MECHANISMS["presence"], MECHANISMS["situational"]
    centre = junction["geometry"].representative_point()
    lon, lat = _TO_WGS.transform(centre.x, centre.y)
    measures = [
        DemoMeasure(
            "DM01",
            "D01",
            "Gemeinsame Streifen von Stadtordnungsdienst und Polizei in der Innenstadt",
            patrols,
            "Kriminalität",
            street,
            g(c1),
            "01.03.2018",
            t(c1["ags"], "pks:899000", "01.03.2018", 0.75),
            mechanism=presence,
            moderators="Innenstadt, abends und am Wochenende",
            intensity="4 Streifen pro Woche",
            duration="ganzjährig",
            partners="Polizei; Kommune/Ordnungsamt",
            budget_eur="85000",
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
            t(c2["ags"], "pks:435*00", "01.06.2019", 0.60),
            mechanism=situational,
        ),
        DemoMeasure(
            "DM03",
            "D03",
            "Graffiti-Projekt mit Jugendclubs",
            "Präventionsprojekt",
            "Kriminalität",
            "674000 Sachbeschädigung",
            lk[0]["ags"],
            "01.01.2017",
            t(lk[0]["ags"], "pks:674000", "01.01.2017", 1.0),
        ),
        DemoMeasure(
            "DM04",
            "D05",
            "Tempo 30 und Querungshilfen an Schulwegen",
            traffic,
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
            traffic,
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
            "DM07", "D05", "Verkehrserziehung in Kitas", traffic, "Verkehr", "Kinder", g(c3), "01.09.2021", None
        ),
        DemoMeasure(
            "DM08",
            "D06",
            "Präsenzstreifen und Beleuchtung am Bahnhofsumfeld",
            patrols,
            "Kriminalität",
            street,
            gem_c["ags"],
            "01.07.2019",
            t(gem_c["ags"], "pks:899000", "01.07.2019", 0.75),
            moderators="Bahnhofsumfeld",
            partners="Polizei; Kommune/Ordnungsamt",
        ),
        DemoMeasure(
            "DM09",
            "D01",
            "Beleuchtung und Videoschutz im Bahnhofsviertel",
            "Sonstiges",
            "Kriminalität",
            "------ Straftaten insgesamt",
            g(c1),
            "01.05.2019",
            t(f"{g(c1)}-03+05", "pks:------", "01.05.2019", 0.65),
            area_type="Ortsteile",
            area="03 Bahnhofsviertel; 05 Altstadt",
            mechanism=situational,
        ),
        *(
            DemoMeasure(
                f"DM1{i}",
                f"D0{7 + i}",
                f"Gemeinsame Streifen von Ordnungsamt und Polizei in {tw['name']}",
                patrols,
                "Kriminalität",
                street,
                tw["ags"],
                start,
                t(tw["ags"], "pks:899000", start, 0.75),
                partners="Polizei; Kommune/Ordnungsamt",
            )
            for i, (tw, start) in enumerate(patrol_towns)
        ),
        DemoMeasure(
            "DM13",
            "D10",
            "Umgestaltung des Knotenpunkts am Markt",
            traffic,
            "Verkehr",
            "alle Unfälle mit Personenschaden",
            junction.name,
            "01.05.2021",
            None,
            area_type="Punkt mit Radius",
            area=f"POINT ({lon:.5f} {lat:.5f})",
            area_radius_m=f"{radius:g}",
            mechanism=MECHANISMS["engineering"],
            budget_eur="420000",
        ),
        DemoMeasure(
            "DM14",
            "D04",
            "Beleuchtung und Präsenzstreifen im Ortskern",
            "gemeinsame Streifen / Präsenz",
            "Kriminalität",
            "Sicherheitsgefühl",
            gem_b["ags"],
            "01.04.2021",
            t(gem_b["ags"], SURVEY_INDICATOR, "01.04.2021", round(true_ratio(IMPROVEMENT), 4)),
        ),
        DemoMeasure(
            "DM15",
            "D06",
            "Bürgerdialog Sicherheit",
            "Präventionsprojekt",
            "Kriminalität",
            "Sicherheitsgefühl stärken",
            gem_c["ags"],
            "01.03.2021",
            t(gem_c["ags"], SURVEY_INDICATOR, "01.03.2021", 1.0),
        ),
    ]
    moved = Displacement("DM13", junction.name, (centre.x, centre.y), radius, dt.date(2021, 5, 1), 0.5, 0.5)
    return bodies, measures, moved


SURVEY_INDICATOR = "umfrage:SG01"


def demo_surveys(measures: list[DemoMeasure]) -> list[DemoSurvey]:
    """The survey waves of the measures aiming at the sense of safety: the improving one delivers answers of
    respondents, the other published shares."""
    out = []
    for m in measures:
        if m.treatment is None or m.treatment.indicator != SURVEY_INDICATOR:
            continue
        start = m.treatment.start
        waves = (dt.date(start.year - 1, 10, 1), dt.date(start.year + 1, 10, 1))
        if m.treatment.true_rr < 1:
            out.append(DemoSurvey(m.ags, waves, IMPROVEMENT, 600, "responses"))
        else:
            out.append(DemoSurvey(m.ags, waves, 0.0, 500, "aggregates"))
    return out


def _measured_on(m: DemoMeasure, t: Treatment) -> str:
    """The unit the evaluation measures a measure on: named Stadtteile on their sum; a Gemeinde's crime measure
    on the Gemeinde, whose cases the LKA's PKS by Tatortgemeinde counts; a kreisfreie Stadt's on its Kreis
    (:func:`is_kreisfreie_stadt`)."""
    in_gemeinde = t.indicator.startswith("pks:") and len(m.ags) == 8 and not is_kreisfreie_stadt(m.ags)
    return m.ags if in_gemeinde and "-" not in t.unit else t.unit


def _evaluated_indicator(t: Treatment) -> str:
    """The indicator a treatment is evaluated on: all offences without asylum-law violations, except on
    Stadtteile, whose statistics count all offences."""
    if t.indicator == f"pks:{ALL_OFFENCES}" and "-" not in t.unit:
        return f"pks:{WITHOUT_ASYLUM[0]}"
    return t.indicator


def truth_table(bodies: list[DemoBody], measures: list[DemoMeasure]) -> list[TrueEffect]:
    """Every evaluable (measure or founding, indicator) with its true rate ratio."""
    out = [
        TrueEffect(
            m.measure_id,
            m.body_id,
            _measured_on(m, m.treatment),
            _evaluated_indicator(m.treatment),
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
    out += [
        TrueEffect("D04:gruendung", "D04", d04.ags, f"pks:{key}", start, 1.0) for key in (WITHOUT_ASYLUM[0], "899000")
    ]
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
            "area_type": m.area_type,
            "area": m.area,
            "area_radius_m": m.area_radius_m,
            "area_street": m.street,
            "ags": m.ags,
            "start": m.start,
            "intensity": m.intensity,
            "budget_eur": m.budget_eur,
            "mechanism": m.mechanism,
            "moderators": m.moderators,
            "duration": m.duration,
            "partners": m.partners,
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

    Layout: ``crime/`` (PKS T01 CSVs; ``lka_tatortgemeinde/`` the LKA's figures per Gemeinde; ``stadt/`` one
    city's Stadtteile in the city statistics' layout), ``accidents/`` (Unfallatlas zips), ``boundaries/``
    (GeoJSON), ``population/`` (GV100AD), ``councils/register.xlsx``, ``surveys/`` (safety surveys),
    ``demo_truth.json`` (the true effect of every evaluable design), ``demo_displacement.json`` (what the
    displacement case removed and moved) and ``demo_hotspots.json`` (the planted hotspots the network
    screening must find).
    """
    rng = np.random.default_rng(seed)
    land = build_land(seed)
    bodies, measures, moved = demo_register(land)
    city_row, lay, planted = site_city(land, np.random.default_rng(seed + 1))
    city = str(city_row["ags"])
    treatments = [m.treatment for m in measures if m.treatment is not None]
    kreise = pd.concat([land.kreise[["ags", "name", "kreis_type", "population"]], pool_kreise(rng)], ignore_index=True)
    crime = [t for t in treatments if t.indicator.startswith("pks:")]
    # the reception centre: a mid-sized Gemeinde of the last Landkreis
    reception = land.gemeinden[land.gemeinden["kreis"] == land.kreise["ags"].max()].sort_values("population")
    reception_gemeinde = str(reception["ags"].iloc[len(reception) // 2])
    pks = simulate_pks(rng, kreise, [t for t in crime if len(t.unit) == 5], reception_gemeinde[:5])
    local = [t for t in crime if "-" in t.unit]
    stadtteile = simulate_stadtteile(rng, local[0].unit[:5], pks, local)
    gemeinden = simulate_tatortgemeinden(
        rng, land, pks, [t for t in crime if len(t.unit) == 8], reception=reception_gemeinde
    )
    pks = add_without_asylum(pks)
    write_pks(pks, raw_dir / "crime")
    write_tatortgemeinden(gemeinden, raw_dir / "crime" / "lka_tatortgemeinde")
    write_stadtteile(stadtteile, local[0].unit[:5], raw_dir / "crime" / "stadt")
    traffic = [t for t in treatments if t.indicator.startswith("acc:")]
    acc, chosen = simulate_accidents(rng, land, traffic, {city: (lay, planted, SITE_MEASURES)}, street_seed=seed + 2)
    acc, displaced = displace(rng, acc, land, moved)
    site_bodies, site_measures = site_register(city_row, chosen)
    bodies, measures = bodies + site_bodies, measures + site_measures
    write_unfallatlas(acc, raw_dir / "accidents")
    write_boundaries(land, raw_dir / "boundaries")
    write_gv100ad(land, raw_dir / "population")
    write_register(bodies, measures, raw_dir / "councils" / "register.xlsx")
    write_surveys(np.random.default_rng(seed + 26), demo_surveys(measures), LAND, raw_dir / "surveys")
    truth = truth_table(bodies, measures)
    (raw_dir / "demo_truth.json").write_text(
        json.dumps([{**t.__dict__, "start": t.start.isoformat()} for t in truth], indent=1), encoding="utf-8"
    )
    record = {"measure_id": moved.measure_id, "target_rr": moved.target_rr, "displaced_share": moved.displaced_share}
    record |= {**displaced, "wdd": displaced["added"] - displaced["removed"]}
    (raw_dir / "demo_displacement.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    hotspots = [{"ags": city, "name": p.name, "x": p.x, "y": p.y, "rate": p.rate} for p in planted]
    (raw_dir / "demo_hotspots.json").write_text(json.dumps(hotspots, indent=1), encoding="utf-8")
    return truth


#: the demo's measures at a place: a speed camera without effect and a crossing that halves pedestrian accidents
SITE_MEASURES = [
    SiteMeasure("DM17", "acc:points_all", dt.date(2021, 3, 1), 1.0),
    SiteMeasure("DM16", "acc:points_pedestrian", dt.date(2021, 6, 1), 0.5, radius_m=150.0),
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
        "D11",
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
                "D11",
                "Querungshilfe mit Mittelinsel am Markt" if crossing else "Stationärer Blitzer an der Hauptstraße",
                "Querungshilfe" if crossing else "Geschwindigkeitsüberwachung",
                "Verkehr",
                "Fußgänger" if crossing else "alle Unfälle mit Personenschaden",
                city,
                f"{m.start:%d.%m.%Y}",
                Treatment(f"{city}@{m.measure_id}", m.indicator, m.start, m.true_rr),
                area_type="Punkt mit Radius",
                area=f"POINT ({lon:.6f} {lat:.6f})",
                area_radius_m=f"{m.radius_m:g}" if m.radius_m else "",
                street="Marktstraße / Ringstraße" if crossing else "Hauptstraße / Nordring",
                budget_eur="85000" if crossing else "",
            )
        )
    return [body], sorted(out, key=lambda m: m.measure_id)
