"""The register's schema, declared once: fields, German headers, controlled vocabularies, rules, help texts.

The same declarations drive the Excel template (headers, comments, dropdowns), the cell-by-cell
validation of user files (each :class:`Field` names its ``kind``; ``validate.py`` has one parser per
kind, never per field) and the pandera schemas that the finished tables must pass before they are
returned. Controlled values are stored as codes (stable for analysts) and shown to users with German
labels; codes, labels and the listed aliases are all accepted on input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from praevention.readers.pks import ALL_OFFENCES

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
    "victim_counselling": "Opferberatung",
    "addiction_counselling": "Suchtberatung",
    "clubs": "Vereine",
    "churches": "Kirchen",
    "businesses": "Wirtschaft",
    "citizens": "Bürgerinnen und Bürger",
    "schools": "Schulen",
    "youth_welfare": "Jugendhilfe",
    "municipality": "Kommune/Ordnungsamt",
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
    "segment": "Strecke (Linie)",
    "street": "Straße (ohne Koordinaten)",
}
MEASURE_TYPES = {
    "Sicherheitspartnerschaft": "Sicherheitspartnerschaft / Kooperationsvereinbarung",
    "Streifen": "gemeinsame Streifen / Präsenz",
    "Präventionsprojekt": "Präventionsprojekt",
    "Verkehrsprävention": "Verkehrsprävention / Verkehrsüberwachung",
    "Befragung": "Sicherheitsbefragung",
    "Landesprogramm": "Landesprogramm / Kampagne",
    "Sonstiges": "Sonstiges",
    "Geschwindigkeitsüberwachung": "Geschwindigkeitsüberwachung (Blitzer, Kontrollen)",
    "Tempo 30": "Tempo 30",
    "Querungshilfe": "Querungshilfe (Mittelinsel, Zebrastreifen, Ampel)",
    "Beleuchtung": "Beleuchtung",
    "Schulwegsicherung": "Schulwegsicherung",
    "Verkehrsschau": "Verkehrsschau",
    "Umgestaltung Knotenpunkt": "Umgestaltung Knotenpunkt (Kreuzung, Kreisverkehr)",
}
#: How a measure is meant to work (the M of EMMIE, College of Policing Crime Reduction Toolkit): measures of one
#: type are pooled per mechanism, and the literature is matched on it.
MECHANISMS = {
    "presence": "Präsenz und Ansprechbarkeit (Streifen, Kontaktbeamte)",
    "problem_solving": "gemeinsame Problemlösung von Kommune, Polizei und Partnern",
    "situational": "Gelegenheiten verringern (Licht, Gestaltung, Sicherung)",
    "awareness": "Aufklärung und Beratung",
    "social": "soziale Prävention (Jugend, Familie, Schule)",
    "enforcement": "Kontrolle und Überwachung",
    "engineering": "bauliche Maßnahme im Verkehr",
    "networking": "Vernetzung und Abstimmung (Gremium)",
}
#: A mechanism to suggest for a measure without one: (pattern on type and title, mechanism); first match wins.
MECHANISM_HINTS = [
    (r"streife|präsenz|kontaktbeamt|regionalbereich|stadtwache", "presence"),
    (r"beleuchtung|licht|videobeobacht|umgestalt|sicherung|einbruchschutz", "situational"),
    (r"tempo|querung|kreisverkehr|umbau|radweg", "engineering"),
    (r"kontrolle|blitzer|überwachung|speed", "enforcement"),
    (r"jugend|schule|kita|familie|sport|tanz", "social"),
    (r"beratung|aufklärung|kampagne|informations|wettbewerb|senioren", "awareness"),
    (r"partnerschaft|kooperation|vereinbarung", "problem_solving"),
    (r"rat\b|beirat|runder tisch|gremium|netzwerk", "networking"),
]
#: road-safety measures that act at a place: the register check asks for it (coordinates, a line or an area)
LOCATED_TYPES = (
    "Geschwindigkeitsüberwachung",
    "Tempo 30",
    "Querungshilfe",
    "Beleuchtung",
    "Schulwegsicherung",
    "Umgestaltung Knotenpunkt",
)
#: Further spellings accepted on input (lower case → code), per vocabulary.
ALIASES: dict[str, dict[str, str]] = {
    "partners": {
        "polizeirevier": "police",
        "opferhilfe": "victim_counselling",
        "weißer ring": "victim_counselling",
        "verein": "clubs",
        "sportverein": "clubs",
        "kirche": "churches",
        "kirchengemeinde": "churches",
        "unternehmen": "businesses",
        "gewerbe": "businesses",
        "bürger": "citizens",
        "bürgerinnen": "citizens",
        "schule": "schools",
        "jugendamt": "youth_welfare",
        "jugendarbeit": "youth_welfare",
        "kommune": "municipality",
        "stadt": "municipality",
        "gemeinde": "municipality",
        "ordnungsamt": "municipality",
        "hochschule": "science",
        "universität": "science",
        "sonstiges": "other",
    },
    "level": {
        "landkreis": "Kreis",
        "kreisebene": "Kreis",
        "kreisfreie stadt": "Gemeinde",
        "stadt": "Gemeinde",
        "einheitsgemeinde": "Gemeinde",
        "gemeindeebene": "Gemeinde",
        "bundesland": "Land",
        "landesebene": "Land",
        "stadtteil": "Ortsteil",
        "ortschaft": "Ortsteil",
    },
    "status": {"läuft": "active", "besteht": "active", "inaktiv": "dormant", "beendet": "ended"},
    "body_type": {
        "kriminalpräventiver rat": "Präventionsrat",
        "kommunaler präventionsrat": "Präventionsrat",
        "kriminalpräventiver beirat": "Beirat",
        "runder tisch": "other",
        "sicherheitsrat": "other",
        "sonstiges": "other",
    },
    "measure_type": {
        "blitzer": "Geschwindigkeitsüberwachung",
        "radarkontrolle": "Geschwindigkeitsüberwachung",
        "geschwindigkeitskontrolle": "Geschwindigkeitsüberwachung",
        "tempo-30-zone": "Tempo 30",
        "tempo 30 zone": "Tempo 30",
        "zebrastreifen": "Querungshilfe",
        "fußgängerüberweg": "Querungshilfe",
        "mittelinsel": "Querungshilfe",
        "fußgängerampel": "Querungshilfe",
        "straßenbeleuchtung": "Beleuchtung",
        "schulweg": "Schulwegsicherung",
        "kreisverkehr": "Umgestaltung Knotenpunkt",
        "knotenpunkt": "Umgestaltung Knotenpunkt",
        "kreuzung": "Umgestaltung Knotenpunkt",
    },
    "accident_groups": {
        "alle": "all",
        "alle unfälle": "all",
        "unfälle insgesamt": "all",
        "getötete": "killed_or_seriously_injured",
        "schwerverletzte": "killed_or_seriously_injured",
        "fussgänger": "pedestrians",
        "fußgängerinnen": "pedestrians",
        "radfahrer": "cyclists",
        "radverkehr": "cyclists",
        "schulweg": "children",
        "motorradfahrer": "motorcycles",
        "motorräder": "motorcycles",
        "ältere menschen": "seniors",
        "alkohol": "alcohol_drugs",
        "drogen": "alcohol_drugs",
        "alkohol/drogen": "alcohol_drugs",
        "tempo": "speed",
    },
}
#: PKS offence keys of the BKA table T01 (Kreise) that prevention measures typically aim at, with the
#: published labels. Any key of the pattern ``[0-9*-]{6}`` is accepted; keys not listed here get a hint.
#: Rauschgiftkriminalität (891000) is not published per Kreis; T01 has 730000 Rauschgiftdelikte.
OFFENCE_KEYS = {
    ALL_OFFENCES: "Straftaten insgesamt",
    "899000": "Straßenkriminalität",
    "892000": "Gewaltkriminalität",
    "435*00": "Wohnungseinbruchdiebstahl",
    "436*00": "Tageswohnungseinbruchdiebstahl",
    "730000": "Rauschgiftdelikte",
    "674000": "Sachbeschädigung",
    "899500": "Sachbeschädigung durch Graffiti insgesamt",
    "224000": "Vorsätzliche einfache Körperverletzung",
    "222000": "Gefährliche und schwere Körperverletzung",
    "210000": "Raub, räuberische Erpressung",
    "217000": "Sonstige Raubüberfälle auf Straßen, Wegen oder Plätzen",
    "510000": "Betrug",
    "****00": "Diebstahl insgesamt",
    "***300": "Diebstahl von Fahrrädern",
    "*50*00": "Diebstahl an/aus Kraftfahrzeugen",
    "*90*00": "Taschendiebstahl",
    "326*00": "Einfacher Ladendiebstahl",
    "621100": "Widerstand gegen und tätlicher Angriff auf Vollstreckungsbeamte",
    "897000": "Computerkriminalität",
}
PRECISIONS = ("day", "month", "year")
OFFENCE_KEY_PATTERN = r"[0-9*\-]{6}"
#: Sachsen-Anhalt in WGS84 (lon/lat degrees): a simple bounding box, used when no boundary file is given.
LAND_BBOX = {"15": (10.54, 50.93, 13.20, 53.05)}
LAND_NAMES = {"15": "Sachsen-Anhalt", "99": "Demoland (synthetisch)"}
#: Sachsen-Anhalt's Land key, for the checks against its published totals
LSA = "15"
#: the 14 Kreise of Sachsen-Anhalt since the Kreisgebietsreform of 1 July 2007 (three kreisfreie Städte,
#: eleven Landkreise)
LSA_KREISE = (f"{LSA}001", f"{LSA}002", f"{LSA}003", *(f"{LSA}0{n}" for n in range(81, 92)))
#: Gemeinden per Land in every stored Gebietsstand (PROVENANCE-geo-accidents.md §2)
GEMEINDEN_PER_LAND = {LSA: 218}
#: Length of the AGS for each level of a body.
AGS_LENGTH_FOR_LEVEL = {"Land": 2, "Kreis": 5, "Gemeinde": 8, "Ortsteil": 8}


@dataclass(frozen=True)
class Field:
    """One column of the register: how users see it and which rule its cells follow."""

    name: str
    header: str  # German column header in the template
    kind: str  # id, ref, text, enum, multi_enum, ags, date, number, url, target, area
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    help: str = ""  # cell comment in the template (German)
    unique: bool = False  # no two rows with the same value (across all files)
    minimum: float | None = None  # numbers: smallest allowed value
    positive: bool = False  # numbers: must be > 0
    aliases: str = ""  # key into ALIASES


BODY_FIELDS = [
    Field(
        "body_id",
        "Gremium-ID",
        "id",
        True,
        help="Eindeutige Kennung, z. B. G01. Wird im Blatt 'Maßnahmen' verwendet.",
        unique=True,
    ),
    Field("name", "Name", "text", True, help="Name des Gremiums wie in der Quelle."),
    Field("body_type", "Art", "enum", True, BODY_TYPES, "Art des Gremiums (Auswahlliste).", aliases="body_type"),
    Field(
        "level", "Ebene", "enum", True, LEVELS, "Land, Kreis, Gemeinde oder Ortsteil (Auswahlliste).", aliases="level"
    ),
    Field(
        "ags",
        "Gemeindeschlüssel",
        "ags",
        True,
        help="Amtlicher Gemeindeschlüssel: 8 Ziffern (Gemeinde oder Ortsteil), 5 (Kreis) oder 15 (Land), "
        "z. B. 15003000 für Magdeburg. Als Text eingeben.",
    ),
    Field(
        "founded",
        "Gegründet",
        "date",
        help="So genau wie bekannt: 06.11.2023, 11/2023, 'November 2023' oder nur 2001; 'ca. 1997' für ungefähr.",
    ),
    Field("ended", "Aufgelöst", "date", help="Leer lassen, solange das Gremium besteht."),
    Field("relaunched", "Neustart", "date", help="Datum eines Neustarts (z. B. Halle: 06.11.2023)."),
    Field(
        "partners",
        "Partner",
        "multi_enum",
        choices=PARTNERS,
        help="Beteiligte aus der Auswahlliste; mehrere mit Semikolon trennen, z. B. 'Polizei; Schulen; Vereine'.",
        aliases="partners",
    ),
    Field(
        "status", "Status", "enum", choices=STATUS, help="aktiv, ruhend, aufgelöst oder unbekannt.", aliases="status"
    ),
    Field("source_url", "Quelle (URL)", "url", help="Fundstelle im Internet (Pressemitteilung, Beschluss …)."),
    Field("source_date", "Stand der Quelle", "text", help="Datum der Quelle, z. B. 14.02.2024."),
    Field("notes", "Anmerkungen", "text", help="Freitext. Bitte keine Namen, Telefonnummern oder E-Mail-Adressen."),
]
MEASURE_FIELDS = [
    Field("measure_id", "Maßnahmen-ID", "id", True, help="Eindeutige Kennung, z. B. M01.", unique=True),
    Field("body_id", "Gremium-ID", "ref", True, help="ID des Gremiums aus dem Blatt 'Gremien'."),
    Field("title", "Titel", "text", True, help="Kurzer Titel der Maßnahme."),
    Field(
        "measure_type",
        "Art der Maßnahme",
        "enum",
        choices=MEASURE_TYPES,
        help="Art der Maßnahme (Auswahlliste); gleichartige Maßnahmen werden gemeinsam ausgewertet. "
        "Verkehrsmaßnahmen an einem Ort (Blitzer, Tempo 30, Querungshilfe …) brauchen das Gebiet.",
        aliases="measure_type",
    ),
    Field("domain", "Bereich", "enum", True, DOMAINS, "Kriminalität, Verkehr oder beides (Auswahlliste)."),
    Field(
        "target",
        "Zielgröße",
        "target",
        help="Worauf die Maßnahme zielt: PKS-Schlüssel (z. B. 435*00 Wohnungseinbruch, 899000 "
        "Straßenkriminalität, 892000 Gewaltkriminalität, ------ alle Straftaten) und/oder Unfallgruppen "
        "(z. B. Fußgänger, Radfahrende, Kinder) und/oder Sicherheitsgefühl (gemessen mit Befragungen vor und nach "
        "dem Beginn). Mehrere mit Semikolon trennen. Ohne Zielgröße keine Auswertung.",
    ),
    Field(
        "area_type",
        "Gebietsart",
        "enum",
        choices=AREA_TYPES,
        help="Ganze Gemeinde, Punkt mit Radius, Fläche, Strecke (Linie), Straße oder Ortsteile (Auswahlliste). "
        "Leer = aus 'Gebiet' abgeleitet.",
    ),
    Field(
        "area",
        "Gebiet",
        "area",
        help="Punkt als 'POINT (11.63 52.13)' (erst Länge, dann Breite; WGS84), Strecke als 'LINESTRING (11.63 "
        "52.13, 11.64 52.13)', Fläche als WKT-POLYGON oder GeoJSON, Ortsteile mit Semikolon getrennt. "
        "Leer = ganze Gemeinde. Koordinaten zeigt z. B. OpenStreetMap (Rechtsklick, 'Adresse anzeigen').",
    ),
    Field(
        "area_radius_m",
        "Radius (m)",
        "number",
        help="Radius um den Punkt in Metern (bei einer Strecke: Breite je Seite, sonst 25 m).",
        positive=True,
    ),
    Field(
        "area_length_m",
        "Streckenlänge (m)",
        "number",
        help="Länge der Strecke in Metern, wenn statt einer Linie nur ein Punkt eingetragen ist (z. B. Tempo 30 "
        "auf 400 m): ausgewertet wird der Umkreis der halben Länge.",
        positive=True,
    ),
    Field(
        "area_street",
        "Straße / Ort",
        "text",
        help="Straße und Hausnummer oder Kreuzung in der Gemeinde, z. B. 'Halberstädter Straße / Kroatenweg'. "
        "Für die Auswertung am Ort zusätzlich Koordinaten eintragen.",
    ),
    Field(
        "ags",
        "Gemeindeschlüssel",
        "ags",
        help="Gebiet der Auswertung, nur wenn abweichend vom Gremium (8 Ziffern Gemeinde, 5 Kreis).",
    ),
    Field(
        "start",
        "Beginn",
        "date",
        help="Datum, Monat oder Jahr des Beginns, z. B. 01.03.2021, 03/2021 oder 2021. Ohne Beginn keine Auswertung.",
    ),
    Field("end", "Ende", "date", help="Leer lassen, solange die Maßnahme läuft."),
    Field("intensity", "Intensität", "text", help="z. B. Zahl der Streifen pro Woche, Stellenanteile."),
    Field("budget_eur", "Budget (EUR)", "number", help="Mittel in Euro, falls bekannt (Zahl ohne Einheit).", minimum=0),
    Field(
        "mechanism",
        "Wirkmechanismus",
        "enum",
        choices=MECHANISMS,
        help="Wie die Maßnahme wirken soll (Auswahlliste). Gleichartige Maßnahmen werden je Mechanismus gemeinsam "
        "ausgewertet und mit passender Forschung verglichen.",
    ),
    Field(
        "moderators",
        "Für wen und wo",
        "text",
        help="Für wen oder wo die Maßnahme wirken soll, z. B. 'Jugendliche 14–21', 'Innenstadt, nachts', "
        "'Seniorinnen und Senioren'.",
    ),
    Field(
        "duration", "Dauer", "text", help="Wie lange und wie oft, z. B. 'ganzjährig', 'Mai bis September', '2 Jahre'."
    ),
    Field(
        "partners",
        "Beteiligte Partner",
        "multi_enum",
        choices=PARTNERS,
        help="Wer an der Maßnahme mitwirkt (Auswahlliste); mehrere mit Semikolon trennen.",
        aliases="partners",
    ),
    Field("source_url", "Quelle (URL)", "url", help="Fundstelle im Internet."),
    Field("notes", "Anmerkungen", "text", help="Freitext. Bitte keine Namen, Telefonnummern oder E-Mail-Adressen."),
]
TABLES = {"bodies": BODY_FIELDS, "measures": MEASURE_FIELDS}
FIELDS = {t: {f.name: f for f in fields} for t, fields in TABLES.items()}
SHEET_NAMES = {"bodies": "Gremien", "measures": "Maßnahmen"}
SHEET_ALIASES = {
    "bodies": ("gremien", "bodies", "register_bodies", "gremium"),
    "measures": ("maßnahmen", "massnahmen", "measures", "register_measures", "maßnahme", "massnahme"),
}
#: Date pairs that must be in order: (earlier, later, header of the later one).
DATE_ORDER = {
    "bodies": [("founded", "ended", "Aufgelöst"), ("founded", "relaunched", "Neustart")],
    "measures": [("start", "end", "Ende")],
}

# ---------------------------------------------------------------- output tables
#: Column → DuckDB type of ``register_bodies`` (the order is the frame's and the table's).
BODY_TYPES_SQL = {
    "body_id": "VARCHAR",
    "name": "VARCHAR",
    "body_type": "VARCHAR",
    "level": "VARCHAR",
    "ags": "VARCHAR",
    "founded": "DATE",
    "founded_precision": "VARCHAR",
    "ended": "DATE",
    "ended_precision": "VARCHAR",
    "relaunched": "DATE",
    "relaunched_precision": "VARCHAR",
    "partners": "VARCHAR[]",
    "status": "VARCHAR",
    "source_url": "VARCHAR",
    "source_date": "VARCHAR",
    "notes": "VARCHAR",
    "source_file": "VARCHAR",
    "source_row": "BIGINT",
}
MEASURE_TYPES_SQL = {
    "measure_id": "VARCHAR",
    "body_id": "VARCHAR",
    "title": "VARCHAR",
    "measure_type": "VARCHAR",
    "domain": "VARCHAR",
    "target": "VARCHAR",
    "target_pks_keys": "VARCHAR[]",
    "target_accident_groups": "VARCHAR[]",
    "area_type": "VARCHAR",
    "area_wkt": "VARCHAR",
    "area_radius_m": "DOUBLE",
    "area_length_m": "DOUBLE",
    "area_street": "VARCHAR",
    "area_ortsteile": "VARCHAR[]",
    "ags": "VARCHAR",
    "start": "DATE",
    "start_precision": "VARCHAR",
    "end": "DATE",
    "end_precision": "VARCHAR",
    "intensity": "VARCHAR",
    "budget_eur": "DOUBLE",
    "mechanism": "VARCHAR",
    "moderators": "VARCHAR",
    "duration": "VARCHAR",
    "partners": "VARCHAR[]",
    "source_url": "VARCHAR",
    "notes": "VARCHAR",
    "evaluable": "BOOLEAN",
    "not_evaluable_reason": "VARCHAR",
    "source_file": "VARCHAR",
    "source_row": "BIGINT",
}
BODY_COLUMNS = list(BODY_TYPES_SQL)
MEASURE_COLUMNS = list(MEASURE_TYPES_SQL)


def suggest_mechanism(text: str) -> str | None:
    """The mechanism :data:`MECHANISM_HINTS` suggests for a measure's type and title, or None."""
    return next((code for pattern, code in MECHANISM_HINTS if re.search(pattern, text.lower())), None)


# ---------------------------------------------------------------- pandera schemas
def _schemas() -> tuple[object, object]:
    """The pandera schemas of the two tables (built lazily: pandera is slow to import)."""
    import datetime as dt

    import pandera.pandas as pa

    def is_date(s):  # datetime.date or missing, never a datetime or a string
        return s.map(lambda v: v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)))

    def list_of(values: object, pattern: str | None = None):
        allowed = set(values or ())

        def check(s):
            return s.map(
                lambda v: (
                    isinstance(v, list)
                    and all(
                        isinstance(x, str) and (x in allowed if allowed else re.fullmatch(pattern or ".*", x))
                        for x in v
                    )
                )
            )

        return pa.Check(check, name=f"list of {pattern or 'controlled values'}")

    text = pa.Column(object, pa.Check(lambda s: s.map(lambda v: v is None or isinstance(v, str))), nullable=True)
    required_text = pa.Column(object, pa.Check(lambda s: s.map(lambda v: isinstance(v, str) and v != "")))
    precision = pa.Column(object, pa.Check.isin(PRECISIONS), nullable=True)
    date = pa.Column(object, pa.Check(is_date, name="datetime.date"), nullable=True)
    ags_sa = pa.Column(str, pa.Check.str_matches(r"^(\d{2}|\d{5}|\d{8})$"))
    provenance = {
        "source_file": pa.Column(str),
        "source_row": pa.Column("int64", pa.Check.ge(1)),
    }

    def dated(name: str) -> dict[str, pa.Column]:
        return {name: date, f"{name}_precision": precision}

    precision_pairs = [
        pa.Check(
            lambda df, n=n: df[n].isna() == df[f"{n}_precision"].isna(),
            name=f"{n} and {n}_precision set together",
        )
        for n in ("founded", "ended", "relaunched")
    ]
    bodies = pa.DataFrameSchema(
        {
            "body_id": pa.Column(str, unique=True),
            "name": required_text,
            "body_type": pa.Column(str, pa.Check.isin(list(BODY_TYPES))),
            "level": pa.Column(str, pa.Check.isin(list(LEVELS))),
            "ags": ags_sa,
            **dated("founded"),
            **dated("ended"),
            **dated("relaunched"),
            "partners": pa.Column(object, list_of(PARTNERS)),
            "status": pa.Column(object, pa.Check.isin(list(STATUS)), nullable=True),
            "source_url": text,
            "source_date": text,
            "notes": text,
            **provenance,
        },
        checks=precision_pairs,
        strict=True,
        ordered=True,
    )
    measures = pa.DataFrameSchema(
        {
            "measure_id": pa.Column(str, unique=True),
            "body_id": pa.Column(str),
            "title": required_text,
            "measure_type": pa.Column(object, pa.Check.isin(list(MEASURE_TYPES)), nullable=True),
            "domain": pa.Column(str, pa.Check.isin(list(DOMAINS))),
            "target": text,
            "target_pks_keys": pa.Column(object, list_of(None, OFFENCE_KEY_PATTERN)),
            "target_accident_groups": pa.Column(object, list_of(ACCIDENT_GROUPS)),
            "area_type": pa.Column(str, pa.Check.isin(list(AREA_TYPES))),
            "area_wkt": pa.Column(
                object,
                pa.Check(
                    lambda s: s.map(
                        lambda v: (
                            v is None or bool(re.match(r"(POINT|POLYGON|MULTIPOLYGON|LINESTRING|MULTILINESTRING) ", v))
                        )
                    )
                ),
                nullable=True,
            ),
            "area_radius_m": pa.Column(float, pa.Check.gt(0), nullable=True),
            "area_length_m": pa.Column(float, pa.Check.gt(0), nullable=True),
            "area_street": text,
            "area_ortsteile": pa.Column(object, list_of(None, r".+")),
            "ags": ags_sa,
            **dated("start"),
            **dated("end"),
            "intensity": text,
            "budget_eur": pa.Column(float, pa.Check.ge(0), nullable=True),
            "mechanism": pa.Column(object, pa.Check.isin(list(MECHANISMS)), nullable=True),
            "moderators": text,
            "duration": text,
            "partners": pa.Column(object, list_of(PARTNERS)),
            "source_url": text,
            "notes": text,
            "evaluable": pa.Column(bool),
            "not_evaluable_reason": text,
            **provenance,
        },
        checks=[
            pa.Check(lambda df: df["evaluable"] == df["not_evaluable_reason"].isna(), name="reason iff not evaluable"),
            pa.Check(
                lambda df: ~df["evaluable"] | df["start"].notna(),
                name="evaluable needs a start",
            ),
            pa.Check(
                lambda df: (
                    (df["area_type"] != "point_radius")
                    | ((df["area_radius_m"].notna() | df["area_length_m"].notna()) & df["area_wkt"].notna())
                ),
                name="point_radius needs a point and a radius or a segment length",
            ),
        ],
        strict=True,
        ordered=True,
    )
    return bodies, measures


_SCHEMAS: tuple[object, object] | None = None


def schemas() -> tuple[object, object]:
    """``(BODIES_SCHEMA, MEASURES_SCHEMA)``, the pandera schemas of ``register_bodies`` / ``register_measures``."""
    global _SCHEMAS
    if _SCHEMAS is None:
        _SCHEMAS = _schemas()
    return _SCHEMAS
