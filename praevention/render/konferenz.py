"""Conference kit: one PPTX deck per region (police inspection areas or Kreise) plus every chart as a
300-dpi PNG and a 16:9 SVG. Each chart carries one message in its title ("… seit 2014 um 23 % gesunken");
successful projects are shown with their effect, and where none can be shown the deck says so."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from praevention.evaluation.change import Change, series_change
from praevention.evaluation.panel import add_rates
from praevention.render import disclosure, fmt
from praevention.render.accident_slide import accident_chart
from praevention.render.cache import write_if_changed
from praevention.render.data import SYNTHETIC_LABEL, ReportData
from praevention.render.export import Export, figure_title
from praevention.render.figures import (
    base_layout,
    choropleth,
    ci_band,
    finding_title,
    interval_error,
    rings,
)
from praevention.render.karten import latest_year
from praevention.render.steckbrief import slug
from praevention.render.verdict import chance_phrase

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_H = Inches(0.3), Inches(1.0)
CONTENT_TOP = TITLE_TOP + TITLE_H + Inches(0.15)  # pictures and text start below the title box
CONTENT_BOTTOM = SLIDE_H - Inches(0.45)  # room for the synthetic mark


@dataclass(frozen=True)
class Chart:
    """One chart of a deck: its message (the slide title), the export, the alt text and the speaker notes."""

    message: str
    export: Export
    alt: str
    notes: str


def region_series(data: ReportData, kreise: list[str], indicator: str) -> pd.DataFrame:
    """The region's yearly count, population and rate per 100,000 (sums of its Kreise)."""
    p = data.panel[
        data.panel["unit_ags"].isin(kreise)
        & (data.panel["unit_level"] == "Kreis")
        & (data.panel["indicator"] == indicator)
        & data.panel["month"].isna()
    ]
    s = p.groupby("year", as_index=False).agg(
        count=("count", "sum"),
        population=("population", "sum"),
        units=("unit_ags", "nunique"),
        population_basis=("population_basis", "first"),
    )
    s = s[s["units"] == len(kreise)]
    return add_rates(s)


def region_change(data: ReportData, kreise: list[str], indicator: str) -> Change | None:
    """The region's change on the products' one base (:func:`series_change`)."""
    s = region_series(data, kreise, indicator)
    return series_change(s.assign(month=np.nan)) if len(s) else None


def region_trend(data: ReportData, name: str, kreise: list[str], indicator: str, label: str) -> go.Figure:
    s = region_series(data, kreise, indicator)
    land = data.panel[
        (data.panel["unit_ags"] == data.land) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    fig = go.Figure()
    fig.add_trace(ci_band(s))
    fig.add_trace(
        go.Scatter(
            x=s["year"], y=s["rate_per_100k"], mode="lines+markers", name=name, line={"color": "#21908d", "width": 4}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=land["year"],
            y=land["rate_per_100k"],
            mode="lines",
            name=data.land_name,
            line={"color": "#3b528b", "width": 2, "dash": "dot"},
        )
    )
    fig.update_xaxes(title="Jahr", dtick=1, tickformat="d")
    fig.update_yaxes(title="je 100.000 Einwohner", rangemode="tozero")
    change = region_change(data, kreise, indicator)
    title = finding_title(change, region_dative(name), label)
    notes = [change.note] if change is not None and change.note else []
    fig = base_layout(fig, data, title, data.sources_of(indicator), notes=notes)
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"})
    return fig


def kreis_bars(data: ReportData, kreise: list[str], indicator: str, label: str) -> go.Figure:
    p = data.panel[
        data.panel["unit_ags"].isin([*kreise, data.land])
        & (data.panel["indicator"] == indicator)
        & data.panel["month"].isna()
    ]
    year = int(p["year"].max()) if len(p) else 0
    p = p[p["year"] == year].sort_values("rate_per_100k")
    land_rate = p.loc[p["unit_ags"] == data.land, "rate_per_100k"]
    p = p[p["unit_ags"] != data.land]
    fig = go.Figure(
        go.Bar(
            x=p["rate_per_100k"],
            y=p["unit_name"],
            orientation="h",
            marker_color="#21908d",
            error_x=interval_error(p["rate_per_100k"], p["rate_ci_low"], p["rate_ci_high"], "#555"),
            hoverinfo="skip",
        )
    )
    # value labels beside the upper end of the interval, never on the error bar
    fig.add_trace(
        go.Scatter(
            x=p["rate_ci_high"],
            y=p["unit_name"],
            mode="text",
            text=[f" {fmt.number(v, 0)}" for v in p["rate_per_100k"]],
            textposition="middle right",
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "value_labels"},
        )
    )
    if len(p):
        fig.update_xaxes(range=[0, float(p["rate_ci_high"].max()) * 1.18])
    if len(land_rate):
        # the Land's rate as a dashed line, named in the legend above the plot (never on a bar)
        fig.add_vline(x=float(land_rate.iloc[0]), line_dash="dash", line_color="#3b528b")
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": "#3b528b", "dash": "dash"},
                name=f"{data.land_name}: {fmt.number(land_rate.iloc[0], 0)} je 100.000",
            )
        )
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    fig.update_traces(showlegend=False, selector={"type": "bar"})
    fig.update_traces(showlegend=False, selector={"mode": "text"})
    fig.update_yaxes(automargin=True)
    top = p.iloc[-1] if len(p) else None
    title = (
        f"{label} {year}: am häufigsten in {top['unit_name']} ({fmt.number(top['rate_per_100k'], 0)} je 100.000)"
        if top is not None
        else f"{label} {year}"
    )
    fig.update_xaxes(title="je 100.000 Einwohner")
    return base_layout(fig, data, title, data.sources_of(indicator))


def region_dative(name: str) -> str:
    """The region after 'in': 'der Polizeiinspektion Halle (Saale)', a Kreis or town by its name."""
    return f"der {name}" if name.startswith("Polizeiinspektion") else name


#: what makes two evaluations one result: the same design on the same data
SAME_RESULT = ["unit_ags", "indicator", "method", "period_before", "period_after", "estimate", "ci_low", "ci_high"]


def region_effects(data: ReportData, kreise: list[str]) -> pd.DataFrame:
    """The headline results measured inside the region (on a Kreis, Gemeinde or Stadtteil of it); results
    measured on the whole Land are not the region's. Events evaluated with the same design on the same data
    (a body's founding and the agreement it signed the same year) are one result, ``events`` naming them all."""
    e = data.effects[data.effects["headline"] & data.effects["evaluable"]]
    e = e[e["unit_ags"].str[:5].isin(kreise) & (e["unit_ags"].str.len() >= 5)]
    if e.empty:
        return e.assign(events=pd.Series(dtype=object))
    names = e["measure_id"].map(data.event_name)
    key = e[SAME_RESULT].astype(str).agg("|".join, axis=1)
    events = names.groupby(key).agg(lambda n: list(dict.fromkeys(n)))
    return e[~key.duplicated()].assign(events=key[~key.duplicated()].map(events))


def chance_note(effects: pd.DataFrame) -> str:
    """How many 'effects' chance alone produces among the report's tests, for the successes slide."""
    n = int(effects.loc[effects["headline"] & effects["evaluable"], "p_adjusted"].notna().sum())
    return (
        f"Im ganzen Bericht wurden {n} Ergebnisse geprüft; der Zufall allein erzeugt darunter "
        f"{chance_phrase(n)}. Gezeigt werden nur Ergebnisse, "
        "die auch nach dieser Korrektur bestehen."
    )


def successes(effects: pd.DataFrame) -> pd.DataFrame:
    """Shown reductions that survive the adjustment for the report's many tests (finding ``effect``)."""
    return effects[(effects["finding"] == "effect") & (effects["estimate"] < 1)]


def effects_chart(data: ReportData, name: str, kreise: list[str]) -> go.Figure | None:
    e = region_effects(data, kreise).sort_values("estimate")
    if e.empty:
        return None
    labels = [
        f"{fmt.shorten(' / '.join(ev), 60)}: {lab}" for ev, lab in zip(e["events"], e["indicator_label"], strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=e["estimate"],
            y=labels,
            mode="markers",
            marker={"size": 12, "color": "#21908d"},
            error_x=interval_error(e["estimate"], e["ci_low"], e["ci_high"]),
        )
    )
    fig.add_vline(x=1, line_dash="dash", line_color="#555")
    fig.update_xaxes(type="log", title="Ratenverhältnis zum Vergleich (unter 1: weniger Fälle)")
    n_good = len(successes(e))
    title = (
        f"{n_good} von {len(e)} Ergebnissen in {region_dative(name)} sanken nachweislich stärker als im Vergleich"
        if n_good
        else f"In {region_dative(name)} lässt sich bisher keine Wirkung sicher nachweisen "
        f"({fmt.plural(len(e), 'Ergebnis', 'Ergebnisse')})"
    )
    return base_layout(fig, data, title, ("pks", "unfallatlas", "unfallstatistik", "register"))


PKS_CAVEAT = (
    "Vorsicht: Die Polizeiliche Kriminalstatistik zählt nur angezeigte Straftaten (Hellfeld); mehr Anzeigen "
    "oder mehr Kontrollen erhöhen die Zahl ohne mehr Kriminalität. Kriminalitätsdaten gibt es nur je Kreis."
)
INTERVAL_CAVEAT = (
    "Die Intervalle (95 %) zeigen die Zufallsschwankung: Überlappen sie, ist ein Unterschied nicht gesichert."
)


def _rate(v: object) -> str:
    return f"{fmt.number(v, 0)} je 100.000 Einwohner"


def _breaks(data: ReportData, kreise: list[str], indicator: str) -> str:
    p = data.panel[
        data.panel["unit_ags"].isin(kreise) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    flagged = p[p["break_flag"].fillna(False).astype(bool)]
    if flagged.empty:
        return ""
    reasons = "; ".join(sorted({str(r) for r in flagged["break_reason"].dropna()}))
    return f" Ab {int(flagged['year'].min())}: {reasons}." if reasons else ""


def trend_description(data: ReportData, name: str, kreise: list[str], indicator: str, label: str) -> tuple[str, str]:
    """Alt text and speaker notes of :func:`region_trend`: first and last year, counts, the Land, caveats."""
    s = region_series(data, kreise, indicator).sort_values("year")
    if s.empty:
        return f"Liniendiagramm {label} in {name}: keine Daten.", f"Für {name} liegen keine Jahreszahlen vor."
    first, last = s.iloc[0], s.iloc[-1]
    land = data.panel[
        (data.panel["unit_ags"] == data.land)
        & (data.panel["indicator"] == indicator)
        & data.panel["month"].isna()
        & (data.panel["year"] == last["year"])
    ]["rate_per_100k"]
    land_text = f"; {data.land_name} {int(last['year'])}: {_rate(land.iloc[0])}" if len(land) else ""
    alt = (
        f"Liniendiagramm: {label} je 100.000 Einwohner in {name} von {int(first['year'])} bis {int(last['year'])} "
        f"mit 95-%-Intervall, {data.land_name} gestrichelt zum Vergleich. {name}: {_rate(first['rate_per_100k'])} "
        f"({int(first['year'])}), {_rate(last['rate_per_100k'])} ({int(last['year'])}){land_text}."
    )
    change = region_change(data, kreise, indicator)
    change_text = (
        f" Veränderung {disclosure.change_text(change)}{'; ' + change.note if change.note else ''}."
        if change is not None
        else ""
    )
    notes = (
        f"Zahlen: {name} {int(first['year'])}: {fmt.number(first['count'])} Fälle, {_rate(first['rate_per_100k'])}; "
        f"{int(last['year'])}: {fmt.number(last['count'])} Fälle, {_rate(last['rate_per_100k'])} "
        f"(95 %-Intervall {fmt.number(last['rate_ci_low'], 0)} bis {fmt.number(last['rate_ci_high'], 0)}){land_text}."
        f"{change_text} {PKS_CAVEAT}{_breaks(data, kreise, indicator)}"
    )
    return alt, notes


def bars_description(data: ReportData, kreise: list[str], indicator: str, label: str) -> tuple[str, str]:
    """Alt text and speaker notes of :func:`kreis_bars`: each Kreis's rate with its interval."""
    p = data.panel[
        data.panel["unit_ags"].isin(kreise) & (data.panel["indicator"] == indicator) & data.panel["month"].isna()
    ]
    if p.empty:
        return f"Balkendiagramm {label}: keine Daten.", "Keine Daten."
    year = int(p["year"].max())
    p = p[p["year"] == year].sort_values("rate_per_100k", ascending=False)
    values = "; ".join(
        f"{r.unit_name} {fmt.number(r.rate_per_100k, 0)} ({fmt.number(r.rate_ci_low, 0)} bis "
        f"{fmt.number(r.rate_ci_high, 0)})"
        for r in p.itertuples()
    )
    alt = f"Balkendiagramm: {label} je 100.000 Einwohner {year} je Kreis mit 95-%-Intervall: {values}."
    notes = f"Zahlen {year} (je 100.000 Einwohner, 95 %-Intervall): {values}. {INTERVAL_CAVEAT} {PKS_CAVEAT}"
    return alt, notes


def effects_description(data: ReportData, name: str, kreise: list[str]) -> tuple[str, str]:
    """Alt text and speaker notes of :func:`effects_chart`: each estimate with its interval."""
    e = region_effects(data, kreise).sort_values("estimate")
    values = "; ".join(
        f"{' und '.join(ev)} – {lab} in {data.unit_name(u)}: {fmt.change_from_ratio(est)} (95 %-Intervall "
        f"{fmt.change_from_ratio(lo)} bis {fmt.change_from_ratio(hi)})"
        for ev, lab, u, est, lo, hi in zip(
            e["events"], e["indicator_label"], e["unit_ags"], e["estimate"], e["ci_low"], e["ci_high"], strict=True
        )
    )
    alt = (
        f"Punktdiagramm der Wirkungen in {name}: Veränderung gegenüber der Vergleichsgruppe mit 95-%-Intervall "
        f"je ausgewerteter Zielgröße: {values}."
    )
    notes = (
        f"Zahlen: {values}. Ein Intervall, das 0 % einschließt, heißt: keine Wirkung gesichert. "
        f"Straftaten werden je Kreis gemessen, nicht im Ort der Maßnahme. {chance_note(data.effects)}"
    )
    return alt, notes


def map_description(data: ReportData, name: str, kreise: list[str], year: int) -> tuple[str, str]:
    """Alt text and speaker notes of the region's map slide."""
    p = data.panel[
        (data.panel["unit_level"] == "Kreis")
        & (data.panel["indicator"] == MAP_INDICATOR)
        & data.panel["month"].isna()
        & (data.panel["year"] == year)
    ].sort_values("rate_per_100k", ascending=False)
    mine = p[p["unit_ags"].isin(kreise)]
    values = "; ".join(f"{r.unit_name} {fmt.number(r.rate_per_100k, 0)}" for r in mine.itertuples())
    top = p.iloc[0] if len(p) else None
    top_text = f" Am höchsten im Land: {top['unit_name']} ({_rate(top['rate_per_100k'])})." if top is not None else ""
    alt = (
        f"Karte der Kreise von {data.land_name}: Straftaten je 100.000 Einwohner {year} in fünf Klassen, "
        f"die Kreise der Region {name} hervorgehoben. Region: {values}.{top_text}"
    )
    notes = (
        f"Straftaten je 100.000 Einwohner {year}: {values}.{top_text} Großstädte haben höhere Raten, auch weil "
        f"Pendler und Besucher dort Straftaten erleben, aber nicht als Einwohner zählen. {PKS_CAVEAT}"
    )
    return alt, notes


def charts_for_region(data: ReportData, name: str, kreise: list[str], folder: Path) -> list[Chart]:
    """The charts of one region with their messages, alt texts and speaker notes."""
    made = [
        (
            region_trend(data, name, kreise, "pks:------", "Straftaten"),
            trend_description(data, name, kreise, "pks:------", "Straftaten"),
        ),
        (
            region_trend(data, name, kreise, "pks:899000", "Straßenkriminalität"),
            trend_description(data, name, kreise, "pks:899000", "Straßenkriminalität"),
        ),
        (
            kreis_bars(data, kreise, "pks:435*00", "Wohnungseinbrüche"),
            bars_description(data, kreise, "pks:435*00", "Wohnungseinbrüche"),
        ),
    ]
    made.append(accident_chart(data, name, region_dative(name), kreise))
    eff = effects_chart(data, name, kreise)
    if eff is not None:
        made.append((eff, effects_description(data, name, kreise)))
    return [
        Chart(figure_title(fig), Export(fig, folder / f"grafik_{i}"), alt, notes)
        for i, (fig, (alt, notes)) in enumerate(made, start=1)
    ]


def _text(slide, left, top, width, height, text: str, size: int, *, bold: bool = False, color: str = "1f3b5a"):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    p = frame.paragraphs[0]
    p.text = text
    p.font.size = Pt(size)
    p.font.bold = bold
    p.font.color.rgb = RGBColor.from_string(color)
    return frame


def _slide(prs: Presentation, title: str, synthetic: bool, notes: str):
    """A title-only slide on the 16:9 page: the title box across the top, the speaker ``notes`` filled in."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    box = slide.shapes.title
    box.left, box.top, box.width, box.height = MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H
    box.text = title
    box.text_frame.word_wrap = True
    box.text_frame.paragraphs[0].font.size = Pt(26 if len(title) <= 70 else 22)
    slide.notes_slide.notes_text_frame.text = notes
    if synthetic:
        _text(slide, MARGIN, Inches(7.05), Inches(5), Inches(0.4), SYNTHETIC_LABEL, 14, bold=True, color="C0392B")
    return slide


def add_picture(slide, png: Path, alt: str):
    """``png`` as large as fits below the title box, centred, with its alt text (``descr``)."""
    from PIL import Image

    with Image.open(png) as im:
        w, h = im.size
    box_w, box_h = SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP
    scale = min(box_w / w, box_h / h)
    width, height = Emu(int(w * scale)), Emu(int(h * scale))
    pic = slide.shapes.add_picture(str(png), Emu(int((SLIDE_W - width) / 2)), CONTENT_TOP, width, height)
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    return pic


def build_deck(
    data: ReportData, name: str, kreise: list[str], charts: list[dict], region_map: dict, path: Path
) -> Path:
    """The region's deck on a 16:9 page: title, map, one slide per chart (``charts``: ``message``, ``png``,
    ``alt``, ``notes``; ``region_map`` the same without message), successes and sources, with speaker
    notes on every content slide and alt text on every picture."""
    prs = Presentation()
    stamp = dt.datetime(data.data_date.year, data.data_date.month, data.data_date.day)
    prs.core_properties.created = prs.core_properties.modified = stamp  # the data date: identical re-runs
    prs.core_properties.last_modified_by = "Präventionsmonitor"
    prs.core_properties.language = "de-DE"
    widescreen(prs)
    title = prs.slides.add_slide(prs.slide_layouts[0])
    for shape, top, height in (
        (title.shapes.title, Inches(1.6), Inches(2.2)),
        (title.placeholders[1], Inches(4.0), Inches(1.8)),
    ):
        shape.left, shape.top, shape.width, shape.height = MARGIN, top, SLIDE_W - 2 * MARGIN, height
    title.shapes.title.text = f"Prävention vor Ort: {name}"
    title.placeholders[1].text = (
        f"Präventionsmonitor {data.land_name} · Regionalkonferenz · Datenstand {fmt.date_de(data.data_date)}"
        + (f"\n{SYNTHETIC_LABEL}" if data.synthetic else "")
    )
    title.notes_slide.notes_text_frame.text = f"{data.data_as_of()}. Quellen auf der letzten Folie."
    n_bodies = len(data.real_bodies[data.real_bodies["ags"].astype(str).str[:5].isin(kreise)])
    slide = _slide(
        prs,
        f"Die Region: {fmt.plural(len(kreise), 'Kreis', 'Kreise')}, {fmt.plural(n_bodies, 'Gremium', 'Gremien')} im Register",
        data.synthetic,
        region_map["notes"],
    )
    add_picture(slide, region_map["png"], region_map["alt"])
    for chart in charts:
        slide = _slide(prs, chart["message"].split("<br>")[0], data.synthetic, chart["notes"])
        add_picture(slide, chart["png"], chart["alt"])
    good = successes(region_effects(data, kreise))
    slide = _slide(
        prs,
        "Erfolgreiche Projekte" if len(good) else "Erfolge: noch nicht belegbar",
        data.synthetic,
        chance_note(data.effects),
    )
    body = _text(slide, MARGIN, CONTENT_TOP, SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP, "", 16, color="222222")
    if len(good):
        for i, r in enumerate(good.itertuples()):
            p = body.paragraphs[0] if i == 0 else body.add_paragraph()
            p.text = f"{fmt.shorten(' / '.join(r.events), 120)}: {r.verdict_de}"
            p.font.size = Pt(15)
        p = body.add_paragraph()
        p.text = chance_note(data.effects)
        p.font.size = Pt(13)
    else:
        body.paragraphs[0].text = (
            "Für diese Region lässt sich bisher keine Wirkung einer Maßnahme belegen. Gründe: "
            "fehlende Startdaten im Register, zu kurze Nachher-Zeiträume und Kriminalitätsdaten "
            "nur auf Kreisebene. Mehr Einträge im Register machen künftige Auswertungen möglich. "
            + chance_note(data.effects)
        )
    slide = _slide(prs, "Quellen und Lizenzen", data.synthetic, data.data_as_of())
    src = _text(slide, MARGIN, CONTENT_TOP, SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP, "", 12, color="333333")
    for i, line in enumerate([*data.attributions(), data.data_as_of()]):
        p = src.paragraphs[0] if i == 0 else src.add_paragraph()
        p.text = line
        p.font.size = Pt(12)
    number_slides(prs)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    prs.save(buffer)
    write_if_changed(path, _dated_zip(buffer.getvalue(), stamp))
    return path


def widescreen(prs: Presentation) -> None:
    """The 16:9 page, with the master's and every layout's placeholders stretched to it (python-pptx's
    default template is 4:3), so that new slides and the slide master agree with the page."""
    scale = SLIDE_W / prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    for shapes in [prs.slide_master.shapes, *(layout.shapes for layout in prs.slide_layouts)]:
        for shape in shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = Emu(int(shape.left * scale)), Emu(int(shape.width * scale))


def number_slides(prs: Presentation) -> None:
    """The slide number bottom right on every slide but the title slide."""
    for i, slide in enumerate(prs.slides, start=1):
        if i == 1:
            continue
        _text(
            slide,
            SLIDE_W - MARGIN - Inches(1.0),
            SLIDE_H - Inches(0.42),
            Inches(1.0),
            Inches(0.3),
            str(i),
            11,
            color="555555",
        ).paragraphs[0].alignment = PP_ALIGN.RIGHT


def _dated_zip(data: bytes, when: dt.datetime) -> bytes:
    """The zip archive ``data`` with every member dated ``when`` instead of the clock time of writing:
    re-runs give identical decks, and an unchanged deck is not written again."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dated = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            dated.compress_type, dated.external_attr = info.compress_type, info.external_attr
            dst.writestr(dated, src.read(info))
    return out.getvalue()


MAP_INDICATOR = "pks:------"


def conference_charts(data: ReportData, out_dir: Path) -> dict[str, tuple[list[str], list[Chart], Chart]]:
    """Per region: its Kreise, its charts and its map, ready for one batch export. The map shows the
    latest year of the annual data of its indicator (:func:`karten.latest_year`), never a year that only
    monthly rows of another source reach."""
    year = latest_year(data, "Kreis", MAP_INDICATOR)
    if year is None:
        raise ValueError(f"no annual values of {MAP_INDICATOR} per Kreis: the conference map cannot be drawn")
    plan = {}
    for name, kreise in data.regions.items():
        folder = out_dir / slug(name)
        map_fig = choropleth(data, "Kreis", MAP_INDICATOR, year, foot_right=True)
        for trace in map_fig.data:
            if trace.meta and "ags" in trace.meta:
                trace.opacity = 1.0 if trace.meta["ags"] in kreise else 0.3
        for geom in data.kreise[data.kreise["ags"].isin(kreise)].geometry:  # the region outlined
            map_fig.add_trace(region_outline(geom))
        message = f"{name}: Straftaten je 100.000 Einwohner {year} (Region hervorgehoben)"
        # the slide's title says what the map shows: the picture keeps its room for the map
        map_fig.update_layout(title={"text": ""}, margin={"t": 10, "l": 10}, height=720)
        alt, notes = map_description(data, name, kreise, year)
        plan[name] = (
            kreise,
            charts_for_region(data, name, kreise, folder),
            Chart(message, Export(map_fig, folder / "karte", 1280, 720), alt, notes),
        )
    return plan


def region_outline(geom) -> go.Scatter:
    """A thick dark outline of one Kreis of the region on the deck's map."""
    xs, ys = rings(geom, 150.0)
    return go.Scatter(
        x=xs, y=ys, mode="lines", line={"color": "#1a1a1a", "width": 2.6}, hoverinfo="skip", showlegend=False
    )


def slide_manifest(plan: dict, out_dir: Path) -> dict[str, dict]:
    """What the decks need from the exported charts (messages, alt texts, notes and image paths relative to
    ``out_dir``), so that :func:`build_conference_kit` assembles them without building the figures again."""

    def entry(chart: Chart) -> dict:
        png = str(chart.export.stem.with_suffix(".png").relative_to(out_dir))
        return {"message": chart.message, "png": png, "alt": chart.alt, "notes": chart.notes}

    return {
        name: {"kreise": list(kreise), "charts": [entry(c) for c in charts], "map": entry(region_map)}
        for name, (kreise, charts, region_map) in plan.items()
    }


def build_conference_kit(data: ReportData, out_dir: Path, manifest: dict[str, dict]) -> list[Path]:
    """Decks from the charts that :func:`export_static` has already written (:func:`slide_manifest`)."""

    def located(entry: dict) -> dict:
        return {**entry, "png": out_dir / entry["png"]}

    return [
        build_deck(
            data,
            name,
            entry["kreise"],
            [located(c) for c in entry["charts"]],
            located(entry["map"]),
            out_dir / slug(name) / f"praesentation_{slug(name)}.pptx",
        )
        for name, entry in manifest.items()
    ]
