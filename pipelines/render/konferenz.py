"""Conference kit: one PPTX deck per region (police inspection areas or Kreise) plus every chart as a
300-dpi PNG and a 16:9 SVG. Each chart carries one message in its title ("… seit 2014 um 23 % gesunken");
successful projects are shown with their effect, and where none can be shown the deck says so."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

from pipelines.evaluation.panel import add_rates
from pipelines.render import fmt
from pipelines.render.cache import write_if_changed
from pipelines.render.data import SYNTHETIC_LABEL, ReportData
from pipelines.render.export import Export
from pipelines.render.figures import base_layout, choropleth, ci_band, finding_title, interval_error
from pipelines.render.steckbrief import slug
from pipelines.stats.multiple import expected_false_positives

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)


def region_series(data: ReportData, kreise: list[str], indicator: str) -> pd.DataFrame:
    """The region's yearly count, population and rate per 100,000 (sums of its Kreise)."""
    p = data.panel[
        data.panel["unit_ags"].isin(kreise)
        & (data.panel["unit_level"] == "Kreis")
        & (data.panel["indicator"] == indicator)
        & data.panel["month"].isna()
    ]
    s = p.groupby("year", as_index=False).agg(
        count=("count", "sum"), population=("population", "sum"), units=("unit_ags", "nunique")
    )
    s = s[s["units"] == len(kreise)]
    return add_rates(s)


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
    fig.update_xaxes(title="Jahr", dtick=1)
    fig.update_yaxes(title="je 100.000 Einwohner", rangemode="tozero")
    title = finding_title(list(s["year"]), list(s["rate_per_100k"]), name, label)
    fig = base_layout(fig, data, title, data.sources_of(indicator))
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
            text=[fmt.number(v, 0) for v in p["rate_per_100k"]],
            textposition="outside",
            error_x=interval_error(p["rate_per_100k"], p["rate_ci_low"], p["rate_ci_high"], "#555"),
        )
    )
    if len(land_rate):
        fig.add_vline(
            x=float(land_rate.iloc[0]),
            line_dash="dash",
            line_color="#3b528b",
            annotation_text=f"{data.land_name}: {fmt.number(land_rate.iloc[0], 0)}",
        )
    top = p.iloc[-1] if len(p) else None
    title = (
        f"{label} {year}: am häufigsten in {top['unit_name']} ({fmt.number(top['rate_per_100k'], 0)} je 100.000)"
        if top is not None
        else f"{label} {year}"
    )
    fig.update_xaxes(title="je 100.000 Einwohner")
    return base_layout(fig, data, title, data.sources_of(indicator))


def region_effects(data: ReportData, kreise: list[str]) -> pd.DataFrame:
    e = data.effects[data.effects["headline"] & data.effects["evaluable"]]
    return e[e["unit_ags"].str[:5].isin(kreise)]


def chance_note(effects: pd.DataFrame) -> str:
    """How many 'effects' chance alone produces among the report's tests, for the successes slide."""
    n = int(effects.loc[effects["headline"] & effects["evaluable"], "p_adjusted"].notna().sum())
    return (
        f"Im ganzen Bericht wurden {n} Ergebnisse geprüft; der Zufall allein erzeugt darunter etwa "
        f"{fmt.number(expected_false_positives(n), 1)} scheinbare Wirkungen. Gezeigt werden nur Ergebnisse, "
        "die auch nach dieser Korrektur bestehen."
    )


def successes(effects: pd.DataFrame) -> pd.DataFrame:
    """Shown reductions that survive the adjustment for the report's many tests (finding ``effect``)."""
    return effects[(effects["finding"] == "effect") & (effects["estimate"] < 1)]


def effects_chart(data: ReportData, name: str, kreise: list[str]) -> go.Figure | None:
    e = region_effects(data, kreise).sort_values("estimate")
    if e.empty:
        return None
    labels = [f"{m}: {lab}" for m, lab in zip(e["measure_id"], e["indicator_label"], strict=True)]
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
    fig.update_xaxes(type="log", title="Ratenverhältnis gegenüber Vergleichsgruppe (unter 1 = weniger Fälle)")
    n_good = len(successes(e))
    title = (
        f"{n_good} von {len(e)} ausgewerteten Zielgrößen in {name} sanken nachweislich stärker als im Vergleich"
        if n_good
        else f"In {name} lässt sich bisher keine Wirkung sicher nachweisen "
        f"({len(e)} {'Auswertung' if len(e) == 1 else 'Auswertungen'})"
    )
    return base_layout(fig, data, title, ("pks", "unfallatlas", "unfallstatistik", "register"))


def charts_for_region(data: ReportData, name: str, kreise: list[str], folder: Path) -> list[tuple[str, Export]]:
    """(message, export) for each chart of one region."""
    figs = [
        region_trend(data, name, kreise, "pks:------", "Straftaten"),
        region_trend(data, name, kreise, "pks:899000", "Straßenkriminalität"),
        kreis_bars(data, kreise, "pks:435*00", "Wohnungseinbrüche"),
    ]
    eff = effects_chart(data, name, kreise)
    if eff is not None:
        figs.append(eff)
    out = []
    for i, fig in enumerate(figs, start=1):
        out.append((fig.layout.title.text, Export(fig, folder / f"grafik_{i}")))
    return out


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


def _slide(prs: Presentation, title: str, synthetic: bool):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(26)
    if synthetic:
        _text(slide, Inches(9.3), Inches(7.0), Inches(4), Inches(0.4), SYNTHETIC_LABEL, 14, bold=True, color="C0392B")
    return slide


def build_deck(
    data: ReportData, name: str, kreise: list[str], charts: list[tuple[str, Path]], map_png: Path, path: Path
) -> Path:
    prs = Presentation()
    stamp = dt.datetime(data.data_date.year, data.data_date.month, data.data_date.day)
    prs.core_properties.created = prs.core_properties.modified = stamp  # the data date: identical re-runs
    prs.core_properties.last_modified_by = "Präventionsmonitor"
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = f"Prävention vor Ort: {name}"
    title.placeholders[1].text = (
        f"Präventionsmonitor {data.land_name} · Regionalkonferenz · Datenstand {fmt.date_de(data.data_date)}"
        + (f"\n{SYNTHETIC_LABEL}" if data.synthetic else "")
    )
    slide = _slide(
        prs,
        f"Die Region: {len(kreise)} Kreise, {len(data.bodies[data.bodies['ags'].astype(str).str[:5].isin(kreise)])} Gremien im Register",
        data.synthetic,
    )
    slide.shapes.add_picture(str(map_png), Inches(2.2), Inches(1.3), height=Inches(5.9))
    for message, png in charts:
        slide = _slide(prs, message.split("<br>")[0], data.synthetic)
        slide.shapes.add_picture(str(png), Inches(0.6), Inches(1.3), height=Inches(5.9))
    good = successes(region_effects(data, kreise))
    slide = _slide(prs, "Erfolgreiche Projekte" if len(good) else "Erfolge: noch nicht belegbar", data.synthetic)
    body = _text(slide, Inches(0.8), Inches(1.4), Inches(11.7), Inches(5.5), "", 16, color="222222")
    if len(good):
        for i, r in enumerate(good.itertuples()):
            p = body.paragraphs[0] if i == 0 else body.add_paragraph()
            p.text = f"{r.measure_id}: {r.verdict_de}"
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
    slide = _slide(prs, "Quellen und Lizenzen", data.synthetic)
    src = _text(slide, Inches(0.8), Inches(1.4), Inches(11.7), Inches(5.5), "", 12, color="333333")
    for i, line in enumerate([*data.attributions(), data.data_as_of()]):
        p = src.paragraphs[0] if i == 0 else src.add_paragraph()
        p.text = line
        p.font.size = Pt(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    prs.save(buffer)
    write_if_changed(path, _dated_zip(buffer.getvalue(), stamp))
    return path


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


def conference_charts(data: ReportData, out_dir: Path) -> dict[str, tuple[list[str], list[tuple[str, Export]], Export]]:
    """Per region: its Kreise, its charts and its map, ready for one batch export."""
    plan = {}
    for name, kreise in data.regions.items():
        folder = out_dir / slug(name)
        map_fig = choropleth(data, "Kreis", "pks:------", int(data.panel["year"].max()))
        for trace, ags in zip(map_fig.data, data.kreise["ags"], strict=False):
            trace.opacity = 1.0 if ags in kreise else 0.3
        map_fig.update_layout(title={"text": f"{name}: Straftaten je 100.000 Einwohner (Region hervorgehoben)"})
        plan[name] = (
            kreise,
            charts_for_region(data, name, kreise, folder),
            Export(map_fig, folder / "karte", 1000, 800),
        )
    return plan


def slide_manifest(plan: dict, out_dir: Path) -> dict[str, dict]:
    """What the decks need from the exported charts (titles and image paths relative to ``out_dir``), so
    that :func:`build_conference_kit` assembles them without building the figures again."""
    return {
        name: {
            "kreise": list(kreise),
            "charts": [[message, str(e.stem.with_suffix(".png").relative_to(out_dir))] for message, e in charts],
            "map": str(map_export.stem.with_suffix(".png").relative_to(out_dir)),
        }
        for name, (kreise, charts, map_export) in plan.items()
    }


def build_conference_kit(data: ReportData, out_dir: Path, manifest: dict[str, dict]) -> list[Path]:
    """Decks from the charts that :func:`export_static` has already written (:func:`slide_manifest`)."""
    return [
        build_deck(
            data,
            name,
            entry["kreise"],
            [(message, out_dir / png) for message, png in entry["charts"]],
            out_dir / entry["map"],
            out_dir / slug(name) / f"praesentation_{slug(name)}.pptx",
        )
        for name, entry in manifest.items()
    ]
