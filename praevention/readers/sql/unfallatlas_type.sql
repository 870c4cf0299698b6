-- Raw Unfallatlas rows as text (view "unfallatlas_raw", canonical names) typed like the CSV reader types
-- them (view "unfallatlas_typed"): the derived GeoJSON and an empty read. Integer codes may arrive as
-- floats ("2020.0") or with a decimal comma; what does not parse becomes NULL and fails a check.
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
