"""Problems found in a register, with their texts in German (default) and English.

A :class:`Problem` never holds personal data: its value and parameters pass :func:`praevention.privacy.redact`
when it is made, so neither ``register check``, the quarantine's reasons nor the annotated workbook can
repeat a phone number, an e-mail address or a name. Invisible characters (zero-width space, soft hyphen,
BOM …) are shown as ``⟨U+200B⟩``, so that "G05⟨U+200B⟩" tells the reader why "G05" was not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from praevention.config import DEFAULT_LAND
from praevention.privacy import redact
from praevention.register.schema import LAND_NAMES

#: Characters that a cell can hold without showing them (copied from web pages and e-mails).
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)


def visible(text: str) -> str:
    """``text`` with every invisible character shown as ``⟨U+XXXX⟩``."""
    return INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group(0)):04X}⟩", text)


# code: (severity, German problem, German fix, English problem, English fix)
CATALOGUE: dict[str, tuple[str, str, str, str, str]] = {
    "file_empty": (
        "error",
        "Die Datei ist leer.",
        "Die Vorlage ausfüllen und erneut speichern.",
        "The file is empty.",
        "Fill in the template and save it again.",
    ),
    "file_unreadable": (
        "error",
        "Die Datei kann nicht gelesen werden ({detail}).",
        "Als .xlsx, .ods oder .csv (UTF-8) speichern.",
        "The file cannot be read ({detail}).",
        "Save it as .xlsx, .ods or .csv (UTF-8).",
    ),
    "binary": (
        "error",
        "Die Datei enthält Binärdaten und ist keine Tabelle.",
        "Die Registertabelle als .xlsx, .ods oder .csv speichern.",
        "The file holds binary data, not a table.",
        "Save the register as .xlsx, .ods or .csv.",
    ),
    "no_sheets": (
        "error",
        "Keine Blätter 'Gremien' oder 'Maßnahmen' gefunden (vorhanden: {found}).",
        "Die Blätter wie in der Vorlage benennen ('praevention register template').",
        "No sheets 'Gremien' or 'Maßnahmen' found (present: {found}).",
        "Name the sheets as in the template ('praevention register template').",
    ),
    "sheet_name": (
        "warning",
        "Das Blatt heißt nicht '{detail}', wurde aber an den Spalten als '{detail}' erkannt.",
        "Das Blatt in '{detail}' umbenennen.",
        "The sheet is not named '{detail}' but was recognised as '{detail}' by its columns.",
        "Rename the sheet to '{detail}'.",
    ),
    "unknown_table": (
        "error",
        "Die Spalten passen zu keiner Registertabelle (gefunden: {found}).",
        "Die Kopfzeile der Vorlage verwenden (Pflichtspalten {expected}).",
        "The columns match no register table (found: {found}).",
        "Use the template's header row (required columns {expected}).",
    ),
    "missing_column": (
        "error",
        "Pflichtspalte '{detail}' fehlt.",
        "Eine Spalte mit der Überschrift '{detail}' ergänzen. Pflichtspalten dieses Blatts: {expected}.",
        "Required column '{detail}' is missing.",
        "Add a column headed '{detail}'. Required columns of this sheet: {expected}.",
    ),
    "unknown_column": (
        "warning",
        "Unbekannte Spalte '{detail}', wird nicht übernommen.",
        "Spalte umbenennen (erlaubt: {expected}) oder löschen.",
        "Unknown column '{detail}', not loaded.",
        "Rename the column (allowed: {expected}) or delete it.",
    ),
    "personal_column": (
        "warning",
        "Spalte mit personenbezogenen Daten: wird nicht gespeichert und nirgends ausgegeben.",
        "Nichts zu tun; Kontaktdaten bleiben nur in Ihrer Datei.",
        "Column with personal data: never stored or published.",
        "Nothing to do; contact data stay in your file only.",
    ),
    "merged_cells": (
        "error",
        "Verbundene Zellen ({detail}).",
        "Den Zellverbund aufheben und den Wert in jede Zeile schreiben.",
        "Merged cells ({detail}).",
        "Unmerge the cells and write the value into every row.",
    ),
    "formula": (
        "error",
        "Formel statt Wert ({detail}).",
        "Die Formel durch ihren Wert ersetzen (Kopieren, dann 'Inhalte einfügen: Werte').",
        "Formula instead of a value ({detail}).",
        "Replace the formula by its value (copy, paste values).",
    ),
    "required": (
        "error",
        "Pflichtfeld ist leer.",
        "Einen Wert eintragen.",
        "Required field is empty.",
        "Enter a value.",
    ),
    "duplicate_id": (
        "error",
        "Die ID kommt mehrfach vor (auch in Zeile {other}).",
        "Jede ID nur einmal vergeben.",
        "The ID occurs more than once (also in row {other}).",
        "Use every ID only once.",
    ),
    "unknown_choice": (
        "error",
        "'{detail}' ist kein erlaubter Wert.",
        "Einen Wert aus der Auswahlliste wählen{hint}: {choices}.",
        "'{detail}' is not an allowed value.",
        "Pick a value from the list{hint}: {choices}.",
    ),
    "bad_date": (
        "error",
        "Kein gültiges Datum ({detail}).",
        "Als TT.MM.JJJJ, MM/JJJJ, 'März 2021' oder JJJJ eingeben.",
        "Not a valid date ({detail}).",
        "Enter it as DD.MM.YYYY, MM/YYYY, 'March 2021' or YYYY.",
    ),
    "approximate_date": (
        "warning",
        "Ungefähres Datum: als Jahr gespeichert.",
        "Genaueres Datum eintragen, wenn bekannt.",
        "Approximate date: stored as a year.",
        "Enter a more precise date if known.",
    ),
    "bad_ags": (
        "error",
        "Gemeindeschlüssel ungültig ({detail}).",
        "8 Ziffern (Gemeinde), 5 (Kreis) oder 15 (Land) als Text eingeben, z. B. 15003000 für Magdeburg.",
        "Invalid municipality key ({detail}).",
        "Enter 8 digits (Gemeinde), 5 (Kreis) or 15 (Land) as text, e.g. 15003000 for Magdeburg.",
    ),
    "ags_zero_lost": (
        "warning",
        "Führende Null ergänzt: {detail}.",
        "Die Spalte als Text formatieren.",
        "Leading zero restored: {detail}.",
        "Format the column as text.",
    ),
    "ags_not_land": (
        "error",
        "Der Gemeindeschlüssel liegt nicht in {land_name} (beginnt nicht mit {land}).",
        "Den Schlüssel prüfen (Gemeindeverzeichnis von Destatis).",
        "The key is not in {land_name} (does not start with {land}).",
        "Check the key (Destatis register).",
    ),
    "ags_unknown": (
        "error",
        "Den Gemeindeschlüssel gibt es in den Gebietsdaten nicht.",
        "Den aktuellen Schlüssel aus dem Gemeindeverzeichnis eintragen.",
        "The key is not in the boundary data.",
        "Enter the current key from the municipality register.",
    ),
    "ags_level": (
        "error",
        "Der Schlüssel passt nicht zur Ebene '{level}'.",
        "Gemeinde und Ortsteil: 8 Ziffern, Kreis: 5, Land: 15.",
        "The key does not fit the level '{level}'.",
        "Gemeinde and Ortsteil: 8 digits, Kreis: 5, Land: 15.",
    ),
    "unknown_body": (
        "error",
        "Das Gremium '{detail}' gibt es im Blatt 'Gremien' nicht.",
        "Das Gremium im Blatt 'Gremien' anlegen oder die Gremium-ID korrigieren{hint}.",
        "Body '{detail}' does not exist in sheet 'Gremien'.",
        "Add the body to sheet 'Gremien' or correct the body ID{hint}.",
    ),
    "end_before_start": (
        "error",
        "Das Ende liegt vor dem Beginn ({detail}).",
        "Beginn und Ende prüfen.",
        "The end lies before the start ({detail}).",
        "Check start and end.",
    ),
    "bad_number": (
        "error",
        "Keine Zahl ({detail}).",
        "Eine Zahl ohne Einheit eintragen, z. B. 2500.",
        "Not a number ({detail}).",
        "Enter a number without unit, e.g. 2500.",
    ),
    "negative": (
        "error",
        "Der Wert darf nicht negativ sein.",
        "Einen Wert ab 0 eintragen.",
        "The value must not be negative.",
        "Enter a value of 0 or more.",
    ),
    "bad_url": (
        "warning",
        "Keine Internetadresse.",
        "Eine Adresse mit http:// oder https:// eintragen.",
        "Not a web address.",
        "Enter an address starting with http:// or https://.",
    ),
    "bad_key": (
        "error",
        "PKS-Schlüssel '{detail}' hat nicht das Format: 6 Zeichen aus Ziffern, * oder -.",
        "Den Schlüssel aus der PKS übernehmen, z. B. 435*00 oder 899000.",
        "PKS key '{detail}' malformed: 6 characters of digits, * or -.",
        "Copy the key from the PKS, e.g. 435*00 or 899000.",
    ),
    "unknown_target": (
        "warning",
        "'{detail}' ist weder PKS-Schlüssel noch Unfallgruppe: für die Auswertung nicht verwendbar.",
        "PKS-Schlüssel oder eine Unfallgruppe eintragen: {choices}.",
        "'{detail}' is neither a PKS key nor an accident group: cannot be evaluated.",
        "Enter a PKS key or an accident group: {choices}.",
    ),
    "bad_area": (
        "error",
        "Gebiet ist kein gültiges WKT oder GeoJSON ({detail}).",
        "Punkt als 'POINT (11.63 52.13)' (Länge Breite), Fläche als 'POLYGON ((…))' oder GeoJSON eintragen.",
        "The area is not valid WKT or GeoJSON ({detail}).",
        "Enter a point as 'POINT (11.63 52.13)' (lon lat), an area as 'POLYGON ((…))' or GeoJSON.",
    ),
    "outside_land": (
        "error",
        "Das Gebiet liegt außerhalb von {land_name}{detail}.",
        "Koordinaten prüfen: zuerst Länge (ca. 10,5–13,2), dann Breite (ca. 50,9–53,1), Dezimalpunkt.",
        "The area lies outside {land_name}{detail}.",
        "Check the coordinates: longitude (about 10.5–13.2) first, then latitude (about 50.9–53.1).",
    ),
    "radius_missing": (
        "error",
        "Punkt ohne Radius.",
        "Den Radius in Metern eintragen (oder bei einer Strecke ihre Länge in 'Streckenlänge (m)').",
        "Point without radius.",
        "Enter the radius in metres (or, for a stretch of road, its length in 'Streckenlänge (m)').",
    ),
    "no_survey": (
        "warning",
        "Die Maßnahme zielt auf das Sicherheitsgefühl, aber für {detail} liegt im Rohdatenordner keine Befragung vor.",
        "Eine Befragung vor und eine nach dem Beginn ablegen (Vorlage: 'praevention survey template', Ordner "
        "surveys/); ohne zwei Wellen ist die Wirkung nicht auswertbar.",
        "The measure aims at the sense of safety, but the raw-data folder holds no survey for {detail}.",
        "File one survey before and one after the start (template: 'praevention survey template', folder "
        "surveys/); without two waves the effect cannot be evaluated.",
    ),
    "not_evaluable": (
        "warning",
        "Nicht auswertbar: {detail}.",
        "Beginn und Zielgröße ergänzen, wenn bekannt.",
        "Cannot be evaluated: {detail}.",
        "Add start and target if known.",
    ),
    "evidence_missing": (
        "warning",
        "Der Wirkmechanismus fehlt{suggestion}.",
        "In 'Wirkmechanismus' eintragen, wie die Maßnahme wirken soll: gleichartige Maßnahmen werden je Mechanismus "
        "gemeinsam ausgewertet und mit passender Forschung verglichen. Ebenfalls leer: {other}.",
        "The mechanism is missing{suggestion}.",
        "Enter how the measure is meant to work under 'Wirkmechanismus': measures of one type are pooled per "
        "mechanism and compared with matching research. Also empty: {other}.",
    ),
    "old_excel": (
        "error",
        "Altes Excel-Format (.xls) wird nicht gelesen.",
        "In Excel 'Speichern unter' → 'Excel-Arbeitsmappe (.xlsx)' wählen.",
        "Old Excel format (.xls) is not read.",
        "Use 'Save as' → 'Excel workbook (.xlsx)'.",
    ),
    "unsupported_file": (
        "error",
        "Dateityp '{detail}' wird nicht unterstützt.",
        "Als .xlsx, .ods oder .csv speichern.",
        "File type '{detail}' is not supported.",
        "Save it as .xlsx, .ods or .csv.",
    ),
    "sheet_empty": (
        "warning",
        "Das Blatt ist leer.",
        "Zeilen eintragen oder das Blatt so lassen, wenn es (noch) nichts einzutragen gibt.",
        "The sheet is empty.",
        "Enter rows, or leave it if there is nothing to enter yet.",
    ),
    "duplicate_column": (
        "error",
        "Die Spalte kommt zweimal vor ({detail}).",
        "Eine der beiden Spalten löschen oder umbenennen.",
        "The column occurs twice ({detail}).",
        "Delete or rename one of the two columns.",
    ),
    "personal_text": (
        "warning",
        "Personenbezogene Angaben ({detail}) entfernt: gespeichert wird der Text mit '[entfernt]' an ihrer Stelle.",
        "Kontaktdaten nur in einer eigenen Spalte 'Kontakt' führen (wird nie gespeichert).",
        "Personal data ({detail}) removed: the text is stored with '[entfernt]' in its place.",
        "Keep contact data in a separate 'Kontakt' column (never stored).",
    ),
    "hidden_row": (
        "warning",
        "Die Zeile ist ausgeblendet, wird aber übernommen.",
        "Einblenden und prüfen: gilt die Zeile nicht mehr, sie löschen oder den Status 'aufgelöst' eintragen.",
        "The row is hidden but is loaded.",
        "Unhide and check it: if it no longer applies, delete it or set the status to 'aufgelöst'.",
    ),
    "hidden_column": (
        "warning",
        "Die Spalte ist ausgeblendet, ihre Werte werden übernommen.",
        "Einblenden und die Werte prüfen.",
        "The column is hidden; its values are loaded.",
        "Unhide it and check the values.",
    ),
    "marked_old": (
        "warning",
        "Die Zeile ist als veraltet gekennzeichnet ('{detail}'), wird aber wie jede andere übernommen.",
        "Gilt sie nicht mehr: die Zeile löschen oder Status 'aufgelöst' und das Ende eintragen.",
        "The row is marked as outdated ('{detail}') but is loaded like any other.",
        "If it no longer applies: delete the row, or set the status to 'aufgelöst' and enter the end.",
    ),
    "comment_row": (
        "error",
        "Die Zeile enthält nur einen Kommentar ('{detail}'), keine Registerdaten.",
        "Den Text in die Spalte 'Anmerkungen' der Zeile schreiben, zu der er gehört, und diese Zeile löschen.",
        "The row holds only a comment ('{detail}'), no register data.",
        "Move the text into the 'Anmerkungen' column of the row it belongs to and delete this row.",
    ),
    "body_rejected": (
        "error",
        "Das Gremium '{detail}' (Blatt '{where}', Zeile {other}) wird nicht übernommen: {reason}",
        "Zuerst das Gremium in Zeile {other} berichtigen; dann wird auch diese Maßnahme übernommen.",
        "Body '{detail}' (sheet '{where}', row {other}) is not loaded: {reason}",
        "Correct the body in row {other} first; then this measure is loaded too.",
    ),
    "id_spelling": (
        "warning",
        "Die Gremium-ID '{detail}' steht im Blatt 'Gremien' als '{replacement}': übernommen als '{replacement}'.",
        "'{replacement}' eintragen.",
        "Body ID '{detail}' is written '{replacement}' in sheet 'Gremien': loaded as '{replacement}'.",
        "Enter '{replacement}'.",
    ),
    "invisible_chars": (
        "warning",
        "Unsichtbare Zeichen entfernt: '{detail}' → '{replacement}'.",
        "Den Wert neu eintippen (unsichtbare Zeichen kommen meist mit kopiertem Text).",
        "Invisible characters removed: '{detail}' → '{replacement}'.",
        "Retype the value (invisible characters usually come with copied text).",
    ),
    "body_by_name": (
        "warning",
        "Das Gremium wurde über seinen Namen gefunden: '{detail}' ist {replacement}.",
        "Die Gremium-ID '{replacement}' eintragen.",
        "The body was found by its name: '{detail}' is {replacement}.",
        "Enter the body ID '{replacement}'.",
    ),
    "value_mapped": (
        "warning",
        "'{detail}' als '{replacement}' übernommen.",
        "'{replacement}' aus der Auswahlliste wählen.",
        "'{detail}' loaded as '{replacement}'.",
        "Pick '{replacement}' from the list.",
    ),
    "ongoing_end": (
        "warning",
        "'{detail}' heißt: besteht noch. Als leer übernommen.",
        "Das Feld leer lassen, solange es kein Ende gibt.",
        "'{detail}' means: still running. Loaded as empty.",
        "Leave the field empty while there is no end.",
    ),
    "year_far_future": (
        "warning",
        "Das Jahr {detail} liegt weit in der Zukunft.",
        "Das Datum prüfen (Tippfehler?).",
        "The year {detail} lies far in the future.",
        "Check the date (typo?).",
    ),
    "year_long_past": (
        "warning",
        "Das Jahr {detail} liegt vor 1990, vor allen Präventionsgremien in {land_name}.",
        "Das Datum prüfen (Tippfehler?).",
        "The year {detail} lies before 1990, before any prevention body in {land_name}.",
        "Check the date (typo?).",
    ),
    "ags_is_name": (
        "error",
        "Ein Name statt eines Gemeindeschlüssels: '{detail}' hat den Schlüssel {suggestion}.",
        "Den Schlüssel {suggestion} eintragen.",
        "A name instead of a municipality key: '{detail}' has the key {suggestion}.",
        "Enter the key {suggestion}.",
    ),
    "not_positive": (
        "error",
        "Der Wert muss größer als 0 sein.",
        "Eine positive Zahl eintragen.",
        "The value must be greater than 0.",
        "Enter a positive number.",
    ),
    "unknown_key": (
        "warning",
        "PKS-Schlüssel {detail} ist nicht in der Liste der üblichen Schlüssel.",
        "Prüfen, ob der Schlüssel in der PKS-Kreistabelle (T01) vorkommt.",
        "PKS key {detail} is not in the list of common keys.",
        "Check that the key occurs in the PKS Kreis table (T01).",
    ),
    "area_mismatch": (
        "error",
        "Gebietsart und Gebiet passen nicht zusammen ({detail}).",
        "Bei 'Punkt mit Radius' einen POINT, bei 'Fläche' ein POLYGON, bei 'Ortsteile' Namen eintragen.",
        "Area type and area do not match ({detail}).",
        "Use a POINT for 'Punkt mit Radius', a POLYGON for 'Fläche', names for 'Ortsteile'.",
    ),
    "area_ignored": (
        "warning",
        "Gebietsart 'ganze Gemeinde': das eingetragene Gebiet wird nicht verwendet.",
        "Gebietsart ändern oder das Gebiet löschen.",
        "Area type 'whole municipality': the area entered is not used.",
        "Change the area type or delete the area.",
    ),
    "point_not_in_ags": (
        "warning",
        "Das Gebiet liegt nicht in der Gemeinde {detail}{elsewhere}.",
        "{suggestion}",
        "The area does not lie in municipality {detail}{elsewhere}.",
        "{suggestion}",
    ),
    "location_missing": (
        "warning",
        "Für eine Maßnahme der Art '{detail}' fehlt der Ort{hint}: ohne ihn wird sie nur für die ganze Gemeinde "
        "ausgewertet.",
        "Im Feld 'Gebiet' Koordinaten als 'POINT (Länge Breite)' mit Radius oder Streckenlänge, eine Strecke als "
        "'LINESTRING (…)' oder eine Fläche eintragen; Koordinaten zeigt z. B. OpenStreetMap (Rechtsklick, "
        "'Adresse anzeigen').",
        "A measure of type '{detail}' has no place{hint}: without one it is evaluated for the whole municipality only.",
        "Enter coordinates in 'Gebiet' as 'POINT (lon lat)' with a radius or segment length, a stretch of road as "
        "'LINESTRING (…)' or an area; OpenStreetMap shows coordinates (right click, 'Show address').",
    ),
    "relaunch_before_founded": (
        "error",
        "Der Neustart liegt vor der Gründung ({detail}).",
        "Gründung und Neustart prüfen.",
        "The relaunch lies before the founding ({detail}).",
        "Check founding and relaunch dates.",
    ),
    "schema": (
        "error",
        "Verstößt gegen das Tabellenschema ({detail}).",
        "Den Wert gemäß Kommentar in der Kopfzeile der Vorlage eintragen.",
        "Violates the table schema ({detail}).",
        "Enter the value as the header comment of the template explains.",
    ),
}


@dataclass
class Problem:
    """One problem in a register file. ``row`` is the row number Excel shows (header row = 1)."""

    code: str
    sheet: str = ""  # sheet name; for a CSV the file name
    row: int | None = None
    column: str = ""  # column header as in the file
    value: str = ""
    params: dict[str, object] = field(default_factory=dict)  # a (de, en) tuple is picked by language
    file: str = ""  # file name
    #: the value the cell is loaded as, for a problem that normalised it (written into the annotated copy)
    replacement: object = None

    def __post_init__(self) -> None:
        self.value = _safe(self.value)
        self.params = {k: _safe(v) for k, v in self.params.items()}

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, lang: str = "de") -> tuple[str, str]:
        """``(problem, fix)`` in ``lang`` ("de" or "en")."""
        _, de, de_fix, en, en_fix = CATALOGUE[self.code]
        shown = "" if self.replacement is None else visible(redact(str(self.replacement))[0])
        params = {**DEFAULT_PARAMS, "replacement": shown, **self.params}
        params = {k: (v[1] if lang == "en" else v[0]) if isinstance(v, tuple) else v for k, v in params.items()}
        problem, fix = (en, en_fix) if lang == "en" else (de, de_fix)
        return problem.format(**params), fix.format(**params)


def _safe(value: object) -> object:
    """A message parameter without personal data, with invisible characters shown."""
    if isinstance(value, str):
        return visible(redact(value)[0])
    if isinstance(value, tuple):
        return tuple(_safe(v) for v in value)
    return value


DEFAULT_PARAMS: dict[str, object] = {
    "land": DEFAULT_LAND,
    "land_name": LAND_NAMES[DEFAULT_LAND],
    "detail": "",
    "choices": "",
    "expected": "",
    "other": "",
    "level": "",
    "found": "",
    "hint": "",
    "replacement": "",
    "suggestion": "",
    "elsewhere": "",
    "where": "",
    "reason": "",
}
HEADERS = {
    "de": ("Blatt", "Zeile", "Spalte", "Wert", "Problem", "Lösung"),
    "en": ("Sheet", "Row", "Column", "Value", "Problem", "Fix"),
}
SEVERITY = {"de": {"error": "Fehler", "warning": "Hinweis"}, "en": {"error": "error", "warning": "warning"}}


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "…"


def report(problems: list[Problem], lang: str = "de") -> str:
    """The problems as the user reads them: per file, errors first, then by sheet and row."""
    h = HEADERS[lang]
    lines: list[str] = []
    files = list(dict.fromkeys(p.file for p in problems))
    for file in files:
        if file and len(files) > 1:
            lines.append(("Datei: " if lang == "de" else "File: ") + file)
        for p in sorted(
            (p for p in problems if p.file == file),
            key=lambda p: (not p.is_error, p.sheet, p.row or 0, p.column, p.code),
        ):
            problem, fix = p.text(lang)
            row = p.row if p.row is not None else "-"
            lines.append(
                f"[{SEVERITY[lang][p.severity]}] {h[0]}: {p.sheet or '-'} | {h[1]}: {row} | "
                f"{h[2]}: {p.column or '-'} | {h[3]}: {_shown(p.value) or '-'}\n"
                f"    {h[4]}: {problem}\n    {h[5]}: {fix}"
            )
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        lines.append("Keine Probleme gefunden." if lang == "de" else "No problems found.")
    lines.append(
        f"{errors} error(s), {warnings} warning(s)." if lang == "en" else f"{errors} Fehler, {warnings} Hinweis(e)."
    )
    return "\n".join(lines)
