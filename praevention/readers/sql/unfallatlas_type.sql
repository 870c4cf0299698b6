-- Raw Unfallatlas rows as text (view "unfallatlas_raw", canonical names) typed like the CSV reader types
-- them (view "unfallatlas_typed"): the derived GeoJSON and an empty read. Integer codes may arrive as
-- floats ("2020.0") or with a decimal comma; what does not parse, and a number that is not whole ("2020.5"),
-- becomes NULL and fails a check (macro whole_number, defined by the reader).
SELECT
    source_line,
    NULLIF(trim(accident_uid), '') AS accident_uid,
    CAST(whole_number(object_id) AS BIGINT) AS object_id,
    CAST(whole_number(uland) AS INTEGER) AS land,
    CAST(whole_number(uregbez) AS INTEGER) AS regbez,
    CAST(whole_number(ukreis) AS INTEGER) AS kreis,
    CAST(whole_number(ugemeinde) AS INTEGER) AS gemeinde,
    CAST(whole_number(ujahr) AS INTEGER) AS year,
    CAST(whole_number(umonat) AS INTEGER) AS month,
    CAST(whole_number(ustunde) AS INTEGER) AS hour,
    CAST(whole_number(uwochentag) AS INTEGER) AS weekday,
    CAST(whole_number(ukategorie) AS INTEGER) AS category,
    CAST(whole_number(uart) AS INTEGER) AS kind,
    CAST(whole_number(utyp1) AS INTEGER) AS type,
    CAST(whole_number(ulichtverh) AS INTEGER) AS light,
    CAST(whole_number(road_condition) AS INTEGER) AS road_condition,
    CAST(whole_number(is_bicycle) AS INTEGER) AS is_bicycle,
    CAST(whole_number(is_car) AS INTEGER) AS is_car,
    CAST(whole_number(is_pedestrian) AS INTEGER) AS is_pedestrian,
    CAST(whole_number(is_motorcycle) AS INTEGER) AS is_motorcycle,
    CAST(whole_number(is_goods_vehicle) AS INTEGER) AS is_goods_vehicle,
    CAST(whole_number(is_other) AS INTEGER) AS is_other,
    TRY_CAST(replace(linrefx, ',', '.') AS DOUBLE) AS x_25832,
    TRY_CAST(replace(linrefy, ',', '.') AS DOUBLE) AS y_25832,
    TRY_CAST(replace(lon, ',', '.') AS DOUBLE) AS lon,
    TRY_CAST(replace(lat, ',', '.') AS DOUBLE) AS lat,
    CAST(whole_number(plst) AS INTEGER) AS plausibility,
    raw_line
FROM unfallatlas_raw
