"""Quality checks on the boundaries."""

from __future__ import annotations

from assets._shared import columns_check, loading_checks, sql_check, unique_key_check

checks = [
    *loading_checks("boundaries", "boundaries", required=True),
    columns_check("boundaries", "boundaries", ["ags", "name", "level", "valid_from", "geometry"]),
    unique_key_check("boundaries", "boundaries", ["ags", "level", "valid_from"]),
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
        name="sachsen_anhalt_complete",
        blocking=True,
        description="Blocking: every Gebietsstand has Sachsen-Anhalt's 218 Gemeinden (PROVENANCE-geo-accidents.md §2).",
        sql="SELECT valid_from, count(*) AS gemeinden FROM boundaries WHERE level = 'Gemeinde' AND ags LIKE '15%' "
        "GROUP BY valid_from HAVING count(*) <> 218",
    ),
    sql_check(
        asset_name="boundaries",
        name="no_overlaps",
        blocking=True,
        description=(
            "Blocking: Gemeinden of one Gebietsstand in Sachsen-Anhalt do not overlap (more than 1 ha in common)."
        ),
        sql="""
            SELECT a.valid_from, a.ags AS ags_a, b.ags AS ags_b,
                   round(ST_Area(ST_Intersection(a.geometry, b.geometry)) / 1e4, 1) AS overlap_ha
            FROM boundaries a JOIN boundaries b
              ON a.level = 'Gemeinde' AND b.level = 'Gemeinde' AND a.valid_from = b.valid_from AND a.ags < b.ags
             AND a.ags LIKE '15%' AND b.ags LIKE '15%' AND ST_Intersects(a.geometry, b.geometry)
            WHERE ST_Area(ST_Intersection(a.geometry, b.geometry)) > 1e4
        """,
    ),
]
