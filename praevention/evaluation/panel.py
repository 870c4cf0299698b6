"""The harmonised panel: one row per unit × period × indicator with counts, denominators, exact rates.

Plain functions over DataFrames read from the warehouse (see ``assets/evaluation``).

* Crime (PKS) is published per Kreis only. All offences without violations of residence and asylum law
  (``pks:890000``) are derived as ``------`` minus ``725000`` where the table does not publish them
  (:mod:`praevention.evaluation.outcomes`), per Kreis and per Tatortgemeinde. Kreise merged between 2014 and 2024 are harmonised to the
  later territory (:data:`MERGERS`: Göttingen + Osterode am Harz → Göttingen 03159 on 01.11.2016;
  Eisenach → Wartburgkreis 16063 on 01.07.2021); any other unit whose series has gaps is kept but left
  out of comparison pools. Land rows are the sums of their Kreise.
* Accidents come per Land (GENESIS), Kreis and Gemeinde (Regionalstatistik, INKAR) and as points
  (Unfallatlas, counted per Gemeinde and Kreis for the years a file covers).
* Crime per Gemeinde comes from the LKA's PKS by Tatortgemeinde where the ministry delivered it
  (``crime_gemeinde_cases``), with the Gemeinde population of the Gemeindeverzeichnis.
* Magdeburg's Stadtteile (KISS-MD) enter with counts only: no Stadtteil population is published.
* Counts of 1 or 2 are flagged (``small_count``); outputs suppress or widen them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from praevention.evaluation.outcomes import add_without_asylum
from praevention.evaluation.population import (
    ZENSUS_2022_BREAK,
    aggregate_population,
    census_basis,
    scale_to_kreis_totals,
    yearly_population,
)
from praevention.readers.pks import ALL_OFFENCES
from praevention.stats.rates import poisson_rate_ci

MERGERS = {"03152": "03159", "03156": "03159", "16056": "16063"}
POINT_INDICATORS = {
    "acc:points_all": ("Unfälle mit Personenschaden (Unfallatlas)", None),
    "acc:points_ksi": ("Unfälle mit Getöteten oder Schwerverletzten (Unfallatlas)", "category <= 2"),
    "acc:points_pedestrian": ("Unfälle mit Fußgängerbeteiligung (Unfallatlas)", "is_pedestrian"),
    "acc:points_bicycle": ("Unfälle mit Radfahrerbeteiligung (Unfallatlas)", "is_bicycle"),
    "acc:points_motorcycle": ("Unfälle mit Kraftradbeteiligung (Unfallatlas)", "is_motorcycle"),
}
ACCIDENT_LABELS = {
    "unfaelle_personenschaden": "Unfälle mit Personenschaden",
    "unfaelle_ohne_uebrige_sachschaden": "Unfälle ohne übrige Sachschadensunfälle (Regionalstatistik)",
    "unfaelle_polizeilich_erfasst": "Polizeilich erfasste Unfälle insgesamt (GENESIS)",
    "unfaelle_schwerw_sachschaden": "Schwerwiegende Unfälle mit Sachschaden",
    "unfaelle_sachschaden_berauscht": "Sachschadensunfälle unter Einfluss berauschender Mittel (ab 2008)",
    "unfaelle_sachschaden_alkohol_bis_2007": "Alkoholunfälle mit Sachschaden (Definition bis 2007)",
    "unfaelle_uebrige_sachschaden": "Übrige Sachschadensunfälle",
    "getoetete": "Getötete",
    "verletzte": "Verletzte",
    "schwerverletzte": "Schwerverletzte",
    "leichtverletzte": "Leichtverletzte",
    "verunglueckte": "Verunglückte",
}
ACCIDENT_SOURCE_PRIORITY = ["Regionalstatistik 46241-01-03-4", "Regionalstatistik 46241-01-03-5", "GENESIS", "INKAR"]
COLUMNS = [
    "unit_ags",
    "unit_level",
    "unit_name",
    "year",
    "month",
    "indicator",
    "indicator_label",
    "count",
    "population",
    "population_method",
    "population_basis",
    "rate_per_100k",
    "rate_ci_low",
    "rate_ci_high",
    "hz_published",
    "source",
    "break_flag",
    "break_reason",
    "small_count",
    "territory",
    "comparison_eligible",
]


def offence_label(label: str) -> str:
    """A PKS offence label without its legal citations and list markers (for German outputs)."""
    text = re.sub(r"\s*§.*$", "", str(label)).strip()
    text = re.sub(r"\s*(und zwar|darunter):?$", "", text).strip()
    return re.sub(r"\s+", " ", text)


def pks_kreis_panel(crime: pd.DataFrame) -> pd.DataFrame:
    """PKS counts per (harmonised) Kreis, year and offence key, with the BKA's implied population."""
    c = crime.copy()
    c["unit_ags"] = c["ags"].map(MERGERS).fillna(c["ags"])
    totals = c[c["offence_key"] == ALL_OFFENCES].copy()
    totals["pop_implied"] = totals["cases"] * 100_000.0 / totals["hz"].replace(0, np.nan)
    pop = totals.groupby(["unit_ags", "year"], as_index=False)["pop_implied"].sum(min_count=1)
    names = c.sort_values("year").groupby("unit_ags")["kreis_name"].last()
    labels = c.sort_values("year").groupby("offence_key")["offence_label"].last().map(offence_label)
    grouped = c.groupby(["unit_ags", "year", "offence_key"], as_index=False).agg(
        count=("cases", "sum"),
        n_published=("ags", "size"),
        hz_published=("hz", "first"),
        hz_basis=("hz_basis", "first"),
    )
    # territory: the keys summed into a harmonised unit (only the merged units need the string join)
    merged = c[c["ags"] != c["unit_ags"]]
    parts = {u: "+".join(sorted(set(g["ags"]))) for u, g in merged.groupby("unit_ags")}
    harmonised = grouped["unit_ags"].isin(parts) & (grouped["n_published"] > 1)
    grouped["territory"] = "as_published"
    if harmonised.any():  # a Land without territorial reforms in the period has none
        grouped.loc[harmonised, "territory"] = "harmonized:" + grouped.loc[harmonised, "unit_ags"].map(parts)
    grouped.loc[grouped["n_published"] > 1, "hz_published"] = np.nan
    out = grouped.merge(pop, on=["unit_ags", "year"], how="left")
    out["unit_level"] = "Kreis"
    out["unit_name"] = out["unit_ags"].map(names)
    out["indicator"] = "pks:" + out["offence_key"]
    out["indicator_label"] = out["offence_key"].map(labels)
    out["population"] = out["pop_implied"]
    out["population_method"] = "pks_implied"
    out["population_basis"] = out["year"].map(census_basis)
    out["source"] = "BKA PKS T01 Kreise"
    zensus = out["hz_basis"].str.contains("2022", na=False)
    out["break_flag"] = zensus
    out["break_reason"] = np.where(zensus, "HZ nach Zensus 2022: " + ZENSUS_2022_BREAK, None)
    return out


def pks_land_panel(kreis: pd.DataFrame) -> pd.DataFrame:
    """Land rows: the sums of their Kreise (so that Kreis and Land trends are comparable)."""
    k = kreis.assign(land=kreis["unit_ags"].str[:2])
    out = k.groupby(["land", "year", "indicator"], as_index=False).agg(
        count=("count", "sum"),
        population=("population", "sum"),
        indicator_label=("indicator_label", "first"),
        break_flag=("break_flag", "any"),
        break_reason=("break_reason", "first"),
    )
    out = out.rename(columns={"land": "unit_ags"})
    out["unit_level"] = "Land"
    out["population_method"] = "pks_implied"
    out["population_basis"] = out["year"].map(census_basis)
    out["source"] = "BKA PKS T01 Kreise (Summe der Kreise)"
    out["territory"] = "as_published"
    return out


def accident_count_panel(counts: pd.DataFrame) -> pd.DataFrame:
    """Totals (no breakdown) per unit, year, month and measure; one source per cell by priority."""
    a = counts[(counts["breakdown"] == "") & counts["level"].isin(["Land", "Kreis", "Gemeinde"])].copy()
    a = a[a["measure"].isin(ACCIDENT_LABELS)]
    a["priority"] = a["source"].map(
        lambda s: next((i for i, p in enumerate(ACCIDENT_SOURCE_PRIORITY) if s.startswith(p)), 99)
    )
    a = a.sort_values("priority").drop_duplicates(["level", "ags", "year", "month", "measure"], keep="first")
    # the Regionalstatistik lists the kreisfreie Städte as Kreise; their Gemeinde is the same territory
    out = a.rename(columns={"ags": "unit_ags", "level": "unit_level", "value": "count"})
    out["indicator"] = "acc:" + out["measure"]
    out["indicator_label"] = out["measure"].map(ACCIDENT_LABELS)
    out["territory"] = "as_published"
    definition = out["measure"].isin(["unfaelle_sachschaden_berauscht", "unfaelle_sachschaden_alkohol_bis_2007"])
    out["break_flag"] = definition & out["year"].isin([2007, 2008])
    out["break_reason"] = np.where(out["break_flag"], "Definition 'berauschende Mittel' geändert 2008", None)
    return out[
        [
            "unit_ags",
            "unit_level",
            "year",
            "month",
            "indicator",
            "indicator_label",
            "count",
            "source",
            "territory",
            "break_flag",
            "break_reason",
        ]
    ]


def point_panel(points: pd.DataFrame, gemeinden: list[str]) -> pd.DataFrame:
    """Unfallatlas points counted per Gemeinde and Kreis and year.

    Years an official Unfallatlas file covers get zeros for Gemeinden without accidents; years only the
    derived Magdeburg extract covers count only the Gemeinden in that extract.
    """
    if points.empty:
        return pd.DataFrame(
            columns=["unit_ags", "unit_level", "year", "indicator", "indicator_label", "count", "source"]
        )
    rows = []
    official = points["source"].str.startswith("Unfallatlas (")
    for indicator, (label, condition) in POINT_INDICATORS.items():
        sel = points.query(condition) if condition else points
        counted = sel.groupby(["ags", "year", "source"]).size().rename("count").reset_index()
        # the universe of (Gemeinde, year) cells a source covers
        cover = points[["ags", "year", "source"]].drop_duplicates()
        full_years = points.loc[official, "year"].unique()
        lands_by_year = points.loc[official].groupby("year")["ags"].apply(lambda s: set(s.str[:2]))
        extra = [
            (g, y, points.loc[official & (points["year"] == y), "source"].iloc[0])
            for y in full_years
            for g in gemeinden
            if g[:2] in lands_by_year[y]
        ]
        cover = pd.concat([cover, pd.DataFrame(extra, columns=["ags", "year", "source"])]).drop_duplicates(
            ["ags", "year"]
        )
        cell = cover.merge(counted, on=["ags", "year", "source"], how="left").fillna({"count": 0})
        cell["indicator"], cell["indicator_label"] = indicator, label
        rows.append(cell)
    gem = pd.concat(rows, ignore_index=True).rename(columns={"ags": "unit_ags"})
    gem["unit_level"] = "Gemeinde"
    kreis = (
        gem.assign(unit_ags=gem["unit_ags"].str[:5])
        .groupby(["unit_ags", "year", "indicator", "indicator_label", "source"], as_index=False)["count"]
        .sum()
    )
    kreis["unit_level"] = "Kreis"
    # a Kreis count is complete only if every Gemeinde of the Kreis is covered that year
    coverage = gem.assign(kreis=gem["unit_ags"].str[:5]).groupby(["kreis", "year"])["unit_ags"].nunique()
    expected = pd.Series([g[:5] for g in gemeinden]).value_counts()
    complete = {(k, y) for (k, y), n in coverage.items() if n >= expected.get(k, np.inf)}
    kreis = kreis[[(k, y) in complete for k, y in zip(kreis["unit_ags"], kreis["year"], strict=True)]]
    return pd.concat([gem, kreis], ignore_index=True)


def single_gemeinde_rows(acc: pd.DataFrame, gemeinden: list[str]) -> pd.DataFrame:
    """Kreisfreie Städte are one Gemeinde: a Kreis figure is also that Gemeinde's, where none is published."""
    per_kreis = pd.Series([g[:5] for g in gemeinden]).value_counts()
    single = {k: next(g for g in gemeinden if g[:5] == k) for k, n in per_kreis.items() if n == 1}
    kreis_rows = acc[(acc["unit_level"] == "Kreis") & acc["unit_ags"].isin(single)].copy()
    kreis_rows["unit_ags"] = kreis_rows["unit_ags"].map(single)
    kreis_rows["unit_level"] = "Gemeinde"
    gem = acc[acc["unit_level"] == "Gemeinde"]
    have = set(zip(gem["unit_ags"], gem["year"], gem["indicator"], strict=True))
    keep = [
        (a, y, i) not in have
        for a, y, i in zip(kreis_rows["unit_ags"], kreis_rows["year"], kreis_rows["indicator"], strict=True)
    ]
    return kreis_rows[keep]


#: the source named in every output of a Gemeinde-level crime evaluation
TATORTGEMEINDE_SOURCE = "LKA-Tatortgemeindestatistik (PKS nach Tatortgemeinde)"


def tatortgemeinde_panel(gemeinden: pd.DataFrame, kreis: pd.DataFrame) -> pd.DataFrame:
    """PKS cases per Tatortgemeinde (LKA import) as Gemeinde rows; offence labels from the Kreis table."""
    labels = kreis.drop_duplicates("indicator").set_index("indicator")["indicator_label"]
    indicator = "pks:" + gemeinden["offence_key"]
    return pd.DataFrame(
        {
            "unit_ags": gemeinden["ags"],
            "unit_level": "Gemeinde",
            "year": gemeinden["year"],
            "indicator": indicator,
            "indicator_label": indicator.map(labels).fillna(gemeinden["offence_key"]),
            "count": gemeinden["cases"],
            "source": TATORTGEMEINDE_SOURCE,
            "territory": "as_published",
        }
    )


def stadtteil_panel(city: pd.DataFrame) -> pd.DataFrame:
    """Magdeburg's recorded crimes per Stadtteil (KISS-MD K11_T3): counts only, no population."""
    t3 = city[(city["table_id"] == "K11_T3") & (city["unit_level"] == "Stadtteil")].copy()
    out = t3.rename(columns={"value": "count", "unit_label": "unit_name"})
    out["indicator"] = "pks:------"
    out["indicator_label"] = "Straftaten insgesamt"
    out["territory"] = "as_published"
    return out[
        ["unit_ags", "unit_level", "unit_name", "year", "indicator", "indicator_label", "count", "source", "territory"]
    ]


def build_panel(
    crime: pd.DataFrame,
    crime_gemeinden: pd.DataFrame,
    city: pd.DataFrame,
    accident_counts: pd.DataFrame,
    points: pd.DataFrame,
    population: pd.DataFrame,
    names: pd.DataFrame,
    land: str,
) -> pd.DataFrame:
    """Assemble the panel. ``names`` has ags → name for Gemeinden and Kreise (boundaries)."""
    years = range(1995, 2027)
    kreis = add_without_asylum(pks_kreis_panel(crime))
    # the BKA's population of the Land's Kreise (cases × 100,000 / HZ): the official total the Gemeinden's
    # interpolated or carried figures are scaled to
    bka = kreis[(kreis["offence_key"] == ALL_OFFENCES) & (kreis["unit_ags"].str[:2] == land)]
    bka = bka[["unit_ags", "year", "pop_implied"]].rename(columns={"unit_ags": "ags", "pop_implied": "population"})
    gem_pop = yearly_population(population[population["ags"].str[:2] == land], years)
    gem_pop = scale_to_kreis_totals(gem_pop, bka).rename(columns={"ags": "unit_ags"})
    kreis_pop = aggregate_population(gem_pop.rename(columns={"unit_ags": "ags"}), "Kreis")
    land_pop = aggregate_population(gem_pop.rename(columns={"unit_ags": "ags"}), "Land")
    destatis = pd.concat(
        [
            gem_pop.assign(unit_level="Gemeinde"),
            kreis_pop.assign(unit_level="Kreis"),
            land_pop.assign(unit_level="Land"),
        ],
        ignore_index=True,
    )
    destatis = destatis[destatis["year"] >= 2014]  # the stored editions start with 31.12.2013

    land_rows = pks_land_panel(kreis)
    pks = pd.concat([kreis, land_rows], ignore_index=True)
    # one population basis for the Land's own units: Destatis (interpolated), not the BKA's implied figure
    pks = pks.merge(destatis, on=["unit_ags", "unit_level", "year"], how="left", suffixes=("", "_destatis"))
    own = pks["population_destatis"].notna()
    pks.loc[own, "population"] = pks.loc[own, "population_destatis"]
    pks.loc[own, "population_method"] = pks.loc[own, "population_method_destatis"]
    pks.loc[own, "population_basis"] = pks.loc[own, "population_basis_destatis"]
    own_zensus = pks["zensus_2022"].eq(True)
    pks.loc[own, "break_flag"] = own_zensus[own]
    pks.loc[own, "break_reason"] = np.where(own_zensus[own], ZENSUS_2022_BREAK, None)

    lka = add_without_asylum(tatortgemeinde_panel(crime_gemeinden[crime_gemeinden["ags"].str[:2] == land], kreis))
    lka = lka.merge(destatis, on=["unit_ags", "unit_level", "year"], how="left")
    lka["break_flag"] = lka["zensus_2022"].eq(True)
    lka["break_reason"] = np.where(lka["break_flag"], ZENSUS_2022_BREAK, None)
    pks = pd.concat([pks, lka], ignore_index=True)

    gemeinden = sorted(names.loc[(names["level"] == "Gemeinde") & (names["ags"].str[:2] == land), "ags"])
    acc = pd.concat(
        [accident_count_panel(accident_counts), point_panel(points, gemeinden).assign(territory="as_published")],
        ignore_index=True,
    )
    acc = pd.concat([acc, single_gemeinde_rows(acc, gemeinden)], ignore_index=True)
    acc = acc.merge(destatis, on=["unit_ags", "unit_level", "year"], how="left")
    zensus = acc["zensus_2022"].eq(True)
    acc["break_flag"] = acc["break_flag"].eq(True) | zensus
    acc.loc[zensus, "break_reason"] = ZENSUS_2022_BREAK

    panel = pd.concat([pks, acc, stadtteil_panel(city)], ignore_index=True)
    name_map = dict(zip(names["ags"], names["name"], strict=False))
    panel["unit_name"] = panel["unit_ags"].map(name_map).fillna(panel.get("unit_name"))
    if land_name := LAND_NAMES.get(land):
        panel.loc[panel["unit_ags"] == land, "unit_name"] = land_name
    return finalize(panel)


LAND_NAMES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}


def add_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Rate per 100,000 and its exact Poisson interval from ``count`` and ``population``."""
    p = frame.copy()
    p["count"] = p["count"].astype(float)
    has_pop = p["population"].notna() & (p["population"] > 0) & p["count"].notna()
    rate, lo, hi = poisson_rate_ci(
        p.loc[has_pop, "count"].to_numpy(), p.loc[has_pop, "population"].to_numpy(), per=100_000
    )
    p["rate_per_100k"], p["rate_ci_low"], p["rate_ci_high"] = np.nan, np.nan, np.nan
    p.loc[has_pop, "rate_per_100k"], p.loc[has_pop, "rate_ci_low"], p.loc[has_pop, "rate_ci_high"] = rate, lo, hi
    return p


def finalize(panel: pd.DataFrame) -> pd.DataFrame:
    """Rates with exact Poisson intervals, small-number and comparison flags, fixed columns and order."""
    p = panel.copy()
    for col, default in (
        ("month", pd.NA),
        ("hz_published", np.nan),
        ("population", np.nan),
        ("population_method", None),
        ("population_basis", None),
        ("break_reason", None),
    ):
        if col not in p:
            p[col] = default
    p["break_flag"] = p["break_flag"].eq(True)
    p["year"] = p["year"].astype("int64")
    p = add_rates(p)
    p["small_count"] = p["count"].between(1, 2)
    # a unit leaves comparison pools when its series for an indicator has gaps
    spans = p[p["month"].isna()].groupby(["unit_ags", "indicator", "source"])["year"].agg(["min", "max", "nunique"])
    broken = spans[(spans["max"] - spans["min"] + 1) != spans["nunique"]].reset_index()[
        ["unit_ags", "indicator", "source"]
    ]
    p = p.merge(broken.assign(gap=True), on=["unit_ags", "indicator", "source"], how="left")
    p["comparison_eligible"] = ~p["gap"].eq(True)
    gap = ~p["comparison_eligible"]
    p.loc[gap, "break_flag"] = True
    p.loc[gap, "break_reason"] = p.loc[gap, "break_reason"].fillna("Reihe lückenhaft: nicht in Vergleichsgruppen")
    p["month"] = p["month"].astype("Int32")
    p["year"] = p["year"].astype("int32")
    return (
        p[COLUMNS].sort_values(["unit_ags", "indicator", "year", "month"], na_position="first").reset_index(drop=True)
    )
