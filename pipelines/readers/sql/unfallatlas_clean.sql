-- Raw Unfallatlas rows (all VARCHAR, canonical names, view "unfallatlas_raw") typed and checked in one
-- pass: a rejection reason, both coordinate systems completed, the 8-digit AGS and the accident id.
-- Shared by the CSV/TXT layouts of every year and the derived GeoJSON.
-- Parameters: ? = source label, ? = source file. raw_line is kept for rejected rows only.
WITH typed AS (
    SELECT
        source_line,
        NULLIF(trim(accident_uid), '') AS accident_uid,
        coalesce(TRY_CAST(object_id AS BIGINT), TRY_CAST(TRY_CAST(replace(object_id, ',', '.') AS DOUBLE) AS BIGINT)) AS object_id,
        coalesce(TRY_CAST(uland AS INTEGER), TRY_CAST(TRY_CAST(replace(uland, ',', '.') AS DOUBLE) AS INTEGER)) AS land,
        coalesce(TRY_CAST(uregbez AS INTEGER), TRY_CAST(TRY_CAST(replace(uregbez, ',', '.') AS DOUBLE) AS INTEGER)) AS regbez,
        coalesce(TRY_CAST(ukreis AS INTEGER), TRY_CAST(TRY_CAST(replace(ukreis, ',', '.') AS DOUBLE) AS INTEGER)) AS kreis,
        coalesce(TRY_CAST(ugemeinde AS INTEGER), TRY_CAST(TRY_CAST(replace(ugemeinde, ',', '.') AS DOUBLE) AS INTEGER)) AS gemeinde,
        coalesce(TRY_CAST(ujahr AS INTEGER), TRY_CAST(TRY_CAST(replace(ujahr, ',', '.') AS DOUBLE) AS INTEGER)) AS year,
        coalesce(TRY_CAST(umonat AS INTEGER), TRY_CAST(TRY_CAST(replace(umonat, ',', '.') AS DOUBLE) AS INTEGER)) AS month,
        coalesce(TRY_CAST(ustunde AS INTEGER), TRY_CAST(TRY_CAST(replace(ustunde, ',', '.') AS DOUBLE) AS INTEGER)) AS hour,
        coalesce(TRY_CAST(uwochentag AS INTEGER), TRY_CAST(TRY_CAST(replace(uwochentag, ',', '.') AS DOUBLE) AS INTEGER)) AS weekday,
        coalesce(TRY_CAST(ukategorie AS INTEGER), TRY_CAST(TRY_CAST(replace(ukategorie, ',', '.') AS DOUBLE) AS INTEGER)) AS category,
        coalesce(TRY_CAST(uart AS INTEGER), TRY_CAST(TRY_CAST(replace(uart, ',', '.') AS DOUBLE) AS INTEGER)) AS kind,
        coalesce(TRY_CAST(utyp1 AS INTEGER), TRY_CAST(TRY_CAST(replace(utyp1, ',', '.') AS DOUBLE) AS INTEGER)) AS type,
        coalesce(TRY_CAST(ulichtverh AS INTEGER), TRY_CAST(TRY_CAST(replace(ulichtverh, ',', '.') AS DOUBLE) AS INTEGER)) AS light,
        coalesce(TRY_CAST(road_condition AS INTEGER), TRY_CAST(TRY_CAST(replace(road_condition, ',', '.') AS DOUBLE) AS INTEGER)) AS road_condition,
        coalesce(TRY_CAST(is_bicycle AS INTEGER), TRY_CAST(TRY_CAST(replace(is_bicycle, ',', '.') AS DOUBLE) AS INTEGER)) AS is_bicycle,
        coalesce(TRY_CAST(is_car AS INTEGER), TRY_CAST(TRY_CAST(replace(is_car, ',', '.') AS DOUBLE) AS INTEGER)) AS is_car,
        coalesce(TRY_CAST(is_pedestrian AS INTEGER), TRY_CAST(TRY_CAST(replace(is_pedestrian, ',', '.') AS DOUBLE) AS INTEGER)) AS is_pedestrian,
        coalesce(TRY_CAST(is_motorcycle AS INTEGER), TRY_CAST(TRY_CAST(replace(is_motorcycle, ',', '.') AS DOUBLE) AS INTEGER)) AS is_motorcycle,
        coalesce(TRY_CAST(is_goods_vehicle AS INTEGER), TRY_CAST(TRY_CAST(replace(is_goods_vehicle, ',', '.') AS DOUBLE) AS INTEGER)) AS is_goods_vehicle,
        coalesce(TRY_CAST(is_other AS INTEGER), TRY_CAST(TRY_CAST(replace(is_other, ',', '.') AS DOUBLE) AS INTEGER)) AS is_other,
        TRY_CAST(replace(linrefx, ',', '.') AS DOUBLE) AS x_25832,
        TRY_CAST(replace(linrefy, ',', '.') AS DOUBLE) AS y_25832,
        TRY_CAST(replace(lon, ',', '.') AS DOUBLE) AS lon,
        TRY_CAST(replace(lat, ',', '.') AS DOUBLE) AS lat,
        coalesce(TRY_CAST(plst AS INTEGER), TRY_CAST(TRY_CAST(replace(plst, ',', '.') AS DOUBLE) AS INTEGER)) AS plausibility,
        raw_line
    FROM unfallatlas_raw
),
checked AS (
    SELECT
        *,
        CASE
            WHEN land IS NULL OR land NOT BETWEEN 1 AND 99 THEN 'ULAND is not a 2-digit Land key'
            WHEN regbez IS NULL OR regbez NOT BETWEEN 0 AND 9 THEN 'UREGBEZ is not a digit'
            WHEN kreis IS NULL OR kreis NOT BETWEEN 0 AND 99 THEN 'UKREIS is not a 2-digit key'
            WHEN gemeinde IS NULL OR gemeinde NOT BETWEEN 0 AND 999 THEN 'UGEMEINDE is not a 3-digit key'
            WHEN year IS NULL OR year NOT BETWEEN 2016 AND 2035 THEN 'UJAHR outside 2016-2035'
            WHEN month IS NULL OR month NOT BETWEEN 1 AND 12 THEN 'UMONAT outside 1-12'
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
    FROM typed
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
    lpad(CAST(land AS VARCHAR), 2, '0') || CAST(regbez AS VARCHAR) || lpad(CAST(kreis AS VARCHAR), 2, '0')
        || lpad(CAST(gemeinde AS VARCHAR), 3, '0') AS ags,
    category, type, kind, light, road_condition,
    is_bicycle = 1 AS is_bicycle, is_car = 1 AS is_car, is_pedestrian = 1 AS is_pedestrian,
    is_motorcycle = 1 AS is_motorcycle, is_goods_vehicle = 1 AS is_goods_vehicle, is_other = 1 AS is_other,
    plausibility, x_25832, y_25832, lon, lat,
    ? AS source, ? AS source_file, source_line, CASE WHEN reason IS NOT NULL THEN raw_line END AS raw_line, reason
FROM located
