"""Accidents on the streets of Demoland's cities: junctions, main roads, planted hotspots and two measures
at a place whose true effects are known.

Each kreisfreie Stadt gets a street grid (every :data:`SPACING` metres, every :data:`MAJOR_EVERY`-th street
a main road). Accidents happen at junctions (:data:`AT_JUNCTIONS` of them) and along the streets; a
junction's share of the city's yearly total (the Gemeinde rate of :mod:`praevention.demo.generate`) grows
with its road class and closeness to the centre and has a gamma-distributed level of its own, so that
junctions differ as real ones do, which is what the safety performance function's overdispersion describes.
Main roads carry most of the traffic: their junctions (:data:`KIND_LEVEL`) and their stretches
(:data:`MAIN_ROAD_LEVEL`) see most accidents. Junctions near schools and shops see more pedestrians (their
share varies).

In the site city (the second city):

* :func:`plant` puts four hotspots with :data:`HOTSPOT_RATE` accidents a year at main-road junctions near the
  centre, which the network screening must rank on top;
* two measures go where a council would put them, at the junction of two main roads with the most such
  accidents in the years before (:func:`choose_sites`): a speed camera (Geschwindigkeitsüberwachung) without any effect,
  and a crossing (Querungshilfe) at the junction with the most pedestrian accidents, which halves them
  from the year after its start. Chosen for their accidents before, these places also fall back by
  regression to the mean, as real ones do: the evaluation has to tell that from the crossing's effect.

Everything is synthetic; the planted places and their truths are written beside the raw files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

SPACING = 200.0
MAJOR_EVERY = 6
#: share of a city's accidents at junctions (the rest along the streets)
AT_JUNCTIONS = 0.7
JUNCTION_SCATTER_M = 10.0
#: variance of the junctions' own levels (gamma, mean 1): how much alike junctions of a kind are
JUNCTION_SPREAD = 0.5
#: a junction's level by the number of main roads meeting there (0, 1, 2), and a main road's level per metre
#: against a side street's
KIND_LEVEL = (0.1, 2.0, 10.0)
MAIN_ROAD_LEVEL = 5.0
#: measures go to junctions of this many main roads
SITE_KIND = 2
#: how fast the traffic thins out from the centre (e-folding distance)
CENTRE_M = 1500.0
HOTSPOT_RATE = 25.0
#: the sites' radius in the register
SITE_RADIUS_M = 100.0
#: planted places lie at least this far apart (the sites and their rings do not overlap)
APART_M = 700.0
#: participant shares of city accidents (a junction's pedestrian share varies around the city's)
SHARES = {"is_bicycle": 0.30, "is_car": 0.8, "is_motorcycle": 0.06, "is_goods_vehicle": 0.04, "is_other": 0.06}
PEDESTRIAN_BETA = (1.2, 5.0)
CATEGORY_P = (0.015, 0.2, 0.785)
_TO_WGS = Transformer.from_crs(25832, 4326, always_xy=True)


@dataclass(frozen=True)
class Layout:
    """A city's streets: junctions (coordinates, main roads meeting there, own level, pedestrian share) and
    segments between them (line, main road or not, own level)."""

    xy: np.ndarray
    kind: np.ndarray
    weight: np.ndarray
    pedestrians: np.ndarray
    segments: list[tuple[shapely.LineString, bool]]
    segment_weight: np.ndarray


def layout(rng: np.random.Generator, city: pd.Series) -> Layout:
    poly = city["geometry"]
    minx, miny, maxx, maxy = poly.bounds
    xs = np.arange(minx - minx % SPACING, maxx + SPACING, SPACING)
    ys = np.arange(miny - miny % SPACING, maxy + SPACING, SPACING)
    major_x = {i for i in range(len(xs)) if round(xs[i] / SPACING) % MAJOR_EVERY == 0}
    major_y = {j for j in range(len(ys)) if round(ys[j] / SPACING) % MAJOR_EVERY == 0}
    gx, gy = np.meshgrid(np.arange(len(xs)), np.arange(len(ys)), indexing="ij")
    cells = np.c_[gx.ravel(), gy.ravel()]
    inside_mask = shapely.contains_xy(poly, xs[cells[:, 0]], ys[cells[:, 1]])
    nodes = [tuple(c) for c in cells[inside_mask]]
    inside = set(nodes)
    xy = np.array([(xs[i], ys[j]) for i, j in nodes], dtype=float)
    kind = np.array([(i in major_x) + (j in major_y) for i, j in nodes])
    segments = []
    for i, j in nodes:
        if (i + 1, j) in inside:
            segments.append((shapely.LineString([(xs[i], ys[j]), (xs[i + 1], ys[j])]), j in major_y))
        if (i, j + 1) in inside:
            segments.append((shapely.LineString([(xs[i], ys[j]), (xs[i], ys[j + 1])]), i in major_x))
    centre = poly.centroid

    def near(p: np.ndarray) -> np.ndarray:
        return np.exp(-np.hypot(p[:, 0] - centre.x, p[:, 1] - centre.y) / CENTRE_M)

    weight = (
        np.asarray(KIND_LEVEL)[kind] * (0.2 + 4 * near(xy)) * rng.gamma(1 / JUNCTION_SPREAD, JUNCTION_SPREAD, len(xy))
    )
    mids = np.array([[s.centroid.x, s.centroid.y] for s, _ in segments]).reshape(-1, 2)
    major = np.array([MAIN_ROAD_LEVEL if m else 1.0 for _, m in segments])
    segment_weight = major * (0.2 + 4 * near(mids)) * rng.gamma(2.0, 0.5, len(segments))
    # near the centre (shops, stops) more of a junction's accidents involve pedestrians
    pedestrians = np.minimum(rng.beta(*PEDESTRIAN_BETA, len(xy)) * (0.6 + 0.8 * near(xy)), 0.9)
    return Layout(xy, kind, weight, pedestrians, segments, segment_weight)


@dataclass(frozen=True)
class Planted:
    """A planted hotspot of the site city: its junction and accidents a year."""

    name: str
    junction: int
    x: float
    y: float
    rate: float


@dataclass(frozen=True)
class SiteMeasure:
    """A measure at a place of the site city: which accidents it acts on, from when, with what true effect, and
    how far around its junction (chosen by :func:`choose_sites`) it acts."""

    measure_id: str
    indicator: str  # 'acc:points_all' or 'acc:points_pedestrian'
    start: dt.date
    true_rr: float
    radius_m: float = SITE_RADIUS_M


@dataclass(frozen=True)
class Chosen:
    """Where a :class:`SiteMeasure` went (EPSG:25832)."""

    measure: SiteMeasure
    x: float
    y: float

    @property
    def lonlat(self) -> tuple[float, float]:
        lon, lat = _TO_WGS.transform(self.x, self.y)
        return float(lon), float(lat)


def plant(lay: Layout, city: pd.Series) -> list[Planted]:
    """Four hotspots at the main-road junctions nearest the centre, at least :data:`APART_M` apart."""
    centre = city["geometry"].centroid
    taken: list[int] = []
    for k in np.argsort(np.hypot(lay.xy[:, 0] - centre.x, lay.xy[:, 1] - centre.y) + 400 * (2 - lay.kind)):
        if len(taken) < 4 and all(np.hypot(*(lay.xy[k] - lay.xy[t])) >= APART_M for t in taken):
            taken.append(int(k))
    return [Planted(f"Schwerpunkt {n}", k, *lay.xy[k], HOTSPOT_RATE) for n, k in enumerate(taken, start=1)]


def _targeted(frame: pd.DataFrame, indicator: str) -> np.ndarray:
    return np.ones(len(frame), dtype=bool) if indicator == "acc:points_all" else frame["is_pedestrian"].to_numpy() == 1


def choose_sites(frame: pd.DataFrame, lay: Layout, planted: list[Planted], measures: list[SiteMeasure]) -> list[Chosen]:
    """Each measure at the junction of main roads (:data:`SITE_KIND`) with the most of its accidents within its
    radius in the years before its start (the year before excluded, as the evaluation does), away from the
    hotspots and from each other."""
    from scipy.spatial import cKDTree

    out: list[Chosen] = []
    busy = [(p.x, p.y) for p in planted]
    main = np.flatnonzero(lay.kind == SITE_KIND)
    for m in measures:
        before = frame[(frame["year"] < m.start.year - 1) & _targeted(frame, m.indicator)]
        tree = cKDTree(before[["x", "y"]].to_numpy())
        counts = tree.query_ball_point(lay.xy[main], m.radius_m, return_length=True)
        for k in main[np.argsort(-counts, kind="stable")]:
            if all(np.hypot(lay.xy[k, 0] - x, lay.xy[k, 1] - y) >= APART_M for x, y in busy):
                out.append(Chosen(m, *lay.xy[k]))
                busy.append(tuple(lay.xy[k]))
                break
    return out


def simulate_city(
    rng: np.random.Generator,
    city: pd.Series,
    yearly: dict[int, float],
    planted: list[Planted] = (),
    lay: Layout | None = None,
    measures: list[SiteMeasure] = (),
) -> tuple[pd.DataFrame, list[Chosen]]:
    """Accidents of one city per year (``yearly``: the expected total of each year, trend and Gemeinde-wide
    measures included), with the planted hotspots, and the ``measures`` placed (:func:`choose_sites`) and
    applied: their accidents within the site after the start year are kept with the true rate ratio."""
    lay = lay or layout(rng, city)
    hot = {p.junction: p for p in planted}
    first = yearly[min(yearly)]
    rows = []
    for year, total in yearly.items():
        rate = total * AT_JUNCTIONS * lay.weight / lay.weight.sum()
        for k, p in hot.items():
            rate[k] = p.rate * total / first
        for k, n in enumerate(rng.poisson(rate)):
            rows += _accidents(rng, year, *lay.xy[k], int(n), lay.pedestrians[k])
        along = rng.poisson(total * (1 - AT_JUNCTIONS) * lay.segment_weight / lay.segment_weight.sum())
        for (line, _), n in zip(lay.segments, along, strict=True):
            for _ in range(int(n)):
                q = line.interpolate(rng.uniform(0, line.length))
                rows += _accidents(rng, year, q.x, q.y, 1, PEDESTRIAN_BETA[0] / sum(PEDESTRIAN_BETA), scatter=4.0)
    out = pd.DataFrame(rows)
    out = out[shapely.contains_xy(city["geometry"], out["x"].to_numpy(), out["y"].to_numpy())]
    chosen = choose_sites(out, lay, planted, list(measures))
    keep = np.ones(len(out), dtype=bool)
    for c in chosen:
        near = np.hypot(out["x"].to_numpy() - c.x, out["y"].to_numpy() - c.y) <= c.measure.radius_m
        hit = near & (out["year"].to_numpy() > c.measure.start.year) & _targeted(out, c.measure.indicator)
        keep[hit] = rng.random(int(hit.sum())) < c.measure.true_rr
    return out[keep].assign(ags=city["ags"]).reset_index(drop=True), chosen


def _accidents(
    rng: np.random.Generator,
    year: int,
    x: float,
    y: float,
    n: int,
    pedestrian_share: float,
    scatter: float = JUNCTION_SCATTER_M,
) -> list[dict]:
    p = np.array(
        [
            SHARES["is_bicycle"],
            SHARES["is_car"],
            pedestrian_share,
            SHARES["is_motorcycle"],
            SHARES["is_goods_vehicle"],
            SHARES["is_other"],
        ]
    )
    flags = (rng.random((n, 6)) < p).astype(int)
    return [
        {
            "year": year,
            "month": int(rng.integers(1, 13)),
            "category": int(rng.choice([1, 2, 3], p=CATEGORY_P)),
            "x": x + rng.normal(0, scatter),
            "y": y + rng.normal(0, scatter),
            "hour": int(rng.integers(0, 24)),
            "weekday": int(rng.integers(1, 8)),
            "kind": int(rng.integers(0, 10)),
            "type": int(rng.integers(1, 8)),
            "light": int(rng.choice([0, 1, 2], p=[0.7, 0.1, 0.2])),
            "road": int(rng.choice([0, 1, 2], p=[0.7, 0.25, 0.05])),
            "is_bicycle": int(f[0]),
            "is_car": int(f[1]),
            "is_pedestrian": int(f[2]),
            "is_motorcycle": int(f[3]),
            "is_goods_vehicle": int(f[4]),
            "is_other": int(f[5]),
        }
        for f in flags
    ]
