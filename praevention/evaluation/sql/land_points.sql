-- The Land's accident points with projected coordinates (for the displacement analysis). ? = Land key
SELECT accident_uid, year, month, ags, category, x_25832, y_25832
FROM accident_points
WHERE substr(ags, 1, 2) = ?
ORDER BY accident_uid
