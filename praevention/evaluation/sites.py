"""Road safety where it happens: before/after at the site of a measure (HSM 2010 Part C; Hauer 1997).

A measure with a place in the register (a point with a radius or a segment length, a drawn line, a drawn
area) and an accident target is evaluated at that place, not on the whole Gemeinde:

* **Site.** The area the register gives, in EPSG:25832: a circle of the radius around a point (of half the
  segment length when only that is given: the direction of the segment is not known), a corridor of
  :data:`CORRIDOR_M` either side of a line (Unfallatlas points lie on the road axis), or the drawn area.
* **Counts.** Unfallatlas accidents inside the site per year, for the targeted participants (Fuß, Rad, Krad)
  or severity (Getötete und Schwerverletzte), over the years the Unfallatlas covers the site's Gemeinde.
  A year without data is a gap, never a zero (Magdeburg 2021). Periods as for every design
  (:func:`~praevention.evaluation.design.periods`).
* **Reference sites and SPF** (:class:`SiteModel`). Circles of the site's size on a jittered lattice over the
  site's Gemeinde when it has :data:`OWN_MODEL_MIN` accidents or more (a city: its own year effects carry its
  own good and bad years), else over all Gemeinden with Unfallatlas points (road space only: within
  :data:`BUILT_M` of an accident; none overlapping a registered measure's site). A negative binomial safety
  performance function (:func:`fit_nb2`) predicts each year's count from exposure proxies (traffic volumes
  are not known): the accidents per year on the site's approaches (a ring of :data:`NEAR_M` around it: a
  junction of main roads has busy approaches) and in its surroundings (a ring of :data:`RING_M`: how busy
  the quarter is), the Gemeinde's population density, whether it is a kreisfreie Stadt, and year effects
  (the trend every place shares).
* **Empirical Bayes** (:func:`~praevention.stats.eb.eb_before_after`, exact interval): the expected count
  without the measure combines the SPF's prediction with the site's own count before (weight 1/(1 + k·μ)),
  which removes the regression to the mean of a site chosen for its accidents. Hauer's bias-corrected θ,
  its variance and an exact gamma–Poisson 95 % interval.
* Beside it: the naive before/after ratio, the comparison group of reference sites with a similar ring
  count (:func:`~praevention.stats.comparison.comparison_group`, Hauer 1997 ch. 9) and the displacement into
  a ring around the site (WDQ/WDD, :mod:`praevention.stats.wdq`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from praevention.evaluation.design import (
    ACCIDENT_GROUPS,
    NO_DATA_GROUPS,
    Design,
    _date,
    is_kreisfreie_stadt,
    periods,
    span,
)
from praevention.evaluation.dilution import Shares
from praevention.stats.comparison import comparison_group
from praevention.stats.eb import eb_before_after
from praevention.stats.methods import COMPARISON, EB, NAIVE, NONE, WDQ
from praevention.stats.naive import naive_before_after
from praevention.stats.nb import NB2Fit, fit_nb2
from praevention.stats.types import Effect, not_evaluable
from praevention.stats.wdq import displacement

#: the level of a site design in ``measure_effects.unit_level``
SITE_LEVEL = "Ort"
#: site designs' ``domain`` (the headline rule of :mod:`praevention.evaluation.evaluator`)
SITE_DOMAIN = "site"
#: widths of the rings around a site whose accidents are the site's exposure proxies: its approaches and
#: its surroundings
NEAR_M = 100.0
RING_M = 400.0
#: lattice circles farther than this from every accident are not road space (fields, woods, water)
BUILT_M = 500.0
#: the most reference circles per model: a coarser lattice (a sample of places) beyond it
MAX_LATTICE = 60_000
#: the reference lattice's random shifts are the same in every run
LATTICE_SEED = 20261209
#: a Gemeinde with this many accidents (all years) gets a safety performance function of its own: its own
#: year effects carry the shocks of its own years (a city's good or bad year); smaller ones share the Land's
OWN_MODEL_MIN = 2_000
#: half-width of the corridor around a drawn line
CORRIDOR_M = 25.0
#: fewer accidents expected at the site after the start without the measure (EB, from the data before):
#: not evaluable. A rule on the data before only: it never selects on the outcome
MIN_EXPECTED = 3.0
#: a site design's unit key: the Gemeinde and the measure (unique per site, never a comparison unit)
SITE_SEPARATOR = "@"
#: accidents of a site's neighbourhood shown as the participants and severities of a design
PARTICIPANTS = {"is_pedestrian": "Fuß", "is_bicycle": "Rad", "is_motorcycle": "Krad"}
POINT_MASKS = {
    "acc:points_all": lambda p: np.ones(len(p), dtype=bool),
    "acc:points_ksi": lambda p: p["category"].to_numpy() <= 2,
    "acc:points_pedestrian": lambda p: p["is_pedestrian"].to_numpy() == 1,
    "acc:points_bicycle": lambda p: p["is_bicycle"].to_numpy() == 1,
    "acc:points_motorcycle": lambda p: p["is_motorcycle"].to_numpy() == 1,
}
_TO_UTM = Transformer.from_crs(4326, 25832, always_xy=True)
#: what the site computations read of each accident point
POINT_COLUMNS = ["ags", "year", "category", "x_25832", "y_25832", *PARTICIPANTS]


def site_key(gemeinde: str, measure_id: str) -> str:
    """'15003000@M12': the unit key of the site of measure M12 in Magdeburg."""
    return f"{gemeinde}{SITE_SEPARATOR}{measure_id}"


@dataclass(frozen=True)
class Site:
    """A measure's place: its geometry (EPSG:25832), the radius of equal-size reference circles, its Gemeinde
    and how it is described to people; ``circle`` when the geometry is the circle of ``radius``."""

    measure_id: str
    geometry: shapely.Geometry
    radius: float
    gemeinde: str
    description: str
    circle: bool = False

    @property
    def centre(self) -> tuple[float, float]:
        c = self.geometry.centroid
        return float(c.x), float(c.y)


def site_shape(wkt: str, radius: float | None, length: float | None) -> tuple[shapely.Geometry, float, str] | None:
    """The site of a register area (WKT in EPSG:4326): geometry in EPSG:25832, equivalent radius and the
    German description; ``None`` for a point without radius or length."""
    geom = shapely.transform(shapely.from_wkt(wkt), lambda xy: np.c_[_TO_UTM.transform(xy[:, 0], xy[:, 1])])
    return _shape(geom, radius, length)


def _shape(geom: shapely.Geometry, radius: float | None, length: float | None):
    if geom.geom_type == "Point":
        if radius and radius > 0:
            return geom.buffer(radius, 32), float(radius), f"Umkreis von {radius:.0f} m um den eingetragenen Punkt"
        if length and length > 0:
            return (
                geom.buffer(length / 2, 32),
                float(length / 2),
                f"Strecke von {length:.0f} m um den eingetragenen Punkt (Umkreis {length / 2:.0f} m)",
            )
        return None
    if geom.geom_type in ("LineString", "MultiLineString"):
        half = float(radius) if radius and radius > 0 else CORRIDOR_M
        area = geom.buffer(half, 16)
        return area, math.sqrt(area.area / math.pi), f"Strecke von {geom.length:.0f} m (je {half:.0f} m beiderseits)"
    return geom, math.sqrt(geom.area / math.pi), f"eingezeichnete Fläche von {geom.area / 1e4:.1f} ha"


class Places:
    """The Land's accident points and the Gemeinden they lie in, indexed once for every site computation.

    ``points``: x_25832, y_25832, year, ags, category and the participant flags; ``gemeinden``: ags, wkb
    (EPSG:25832), area_km2; ``years``: Gemeinde → the years the Unfallatlas covers it; ``population``:
    Gemeinde → inhabitants."""

    def __init__(
        self, points: pd.DataFrame, gemeinden: pd.DataFrame, years: dict[str, tuple[int, ...]], population: dict
    ):
        self.years = {a: tuple(int(y) for y in ys) for a, ys in years.items() if ys}
        self.points = points[points["ags"].isin(self.years)].reset_index(drop=True)
        self.xy = self.points[["x_25832", "y_25832"]].to_numpy(dtype=float)
        self.year = self.points["year"].to_numpy(dtype=int)
        self.all_years = tuple(sorted({y for ys in self.years.values() for y in ys}))
        shapes = gemeinden[gemeinden["ags"].isin(self.years)].reset_index(drop=True)
        self.codes = shapes["ags"].to_numpy(dtype=str)
        self.shapes = shapely.from_wkb([bytes(w) for w in shapes["wkb"]])
        self.tree = shapely.STRtree(self.shapes)
        area = shapes["area_km2"].to_numpy(dtype=float)
        pop = np.array([float(population.get(a) or np.nan) for a in self.codes])
        self.density = dict(zip(self.codes, np.log(np.where(area > 0, pop / area, np.nan)), strict=True))
        self.city = {a: float(is_kreisfreie_stadt(a)) for a in self.codes}
        self.cover = np.array([[y in self.years[a] for y in self.all_years] for a in self.codes], dtype=bool)
        self.all_tree = cKDTree(self.xy) if len(self.xy) else None
        self._trees: dict[str, dict[int, cKDTree | None]] = {}

    @property
    def empty(self) -> bool:
        return self.all_tree is None

    @property
    def latest_year(self) -> int | None:
        return max(self.all_years) if self.all_years else None

    def gemeinde_index(self, xy: np.ndarray) -> np.ndarray:
        """Index into :attr:`codes` of the Gemeinde each point lies in (−1 outside every covered one)."""
        out = np.full(len(xy), -1)
        if len(xy) == 0:
            return out
        pts, shapes = self.tree.query(shapely.points(xy), predicate="within")
        out[pts] = shapes
        return out

    def gemeinde_of(self, x: float, y: float) -> str | None:
        i = self.gemeinde_index(np.array([[x, y]]))[0]
        return None if i < 0 else str(self.codes[i])

    def mask(self, indicator: str) -> np.ndarray:
        return POINT_MASKS[indicator](self.points)

    def trees(self, indicator: str) -> dict[int, cKDTree | None]:
        """One spatial index per year of the accidents of ``indicator`` (built once)."""
        if indicator not in self._trees:
            m = self.mask(indicator)
            self._trees[indicator] = {
                y: cKDTree(self.xy[m & (self.year == y)]) if (m & (self.year == y)).any() else None
                for y in self.all_years
            }
        return self._trees[indicator]

    def circle_counts(self, centres: np.ndarray, radius: float, indicator: str) -> np.ndarray:
        """Accidents of ``indicator`` within ``radius`` of each centre, per year of :attr:`all_years`."""
        out = np.zeros((len(centres), len(self.all_years)))
        for j, tree in enumerate(self.trees(indicator).values()):
            if tree is not None and len(centres):
                out[:, j] = tree.query_ball_point(centres, radius, return_length=True)
        return out

    def within(self, centres: np.ndarray, radius: float) -> np.ndarray:
        """All accidents (every covered year) within ``radius`` of each centre."""
        if self.all_tree is None or not len(centres):
            return np.zeros(len(centres))
        return self.all_tree.query_ball_point(centres, radius, return_length=True).astype(float)

    def in_geometry(self, geom: shapely.Geometry) -> np.ndarray:
        """Boolean mask of the points inside ``geom`` (boundary included)."""
        if self.all_tree is None:
            return np.zeros(0, dtype=bool)
        minx, miny, maxx, maxy = geom.bounds
        candidates = self.all_tree.query_ball_point(
            [(minx + maxx) / 2, (miny + maxy) / 2], math.hypot(maxx - minx, maxy - miny) / 2 + 1
        )
        out = np.zeros(len(self.xy), dtype=bool)
        if candidates:
            idx = np.array(candidates)
            out[idx] = shapely.intersects_xy(geom, self.xy[idx, 0], self.xy[idx, 1])
        return out

    def surroundings(self, centres: np.ndarray, radius: float, gemeinde: np.ndarray) -> np.ndarray:
        """Accidents per covered year (all kinds) on the approaches and in the surroundings of circles of
        ``radius`` around ``centres`` in Gemeinde ``gemeinde`` (index into :attr:`codes`): circles × 2."""
        inner = self.within(centres, radius)
        rings = [self.within(centres, radius + width) - inner for width in (NEAR_M, RING_M)]
        return np.c_[rings[0], rings[1]] / np.maximum(self.cover[gemeinde].sum(axis=1), 1)[:, None]


def spf_covariates(
    places: Places, surround: np.ndarray, gemeinde: np.ndarray, year: np.ndarray
) -> dict[str, np.ndarray]:
    """The SPF's covariates of sites with these :meth:`Places.surroundings` (rows) in these Gemeinden and years."""
    codes = places.codes[gemeinde]
    cov = {
        "log_near": np.log(surround[:, 0] + 0.25),
        "log_ring": np.log(surround[:, 1] + 0.25),
        "log_density": np.nan_to_num(np.array([places.density[c] for c in codes]), nan=0.0),
        "city": np.array([places.city[c] for c in codes]),
    }
    for y in places.all_years[1:]:
        cov[f"year_{y}"] = (year == y).astype(float)
    return cov


class SiteModel:
    """The SPF of circles of one radius for one indicator, fitted on the reference lattice of one Gemeinde
    (``gemeinde``) or of all (see the module docstring); ``excluded`` are centres of registered sites (with
    their radius) no reference may overlap."""

    def __init__(
        self,
        places: Places,
        radius: float,
        indicator: str,
        excluded: list[tuple[float, float, float]],
        gemeinde: str | None = None,
    ):
        self.places, self.radius, self.indicator = places, radius, indicator
        shapes = places.shapes if gemeinde is None else places.shapes[places.codes == gemeinde]
        minx, miny, maxx, maxy = shapely.total_bounds(shapes)
        area = float(sum(s.area for s in shapes))
        spacing = max(2 * radius, math.sqrt(area / MAX_LATTICE))
        gx, gy = np.meshgrid(np.arange(minx + spacing / 2, maxx, spacing), np.arange(miny + spacing / 2, maxy, spacing))
        # each centre shifted at random within its cell (a stratified sample of places): a regular lattice
        # would sit in the same spot of every block of a regular street grid
        jitter = np.random.default_rng(LATTICE_SEED).uniform(-spacing / 2, spacing / 2, (gx.size, 2))
        centres = np.c_[gx.ravel(), gy.ravel()] + jitter
        gem = places.gemeinde_index(centres)
        keep = (gem >= 0) & (places.within(centres, BUILT_M) > 0)
        if gemeinde is not None:
            keep &= places.codes[np.maximum(gem, 0)] == gemeinde
        for x, y, r in excluded:
            keep &= np.hypot(centres[:, 0] - x, centres[:, 1] - y) > radius + r
        self.centres, self.gemeinde = centres[keep], gem[keep]
        self.counts = places.circle_counts(self.centres, radius, indicator)
        self.surround = places.surroundings(self.centres, radius, self.gemeinde)
        covered = places.cover[self.gemeinde]  # circles × years
        rows, cols = np.nonzero(covered)
        long = pd.DataFrame(
            {
                "y": self.counts[rows, cols],
                "near": np.round(self.surround[rows, 0], 3),
                "ring": np.round(self.surround[rows, 1], 3),
                "gemeinde": self.gemeinde[rows],
                "year": np.array(places.all_years)[cols],
            }
        )
        grouped = long.groupby(["near", "ring", "gemeinde", "year", "y"], as_index=False).size()
        self.spf: NB2Fit = fit_nb2(
            grouped["y"].to_numpy(),
            spf_covariates(
                places,
                grouped[["near", "ring"]].to_numpy(),
                grouped["gemeinde"].to_numpy(),
                grouped["year"].to_numpy(),
            ),
            grouped["size"].to_numpy(dtype=float),
        )

    @property
    def n_reference(self) -> int:
        return len(self.centres)

    def predict(self, surround: np.ndarray, gemeinde: str, years: tuple[int, ...]) -> np.ndarray:
        """The SPF's expected count of a site with these surroundings (approaches, quarter) in each of
        ``years``."""
        g = np.full(len(years), int(np.flatnonzero(self.places.codes == gemeinde)[0]))
        rows = np.tile(np.asarray(surround, dtype=float), (len(years), 1))
        return self.spf.predict(spf_covariates(self.places, rows, g, np.array(years)))

    def comparison(self, surround: np.ndarray, gemeinde: str, before: tuple[int, ...], after: tuple[int, ...]) -> tuple:
        """Accidents before and after at the reference circles of the site's Gemeinde whose SPF prediction
        lies in the same fifth as the site's (the comparison group of similar places), and how many circles."""
        own = self.places.codes[self.gemeinde] == gemeinde
        if not own.any():
            return 0.0, 0.0, 0
        year = self.places.all_years[-1]
        score = self.spf.predict(
            spf_covariates(self.places, self.surround[own], self.gemeinde[own], np.full(int(own.sum()), year))
        )
        edges = np.quantile(score, [0.2, 0.4, 0.6, 0.8])
        similar = np.searchsorted(edges, score) == np.searchsorted(edges, self.predict(surround, gemeinde, (year,))[0])
        cols = list(self.places.all_years)
        counts = self.counts[own][similar]
        b = counts[:, [cols.index(y) for y in before]].sum()
        a = counts[:, [cols.index(y) for y in after]].sum()
        return float(b), float(a), int(similar.sum())


@dataclass
class SiteModels:
    """One :class:`SiteModel` per radius (to the metre), indicator and reference area (a Gemeinde with enough
    accidents of its own, else the Land), fitted when first needed."""

    places: Places
    excluded: list[tuple[float, float, float]] = field(default_factory=list)
    _models: dict[tuple[int, str, str], SiteModel | None] = field(default_factory=dict)

    def get(self, radius: float, indicator: str, gemeinde: str) -> SiteModel | None:
        own = int(np.sum(self.places.points["ags"].to_numpy() == gemeinde)) >= OWN_MODEL_MIN
        key = (round(radius), indicator, gemeinde if own else "")
        if key not in self._models:
            try:
                self._models[key] = SiteModel(
                    self.places, float(key[0]), indicator, self.excluded, gemeinde if own else None
                )
            except ValueError:  # no accident of this kind at any reference site
                self._models[key] = None
        return self._models[key]


# ---------------------------------------------------------------------------------------------- designs
def located(measures: pd.DataFrame) -> pd.DataFrame:
    """The register's measures with a place (point, line or area) and an accident target; a register without
    the place columns (an older file) has none."""
    if measures.empty or "area_wkt" not in measures:
        return measures.iloc[:0]
    has_place = measures["area_wkt"].notna()
    groups = measures["target_accident_groups"].map(lambda v: v is not None and len(v) > 0)
    return measures[has_place & groups]


def _shapes(measures: pd.DataFrame) -> Iterator[tuple[dict, shapely.Geometry, float, str]]:
    """(measure, geometry, radius, description) of every located measure whose place has a shape."""
    for m in located(measures).to_dict("records"):
        shape = site_shape(str(m["area_wkt"]), _num(m.get("area_radius_m")), _num(m.get("area_length_m")))
        if shape is not None:
            yield m, *shape


def register_sites(measures: pd.DataFrame, places: Places) -> dict[str, Site]:
    """measure_id → its site, for the located measures whose place lies in a Gemeinde with accident data
    (else they are still designs, not evaluable, with the reason)."""
    out = {}
    for m, geom, radius, text in _shapes(measures):
        street = m.get("area_street")
        if isinstance(street, str) and street.strip():
            text = f"{street.strip()}: {text}"
        c = geom.centroid
        gemeinde = places.gemeinde_of(c.x, c.y) if not places.empty else None
        circle = str(m["area_wkt"]).upper().startswith("POINT")
        out[str(m["measure_id"])] = Site(
            str(m["measure_id"]), geom, radius, gemeinde or str(m["ags"] or ""), text, circle
        )
    return out


def _num(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def site_designs(measures: pd.DataFrame, sites: dict[str, Site], places: Places) -> list[Design]:
    """One design per located measure and accident target, at its site (or the reason it cannot be)."""
    out = []
    for m in located(measures).to_dict("records"):
        mid = str(m["measure_id"])
        site = sites.get(mid)
        gemeinde = site.gemeinde if site else str(m["ags"] or "")
        start, end = _date(m.get("start")), _date(m.get("end"))
        years = places.years.get(gemeinde, ())
        before, after = periods(years, start.year, end.year if end else 9999) if start else ((), ())
        base = {
            "measure_id": mid,
            "body_id": str(m["body_id"]),
            "label": str(m["title"]),
            "group": m.get("measure_type") or "Sonstiges",
            "domain": SITE_DOMAIN,
            "unit_ags": site_key(gemeinde, mid),
            "unit_level": SITE_LEVEL,
            "start": start,
            "end": end,
            "notes": (f"Ausgewertet am Ort der Maßnahme ({site.description})",) if site else (),
        }
        for group in m["target_accident_groups"]:
            indicator = next((i for i in ACCIDENT_GROUPS.get(group, ()) if i in POINT_MASKS), f"acc:{group}")
            reason = None
            if group in NO_DATA_GROUPS:
                reason = NO_DATA_GROUPS[group]
            elif indicator not in POINT_MASKS:
                reason = "solche Unfälle liegen nicht als Unfallorte (Unfallatlas) vor"
            elif not m.get("evaluable", True):
                reason = m.get("not_evaluable_reason") or "im Register nicht auswertbar"
            elif site is None:
                reason = "der Ort ist ein Punkt ohne Radius oder Streckenlänge"
            elif not years:
                reason = "für die Gemeinde des Ortes liegen keine Unfallorte (Unfallatlas) vor"
            elif not before:
                reason = (
                    f"Beginn {start.year} liegt vor oder am Anfang der Unfallorte ({span(years)}): kein Vorher-Zeitraum"
                )
            elif not after:
                reason = f"Nachher-Zeitraum fehlt (Beginn {start.year}, Unfallorte bis {years[-1]})"
            out.append(Design(**base, indicator=indicator, before=before, after=after, reason=reason))
    return out


# ---------------------------------------------------------------------------------------------- estimates
@dataclass(frozen=True)
class SiteCounts:
    """A site's accidents per covered year (indicator), its surroundings (:meth:`Places.surroundings`) and
    its accidents by severity and participants before and after."""

    years: tuple[int, ...]
    counts: np.ndarray
    surround: np.ndarray
    detail: dict[str, dict[str, int]]


class SiteEvaluator:
    """Estimates for site designs, with the interface :func:`~praevention.evaluation.rows.run_designs`
    uses: ``methods``, ``method``, ``too_few_cases``, ``comparison``."""

    def __init__(self, places: Places, sites: dict[str, Site], models: SiteModels):
        self.places, self.sites, self.models = places, sites, models
        self._counts: dict[tuple[str, str], SiteCounts] = {}
        self._eb: dict[tuple[str, str], Effect] = {}

    def inside(self, site: Site, margin: float = 0.0) -> np.ndarray:
        """Mask of the points inside the site (grown by ``margin`` metres)."""
        p = self.places
        if site.circle:
            out = np.zeros(len(p.xy), dtype=bool)
            if p.all_tree is not None:
                out[p.all_tree.query_ball_point(site.centre, site.radius + margin)] = True
            return out
        return p.in_geometry(site.geometry.buffer(margin, 16) if margin else site.geometry)

    def site_counts(self, d: Design) -> SiteCounts:
        key = (d.measure_id, d.indicator)
        if key not in self._counts:
            site = self.sites[d.measure_id]
            p = self.places
            inside = self.inside(site)
            sel = inside & p.mask(d.indicator)
            years = p.years[site.gemeinde]
            counts = np.array([float(np.sum(sel & (p.year == y))) for y in years])
            surround = np.array(
                [np.sum(self.inside(site, width) & ~inside) / len(years) for width in (NEAR_M, RING_M)], dtype=float
            )
            detail = {}
            for label, yrs in (("before", d.before), ("after", d.after)):
                chosen = p.points[sel & np.isin(p.year, yrs)]
                detail[label] = {
                    **{f"category_{c}": int((chosen["category"] == c).sum()) for c in (1, 2, 3)},
                    **{flag: int(chosen[flag].sum()) for flag in PARTICIPANTS},
                }
            self._counts[key] = SiteCounts(years, counts, surround, detail)
        return self._counts[key]

    def _period(self, c: SiteCounts, years: tuple[int, ...]) -> float:
        return float(c.counts[np.isin(c.years, years)].sum())

    def methods(self, d: Design) -> tuple[str, ...]:
        return (NAIVE, EB, COMPARISON, WDQ)

    def method(self, d: Design, name: str) -> Effect | None:
        return {NAIVE: self.naive, EB: self.eb, COMPARISON: self.comparison_group, WDQ: self.wdq}[name](d)

    def too_few_cases(self, d: Design) -> Effect | None:
        expected = self.eb(d).diagnostics.get("expected_without_measure")
        if expected is not None and expected < MIN_EXPECTED:
            return not_evaluable(
                NONE,
                "too_few_cases",
                f"zu wenige Unfälle am Ort zu erwarten (ohne Maßnahme nachher erwartet: "
                f"{expected:.1f}, mindestens {MIN_EXPECTED:.0f} nötig)".replace(".", ","),
            )
        return None

    def naive(self, d: Design) -> Effect:
        c = self.site_counts(d)
        return naive_before_after(self._period(c, d.before), len(d.before), self._period(c, d.after), len(d.after))

    def eb(self, d: Design) -> Effect:
        key = (d.measure_id, d.indicator)
        if key not in self._eb:
            self._eb[key] = self._eb_estimate(d)
        return self._eb[key]

    def _eb_estimate(self, d: Design) -> Effect:
        site, c = self.sites[d.measure_id], self.site_counts(d)
        model = self.models.get(site.radius, d.indicator, site.gemeinde)
        if model is None:
            return not_evaluable(EB, "no_reference", "keine Vergleichsorte mit solchen Unfällen")
        mu = model.predict(c.surround, site.gemeinde, c.years)
        before, after = np.isin(c.years, d.before), np.isin(c.years, d.after)
        e = eb_before_after(
            self._period(c, d.before),
            float(mu[before].sum()),
            self._period(c, d.after),
            float(mu[after].sum()),
            model.spf.k,
            exact=True,
        )
        return e.with_(
            diagnostics={
                **e.diagnostics,
                "predicted_before": round(float(mu[before].sum()), 3),
                "predicted_after": round(float(mu[after].sum()), 3),
                "spf_k": round(model.spf.k, 4),
                "spf_params": {k: round(v, 4) for k, v in model.spf.params.items()},
                "reference_sites": model.n_reference,
                "site_radius_m": round(site.radius, 1),
                "approaches_per_year": round(float(c.surround[0]), 2),
                "ring_per_year": round(float(c.surround[1]), 2),
                "site": site.description,
                "accidents": c.detail,
            }
        )

    def comparison_group(self, d: Design) -> Effect:
        site, c = self.sites[d.measure_id], self.site_counts(d)
        model = self.models.get(site.radius, d.indicator, site.gemeinde)
        if model is None:
            return not_evaluable(COMPARISON, "no_reference", "keine Vergleichsorte mit solchen Unfällen")
        m, n, sites = model.comparison(c.surround, site.gemeinde, d.before, d.after)
        e = comparison_group(self._period(c, d.before), self._period(c, d.after), m, n)
        return e.with_(diagnostics={**e.diagnostics, "comparison_sites": sites})

    def wdq(self, d: Design) -> Effect:
        """Displacement into a ring as wide as the site around it, against the rest of the Gemeinde."""
        site, p = self.sites[d.measure_id], self.places
        sel = p.mask(d.indicator) & (p.points["ags"].to_numpy() == site.gemeinde)
        target = self.inside(site)
        buffer = self.inside(site, max(site.radius, CORRIDOR_M)) & ~target
        zones = {"A": sel & target, "B": sel & buffer, "C": sel & ~target & ~buffer}

        def n(zone: str, years: tuple[int, ...]) -> float:
            return float(np.sum(zones[zone] & np.isin(p.year, years)))

        return displacement(*(n(z, yrs) for z in "ABC" for yrs in (d.before, d.after)))

    def comparison(self, d: Design, method: str) -> str:
        site = self.sites.get(d.measure_id)
        model = self.models.get(site.radius, d.indicator, site.gemeinde) if site else None
        if method == EB and model is not None:
            return (
                f"Vorhersage aus {model.n_reference:,} gleich großen Orten ohne Maßnahme (Unfälle an den Zufahrten und im Umfeld, "
                "Einwohnerdichte, Stadt oder Land, Jahr)".replace(",", ".")
            )
        if method == COMPARISON:
            return "Orte derselben Gemeinde mit ähnlich vielen vorhergesagten Unfällen"
        if method == WDQ:
            return "Ort, Ring darum und übrige Gemeinde"
        return "keine (gleicher Ort vorher und nachher)" if method == NAIVE else ""

    def place(self, d: Design) -> dict:
        """The site is the measure's own area (no dilution) and is compared on counts, without population."""
        return {"shares": Shares(), "population_handling": "counts"}

    def with_design_checks(self, d: Design, e: Effect) -> Effect:
        """A site's check beside its headline is the comparison group, reported as its own row."""
        return e


def places_of(data) -> Places:
    """The :class:`Places` of an :class:`~praevention.evaluation.inputs.EvaluationData`."""
    rows = data.rows("acc:points_all")
    return places_from(data.points, data.gemeinden, rows[rows["unit_level"] == "Gemeinde"])


def places_from(points: pd.DataFrame, gemeinden: pd.DataFrame, covered: pd.DataFrame) -> Places:
    """:class:`Places` from the Land's points, its Gemeinden's outlines (ags, area_km2, wkb) and the panel's
    yearly Gemeinde rows of ``acc:points_all`` (``covered``: unit_ags, year, population): the years the
    Unfallatlas covers each Gemeinde (zeros included, gaps left out) and its latest population."""
    years = {str(a): tuple(sorted(g["year"].astype(int))) for a, g in covered.groupby("unit_ags")}
    population = covered.sort_values("year").groupby("unit_ags")["population"].last().to_dict()
    gemeinden = gemeinden if len(gemeinden) else pd.DataFrame(columns=["ags", "area_km2", "wkb"])
    points = points if len(points) else pd.DataFrame(columns=POINT_COLUMNS)
    return Places(points, gemeinden, years, population)


def exclusions(sites: dict[str, Site]) -> list[tuple[float, float, float]]:
    """Centre and reach of every registered site: no reference or placebo place may overlap one."""
    return [(*s.centre, s.radius) for s in sites.values()]


SITE_COLUMNS = ["measure_id", "x", "y", "radius_m"]


def site_table(measures: pd.DataFrame) -> pd.DataFrame:
    """``registered_sites``: the centre and reach of every registered site (:func:`exclusions` as a table), so
    that what needs only them does not depend on the register's text."""
    rows = [(str(m["measure_id"]), g.centroid.x, g.centroid.y, radius) for m, g, radius, _ in _shapes(measures)]
    return pd.DataFrame(rows, columns=SITE_COLUMNS).sort_values("measure_id", ignore_index=True)


def table_exclusions(table: pd.DataFrame) -> list[tuple[float, float, float]]:
    """:func:`exclusions` read back from the ``registered_sites`` table."""
    return [(float(x), float(y), float(r)) for x, y, r in table[["x", "y", "radius_m"]].itertuples(index=False)]
