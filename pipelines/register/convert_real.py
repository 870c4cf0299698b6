"""The sourced register in ``councils/`` (compiled from public pages) → the register schema.

The two files describe bodies (``gremium_type``…) and measures (``measure_as_in_source``…) in their
own words. The rules below turn them into schema fields; every derived value is said so in ``notes``,
next to the file's own ``inferred_or_derived_fields``.

* Body types: kriminalpräventiver Beirat → Beirat; kommunaler Präventionsrat / kriminalpräventiver Rat →
  Präventionsrat; Landespräventionsrat; Sicherheitsrat and Runder Tisch → other.
* Levels: a kreisfreie Stadt is a Gemeinde (8-digit AGS); "Landkreis…" a Kreis; "Land" the Land (AGS 15).
* Relaunch: the latest date in ``other_dates`` that the text calls a relaunch (neu aufgestellt, Neustart,
  wiederbelebt, revival).
* A measure belongs to the body of its Gemeinde; Land-wide measures to the Landespräventionsrat (G01);
  otherwise a body is derived from the measure: a Sicherheitspartnerschaft (``SP-<id>``) for city–police
  agreements, else a local cooperation (``K-<id>``).
* Targets (:data:`TARGET_RULES`): derived from the measure type and title; surveys and campaigns without a
  countable target stay without one and are therefore not evaluable.
* A measure naming two Gemeinden is evaluated on their Kreis.
"""

from __future__ import annotations

import re

TARGET_RULES: list[tuple[str, str]] = [  # (regex on type + title, targets); first match wins
    (r"befragung|survey", ""),
    (r"kompakt|präventionsatlas|online-verzeichnis", ""),
    (r"kinder|schulweg|schüler", "Kinder"),
    (r"radfahr|menschaufmrad", "Radfahrende"),
    (r"motorrad", "Motorrad"),
    (r"alkohol|drogen.*verkehr|verkehr.*drogen|sicher\.mobil", "Alkohol und Drogen"),
    (r"geschwindigkeit|blitzer|speed", "Geschwindigkeit"),
    (r"jugendgewalt|gewalt gegen|gewalt an|drogen und gewalt|jugendkriminalität", "892000"),
    (r"wohnungseinbruch", "435*00"),
    (r"senioren", "510000"),
    (r"graffiti", "899500"),
    (
        r"sicherheitspartnerschaft|kooperation|stadtwache|streife|polizeipräsenz|regionalbereich|kontaktbeamte|"
        r"runder tisch|sicherheitsrat|präventionsrat|beirat",
        "------; 899000",
    ),
]
TYPE_RULES: list[tuple[str, str]] = [
    (r"befragung|survey", "Befragung"),
    (r"verkehr", "Verkehrsprävention"),
    (r"landesrahmen|landeskampagne|online-verzeichnis", "Landesprogramm"),
    (r"sicherheitspartnerschaft|kooperation", "Sicherheitspartnerschaft"),
    (r"streife|präsenz|rbb|kontaktbeamte", "Streifen"),
    (r"projekt|ehrenamt", "Präventionsprojekt"),
]
BODY_TYPE_RULES = [
    (r"landespräventionsrat", "Landespräventionsrat"),
    (r"beirat", "Beirat"),
    (r"präventionsrat|präventiver rat", "Präventionsrat"),
    (r"sicherheitspartnerschaft", "Sicherheitspartnerschaft"),
]
PARTNER_RULES = [
    (r"polizei|revier|rbb|regionalbereichsbeamt", "police"),
    (r"stadt|gemeinde|kommune|ordnungsamt|bürgermeister|\bob\b", "municipality"),
    (r"hochschule|universität", "science"),
    (r"e\. ?v\.|verein|verband|kreissportbund", "clubs"),
    (r"schul", "schools"),
    (r"versicherung|adac|sicherheitsdienst", "businesses"),
    (r"kirche", "churches"),
    (r"bürger", "citizens"),
    (r"jugend|kinderschutz", "youth_welfare"),
    (r"ministerium|landkreistag|städte- und gemeindebund|verkehrswacht", "other"),
]
RELAUNCH_WORDS = r"neu aufgestellt|neuaufstellung|neustart|wiederbelebt|revival|relaunch|neu gegründet"


def _first(pattern_rules: list[tuple[str, str]], text: str, default: str) -> str:
    low = text.lower()
    return next((value for pattern, value in pattern_rules if re.search(pattern, low)), default)


def _partners(text: str) -> str:
    low = text.lower()
    found = [code for pattern, code in PARTNER_RULES if re.search(pattern, low)]
    return "; ".join(dict.fromkeys(found))


def _urls(text: str) -> str:
    return " ; ".join(re.findall(r"https?://\S+", text or ""))


def _relaunch(other_dates: str) -> str:
    best = ""
    for m in re.finditer(r"(\d{4}-\d{2}-\d{2})([^;\[]*)", other_dates or ""):
        if re.search(RELAUNCH_WORDS, m.group(2).lower()):
            best = max(best, m.group(1))
    return best


def _derived(row: dict[str, str]) -> str:
    return "abgeleitet (Quelle): " + row["inferred_or_derived_fields"] if row.get("inferred_or_derived_fields") else ""


def body_from_real(row: dict[str, str]) -> dict[str, object]:
    level_src = (row.get("level") or "").lower()
    level = "Land" if level_src == "land" else "Kreis" if level_src.startswith("landkreis") else "Gemeinde"
    ags = "15" if level == "Land" else (row.get("ags_gemeinde") or row.get("ags_kreis") or "").strip()
    relaunch = _relaunch(row.get("other_dates", ""))
    status_src = (row.get("status_as_in_source") or "").lower()
    status = "active" if re.search(r"aktiv|besteht|neustart|konstitu", status_src) else "unknown"
    notes = "; ".join(
        x
        for x in (
            f"Gründung laut Quelle: {row['founded_basis']}" if row.get("founded_basis") else "",
            f"weitere Daten: {row['other_dates']}" if row.get("other_dates") else "",
            "Neustart abgeleitet aus 'other_dates'" if relaunch else "",
            row.get("notes", ""),
            _derived(row),
            f"Art (Quelle): {row.get('gremium_type', '')}",
        )
        if x
    )
    return {
        "body_id": row["id"],
        "name": row["name_as_in_source"],
        "body_type": _first(BODY_TYPE_RULES, row.get("gremium_type", ""), "other"),
        "level": level,
        "ags": ags,
        "founded": row.get("founded") or None,
        "relaunched": relaunch or None,
        "status": status,
        "source_url": _urls(row.get("source_url", "")),
        "source_date": row.get("source_date", ""),
        "notes": notes,
        "partners": "",
    }


def measure_from_real(
    row: dict[str, str], bodies: dict[str, dict[str, object]]
) -> tuple[dict[str, object], dict[str, object] | None]:
    """The measure, and a derived body when no existing body fits."""
    text = f"{row.get('measure_type', '')} {row.get('measure_as_in_source', '')}"
    level_src = (row.get("level") or "").lower()
    gemeinden = [a.strip() for a in (row.get("ags_gemeinde") or "").split(";") if a.strip()]
    notes = [
        f"Art (Quelle): {row.get('measure_type', '')}",
        "Zielgröße abgeleitet aus Art und Titel (Regeln in docs/register.md)",
    ]
    if level_src == "land":
        ags = "15"
    elif len(gemeinden) == 1:
        ags = gemeinden[0]
    else:
        ags = (row.get("ags_kreis") or "").strip()
        if len(gemeinden) > 1:
            notes.append(f"mehrere Gemeinden ({', '.join(gemeinden)}): Auswertung auf Kreisebene")
    # a body of the register in the same Gemeinde, or a partnership derived for it from an earlier measure
    body = next(
        (
            b
            for b in bodies.values()
            if len(ags) == 8
            and b["ags"] == ags
            and b["level"] != "Land"
            and (not b.get("derived") or b["body_type"] == "Sicherheitspartnerschaft")
        ),
        None,
    )
    derived = None
    if ags == "15":
        body_id = next((b["body_id"] for b in bodies.values() if b["level"] == "Land"), "G01")
    elif body is not None:
        body_id = str(body["body_id"])
    else:
        partnership = bool(re.search(r"sicherheitspartnerschaft|kooperation", text.lower()))
        body_id = f"{'SP' if partnership else 'K'}-{row['id']}"
        derived = {
            "body_id": body_id,
            "name": f"{'Sicherheitspartnerschaft' if partnership else 'Kooperation'} {row.get('municipality') or row.get('kreis_name')}",
            "body_type": "Sicherheitspartnerschaft" if partnership else "other",
            "level": "Kreis" if len(ags) == 5 else "Gemeinde",
            "ags": ags,
            "founded": row.get("start_date") or None,
            "relaunched": None,
            "status": "unknown",
            "partners": _partners(row.get("partners", "")),
            "source_url": _urls(row.get("source_url", "")),
            "source_date": row.get("source_date", ""),
            "notes": f"abgeleitet aus Maßnahme {row['id']} (kein Gremium im Register für diesen Ort)",
            "derived": True,
        }
    status = row.get("status_or_end", "")
    if status:
        notes.append(f"Stand/Ende laut Quelle: {status}")
    if row.get("start_date_basis"):
        notes.append(f"Beginn laut Quelle: {row['start_date_basis']}")
    notes.append(_derived(row))
    measure = {
        "measure_id": row["id"],
        "body_id": body_id,
        "title": row["measure_as_in_source"],
        "measure_type": _first(TYPE_RULES, text, "Sonstiges"),
        "domain": "traffic" if row["id"].startswith("T") or "verkehr" in text.lower() else "crime",
        "target": _first(TARGET_RULES, text, ""),
        "area_type": "municipality",
        "ags": ags,
        "start": row.get("start_date") or None,
        "source_url": _urls(row.get("source_url", "")),
        "notes": "; ".join(n for n in notes if n),
    }
    return measure, derived
