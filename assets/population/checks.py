"""Quality checks on the population table."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, land_present_check, sql_check
from assets._sources import loading_checks
from praevention.register.schema import LSA

# Sachsen-Anhalt totals per reference date (PROVENANCE-geo-accidents.md §3.4)
_LSA_TOTALS = {
    "2013-12-31": 2_244_577,
    "2014-12-31": 2_235_548,
    "2016-12-31": 2_236_252,
    "2018-12-31": 2_208_321,
    "2019-12-31": 2_194_782,
    "2020-12-31": 2_180_684,
    "2022-12-31": 2_186_643,
    "2024-12-31": 2_135_597,
}

#: no German Gemeinde has more inhabitants (Berlin: 3.9 million) or more area (Berlin: 891 km²)
MAX_GEMEINDE_POPULATION = 4_000_000
MAX_GEMEINDE_KM2 = 1_000

#: how far a Kreis's boundary area may differ from its area in the Gemeindeverzeichnis (VG5000 is generalised:
#: about 1 % apart in Sachsen-Anhalt)
AREA_TOLERANCE = 0.05

checks = [
    *loading_checks("population", "population", required=True),
    *contract_checks("population"),
    land_present_check("population", "population", ["source", "reference_date"]),
    *ags_known_checks("population", "population", "SELECT DISTINCT ags FROM population"),
    sql_check(
        asset_name="population",
        name="reference_dates_plausible",
        blocking=True,
        description="Blocking: reference dates lie in 1990–2035 and populations are non-negative.",
        sql="SELECT ags, reference_date, population FROM population "
        "WHERE reference_date NOT BETWEEN DATE '1990-01-01' AND DATE '2035-12-31' OR population < 0",
    ),
    sql_check(
        asset_name="population",
        name="population_plausible",
        blocking=True,
        description=(
            "Blocking: a Gemeinde's population lies within the range of its Land: at most 1.5 times the largest "
            f"Gemeinde of that Land at any other reference date, and never above {MAX_GEMEINDE_POPULATION:,}; "
            f"men at most all inhabitants; area above 0 and at most {MAX_GEMEINDE_KM2:,} km²."
        ),
        sql="""
            WITH largest AS (
                SELECT substr(ags, 1, 2) AS land, reference_date, max(population) AS largest
                FROM population GROUP BY ALL)
            SELECT p.ags, p.reference_date, p.population, p.population_male, p.area_km2, p.source
            FROM population p
            WHERE p.population > ? OR p.population_male > p.population OR p.area_km2 <= 0 OR p.area_km2 > ?
               OR p.population > 1.5 * (SELECT max(largest) FROM largest l
                                        WHERE l.land = substr(p.ags, 1, 2) AND l.reference_date <> p.reference_date)
            ORDER BY 1, 2
        """,
        params=(MAX_GEMEINDE_POPULATION, MAX_GEMEINDE_KM2),
    ),
    sql_check(
        asset_name="population",
        name="lsa_totals",
        blocking=False,
        description="Warning: Sachsen-Anhalt sums per reference date equal the published totals.",
        sql="""
            WITH ref AS (SELECT unnest(?::DATE[]) AS reference_date, unnest(?::BIGINT[]) AS expected)
            SELECT p.reference_date, p.source, sum(population) AS loaded, any_value(expected) AS expected
            FROM population p JOIN ref USING (reference_date) WHERE substr(p.ags, 1, 2) = ?
            GROUP BY ALL HAVING sum(population) <> any_value(expected)
        """,
        params=(list(_LSA_TOTALS), list(_LSA_TOTALS.values()), LSA),
    ),
    sql_check(
        asset_name="population",
        name="areas_known",
        blocking=True,
        land_param=True,
        additional_deps=["boundaries"],
        table="boundaries",
        description=(
            "Blocking: the boundary area of every Kreis of the Land agrees with the area of its Gemeinden in the "
            f"Gemeindeverzeichnis (the reference date nearest to the Gebietsstand) within {AREA_TOLERANCE:.0%} "
            "(swapped axes, a wrong CRS or a cut-off layer give other areas)."
        ),
        sql="""
            WITH tolerance AS (SELECT ? AS share),
            known AS (
                SELECT substr(ags, 1, 5) AS ags, source, reference_date, sum(area_km2) AS area_km2
                FROM population WHERE length(ags) = 8 AND area_km2 IS NOT NULL GROUP BY ALL),
            kreise AS (SELECT * FROM boundaries WHERE level = 'Kreis' AND substr(ags, 1, 2) = ?)
            SELECT * FROM (
                SELECT k.ags, k.valid_from, round(k.area_km2, 1) AS area_km2,
                       round(arg_min(n.area_km2, abs(datediff('day', n.reference_date, k.valid_from))), 1) AS known_km2,
                       k.source_file, k.source_line
                FROM kreise k JOIN known n USING (ags) GROUP BY ALL)
            WHERE abs(area_km2 - known_km2) > (SELECT share FROM tolerance) * known_km2 ORDER BY 1, 2
        """,
        params=(AREA_TOLERANCE,),
    ),
]
