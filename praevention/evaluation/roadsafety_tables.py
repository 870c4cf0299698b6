"""Contract of the road-safety tables (``registered_sites``, ``accident_screening``, ``site_calibration``)."""

from __future__ import annotations

from praevention.tables import Table, register_table

REGISTERED_SITES = Table(
    "registered_sites",
    "Where the register's measures with a place act: every such site's centre and reach. The screening and the "
    "site calibration keep their reference and placebo places away from them; the table changes only when a "
    "place does, not when a title, a note or a partner in the register changes.",
    "derived from register_measures (area_wkt, area_radius_m, area_length_m)",
    ("measure_id",),
    {
        "measure_id": "measure with a place and an accident target",
        "x": "centre of the site, easting, EPSG:25832",
        "y": "centre of the site, northing, EPSG:25832",
        "radius_m": "radius of equal-size reference circles (a drawn area or line: of its buffer's area)",
    },
)

ACCIDENT_SCREENING = Table(
    "accident_screening",
    "Network screening (HSM Part B): accident sites of every Gemeinde with Unfallatlas points, ranked by the "
    "Empirical Bayes excess of accidents over similar places, weighted by severity.",
    "derived from accident_points, boundaries and the panel (covered years); cost rates data/accident_costs.yaml",
    ("ags", "site_id"),
    {
        "ags": "Gemeinde key, 8 digits",
        "site_id": "'<ags>-S<rank>' (ranks are renumbered by every run)",
        "rank": "rank within the Gemeinde by severity_weighted_excess (1 = first to look at)",
        "x": "site centre, easting, EPSG:25832",
        "y": "site centre, northing, EPSG:25832",
        "lon": "site centre, longitude, EPSG:4326",
        "lat": "site centre, latitude, EPSG:4326",
        "radius_m": "radius of the site (circle) in metres",
        "years": "years screened, as they are ('2020, 2022–2024': a missing year is a gap, never a zero)",
        "n_years": "number of years screened",
        "observed": "accidents with personal injury inside the site over those years",
        "predicted": "accidents the safety performance function predicts for a place like it over those years",
        "expected_eb": "Empirical Bayes expected accidents over those years (w·predicted + (1 − w)·observed)",
        "excess": "expected_eb − predicted: accidents beyond similar places, regression to the mean removed",
        "excess_per_year": "excess per year",
        "severity_weighted_excess": "excess per year × cost_per_accident_eur: euros a year (price_year)",
        "cost_per_accident_eur": "mean cost of an accident at the site (its category mix shrunk towards the "
        "Gemeinde's), BASt rates per accident category at the prices of price_year",
        "with_killed": "accidents with killed (category 1) at the site",
        "with_seriously_injured": "accidents with seriously injured (category 2)",
        "with_slightly_injured": "accidents with slightly injured (category 3)",
        "pedestrian": "accidents with a pedestrian involved",
        "bicycle": "accidents with a bicycle involved",
        "motorcycle": "accidents with a motorcycle involved",
        "price_year": "price level of the euro figures",
    },
)

SITE_CALIBRATION = Table(
    "site_calibration",
    "How often the site evaluation claims an effect where none exists: placebo sites without a measure, at "
    "random places or at the places with the most accidents before, evaluated through the same code path as "
    "registered sites.",
    "derived from accident_points, boundaries and the panel",
    ("method", "indicator", "selection"),
    {
        "method": "'headline' (the published procedure: Empirical Bayes at the site) or an estimator code",
        "indicator": "accident indicator, or '*' for all of them",
        "indicator_label": "German label",
        "selection": "how placebo places were chosen: 'zufällig' (at least one accident before), "
        "'Schwerpunkte' (among the 5 % with the most accidents before), 'alle'",
        "n_designs": "evaluable placebo designs",
        "n_not_evaluable": "placebo designs not evaluated (too few accidents expected, none after)",
        "false_positive_rate": "share of evaluable placebo designs whose 95 % interval excludes no change",
        "mc_error": "Monte-Carlo standard error of that share",
        "coverage": "share of 95 % intervals containing the true rate ratio 1",
        "mde_80": "median minimum detectable effect at 80 % power (rate ratio)",
        "mean_ratio": "accidents after over those the method expected without a measure, summed over the "
        "placebos (1 = unbiased; below 1: regression to the mean read as an effect)",
    },
)

for _t in (REGISTERED_SITES, ACCIDENT_SCREENING, SITE_CALIBRATION):
    register_table(_t)
