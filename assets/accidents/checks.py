"""Quality checks on the accident tables."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, land_present_check, sql_check, years_check
from assets._sources import loading_checks
from praevention.register.schema import LSA, LSA_KREISE

#: how far outside its Gemeinde's VG250 boundary an accident may lie (generalisation of the boundary,
#: rounding of the published coordinates); a Munich accident under a Magdeburg key is 400 km off
INSIDE_TOLERANCE_M = 5_000
#: more accidents or casualties than a whole year of Germany has (about 2.5 million accidents)
MAX_ACCIDENT_COUNT = 10_000_000


checks = [
    *loading_checks("accident_points", "accident_points", required=True),
    *loading_checks("accident_counts", "accident_counts", required=False),
    *contract_checks("accident_points"),
    years_check("accident_points", "accident_points", 2016, 2035),
    land_present_check("accident_points", "accident_points", ["year"]),
    sql_check(
        asset_name="accident_points",
        name="natural_key_unique",
        blocking=True,
        description=(
            "Blocking: no accident is in two files – the same year, month, hour, weekday, Gemeinde, category, kind, "
            "type, light, participants and coordinates (to 0.1 m) under other IDs, as in a re-export with new "
            "IDs: which copy is right is not for the pipeline to guess."
        ),
        sql="""
            SELECT year, month, hour, weekday, ags, category, kind, type, round(x_25832, 1) AS x_25832,
                   round(y_25832, 1) AS y_25832, count(*) AS copies,
                   string_agg(source_file || ', Zeile ' || source_line, ' / ' ORDER BY source_file_no) AS files
            FROM accident_points
            GROUP BY year, month, hour, weekday, ags, category, kind, type, light, is_bicycle, is_car, is_pedestrian,
                     is_motorcycle, is_goods_vehicle, is_other, round(x_25832, 1), round(y_25832, 1)
            HAVING count(DISTINCT source_file_no) > 1 ORDER BY year, ags
        """,
    ),
    *ags_known_checks("accident_points", "accident_points", "SELECT DISTINCT ags FROM accident_points"),
    sql_check(
        asset_name="accident_points",
        name="inside_gemeinde",
        blocking=True,
        land_param=True,
        additional_deps=["boundaries"],
        description=(
            f"Blocking: every accident of the Land lies inside the boundary of the Gemeinde its key names, within "
            f"{INSIDE_TOLERANCE_M:,} m (the finest stored vintage that has the key: VG250 before VG5000)."
        ),
        sql=f"""
            WITH shapes AS (
                SELECT ags, arg_max(geometry, (source = 'BKG VG250', valid_from)) AS geometry
                FROM boundaries WHERE level = 'Gemeinde' AND substr(ags, 1, 2) = ? GROUP BY ags)
            SELECT p.accident_uid, p.ags, p.year, p.x_25832, p.y_25832,
                   round(ST_Distance(s.geometry, ST_Point(p.x_25832, p.y_25832))) AS metres_outside
            FROM accident_points p JOIN shapes s USING (ags)
            WHERE NOT ST_DWithin(s.geometry, ST_Point(p.x_25832, p.y_25832), {INSIDE_TOLERANCE_M})
            ORDER BY metres_outside DESC
        """,
    ),
    sql_check(
        asset_name="accident_points",
        name="magdeburg_2023",
        blocking=False,
        description="Warning: Magdeburg 2023 has the 925 records documented in PROVENANCE-geo-accidents.md §1.1.",
        sql="SELECT count(*) AS records FROM accident_points WHERE ags = '15003000' AND year = 2023 "
        "HAVING count(*) NOT IN (0, 925)",
    ),
    *contract_checks("accident_counts"),
    years_check("accident_counts", "accident_counts", 1990, 2035),
    # historic Kreise and Gemeinden are legitimate in old years; the latest year of each source uses the current units
    *ags_known_checks(
        "accident_counts",
        "accident_counts",
        "SELECT DISTINCT ags FROM accident_counts a WHERE level IN ('Kreis', 'Gemeinde') AND flag IS DISTINCT FROM '-' "
        "AND year = (SELECT max(year) FROM accident_counts b WHERE b.source = a.source)",
    ),
    sql_check(
        asset_name="accident_counts",
        name="values_plausible",
        blocking=True,
        description=f"Blocking: no count above {MAX_ACCIDENT_COUNT:,} (more than a year of Germany has).",
        sql="SELECT source, level, ags, year, month, measure, value FROM accident_counts "
        "WHERE value > ? AND measure NOT LIKE '%je_100000%' ORDER BY value DESC",
        params=(MAX_ACCIDENT_COUNT,),
    ),
    sql_check(
        asset_name="accident_counts",
        name="sources_agree",
        blocking=False,
        description="Warning: Regionalstatistik and GENESIS agree for Land figures both publish (same definition).",
        sql="""
            SELECT r.ags, r.year, r.measure, r.value AS regionalstatistik, g.value AS genesis
            FROM accident_counts r JOIN accident_counts g
              ON r.ags = g.ags AND r.year = g.year AND r.measure = g.measure AND g.breakdown = '' AND g.month IS NULL
            WHERE r.source LIKE 'Regionalstatistik%' AND g.source LIKE 'GENESIS%' AND r.level = 'Land'
              AND r.breakdown = '' AND r.value <> g.value
        """,
    ),
    sql_check(
        asset_name="accident_counts",
        name="kreise_add_up",
        blocking=False,
        description="Warning: the Kreise of Sachsen-Anhalt add up to the Land row (Regionalstatistik, 2006–2015).",
        sql="""
            WITH k AS (SELECT year, measure, sum(value) AS kreise FROM accident_counts
                       WHERE source = 'Regionalstatistik 46241-01-03-4' AND level = 'Kreis' AND year >= 2007
                         AND list_contains(?, ags)
                       GROUP BY ALL)
            SELECT k.year, k.measure, kreise, l.value AS land FROM k JOIN accident_counts l
              ON l.source = 'Regionalstatistik 46241-01-03-4' AND l.ags = ? AND l.year = k.year AND l.measure = k.measure
            WHERE kreise <> l.value
        """,
        params=(list(LSA_KREISE), LSA),
    ),
]
