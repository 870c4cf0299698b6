"""BKG administrative boundaries (VG250, VG5000), Gemeinden and Kreise, into EPSG:25832.

Publisher: Bundesamt für Kartographie und Geodäsie, "© GeoBasis-DE / BKG (<Jahr>)", dl-de/by-2-0.

* GeoJSON (plain or ``.gz``) in WGS84 as converted from VG250 (no ``crs`` member: RFC 7946 WGS84;
  coordinates outside longitude/latitude ranges are refused as a wrong CRS).
* The official shapefile zips (``vg5000_ebenen_0101/VG5000_GEM.shp`` …, EPSG:31467 for the ``gk3``
  edition) with ``aktualitaet.txt`` stating the Gebietsstand.

The level comes from the key length (8 = Gemeinde, 5 = Kreis) or the layer name (``_GEM``/``_KRS``).
The Gebietsstand comes from ``aktualitaet.txt``, else a date in the file name, else the latest ``WSK``
(Wirksamkeitsdatum, a lower bound). Water-only parts (``GF`` 1 or 2) are not municipal territory: they are
dropped and listed in quarantine with that reason, so they stay counted. Invalid geometries are
repaired with ``make_valid`` and counted; empty ones are quarantined.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.validation

from praevention.errors import SourceFormatError
from praevention.readers.archive import check_members, read_member
from praevention.readers.base import ReadResult, empty_rejects, reject

TARGET_CRS = "EPSG:25832"
OUTPUT_COLUMNS = [
    "ags",
    "name",
    "level",
    "valid_from",
    "kreis_type",
    "area_km2",
    "geometry",
    "source",
    "source_file",
    "source_line",
]
#: column types of an empty load (no readable file), so that the checks still bind
TYPES = {c: "VARCHAR" for c in OUTPUT_COLUMNS} | {
    "valid_from": "DATE",
    "area_km2": "DOUBLE",
    "geometry": "BLOB",
    "source_line": "BIGINT",
}
WATER_GF = {1, 2}
#: where Germany lies in EPSG:25832 (with a margin): a layer outside it has swapped axes or a wrong CRS
GERMANY_25832 = (250_000, 5_200_000, 950_000, 6_150_000)
#: Germany's longitude and latitude range
GERMANY_LON, GERMANY_LAT = (5.5, 15.5), (47.0, 55.2)
_DATE_IN_NAME = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), (1, 2, 3)),
    (re.compile(r"(\d{2})-(\d{2})-(\d{4})"), (3, 2, 1)),
]


def _date_from_name(name: str) -> dt.date | None:
    for pattern, (y, m, d) in _DATE_IN_NAME:
        hit = pattern.search(name)
        if hit:
            return dt.date(int(hit.group(y)), int(hit.group(m)), int(hit.group(d)))
    return None


def _layers(path: Path) -> list[tuple[str, str | None]]:
    """(GDAL path, layer hint) of every boundary layer in a file or official zip."""
    if zipfile.is_zipfile(path):
        check_members(path)
        with zipfile.ZipFile(path) as zf:
            shps = [n for n in zf.namelist() if re.search(r"_(GEM|KRS)\.shp$", n, re.IGNORECASE)]
        if not shps:
            raise SourceFormatError(str(path), "zip holds no *_GEM.shp or *_KRS.shp boundary layer")
        return [(f"zip://{path}!{n}", "Gemeinde" if "_GEM" in n.upper() else "Kreis") for n in shps]
    if path.suffix == ".gz":
        return [(f"/vsigzip/{path}", None)]
    return [(str(path), None)]


def _gebietsstand(path: Path, frame: pd.DataFrame) -> dt.date:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith("aktualitaet.txt")]
            if names:
                text = read_member(zf, names[0], str(path)).decode("latin-1")
                hit = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", text)
                if hit:
                    return dt.date(int(hit.group(3)), int(hit.group(2)), int(hit.group(1)))
    from_name = _date_from_name(path.name)
    if from_name:
        return from_name
    if "WSK" in frame.columns:
        # the latest change in the layer: a lower bound of the Gebietsstand when nothing else says it
        wsk = pd.to_datetime(frame["WSK"].astype(str).str[:10], errors="coerce").max()
        if pd.notna(wsk):
            return wsk.date()
    raise SourceFormatError(
        str(path), "cannot tell the Gebietsstand: no aktualitaet.txt, no WSK column, no date in the name"
    )


def _check_geojson(path: Path) -> None:
    """Refuse GeoJSON that declares a projected CRS or holds no features, with a clear message."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise SourceFormatError(str(path), "empty file")
    text = head.decode("utf-8", errors="replace")
    if '"features"' not in text and '"type"' not in text:
        raise SourceFormatError(str(path), "not a GeoJSON FeatureCollection")


def _check_location(label: str, layer: gpd.GeoDataFrame, geographic: np.ndarray | None) -> None:
    """Refuse a layer that does not lie in Germany: longitude and latitude swapped (the axis order of
    EPSG:4326 read the other way round), or coordinates in another reference system than declared."""
    if not len(layer):
        return
    x0, y0, x1, y1 = layer.total_bounds
    inside = GERMANY_25832[0] <= x0 and x1 <= GERMANY_25832[2] and GERMANY_25832[1] <= y0 and y1 <= GERMANY_25832[3]
    if inside:
        return
    if geographic is not None and (
        GERMANY_LAT[0] <= geographic[0] <= geographic[2] <= GERMANY_LAT[1]
        and GERMANY_LON[0] <= geographic[1] <= geographic[3] <= GERMANY_LON[1]
    ):
        raise SourceFormatError(
            label,
            "Länge und Breite sind vertauscht (die Koordinaten stehen als Breite, Länge statt Länge, Breite); "
            "exportieren Sie die Grenzen erneut mit der Achsenfolge Länge, Breite (GeoJSON nach RFC 7946)",
        )
    raise SourceFormatError(
        label,
        "die Grenzen liegen nicht in Deutschland: das Koordinatenbezugssystem stimmt nicht mit dem angegebenen "
        "überein; exportieren Sie die Datei erneut mit dem richtigen Bezugssystem",
    )


def read_boundaries(path: str | Path) -> list[ReadResult]:
    """Read every boundary layer of one file; one :class:`ReadResult` per layer."""
    path = Path(path)
    results = []
    if not zipfile.is_zipfile(path):
        _check_geojson(path)
    for gdal_path, hint in _layers(path):
        try:
            frame = gpd.read_file(gdal_path, engine="pyogrio")
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise SourceFormatError(str(path), f"cannot read boundary layer: {exc}") from exc
        label = gdal_path.split("!", 1)[-1] if "!" in gdal_path else str(path)
        label = f"{path}!{label}" if "!" in gdal_path else str(path)
        results.append(_convert(path, label, frame, hint))
    return results


def _convert(path: Path, label: str, frame: gpd.GeoDataFrame, hint: str | None) -> ReadResult:
    if "AGS" not in frame.columns or "GEN" not in frame.columns:
        raise SourceFormatError(label, "not a BKG VG layer: columns AGS and GEN are required")
    if frame.crs is None:
        raise SourceFormatError(label, "the layer has no coordinate reference system (.prj missing?)")
    bounds = frame.total_bounds
    if frame.crs.is_geographic and (abs(bounds[0]) > 180 or abs(bounds[2]) > 180 or abs(bounds[1]) > 90):
        raise SourceFormatError(
            label, "coordinates are not longitude/latitude although the file declares WGS84 (wrong CRS?)"
        )
    valid_from = _gebietsstand(path, frame)
    props = frame.drop(columns="geometry")

    def raw(i: object) -> str:
        return json.dumps({k: str(v) for k, v in props.loc[i].items()}, ensure_ascii=False)[:1000]

    gf = pd.to_numeric(frame["GF"], errors="coerce") if "GF" in frame.columns else pd.Series(pd.NA, index=frame.index)
    ags = frame["AGS"].astype(str).str.strip()
    water = gf.isin(WATER_GF)
    empty = ~water & (frame.geometry.isna() | frame.geometry.is_empty)
    # a boundary is an area: a point or line (a centroid file, a road layer) cannot stand for a Gemeinde
    kinds = frame.geometry.geom_type
    not_area = ~water & ~empty & ~kinds.isin(["Polygon", "MultiPolygon"])
    bad_key = ~water & ~empty & ~not_area & ~ags.str.fullmatch(r"\d{5}|\d{8}")
    rejects = (
        [
            reject(
                label, int(i) + 1, "GF", raw(i), f"water-only part (GF={int(gf.loc[i])}), not municipal land: dropped"
            )
            for i in frame.index[water]
        ]
        + [reject(label, int(i) + 1, "geometry", raw(i), "empty or missing geometry") for i in frame.index[empty]]
        + [
            reject(label, int(i) + 1, "geometry", raw(i), f"a {kinds.loc[i]} is not an area: not a boundary")
            for i in frame.index[not_area]
        ]
        + [
            reject(label, int(i) + 1, "AGS", raw(i), f"AGS is not a 5- or 8-digit key: {ags.loc[i]!r}")
            for i in frame.index[bad_key]
        ]
    )
    keep = ~(water | empty | not_area | bad_key)
    good = frame.loc[keep].copy()
    invalid = ~good.geometry.is_valid
    if invalid.any():
        # a small topology glitch (a ring touching itself) is repaired; a shape whose repair changes its
        # area by more than 1 % (a bow-tie, crossed rings) is not a boundary we can trust: quarantined
        before = good.loc[invalid, "geometry"].to_numpy()
        fixed = shapely.make_valid(before)
        polygonal = np.isin(shapely.get_type_id(fixed), [3, 6])
        # the shoelace area of the broken shape: a bow-tie's two lobes cancel, a glitch changes nothing
        close = np.abs(shapely.area(fixed) - shapely.area(before)) <= 0.01 * np.maximum(shapely.area(fixed), 1e-12)
        broken = good.index[invalid][~(polygonal & close)]
        rejects += [
            reject(
                label,
                int(i) + 1,
                "geometry",
                raw(i),
                f"invalid geometry ({shapely.validation.explain_validity(good.geometry.loc[i])}) that make_valid "
                "cannot repair without changing its area",
            )
            for i in broken
        ]
        good.loc[invalid, "geometry"] = fixed
        good = good.drop(index=broken)
        invalid = invalid.drop(index=broken)
    repaired = int(invalid.sum())
    geographic = good.total_bounds if frame.crs.is_geographic and len(good) else None
    good = good.to_crs(TARGET_CRS)
    _check_location(label, good, geographic)
    g_ags = good["AGS"].astype(str).str.strip()
    level = g_ags.str.len().map({8: "Gemeinde", 5: "Kreis"})
    if hint is not None and (level != hint).any():
        raise SourceFormatError(label, f"layer {hint} holds keys of another length")
    dup = g_ags.duplicated(keep="first")
    rejects += [reject(label, int(i) + 1, "AGS", raw(i), "duplicate AGS within the layer") for i in good.index[dup]]
    good = good.loc[~dup]
    out = pd.DataFrame(
        {
            "ags": g_ags.loc[good.index],
            "name": good["GEN"].astype(str),
            "level": level.loc[good.index],
            "valid_from": valid_from,
            "kreis_type": good["BEZ"].astype(str).where(level.loc[good.index] == "Kreis") if "BEZ" in good else None,
            "area_km2": good.geometry.area / 1e6,
            "geometry": shapely.to_wkb(good.geometry.to_numpy()),
            "source": f"BKG VG{'5000' if 'vg5000' in label.lower() else '250'}",
            "source_file": label,
            "source_line": [int(i) + 1 for i in good.index],
        }
    ).reset_index(drop=True)
    note = f"{repaired} invalid geometries repaired with make_valid" if repaired else ""
    if water.any():
        note = "; ".join(x for x in (note, f"{int(water.sum())} water-only parts dropped") if x)
    rej = pd.DataFrame(rejects) if rejects else empty_rejects()
    return ReadResult(label, out[OUTPUT_COLUMNS], rej, note=note)
