"""The accident slide of a conference deck: accidents with killed or seriously injured per year in the region
(the Unfallatlas points of its Kreise, years as present) beside its Unfallschwerpunkte; where the region has
no accident points, the Land's killed and seriously injured per year and a sentence saying why no
hotspots can be shown."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from praevention.evaluation.change import series_change
from praevention.evaluation.design import span
from praevention.render import fmt
from praevention.render.data import SYNTHETIC_LABEL, ReportData
from praevention.render.figures import base_layout, finding_title
from praevention.render.roadsafety import HOTSPOT_NOTE
from praevention.render.valuation import euro

#: hotspots on the slide
SLIDE_SITES = 5
KSI_LABEL = "Unfälle mit Getöteten oder Schwerverletzten"
LAND_LABEL = "Getötete und Schwerverletzte"


def region_points(data: ReportData, kreise: list[str]) -> pd.DataFrame:
    """The accident points of the region's Kreise."""
    if data.points.empty:
        return data.points
    return data.points[data.points["ags"].astype(str).str[:5].isin(kreise)]


def ksi_per_year(points: pd.DataFrame) -> pd.DataFrame:
    """Accidents with killed or seriously injured per year present in ``points`` (year, count); a year
    without points is missing, never zero."""
    years = sorted({int(y) for y in points["year"]})
    ksi = points[points["category"] <= 2].groupby("year").size()
    return pd.DataFrame({"year": years, "count": [int(ksi.get(y, 0)) for y in years]})


def land_ksi(data: ReportData) -> pd.DataFrame:
    """The Land's killed plus seriously injured per year (official accident statistics), years with both."""
    p = data.panel[
        (data.panel["unit_ags"] == data.land)
        & data.panel["indicator"].isin(["acc:getoetete", "acc:schwerverletzte"])
        & data.panel["month"].isna()
    ]
    both = p.groupby("year").agg(count=("count", "sum"), n=("indicator", "nunique"))
    return both[both["n"] == 2].reset_index()[["year", "count"]]


def region_hotspots(data: ReportData, kreise: list[str]) -> pd.DataFrame:
    s = data.screening
    if s.empty:
        return s
    own = s[s["ags"].astype(str).str[:5].isin(kreise)]
    return own.sort_values(["severity_weighted_excess", "observed"], ascending=False, kind="stable").head(SLIDE_SITES)


def accident_chart(data: ReportData, name: str, place: str, kreise: list[str]) -> tuple[go.Figure, tuple[str, str]]:
    """The slide's figure (``place``: the region after 'in') with its alt text and speaker notes."""
    points = region_points(data, kreise)
    if len(points):
        series, label, sources = ksi_per_year(points), KSI_LABEL, ("unfallatlas", "gv100ad")
        with_points = sorted({str(a) for a in points["ags"]})
        where = ", ".join(data.unit_name(a) for a in with_points)
        # a few Gemeinden with points stand for themselves, not for the region
        scope = f"Unfallatlas-Orte liegen in der Region {name} nur vor für: {where}." if len(with_points) <= 3 else ""
        place = where if scope else place
    else:
        series, label, sources = land_ksi(data), LAND_LABEL, ("unfallstatistik",)
        place, scope = (
            data.land_name,
            (
                f"Für die Kreise der Region {name} liegen keine Unfallorte (Unfallatlas) vor: keine Unfallschwerpunkte, "
                f"hier die Zahlen des Landes."
            ),
        )
    hot = region_hotspots(data, kreise)
    years = [int(y) for y in series["year"]]
    title = finding_title(series_change(series), place, label)
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.48, 0.52],
        specs=[[{"type": "xy"}, {"type": "table"}]],
        subplot_titles=[
            f"je Jahr ({span(years) or 'keine Jahre'})",
            "Unfallschwerpunkte (höchster Überschuss)",
        ],
        horizontal_spacing=0.06,
    )
    shown = [v if v >= fmt.SMALL_COUNT_LIMIT else None for v in series["count"]]
    fig.add_trace(
        go.Bar(
            x=series["year"],
            y=shown,
            marker_color="#b2182b",
            text=[fmt.publish_count(v) for v in series["count"]],
            textposition="outside",
            hoverinfo="skip",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    missing = [y for y in range(min(years), max(years) + 1) if y not in years] if years else []
    middle = max(float(series["count"].max()) / 2, 1.0) if len(series) else 1.0
    for y in missing:
        fig.add_annotation(
            x=y, y=middle, text="keine Daten", showarrow=False, textangle=-90, font={"color": "#555"}, row=1, col=1
        )
    fig.update_xaxes(title="Jahr", dtick=1, tickformat="d", row=1, col=1)  # years without a thousands separator
    fig.update_yaxes(title="Anzahl", rangemode="tozero", row=1, col=1)
    cells = (
        [
            [str(i) for i in range(1, len(hot) + 1)],
            [data.unit_name(a) for a in hot["ags"]],
            [f"{fmt.number(r.lat, 4)} N, {fmt.number(r.lon, 4)} O" for r in hot.itertuples()],
            [f"{fmt.publish_count(r.observed)} ({r.years})" for r in hot.itertuples()],
            [euro(v) for v in hot["severity_weighted_excess"]],
        ]
        if len(hot)
        else [["–"], ["keine Unfallorte"], ["–"], ["–"], ["–"]]
    )
    fig.add_trace(
        go.Table(
            columnwidth=[0.45, 1.1, 1.3, 1.2, 1.2],
            header={
                "values": [
                    "Rang",
                    "Gemeinde",
                    "Ort (Umkreis 50 m)",
                    "Unfälle (Jahre)",
                    "Unfallkosten-<br>Überschuss je Jahr",
                ],
                "fill_color": "#dde5f0",
                "align": "left",
                "font": {"size": 13},
            },
            cells={"values": cells, "align": "left", "font": {"size": 13}, "height": 30},
        ),
        row=1,
        col=2,
    )
    notes_line = [scope] if scope else []
    fig = base_layout(fig, data, title, sources, notes=notes_line)
    # the synthetic mark goes below the table, not onto its header
    fig.update_annotations(selector={"text": SYNTHETIC_LABEL}, y=0.02, yanchor="bottom")
    return fig, _describe(data, place, label, series, hot, scope)


def _describe(
    data: ReportData, place: str, label: str, series: pd.DataFrame, hot: pd.DataFrame, scope: str
) -> tuple[str, str]:
    values = "; ".join(f"{int(r.year)}: {fmt.publish_count(r.count)}" for r in series.itertuples())
    sites = "; ".join(
        f"{i}. {data.unit_name(r.ags)}, {fmt.number(r.lat, 4)} N {fmt.number(r.lon, 4)} O: "
        f"{fmt.publish_count(r.observed)} Unfälle ({r.years}), Kosten-Überschuss {euro(r.severity_weighted_excess)} je Jahr"
        for i, r in enumerate(hot.itertuples(), start=1)
    )
    alt = (
        f"Säulendiagramm {label} je Jahr in {place} ({values or 'keine Daten'}), daneben eine Tabelle der "
        f"Unfallschwerpunkte{': ' + sites if sites else ': keine'}."
    )
    notes = (
        f"{label} in {place}: {values or 'keine Daten'}. Fehlende Jahre sind Lücken, keine Nullen. {scope} "
        + (f"Unfallschwerpunkte: {sites}. {HOTSPOT_NOTE}" if sites else "")
    ).strip()
    return alt, notes
