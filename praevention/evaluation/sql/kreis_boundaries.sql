-- Each Kreis's boundary of its latest Gebietsstand, as WKB (for the neighbours of each Kreis)
SELECT ags, ST_AsWKB(arg_max(geometry, valid_from)) AS wkb
FROM boundaries
WHERE level = 'Kreis'
GROUP BY ags
ORDER BY ags
