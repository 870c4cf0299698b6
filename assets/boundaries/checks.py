"""Quality checks on the boundaries."""

from __future__ import annotations

from assets._shared import contract_checks, land_present_check, sql_check
from assets._sources import loading_checks
from praevention.register.schema import GEMEINDEN_PER_LAND

checks = [
    *loading_checks("boundaries", "boundaries", required=True),
    *contract_checks("boundaries"),
    land_present_check("boundaries", "boundaries", ["level", "valid_from"]),
    sql_check(
        asset_name="boundaries",
        name="areas_only",
        blocking=True,
        description="Blocking: every boundary is a polygon or multipolygon (a point or line is not an area).",
        sql="SELECT ags, level, valid_from, ST_GeometryType(geometry) AS geometry_type FROM boundaries "
        "WHERE ST_GeometryType(geometry)::VARCHAR NOT IN ('POLYGON', 'MULTIPOLYGON') ORDER BY 1, 3",
    ),
    sql_check(
        asset_name="boundaries",
        name="gemeinden_complete",
        blocking=True,
        description="Blocking: every Gebietsstand has all Gemeinden of the Land (Sachsen-Anhalt: 218, "
        "PROVENANCE-geo-accidents.md §2).",
        sql="""
            WITH expected AS (SELECT unnest(?::VARCHAR[]) AS land, unnest(?::INTEGER[]) AS gemeinden)
            SELECT valid_from, count(*) AS gemeinden, any_value(e.gemeinden) AS expected
            FROM boundaries b JOIN expected e ON e.land = substr(b.ags, 1, 2)
            WHERE level = 'Gemeinde' AND e.land = ? GROUP BY valid_from HAVING count(*) <> any_value(e.gemeinden)
        """,
        params=(list(GEMEINDEN_PER_LAND), list(GEMEINDEN_PER_LAND.values())),
        land_param=True,
    ),
    sql_check(
        asset_name="boundaries",
        name="no_overlaps",
        blocking=True,
        description=("Blocking: Gemeinden of one Gebietsstand in the Land do not overlap (more than 1 ha in common)."),
        sql="""
            SELECT a.valid_from, a.ags AS ags_a, b.ags AS ags_b,
                   round(ST_Area(ST_Intersection(a.geometry, b.geometry)) / 1e4, 1) AS overlap_ha
            FROM boundaries a JOIN boundaries b
              ON a.level = 'Gemeinde' AND b.level = 'Gemeinde' AND a.valid_from = b.valid_from AND a.ags < b.ags
             AND substr(a.ags, 1, 2) = ? AND substr(b.ags, 1, 2) = substr(a.ags, 1, 2)
             AND ST_Intersects(a.geometry, b.geometry)
            WHERE ST_Area(ST_Intersection(a.geometry, b.geometry)) > 1e4
        """,
        land_param=True,
    ),
]
