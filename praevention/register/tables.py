"""Contract of the register tables (``register_bodies``, ``register_measures``)."""

from __future__ import annotations

from praevention.register.schema import (
    ACCIDENT_GROUPS,
    AREA_TYPES,
    BODY_TYPES,
    DOMAINS,
    LEVELS,
    MEASURE_TYPES,
    PARTNERS,
    STATUS,
)
from praevention.tables import Table, register_table


def _codes(choices: dict[str, str]) -> str:
    return ", ".join(f"`{c}`" for c in choices)


_PROV = {"source_file": "register file the row came from", "source_row": "row in that file as the user sees it"}

register_table(
    Table(
        "register_bodies",
        "Municipal prevention bodies (councils, advisory boards, security partnerships, the Landespräventionsrat).",
        "register kept by the Ministry of the Interior and Sport; each row with its source URL",
        ("body_id",),
        {
            "body_id": "identifier (derived bodies from measures of the sourced register: SP-<measure>, K-<measure>)",
            "name": "name as in the source",
            "body_type": _codes(BODY_TYPES),
            "level": _codes(LEVELS),
            "ags": "8-digit Gemeinde key, 5-digit Kreis key, or the Land key",
            "founded": "founding date (first day of the period)",
            "founded_precision": "day, month or year",
            "ended": "end date",
            "ended_precision": "day, month or year",
            "relaunched": "relaunch date (Halle: 2023-11-06)",
            "relaunched_precision": "day, month or year",
            "partners": "list of " + _codes(PARTNERS),
            "status": _codes(STATUS),
            "source_url": "source URL(s)",
            "source_date": "date of the source",
            "notes": "notes, including which values were inferred or derived; names, phone numbers and e-mail "
            "addresses replaced by [entfernt]",
            **_PROV,
        },
    )
)
register_table(
    Table(
        "register_measures",
        "Measures of the bodies; measures without a start date or a mappable target are kept and marked not evaluable.",
        "register kept by the Ministry of the Interior and Sport; each row with its source URL",
        ("measure_id",),
        {
            "measure_id": "identifier",
            "body_id": "the body (register_bodies)",
            "title": "title",
            "measure_type": _codes(MEASURE_TYPES) + " (measures of one type are pooled)",
            "domain": _codes(DOMAINS),
            "target": "targets as entered",
            "target_pks_keys": "PKS offence keys aimed at (list)",
            "target_accident_groups": "accident groups aimed at (list of " + _codes(ACCIDENT_GROUPS) + ")",
            "area_type": _codes(AREA_TYPES),
            "area_wkt": "point, line (a stretch of road) or polygon in WKT, EPSG:4326",
            "area_radius_m": "radius around the point in metres (for a line: the corridor's half-width)",
            "area_length_m": "length of the stretch of road around the point, in metres (when no line is drawn)",
            "area_street": "street or crossing as entered (the place for people; coordinates place it on the map)",
            "area_ortsteile": "list of Ortsteile",
            "ags": "unit of the measure (defaults to the body's)",
            "start": "start date",
            "start_precision": "day, month or year",
            "end": "end date",
            "end_precision": "day, month or year",
            "intensity": "intensity as entered (personal data replaced by [entfernt])",
            "budget_eur": "budget in euro (the economic cost of an evidence card)",
            "mechanism": "how the measure is meant to work (MECHANISMS: presence, problem_solving, situational, "
            "awareness, social, enforcement, engineering, networking); empty when not entered",
            "moderators": "for whom and where it is meant to work, as entered",
            "duration": "how long and how often, as entered",
            "partners": "partners involved in the measure (codes as for bodies)",
            "source_url": "source URL(s)",
            "notes": "notes, including derived values; names, phone numbers and e-mail addresses replaced by [entfernt]",
            "evaluable": "false when the start or a mappable target is missing",
            "not_evaluable_reason": "why not (German)",
            **_PROV,
        },
    )
)
