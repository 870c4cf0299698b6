-- The measures' areas (point with radius or polygon) for the displacement analysis
SELECT measure_id, area_wkt, area_radius_m
FROM register_measures
WHERE area_wkt IS NOT NULL
ORDER BY measure_id
