-- Inputs of the panel, read once per run. Parameter: ? = Land key (two digits).
-- accident points only for the Land (the products are per Gemeinde of the Land)
SELECT accident_uid, year, month, ags, category, is_pedestrian, is_bicycle, is_motorcycle, source
FROM accident_points
WHERE substr(ags, 1, 2) = ?
ORDER BY accident_uid
