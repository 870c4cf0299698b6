"""Quality checks on the crime tables."""

from __future__ import annotations

from assets._shared import ags_known_checks, columns_check, loading_checks, sql_check, unique_key_check, years_check
from pipelines.readers.pks import LSA_TOTALS

_LSA = "(ags IN ('15001', '15002', '15003') OR ags BETWEEN '15081' AND '15091')"

checks = [
    *loading_checks("crime_cases", "crime_cases", required=True),
    *loading_checks("crime_city_stats", "crime_city_stats", required=False),
    columns_check(
        "crime_cases", "crime_cases", ["year", "ags", "offence_key", "offence_label", "cases", "hz", "hz_basis"]
    ),
    unique_key_check("crime_cases", "crime_cases", ["year", "ags", "offence_key"]),
    years_check("crime_cases", "crime_cases", 2000, 2035),
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
        name="lsa_totals",
        blocking=False,
        description="Warning: the 14 Sachsen-Anhalt Kreise add up to the totals in PROVENANCE-crime-councils.md §1.",
        sql=f"""
            WITH ref AS (SELECT unnest(?::INTEGER[]) AS year, unnest(?::BIGINT[]) AS expected),
                 got AS (SELECT year, sum(cases) AS loaded FROM crime_cases
                         WHERE offence_key = '------' AND {_LSA} GROUP BY year)
            SELECT ref.year, expected, loaded FROM ref JOIN got USING (year) WHERE loaded <> expected
        """,
        params=(list(LSA_TOTALS), list(LSA_TOTALS.values())),
    ),
    unique_key_check("crime_city_stats", "crime_city_stats", ["table_id", "year", "unit_ags", "measure"]),
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
            JOIN crime_cases c ON c.year = s.year AND c.ags = substr(s.unit_ags, 1, 5) AND c.offence_key = '------'
            WHERE s.table_id = 'K11_T4' AND s.measure = 'straftaten' AND s.value <> c.cases
            ORDER BY 1, 2
        """,
        additional_deps=["crime_cases"],
    ),
]
