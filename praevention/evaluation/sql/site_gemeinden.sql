-- Outlines of the Land's Gemeinden at their latest Gebietsstand (VG250's detailed polygons before VG5000's),
-- for the places of measures and their reference sites. ? = Land key
SELECT ags, arg_max(area_km2, rank) AS area_km2, arg_max(ST_AsWKB(geometry), rank) AS wkb
FROM (SELECT *, (source = 'BKG VG250')::INTEGER * 10000 + year(valid_from) AS rank FROM boundaries)
WHERE level = 'Gemeinde' AND substr(ags, 1, 2) = ?
GROUP BY ags
ORDER BY ags
