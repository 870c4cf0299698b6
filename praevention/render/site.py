"""The static site ``index.html``: links every product by its name, finds every place, picks one on a map.

The search knows each Gemeinde by its short name (VG250), its official name from the Gemeindeverzeichnis
("Lutherstadt Eisleben") and its postcode (the Gemeindeverzeichnis gives one per Gemeinde: a town with several
gives its main one); each Kreis as people name it ("Landkreis Harz") and by its short name; the dissolved
Gemeinden the accident statistics still list ("Gernrode, Harz"), which lead to their Kreis, since no source
says which Gemeinde they belong to today; the Ortsteile the register names; and the bodies of the register
(placeholders left out). Self-contained (inline CSS, JS, SVG and search index), no server, works from a USB
stick (file://).
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from praevention.render import fmt
from praevention.render.cache import write_if_changed
from praevention.render.data import SYNTHETIC_LABEL, ReportData, is_placeholder
from praevention.render.steckbrief import slug
from praevention.render.svg import LocatorMap

SCRIPT = """
const INDEX = JSON.parse(document.getElementById('index').textContent);
function norm(s) {
  return s.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '');
}
const box = document.getElementById('suche');
const list = document.getElementById('treffer');
function show() {
  const q = norm(box.value.trim());
  list.innerHTML = '';
  if (q.length < 2) { return; }
  const hits = INDEX.filter(e => [e.name, ...e.also].some(n => norm(n).includes(q)) || e.ags.startsWith(q)).slice(0, 25);
  for (const e of hits) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    const also = e.also.find(n => norm(n).includes(q) && !norm(e.name).includes(q));
    a.href = e.href; a.className = 'treffer';
    a.textContent = e.name + ' (' + e.kind + ')' + (also ? ' – ' + also : '');
    li.appendChild(a); list.appendChild(li);
  }
  if (!hits.length) { const li = document.createElement('li'); li.textContent = 'Kein Treffer'; list.appendChild(li); }
}
box.addEventListener('input', show);
"""


def _text(value: object) -> str:
    """A value as text, empty for missing ones (None, NaN, pd.NA)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def official_name(name: object) -> str:
    """The Gemeindeverzeichnis's name as people say it: 'Eisleben, Lutherstadt' → 'Lutherstadt Eisleben'."""
    text = _text(name)
    base, _, title = text.partition(", ")
    return f"{title} {base}" if title else text


def search_index(data: ReportData, sheets: dict[str, str]) -> list[dict]:
    """Every place and body with the names it is searched by (``sheets``: file stem → link)."""
    by_prefix: dict[str, str] = {}
    for stem, href in sheets.items():
        kind, _, rest = stem.partition("_")
        by_prefix[f"{kind}_{rest.split('_')[0]}"] = href
    index = []
    for r in data.gemeinden.itertuples():
        href = by_prefix.get(f"gemeinde_{r.ags}")
        if href is None:
            continue
        kreis = str(r.ags)[:5]
        official = official_name(_text(getattr(r, "official_name", None)))
        also = [n for n in (official, _text(getattr(r, "postcode", None))) if n and n != r.name]
        kind = "kreisfreie Stadt" if kreis in data.kreisfreie else f"Gemeinde, {data.kreis_label(kreis)}"
        index.append({"name": str(r.name), "also": also, "kind": kind, "ags": str(r.ags), "href": href})
    for r in data.kreise.itertuples():
        ags = str(r.ags)
        href = by_prefix.get(f"kreis_{ags}")
        if href is None:  # a kreisfreie Stadt is found as the Gemeinde it is
            continue
        label = data.kreis_label(ags)
        also = [n for n in {str(r.name), f"Kreis {r.name}", f"Landkreis {r.name}"} if n != label]
        index.append({"name": label, "also": sorted(also), "kind": "Kreis", "ags": ags, "href": href})
    for r in data.former_gemeinden.itertuples():
        kreis = str(r.ags)[:5]
        href = by_prefix.get(f"kreis_{kreis}")
        if href is None:
            continue
        index.append(
            {
                "name": str(r.name),
                "also": [],
                "kind": f"ehemalige Gemeinde, heute Teil einer Gemeinde im {data.kreis_label(kreis)}",
                "ags": str(r.ags),
                "href": href,
            }
        )
    for m in data.measures.itertuples():
        ortsteile = getattr(m, "area_ortsteile", None)
        href = by_prefix.get(f"gemeinde_{m.ags}")
        if href is None or not isinstance(ortsteile, list | tuple | np.ndarray):
            continue
        for name in ortsteile:
            index.append(
                {
                    "name": str(name),
                    "also": [],
                    "kind": f"Ortsteil von {data.unit_name(str(m.ags))}",
                    "ags": str(m.ags),
                    "href": href,
                }
            )
    for b in data.real_bodies.itertuples():
        href = by_prefix.get(f"gremium_{re.sub(r'[^A-Za-z0-9-]+', '-', str(b.body_id))}")
        if href is not None:
            index.append({"name": str(b.name), "also": [], "kind": "Gremium", "ags": str(b.ags), "href": href})
    return index


#: what the files of the map set show, by the start of their name
MAP_NAMES = {
    "kreise_straftaten_veraenderung": "Straftaten: Veränderung je Kreis",
    "kreise_strassenkriminalitaet_veraenderung": "Straßenkriminalität: Veränderung je Kreis",
    "kreise_straftaten": "Straftaten je 100.000 Einwohner je Kreis",
    "kreise_strassenkriminalitaet": "Straßenkriminalität je 100.000 Einwohner je Kreis",
    "kreise_wohnungseinbruch": "Wohnungseinbrüche je 100.000 Einwohner je Kreis",
    "kreise_gewaltkriminalitaet": "Gewaltkriminalität je 100.000 Einwohner je Kreis",
    "gemeinden_verunglueckte": "Verunglückte im Straßenverkehr je 100.000 Einwohner je Gemeinde",
    "gemeinden_unfaelle_personenschaden": "Unfälle mit Personenschaden je 100.000 Einwohner je Gemeinde",
    "gemeinden_unfaelle_unfallatlas": "Unfälle (Unfallatlas) je 100.000 Einwohner je Gemeinde",
    "gremien_uebersicht": "Gremien und Maßnahmen im Register",
    "unfallorte": "Unfallorte",
}
FORMATS = {
    ".html": "interaktiv",
    ".png": "Bild",
    ".svg": "Vektorgrafik",
    ".pdf": "PDF",
    ".pptx": "PowerPoint",
    ".xlsx": "Excel",
    ".csv": "CSV",
    ".gpkg": "GeoPackage",
    ".qml": "QGIS-Stil",
    ".json": "Beschreibung",
    ".txt": "Text",
}
OPEN_DATA_NAMES = {
    "kennzahlen.csv": "Kennzahlen je Jahr (lange Zeitreihe)",
    "kennzahlen_monate.csv": "Monatswerte (vorläufig)",
    "kennzahlen_codes.csv": "Codeliste der Kennzahlen",
    "wirkungen.csv": "Wirkungen der Maßnahmen",
    "gremien.csv": "Gremien des Registers",
    "massnahmen.csv": "Maßnahmen des Registers",
    "datenqualitaet.csv": "Datenqualität",
    "datenbeschreibung.csv": "Datenbeschreibung (jede Spalte)",
    "datapackage.json": "Datenpaket (Frictionless, maschinenlesbar)",
    "praeventionsmonitor.gpkg": "Geodaten",
    "LIZENZ.txt": "Lizenz und Quellen",
}


def link_text(path: Path, data: ReportData, sheet_names: dict[str, str]) -> str:
    """What a file is, for its link: a name, never a file name or a register ID."""
    stem, suffix = path.stem, path.suffix.lower()
    form = FORMATS.get(suffix, suffix.lstrip("."))
    if stem in sheet_names:
        return f"{sheet_names[stem]} ({form})"
    if path.name in OPEN_DATA_NAMES:
        return f"{OPEN_DATA_NAMES[path.name]} ({form})"
    if suffix == ".qml":
        return f"QGIS-Stil der Ebene {stem}"
    if stem == "bericht":
        return f"Bericht für das Ministerium ({form})"
    if stem == "tabellen":
        return "Tabellen des Berichts (Excel)"
    if stem.startswith("praesentation_"):
        return f"Präsentation {_region(path, data)}"
    if stem.startswith("grafik_") or stem == "karte":
        what = "Karte" if stem == "karte" else f"Grafik {stem.partition('_')[2]}"
        return f"{_region(path, data)}: {what} ({form})"
    for prefix, name in MAP_NAMES.items():
        if stem.startswith(prefix):
            rest = stem[len(prefix) :].strip("_")
            if prefix == "unfallorte":
                ags = rest.split("_")[0]
                return f"Unfallorte {data.unit_name(ags)} ({form})"
            year = re.search(r"(\d{4})$", rest)
            when = ("bis " if "veraenderung" in prefix else "") + year.group(1) if year else ""
            return f"{name}{', ' + when if when else ''} ({form})"
    return f"{stem.replace('_', ' ')} ({form})"


def _region(path: Path, data: ReportData) -> str:
    names = {slug(name): name for name in data.regions}
    return names.get(path.parent.name, path.parent.name)


def sheet_names(data: ReportData, sheets: list[Path]) -> dict[str, str]:
    """File stem of each fact sheet → what it is ('Steckbrief Quedlinburg')."""
    bodies = dict(zip(data.bodies["body_id"].astype(str), data.bodies["name"].astype(str), strict=True))
    bodies = {re.sub(r"[^A-Za-z0-9-]+", "-", k): v for k, v in bodies.items() if not is_placeholder(k)}
    out = {}
    for p in sheets:
        kind, _, rest = p.stem.partition("_")
        key = rest.split("_")[0]
        if kind == "gemeinde":
            out[p.stem] = f"Steckbrief {data.unit_name(key)}"
        elif kind == "kreis":
            out[p.stem] = f"Steckbrief {data.kreis_label(key)}"
        elif kind == "gremium" and key in bodies:
            out[p.stem] = f"Steckbrief {bodies[key]}"
    return out


def render_site(data: ReportData, out_dir: Path, products: dict[str, list[Path]]) -> Path:
    """Write ``out_dir/index.html`` linking ``products`` (name → files below ``out_dir``)."""
    sheets = {p.stem: p.relative_to(out_dir).as_posix() for p in products.get("steckbriefe", []) if p.suffix == ".html"}
    names = sheet_names(data, [p for p in products.get("steckbriefe", []) if p.suffix == ".html"])
    index = search_index(data, sheets)
    links = {e["ags"]: e["href"] for e in index if e["kind"].startswith(("Gemeinde", "kreisfreie"))}
    map_svg = LocatorMap(data.gemeinden, data.kreise, width=560).svg(
        None, links=links, title="Gemeinde auf der Karte wählen"
    )
    release = [p for p in products.get("ministerium", []) if "offene-daten" in p.parts]
    groups = {
        "karten": (
            "Karten (interaktiv und als Bild)",
            [p for p in products.get("karten", []) if p.suffix in (".html", ".png") and p.parent.name == "karten"],
        ),
        "ministerium": (
            "Bericht für das Ministerium",
            [p for p in products.get("ministerium", []) if p not in release],
        ),
        "offene-daten": (
            "Offene Daten: CSV (Semikolon, Dezimalkomma), Datenpaket, GeoPackage mit QGIS-Stilen, Lizenz",
            release,
        ),
        "konferenz": (
            "Regionalkonferenzen: Präsentationen und Grafiken",
            [p for p in products.get("konferenz", []) if p.suffix in (".pptx", ".png")],
        ),
        "kreise": (
            "Steckbriefe der Kreise",
            [p for p in products.get("steckbriefe", []) if p.name.startswith("kreis_") and p.suffix == ".html"],
        ),
        "steckbriefe": (
            "Steckbriefe der Gemeinden und Gremien (PDF)",
            [p for p in products.get("steckbriefe", []) if p.suffix == ".pdf" and not p.name.startswith("kreis_")],
        ),
    }
    sections = []
    for key, (title, files) in groups.items():
        items = sorted((link_text(p, data, names), p.relative_to(out_dir).as_posix()) for p in files)
        lis = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in items)
        sections.append(
            f"<section><h2>{escape(title)}</h2><details{' open' if key != 'steckbriefe' else ''}>"
            f"<summary>{fmt.plural(len(files), 'Datei', 'Dateien')}</summary><ul>{lis}</ul></details></section>"
        )
    synthetic = f'<p class="synthetic">{SYNTHETIC_LABEL}</p>' if data.synthetic else ""
    index_json = json.dumps(index, ensure_ascii=False).replace("</", "<\\/")
    sources = "".join(f"<li>{escape(s)}</li>" for s in data.attributions())
    html = f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Präventionsmonitor {escape(data.land_name)}</title>
<style>
 body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }}
 h1 {{ color: #1f3b5a; }} h2 {{ color: #1f3b5a; font-size: 1.15rem; }} .cols {{ display: flex; gap: 2rem; flex-wrap: wrap; }}
 .cols > div {{ flex: 1 1 24rem; }} #suche {{ font-size: 1.1rem; padding: 0.4rem; width: 100%; box-sizing: border-box; }}
 #treffer li {{ margin: 0.2rem 0; }} svg a:hover path {{ fill: #21908d; }} .synthetic {{ background: #c0392b; color: #fff; padding: 0.3rem 0.6rem; display: inline-block; font-weight: bold; }}
 footer {{ font-size: 0.8rem; color: #555; margin-top: 2rem; }}
</style></head><body>
{synthetic}
<h1>Präventionsmonitor {escape(data.land_name)}</h1>
<p>Wirkt kommunale Kriminal- und Verkehrsunfallprävention? Karten, Steckbriefe für alle {fmt.number(len(data.gemeinden))}
Gemeinden, die Kreise und {fmt.plural(len(data.real_bodies), "Gremium", "Gremien")}, der Bericht für das Ministerium und die
Unterlagen der Regionalkonferenzen. {escape(data.data_as_of())}.</p>
<div class="cols">
 <div><h2>Ort oder Gremium suchen</h2>
  <label for="suche">Gemeinde, Ortsteil, Kreis, Postleitzahl oder Gremium</label>
  <input id="suche" type="search" placeholder="z. B. Quedlinburg, Landkreis Harz oder 06484" autocomplete="off">
  <ul id="treffer" aria-live="polite"></ul></div>
 <div><h2>Gemeinde auf der Karte wählen</h2>{map_svg}</div>
</div>
{"".join(sections)}
<footer><h2>Quellen und Lizenzen</h2><ul>{sources}</ul><p>Datenstand {fmt.date_de(data.data_date)}.</p></footer>
<script id="index" type="application/json">{index_json}</script>
<script>{SCRIPT}</script>
</body></html>
"""
    path = out_dir / "index.html"
    write_if_changed(path, html)
    return path
