-- The Land's Gemeinden at their latest Gebietsstand, with the latest published population, its date, the official name (GV100AD: 'Eisleben, Lutherstadt') and the postcode. ? = Land key (VG250's detailed polygons before the coarse VG5000)
WITH latest AS (
    SELECT ags, arg_max(name, rank) AS name, arg_max(area_km2, rank) AS area_km2,
           arg_max(ST_AsWKB(geometry), rank) AS wkb
    FROM (SELECT *, (source = 'BKG VG250')::INTEGER * 10000 + year(valid_from) AS rank FROM boundaries) WHERE level = 'Gemeinde' AND substr(ags, 1, 2) = ? GROUP BY ags
), pop AS (
    SELECT ags, arg_max(population, reference_date) AS population, max(reference_date) AS population_date,
           arg_max(name, reference_date) FILTER (WHERE name IS NOT NULL) AS official_name,
           arg_max(postcode, reference_date) FILTER (WHERE postcode IS NOT NULL) AS postcode
    FROM population GROUP BY ags
)
SELECT l.ags, l.name, substr(l.ags, 1, 5) AS kreis_ags, p.population, p.population_date, p.official_name, p.postcode, l.area_km2, l.wkb
FROM latest l LEFT JOIN pop p USING (ags)
ORDER BY l.ags
