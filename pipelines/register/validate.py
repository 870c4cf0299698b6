"""Validate raw register tables field by field (driven by the declarations in ``schema.py``) and row by row.

Each cell is parsed according to its field's kind; a row with an error is quarantined, a row with
warnings loads. The typed frames are finally checked against the pandera schemas.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field

import pandas as pd
import shapely
from shapely import wkt as shapely_wkt

from pipelines.parsing import NumberFormatError, parse_number
from pipelines.register.convert_real import body_from_real, measure_from_real
from pipelines.register.dates import DateError, parse_date
from pipelines.register.messages import Problem
from pipelines.register.read import RawTable, field_for
from pipelines.register.schema import (
    ACCIDENT_GROUPS,
    BODIES_SCHEMA,
    BODY_COLUMNS,
    LAND_BBOX,
    LEVELS,
    MEASURE_COLUMNS,
    MEASURES_SCHEMA,
    OFFENCE_KEY_PATTERN,
    TABLES,
    Field,
)

AGS_LENGTH_FOR_LEVEL = {"Land": 2, "Kreis": 5, "Gemeinde": 8, "Ortsteil": 8}


@dataclass
class Validated:
    bodies: pd.DataFrame
    measures: pd.DataFrame
    rejects: list[dict] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _choice(f: Field, text: str) -> str | None:
    low = text.lower()
    for code, label in f.choices.items():
        if low in (code.lower(), label.lower()):
            return code
    return None


class Row:
    """One row being validated: parsed values plus the problems found in it."""

    def __init__(self, table: RawTable, row_no: int, values: dict[str, object]):
        self.table, self.row_no, self.values = table, row_no, values
        self.parsed: dict[str, object] = {}
        self.problems: list[Problem] = []
        self.blocked = table.bad_rows and row_no in table.bad_rows  # formula or merged cell in this row

    def problem(self, code: str, column: str = "", value: object = "", **params: object) -> None:
        self.problems.append(Problem(code, self.table.sheet, self.row_no, column, _text(value), dict(params)))

    @property
    def has_error(self) -> bool:
        return bool(self.blocked) or any(p.is_error for p in self.problems)

    def error_text(self) -> str:
        reasons = [p.text("en")[0] for p in self.problems if p.is_error]
        if self.blocked:
            reasons.insert(0, "row holds a formula or merged cells")
        return "; ".join(reasons)


def _parse_cell(row: Row, f: Field, raw: object, land: str, known_ags: set[str] | None) -> None:
    text = _text(raw)
    header = f.header
    if not text:
        if f.required:
            row.problem("required", header)
        row.parsed[f.name] = None
        return
    if f.kind in ("id", "ref", "text"):
        row.parsed[f.name] = text
    elif f.kind == "enum":
        code = _choice(f, text)
        if code is None:
            row.problem("unknown_choice", header, raw, choices=", ".join(f.choices.values()))
        row.parsed[f.name] = code
    elif f.kind == "multi_enum":
        codes = []
        for part in re.split(r"[;,\n]", text):
            part = part.strip()
            if not part:
                continue
            code = _choice(f, part)
            if code is None:
                row.problem("unknown_choice", header, part, choices=", ".join(f.choices.values()))
            else:
                codes.append(code)
        row.parsed[f.name] = sorted(set(codes))
    elif f.kind == "ags":
        row.parsed[f.name] = _ags(row, header, raw, text, land, known_ags)
    elif f.kind == "date":
        try:
            d = parse_date(raw)
        except DateError as exc:
            row.problem("bad_date", header, raw, detail=str(exc))
            d = None
        if d is not None and d.approximate:
            row.problem("approximate_date", header, raw)
        row.parsed[f.name] = d
    elif f.kind == "number":
        try:
            value = parse_number(raw)
        except NumberFormatError as exc:
            row.problem("bad_number", header, raw, detail=str(exc))
            value = None
        if value is not None and value < 0:
            row.problem("negative", header, raw)
        row.parsed[f.name] = value
    elif f.kind == "url":
        if not re.match(r"https?://", text):
            row.problem("bad_url", header, raw)
        row.parsed[f.name] = text
    elif f.kind == "target":
        row.parsed[f.name] = _targets(row, header, text)
    elif f.kind == "area":
        row.parsed[f.name] = _area(row, header, text, land)


def _ags(row: Row, header: str, raw: object, text: str, land: str, known: set[str] | None) -> str | None:
    if isinstance(raw, float) and not raw.is_integer():
        row.problem("bad_ags", header, raw, detail="keine ganze Zahl")
        return None
    if not text.isdigit():
        row.problem("bad_ags", header, raw, detail="nur Ziffern erlaubt")
        return None
    fixed = text
    if len(text) in (1, 4, 7):
        fixed = text.zfill(len(text) + 1)
        row.problem("ags_zero_lost", header, raw, detail=f"{text} → {fixed}")
    if len(fixed) not in (2, 5, 8):
        row.problem("bad_ags", header, raw, detail=f"{len(fixed)} Ziffern")
        return None
    if not fixed.startswith(land):
        row.problem("ags_not_land", header, raw, land=land)
        return None
    if known is not None and len(fixed) in (5, 8) and fixed not in known:
        row.problem("ags_unknown", header, raw)
        return None
    return fixed


def _targets(row: Row, header: str, text: str) -> dict[str, list[str]]:
    keys, groups = [], []
    labels = {**{c.lower(): c for c in ACCIDENT_GROUPS}, **{v.lower(): c for c, v in ACCIDENT_GROUPS.items()}}
    for token in re.split(r"[;,\n]", text):
        token = token.strip()
        if not token:
            continue
        first = token.split()[0]
        if re.fullmatch(OFFENCE_KEY_PATTERN, first):
            keys.append(first)
        elif re.fullmatch(r"[0-9*\-]+", first):
            row.problem("bad_key", header, token)
        elif token.lower() in labels:
            groups.append(labels[token.lower()])
        else:
            row.problem("unknown_target", header, token, choices=", ".join(ACCIDENT_GROUPS.values()))
    return {"pks": sorted(set(keys)), "groups": sorted(set(groups))}


def _area(row: Row, header: str, text: str, land: str) -> object:
    if not re.match(r"^\s*(POINT|POLYGON|MULTIPOLYGON|\{)", text, re.IGNORECASE):
        return {"ortsteile": [t.strip() for t in re.split(r"[;\n]", text) if t.strip()]}
    try:
        geom = (
            shapely.from_geojson(json.dumps(_geojson_geometry(text)))
            if text.lstrip().startswith("{")
            else shapely_wkt.loads(text)
        )
    except (shapely.errors.ShapelyError, ValueError, KeyError, TypeError) as exc:
        row.problem("bad_area", header, text, detail=str(exc).splitlines()[0][:80])
        return None
    if geom.is_empty or not geom.is_valid:
        row.problem("bad_area", header, text, detail="leere oder ungültige Geometrie")
        return None
    bbox = LAND_BBOX.get(land)
    if bbox is not None:
        minx, miny, maxx, maxy = geom.bounds
        if minx < bbox[0] or maxx > bbox[2] or miny < bbox[1] or maxy > bbox[3]:
            row.problem("outside_land", header, text)
            return None
    return geom


def _geojson_geometry(text: str) -> dict:
    doc = json.loads(text)
    if doc.get("type") == "Feature":
        return doc["geometry"]
    if doc.get("type") == "FeatureCollection":
        return doc["features"][0]["geometry"]
    return doc


def _raw_line(values: dict[str, object]) -> str:
    """The row as text for the quarantine table; personal columns never reach this point."""
    return "; ".join(f"{k}={_text(v)}" for k, v in values.items() if _text(v))[:1000]


def validate(tables: list[RawTable], land: str = "15", known_ags: set[str] | None = None) -> Validated:
    """Parse, check and type every row of every table; bodies first, so measures can refer to them."""
    problems: list[Problem] = []
    body_rows: list[Row] = []
    measure_rows: list[Row] = []
    derived_bodies: list[Row] = []
    real_bodies: dict[str, dict[str, object]] = {}
    ordered = sorted(tables, key=lambda t: t.table != "bodies")
    for t in ordered:
        for row_no, values in t.rows:
            if t.layout == "real" and t.table == "bodies":
                converted = body_from_real({k: _text(v) for k, v in values.items()})
                real_bodies[str(converted["body_id"])] = converted
                body_rows.append(_validate_row(t, row_no, converted, "bodies", land, known_ags))
            elif t.layout == "real":
                measure, derived = measure_from_real({k: _text(v) for k, v in values.items()}, real_bodies)
                if derived is not None:
                    real_bodies[str(derived["body_id"])] = derived
                    derived_bodies.append(_validate_row(t, row_no, derived, "bodies", land, known_ags))
                measure_rows.append(_validate_row(t, row_no, measure, "measures", land, known_ags))
            else:
                by_field = {}
                for header, value in values.items():
                    name = field_for(header, t.table)
                    if name is None:
                        continue
                    by_field[name] = value
                row = _validate_row(t, row_no, by_field, t.table, land, known_ags)
                (body_rows if t.table == "bodies" else measure_rows).append(row)
        for header in t.header:
            if (
                header
                and t.layout == "template"
                and field_for(header, t.table) is None
                and header not in t.personal_columns
            ):
                problems.append(Problem("unknown_column", t.sheet, 1, header))
        if t.layout == "template":
            present = {field_for(h, t.table) for h in t.header}
            for f in TABLES[t.table]:
                if f.required and f.name not in present:
                    problems.append(
                        Problem(
                            "missing_column",
                            t.sheet,
                            1,
                            f.header,
                            params={"expected": ", ".join(x.header for x in TABLES[t.table] if x.required)},
                        )
                    )
    _duplicates(body_rows, "body_id", "Gremium-ID")
    _duplicates(measure_rows, "measure_id", "Maßnahmen-ID")
    for row in body_rows:
        _check_body(row)
    good_bodies = {r.parsed["body_id"]: r for r in [*body_rows, *derived_bodies] if not r.has_error}
    for row in measure_rows:
        _check_measure(row, good_bodies)
    all_rows = body_rows + derived_bodies + measure_rows
    for row in all_rows:
        problems.extend(row.problems)
    bodies = _body_frame([r for r in body_rows + derived_bodies if not r.has_error])
    measures = _measure_frame([r for r in measure_rows if not r.has_error])
    BODIES_SCHEMA.validate(bodies)
    MEASURES_SCHEMA.validate(measures)
    rejects = [
        {
            "source_file": r.table.source_file,
            "line": r.row_no,
            "field": next((p.column for p in r.problems if p.is_error), None),
            "raw": _raw_line(r.values),
            "reason": r.error_text(),
        }
        for r in body_rows + measure_rows
        if r.has_error
    ]
    log = []
    for t in tables:
        rows = [r for r in body_rows + measure_rows if r.table is t]
        bad = sum(r.has_error for r in rows)
        note = f"{t.examples} example row(s) skipped" if t.examples else ""
        log.append(
            {
                "source_file": f"{t.source_file}" + (f"!{t.sheet}" if t.sheet != t.source_file.split("/")[-1] else ""),
                "rows_read": len(rows),
                "rows_loaded": len(rows) - bad,
                "rows_quarantined": bad,
                "note": note,
            }
        )
    return Validated(bodies, measures, rejects, log, problems)


def _validate_row(
    t: RawTable, row_no: int, values: dict[str, object], table: str, land: str, known: set[str] | None
) -> Row:
    row = Row(t, row_no, values)
    for f in TABLES[table]:
        _parse_cell(row, f, values.get(f.name), land, known)
    return row


def _duplicates(rows: list[Row], key: str, header: str) -> None:
    seen: dict[object, int] = {}
    for row in rows:
        value = row.parsed.get(key)
        if value is None:
            continue
        if value in seen:
            row.problem("duplicate_id", header, value, other=seen[value])
        else:
            seen[value] = row.row_no


def _check_body(row: Row) -> None:
    level, ags = row.parsed.get("level"), row.parsed.get("ags")
    if level in LEVELS and ags is not None and len(ags) != AGS_LENGTH_FOR_LEVEL[level]:
        row.problem("ags_level", "Gemeindeschlüssel", ags, level=level)
    _end_after(row, "founded", "ended", "Aufgelöst")


def _end_after(row: Row, start: str, end: str, header: str) -> None:
    s, e = row.parsed.get(start), row.parsed.get(end)
    if s is not None and e is not None and e.value < s.value:
        row.problem("end_before_start", header, e.value.isoformat(), detail=f"{e.value:%d.%m.%Y} < {s.value:%d.%m.%Y}")


def _check_measure(row: Row, bodies: dict[object, Row]) -> None:
    body = bodies.get(row.parsed.get("body_id"))
    if row.parsed.get("body_id") is not None and body is None:
        row.problem("unknown_body", "Gremium-ID", row.parsed.get("body_id"))
    _end_after(row, "start", "end", "Ende")
    area = row.parsed.get("area")
    area_type = row.parsed.get("area_type")
    if isinstance(area, shapely.Geometry):
        inferred = "point_radius" if area.geom_type == "Point" else "polygon"
        area_type = area_type or inferred
        if inferred == "point_radius" and not row.parsed.get("area_radius_m"):
            row.problem("radius_missing", "Radius (m)")
    elif isinstance(area, dict):
        area_type = area_type or "ortsteile"
    row.parsed["area_type"] = area_type or "municipality"
    if row.parsed.get("ags") is None and body is not None:
        row.parsed["ags"] = body.parsed.get("ags")
    targets = row.parsed.get("target") or {"pks": [], "groups": []}
    start = row.parsed.get("start")
    reasons = []
    if start is None:
        reasons.append("kein Startdatum")
    if not targets["pks"] and not targets["groups"]:
        reasons.append("keine auswertbare Zielgröße (PKS-Schlüssel oder Unfallgruppe)")
    row.parsed["_reason"] = "; ".join(reasons) or None
    if reasons and not row.has_error:
        row.problem("not_evaluable", "Zielgröße" if start is not None else "Beginn", "", detail="; ".join(reasons))


def _date_cols(row: Row, name: str) -> dict[str, object]:
    d = row.parsed.get(name)
    return {name: None if d is None else d.value, f"{name}_precision": None if d is None else d.precision}


def _body_frame(rows: list[Row]) -> pd.DataFrame:
    records = []
    for r in rows:
        p = r.parsed
        records.append(
            {
                "body_id": p["body_id"],
                "name": p["name"],
                "body_type": p["body_type"],
                "level": p["level"],
                "ags": p["ags"],
                **_date_cols(r, "founded"),
                **_date_cols(r, "ended"),
                **_date_cols(r, "relaunched"),
                "partners": p.get("partners") or [],
                "status": p.get("status"),
                "source_url": p.get("source_url"),
                "source_date": p.get("source_date"),
                "notes": p.get("notes"),
                "source_file": r.table.source_file,
                "source_row": r.row_no,
            }
        )
    return _typed(pd.DataFrame.from_records(records, columns=BODY_COLUMNS), ("founded", "ended", "relaunched"))


def _measure_frame(rows: list[Row]) -> pd.DataFrame:
    records = []
    for r in rows:
        p = r.parsed
        targets = p.get("target") or {"pks": [], "groups": []}
        area = p.get("area")
        records.append(
            {
                "measure_id": p["measure_id"],
                "body_id": p["body_id"],
                "title": p["title"],
                "measure_type": p.get("measure_type"),
                "domain": p["domain"],
                "target": _text(r.values.get("target")),
                "target_pks_keys": targets["pks"],
                "target_accident_groups": targets["groups"],
                "area_type": p["area_type"],
                "area_wkt": area.wkt if isinstance(area, shapely.Geometry) else None,
                "area_radius_m": p.get("area_radius_m"),
                "area_ortsteile": area["ortsteile"] if isinstance(area, dict) else [],
                "ags": p.get("ags"),
                **_date_cols(r, "start"),
                **_date_cols(r, "end"),
                "intensity": p.get("intensity"),
                "budget_eur": p.get("budget_eur"),
                "source_url": p.get("source_url"),
                "notes": p.get("notes"),
                "evaluable": p.get("_reason") is None,
                "not_evaluable_reason": p.get("_reason"),
                "source_file": r.table.source_file,
                "source_row": r.row_no,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=MEASURE_COLUMNS)
    frame["budget_eur"] = frame["budget_eur"].astype("float64")
    frame["area_radius_m"] = frame["area_radius_m"].astype("float64")
    frame["evaluable"] = frame["evaluable"].astype(bool)
    return _typed(frame, ("start", "end"))


def _typed(frame: pd.DataFrame, dates: tuple[str, ...]) -> pd.DataFrame:
    for c in dates:
        frame[c] = pd.to_datetime(frame[c]).dt.date.astype(object).where(frame[c].notna(), None)
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame
