"""Checks on the network screening and the calibration of the site evaluation."""

from __future__ import annotations

from assets._shared import contract_checks, sql_check
from praevention.evaluation.site_calibration import MAX_FALSE_POSITIVE_RATE, MIN_SITE_PLACEBOS

checks = [
    *contract_checks("registered_sites"),
    *contract_checks("accident_screening"),
    sql_check(
        asset_name="accident_screening",
        name="ranks_and_excess_consistent",
        blocking=True,
        description="Blocking: ranks run 1…n per Gemeinde without gaps, every EB expectation lies between the "
        "prediction and the observed count, and the severity weighting keeps the excess's sign.",
        sql="""
            SELECT ags, site_id, rank, observed, predicted, expected_eb, excess, severity_weighted_excess
            FROM accident_screening
            WHERE expected_eb < least(observed, predicted) - 1e-9 OR expected_eb > greatest(observed, predicted) + 1e-9
               OR sign(excess) <> sign(severity_weighted_excess)
            UNION ALL
            SELECT ags, NULL, max(rank), count(*), NULL, NULL, NULL, NULL FROM accident_screening
            GROUP BY ags HAVING max(rank) <> count(*) OR min(rank) <> 1
        """,
    ),
    sql_check(
        asset_name="accident_screening",
        name="sites_inside_gemeinde",
        blocking=True,
        land_param=True,
        additional_deps=["boundaries"],
        description="Blocking: every screened site's centre lies within 60 m of its Gemeinde's boundary (a site "
        "straddles the boundary at most by its radius).",
        sql="""
            WITH shapes AS (
                SELECT ags, arg_max(geometry, (source = 'BKG VG250', valid_from)) AS geometry
                FROM boundaries WHERE level = 'Gemeinde' AND substr(ags, 1, 2) = ? GROUP BY ags)
            SELECT s.ags, s.site_id, round(ST_Distance(g.geometry, ST_Point(s.x, s.y))) AS metres_outside
            FROM accident_screening s JOIN shapes g USING (ags)
            WHERE NOT ST_DWithin(g.geometry, ST_Point(s.x, s.y), 60)
        """,
    ),
    *contract_checks("site_calibration"),
    sql_check(
        asset_name="site_calibration",
        name="false_positive_rate",
        blocking=True,
        description=f"Blocking: on placebo sites the published site evaluation claims an effect in at most "
        f"{MAX_FALSE_POSITIVE_RATE:.0%} of the evaluable designs (all indicators and ways of choosing the place); "
        "otherwise no site verdict is published.",
        sql="SELECT indicator, selection, n_designs, false_positive_rate, mc_error FROM site_calibration "
        "WHERE method = 'headline' AND indicator = '*' AND selection = 'alle' AND false_positive_rate > ?",
        params=(MAX_FALSE_POSITIVE_RATE,),
    ),
    sql_check(
        asset_name="site_calibration",
        name="enough_placebo_sites",
        blocking=False,
        description=f"Warning: fewer than {MIN_SITE_PLACEBOS} evaluable placebo sites (too few Unfallatlas points "
        "for a precise calibration), or no calibration at all where points exist.",
        sql="""
            SELECT 'evaluable placebo sites' AS what, coalesce(max(n_designs), 0) AS n FROM site_calibration
            WHERE method = 'headline' AND indicator = '*' AND selection = 'alle'
            HAVING coalesce(max(n_designs), 0) < ? AND (SELECT count(*) FROM accident_points) > 0
        """,
        params=(MIN_SITE_PLACEBOS,),
        additional_deps=["accident_points"],
    ),
    sql_check(
        asset_name="site_calibration",
        name="false_positive_rate_per_selection",
        blocking=False,
        description=f"Warning: at random places or at the places with the most accidents the false-positive rate "
        f"exceeds {MAX_FALSE_POSITIVE_RATE:.0%}.",
        sql="SELECT indicator, selection, n_designs, false_positive_rate FROM site_calibration "
        "WHERE method = 'headline' AND indicator = '*' AND selection <> 'alle' AND false_positive_rate > ?",
        params=(MAX_FALSE_POSITIVE_RATE,),
    ),
]
