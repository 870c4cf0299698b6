"""The register's schema, declared once: fields, German headers, controlled vocabularies, help texts.

The same declarations drive the Excel template (headers, comments, dropdowns), the validation of
user files and the pandera schemas of the two warehouse tables. Controlled values are stored as codes
(English, stable for analysts) and shown to users with German labels; both are accepted on input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

BODY_TYPES = {  # code: German label
    "Präventionsrat": "Präventionsrat",
    "Beirat": "Kriminalpräventiver Beirat",
    "Sicherheitspartnerschaft": "Sicherheitspartnerschaft",
    "Landespräventionsrat": "Landespräventionsrat",
    "other": "Sonstiges Gremium (Runder Tisch, Sicherheitsrat …)",
}
LEVELS = {"Land": "Land", "Kreis": "Kreis", "Gemeinde": "Gemeinde", "Ortsteil": "Ortsteil"}
PARTNERS = {
    "police": "Polizei",
    "municipality": "Kommune/Ordnungsamt",
    "victim_counselling": "Opferberatung",
    "addiction_counselling": "Suchtberatung",
    "clubs": "Vereine",
    "churches": "Kirchen",
    "businesses": "Wirtschaft",
    "citizens": "Bürgerinnen und Bürger",
    "schools": "Schulen",
    "youth_welfare": "Jugendhilfe",
    "science": "Wissenschaft",
    "other": "Sonstige",
}
STATUS = {"active": "aktiv", "dormant": "ruhend", "ended": "aufgelöst", "unknown": "unbekannt"}
DOMAINS = {"crime": "Kriminalität", "traffic": "Verkehr", "both": "Kriminalität und Verkehr"}
ACCIDENT_GROUPS = {
    "all": "alle Unfälle mit Personenschaden",
    "killed_or_seriously_injured": "Getötete und Schwerverletzte",
    "pedestrians": "Fußgänger",
    "cyclists": "Radfahrende",
    "children": "Kinder",
    "motorcycles": "Motorrad",
    "seniors": "Senioren",
    "alcohol_drugs": "Alkohol und Drogen",
    "speed": "Geschwindigkeit",
}
AREA_TYPES = {
    "municipality": "ganze Gemeinde",
    "point_radius": "Punkt mit Radius",
    "polygon": "Fläche (Polygon)",
    "ortsteile": "Ortsteile",
}
MEASURE_TYPES = {
    "Sicherheitspartnerschaft": "Sicherheitspartnerschaft / Kooperationsvereinbarung",
    "Streifen": "gemeinsame Streifen / Präsenz",
    "Präventionsprojekt": "Präventionsprojekt",
    "Verkehrsprävention": "Verkehrsprävention / Verkehrsüberwachung",
    "Befragung": "Sicherheitsbefragung",
    "Landesprogramm": "Landesprogramm / Kampagne",
    "Sonstiges": "Sonstiges",
}
PRECISIONS = ("day", "month", "year")
OFFENCE_KEY_PATTERN = r"^[0-9*\-]{6}$"
#: Sachsen-Anhalt in WGS84 (degrees) with a small margin; used when no boundary file is at hand.
LAND_BBOX = {"15": (10.54, 50.93, 13.20, 53.05)}

#: Header words that mark personal data: accepted in the input, never stored or shown.
PERSONAL_HEADER_WORDS = (
    "kontakt",
    "ansprech",
    "telefon",
    "tel.",
    "mobil",
    "e-mail",
    "email",
    "mail",
    "phone",
    "contact",
    "person",
    "name der",
    "vorname",
    "nachname",
)


@dataclass(frozen=True)
class Field:
    name: str
    header: str  # German column header in the template
    kind: str  # id, ref, text, enum, multi_enum, ags, date, number, url, target, area
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    help: str = ""  # cell comment in the template (German)


BODY_FIELDS = [
    Field("body_id", "Gremium-ID", "id", True, help="Eindeutige Kennung, z. B. G01. Wird in 'Maßnahmen' verwendet."),
    Field("name", "Name", "text", True, help="Name des Gremiums wie in der Quelle."),
    Field("body_type", "Art", "enum", True, BODY_TYPES, "Art des Gremiums (Auswahlliste)."),
    Field("level", "Ebene", "enum", True, LEVELS, "Land, Kreis, Gemeinde oder Ortsteil."),
    Field(
        "ags",
        "Gemeindeschlüssel",
        "ags",
        True,
        help="Amtlicher Gemeindeschlüssel: 8 Ziffern (Gemeinde), 5 (Kreis) oder 15 (Land). Als Text eingeben, "
        "damit die führende Null bleibt.",
    ),
    Field("founded", "Gegründet", "date", help="Datum, Monat oder Jahr, z. B. 06.11.2023, 11/2023 oder 2001."),
    Field("ended", "Aufgelöst", "date", help="Leer lassen, solange das Gremium besteht."),
    Field("relaunched", "Neustart", "date", help="Datum eines Neustarts (z. B. Halle: 06.11.2023)."),
    Field(
        "partners",
        "Partner",
        "multi_enum",
        choices=PARTNERS,
        help="Mehrere Partner mit Semikolon trennen, z. B. 'Polizei; Schulen; Vereine'.",
    ),
    Field("status", "Status", "enum", choices=STATUS, help="aktiv, ruhend, aufgelöst oder unbekannt."),
    Field("source_url", "Quelle (URL)", "url", help="Fundstelle im Internet (Pressemitteilung, Beschluss …)."),
    Field("source_date", "Stand der Quelle", "text", help="Datum der Quelle, z. B. 2024-02-14."),
    Field("notes", "Anmerkungen", "text", help="Freitext. Keine personenbezogenen Daten."),
]
MEASURE_FIELDS = [
    Field("measure_id", "Maßnahmen-ID", "id", True, help="Eindeutige Kennung, z. B. M01."),
    Field("body_id", "Gremium-ID", "ref", True, help="ID des Gremiums aus dem Blatt 'Gremien'."),
    Field("title", "Titel", "text", True, help="Kurzer Titel der Maßnahme."),
    Field(
        "measure_type",
        "Art der Maßnahme",
        "enum",
        choices=MEASURE_TYPES,
        help="Art der Maßnahme (Auswahlliste); gleichartige Maßnahmen werden gemeinsam ausgewertet.",
    ),
    Field("domain", "Bereich", "enum", True, DOMAINS, "Kriminalität, Verkehr oder beides."),
    Field(
        "target",
        "Zielgröße",
        "target",
        help="PKS-Schlüssel (z. B. 435*00 Wohnungseinbruch, 899000 Straßenkriminalität, ------ alle Straftaten) "
        "und/oder Unfallgruppen (z. B. Fußgänger, Radfahrende, Kinder); mit Semikolon trennen.",
    ),
    Field(
        "area_type",
        "Gebietsart",
        "enum",
        choices=AREA_TYPES,
        help="Ganze Gemeinde, Punkt mit Radius, Fläche oder Ortsteile.",
    ),
    Field(
        "area",
        "Gebiet",
        "area",
        help="Punkt als 'POINT (11.63 52.13)' (Länge Breite, WGS84), Fläche als WKT oder GeoJSON, "
        "Ortsteile mit Semikolon getrennt; leer = ganze Gemeinde.",
    ),
    Field("area_radius_m", "Radius (m)", "number", help="Radius um den Punkt in Metern."),
    Field("ags", "Gemeindeschlüssel", "ags", help="Nur wenn abweichend vom Gremium (8 Ziffern)."),
    Field(
        "start", "Beginn", "date", help="Datum, Monat oder Jahr des Beginns. Ohne Beginn ist keine Auswertung möglich."
    ),
    Field("end", "Ende", "date", help="Leer lassen, solange die Maßnahme läuft."),
    Field("intensity", "Intensität", "text", help="z. B. Zahl der Streifen pro Woche, Stellenanteile."),
    Field("budget_eur", "Budget (EUR)", "number", help="Mittel in Euro, falls bekannt."),
    Field("source_url", "Quelle (URL)", "url", help="Fundstelle im Internet."),
    Field("notes", "Anmerkungen", "text", help="Freitext. Keine personenbezogenen Daten."),
]
TABLES = {"bodies": BODY_FIELDS, "measures": MEASURE_FIELDS}
SHEET_NAMES = {"bodies": "Gremien", "measures": "Maßnahmen"}
SHEET_ALIASES = {
    "bodies": ("gremien", "bodies", "register_bodies", "gremium"),
    "measures": ("maßnahmen", "massnahmen", "measures", "register_measures", "maßnahme"),
}

BODY_COLUMNS = [
    "body_id",
    "name",
    "body_type",
    "level",
    "ags",
    "founded",
    "founded_precision",
    "ended",
    "ended_precision",
    "relaunched",
    "relaunched_precision",
    "partners",
    "status",
    "source_url",
    "source_date",
    "notes",
    "source_file",
    "source_row",
]
MEASURE_COLUMNS = [
    "measure_id",
    "body_id",
    "title",
    "measure_type",
    "domain",
    "target",
    "target_pks_keys",
    "target_accident_groups",
    "area_type",
    "area_wkt",
    "area_radius_m",
    "area_ortsteile",
    "ags",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "intensity",
    "budget_eur",
    "source_url",
    "notes",
    "evaluable",
    "not_evaluable_reason",
    "source_file",
    "source_row",
]

_precision = pa.Column(str, pa.Check.isin(PRECISIONS), nullable=True)
BODIES_SCHEMA = pa.DataFrameSchema(
    {
        "body_id": pa.Column(str, unique=True),
        "name": pa.Column(str),
        "body_type": pa.Column(str, pa.Check.isin(list(BODY_TYPES))),
        "level": pa.Column(str, pa.Check.isin(list(LEVELS))),
        "ags": pa.Column(str, pa.Check.str_matches(r"^(\d{2}|\d{5}|\d{8})$")),
        "founded_precision": _precision,
        "ended_precision": _precision,
        "relaunched_precision": _precision,
        "status": pa.Column(str, pa.Check.isin(list(STATUS)), nullable=True),
    },
    strict=False,
)
MEASURES_SCHEMA = pa.DataFrameSchema(
    {
        "measure_id": pa.Column(str, unique=True),
        "body_id": pa.Column(str),
        "title": pa.Column(str),
        "domain": pa.Column(str, pa.Check.isin(list(DOMAINS))),
        "area_type": pa.Column(str, pa.Check.isin(list(AREA_TYPES))),
        "start_precision": _precision,
        "end_precision": _precision,
        "budget_eur": pa.Column(float, pa.Check.ge(0), nullable=True),
        "area_radius_m": pa.Column(float, pa.Check.gt(0), nullable=True),
        "evaluable": pa.Column(bool),
    },
    strict=False,
)


def is_personal(header: str) -> bool:
    """A column that holds contact persons, phone numbers or e-mail addresses."""
    h = header.strip().lower()
    return any(word in h for word in PERSONAL_HEADER_WORDS)
