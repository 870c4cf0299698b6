"""Quality checks on the crime tables."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, land_present_check, sql_check, years_check
from assets._sources import loading_checks
from praevention.readers.pks import ALL_OFFENCES, LSA_TOTALS
from praevention.register.schema import LSA_KREISE

#: more recorded cases than any Kreis could have in a year (Berlin, the largest, has about 0.5 million)
MAX_KREIS_CASES = 2_000_000
#: an HZ (cases per 100,000 inhabitants) above this means ten offences of one kind per inhabitant; the
#: highest published one is about 104,000 (Berchtesgadener Land 2016: offences against the residence law
#: at the border)
MAX_HZ = 1_000_000

checks = [
    *loading_checks("crime_cases", "crime_cases", required=True),
    *loading_checks("crime_city_stats", "crime_city_stats", required=False),
    *contract_checks("crime_cases"),
    years_check("crime_cases", "crime_cases", 2000, 2035),
    land_present_check("crime_cases", "crime_cases", ["year"]),
    sql_check(
        asset_name="crime_cases",
        name="years_complete",
        blocking=True,
        description=(
            "Blocking: the PKS is published every year, so every year between the first and the last one "
            "loaded is there (a year whose file could not be read is missing here)."
        ),
        sql="""
            SELECT y AS missing_year FROM range(
                (SELECT min(year) FROM crime_cases), (SELECT max(year) FROM crime_cases)) t(y)
            WHERE y NOT IN (SELECT DISTINCT year FROM crime_cases) ORDER BY 1
        """,
    ),
    *ags_known_checks("crime_cases", "crime_cases", "SELECT DISTINCT ags FROM crime_cases"),
    sql_check(
        asset_name="crime_cases",
        name="counts_plausible",
        blocking=True,
        description=(
            f"Blocking: counts within physical bounds (at most {MAX_KREIS_CASES:,} cases and an HZ of at most "
            f"{MAX_HZ:,} per Kreis and offence, shares at most 100 %) and consistent (attempts and firearm cases "
            "at most the recorded cases; male and female suspects add up to all suspects; cleared cases at most "
            "the recorded ones plus 30 or 20 %, whichever is more: the PKS counts a case as cleared in the year "
            "it is cleared, so a year may clear a few more cases than it records)."
        ),
        sql="""
            SELECT * FROM (
                SELECT year, ags, offence_key, cases, hz, cleared, attempts, suspects, CASE
                    WHEN cases > ? THEN 'cases above the physical bound'
                    WHEN hz > ? THEN 'HZ above the physical bound'
                    WHEN cleared > cases + greatest(30, 0.2 * cases) THEN 'far more cases cleared than recorded'
                    WHEN attempts > cases THEN 'more attempts than recorded cases'
                    WHEN firearm_threatened > cases OR firearm_shot > cases THEN 'more firearm cases than recorded'
                    WHEN greatest(attempts_pct, suspects_non_german_pct) > 100 THEN 'a share above 100 %'
                    WHEN suspects_male + suspects_female <> suspects THEN 'male + female suspects differ from all suspects'
                END AS problem FROM crime_cases)
            WHERE problem IS NOT NULL ORDER BY year, ags, offence_key
        """,
        params=(MAX_KREIS_CASES, MAX_HZ),
    ),
    sql_check(
        asset_name="crime_cases",
        name="hz_recomputed",
        blocking=True,
        description=(
            "Blocking: the published HZ agrees with cases × 100,000 / population, the population being the one "
            "the Kreis's all-offences row implies (within rounding and 1 %); for the Kreise of the Land also "
            "the population of the Gemeindeverzeichnis nearest to the 31.12. before the year (within 10 %: "
            "reference dates and census bases differ)."
        ),
        sql="""
            WITH total AS (SELECT ? AS offence_key), land AS (SELECT ? AS key),
            implied AS (
                SELECT year, ags, cases * 1e5 / hz AS population FROM crime_cases
                WHERE offence_key = (SELECT offence_key FROM total) AND hz > 0),
            kreis_pop AS (
                SELECT substr(ags, 1, 5) AS ags, reference_date, source, sum(population) AS population
                FROM population WHERE substr(ags, 1, 2) = (SELECT key FROM land) AND length(ags) = 8 GROUP BY ALL),
            destatis AS (
                SELECT c.year, c.ags, arg_min(p.population, abs(year(p.reference_date) - (c.year - 1))) AS population
                FROM crime_cases c JOIN kreis_pop p ON p.ags = c.ags
                WHERE c.offence_key = (SELECT offence_key FROM total) GROUP BY ALL)
            SELECT c.year, c.ags, c.offence_key, c.cases, c.hz AS hz_published,
                   round(c.cases * 1e5 / i.population, 1) AS hz_recomputed, 'implied by the all-offences row' AS basis
            FROM crime_cases c JOIN implied i USING (year, ags)
            WHERE c.hz IS NOT NULL AND abs(c.hz - c.cases * 1e5 / i.population) > 0.5 + 0.01 * c.hz
            UNION ALL
            SELECT c.year, c.ags, c.offence_key, c.cases, c.hz, round(c.cases * 1e5 / d.population, 1),
                   'Gemeindeverzeichnis'
            FROM crime_cases c JOIN destatis d USING (year, ags)
            WHERE c.offence_key = (SELECT offence_key FROM total) AND abs(c.hz - c.cases * 1e5 / d.population) > 0.1 * c.hz
            ORDER BY 1, 2, 3
        """,
        params=(ALL_OFFENCES,),
        land_param=True,
        additional_deps=["population"],
    ),
    sql_check(
        asset_name="crime_cases",
        name="lsa_totals",
        blocking=False,
        description="Warning: the 14 Sachsen-Anhalt Kreise add up to the totals in PROVENANCE-crime-councils.md §1.",
        sql="""
            WITH ref AS (SELECT unnest(?::INTEGER[]) AS year, unnest(?::BIGINT[]) AS expected),
                 got AS (SELECT year, sum(cases) AS loaded FROM crime_cases
                         WHERE offence_key = ? AND list_contains(?, ags) GROUP BY year)
            SELECT ref.year, expected, loaded FROM ref JOIN got USING (year) WHERE loaded <> expected
        """,
        params=(list(LSA_TOTALS), list(LSA_TOTALS.values()), ALL_OFFENCES, list(LSA_KREISE)),
    ),
    *loading_checks("crime_gemeinde_cases", "crime_gemeinde_cases", required=False),
    *contract_checks("crime_gemeinde_cases"),
    years_check("crime_gemeinde_cases", "crime_gemeinde_cases", 2000, 2035),
    sql_check(
        asset_name="crime_gemeinde_cases",
        name="ags_in_gemeindeverzeichnis",
        blocking=True,
        description="Blocking: every AGS is a Gemeinde of the Gemeindeverzeichnis (table `population`).",
        sql="""
            SELECT ags, min(year) AS first_year, count(*) AS rows FROM crime_gemeinde_cases
            WHERE ags NOT IN (SELECT ags FROM population WHERE length(ags) = 8) GROUP BY ags ORDER BY ags
        """,
        additional_deps=["population"],
    ),
    sql_check(
        asset_name="crime_gemeinde_cases",
        name="counts_plausible",
        blocking=True,
        description=(
            f"Blocking: at most {MAX_KREIS_CASES:,} cases per Gemeinde and offence, attempts and cleared cases at "
            "most the recorded ones."
        ),
        sql="""
            SELECT year, ags, offence_key, cases, attempts, cleared FROM crime_gemeinde_cases
            WHERE cases > ? OR attempts > cases OR cleared > cases ORDER BY year, ags, offence_key
        """,
        params=(MAX_KREIS_CASES,),
    ),
    sql_check(
        asset_name="crime_gemeinde_cases",
        name="within_kreis_totals",
        blocking=True,
        description=(
            "Blocking: the Gemeinden of a Kreis add up to at most the Kreis's cases in the BKA's PKS (T01 Kreise) "
            "of the same year and offence key (cases without a Tatortgemeinde make up the rest)."
        ),
        sql="""
            WITH gemeinden AS (
                SELECT year, substr(ags, 1, 5) AS kreis, offence_key, sum(cases) AS gemeinden, count(*) AS n
                FROM crime_gemeinde_cases GROUP BY ALL)
            SELECT g.year, g.kreis, g.offence_key, g.n, g.gemeinden, c.cases AS kreis_cases
            FROM gemeinden g JOIN crime_cases c ON c.year = g.year AND c.ags = g.kreis AND c.offence_key = g.offence_key
            WHERE g.gemeinden > c.cases ORDER BY 1, 2, 3
        """,
        additional_deps=["crime_cases"],
    ),
    *contract_checks("crime_city_stats"),
    sql_check(
        asset_name="crime_city_stats",
        name="vs_bka",
        blocking=False,
        description=(
            "Warning: Magdeburg and Halle totals in KISS-MD K11_T4 equal the BKA Kreis table. Known typos "
            "(2022 Magdeburg, 2023 Halle, 2015 Halle) show up here and are not corrected."
        ),
        sql="""
            SELECT s.year, s.unit_ags, s.value AS kiss_md, c.cases AS bka
            FROM crime_city_stats s
            JOIN crime_cases c ON c.year = s.year AND c.ags = substr(s.unit_ags, 1, 5) AND c.offence_key = ?
            WHERE s.table_id = 'K11_T4' AND s.measure = 'straftaten' AND s.value <> c.cases
            ORDER BY 1, 2
        """,
        params=(ALL_OFFENCES,),
        additional_deps=["crime_cases"],
    ),
]
