"""The area of a measure: a point (with radius or segment length), a line (a stretch of road), a polygon or a
list of Ortsteile; and where it may lie.

Areas are WKT or GeoJSON in EPSG:4326 (longitude first). GeoJSON input is converted to WKT. Without
a boundary file, a point, line or polygon must lie in the bounding box of the Land (Sachsen-Anhalt: lon
10.54–13.20, lat 50.93–53.05, :data:`~praevention.register.schema.LAND_BBOX`); with one (``--boundaries``,
a GeoJSON of the Gemeinden with an ``AGS`` property, e.g. ``boundaries/sachsen_anhalt_gemeinden_vg250_*``)
it must lie in the Land's outline (100 m tolerance), and a place outside the measure's Gemeinde gets a hint
naming where it lies instead (:func:`where_instead`).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely import wkt as shapely_wkt

from praevention.errors import PipelineError
from praevention.register.schema import LAND_BBOX

TOLERANCE_DEG = 0.001  # about 100 m
_GEOMETRY_WORDS = re.compile(
    r"\s*(SRID=\d+;\s*)?(POINT|POLYGON|MULTIPOLYGON|LINESTRING|MULTIPOINT|MULTILINESTRING|GEOMETRYCOLLECTION)\b",
    re.IGNORECASE,
)


class AreaError(ValueError):
    def __init__(self, de: str, en: str):
        super().__init__(en)
        self.de, self.en = de, en


@dataclass
class Area:
    kind: str  # "point", "line", "polygon" or "ortsteile"
    geometry: shapely.Geometry | None = None
    names: list[str] = field(default_factory=list)

    @property
    def wkt(self) -> str | None:
        return None if self.geometry is None else shapely.to_wkt(self.geometry, rounding_precision=7, trim=True)


def parse_area(text: str) -> Area:
    """A point, polygon (WKT or GeoJSON) or Ortsteil names; :class:`AreaError` for anything broken."""
    text = text.strip()
    if text.startswith(("{", "[")):
        geom = _geojson(text)
    elif _GEOMETRY_WORDS.match(text):
        try:
            geom = shapely_wkt.loads(re.sub(r"^\s*SRID=\d+;\s*", "", text))
        except (shapely.errors.ShapelyError, ValueError, TypeError) as exc:
            first = str(exc).splitlines()[0][:80]
            raise AreaError(f"kein gültiges WKT: {first}", f"invalid WKT: {first}") from None
    elif re.fullmatch(r"[\d\s.,;°'NSEOW-]+", text) and re.search(r"\d", text):
        raise AreaError(
            "Koordinaten ohne Geometrie: als 'POINT (Länge Breite)' schreiben",
            "coordinates without a geometry: write 'POINT (lon lat)'",
        )
    else:
        names = [t.strip() for t in re.split(r"[;\n]", text) if t.strip()]
        return Area("ortsteile", names=names)
    if geom.is_empty:
        raise AreaError("leere Geometrie", "empty geometry")
    if geom.geom_type == "Point":
        return Area("point", geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            raise AreaError(f"ungültige Fläche: {reason}", f"invalid polygon: {reason}")
        return Area("polygon", geom)
    if geom.geom_type in ("LineString", "MultiLineString"):
        return Area("line", geom)
    raise AreaError(
        f"{geom.geom_type}: nur Punkt (POINT), Strecke (LINESTRING) oder Fläche (POLYGON) erlaubt",
        f"{geom.geom_type}: only a point (POINT), a line (LINESTRING) or an area (POLYGON) is allowed",
    )


def _geojson(text: str) -> shapely.Geometry:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise AreaError(f"kein gültiges GeoJSON: {exc.msg}", f"invalid GeoJSON: {exc.msg}") from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features") or []
        if len(features) != 1:
            raise AreaError("GeoJSON mit mehr als einem Objekt", "GeoJSON with more than one feature")
        doc = features[0]
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = doc.get("geometry")
    if not isinstance(doc, dict) or "type" not in doc:
        raise AreaError("kein GeoJSON-Geometrieobjekt", "not a GeoJSON geometry object")
    try:
        return shapely.from_geojson(json.dumps(doc))
    except (shapely.errors.ShapelyError, ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0][:80]
        raise AreaError(f"kein gültiges GeoJSON: {first}", f"invalid GeoJSON: {first}") from None


class Boundaries:
    """Gemeinde outlines (WGS84) keyed by AGS, and their union, the Land's outline.

    The outlines may be given as a loader that is called only when an area has to be checked (the
    ingest reads them from the warehouse only for a register that has points or polygons).
    """

    def __init__(
        self,
        gemeinden: dict[str, shapely.Geometry] | None = None,
        load: Callable[[], dict[str, shapely.Geometry]] | None = None,
    ):
        self._gemeinden, self._load = gemeinden, load

    @functools.cached_property
    def gemeinden(self) -> dict[str, shapely.Geometry]:
        return self._gemeinden if self._gemeinden is not None else (self._load() if self._load else {})

    @functools.cached_property
    def outline(self) -> shapely.Geometry:
        outline = shapely.union_all(list(self.gemeinden.values()))
        shapely.prepare(outline)
        return outline

    @classmethod
    def from_geojson(cls, path: str | Path) -> Boundaries:
        path = Path(path)
        try:
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            doc = json.loads(data)
            gemeinden: dict[str, shapely.Geometry] = {}
            for feature in doc["features"]:
                props = feature.get("properties") or {}
                ags = str(props.get("AGS") or props.get("ags") or "").strip()
                geom = shapely.from_geojson(json.dumps(feature["geometry"]))
                if ags:
                    gemeinden[ags] = shapely.union(gemeinden[ags], geom) if ags in gemeinden else geom
        except (OSError, ValueError, KeyError, TypeError, shapely.errors.ShapelyError) as exc:
            raise PipelineError(f"boundary file {path} cannot be read as GeoJSON with an AGS property: {exc}") from exc
        if not gemeinden:
            raise PipelineError(f"boundary file {path} has no features with an AGS property")
        found = cls(gemeinden)
        minx, miny, maxx, maxy = found.outline.bounds
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            raise PipelineError(f"boundary file {path} is not in WGS84 longitude/latitude (EPSG:4326)")
        return found

    def known_ags(self, land: str) -> set[str]:
        """The Gemeinde keys, their Kreis keys and the Land key."""
        return set(self.gemeinden) | {a[:5] for a in self.gemeinden} | {land}


def outside(geom: shapely.Geometry, land: str, boundaries: Boundaries | None) -> tuple[str, str] | None:
    """Why ``geom`` lies outside the Land, as ``(de, en)`` detail, or ``None`` when it lies inside."""
    minx, miny, maxx, maxy = geom.bounds
    if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
        return (" (Koordinaten in Metern? WGS84-Grad angeben)", " (coordinates in metres? give WGS84 degrees)")
    bbox = LAND_BBOX.get(land)
    if bbox is not None and (minx < bbox[0] or maxx > bbox[2] or miny < bbox[1] or maxy > bbox[3]):
        swapped = bbox[0] <= miny and maxy <= bbox[2] and bbox[1] <= minx and maxx <= bbox[3]
        if swapped:
            return (" (Länge und Breite vertauscht?)", " (longitude and latitude swapped?)")
        return ("", "")
    if boundaries is not None and shapely.distance(boundaries.outline, geom) > TOLERANCE_DEG:
        return (" (außerhalb der Landesgrenze)", " (outside the Land's boundary)")
    return None


def in_gemeinde(geom: shapely.Geometry, ags: str, boundaries: Boundaries | None) -> bool:
    """False only when the Gemeinde's outline is known and ``geom`` does not touch it."""
    if boundaries is None or ags not in boundaries.gemeinden:
        return True
    return shapely.distance(boundaries.gemeinden[ags], geom) <= TOLERANCE_DEG


@dataclass(frozen=True)
class Elsewhere:
    """Where a place outside its Gemeinde lies: the Gemeinde it lies in (if any), its distance from the
    registered Gemeinde in metres, and whether swapping longitude and latitude would put it there."""

    ags: str | None
    metres: float
    swapped: bool


def where_instead(geom: shapely.Geometry, ags: str, boundaries: Boundaries) -> Elsewhere:
    """For a place outside Gemeinde ``ags``: the Gemeinde that holds its centre and how far it is."""
    from pyproj import Transformer

    to_utm = Transformer.from_crs(4326, 25832, always_xy=True)

    def utm(g: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(g, lambda xy: np.c_[to_utm.transform(xy[:, 0], xy[:, 1])])

    own = boundaries.gemeinden[ags]
    centre = geom.centroid
    found = next((a for a, g in boundaries.gemeinden.items() if a != ags and g.contains(centre)), None)
    swapped = shapely.Point(centre.y, centre.x)
    return Elsewhere(found, float(utm(own).distance(utm(geom))), bool(own.contains(swapped)))
