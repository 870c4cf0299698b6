-- Typed Unfallatlas rows (view "unfallatlas_typed": canonical names and types, see unfallatlas_type.sql)
-- checked in one pass: a rejection reason, both coordinate systems completed, the 8-digit AGS and the
-- accident id. Shared by the CSV/TXT layouts of every year and the derived GeoJSON.
-- Rows keep their file (source_file_no) and line; raw_line is kept for rejected rows only.
WITH checked AS (
    SELECT
        *,
        CASE
            WHEN land IS NULL OR land NOT BETWEEN 1 AND 99 THEN 'ULAND is not a 2-digit Land key'
            WHEN regbez IS NULL OR regbez NOT BETWEEN 0 AND 9 THEN 'UREGBEZ is not a digit'
            WHEN kreis IS NULL OR kreis NOT BETWEEN 0 AND 99 THEN 'UKREIS is not a 2-digit key'
            WHEN gemeinde IS NULL OR gemeinde NOT BETWEEN 0 AND 999 THEN 'UGEMEINDE is not a 3-digit key'
            WHEN year IS NULL OR year NOT BETWEEN 2016 AND 2035 THEN 'UJAHR is not a whole number in 2016-2035'
            WHEN month IS NULL OR month NOT BETWEEN 1 AND 12 THEN 'UMONAT is not a whole number in 1-12'
            WHEN hour IS NULL OR hour NOT BETWEEN 0 AND 23 THEN 'USTUNDE outside 0-23'
            WHEN weekday IS NULL OR weekday NOT BETWEEN 1 AND 7 THEN 'UWOCHENTAG outside 1-7'
            WHEN category IS NULL OR category NOT IN (1, 2, 3) THEN 'UKATEGORIE is not 1, 2 or 3'
            WHEN kind IS NULL OR kind NOT BETWEEN 0 AND 9 THEN 'UART outside 0-9'
            WHEN type IS NULL OR type NOT BETWEEN 1 AND 7 THEN 'UTYP1 outside 1-7'
            WHEN coalesce(is_bicycle, 0) NOT IN (0, 1) OR coalesce(is_car, 0) NOT IN (0, 1)
                OR coalesce(is_pedestrian, 0) NOT IN (0, 1) OR coalesce(is_motorcycle, 0) NOT IN (0, 1)
                OR coalesce(is_goods_vehicle, 0) NOT IN (0, 1) OR coalesce(is_other, 0) NOT IN (0, 1)
                THEN 'participant flag (Ist...) is not 0 or 1'
            WHEN (x_25832 IS NULL OR y_25832 IS NULL) AND (lon IS NULL OR lat IS NULL)
                THEN 'no coordinates (LINREFX/LINREFY or XGCSWGS84/YGCSWGS84)'
            WHEN x_25832 IS NOT NULL AND (x_25832 NOT BETWEEN 250000 AND 950000 OR y_25832 NOT BETWEEN 5200000 AND 6150000)
                THEN 'LINREFX/LINREFY outside Germany (EPSG:25832)'
            WHEN lon IS NOT NULL AND (lon NOT BETWEEN 5.5 AND 15.5 OR lat NOT BETWEEN 47.0 AND 55.2)
                THEN 'XGCSWGS84/YGCSWGS84 outside Germany'
            ELSE NULL
        END AS reason
    FROM unfallatlas_typed
),
located AS (
    SELECT
        * EXCLUDE (x_25832, y_25832, lon, lat),
        CASE WHEN reason IS NULL AND x_25832 IS NULL
            THEN ST_X(ST_Transform(ST_Point(lon, lat), 'EPSG:4326', 'EPSG:25832', always_xy := true)) ELSE x_25832 END AS x_25832,
        CASE WHEN reason IS NULL AND y_25832 IS NULL
            THEN ST_Y(ST_Transform(ST_Point(lon, lat), 'EPSG:4326', 'EPSG:25832', always_xy := true)) ELSE y_25832 END AS y_25832,
        CASE WHEN reason IS NULL AND lon IS NULL
            THEN ST_X(ST_Transform(ST_Point(x_25832, y_25832), 'EPSG:25832', 'EPSG:4326', always_xy := true)) ELSE lon END AS lon,
        CASE WHEN reason IS NULL AND lat IS NULL
            THEN ST_Y(ST_Transform(ST_Point(x_25832, y_25832), 'EPSG:25832', 'EPSG:4326', always_xy := true)) ELSE lat END AS lat
    FROM checked
)
SELECT
    coalesce(accident_uid, CAST(year AS VARCHAR) || '-' || lpad(CAST(land AS VARCHAR), 2, '0') || '-'
        || CAST(coalesce(object_id, source_line) AS VARCHAR)) AS accident_uid,
    object_id, year, month, hour, weekday,
    -- land 1-99, regbez 0-9, kreis 0-99, gemeinde 0-999 once checked: one number, zero-padded to 8 digits
    lpad(CAST(CAST(land AS BIGINT) * 1000000 + regbez * 100000 + kreis * 1000 + gemeinde AS VARCHAR), 8, '0') AS ags,
    category, type, kind, light, road_condition,
    is_bicycle = 1 AS is_bicycle, is_car = 1 AS is_car, is_pedestrian = 1 AS is_pedestrian,
    is_motorcycle = 1 AS is_motorcycle, is_goods_vehicle = 1 AS is_goods_vehicle, is_other = 1 AS is_other,
    plausibility, x_25832, y_25832, lon, lat,
    source_file_no, source_line, CASE WHEN reason IS NOT NULL THEN raw_line END AS raw_line, reason
FROM located
