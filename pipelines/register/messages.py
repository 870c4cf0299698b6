"""Problems found in a register, with their texts in German (default) and English."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    "unknown_table": (
        "error",
        "Die Spalten passen zu keiner Registertabelle (gefunden: {found}).",
        "Die Kopfzeile der Vorlage verwenden.",
        "The columns match no register table (found: {found}).",
        "Use the template's header row.",
    ),
    "missing_column": (
        "error",
        "Pflichtspalte fehlt.",
        "Eine Spalte mit dieser Überschrift ergänzen; erwartet: {expected}.",
        "Required column missing.",
        "Add a column with this header; expected: {expected}.",
    ),
    "unknown_column": (
        "warning",
        "Unbekannte Spalte, wird nicht übernommen.",
        "Spalte umbenennen oder löschen.",
        "Unknown column, not loaded.",
        "Rename or delete the column.",
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
        "Kein erlaubter Wert.",
        "Einen Wert aus der Auswahlliste wählen: {choices}.",
        "Not an allowed value.",
        "Pick a value from the list: {choices}.",
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
        "8 Ziffern (Gemeinde), 5 (Kreis) oder 2 (Land) als Text eingeben, z. B. 15003000.",
        "Invalid municipality key ({detail}).",
        "Enter 8 digits (Gemeinde), 5 (Kreis) or 2 (Land) as text.",
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
        "Gemeinde: 8 Ziffern, Kreis: 5, Land: 2.",
        "The key does not fit the level '{level}'.",
        "Gemeinde: 8 digits, Kreis: 5, Land: 2.",
    ),
    "unknown_body": (
        "error",
        "Dieses Gremium gibt es im Blatt 'Gremien' nicht.",
        "Das Gremium anlegen oder die ID korrigieren.",
        "No such body in sheet 'Gremien'.",
        "Add the body or correct the ID.",
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
        "PKS-Schlüssel hat nicht das Format: 6 Zeichen aus Ziffern, * oder -.",
        "Den Schlüssel aus der PKS übernehmen, z. B. 435*00 oder 899000.",
        "PKS key malformed: 6 characters of digits, * or -.",
        "Copy the key from the PKS, e.g. 435*00 or 899000.",
    ),
    "unknown_target": (
        "warning",
        "Weder PKS-Schlüssel noch Unfallgruppe: für die Auswertung nicht verwendbar.",
        "PKS-Schlüssel oder eine Unfallgruppe eintragen: {choices}.",
        "Neither a PKS key nor an accident group: cannot be evaluated.",
        "Enter a PKS key or an accident group: {choices}.",
    ),
    "bad_area": (
        "error",
        "Gebiet ist kein gültiges WKT oder GeoJSON ({detail}).",
        "Punkt als 'POINT (11.63 52.13)' (Länge Breite) eintragen.",
        "The area is not valid WKT or GeoJSON ({detail}).",
        "Enter a point as 'POINT (11.63 52.13)' (lon lat).",
    ),
    "outside_land": (
        "error",
        "Das Gebiet liegt außerhalb von {land_name}.",
        "Koordinaten prüfen: zuerst Länge (ca. 10,5–13,2), dann Breite (ca. 50,9–53,1).",
        "The area lies outside {land_name}.",
        "Check the coordinates: longitude first, then latitude.",
    ),
    "radius_missing": (
        "error",
        "Punkt ohne Radius.",
        "Den Radius in Metern eintragen.",
        "Point without radius.",
        "Enter the radius in metres.",
    ),
    "not_evaluable": (
        "warning",
        "Nicht auswertbar: {detail}.",
        "Beginn und Zielgröße ergänzen, wenn bekannt.",
        "Cannot be evaluated: {detail}.",
        "Add start and target if known.",
    ),
}


@dataclass
class Problem:
    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict[str, object] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, lang: str = "de") -> tuple[str, str]:
        _, de, de_fix, en, en_fix = CATALOGUE[self.code]
        params = {
            "land": "15",
            "land_name": "Sachsen-Anhalt",
            "detail": "",
            "choices": "",
            "expected": "",
            "other": "",
            "level": "",
            "found": "",
            **self.params,
        }
        problem, fix = (en, en_fix) if lang == "en" else (de, de_fix)
        return problem.format(**params), fix.format(**params)


HEADERS = {
    "de": ("Blatt", "Zeile", "Spalte", "Wert", "Problem", "Lösung"),
    "en": ("Sheet", "Row", "Column", "Value", "Problem", "Fix"),
}
SEVERITY = {"de": {"error": "Fehler", "warning": "Hinweis"}, "en": {"error": "error", "warning": "warning"}}


def report(problems: list[Problem], lang: str = "de") -> str:
    """The problems as the user reads them: one block per problem, errors first."""
    h = HEADERS[lang]
    lines = []
    for p in sorted(problems, key=lambda p: (not p.is_error, p.sheet, p.row or 0, p.column)):
        problem, fix = p.text(lang)
        value = p.value if len(p.value) <= 60 else p.value[:57] + "…"
        lines.append(
            f"[{SEVERITY[lang][p.severity]}] {h[0]}: {p.sheet or '-'} | {h[1]}: {p.row if p.row is not None else '-'} | "
            f"{h[2]}: {p.column or '-'} | {h[3]}: {value!r}\n    {h[4]}: {problem}\n    {h[5]}: {fix}"
        )
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if lang == "en":
        summary = f"{errors} error(s), {warnings} warning(s)."
    else:
        summary = f"{errors} Fehler, {warnings} Hinweis(e)."
    return "\n".join([*lines, summary])
