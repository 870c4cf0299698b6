"""The published columns: one entry per column of the workbook and the open data, with its short machine
name (CSV header, GeoPackage field), its German label (workbook header, ``title`` in ``datapackage.json``),
its type (Frictionless Table Schema types) and a description that explains it.

The warehouse's column names stay internal; every product that publishes a table takes its names, labels,
types and descriptions from :data:`FIELDS`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str  # machine name: lower case, ASCII, no spaces
    title: str  # German label
    type: str  # string, integer, number, boolean, date
    description: str


def _f(name: str, title: str, type_: str, description: str) -> Field:
    return Field(name, title, type_, description)


#: warehouse column → its published form
FIELDS: dict[str, Field] = {
    # places and time
    "unit_ags": _f(
        "ags",
        "Gebietsschlüssel",
        "string",
        "Amtlicher Gemeindeschlüssel des Gebiets: 2 Stellen für das Land, 5 für einen Kreis, 8 für eine Gemeinde. "
        "Als Text, damit führende Nullen erhalten bleiben.",
    ),
    "unit_level": _f("ebene", "Ebene", "string", "Gebietsebene der Zeile: Land, Kreis oder Gemeinde."),
    "unit_name": _f("gebiet", "Gebiet", "string", "Name des Gebiets nach dem amtlichen Gebietsstand (VG250)."),
    "year": _f("jahr", "Jahr", "integer", "Berichtsjahr (bei Straftaten das Jahr der Erfassung durch die Polizei)."),
    "month": _f("monat", "Monat", "integer", "Berichtsmonat 1–12; nur in den Monatswerten."),
    # indicators
    "indicator": _f(
        "kennzahl",
        "Kennzahl (Schlüssel)",
        "string",
        "Schlüssel der Kennzahl, erklärt in kennzahlen_codes.csv: 'pks:' + PKS-Schlüssel, 'acc:' + Unfallmerkmal.",
    ),
    "indicator_label": _f("kennzahl_name", "Kennzahl", "string", "Name der Kennzahl in Worten."),
    "count": _f(
        "anzahl",
        "Anzahl",
        "integer",
        "Fälle, Unfälle oder Verunglückte im Jahr (Monat). Leer, wo die Zahl nicht ausgewiesen wird (siehe "
        "anzahl_hinweis).",
    ),
    "disclosure": _f(
        "anzahl_hinweis",
        "Hinweis zur Anzahl",
        "string",
        "'<3': ein oder zwei Fälle in einer Gemeinde, nicht genau ausgewiesen; 'ausgeblendet': nicht ausgewiesen, "
        "damit sich eine kleine Zahl nicht aus der Kreis- oder Landessumme errechnen lässt; leer: Anzahl ausgewiesen.",
    ),
    "population": _f(
        "einwohner",
        "Einwohner",
        "integer",
        "Bevölkerung, auf die sich die Rate bezieht: Stand 31.12. des Vorjahres (wie die Häufigkeitszahl des BKA).",
    ),
    "population_basis": _f(
        "bevoelkerung_basis",
        "Bevölkerung: Zensus",
        "string",
        "Zensus, auf dem die Bevölkerungszahl beruht (Zensus 2011 oder Zensus 2022). Raten auf verschiedener "
        "Basis sind nicht vergleichbar.",
    ),
    "rate_per_100k": _f(
        "je_100000",
        "je 100.000 Einwohner",
        "number",
        "Anzahl je 100.000 Einwohner (bei Straftaten: Häufigkeitszahl). Leer, wenn die Anzahl nicht ausgewiesen wird.",
    ),
    "rate_ci_low": _f(
        "je_100000_ki_unten",
        "je 100.000 Einwohner: 95-%-Intervall unten",
        "number",
        "Untere Grenze des 95-%-Konfidenzintervalls der Rate (exaktes Poisson-Intervall der Anzahl).",
    ),
    "rate_ci_high": _f(
        "je_100000_ki_oben",
        "je 100.000 Einwohner: 95-%-Intervall oben",
        "number",
        "Obere Grenze des 95-%-Konfidenzintervalls der Rate.",
    ),
    "hz_published": _f(
        "hz_veroeffentlicht",
        "Häufigkeitszahl (veröffentlicht)",
        "number",
        "Die vom BKA selbst veröffentlichte Häufigkeitszahl, zum Abgleich; leer, wo das BKA keine veröffentlicht.",
    ),
    "break_flag": _f(
        "bruch",
        "Bruch in der Reihe",
        "boolean",
        "ja, wenn sich die Zeile wegen einer Änderung der Zählweise oder der Bevölkerungsbasis nicht mit den "
        "Vorjahren vergleichen lässt.",
    ),
    "break_reason": _f("bruch_grund", "Grund des Bruchs", "string", "Worin der Bruch besteht."),
    "source": _f("quelle", "Quelle", "string", "Statistik, aus der die Zahl stammt."),
    # effects
    "event": _f(
        "ereignis",
        "Maßnahme oder Gremium",
        "string",
        "Titel der Maßnahme, oder 'Einrichtung: <Gremium>' bzw. 'Neustart: <Gremium>' für Gründung und Neustart "
        "eines Gremiums.",
    ),
    "measure_id": _f("massnahme_id", "Maßnahmen-ID", "string", "Kennung der Maßnahme im Register (massnahmen.csv)."),
    "body_id": _f("gremium_id", "Gremium-ID", "string", "Kennung des Gremiums im Register (gremien.csv)."),
    "method": _f(
        "verfahren", "Verfahren", "string", "Statistisches Verfahren der Schätzung (Methoden: Bericht, Anhang)."
    ),
    "estimate": _f(
        "ratenverhaeltnis",
        "Ratenverhältnis",
        "number",
        "Fälle nach dem Beginn geteilt durch die ohne Maßnahme erwarteten Fälle: unter 1 weniger, über 1 mehr als "
        "erwartet (0,80 = −20 %).",
    ),
    "ci_low": _f(
        "ki_unten", "95-%-Intervall unten", "number", "Untere Grenze des 95-%-Intervalls des Ratenverhältnisses."
    ),
    "ci_high": _f(
        "ki_oben", "95-%-Intervall oben", "number", "Obere Grenze des 95-%-Intervalls des Ratenverhältnisses."
    ),
    "p_value": _f(
        "p_wert",
        "p-Wert",
        "number",
        "Wahrscheinlichkeit, einen so großen Unterschied ohne Wirkung zu sehen; auf drei signifikante Stellen gerundet.",
    ),
    "p_adjusted": _f(
        "p_wert_bh",
        "p-Wert (korrigiert, Benjamini-Hochberg)",
        "number",
        "p-Wert nach der Korrektur für alle Tests des Berichts (Falscherkennungsrate nach Benjamini-Hochberg).",
    ),
    "p_holm": _f(
        "p_wert_holm",
        "p-Wert (korrigiert, Holm)",
        "number",
        "p-Wert nach der strengeren Korrektur nach Holm (familienweiser Fehler).",
    ),
    "mde_80": _f(
        "kleinste_wirkung",
        "kleinste erkennbare Wirkung (Ratenverhältnis, 80 % Power)",
        "number",
        "Das Ratenverhältnis, das die Auswertung mit 80 % Wahrscheinlichkeit als Wirkung erkennen würde; "
        "kleinere Wirkungen kann sie nicht sicher zeigen.",
    ),
    "n_before": _f("faelle_vorher", "Fälle vorher", "integer", "Fälle im Gebiet im Zeitraum vor dem Beginn."),
    "n_after": _f("faelle_nachher", "Fälle nachher", "integer", "Fälle im Gebiet im Zeitraum nach dem Beginn."),
    "n_before_disclosure": _f(
        "faelle_vorher_hinweis",
        "Hinweis zu Fälle vorher",
        "string",
        "'<3' oder 'ausgeblendet', wenn die Fallzahl nach der Kleinzahlregel nicht ausgewiesen wird "
        "(wie anzahl_hinweis).",
    ),
    "n_after_disclosure": _f(
        "faelle_nachher_hinweis",
        "Hinweis zu Fälle nachher",
        "string",
        "'<3' oder 'ausgeblendet', wenn die Fallzahl nach der Kleinzahlregel nicht ausgewiesen wird "
        "(wie anzahl_hinweis).",
    ),
    "period_before": _f("zeitraum_vorher", "Zeitraum vorher", "string", "Jahre vor dem Beginn, die verglichen wurden."),
    "period_after": _f(
        "zeitraum_nachher", "Zeitraum nachher", "string", "Jahre nach dem Beginn, die verglichen wurden."
    ),
    "comparison": _f("vergleich", "Vergleichsgruppe", "string", "Womit verglichen wurde (Gebiete ohne Maßnahme)."),
    "evaluable": _f("auswertbar", "auswertbar", "boolean", "ja, wenn sich die Zielgröße mit den Daten auswerten ließ."),
    "headline": _f(
        "hauptergebnis",
        "Hauptergebnis",
        "boolean",
        "ja für die Schätzung, die Steckbriefe und Folien zeigen; die übrigen Verfahren stehen zum Vergleich da.",
    ),
    "finding": _f(
        "befund",
        "Befund",
        "string",
        "Ergebnis in Worten nach der Korrektur für die vielen Tests des Berichts (Wirkung gesichert, auch "
        "zufällig erklärbar, keine größere Wirkung, zu klein für die Daten, nicht auswertbar).",
    ),
    "verdict_de": _f(
        "bewertung",
        "Bewertung",
        "string",
        "Das Ergebnis in einem Satz: was sich änderte, womit verglichen, wie sicher.",
    ),
    "context_de": _f(
        "einordnung", "Einordnung in die Forschung", "string", "Was Übersichtsstudien über Maßnahmen dieser Art sagen."
    ),
    # register: bodies
    "name": _f("name", "Name", "string", "Name des Gremiums wie in der Quelle."),
    "body_type": _f("art", "Art", "string", "Art des Gremiums (Präventionsrat, Beirat, Sicherheitspartnerschaft …)."),
    "level": _f("ebene", "Ebene", "string", "Ebene, für die das Gremium zuständig ist: Land, Kreis oder Gemeinde."),
    "ags": _f("ags", "Gemeindeschlüssel", "string", "Amtlicher Schlüssel des Gebiets (2, 5 oder 8 Stellen), als Text."),
    "founded": _f("gegruendet", "Gegründet", "date", "Datum der Gründung, so genau wie bekannt (siehe Genauigkeit)."),
    "founded_precision": _f(
        "gegruendet_genauigkeit",
        "Gegründet: Genauigkeit",
        "string",
        "Wie genau das Datum bekannt ist: Tag, Monat oder Jahr.",
    ),
    "ended": _f("aufgeloest", "Aufgelöst", "date", "Datum der Auflösung; leer, solange das Gremium besteht."),
    "ended_precision": _f("aufgeloest_genauigkeit", "Aufgelöst: Genauigkeit", "string", "Tag, Monat oder Jahr."),
    "relaunched": _f("neustart", "Neustart", "date", "Datum eines Neustarts des Gremiums."),
    "relaunched_precision": _f("neustart_genauigkeit", "Neustart: Genauigkeit", "string", "Tag, Monat oder Jahr."),
    "partners": _f("partner", "Partner", "string", "Beteiligte, durch Komma getrennt."),
    "status": _f("status", "Status", "string", "aktiv, ruhend, aufgelöst oder unbekannt."),
    "source_url": _f(
        "quelle_url", "Quelle (URL)", "string", "Fundstelle im Internet; mehrere durch Semikolon getrennt."
    ),
    "source_date": _f("quelle_stand", "Stand der Quelle", "string", "Datum der Quelle."),
    "source_file": _f("quelldatei", "Quelldatei", "string", "Datei des Registers, aus der die Zeile stammt."),
    "source_row": _f("quellzeile", "Zeile in der Quelldatei", "integer", "Zeile in dieser Datei."),
    # register: measures
    "title": _f("titel", "Titel", "string", "Titel der Maßnahme."),
    "measure_type": _f(
        "art", "Art der Maßnahme", "string", "Art der Maßnahme; gleichartige werden gemeinsam ausgewertet."
    ),
    "domain": _f("bereich", "Bereich", "string", "Kriminalität, Verkehr oder beides."),
    "target_pks_keys": _f(
        "ziel_pks", "Ziel: PKS-Schlüssel", "string", "Straftatenschlüssel der PKS, die die Maßnahme senken soll."
    ),
    "target_accident_groups": _f(
        "ziel_unfaelle", "Ziel: Unfallarten", "string", "Unfallarten, die die Maßnahme senken soll."
    ),
    "area_type": _f(
        "gebietsart",
        "Gebietsart",
        "string",
        "Wo die Maßnahme wirkt: ganze Gemeinde, Punkt mit Radius, Fläche, Ortsteile.",
    ),
    "area_wkt": _f(
        "gebiet_wkt", "Gebiet (WKT, EPSG:25832)", "string", "Punkt oder Fläche als Well-Known Text in EPSG:25832."
    ),
    "area_radius_m": _f("radius_m", "Radius (m)", "number", "Radius um den Punkt in Metern."),
    "area_ortsteile": _f("ortsteile", "Ortsteile", "string", "Ortsteile, in denen die Maßnahme wirkt."),
    "start": _f("beginn", "Beginn", "date", "Beginn der Maßnahme, so genau wie bekannt (siehe Genauigkeit)."),
    "start_precision": _f("beginn_genauigkeit", "Beginn: Genauigkeit", "string", "Tag, Monat oder Jahr."),
    "end": _f("ende", "Ende", "date", "Ende der Maßnahme; leer, solange sie läuft."),
    "end_precision": _f("ende_genauigkeit", "Ende: Genauigkeit", "string", "Tag, Monat oder Jahr."),
    "intensity": _f("intensitaet", "Intensität", "string", "Umfang, z. B. Streifen pro Woche."),
    "budget_eur": _f("budget_eur", "Budget (EUR)", "number", "Mittel in Euro, falls bekannt."),
    "not_evaluable_reason": _f(
        "grund_nicht_auswertbar",
        "Grund: nicht auswertbar",
        "string",
        "Warum die Maßnahme nicht ausgewertet werden kann.",
    ),
    # data quality
    "asset": _f("quelle", "Quelle", "string", "Datenquelle, in der Zeilen zurückgewiesen wurden."),
    "reason": _f("grund", "Grund", "string", "Warum die Zeilen nicht übernommen wurden."),
    "rows": _f("zeilen", "Zeilen", "integer", "Zahl der zurückgewiesenen Zeilen."),
    # where a measure acts and what the evaluation could see there
    "area_ags": _f(
        "gebiet_massnahme",
        "Gebiet der Maßnahme (Schlüssel)",
        "string",
        "Wo die Maßnahme wirkt: Gemeinde, benannte Stadtteile ('15003000-01+04'), Kreis oder Land.",
    ),
    "area_level": _f(
        "ebene_massnahme", "Ebene des Gebiets der Maßnahme", "string", "Stadtteil, Gemeinde, Kreis, Land oder Fläche."
    ),
    "area_share_cases": _f(
        "anteil_faelle",
        "Anteil an den Fällen des gemessenen Gebiets",
        "number",
        "Anteil des Gebiets der Maßnahme an den Fällen des gemessenen Gebiets (1: das Gebiet ist das gemessene).",
    ),
    "area_share_population": _f(
        "anteil_einwohner",
        "Anteil an den Einwohnern des gemessenen Gebiets",
        "number",
        "Anteil des Gebiets der Maßnahme an den Einwohnern des gemessenen Gebiets.",
    ),
    "area_share_territory": _f(
        "anteil_flaeche",
        "Anteil an der Fläche des gemessenen Gebiets",
        "number",
        "Anteil des Gebiets der Maßnahme an der Fläche des gemessenen Gebiets.",
    ),
    "mde_80_area": _f(
        "kleinste_wirkung_ort",
        "kleinste erkennbare Wirkung am Ort der Maßnahme (Ratenverhältnis)",
        "number",
        "Die kleinste erkennbare Wirkung des gemessenen Gebiets, umgerechnet auf das Gebiet der Maßnahme; leer, wo "
        "selbst das Verschwinden aller Fälle dort nicht erkennbar wäre.",
    ),
    "population_handling": _f(
        "einwohner_bruch",
        "Einwohnerzahlen über den Zensus-2022-Bruch",
        "string",
        "Wie die Einwohnerzahlen behandelt wurden: one_basis (eine Grundlage), bridged (Zensus-2022-Jahre an die "
        "Reihe angeglichen), counts (Fallzahlen ohne Einwohner), census_break (nicht überbrückbar).",
    ),
    "benefit_eur_per_year": _f(
        "nutzen_eur_jahr",
        "Vermiedene Unfallkosten je Jahr (Euro)",
        "number",
        "Bei Unfällen: vermiedene Unfälle je Jahr mal die Kosten eines solchen Unfalls (BASt-Kostensätze, Preise "
        "des letzten Unfalljahres); negativ: zusätzliche Kosten.",
    ),
    "benefit_ci_low": _f(
        "nutzen_ki_unten", "Vermiedene Unfallkosten: 95-%-Intervall unten", "number", "Untere Grenze."
    ),
    "benefit_ci_high": _f("nutzen_ki_oben", "Vermiedene Unfallkosten: 95-%-Intervall oben", "number", "Obere Grenze."),
    "area_length_m": _f("laenge_m", "Streckenlänge (m)", "number", "Länge der Strecke, auf der die Maßnahme wirkt."),
    "area_street": _f("strasse", "Straße", "string", "Straße oder Kreuzung, an der die Maßnahme liegt."),
    "mechanism": _f("wirkmechanismus", "Wirkmechanismus", "string", "Wie die Maßnahme wirken soll."),
    "moderators": _f("fuer_wen_und_wo", "Für wen und wo", "string", "Für wen und wo die Maßnahme gedacht ist."),
    "duration": _f("dauer", "Dauer", "string", "Wie lange und wie oft die Maßnahme läuft."),
    # what works: measures of one type pooled
    "measure_type_label": _f("art_name", "Art der Maßnahme", "string", "Art der Maßnahme in Worten."),
    "outcome_label": _f("zielgroesse", "Zielgröße", "string", "Die Zielgröße, auf der gemeinsam ausgewertet wurde."),
    "scope": _f("geltungsbereich", "Geltungsbereich", "string", "lokal (Gemeinden, Kreise) oder Land."),
    "n_measures": _f("massnahmen", "Maßnahmen", "integer", "Zahl der gemeinsam ausgewerteten Maßnahmen."),
    "n_designs": _f("auswertungen", "Auswertungen", "integer", "Zahl der gemeinsam ausgewerteten Auswertungen."),
    "pi_low": _f("vi_unten", "Vorhersageintervall unten", "number", "95-%-Vorhersageintervall für eine neue Maßnahme."),
    "pi_high": _f("vi_oben", "Vorhersageintervall oben", "number", "Obere Grenze des Vorhersageintervalls."),
    "i2": _f("heterogenitaet_i2", "Heterogenität I²", "number", "Anteil der Streuung, der nicht Zufall ist."),
    "tau2": _f("tau2", "Streuung zwischen Maßnahmen τ²", "number", "Geschätzte Streuung der wahren Wirkungen."),
    "literature_estimate": _f(
        "forschung_ratenverhaeltnis", "Forschung: Ratenverhältnis am Ort", "number", "Wirkung laut Übersichtsstudie."
    ),
    "literature_source": _f("forschung_quelle", "Forschung: Quelle", "string", "Die Übersichtsstudie."),
    "literature_at_level": _f(
        "forschung_auf_ebene",
        "Forschung: Ratenverhältnis auf der gemessenen Ebene",
        "number",
        "Die Wirkung der Übersichtsstudie, verteilt auf das gemessene Gebiet.",
    ),
    "mean_share": _f("mittlerer_anteil", "mittlerer Anteil des Gebiets der Maßnahme", "number", "Mittel der Anteile."),
    "rules_version": _f("regeln_version", "Version der Auswertungsregeln", "integer", "data/pooling_rules.yaml."),
    "designs_for_15": _f(
        "auswertungen_fuer_15",
        "Auswertungen nötig für 15 %",
        "integer",
        "Wie viele gleichartige Auswertungen eine Senkung um 15 % mit 80 % Power erkennen würden (leer: über 500).",
    ),
    # indicator code list
    "code": _f("kennzahl", "Kennzahl (Schlüssel)", "string", "Schlüssel der Kennzahl, wie in kennzahlen.csv."),
    "label": _f("name", "Kennzahl", "string", "Name der Kennzahl."),
    "definition": _f("definition", "Definition", "string", "Was gezählt wird."),
    "levels": _f("ebenen", "Ebenen", "string", "Gebietsebenen, für die es Werte gibt."),
    "years": _f("jahre", "Jahre", "string", "Jahre mit Werten; Lücken sind genannt."),
}


def title(column: str) -> str:
    """The German label of a warehouse column (the column itself when unknown)."""
    return FIELDS[column].title if column in FIELDS else column


def machine(column: str) -> str:
    return FIELDS[column].name if column in FIELDS else column
