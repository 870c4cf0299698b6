"""A synthetic :class:`ReportData` of any size for the document renderers (fact sheets, report, site).

Gemeinden are squares on a grid in EPSG:25832, grouped into Landkreise plus one kreisfreie Stadt. Fixed
cases the tests rely on:

* ``15085235`` Quedlinburg in Landkreis 15085 (Harz), with the body ``G07`` (a founding with an
  evaluated effect and the not evaluable measure ``M14``);
* ``15085999`` Zwergenau with 640 inhabitants and 2 accidents with personal injury in 2015 (a small
  count the source publishes: must appear as ``<3`` with a footnote);
* Umlaut names (Weißenfels, Köthen (Anhalt)) for the search.

Used by the tests in this folder and by ``benchmarks/steckbriefe.py`` (218 Gemeinden).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from praevention.render.data import ReportData
from praevention.render.products import Figures

LAND = "15"
QUEDLINBURG = "15085235"
SMALL = "15085999"
KREISFREI = "15001000"
CRIME = {
    "pks:------": ("Straftaten insgesamt", 6500.0),
    "pks:899000": ("Straßenkriminalität", 1400.0),
    "pks:435*00": ("Wohnungseinbruchdiebstahl", 120.0),
    "pks:892000": ("Gewaltkriminalität", 220.0),
}
FIXED_NAMES = {QUEDLINBURG: "Quedlinburg", SMALL: "Zwergenau", KREISFREI: "Dessau-Roßlau"}
EXTRA_NAMES = ["Weißenfels", "Köthen (Anhalt)", "Möckern", "Bad Dürrenberg", "Tangermünde", "Zörbig"]
SYLLABLES = ["Alt", "Neu", "Ober", "Unter", "Klein", "Groß", "Wald", "Berg", "Bruch", "Feld", "Hagen", "Stedt"]


def _ci(count: np.ndarray, pop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rate = count / pop * 1e5
    half = 1.96 * np.sqrt(np.maximum(count, 1)) / pop * 1e5
    return rate, np.maximum(rate - half, 0), rate + half


def make_report_data(n_gemeinden: int = 24, *, synthetic: bool = True, seed: int = 7) -> ReportData:
    """A Land with ``n_gemeinden`` Gemeinden (at least 8), its Kreise, panel, register and effects."""
    rng = np.random.default_rng(seed)
    n = max(8, n_gemeinden)
    n_landkreise = max(2, min(11, (n - 1) // 16 + 1))
    kreis_keys = ["15001"] + [f"150{81 + i}" for i in range(n_landkreise)]
    if "15085" not in kreis_keys:
        kreis_keys[-1] = "15085"
    side = math.ceil(math.sqrt(n))
    cell = 6000.0
    x0, y0 = 620_000.0, 5_700_000.0
    # Gemeinde 0 is the kreisfreie Stadt; the rest are dealt to the Landkreise in contiguous blocks
    per = math.ceil((n - 1) / n_landkreise)
    rows = []
    used: dict[str, int] = {}
    for i in range(n):
        kreis = "15001" if i == 0 else kreis_keys[1 + min((i - 1) // per, n_landkreise - 1)]
        used[kreis] = used.get(kreis, 0) + 1
        ags = KREISFREI if i == 0 else f"{kreis}{used[kreis] * 5:03d}"
        rows.append([ags, kreis, i])
    # the fixed cases sit in Kreis 15085
    in_harz = [r for r in rows if r[1] == "15085"]
    in_harz[0][0], in_harz[-1][0] = QUEDLINBURG, SMALL
    gem = []
    extra = iter(EXTRA_NAMES)
    for ags, kreis, i in rows:
        cx, cy = x0 + (i % side) * cell, y0 + (i // side) * cell
        name = (
            FIXED_NAMES.get(ags) or next(extra, None) or (f"{SYLLABLES[i % 12]}{SYLLABLES[(i // 12) % 12].lower()}-{i}")
        )
        pop = 640 if ags == SMALL else (240_000 if ags == KREISFREI else int(rng.integers(1_500, 40_000)))
        geom = shapely.box(cx, cy, cx + cell, cy + cell)
        gem.append(
            {"ags": ags, "name": name, "kreis_ags": kreis, "population": pop, "area_km2": 36.0, "geometry": geom}
        )
    gemeinden = gpd.GeoDataFrame(gem, geometry="geometry", crs=25832)
    kre = gemeinden.dissolve("kreis_ags", aggfunc={"population": "sum", "area_km2": "sum"}).reset_index()
    kre = kre.rename(columns={"kreis_ags": "ags"})
    kre["name"] = [
        "Dessau-Roßlau" if k == "15001" else ("Harz" if k == "15085" else f"Landkreis-{k[-2:]}") for k in kre["ags"]
    ]
    kre["kreis_type"] = ["Kreisfreie Stadt" if k == "15001" else "Landkreis" for k in kre["ags"]]
    kreise = gpd.GeoDataFrame(kre[["ags", "name", "kreis_type", "population", "area_km2", "geometry"]], crs=25832)

    panel = _panel(rng, gemeinden, kreise)
    bodies, measures = _register()
    effects = _effects()
    forest = [
        {
            "measure_id": "G07:gruendung",
            "indicator_label": "Straftaten insgesamt",
            "estimate": 0.93,
            "ci_low": 0.85,
            "ci_high": 1.02,
            "weight": 0.6,
        },
        {
            "measure_id": "G04:gruendung",
            "indicator_label": "Straftaten insgesamt",
            "estimate": 0.97,
            "ci_low": 0.88,
            "ci_high": 1.07,
            "weight": 0.4,
        },
    ]
    pooled = pd.DataFrame(
        [
            {
                "group": "Sonstiges Gremium",
                "indicator_domain": "crime",
                "method": "REML mit Hartung-Knapp-Sidik-Jonkman-Intervall",
                "k": 2,
                "estimate": 0.945,
                "ci_low": 0.88,
                "ci_high": 1.01,
                "p_value": 0.3,
                "tau2": 0.0,
                "i2": 0.0,
                "verdict_de": "Über 2 Maßnahmen der Art „Sonstiges Gremium“ hinweg lässt sich keine mittlere Wirkung "
                "nachweisen (95-%-Intervall −12 % bis +1 %).",
                "forest": json.dumps(forest),
            }
        ]
    )
    q = gemeinden.loc[gemeinden["ags"] == QUEDLINBURG, "geometry"].iloc[0].centroid
    points = pd.DataFrame(
        {
            "accident_uid": ["a1", "a2", "a3"],
            "year": [2022, 2023, 2023],
            "month": [5, 6, 7],
            "ags": [QUEDLINBURG] * 3,
            "category": [3, 2, 3],
            "lon": [11.1] * 3,
            "lat": [51.8] * 3,
            "x_25832": [q.x] * 3,
            "y_25832": [q.y] * 3,
        }
    )
    quality = pd.DataFrame(
        {
            "asset": ["crime_cases", "accident_counts", "accident_counts", "register"],
            "reason": [
                "Schlüssel unbekannt",
                "same unit as line 12, listed again",
                "same unit as line 40, listed again",
                "Gemeindeschlüssel fehlt",
            ],
            "rows": [3, 1, 1, 2],
        }
    )
    ingest_log = pd.DataFrame(
        {
            "asset": ["crime_cases"],
            "source_file": ["pks.csv"],
            "rows_read": [100],
            "rows_loaded": [97],
            "rows_quarantined": [3],
            "note": [""],
        }
    )
    return ReportData(
        land=LAND,
        land_name="Sachsen-Anhalt",
        gemeinden=gemeinden,
        kreise=kreise,
        panel=panel,
        effects=effects,
        pooled=pooled,
        calibration=pd.DataFrame(
            [
                {
                    "method": "headline",
                    "indicator": "*",
                    "stratum": "alle",
                    "indicator_label": "alle Zielgrößen",
                    "n_designs": 1200,
                    "n_not_evaluable": 40,
                    "false_positive_rate": 0.04,
                    "mc_error": 0.0057,
                    "coverage": 0.96,
                    "mde_80": 0.7,
                }
            ]
        ),
        bodies=bodies,
        measures=measures,
        points=points,
        quality=quality,
        ingest_log=ingest_log,
        regions={"Region Nord": list(kreise["ags"])},
        data_years={
            "pks": (2014, 2024),
            "unfallatlas": (2022, 2023),
            "unfallstatistik": (2013, 2023),
            "vg": (2021, 2021),
            "gv100ad": (2014, 2024),
        },
        synthetic=synthetic,
    )


def _frame(unit, level, name, years, indicator, label, count, pop, source, published=True):
    years = np.asarray(years)
    count = np.asarray(count, dtype=float)
    pop = np.asarray(pop, dtype=float)
    rate, lo, hi = _ci(count, pop)
    zensus = years >= 2022
    return pd.DataFrame(
        {
            "unit_ags": unit,
            "unit_level": level,
            "unit_name": name,
            "year": years.astype("int32"),
            "month": pd.array([pd.NA] * len(years), dtype="Int32"),
            "indicator": indicator,
            "indicator_label": label,
            "count": count,
            "population": pop,
            "population_method": "published",
            "population_basis": np.where(years >= 2024, "Zensus 2022", "Zensus 2011"),
            "rate_per_100k": rate,
            "rate_ci_low": lo,
            "rate_ci_high": hi,
            "hz_published": np.round(rate) if indicator.startswith("pks:") else np.nan,
            "source": source,
            "break_flag": zensus if level != "Gemeinde" else False,
            "break_reason": np.where(zensus, "Bevölkerung auf Basis Zensus 2022 (Bruch in der Reihe, kein Trend)", None)
            if level != "Gemeinde"
            else None,
            "small_count": (count > 0) & (count < 3),
            "territory": "as_published",
            "comparison_eligible": True,
        }
    )


def _panel(rng, gemeinden: gpd.GeoDataFrame, kreise: gpd.GeoDataFrame) -> pd.DataFrame:
    years = np.arange(2014, 2025)
    frames = []
    land_pop = float(kreise["population"].sum())
    for ind, (label, base) in CRIME.items():
        land_counts = np.zeros(len(years))
        for k in kreise.itertuples():
            trend = 1 - 0.02 * (years - 2014) + rng.normal(0, 0.03, len(years))
            counts = np.round(base * k.population / 1e5 * trend)
            land_counts += counts
            frames.append(
                _frame(
                    k.ags, "Kreis", k.name, years, ind, label, counts, [k.population] * len(years), "BKA PKS T01 Kreise"
                )
            )
        frames.append(
            _frame(
                LAND,
                "Land",
                "Sachsen-Anhalt",
                years,
                ind,
                label,
                land_counts,
                [land_pop] * len(years),
                "BKA PKS T01 Kreise (Summe der Kreise)",
            )
        )
    acc_years = np.array([2013, 2014, 2015])
    for acc, label, per in (
        ("acc:unfaelle_personenschaden", "Unfälle mit Personenschaden", 450.0),
        ("acc:getoetete", "Getötete", 6.0),
    ):
        for g in gemeinden.itertuples():
            counts = rng.poisson(per * g.population / 1e5, len(acc_years)).astype(float)
            if g.ags == SMALL and acc == "acc:unfaelle_personenschaden":
                counts[:] = [1, 3, 2]
            frames.append(
                _frame(
                    g.ags,
                    "Gemeinde",
                    g.name,
                    acc_years,
                    acc,
                    label,
                    counts,
                    [g.population] * 3,
                    "Regionalstatistik 46241-01-03-5",
                )
            )
        for k in kreise.itertuples():
            counts = rng.poisson(per * k.population / 1e5, len(acc_years)).astype(float)
            frames.append(
                _frame(
                    k.ags,
                    "Kreis",
                    k.name,
                    acc_years,
                    acc,
                    label,
                    counts,
                    [k.population] * 3,
                    "Regionalstatistik 46241-01-03-4",
                )
            )
        frames.append(
            _frame(
                LAND,
                "Land",
                "Sachsen-Anhalt",
                acc_years,
                acc,
                label,
                rng.poisson(per * land_pop / 1e5, 3).astype(float),
                [land_pop] * 3,
                "Regionalstatistik 46241-01-03-4",
            )
        )
    q = gemeinden.set_index("ags").loc[QUEDLINBURG]
    frames.append(
        _frame(
            QUEDLINBURG,
            "Gemeinde",
            "Quedlinburg",
            [2022, 2023],
            "acc:points_all",
            "Unfälle mit Personenschaden (Unfallatlas)",
            [1, 2],
            [q.population] * 2,
            "Unfallatlas",
        )
    )
    return pd.concat(frames, ignore_index=True)


def _register() -> tuple[pd.DataFrame, pd.DataFrame]:
    bodies = pd.DataFrame(
        [
            {
                "body_id": "G01",
                "name": "Landespräventionsrat Sachsen-Anhalt (LPR)",
                "body_type": "Landespräventionsrat",
                "level": "Land",
                "ags": LAND,
                "founded": pd.Timestamp("1999-01-01"),
                "founded_precision": "year",
                "partners": np.array(["police", "municipality"], dtype=object),
                "status": "active",
                "source_url": "https://lpr.sachsen-anhalt.de/",
            },
            {
                "body_id": "G07",
                "name": "Runder Tisch für Sicherheit und Ordnung (Quedlinburg)",
                "body_type": "other",
                "level": "Gemeinde",
                "ags": QUEDLINBURG,
                "founded": pd.Timestamp("2019-01-01"),
                "founded_precision": "year",
                "partners": np.array([], dtype=object),
                "status": "unknown",
                "source_url": "https://example.org/quedlinburg",
            },
            {
                "body_id": "K-T03",
                "name": "Kooperation Harz",
                "body_type": "other",
                "level": "Kreis",
                "ags": "15085",
                "founded": pd.NaT,
                "founded_precision": None,
                "partners": np.array(["police"], dtype=object),
                "status": "unknown",
                "source_url": "https://example.org/harz",
            },
        ]
    )
    bodies["ended"] = pd.array([None] * len(bodies), dtype="Int32")
    bodies["ended_precision"] = None
    bodies["relaunched"] = pd.NaT
    bodies["relaunched_precision"] = None
    bodies["source_date"] = "2024-01"
    bodies["notes"] = ""
    bodies["source_file"] = "register.xlsx"
    bodies["source_row"] = range(2, 2 + len(bodies))
    measures = pd.DataFrame(
        [
            {
                "measure_id": "M01",
                "body_id": "G01",
                "title": "Gemeinsame Erklärung zur Sicherheitspartnerschaft",
                "measure_type": "Landesprogramm",
                "domain": "crime",
                "ags": LAND,
                "start": pd.Timestamp("2017-09-13"),
                "start_precision": "day",
                "evaluable": True,
                "not_evaluable_reason": None,
            },
            {
                "measure_id": "M14",
                "body_id": "G07",
                "title": "Partnerschaftsstreifen der Ordnungsbehörde und der Polizei",
                "measure_type": "Streifen",
                "domain": "crime",
                "ags": QUEDLINBURG,
                "start": pd.NaT,
                "start_precision": None,
                "evaluable": False,
                "not_evaluable_reason": "kein Startdatum",
            },
            {
                "measure_id": "T03",
                "body_id": "K-T03",
                "title": "Kampagne „Sicher durch den Harz“",
                "measure_type": "Verkehrsprävention",
                "domain": "traffic",
                "ags": "15085",
                "start": pd.NaT,
                "start_precision": None,
                "evaluable": False,
                "not_evaluable_reason": "kein Startdatum",
            },
        ]
    )
    for col, value in (
        ("target", ""),
        ("area_type", "municipality"),
        ("area_radius_m", np.nan),
        ("intensity", None),
        ("budget_eur", np.nan),
        ("mechanism", None),
        ("moderators", None),
        ("duration", None),
        ("source_url", "https://example.org/m"),
        ("notes", ""),
        ("source_file", "register.xlsx"),
        ("end", None),
        ("end_precision", None),
        ("area_wkt", None),
    ):
        measures[col] = value
    measures["target_pks_keys"] = [np.array(["------"], dtype=object)] * len(measures)
    measures["target_accident_groups"] = [np.array([], dtype=object)] * len(measures)
    measures["area_ortsteile"] = [np.array([], dtype=object)] * len(measures)
    measures["partners"] = [np.array([], dtype=object)] * len(measures)
    measures["source_row"] = range(2, 2 + len(measures))
    return bodies, measures


def _effects() -> pd.DataFrame:
    base = {
        "body_id": "G07",
        "unit_ags": "15085",
        "unit_level": "Kreis",
        "indicator": "pks:------",
        "indicator_label": "Straftaten insgesamt",
        "period_before": "2014–2018",
        "period_after": "2020–2024",
        "comparison": "30 Landkreise",
        "diagnostics": "{}",
        "n_before": 50_000.0,
        "n_after": 48_000.0,
        "p_adjusted": np.nan,
        "p_holm": np.nan,
        "mde_80": np.nan,
        "finding": None,
        "context_de": "",
    }
    verdict = (
        "Nach der Einrichtung von „Runder Tisch für Sicherheit und Ordnung“ änderte sich die Zahl der Fälle „Straftaten "
        "insgesamt“ im Kreis Harz, in dem Quedlinburg liegt, um −7 % (95-%-Intervall −15 % bis +2 %); Wirkungen unter "
        "20 % können diese Daten nicht sicher erkennen."
    )
    rows = [
        {
            **base,
            "measure_id": "G07:gruendung",
            "method": "did_placebo",
            "estimate": 0.93,
            "ci_low": 0.85,
            "ci_high": 1.02,
            "p_value": 0.12,
            "p_adjusted": 0.24,
            "p_holm": 0.24,
            "mde_80": 0.80,
            "finding": "undetectable",
            "evaluable": True,
            "headline": True,
            "verdict_de": verdict,
        },
        {
            **base,
            "measure_id": "G07:gruendung",
            "method": "naive_before_after",
            "estimate": 0.89,
            "ci_low": 0.87,
            "ci_high": 0.91,
            "p_value": 0.001,
            "evaluable": True,
            "headline": False,
            "verdict_de": "Naiver Vergleich: −11 %.",
        },
        {
            **base,
            "measure_id": "G07:gruendung",
            "method": "synthetic_control",
            "estimate": 0.95,
            "ci_low": 0.80,
            "ci_high": 1.12,
            "p_value": 0.4,
            "evaluable": True,
            "headline": False,
            "verdict_de": "Synthetische Kontrolle: −5 %.",
        },
        {
            **base,
            "measure_id": "M14",
            "method": "none",
            "estimate": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "p_value": np.nan,
            "finding": "not_evaluable",
            "evaluable": False,
            "headline": True,
            "verdict_de": "Nicht auswertbar: kein Startdatum.",
            "period_before": "",
            "period_after": "",
        },
        {
            **base,
            "body_id": "G01",
            "unit_ags": LAND,
            "unit_level": "Land",
            "measure_id": "M01",
            "method": "did_placebo",
            "estimate": 1.01,
            "ci_low": 0.97,
            "ci_high": 1.05,
            "p_value": 0.6,
            "p_adjusted": 0.6,
            "p_holm": 0.6,
            "mde_80": 0.9,
            "finding": "no_large_effect",
            "evaluable": True,
            "headline": True,
            "verdict_de": "Nach dem Beginn der Maßnahme änderte sich die Zahl der Fälle um +1 % (95-%-Intervall −3 % bis "
            "+5 %); eine Senkung um mehr als 3 % lässt sich damit ausschließen.",
        },
        {
            **base,
            "body_id": "G01",
            "unit_ags": LAND,
            "unit_level": "Land",
            "measure_id": "M01",
            "method": "naive_before_after",
            "estimate": 0.90,
            "ci_low": 0.89,
            "ci_high": 0.91,
            "p_value": 0.0001,
            "evaluable": True,
            "headline": False,
            "verdict_de": "Naiver Vergleich: −10 %.",
        },
    ]
    out = pd.DataFrame(rows)
    # the measures of Quedlinburg act in the town, about 11 % of the Landkreis Harz; M01 acts in the whole Land
    land = out["unit_level"] == "Land"
    out["area_ags"] = np.where(land, out["unit_ags"], "15085235")
    out["area_level"] = np.where(land, "Land", "Gemeinde")
    out["area_share_cases"] = np.where(land, 1.0, np.nan)
    out["area_share_population"] = np.where(land, 1.0, 0.11)
    out["area_share_territory"] = np.where(land, 1.0, 0.06)
    out["mde_80_area"] = np.where(land, out["mde_80"], np.nan)
    out["population_handling"] = np.where(out["evaluable"], "bridged", None)
    return out


def render_products(data: ReportData, out: Path) -> tuple[Figures, dict[str, list[Path]]]:
    """Every product except the site, in the order the assets run (maps and charts first: the report and
    the decks assemble the images it exported); the exported figures and each product's files."""
    from praevention.render import products

    figures = products.maps_and_charts(data, out)
    return figures, {
        "maps_and_charts": figures.files,
        "fact_sheets": products.fact_sheets(data, out),
        "ministry_report": products.ministry_report(data, out, figures),
        "conference_kit": products.conference_kit(data, out, figures),
    }
