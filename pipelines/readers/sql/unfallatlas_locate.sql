-- Step 2 of 2: the checked rows (table _ua_checked) with both coordinate systems completed, the 8-digit
-- AGS and the accident id. Parameters: ? = source label, ? = source file.
WITH checked AS (SELECT * FROM _ua_checked),
located AS (
    SELECT
        * EXCLUDE (x_25832, y_25832, lon, lat),
        CASE WHEN x_25832 IS NULL THEN ST_X(ST_Transform(ST_Point(lon, lat), 'EPSG:4326', 'EPSG:25832', always_xy := true)) ELSE x_25832 END AS x_25832,
        CASE WHEN y_25832 IS NULL THEN ST_Y(ST_Transform(ST_Point(lon, lat), 'EPSG:4326', 'EPSG:25832', always_xy := true)) ELSE y_25832 END AS y_25832,
        CASE WHEN lon IS NULL THEN ST_X(ST_Transform(ST_Point(x_25832, y_25832), 'EPSG:25832', 'EPSG:4326', always_xy := true)) ELSE lon END AS lon,
        CASE WHEN lat IS NULL THEN ST_Y(ST_Transform(ST_Point(x_25832, y_25832), 'EPSG:25832', 'EPSG:4326', always_xy := true)) ELSE lat END AS lat
    FROM checked
    WHERE reason IS NULL
    UNION ALL BY NAME
    SELECT * FROM checked WHERE reason IS NOT NULL
)
SELECT
    coalesce(accident_uid, CAST(year AS VARCHAR) || '-' || lpad(CAST(land AS VARCHAR), 2, '0') || '-'
        || CAST(coalesce(object_id, source_line) AS VARCHAR)) AS accident_uid,
    object_id, year, month, hour, weekday,
    lpad(CAST(land AS VARCHAR), 2, '0') || CAST(regbez AS VARCHAR) || lpad(CAST(kreis AS VARCHAR), 2, '0')
        || lpad(CAST(gemeinde AS VARCHAR), 3, '0') AS ags,
    category, type, kind, light, road_condition,
    is_bicycle = 1 AS is_bicycle, is_car = 1 AS is_car, is_pedestrian = 1 AS is_pedestrian,
    is_motorcycle = 1 AS is_motorcycle, is_goods_vehicle = 1 AS is_goods_vehicle, is_other = 1 AS is_other,
    plausibility, x_25832, y_25832, lon, lat,
    ? AS source, ? AS source_file, source_line, raw_line, reason
FROM located
