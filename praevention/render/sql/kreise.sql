-- The Land's Kreise at their latest Gebietsstand, population as the sum of their Gemeinden. ? = Land key (VG250's detailed polygons before the coarse VG5000)
WITH latest AS (
    SELECT ags, arg_max(name, rank) AS name, arg_max(kreis_type, rank) AS kreis_type,
           arg_max(area_km2, rank) AS area_km2, arg_max(ST_AsWKB(geometry), rank) AS wkb
    FROM (SELECT *, (source = 'BKG VG250')::INTEGER * 10000 + year(valid_from) AS rank FROM boundaries) WHERE level = 'Kreis' AND substr(ags, 1, 2) = ? GROUP BY ags
), pop AS (
    SELECT substr(ags, 1, 5) AS ags, sum(population) AS population
    FROM (SELECT ags, arg_max(population, reference_date) AS population FROM population GROUP BY ags)
    GROUP BY 1
)
SELECT l.ags, l.name, l.kreis_type, p.population, l.area_km2, l.wkb
FROM latest l LEFT JOIN pop p USING (ags)
ORDER BY l.ags
