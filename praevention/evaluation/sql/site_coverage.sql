-- The years the Unfallatlas covers each Gemeinde of the Land (zeros included), with its population. ? = Land key
SELECT unit_ags, year, population
FROM panel
WHERE indicator = 'acc:points_all' AND unit_level = 'Gemeinde' AND month IS NULL AND count IS NOT NULL
  AND substr(unit_ags, 1, 2) = ?
ORDER BY unit_ags, year
