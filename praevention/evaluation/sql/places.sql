-- The Land's Gemeinden with their latest population and area and their name, for the shares of a measure's
-- area in the unit evaluated. ? = Land key
SELECT p.ags,
       arg_max(p.population, p.reference_date) AS population,
       arg_max(p.area_km2, p.reference_date) AS area_km2,
       any_value(b.name) AS name
FROM population AS p
LEFT JOIN (SELECT ags, arg_max(name, valid_from) AS name FROM boundaries GROUP BY ags) AS b USING (ags)
WHERE length(p.ags) = 8 AND substr(p.ags, 1, 2) = ?
GROUP BY p.ags
ORDER BY p.ags
