"""Quality checks on the population table."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, sql_check
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

checks = [
    *loading_checks("population", "population", required=True),
    *contract_checks("population"),
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
]
