-- The Land's accident points with projected coordinates and participants (sites, displacement). ? = Land key
SELECT accident_uid, year, month, ags, category, x_25832, y_25832, is_pedestrian, is_bicycle, is_motorcycle
FROM accident_points
WHERE substr(ags, 1, 2) = ?
ORDER BY accident_uid
