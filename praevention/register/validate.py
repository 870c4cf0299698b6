"""Validate raw register tables: cell by cell (driven by the field declarations in ``schema.py``: one
parser per field *kind*, see :data:`KIND_PARSERS`), then row by row (uniqueness, references, date
order, area), then the finished frames against the pandera schemas.

A row with an error goes to quarantine with its reasons; a row with warnings only is loaded. A measure
without a start or without a usable target is loaded with ``evaluable=False`` and the reason.

Where the intent is clear the value is normalised and the user told so (a warning that carries the
``replacement``): IDs are compared case-insensitively after invisible characters are removed, a measure's
body may be given by its name, list values may be spelled differently ("Landkreis" for "Kreis",
"Praeventionsrat"), and "laufend"/"offen"/"bis heute" in an end date mean "no end yet". Personal data
(:mod:`praevention.privacy`) is removed from every stored text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from praevention.config import DEFAULT_LAND
from praevention.parsing import NumberFormatError, parse_number
from praevention.privacy import KIND_LABELS, REDACTED, redact
from praevention.register.dates import DateError, PreciseDate, parse_date
from praevention.register.geo import Area, AreaError, Boundaries, in_gemeinde, outside, parse_area, where_instead
from praevention.register.messages import INVISIBLE, Problem
from praevention.register.read import RawRow, RawTable, is_formula
from praevention.register.schema import (
    ACCIDENT_GROUPS,
    AGS_LENGTH_FOR_LEVEL,
    ALIASES,
    BODY_COLUMNS,
    DATE_ORDER,
    FIELDS,
    LAND_NAMES,
    LOCATED_TYPES,
    MEASURE_COLUMNS,
    MEASURE_TYPES,
    MECHANISMS,
    TABLES,
    Field,
    schemas,
    suggest_mechanism,
)
from praevention.register.sourced_register import SOURCE_COLUMNS, body_from_real, measures_from_real
from praevention.register.targets import SAFETY_TARGET, Targets, parse_targets

NO_TARGET_REASON = "keine auswertbare Zielgröße (PKS-Schlüssel, Unfallgruppe oder Sicherheitsgefühl)"
NO_START_REASON = "kein Startdatum"
TARGET_CHOICES = (
    "PKS-Schlüssel wie 899000, 435*00, ------, " + ", ".join(ACCIDENT_GROUPS.values()) + f" oder {SAFETY_TARGET}"
)
#: End-date words meaning "still running" (accepted as an empty end, with a hint).
ONGOING = re.compile(
    r"(?:laufend|fortlaufend|andauernd|offen|bis heute|bis dato|noch aktiv|aktiv|unbefristet|bis auf weiteres|"
    r"dauerhaft|ongoing|-|–|/)\.?",
    re.IGNORECASE,
)
#: A name or title that marks a row as outdated.
MARKED_OLD = re.compile(
    r"^\s*(?:alt|old)\b|nicht mehr (?:verwenden|gültig|aktuell|nutzen)|\bveraltet\b|\bobsolet\b|\bungültig\b",
    re.IGNORECASE,
)
EARLIEST_PLAUSIBLE_YEAR = 1990  # the Land and its prevention bodies exist since 1990
FUTURE_YEARS = 10  # a date more years ahead than this gets a hint
CLOSE = 0.85  # difflib ratio from which a spelling variant of a list value is mapped


@dataclass
class Context:
    land: str = DEFAULT_LAND
    known_ags: set[str] | None = None
    boundaries: Boundaries | None = None
    #: folded Gemeinde/Kreis name → [(AGS, name)] from the municipality directory and the boundaries
    directory: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: AGS with a survey in the raw-data folder (None: not known, no hint about surveys)
    survey_ags: set[str] | None = None


@dataclass
class Validated:
    bodies: pd.DataFrame
    measures: pd.DataFrame
    rejects: list[dict] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d.%m.%Y}"
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def fold(text: str) -> str:
    """A spelling-insensitive key: lower case, umlauts spelled out, only letters and digits."""
    low = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^0-9a-z]", "", low)


def id_key(value: object) -> str:
    """How IDs are compared: without invisible characters and surrounding space, case-insensitively."""
    return INVISIBLE.sub("", cell_text(value)).strip().casefold()


class Row:
    """One row being validated: its raw fields, parsed values, notes and problems."""

    def __init__(self, table: RawTable, raw: RawRow, fields: dict[str, object], kind: str, derived: bool = False):
        self.table, self.raw, self.fields, self.kind, self.derived = table, raw, fields, kind, derived
        self.parsed: dict[str, object] = {}
        self.problems: list[Problem] = [] if derived else list(raw.problems)
        self.notes: list[str] = [str(n) for n in fields.get("_notes", []) or []]
        self.comment = False  # a row holding only a comment: nothing else is checked

    @property
    def row_no(self) -> int:
        return self.raw.row_no

    def header(self, name: str) -> str:
        """The column header the user sees for field ``name``."""
        f = next((f for f in TABLES[self.kind] if f.name == name), None)
        if self.table.layout == "real":
            return SOURCE_COLUMNS[self.kind].get(name) or (f.header if f else name)
        return self.table.columns.get(name) or (f.header if f else name)

    def problem(self, code: str, name: str = "", value: object = "", replacement: object = None, **params) -> None:
        column = self.header(name) if name else ""
        self.problems.append(
            Problem(
                code,
                self.table.sheet,
                self.row_no,
                column,
                cell_text(value),
                dict(params),
                self.table.file_name,
                replacement,
            )
        )

    @property
    def has_error(self) -> bool:
        return any(p.is_error for p in self.problems)

    def errors(self, lang: str, sep: str = "; ") -> str:
        """The row's errors in ``lang``, each once."""
        reasons = [
            f"[{p.column}] {p.text(lang)[0]}" if p.column else p.text(lang)[0] for p in self.problems if p.is_error
        ]
        return sep.join(dict.fromkeys(reasons))

    def reason(self) -> str:
        return self.errors("en")

    def raw_text(self) -> str:
        """The row as the user entered it, for the quarantine (personal columns were dropped when read,
        personal data inside the cells is removed)."""
        text = "; ".join(f"{k}={cell_text(v)}" for k, v in self.raw.values.items() if cell_text(v))
        return redact(text)[0][:1000]


# ---------------------------------------------------------------- one parser per field kind
def _candidates(f: Field) -> dict[str, str]:
    """Every accepted spelling of ``f``'s values (lower case) → code."""
    out = {code.lower(): code for code in f.choices}
    out.update({label.lower(): code for code, label in f.choices.items()})
    out.update(ALIASES.get(f.aliases, {}) if f.aliases else {})
    return out


def _choice(f: Field, text: str) -> tuple[str | None, bool, list[str]]:
    """``(code, mapped, suggestions)``: the code of ``text``; ``mapped`` when it was neither a code nor a label
    but an alias or an unambiguous spelling variant; else ``None`` and the closest labels."""
    low = " ".join(text.lower().split())
    exact = {code.lower(): code for code in f.choices} | {label.lower(): code for code, label in f.choices.items()}
    if low in exact:
        return exact[low], False, []
    candidates = _candidates(f)
    if low in candidates:
        return candidates[low], True, []
    folded: dict[str, set[str]] = {}
    for spelling, code in candidates.items():
        folded.setdefault(fold(spelling), set()).add(code)
    key = fold(low)
    codes = folded.get(key) or set().union(*(folded[m] for m in difflib.get_close_matches(key, folded, 3, CLOSE)))
    if len(codes) == 1:
        return next(iter(codes)), True, []
    near = difflib.get_close_matches(key, folded, 3, 0.6)
    return None, False, list(dict.fromkeys(f.choices[c] for m in near for c in sorted(folded[m])))


def _maybe(suggestions: list[str]) -> tuple[str, str]:
    if not suggestions:
        return ("", "")
    shown = ", ".join(f"'{s}'" for s in suggestions)
    return (f" (gemeint vielleicht {shown}?)", f" (perhaps {shown}?)")


def _coded(row: Row, f: Field, text: str) -> str | None:
    cleaned, kinds = redact(text)
    if kinds and not cleaned.replace(REDACTED, "").strip(" ,;/-"):  # only a phone number or an address
        row.problem("personal_text", f.name, "", detail=", ".join(KIND_LABELS[k] for k in kinds))
        return None
    code, mapped, suggestions = _choice(f, text)
    if code is None:
        row.problem(
            "unknown_choice", f.name, text, detail=text, choices=", ".join(f.choices.values()), hint=_maybe(suggestions)
        )
    elif mapped:
        row.problem("value_mapped", f.name, text, f.choices[code], detail=text)
    return code


def _parse_text(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    cleaned, kinds = redact(text)
    if kinds:
        labels = ", ".join(KIND_LABELS[k] for k in kinds)
        row.problem("personal_text", f.name, "", detail=labels)
    return cleaned


def _parse_enum(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    return _coded(row, f, text)


def _parse_multi_enum(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    codes = []
    for part in re.split(r"[;,\n/]", text):
        part = part.strip()
        if part:
            code = _coded(row, f, part)
            if code is not None:
                codes.append(code)
    return list(dict.fromkeys(codes))


def _ags_of_name(text: str, ctx: Context) -> list[tuple[str, str]]:
    """Entries of the municipality directory that ``text`` names ("Halle (Saale)", "Landkreis Harz")."""
    key = fold(re.sub(r"(?i)^(?:stadt|gemeinde|hansestadt|landkreis|kreis)\s+", "", text))
    return sorted(set(ctx.directory.get(key, [])))


def _parse_ags(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    if isinstance(raw, float) and not raw.is_integer():
        row.problem("bad_ags", f.name, raw, detail=("keine ganze Zahl", "not a whole number"))
        return None
    digits = re.sub(r"\s+", "", text)
    if digits.endswith(".0") and digits[:-2].isdigit():
        digits = digits[:-2]
    if not (digits.isascii() and digits.isdigit()):
        named = _ags_of_name(text, ctx) if re.search(r"[A-Za-zÄÖÜäöüß]{3}", text) else []
        length = AGS_LENGTH_FOR_LEVEL.get(str(row.parsed.get("level")))
        named = [n for n in named if len(n[0]) == length] or named
        if named:
            suggestion = " oder ".join(f"{ags} ({name})" for ags, name in named)
            replacement = named[0][0] if len(named) == 1 else None
            row.problem("ags_is_name", f.name, raw, replacement, detail=text, suggestion=suggestion)
        else:
            row.problem("bad_ags", f.name, raw, detail=("nur Ziffern erlaubt", "digits only"))
        return None
    fixed = digits
    if len(digits) in (1, 4, 7):
        fixed = digits.zfill(len(digits) + 1)
        row.problem("ags_zero_lost", f.name, raw, fixed, detail=f"{digits} → {fixed}")
    if len(fixed) not in (2, 5, 8):
        row.problem("bad_ags", f.name, raw, detail=(f"{len(fixed)} Ziffern", f"{len(fixed)} digits"))
        return None
    if not fixed.startswith(ctx.land):
        row.problem("ags_not_land", f.name, raw, land=ctx.land, land_name=LAND_NAMES.get(ctx.land, ctx.land))
        return None
    if len(fixed) == 2 and fixed != ctx.land:
        row.problem("bad_ags", f.name, raw, detail=("2 Ziffern nur für das Land", "2 digits only for the Land"))
        return None
    if ctx.known_ags is not None and len(fixed) in (5, 8) and fixed not in ctx.known_ags:
        row.problem("ags_unknown", f.name, raw)
        return None
    return fixed


def _parse_date(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    if f.name in ("ended", "end") and isinstance(raw, str) and ONGOING.fullmatch(text.strip()):
        row.problem("ongoing_end", f.name, raw, "", detail=text)
        return None
    try:
        d = parse_date(raw if not isinstance(raw, str) else text)
    except DateError as exc:
        row.problem("bad_date", f.name, raw, detail=(exc.de, exc.en))
        return None
    if d is None:
        return None
    if d.approximate:
        row.problem("approximate_date", f.name, raw)
        row.notes.append(f"{row.header(f.name)} ungefähr: '{text}' (gespeichert als Jahr {d.value.year})")
    if d.value.year > dt.date.today().year + FUTURE_YEARS:
        row.problem("year_far_future", f.name, raw, detail=str(d.value.year))
    elif d.value.year < EARLIEST_PLAUSIBLE_YEAR:
        row.problem(
            "year_long_past", f.name, raw, detail=str(d.value.year), land_name=LAND_NAMES.get(ctx.land, ctx.land)
        )
    return d


def _parse_number(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    if isinstance(raw, bool):
        row.problem("bad_number", f.name, raw, detail=text)
        return None
    try:
        value = (
            float(raw) if isinstance(raw, int | float) else parse_number(re.sub(r"(?i)\s*(€|eur|euro|m)\s*$", "", text))
        )
    except (NumberFormatError, ValueError):
        row.problem("bad_number", f.name, raw, detail=text)
        return None
    if value is None:  # "-": nothing entered
        return None
    if math.isnan(value) or math.isinf(value):
        row.problem("bad_number", f.name, raw, detail=text)
        return None
    if f.minimum is not None and value < f.minimum:
        row.problem("negative", f.name, raw)
        return None
    if f.positive and value <= 0:
        row.problem("not_positive", f.name, raw)
        return None
    return value


def _parse_url(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    cleaned = _parse_text(row, f, raw, text, ctx)
    if not re.match(r"https?://\S+", cleaned):
        row.problem("bad_url", f.name, cleaned)
    return cleaned


def _parse_target(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    targets = parse_targets(text)
    for code, item in targets.issues:
        row.problem(code, f.name, item, detail=item, choices=TARGET_CHOICES)
    return targets


def _parse_area(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    try:
        area = parse_area(text)
    except AreaError as exc:
        row.problem("bad_area", f.name, text, detail=(exc.de, exc.en))
        return None
    if area.geometry is not None:
        why = outside(area.geometry, ctx.land, ctx.boundaries)
        if why is not None:
            row.problem("outside_land", f.name, text, detail=why, land_name=LAND_NAMES.get(ctx.land, ctx.land))
            return None
    return area


def _parse_id(row: Row, f: Field, raw: object, text: str, ctx: Context) -> object:
    return text


KIND_PARSERS: dict[str, Callable[[Row, Field, object, str, Context], object]] = {
    "id": _parse_id,
    "ref": _parse_id,
    "text": _parse_text,
    "enum": _parse_enum,
    "multi_enum": _parse_multi_enum,
    "ags": _parse_ags,
    "date": _parse_date,
    "number": _parse_number,
    "url": _parse_url,
    "target": _parse_target,
    "area": _parse_area,
}
EMPTY = {"multi_enum": list, "target": Targets}


def _is_comment(row: Row) -> bool:
    """A template row with a single filled cell that is not an ID: a note typed into the register."""
    if row.table.layout != "template" or row.derived:
        return False
    filled = [(h, cell_text(v)) for h, v in row.raw.values.items() if INVISIBLE.sub("", cell_text(v)).strip()]
    if len(filled) != 1:
        return False
    header, text = filled[0]
    id_field = "body_id" if row.kind == "bodies" else "measure_id"
    if header == row.table.columns.get(id_field) and not re.search(r"\s", text):
        return False
    row.comment = True
    name = next((f for f, h in row.table.columns.items() if h == header), "")
    row.problem("comment_row", name, text, detail=text)
    return True


def _parse_row(row: Row, ctx: Context) -> None:
    if row.raw.hidden:
        row.problem("hidden_row")
    if _is_comment(row):
        return
    for f in TABLES[row.kind]:
        raw = row.fields.get(f.name)
        if isinstance(raw, str) and INVISIBLE.search(raw):
            cleaned = INVISIBLE.sub("", raw)
            row.problem("invisible_chars", f.name, raw, cell_text(cleaned), detail=cell_text(raw))
            raw = cleaned
        text = cell_text(raw)
        if is_formula(raw):  # reported when read
            row.parsed[f.name] = EMPTY[f.kind]() if f.kind in EMPTY else None
            continue
        if not text:
            if f.required and row.header(f.name) not in row.raw.covered:  # the merged cell is reported
                row.problem("required", f.name)
            row.parsed[f.name] = EMPTY[f.kind]() if f.kind in EMPTY else None
            continue
        row.parsed[f.name] = KIND_PARSERS[f.kind](row, f, raw, text, ctx)
    title = "name" if row.kind == "bodies" else "title"
    old = MARKED_OLD.search(str(row.parsed.get(title) or ""))
    if old and not row.derived:
        row.problem("marked_old", title, row.parsed.get(title), detail=old.group(0).strip())


# ---------------------------------------------------------------- rows across the table
def _unique(rows: list[Row], kind: str) -> None:
    for f in TABLES[kind]:
        if not f.unique:
            continue
        seen: dict[object, Row] = {}
        for row in rows:
            value = row.parsed.get(f.name)
            if value is None:
                continue
            key = id_key(value) if f.kind == "id" else value
            if key in seen:
                other = seen[key]
                where = other.row_no if other.table is row.table else f"{other.table.sheet} {other.row_no}"
                row.problem("duplicate_id", f.name, value, other=where)
            else:
                seen[key] = row


def _date_order(row: Row) -> None:
    for earlier, later, _header in DATE_ORDER[row.kind]:
        s, e = row.parsed.get(earlier), row.parsed.get(later)
        if isinstance(s, PreciseDate) and isinstance(e, PreciseDate) and e.value < s.value:
            code = "relaunch_before_founded" if later == "relaunched" else "end_before_start"
            row.problem(code, later, e.value, detail=f"{e.value:%d.%m.%Y} < {s.value:%d.%m.%Y}")


def _check_body(row: Row) -> None:
    level, ags = row.parsed.get("level"), row.parsed.get("ags")
    if level in AGS_LENGTH_FOR_LEVEL and isinstance(ags, str) and len(ags) != AGS_LENGTH_FOR_LEVEL[level]:
        row.problem("ags_level", "ags", ags, level=level)
    _date_order(row)


class BodyIndex:
    """The bodies a measure can refer to: by ID (case-insensitive, without invisible characters) or by name."""

    def __init__(self, rows: list[Row]):
        self.by_id: dict[str, Row] = {}
        self.by_name: dict[str, list[Row]] = {}
        for r in rows:  # a good body wins over a quarantined duplicate of its ID
            key = id_key(r.parsed.get("body_id"))
            if key and (key not in self.by_id or (self.by_id[key].has_error and not r.has_error)):
                self.by_id[key] = r
            name = " ".join(str(r.parsed.get("name") or "").split()).casefold()
            if name:
                self.by_name.setdefault(name, []).append(r)

    def resolve(self, row: Row, ref: str) -> Row | None:
        """The body ``ref`` means, or ``None`` with the problem recorded on ``row``."""
        body = self.by_id.get(id_key(ref))
        if body is None:
            named = self.by_name.get(" ".join(ref.split()).casefold(), [])
            if len(named) == 1:
                body = named[0]
                if not body.has_error:
                    row.problem("body_by_name", "body_id", ref, body.parsed["body_id"], detail=ref)
        if body is None:
            row.problem("unknown_body", "body_id", ref, detail=ref, hint=_maybe(self.suggest(ref)))
            return None
        if body.has_error:
            row.problem(
                "body_rejected",
                "body_id",
                ref,
                detail=body.parsed.get("body_id") or ref,
                where=body.table.sheet,
                other=body.row_no,
                reason=(body.errors("de", " "), body.errors("en", " ")),
            )
            return None
        canonical = str(body.parsed["body_id"])
        if canonical != ref and id_key(ref) == id_key(canonical):
            row.problem("id_spelling", "body_id", ref, canonical, detail=ref)
        return body

    def suggest(self, ref: str) -> list[str]:
        ids = {str(r.parsed.get("body_id")): r for r in self.by_id.values() if not r.has_error}
        names = {str(r.parsed.get("name")): r for r in ids.values()}
        near = difflib.get_close_matches(ref, list(ids), 2, 0.6) or [
            str(names[n].parsed["body_id"]) for n in difflib.get_close_matches(ref, list(names), 2, 0.6)
        ]
        return [f"{i} {ids[i].parsed.get('name')}" for i in near]


def _check_measure(row: Row, bodies: BodyIndex, ctx: Context, own_body_failed: bool = False) -> None:
    ref = row.parsed.get("body_id")
    body = None
    if ref is not None and not own_body_failed:
        body = bodies.resolve(row, str(ref))
        if body is not None:
            row.parsed["body_id"] = body.parsed["body_id"]
    _date_order(row)
    if row.parsed.get("ags") is None and "ags" not in _failed(row) and body is not None:
        row.parsed["ags"] = body.parsed.get("ags")
    _check_area(row, ctx)
    targets = row.parsed.get("target") or Targets()
    reasons = []
    if row.parsed.get("start") is None and "start" not in _failed(row):
        reasons.append(NO_START_REASON)
    if targets.empty:
        reasons.append(row.fields.get("_target_reason") or NO_TARGET_REASON)
    ags = row.parsed.get("ags")
    if targets.safety and ctx.survey_ags is not None and isinstance(ags, str) and ags not in ctx.survey_ags:
        row.problem("no_survey", "target", cell_text(row.fields.get("target")), detail=ags)
    row.parsed["_reason"] = "; ".join(str(r) for r in reasons) or None
    if reasons and not row.has_error:
        name = "start" if NO_START_REASON in reasons else "target"
        row.problem("not_evaluable", name, "", detail=row.parsed["_reason"])
    if not reasons and not row.has_error and row.parsed.get("mechanism") is None and "mechanism" not in _failed(row):
        _evidence_hint(row)


def _evidence_hint(row: Row) -> None:
    """A hint on an evaluable measure without a mechanism: the one its type and title suggest, and the other
    fields of an evidence card (EMMIE) that are still empty."""
    text = f"{row.parsed.get('measure_type') or ''} {cell_text(row.fields.get('measure_type'))} {row.parsed.get('title') or ''}"
    code = suggest_mechanism(text)
    missing = [
        FIELDS["measures"][f].header
        for f in ("moderators", "intensity", "duration", "partners", "budget_eur")
        if not row.parsed.get(f)
    ]
    row.problem(
        "evidence_missing",
        "mechanism",
        "",
        suggestion=(f" (Vorschlag: {MECHANISMS[code]})", f" (suggested: {MECHANISMS[code]})") if code else "",
        other=", ".join(missing) or "–",
    )


def _failed(row: Row) -> set[str]:
    """Fields whose cell had an error (compared by header)."""
    headers = {p.column for p in row.problems if p.is_error}
    return {f.name for f in TABLES[row.kind] if row.header(f.name) in headers}


def _check_area(row: Row, ctx: Context) -> None:
    area: Area | None = row.parsed.get("area")  # type: ignore[assignment]
    area_type = row.parsed.get("area_type")
    street = row.parsed.get("area_street")
    if "area" in _failed(row) or "area_type" in _failed(row):
        row.parsed["area_type"] = area_type or "municipality"
        return
    expected = {"point": "point_radius", "polygon": "polygon", "ortsteile": "ortsteile", "line": "segment"}
    if area is None:
        if area_type in ("point_radius", "polygon", "ortsteile", "segment") or (area_type == "street" and not street):
            row.problem(
                "area_mismatch", "area", "", detail=(f"{area_type} ohne Gebiet", f"{area_type} without an area")
            )
        row.parsed["area_type"] = area_type or ("street" if street else "municipality")
    elif area_type == "municipality":
        row.problem("area_ignored", "area", area.wkt or "; ".join(area.names))
        row.parsed["area"] = None
    elif area_type not in (None, "street") and area_type != expected[area.kind]:
        row.problem("area_mismatch", "area_type", area_type, detail=f"{area_type} ≠ {area.kind}")
    else:  # a street with coordinates: the coordinates are the place
        row.parsed["area_type"] = expected[area.kind]
    placed = row.parsed.get("area_type")
    radius, length = row.parsed.get("area_radius_m"), row.parsed.get("area_length_m")
    unsized = placed == "point_radius" and area is not None and radius is None and length is None
    if unsized and not {"area_radius_m", "area_length_m"} & _failed(row):
        row.problem("radius_missing", "area_radius_m")
    if radius is not None and placed not in ("point_radius", "segment"):
        row.parsed["area_radius_m"] = None  # a radius means something around a point or along a line only
    if length is not None and placed != "point_radius":
        row.parsed["area_length_m"] = None  # a line has its own length
    _check_place(row, ctx, area)


def _check_place(row: Row, ctx: Context, area: Area | None) -> None:
    """A place outside the measure's Gemeinde (with where it lies instead), and a road-safety measure that
    acts at a place without one."""
    ags = row.parsed.get("ags")
    geom = area.geometry if area is not None else None
    if geom is not None and isinstance(ags, str) and len(ags) == 8 and not in_gemeinde(geom, ags, ctx.boundaries):
        instead = where_instead(geom, ags, ctx.boundaries)  # type: ignore[arg-type]
        names = {a: n for entries in ctx.directory.values() for a, n in entries}
        found = f"{names.get(instead.ags, instead.ags)} ({instead.ags})" if instead.ags else ""
        km = f"{instead.metres / 1000:.1f}".replace(".", ",")
        elsewhere = (f", sondern etwa {km} km entfernt", f" but about {instead.metres / 1000:.1f} km away") + (
            (f" in {found}", f" in {found}") if found else ("", "")
        )
        elsewhere = (elsewhere[0] + elsewhere[2], elsewhere[1] + elsewhere[3])
        if instead.swapped:
            c = geom.centroid
            suggestion = (
                f"Länge und Breite sind vertauscht: 'POINT ({c.y:.5f} {c.x:.5f})' eintragen (erst Länge, dann Breite).",
                f"Longitude and latitude are swapped: enter 'POINT ({c.y:.5f} {c.x:.5f})' (longitude first).",
            )
        elif instead.ags:
            suggestion = (
                f"Liegt die Maßnahme dort, den Gemeindeschlüssel {instead.ags} eintragen; sonst die Koordinaten prüfen.",
                f"If the measure lies there, enter the key {instead.ags}; else check the coordinates.",
            )
        else:
            suggestion = (
                "Koordinaten prüfen (erst Länge, dann Breite, Dezimalpunkt).",
                "Check the coordinates (longitude first, then latitude, decimal point).",
            )
        row.problem("point_not_in_ags", "area", area.wkt, detail=ags, elsewhere=elsewhere, suggestion=suggestion)
    measure_type = row.parsed.get("measure_type")
    if measure_type in LOCATED_TYPES and row.parsed.get("area_type") not in ("point_radius", "polygon", "segment"):
        street = row.parsed.get("area_street")
        hint = (
            (f" (angegeben ist nur die Straße '{street}')", f" (only the street '{street}' is given)")
            if street
            else ("", "")
        )
        row.problem("location_missing", "area", "", detail=MEASURE_TYPES[measure_type], hint=hint)


# ---------------------------------------------------------------- frames
def _date_cols(row: Row, name: str) -> dict[str, object]:
    d = row.parsed.get(name)
    if not isinstance(d, PreciseDate):
        return {name: None, f"{name}_precision": None}
    return {name: d.value, f"{name}_precision": d.precision}


def _notes(row: Row) -> str | None:
    own = row.parsed.get("notes")
    parts = [str(own)] if own else []
    parts += row.notes
    return redact("; ".join(dict.fromkeys(parts)))[0] or None


def _body_record(r: Row) -> dict[str, object]:
    p = r.parsed
    return {
        "body_id": p["body_id"],
        "name": p["name"],
        "body_type": p["body_type"],
        "level": p["level"],
        "ags": p["ags"],
        **_date_cols(r, "founded"),
        **_date_cols(r, "ended"),
        **_date_cols(r, "relaunched"),
        "partners": list(p.get("partners") or []),
        "status": p.get("status"),
        "source_url": p.get("source_url"),
        "source_date": p.get("source_date"),
        "notes": _notes(r),
        "source_file": r.table.source_file,
        "source_row": r.row_no,
    }


def _measure_record(r: Row) -> dict[str, object]:
    p = r.parsed
    targets: Targets = p.get("target") or Targets()  # type: ignore[assignment]
    area: Area | None = p.get("area")  # type: ignore[assignment]
    target_text = cell_text(r.fields.get("target"))
    return {
        "measure_id": p["measure_id"],
        "body_id": p["body_id"],
        "title": p["title"],
        "measure_type": p.get("measure_type"),
        "domain": p["domain"],
        "target": redact(target_text)[0] or None,
        "target_pks_keys": list(targets.pks_keys),
        "target_accident_groups": list(targets.accident_groups),
        "area_type": p["area_type"],
        "area_wkt": area.wkt if area is not None else None,
        "area_radius_m": p.get("area_radius_m"),
        "area_length_m": p.get("area_length_m"),
        "area_street": p.get("area_street"),
        "area_ortsteile": list(area.names) if area is not None else [],
        "ags": p.get("ags"),
        **_date_cols(r, "start"),
        **_date_cols(r, "end"),
        "intensity": p.get("intensity"),
        "budget_eur": p.get("budget_eur"),
        "mechanism": p.get("mechanism"),
        "moderators": p.get("moderators"),
        "duration": p.get("duration"),
        "partners": list(p.get("partners") or []),
        "source_url": p.get("source_url"),
        "notes": _notes(r),
        "evaluable": p.get("_reason") is None,
        "not_evaluable_reason": p.get("_reason"),
        "source_file": r.table.source_file,
        "source_row": r.row_no,
    }


def frame(records: list[dict[str, object]], kind: str) -> pd.DataFrame:
    """Records → the frame with the fixed columns and dtypes (also for zero rows)."""
    columns = BODY_COLUMNS if kind == "bodies" else MEASURE_COLUMNS
    out = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    out = out.astype(object)
    out = out.where(out.notna(), None) if len(out) else out
    out["source_row"] = out["source_row"].astype("int64")
    if kind == "measures":
        for c in ("area_radius_m", "area_length_m", "budget_eur"):
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
        out["evaluable"] = out["evaluable"].astype(bool)
    return out.reset_index(drop=True)


def _schema_check(rows: list[Row], kind: str) -> pd.DataFrame:
    """The frame of the good rows; rows the pandera schema rejects get a ``schema`` problem and drop out."""
    import pandera.errors

    schema = schemas()[0 if kind == "bodies" else 1]
    record = _body_record if kind == "bodies" else _measure_record
    good = [r for r in rows if not r.has_error]
    df = frame([record(r) for r in good], kind)
    try:
        schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        bad_index = cases["index"].dropna()
        if len(bad_index) < len(cases):  # a column-level failure is a bug here, not bad input
            raise
        for i in sorted({int(x) for x in bad_index}):
            failed = cases[cases["index"] == i]
            detail = ", ".join(f"{c}: {chk}" for c, chk in zip(failed["column"], failed["check"], strict=True))
            good[i].problem("schema", "", "", detail=detail)
        df = frame([record(r) for r in good if not r.has_error], kind)
    return df


# ---------------------------------------------------------------- all tables
def _rows(tables: list[RawTable]) -> tuple[list[Row], list[Row], dict[int, list[Row]]]:
    """Rows of all tables (bodies, measures) and the bodies derived from each real measure row."""
    body_rows: list[Row] = []
    measure_rows: list[Row] = []
    derived: dict[int, list[Row]] = {}
    real_bodies: list[dict[str, object]] = []
    for t in (t for t in tables if t.table == "bodies"):
        for raw in t.rows:
            if t.layout == "real":
                fields = body_from_real({k: cell_text(v) for k, v in raw.values.items()})
                real_bodies.append(fields)
            else:
                fields = {f: raw.values.get(h) for f, h in t.columns.items()}
            body_rows.append(Row(t, raw, fields, "bodies"))
    for t in (t for t in tables if t.table == "measures"):
        if t.layout == "real":
            texts = [{k: cell_text(v) for k, v in raw.values.items()} for raw in t.rows]
            for raw, (fields, body) in zip(t.rows, measures_from_real(texts, real_bodies), strict=True):
                row = Row(t, raw, fields, "measures")
                measure_rows.append(row)
                if body is not None:
                    derived[id(row)] = [Row(t, raw, body, "bodies", derived=True)]
        else:
            for raw in t.rows:
                fields = {f: raw.values.get(h) for f, h in t.columns.items()}
                measure_rows.append(Row(t, raw, fields, "measures"))
    return body_rows, measure_rows, derived


def validate(tables: list[RawTable], ctx: Context | None = None) -> Validated:
    """Parse, check and type every row of every table; bodies first, so that measures can refer to them."""
    ctx = ctx or Context()
    body_rows, measure_rows, derived = _rows(tables)
    derived_rows = [b for m in measure_rows for b in derived.get(id(m), [])]
    for row in body_rows + derived_rows + measure_rows:
        _parse_row(row, ctx)
    checked_bodies = [r for r in body_rows + derived_rows if not r.comment]
    checked_measures = [r for r in measure_rows if not r.comment]
    _unique(checked_bodies, "bodies")
    _unique(checked_measures, "measures")
    for row in checked_bodies:
        _check_body(row)
    for m in checked_measures:  # a derived body's errors are the measure's errors
        for b in derived.get(id(m), []):
            if b.has_error:
                m.problems.extend(p for p in b.problems if p.is_error)
    index = BodyIndex(checked_bodies)
    for row in checked_measures:
        own_failed = any(b.has_error for b in derived.get(id(row), []))
        _check_measure(row, index, ctx, own_failed)
    bodies = _schema_check(body_rows + derived_rows, "bodies")
    measures = _schema_check(measure_rows, "measures")
    # a derived body whose measure failed is still loaded (it is a body of the register in its own right)
    problems = [p for r in body_rows + measure_rows for p in r.problems]
    problems += [p for r in derived_rows if not r.has_error for p in r.problems]
    rejects = [
        {
            "source_file": r.table.source_file,
            "line": r.row_no,
            "field": next((p.column for p in r.problems if p.is_error and p.column), None),
            "raw": r.raw_text(),
            "reason": r.reason(),
        }
        for r in body_rows + measure_rows
        if r.has_error
    ]
    return Validated(bodies, measures, rejects, _log(tables, body_rows + measure_rows, derived_rows), problems)


def _log(tables: list[RawTable], rows: list[Row], derived_rows: list[Row]) -> list[dict]:
    """One entry per file: rows read = loaded + quarantined (worked examples and derived bodies aside)."""
    out: dict[str, dict] = {}
    for t in tables:
        entry = out.setdefault(
            t.source_file,
            {"source_file": t.source_file, "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0, "notes": []},
        )
        mine = [r for r in rows if r.table is t]
        bad = sum(r.has_error for r in mine)
        entry["rows_read"] += len(mine)
        entry["rows_loaded"] += len(mine) - bad
        entry["rows_quarantined"] += bad
        part = f"{t.sheet}: {len(mine)} {'bodies' if t.table == 'bodies' else 'measures'}"
        if t.examples:
            part += f", {t.examples} example row(s) skipped"
        made = sum(1 for r in derived_rows if r.table is t and not r.has_error)
        if made:
            part += f", {made} bodies derived"
        entry["notes"].append(part)
    return [{**{k: v for k, v in e.items() if k != "notes"}, "note": "; ".join(e["notes"])} for e in out.values()]
