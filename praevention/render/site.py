"""The static site ``index.html``: links every product, searches municipalities, picks one on a map.

Self-contained (inline CSS, JS, SVG and search index), no server, works from a USB stick (file://).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from praevention.render import fmt
from praevention.render.cache import write_if_changed
from praevention.render.data import SYNTHETIC_LABEL, ReportData
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
  const hits = INDEX.filter(e => norm(e.name).includes(q) || e.ags.startsWith(q)).slice(0, 25);
  for (const e of hits) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = e.href; a.className = 'treffer'; a.textContent = e.name + ' (' + e.kind + ', ' + e.ags + ')';
    li.appendChild(a); list.appendChild(li);
  }
  if (!hits.length) { const li = document.createElement('li'); li.textContent = 'Kein Treffer'; list.appendChild(li); }
}
box.addEventListener('input', show);
"""


def _links(paths: list[Path], out_dir: Path) -> list[tuple[str, str]]:
    return [(p.relative_to(out_dir).as_posix(), p.name) for p in sorted(paths)]


def render_site(data: ReportData, out_dir: Path, products: dict[str, list[Path]]) -> Path:
    """Write ``out_dir/index.html`` linking ``products`` (name → files below ``out_dir``)."""
    sheets = {p.stem: p for p in products.get("steckbriefe", []) if p.suffix == ".html"}
    by_ags = {s.split("_")[1]: p for s, p in sheets.items() if s.startswith("gemeinde_")}
    index = [
        {"name": str(r.name), "ags": r.ags, "kind": "Gemeinde", "href": by_ags[r.ags].relative_to(out_dir).as_posix()}
        for r in data.gemeinden.itertuples()
        if r.ags in by_ags
    ]
    for s, p in sheets.items():
        if s.startswith("gremium_"):
            body_id = s.split("_")[1]
            b = data.bodies[data.bodies["body_id"] == body_id]
            if len(b):
                index.append(
                    {
                        "name": str(b["name"].iloc[0]),
                        "ags": str(b["ags"].iloc[0]),
                        "kind": "Gremium",
                        "href": p.relative_to(out_dir).as_posix(),
                    }
                )
    links = {a: p.relative_to(out_dir).as_posix() for a, p in by_ags.items()}
    map_svg = LocatorMap(data.gemeinden, data.kreise, width=560).svg(
        None, links=links, title="Gemeinde auf der Karte wählen"
    )
    sections = []
    labels = {
        "karten": "Karten (interaktiv und als Bild)",
        "ministerium": "Bericht für das Ministerium",
        "offene-daten": "Offene Daten: CSV, GeoPackage (mit QGIS-Stil), Datenbeschreibung und Lizenz",
        "konferenz": "Regionalkonferenzen: Präsentationen und Grafiken",
        "steckbriefe": "Steckbriefe (PDF)",
    }
    release = [p for p in products.get("ministerium", []) if "offene-daten" in p.parts]
    products = {**products, "offene-daten": release}
    products["ministerium"] = [p for p in products.get("ministerium", []) if p not in release]
    for key, title in labels.items():
        files = [p for p in products.get(key, []) if not (key == "steckbriefe" and p.suffix == ".html")]
        if key == "karten":
            files = [p for p in files if p.suffix in (".html", ".png")]
        if key == "konferenz":
            files = [p for p in files if p.suffix in (".pptx", ".png")]
        items = "".join(f'<li><a href="{escape(h)}">{escape(n)}</a></li>' for h, n in _links(files, out_dir))
        sections.append(
            f"<section><h2>{escape(title)}</h2><details{' open' if key != 'steckbriefe' else ''}>"
            f"<summary>{fmt.number(len(files))} Dateien</summary><ul>{items}</ul></details></section>"
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
Gemeinden und {fmt.plural(len(data.bodies), "Gremium", "Gremien")}, der Bericht für das Ministerium und die Unterlagen der Regionalkonferenzen.
{escape(data.data_as_of())}.</p>
<div class="cols">
 <div><h2>Gemeinde oder Gremium suchen</h2>
  <label for="suche">Name oder Gemeindeschlüssel</label>
  <input id="suche" type="search" placeholder="z. B. Quedlinburg" autocomplete="off">
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
