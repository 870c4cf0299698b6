-- Kreis areas for population density (latest Gebietsstand of each Kreis)
SELECT ags, arg_max(area_km2, valid_from) AS area_km2
FROM boundaries
WHERE level = 'Kreis'
GROUP BY ags
ORDER BY ags
