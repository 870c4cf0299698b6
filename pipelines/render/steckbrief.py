"""Fact sheets (Steckbriefe): one per Gemeinde of the Land and one per register body, as PDF and HTML.

Each sheet has at most two pages: a locator map, the key indicators with their trend against the Kreis
and the Land, the effects of the local bodies' measures with their verdicts, the data gaps stated
plainly, the sources and the date of the data. Counts are formatted by :mod:`fmt`: counts of 1–2 that we
computed ourselves (Unfallatlas points) are shown as "<3"; small counts the source publishes itself are
shown but marked where fewer than 1,000 people live.

The PDF comes from one typst template compiled per sheet with the data as JSON (text is never parsed
as markup), the HTML from a jinja2 template; both get the same context.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.register.schema import BODY_TYPES, PARTNERS
from pipelines.render import fmt
from pipelines.render.data import SYNTHETIC_LABEL, ReportData
from pipelines.render.svg import LocatorMap, sparkline

TEMPLATES = Path(__file__).parent / "templates"
CRIME = [("pks:------", "Straftaten insgesamt"), ("pks:899000", "Straßenkriminalität"),
         ("pks:435*00", "Wohnungseinbruchdiebstahl"), ("pks:892000", "Gewaltkriminalität")]
ACCIDENTS = [("acc:points_all", "Unfälle mit Personenschaden (Unfallatlas)"),
             ("acc:unfaelle_personenschaden", "Unfälle mit Personenschaden (Statistik)"),
             ("acc:verunglueckte", "Verunglückte")]
COMPUTED_BY_US = ("acc:points_",)  # counts we aggregate ourselves: the small-number rule applies
HEADER = ["Kennzahl", "Ebene", "Jahr", "Anzahl", "je 100.000 EW (95 %-KI)", "Kreis", "Land", "Trend"]
WIDTHS = [2.6, 1.5, 0.7, 0.9, 1.9, 0.9, 0.9, 1.0]
SMALL_NOTE = ("* Kleinzahl in einer Gemeinde mit weniger als 1.000 Einwohnern: von der Quelle veröffentlicht, "
              "wegen des Zufalls nicht als Trend zu deuten. Selbst ermittelte Zahlen von 1 bis 2 erscheinen als <3.")
METHOD_DE = {"naive_before_after": "naiv", "did_poisson_fe": "Vergleichsgruppe", "did_staggered": "gestaffelte Starts",
             "synthetic_control": "synthetische Kontrolle", "empirical_bayes": "Empirical Bayes", "wdq": "WDQ", "none": "–"}


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", str(text).replace("ß", "ss")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:50] or "x"


class SheetBuilder:
    def __init__(self, data: ReportData):
        self.data = data
        yearly = data.panel[data.panel["month"].isna()]
        self.series = {k: g.sort_values("year") for k, g in yearly.groupby(["unit_ags", "indicator"], sort=False)}
        self.locator = LocatorMap(data.gemeinden, data.kreise)
        self.kreis_names = dict(zip(data.kreise["ags"], data.kreise["name"], strict=True))
        self.gem = data.gemeinden.set_index("ags")
        self.sources = data.attributions()
        self.common = {
            "synthetic": data.synthetic, "synthetic_label": SYNTHETIC_LABEL, "as_of": data.data_as_of(),
            "generated_on": fmt.date_de(data.generated_on), "sources": self.sources,
            "footer": "Präventionsmonitor Sachsen-Anhalt" + (f" · {SYNTHETIC_LABEL}" if data.synthetic else ""),
            "indicator_header": HEADER, "indicator_widths": WIDTHS,
        }

    def latest(self, unit: str, indicator: str) -> pd.Series | None:
        s = self.series.get((unit, indicator))
        return None if s is None or s.empty else s.iloc[-1]

    def rate_at(self, unit: str, indicator: str, year: int) -> str:
        s = self.series.get((unit, indicator))
        if s is None:
            return "–"
        row = s[s["year"] == year]
        return fmt.number(row["rate_per_100k"].iloc[0], 1) if len(row) else "–"

    def trend(self, unit: str, indicator: str) -> str:
        s = self.series.get((unit, indicator))
        if s is None or len(s) < 2 or not (s["rate_per_100k"].iloc[0] > 0):
            return "–"
        return f"{fmt.change_from_ratio(s['rate_per_100k'].iloc[-1] / s['rate_per_100k'].iloc[0])} seit {s['year'].iloc[0]}"

    def indicator_row(self, unit: str, level_label: str, indicator: str, label: str, population: float | None,
                      notes: list[str]) -> list[str] | None:
        row = self.latest(unit, indicator)
        if row is None:
            return None
        ours = indicator.startswith(COMPUTED_BY_US)
        count = fmt.publish_count(row["count"], source_publishes_small=not ours)
        if not ours and population is not None and population < 1000 and 0 < row["count"] < 3:
            count += "*"
            if SMALL_NOTE not in notes:
                notes.append(SMALL_NOTE)
        ci = f"{fmt.number(row['rate_per_100k'], 1)} ({fmt.number(row['rate_ci_low'], 1)}–{fmt.number(row['rate_ci_high'], 1)})"
        if fmt.is_suppressed(row["count"], source_publishes_small=not ours):
            ci = "nicht ausgewiesen (Kleinzahl)"
        year = int(row["year"])
        kreis = unit[:5] if len(unit) == 8 else unit
        return [label, level_label, str(year), count, ci,
                self.rate_at(kreis, indicator, year) if len(unit) == 8 else "–",
                self.rate_at(self.data.land, indicator, year), self.trend(unit, indicator)]

    def effects_for(self, measure_ids: list[str]) -> list[dict]:
        e = self.data.effects
        rows = []
        for mid in measure_ids:
            sel = e[e["measure_id"] == mid]
            for ind, g in sel.groupby("indicator", sort=True):
                head = g[g["headline"]]
                if head.empty:
                    continue
                h = head.iloc[0]
                others = [f"{METHOD_DE.get(m, m)}: {fmt.change_from_ratio(x)}" for m, x, ev in
                          zip(g["method"], g["estimate"], g["evaluable"], strict=True) if ev and m != h["method"]]
                title = self.measure_title(mid)
                meta = f"{h['indicator_label'] or 'ohne Zielgröße'}, ausgewertet: {self.unit_name(h['unit_ags'])}"
                if h["period_after"]:
                    meta += f", vorher {h['period_before']}, nachher {h['period_after']}"
                if others:
                    meta += "; weitere Verfahren: " + ", ".join(others)
                rows.append({"title": title, "meta": meta, "verdict": h["verdict_de"]})
        return rows

    def measure_title(self, measure_id: str) -> str:
        m = self.data.measures[self.data.measures["measure_id"] == measure_id]
        if len(m):
            return str(m["title"].iloc[0])
        body_id, _, kind = measure_id.partition(":")
        b = self.data.bodies[self.data.bodies["body_id"] == body_id]
        name = str(b["name"].iloc[0]) if len(b) else body_id
        return f"{'Neustart' if kind == 'neustart' else 'Einrichtung'}: {name}"

    def unit_name(self, ags: str) -> str:
        if ags == self.data.land:
            return self.data.land_name
        if len(ags) == 5:
            return f"Kreis {self.kreis_names.get(ags, ags)}"
        return str(self.gem["name"].get(ags, ags)) if ags in self.gem.index else ags

    # ------------------------------------------------------------------ Gemeinde sheets
    def gemeinde(self, ags: str) -> dict:
        g = self.gem.loc[ags]
        kreis = ags[:5]
        kreis_name = self.kreis_names.get(kreis, kreis)
        single = (self.gem.index.str[:5] == kreis).sum() == 1
        pop = float(g["population"]) if pd.notna(g["population"]) else None
        notes: list[str] = []
        rows = []
        for ind, label in CRIME:
            r = self.indicator_row(kreis, "Stadt (= Kreis)" if single else f"Kreis {kreis_name}", ind, label, None, notes)
            if r:
                rows.append(r)
        for ind, label in ACCIDENTS:
            r = self.indicator_row(ags, "Gemeinde", ind, label, pop, notes)
            if r:
                rows.append(r)
        bodies = self.data.bodies[self.data.bodies["ags"] == ags]
        measure_ids = sorted(set(self.data.measures.loc[self.data.measures["ags"] == ags, "measure_id"])
                             | set(self.data.effects.loc[self.data.effects["measure_id"].str.split(":").str[0].isin(bodies["body_id"])
                                                         & self.data.effects["measure_id"].str.contains(":"), "measure_id"]))
        gaps = ["Kriminalitätsdaten liegen nur auf Kreisebene vor." if not single else
                "Kriminalitätsdaten: die kreisfreie Stadt ist ein eigener Kreis der PKS."]
        if (ags, "acc:points_all") not in self.series:
            gaps.append("Unfallatlas-Daten (Unfallorte) liegen für diese Gemeinde nicht vor.")
        gaps.append("Unfallzahlen je Gemeinde gibt es nur für einzelne Jahre (Regionalstatistik 2015, INKAR 2023).")
        if not measure_ids:
            gaps.append("Keine Maßnahmen im Register – das Register ist nicht vollständig; fehlende Einträge heißen "
                        "nicht, dass es keine Prävention gibt.")
        if self.data.panel["break_flag"].any():
            gaps.append("Ab 2024 beruhen Einwohnerzahlen auf dem Zensus 2022: ein Bruch in der Reihe, kein Trend.")
        trend = sparkline({
            f"Kreis {kreis_name}" if not single else str(g["name"]): [(int(y), v) for y, v in self._rates(kreis, "pks:------")],
            self.data.land_name: [(int(y), v) for y, v in self._rates(self.data.land, "pks:------")],
        }, unit="Straftaten je 100.000 EW, Index (erstes Jahr = 100)")
        facts = [("Gemeindeschlüssel", ags), ("Kreis", f"{kreis_name} ({kreis})"),
                 ("Einwohner", fmt.number(pop) if pop else "–"), ("Fläche", f"{fmt.number(g['area_km2'], 1)} km²"),
                 ("Gremien im Register", ", ".join(bodies["name"]) or "keine")]
        return {
            **self.common, "title": f"Steckbrief {g['name']}", "kind": "gemeinde", "ags": ags,
            "subtitle": f"Gemeinde in {self.data.land_name} · Präventionsmonitor",
            "map_svg": self.locator.svg(ags, title=str(g["name"])), "map_caption": f"Lage von {g['name']} im Land; Kreis umrandet",
            "facts": facts, "trend_svg": trend, "indicators": rows, "effects": self.effects_for(measure_ids),
            "no_effects": "Für diese Gemeinde sind im Register keine Maßnahmen mit Auswertung verzeichnet.",
            "gaps": gaps, "footnotes": notes, "file": f"gemeinde_{ags}_{slug(g['name'])}",
        }

    def _rates(self, unit: str, indicator: str) -> list[tuple[int, float]]:
        s = self.series.get((unit, indicator))
        return [] if s is None else list(zip(s["year"], s["rate_per_100k"], strict=True))

    # ------------------------------------------------------------------ body sheets
    def body(self, body_id: str) -> dict:
        b = self.data.bodies[self.data.bodies["body_id"] == body_id].iloc[0]
        ags = str(b["ags"])
        measures = self.data.measures[self.data.measures["body_id"] == body_id]
        ids = sorted(set(measures["measure_id"]) | {m for m in self.data.effects["measure_id"] if m.startswith(f"{body_id}:")})
        partners = [PARTNERS.get(p, p) for p in (b["partners"] if b["partners"] is not None else [])]
        dates = [("Gegründet", b["founded"], b["founded_precision"]), ("Neustart", b["relaunched"], b["relaunched_precision"]),
                 ("Aufgelöst", b["ended"], b["ended_precision"])]
        facts = [("Art", BODY_TYPES.get(b["body_type"], b["body_type"])), ("Ebene", b["level"]),
                 ("Gebiet", f"{self.unit_name(ags)} ({ags})"),
                 *[(k, fmt.date_de(v, p or "day")) for k, v, p in dates if v is not None and pd.notna(v)],
                 ("Partner", ", ".join(partners) or "nicht angegeben"), ("Maßnahmen im Register", str(len(measures)))]
        gaps = []
        if len(ags) == 8:
            gaps.append("Kriminalitätsdaten liegen nur auf Kreisebene vor: ausgewertet wird der Kreis "
                        f"{self.kreis_names.get(ags[:5], ags[:5])}.")
        not_eval = measures[~measures["evaluable"].astype(bool)]
        for _, m in not_eval.iterrows():
            gaps.append(f"{m['measure_id']} nicht auswertbar: {m['not_evaluable_reason']}.")
        if not gaps:
            gaps.append("Keine besonderen Datenlücken.")
        urls = [u.strip() for u in str(b["source_url"] or "").split(";") if u.strip()]
        return {
            **self.common, "title": str(b["name"]), "kind": "gremium", "ags": ags,
            "subtitle": f"{BODY_TYPES.get(b['body_type'], b['body_type'])} · Register-ID {body_id}",
            "map_svg": self.locator.svg(None if ags == self.data.land else ags, title=str(b["name"])),
            "map_caption": "Gebiet des Gremiums" if ags != self.data.land else "ganzes Land",
            "facts": facts, "trend_svg": "", "indicators": [], "effects": self.effects_for(ids),
            "no_effects": "Für dieses Gremium liegen keine ausgewerteten Maßnahmen vor.",
            "gaps": gaps, "footnotes": [], "sources": [*self.sources, *[f"Registereintrag: {u}" for u in urls]],
            "file": f"gremium_{body_id}_{slug(b['name'])}",
        }


def _compile(batch: list[dict]) -> list[tuple[str, bytes]]:
    import typst

    compiler = typst.Compiler(str(TEMPLATES / "steckbrief.typ"))
    return [(ctx["file"], compiler.compile(sys_inputs={"data": json.dumps(ctx, ensure_ascii=False, default=str)}))
            for ctx in batch]


def render_fact_sheets(data: ReportData, out_dir: Path, *, workers: int = 2) -> list[Path]:
    """Write ``gemeinde_*`` and ``gremium_*`` sheets (PDF and HTML) into ``out_dir``; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = SheetBuilder(data)
    contexts = [builder.gemeinde(a) for a in data.gemeinden["ags"]] + [builder.body(b) for b in data.bodies["body_id"]]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    html = env.get_template("steckbrief.html.j2")
    written = []
    for ctx in contexts:
        path = out_dir / f"{ctx['file']}.html"
        path.write_text(html.render(d={**ctx, "pdf": f"{ctx['file']}.pdf"}), encoding="utf-8")
        written.append(path)
    batches = [contexts[i::workers] for i in range(workers)] if workers > 1 else [contexts]
    if workers > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            results = [r for part in pool.map(_compile, batches) for r in part]
    else:
        results = _compile(contexts)
    for name, pdf in results:
        path = out_dir / f"{name}.pdf"
        path.write_bytes(pdf)
        written.append(path)
    return sorted(written)
