"""The sourced register in ``councils/`` (compiled from public web pages) → the register schema.

The two files (``praeventionsgremien_sachsen_anhalt.csv``: bodies, recognised by the column
``gremium_type``; ``sicherheitspartnerschaften_massnahmen_sachsen_anhalt.csv``: measures, recognised by
``measure_as_in_source``) describe bodies and measures in their own words. The rules below turn each
row into the fields a register row holds (as text, exactly as a user would type them into the template);
the result is then validated like any other register row. Every derived value is said so in ``notes``,
next to the file's own ``inferred_or_derived_fields``. ``docs/register.md`` lists the same rules.

Bodies
    * ``body_type`` from ``gremium_type`` (:data:`BODY_TYPE_RULES`, first match): Landespräventionsrat;
      "…Beirat" → Beirat; "Präventionsrat", "kriminalpräventiver Rat" → Präventionsrat;
      "Sicherheitspartnerschaft"; anything else ("kommunaler Sicherheitsrat", "Runder Tisch …") → other.
    * ``level``/``ags``: "Land" → Land, AGS ``15``; "Landkreis…" → Kreis with ``ags_kreis``; "kreisfreie
      Stadt" and "Gemeinde" → Gemeinde with the 8-digit ``ags_gemeinde``.
    * ``founded`` as in the source ("ca. 1997" → 1997, precision year, approximate → noted).
    * ``relaunched``: the latest ISO date in ``other_dates`` whose text calls it a relaunch
      (:data:`RELAUNCH_WORDS`); ``other_dates`` itself is kept in ``notes``.
    * ``status``: active when ``status_as_in_source`` says the body exists, meets or was revived
      (:data:`ACTIVE_WORDS`), else unknown. ``partners`` stay empty: the file names none.
Measures
    * ``body_id``: the register body of the same Gemeinde (``ags_gemeinde``); Land-wide measures
      (``level`` "Land") → the Land's body (G01 Landespräventionsrat). Where the town has no body, a
      body is derived: city–police agreements and partnerships (:data:`PARTNERSHIP`) → ``SP-<measure id>``
      of type Sicherheitspartnerschaft, which later measures in that town join; anything else
      → ``K-<measure id>`` of type other, named after the measure ("Beteiligte an „…“ (Ort)").
      Partnerships are assigned first and in id order, so the result does not depend on the row order.
    * ``ags`` (unit): ``15`` for Land, the Gemeinde key, else the Kreis key. Several Gemeinden
      ("15085040; 15085145") → the Kreis is the unit; the Gemeinden are named in ``notes``.
    * ``domain``: traffic for ``T…`` ids or a type mentioning Verkehr; a crime measure whose
      ``status_or_end``/``notes`` mention accidents or traffic safety → both.
    * ``target``: :func:`derive_target` (:data:`TRAFFIC_RULES`, :data:`CRIME_RULES`, :data:`PRESENCE`).
    * ``measure_type`` (:data:`TYPE_RULES`), ``start`` from ``start_date``; ``area_type`` municipality.
"""

from __future__ import annotations

import re

from praevention.register.schema import LSA

REAL_MARKERS = {"bodies": "gremium_type", "measures": "measure_as_in_source"}
REAL_REQUIRED = {
    "bodies": ("id", "name_as_in_source", "gremium_type", "level"),
    "measures": ("id", "measure_as_in_source", "measure_type", "level"),
}
#: The source column a derived field comes from (shown as 'Spalte' in problems).
SOURCE_COLUMNS = {
    "bodies": {
        "body_id": "id",
        "name": "name_as_in_source",
        "body_type": "gremium_type",
        "level": "level",
        "ags": "ags_gemeinde",
        "founded": "founded",
        "relaunched": "other_dates",
        "status": "status_as_in_source",
        "source_url": "source_url",
        "source_date": "source_date",
        "notes": "notes",
    },
    "measures": {
        "measure_id": "id",
        "body_id": "id",
        "title": "measure_as_in_source",
        "measure_type": "measure_type",
        "domain": "measure_type",
        "target": "measure_type",
        "ags": "ags_gemeinde",
        "start": "start_date",
        "source_url": "source_url",
        "notes": "notes",
    },
}

BODY_TYPE_RULES = [
    (r"landespräventionsrat", "Landespräventionsrat"),
    (r"beirat", "Beirat"),
    (r"präventionsrat|präventiver rat", "Präventionsrat"),
    (r"sicherheitspartnerschaft", "Sicherheitspartnerschaft"),
]
ACTIVE_WORDS = r"aktiv|besteht|neustart|konstitu|wiederbelebt|erste sitzung|ins leben gerufen"
RELAUNCH_WORDS = r"neu aufgestellt|neuaufstellung|neustart|wiederbelebt|revival|relaunch|neu gegründet"
PARTNERSHIP = r"sicherheitspartnerschaft|kooperation|partnerschaft"
#: ID prefix of a body derived from a single measure in a town without a body ("Beteiligte an „…“"): a
#: placeholder for whoever carries the measure, with no founding of its own to evaluate
PLACEHOLDER_PREFIX = "K-"
TYPE_RULES = [  # (pattern on measure_type, else on the title; measure_type code); first match wins
    (r"befragung|survey", "Befragung"),
    (r"verkehr", "Verkehrsprävention"),
    (r"landesrahmen|landeskampagne|online-verzeichnis", "Landesprogramm"),
    (PARTNERSHIP, "Sicherheitspartnerschaft"),
    (r"streife|präsenz|\brbb\b|kontaktbeamte", "Streifen"),
    (r"projekt|ehrenamt", "Präventionsprojekt"),
]
#: No countable target: (pattern, reason the measure is not evaluable). Checked first.
NO_TARGET_RULES = [
    (r"befragung|survey", "Befragung, keine Fallzahl-Zielgröße"),
    (r"kompakt|präventionsatlas|online-verzeichnis", "Kampagne/Verzeichnis, keine Fallzahl-Zielgröße"),
]
#: Traffic measures: (pattern, accident group as typed in the template); first match wins.
TRAFFIC_RULES = [
    (r"kinder|schulweg|schüler", "Kinder"),
    (r"radfahr|menschaufmrad", "Radfahrende"),
    (r"motorrad", "Motorrad"),
    (r"alkohol|drogen|sicher\.mobil", "Alkohol und Drogen"),
    (r"geschwindigkeit|blitzer|speed", "Geschwindigkeit"),
]
#: Crime measures: (pattern, PKS key); every matching rule adds its key.
CRIME_RULES = [
    (r"gewalt|jugendkriminalität", "892000"),  # Gewaltkriminalität
    (r"drogen|rauschgift", "730000"),  # Rauschgiftdelikte (891000 is not published per Kreis)
    (r"einbruch", "435*00"),  # Wohnungseinbruchdiebstahl
    (r"senioren", "510000"),  # Betrug (Trickbetrug an Älteren)
    (r"graffiti", "899500"),  # Sachbeschädigung durch Graffiti
]
#: Crime measures without a topic that put police/Ordnungsamt on the street or bind city and police:
#: all offences and street crime.
PRESENCE = (
    r"sicherheitspartnerschaft|kooperation|partnerschaft|stadtwache|streife|polizeipräsenz|kontaktbeamte|"
    r"regionalbereich|\brbb\b",
    "------; 899000",
)
#: A crime measure with a traffic component (in ``status_or_end``/``notes``): (pattern, accident group).
TRAFFIC_COMPONENT = [
    (r"unfall|verkehrssicherheit", "alle Unfälle mit Personenschaden"),
    (r"geschwindigkeit", "Geschwindigkeit"),
]
PARTNER_RULES = [
    (r"polizei|revier|\brbb\b|regionalbereichsbeamt|\bpi\b", "police"),
    (r"stadt|gemeinde|kommune|ordnungsamt|bürgermeister|\bob\b|\bbm\b", "municipality"),
    (r"hochschule|universität", "science"),
    (r"e\. ?v\.|verein|verband|kreissportbund", "clubs"),
    (r"\bschul", "schools"),
    (r"versicherung|adac|sicherheitsdienst", "businesses"),
    (r"kirche", "churches"),
    (r"bürger", "citizens"),
    (r"jugend|kinderschutz", "youth_welfare"),
    (r"ministerium|landkreistag|städte- und gemeindebund|verkehrswacht|unfallkasse", "other"),
]


def is_placeholder_body(body_id: object) -> bool:
    """Whether a body is a placeholder derived from one measure (:data:`PLACEHOLDER_PREFIX`): not a council,
    so its "founding" is no event to evaluate."""
    return str(body_id).startswith(PLACEHOLDER_PREFIX)


def _first(rules: list[tuple[str, str]], text: str, default: str) -> str:
    low = text.lower()
    return next((value for pattern, value in rules if re.search(pattern, low)), default)


def _partners(text: str) -> str:
    low = text.lower()
    return "; ".join(dict.fromkeys(code for pattern, code in PARTNER_RULES if re.search(pattern, low)))


def _urls(text: str) -> str:
    return " ; ".join(dict.fromkeys(u.rstrip(".,;)") for u in re.findall(r"https?://\S+", text or "")))


def _relaunch(other_dates: str) -> str:
    best = ""
    for m in re.finditer(r"(\d{4}-\d{2}-\d{2})([^;]*)", other_dates or ""):
        if re.search(RELAUNCH_WORDS, m.group(2).lower()):
            best = max(best, m.group(1))
    return best


def _source_derived(row: dict[str, str]) -> str:
    fields = row.get("inferred_or_derived_fields", "")
    return f"in der Quelldatei als erschlossen markiert: {fields}" if fields else ""


def derive_target(row: dict[str, str]) -> tuple[str, str, str | None]:
    """``(domain, target text, reason when no target)`` from measure type, title, status and notes."""
    text = f"{row.get('measure_type', '')} {row.get('measure_as_in_source', '')}".lower()
    traffic = row.get("id", "").upper().startswith("T") or "verkehr" in row.get("measure_type", "").lower()
    domain = "traffic" if traffic else "crime"
    for pattern, reason in NO_TARGET_RULES:
        if re.search(pattern, text):
            return domain, "", reason
    if traffic:
        group = _first(TRAFFIC_RULES, text, "")
        return domain, group, None if group else "Verkehrsmaßnahme ohne erkennbare Unfallgruppe"
    keys = [key for pattern, key in CRIME_RULES if re.search(pattern, text)]
    if not keys and re.search(PRESENCE[0], text):
        keys = [PRESENCE[1]]
    context = f"{row.get('status_or_end', '')} {row.get('notes', '')}".lower()
    groups = [group for pattern, group in TRAFFIC_COMPONENT if re.search(pattern, context)]
    if groups:
        domain = "both"
    target = "; ".join(keys + groups)
    return domain, target, None if target else "keine Zielgröße aus Art und Titel ableitbar"


def body_from_real(row: dict[str, str]) -> dict[str, object]:
    """A row of the sourced body file → register fields (text), plus ``_notes``."""
    level_src = (row.get("level") or "").strip().lower()
    if level_src == "land":
        level, ags = "Land", LSA
    elif level_src.startswith("landkreis"):
        level, ags = "Kreis", (row.get("ags_kreis") or "").strip()
    else:
        level, ags = "Gemeinde", (row.get("ags_gemeinde") or row.get("ags_kreis") or "").strip()
    relaunch = _relaunch(row.get("other_dates", ""))
    status_src = (row.get("status_as_in_source") or "").lower()
    notes = [
        f"Art laut Quelle: {row.get('gremium_type', '')}",
        f"Ebene laut Quelle: {row.get('level', '')}" if level_src not in ("land", "gemeinde") else "",
        f"Gründung laut Quelle: {row['founded_basis']}" if row.get("founded_basis") else "",
        f"weitere Daten: {row['other_dates']}" if row.get("other_dates") else "",
        "Neustart abgeleitet aus 'other_dates'" if relaunch else "",
        f"Stand laut Quelle: {row['status_as_in_source']}" if row.get("status_as_in_source") else "",
        row.get("notes", ""),
        _source_derived(row),
    ]
    return {
        "body_id": row.get("id", ""),
        "name": row.get("name_as_in_source", ""),
        "body_type": _first(BODY_TYPE_RULES, row.get("gremium_type", ""), "other"),
        "level": level,
        "ags": ags,
        "founded": row.get("founded") or None,
        "relaunched": relaunch or None,
        "partners": "",
        "status": "active" if re.search(ACTIVE_WORDS, status_src) else "unknown",
        "source_url": _urls(row.get("source_url", "")),
        "source_date": row.get("source_date", ""),
        "_notes": [n for n in notes if n],
    }


def _unit(row: dict[str, str]) -> tuple[str, list[str]]:
    level_src = (row.get("level") or "").strip().lower()
    gemeinden = [a.strip() for a in re.split(r"[;,]", row.get("ags_gemeinde") or "") if a.strip()]
    if level_src == "land":
        return LSA, []
    if len(gemeinden) == 1:
        return gemeinden[0], []
    kreis = (row.get("ags_kreis") or "").strip()
    if len(gemeinden) > 1:
        return kreis, [f"mehrere Gemeinden ({', '.join(gemeinden)}): ausgewertet wird der Kreis {kreis}"]
    return kreis, []


def measures_from_real(
    rows: list[dict[str, str]], bodies: list[dict[str, object]]
) -> list[tuple[dict[str, object], dict[str, object] | None]]:
    """Rows of the sourced measure file → ``(register fields, derived body or None)`` in input order."""
    land_body = next((str(b["body_id"]) for b in bodies if b.get("level") == "Land"), "G01")
    local = {str(b["ags"]): str(b["body_id"]) for b in reversed(bodies) if b.get("level") != "Land" and b.get("ags")}
    units = {id(r): _unit(r) for r in rows}
    assigned: dict[int, tuple[str, dict[str, object] | None]] = {}
    partnerships: dict[str, str] = {}  # ags → derived SP body id

    def text(r: dict[str, str]) -> str:
        return f"{r.get('measure_type', '')} {r.get('measure_as_in_source', '')}".lower()

    ordered = sorted(rows, key=lambda r: r.get("id", ""))
    for r in ordered:  # pass 1: the register's bodies, and derived partnerships
        ags = units[id(r)][0]
        if ags == LSA:
            assigned[id(r)] = (land_body, None)
        elif ags in local:
            assigned[id(r)] = (local[ags], None)
        elif re.search(PARTNERSHIP, text(r)) and ags not in partnerships:
            partnerships[ags] = f"SP-{r.get('id', '')}"
            assigned[id(r)] = (partnerships[ags], _derived_body(r, ags, partnerships[ags], "Sicherheitspartnerschaft"))
    for r in ordered:  # pass 2: the rest joins a partnership of its town, or gets a body of its own
        if id(r) in assigned:
            continue
        ags = units[id(r)][0]
        if ags in partnerships:
            assigned[id(r)] = (partnerships[ags], None)
        else:
            body_id = f"{PLACEHOLDER_PREFIX}{r.get('id', '')}"
            assigned[id(r)] = (body_id, _derived_body(r, ags, body_id, "other"))
    out = []
    for r in rows:
        body_id, derived = assigned[id(r)]
        ags, unit_notes = units[id(r)]
        domain, target, reason = derive_target(r)
        notes = [
            f"Art laut Quelle: {r.get('measure_type', '')}",
            f"Zielgröße abgeleitet aus Art und Titel: {target or '(keine)'} (Regeln: docs/register.md)",
            f"Bereich abgeleitet: {domain}" if domain == "both" else "",
            f"Gremium abgeleitet: {body_id}",
            *unit_notes,
            f"Beginn laut Quelle: {r['start_date_basis']}" if r.get("start_date_basis") else "",
            f"Stand/Ende laut Quelle: {r['status_or_end']}" if r.get("status_or_end") else "",
            f"Orte laut Quelle: {r['municipality']}" if ags == LSA and r.get("municipality") else "",
            r.get("notes", ""),
            _source_derived(r),
        ]
        fields: dict[str, object] = {
            "measure_id": r.get("id", ""),
            "body_id": body_id,
            "title": r.get("measure_as_in_source", ""),
            "measure_type": _first(TYPE_RULES, r.get("measure_type", ""), "")
            or _first(TYPE_RULES, text(r), "Sonstiges"),
            "domain": domain,
            "target": target,
            "area_type": "municipality",
            "ags": ags,
            "start": r.get("start_date") or None,
            "source_url": _urls(r.get("source_url", "")),
            "_notes": [n for n in notes if n],
            "_target_reason": reason,
        }
        out.append((fields, derived))
    return out


def _derived_body(r: dict[str, str], ags: str, body_id: str, body_type: str) -> dict[str, object]:
    place = r.get("municipality") or r.get("kreis_name") or ags
    partnership = body_type == "Sicherheitspartnerschaft"
    title = " ".join(str(r.get("measure_as_in_source", "")).split())
    short = title if len(title) <= 60 else title[:59].rstrip() + "…"
    # named by what it carries, never by a register ID: a body that people can recognise
    name = f"Sicherheitspartnerschaft {place}" if partnership else f"Beteiligte an „{short}“ ({place})"
    return {
        "body_id": body_id,
        "name": name,
        "body_type": body_type,
        "level": "Kreis" if len(ags) == 5 else "Gemeinde",
        "ags": ags,
        "founded": (r.get("start_date") or None) if partnership else None,
        "relaunched": None,
        "partners": _partners(r.get("partners", "")),
        "status": "unknown",
        "source_url": _urls(r.get("source_url", "")),
        "source_date": r.get("source_date", ""),
        "_notes": [
            f"abgeleitet aus Maßnahme {r.get('id', '')}: kein Gremium im Register für diesen Ort"
            + ("; Gründung = Unterzeichnung der Vereinbarung" if partnership else "")
            + "; Partner abgeleitet aus der Spalte 'partners'"
        ],
    }
