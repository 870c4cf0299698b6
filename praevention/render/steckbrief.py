"""Fact sheets (Steckbriefe): one per Gemeinde of the Land and one per register body, as PDF and HTML.

Each sheet has at most two pages: a locator map, the key indicators with their trend against the Kreis
and the Land, the effects of the measures with their verdicts, the data gaps stated plainly, the sources
and the date of the data.

Small numbers: every count follows the one disclosure rule (:mod:`praevention.render.disclosure`): a
Gemeinde's count of 1–2 is shown as ``<3``, a cell hidden so that no small count follows from a total as
``.``, each with a footnote; their rate, interval and change are left out. Every change uses the products'
one base (:func:`praevention.render.disclosure.series_change_text`).

The PDF comes from one typst template compiled per sheet with the data as JSON in ``sys.inputs`` (text is
never parsed as markup). The grey base map is the same string for every sheet, so typst decodes it once
per process and a sheet costs a few milliseconds. The HTML comes from a jinja2 template with the same
context; it is self-contained (inline CSS and SVG).
"""

from __future__ import annotations

import concurrent.futures
import json
import math
import multiprocessing
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from praevention.digest import content_key, source_key
from praevention.evaluation.change import comparable_change
from praevention.evaluation.design import span
from praevention.evaluation.population import FIRST_ZENSUS_2022_YEAR
from praevention.evaluation.sites import SITE_SEPARATOR
from praevention.files import write_atomic
from praevention.register.schema import BODY_TYPES, PARTNERS, STATUS
from praevention.register.targets import aims_at_safety
from praevention.render import disclosure, fmt, safety
from praevention.render.cache import RenderCache, write_if_changed
from praevention.render.data import SYNTHETIC_LABEL, ReportData, is_placeholder
from praevention.render.evidence import Evidence
from praevention.render.roadsafety import accident_section
from praevention.render.svg import LocatorMap, sparkline
from praevention.render.verdict import event_title

TEMPLATES = Path(__file__).parent / "templates"
TYPST_TEMPLATE = "steckbrief.typ"
HTML_TEMPLATE = "steckbrief.html.j2"

CRIME = [
    ("pks:------", "Straftaten insgesamt"),
    ("pks:899000", "Straßenkriminalität"),
    ("pks:435*00", "Wohnungseinbruchdiebstahl"),
    ("pks:892000", "Gewaltkriminalität"),
]
ACCIDENTS = [
    ("acc:points_all", "Unfälle mit Personenschaden (Unfallatlas)"),
    ("acc:unfaelle_personenschaden", "Unfälle mit Personenschaden (Statistik)"),
    ("acc:verunglueckte", "Verunglückte"),
    ("acc:getoetete", "Getötete"),
]
POINTS_PREFIX = "acc:points_"  # counts we aggregate ourselves from Unfallatlas points
#: an accident series ending this many years before the unit's newest accident data is not "current"
STALE_YEARS = 2
HEADER = ["Kennzahl", "Gebiet", "Jahr", "Anzahl", "je 100.000 EW (95 %-KI)", "Kreis", "Land", "Veränderung"]
WIDTHS = [2.2, 1.5, 0.6, 0.8, 1.8, 0.8, 0.8, 2.0]
MAX_EFFECTS = 8  # entries on a sheet; more are referred to the ministry report (keeps two pages)
MAX_ACTIVITIES = 5  # lines on what a body did and what to record next (keeps two pages)
#: the comparison with Gemeinden of similar size: the newest accident series of the Gemeinden first
SIMILAR_INDICATORS = {
    "acc:verunglueckte": "Verunglückte",
    "acc:unfaelle_personenschaden": "Unfälle mit Personenschaden",
}
NO_MEASURES = (
    "Keine Maßnahmen im Register. Das Register ist nicht vollständig: Ein fehlender Eintrag heißt nicht, dass es "
    "vor Ort keine Prävention gibt."
)
#: the note of a Gemeinde with its own crime figures
GEMEINDE_CRIME = (
    "Straftaten in der Gemeinde: LKA-Tatortgemeindestatistik (PKS nach Tatortgemeinde, nicht veröffentlicht); "
    "Wirkungen auf Straftaten werden an den Fällen in der Gemeinde gemessen."
)


def slug(text: str) -> str:
    """ASCII file-name part: ``"Halle (Saale)"`` → ``"halle-saale"``, ``"Weißenfels"`` → ``"weissenfels"``."""
    t = str(text).replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    t = t.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:50].strip("-") or "x"


def gemeinde_stem(ags: str, name: str) -> str:
    """File name (without suffix) of a Gemeinde's sheet, e.g. ``gemeinde_15085235_quedlinburg``."""
    return f"gemeinde_{ags}_{slug(name)}"


def kreis_stem(ags: str, name: str) -> str:
    """File name (without suffix) of a Kreis's sheet, e.g. ``kreis_15085_harz``."""
    return f"kreis_{ags}_{slug(name)}"


def body_stem(body_id: str, name: str) -> str:
    """File name (without suffix) of a body's sheet, e.g. ``gremium_G07_runder-tisch-…``."""
    return f"gremium_{re.sub(r'[^A-Za-z0-9-]+', '-', str(body_id))}_{slug(name)}"


def _missing(v: object) -> bool:
    if v is None or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v: object, default: str = "") -> str:
    return default if _missing(v) else str(v)


def _list(v: object) -> list[str]:
    if v is None or isinstance(v, str | float):
        return [v] if isinstance(v, str) and v else []
    return [str(x) for x in v]


@dataclass
class Series:
    """One unit's yearly values of one indicator, sorted by year."""

    years: np.ndarray
    count: np.ndarray
    rate: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    breaks: list[str]
    flags: np.ndarray  # disclosure flag per year (praevention.render.disclosure)
    bases: np.ndarray  # census basis of each year's population

    def at(self, year: int) -> int | None:
        hit = np.flatnonzero(self.years == year)
        return int(hit[0]) if len(hit) else None

    def hidden(self, i: int) -> bool:
        return disclosure.hidden(self.flags[i])

    def rows(self) -> pd.DataFrame:
        """The series as panel rows (for :func:`disclosure.series_change_text`)."""
        return pd.DataFrame(
            {
                "year": self.years,
                "month": np.nan,
                "count": self.count,
                "rate_per_100k": self.rate,
                "population_basis": self.bases,
                "disclosure": self.flags,
            }
        )


class SheetBuilder:
    """Everything a sheet needs, indexed once; :meth:`gemeinde` and :meth:`body` return template contexts."""

    def __init__(self, data: ReportData, locator: LocatorMap | None = None):
        self.data = data
        self.land = data.land
        self.locator = locator or LocatorMap(data.gemeinden, data.kreise)
        self.series = self._index_series(data.panel)
        self.shown_by_unit: dict[str, list[Series]] = {}  # each unit's series that sheets show
        for (unit, indicator), series in self.series.items():
            if indicator in _SHOWN:
                self.shown_by_unit.setdefault(unit, []).append(series)
        self.gem = {
            str(r.ags): r for r in data.gemeinden[["ags", "name", "kreis_ags", "population", "area_km2"]].itertuples()
        }
        self.kreise = {str(r.ags): r for r in data.kreise[["ags", "name", "kreis_type"]].itertuples()}
        self.kreis_counts = data.gemeinden["kreis_ags"].astype(str).value_counts().to_dict()
        self.stadtteile = {
            str(u).split("-")[0] for u in data.panel.loc[data.panel["unit_level"] == "Stadtteil", "unit_ags"].unique()
        }
        #: Gemeinden with their own crime figures (the LKA's PKS by Tatortgemeinde)
        own_crime = (data.panel["unit_level"] == "Gemeinde") & data.panel["indicator"].str.startswith("pks:")
        self.crime_gemeinden = set(data.panel.loc[own_crime, "unit_ags"].astype(str))
        self.bodies = {str(r["body_id"]): r for r in data.bodies.to_dict("records")}
        self.bodies_by_ags: dict[str, list[dict]] = defaultdict(list)
        for b in self.bodies.values():
            if not is_placeholder(b["body_id"]):
                self.bodies_by_ags[str(b["ags"])].append(b)
        self.measures = {str(r["measure_id"]): r for r in data.measures.to_dict("records")}
        self.measures_by_body: dict[str, list[str]] = defaultdict(list)
        self.measures_by_ags: dict[str, list[str]] = defaultdict(list)
        for mid, m in self.measures.items():
            self.measures_by_body[str(m["body_id"])].append(mid)
            self.measures_by_ags[str(m["ags"])].append(mid)
        self.titles = {mid: _text(m["title"]) for mid, m in self.measures.items()}
        self.evidence = Evidence(data)
        self.body_names = {bid: _text(b["name"]) for bid, b in self.bodies.items()}
        self.effects: dict[str, list[dict]] = defaultdict(list)
        for r in data.effects.to_dict("records"):
            self.effects[str(r["measure_id"])].append(r)
        sources = data.attributions()
        self.footer = f"Präventionsmonitor {data.land_name}" + (f" · {SYNTHETIC_LABEL}" if data.synthetic else "")
        self.common = {
            "synthetic": bool(data.synthetic),
            "synthetic_label": SYNTHETIC_LABEL,
            "as_of": data.data_as_of(),
            "data_date": fmt.date_de(data.data_date),
            "sources": sources,
            "indicator_header": HEADER,
            "indicator_widths": WIDTHS,
            "land_name": data.land_name,
        }

    @staticmethod
    def _index_series(panel: pd.DataFrame) -> dict[tuple[str, str], Series]:
        yearly = panel[panel["month"].isna()].sort_values(["unit_ags", "indicator", "year", "source"], kind="stable")
        yearly = yearly.drop_duplicates(["unit_ags", "indicator", "year"])
        cols = {c: yearly[c].to_numpy(dtype=float) for c in ("count", "rate_per_100k", "rate_ci_low", "rate_ci_high")}
        years = yearly["year"].to_numpy(dtype=int)
        flags = yearly["break_flag"].fillna(False).to_numpy(dtype=bool)
        reasons = yearly["break_reason"].to_numpy(dtype=object)
        shown = yearly["disclosure"].to_numpy(dtype=object)
        bases = yearly["population_basis"].to_numpy(dtype=object)
        out = {}
        for (unit, ind), idx in yearly.groupby(["unit_ags", "indicator"], sort=False).indices.items():
            out[(str(unit), str(ind))] = Series(
                years[idx],
                cols["count"][idx],
                cols["rate_per_100k"][idx],
                cols["rate_ci_low"][idx],
                cols["rate_ci_high"][idx],
                sorted({str(r) for r, f in zip(reasons[idx], flags[idx], strict=True) if f and not _missing(r)}),
                shown[idx],
                bases[idx],
            )
        return out

    # ------------------------------------------------------------------ names
    def kreis_label(self, kreis: str) -> str:
        return self.data.kreis_label(kreis)

    def is_kreisfrei(self, kreis: str) -> bool:
        k = self.kreise.get(kreis)
        return k is not None and "kreisfrei" in str(k.kreis_type).lower()

    def unit_name(self, ags: str) -> str:
        if ags == self.land:
            return self.data.land_name
        if len(ags) == 5:
            return self.kreis_label(ags)
        if SITE_SEPARATOR in ags:
            return self.data.unit_name(ags)
        g = self.gem.get(ags)
        return str(g.name) if g is not None else ags

    # ------------------------------------------------------------------ indicators
    def rate_at(self, unit: str, indicator: str, year: int) -> str:
        s = self.series.get((unit, indicator))
        i = None if s is None else s.at(year)
        if i is None or s.hidden(i) or not math.isfinite(s.rate[i]):
            return "–"
        return fmt.number(s.rate[i], 1)

    def indicator_rows(self, unit: str, notes: list[str]) -> list[list[str]]:
        """Crime rows (a Gemeinde's own where the LKA's PKS by Tatortgemeinde has them, else its Kreis's) and
        accident rows of ``unit``, each of its latest year; an accident series that ends more than
        :data:`STALE_YEARS` before the unit's newest accident data (Gemeinden: accidents 2015 beside
        casualties 2023) is left out: the table shows current figures, the gaps say what is older."""
        kreis = unit[:5] if len(unit) == 8 else unit
        own_crime = len(unit) == 8 and unit in self.crime_gemeinden and not self.is_kreisfrei(kreis)
        crime_unit = unit if own_crime or len(unit) != 8 else kreis
        rows = [
            r
            for ind, label in CRIME
            if (r := self.indicator_row(crime_unit, ind, label, notes, kreis_col=own_crime)) is not None
        ]
        accidents = [(ind, label, self.latest_index(unit, ind)) for ind, label in ACCIDENTS]
        newest = max((int(self.series[(unit, ind)].years[i]) for ind, _, i in accidents if i is not None), default=0)
        for ind, label, i in accidents:
            if i is not None and int(self.series[(unit, ind)].years[i]) >= newest - STALE_YEARS:
                rows.append(self.indicator_row(unit, ind, label, notes, kreis_col=len(unit) == 8))
        return [r for r in rows if r is not None]

    def latest_index(self, unit: str, indicator: str) -> int | None:
        s = self.series.get((unit, indicator))
        valid = np.flatnonzero(~np.isnan(s.count)) if s is not None else []
        return int(valid[-1]) if len(valid) else None

    def indicator_row(
        self, unit: str, indicator: str, label: str, notes: list[str], *, kreis_col: bool
    ) -> list[str] | None:
        """One row of the table: the count as the disclosure rule allows (:mod:`disclosure`), the rate with its
        interval, the Kreis's and the Land's rate, the change on the products' one base."""
        i = self.latest_index(unit, indicator)
        if i is None:
            return None
        s = self.series[(unit, indicator)]
        year, flag = int(s.years[i]), s.flags[i]
        shown = disclosure.count_text(s.count[i], flag)
        if s.hidden(i):
            if disclosure.NOTE[flag] not in notes:
                notes.append(disclosure.NOTE[flag])
            rate, trend = "nicht ausgewiesen", "–"
        else:
            rate = (
                f"{fmt.number(s.rate[i], 1)} ({fmt.number(s.lo[i], 1)}–{fmt.number(s.hi[i], 1)})"
                if math.isfinite(s.rate[i])
                else "–"
            )
            trend = self.trend_text(unit, indicator, s, year, notes)
        return [
            label,
            self.data.unit_name(unit) if len(unit) != 8 else "Gemeinde",
            str(year),
            shown,
            rate,
            self.rate_at(unit[:5], indicator, year) if kreis_col else "–",
            self.rate_at(self.land, indicator, year) if unit != self.land else "–",
            trend,
        ]

    def trend_text(self, unit: str, indicator: str, s: Series, year: int, notes: list[str]) -> str:
        """The change on the products' one base (:func:`disclosure.series_change_text`), beside the Land's
        over the same years; across the census break on counts, with its note."""
        text, change = disclosure.series_change_text(s.rows(), year)
        if change is None:
            return "nur ein Jahr"
        if change.note and change.note not in notes:
            notes.append(change.note)
        land = self.series.get((self.land, indicator))
        if unit != self.land and land is not None:
            rows = land.rows()
            pair = rows[rows["year"].isin([change.year_before, change.year_after])]
            if len(pair) == 2:
                ratio = comparable_change(pair.iloc[0].to_dict(), pair.iloc[1].to_dict()).ratio
                text += f"; Land {fmt.change_from_ratio(ratio)}" if ratio is not None else ""
        return text

    def rates(self, unit: str, indicator: str, since: int | None = None) -> list[tuple[int, float, float]]:
        """(year, rate, count) of the years with a rate whose count is shown (:mod:`disclosure`), from
        ``since`` on."""
        s = self.series.get((unit, indicator))
        if s is None:
            return []
        return [
            (int(y), float(v), float(c))
            for y, v, c, f in zip(s.years, s.rate, s.count, s.flags, strict=True)
            if not disclosure.hidden(f) and math.isfinite(v) and (since is None or y >= since)
        ]

    def accident_series(self, unit: str) -> tuple[str, list[tuple[int, float, float]]]:
        """The unit's accident series that reaches the latest year: the official statistics or, where they
        end earlier (Gemeinden and kreisfreie Städte: 2015), the Unfallatlas points counted per year."""
        candidates = [(ind, self.rates(unit, ind)) for ind in ACCIDENT_TREND]
        candidates = [(ind, r) for ind, r in candidates if len(r) >= 3]
        if not candidates:
            return ACCIDENT_TREND[0], []
        return max(candidates, key=lambda c: (c[1][-1][0], len(c[1])))

    def trends(self, unit: str) -> list[dict]:
        """Sparklines: crime (Kreis against the Land) and accidents (the unit's latest-reaching series against
        its Kreis and the Land over the same years); missing years are gaps, the census break is marked."""
        kreis = unit[:5] if len(unit) >= 5 else None
        out = []
        crime = {}
        if kreis:
            crime[self.kreis_label(kreis)] = (kreis, "pks:------")
        crime[self.data.land_name] = (self.land, "pks:------")
        if sum(len(self.rates(u, i)) >= 2 for u, i in crime.values()):
            out.append(self._trend("Straftaten insgesamt je 100.000 EW", crime))
        own = unit if unit != self.land else self.land
        indicator, series = self.accident_series(own)
        if len(series) < 3:
            return out
        since = series[0][0]
        acc = {self.unit_name(own): (own, indicator)}
        if kreis and kreis != own and not self.is_kreisfrei(kreis):
            acc[self.kreis_label(kreis)] = (kreis, "acc:unfaelle_personenschaden")
        if own != self.land:
            acc[self.data.land_name] = (self.land, "acc:unfaelle_personenschaden")
        source = "Unfallatlas" if indicator.startswith(POINTS_PREFIX) else "amtliche Statistik"
        others = " (Vergleich: amtliche Statistik)" if source == "Unfallatlas" and len(acc) > 1 else ""
        years = span([y for y, _, _ in series])
        title = f"Unfälle mit Personenschaden je 100.000 EW, {years}: {source}{others}"
        out.append(self._trend(title, acc, since))
        return out

    def _trend(self, title: str, series: dict[str, tuple[str, str]], since: int | None = None) -> dict[str, str]:
        """A sheet's trend: title, SVG and its alt text, which gives each series' change on the products' one
        base (:func:`disclosure.series_change_text`); ``series``: name → (unit, indicator)."""
        points = {name: self.rates(u, ind, since) for name, (u, ind) in series.items()}
        parts = []
        for name, (u, ind) in series.items():
            s = self.series.get((u, ind))
            rows = s.rows() if s is not None else None
            if rows is not None and since is not None:
                rows = rows[rows["year"] >= since]
            text = disclosure.series_change_text(rows)[0] if rows is not None and len(rows) else "–"
            if len(points[name]) >= 2 and text != "–":
                parts.append(f"{name} {text}")
        alt = f"Liniendiagramm {title}, indexiert (erstes Jahr = 100); Veränderung: " + "; ".join(parts) + "."
        svg = sparkline(points, width=300, label=alt, break_year=FIRST_ZENSUS_2022_YEAR)
        return {"title": title, "svg": svg, "alt": alt}

    def dated(self, unit: str) -> dict[str, str]:
        """The sheet's 'Datenstand' line and its page footer, for what the sheet shows of ``unit``."""
        as_of = self.as_of(unit)
        return {"as_of": as_of, "footer": f"{self.footer} · {as_of}"}

    def as_of(self, unit: str) -> str:
        """'Datenstand' of one sheet: the latest year of each source as the sheet shows it for ``unit``
        (crime for its Kreis; accidents of the Gemeinde where the Land's statistics reach further)."""
        crime_unit = unit[:5] if len(unit) == 8 else unit

        def last(u: str, indicators) -> int | None:
            years = [int(s.years[-1]) for ind in indicators if (s := self.series.get((u, ind))) is not None]
            return max(years) if years else None

        parts = []
        pks = last(crime_unit, [ind for ind, _ in CRIME])
        if pks is not None:
            parts.append(f"PKS bis {pks}")
        atlas = last(unit, _POINTS)
        if atlas is not None:
            parts.append(f"Unfallatlas bis {atlas}")
        official = [ind for ind, _ in ACCIDENTS if not ind.startswith(POINTS_PREFIX)]
        own, land = last(unit, official), last(self.land, official)
        if own is not None:
            parts.append(
                f"Unfallstatistik bis {own}" + (f" ({self.data.land_name} bis {land})" if land and land > own else "")
            )
        elif land is not None:
            parts.append(f"Unfallstatistik ({self.data.land_name}) bis {land}")
        if "gv100ad" in self.data.data_years:
            parts.append(f"Bevölkerung bis {self.data.data_years['gv100ad'][1]}")
        return "Datenstand: " + ", ".join(parts) if parts else self.data.data_as_of()

    # ------------------------------------------------------------------ measures and effects
    def measure_title(self, measure_id: str) -> str:
        return event_title(measure_id, self.titles, self.body_names)

    def effect_entries(self, measure_ids: list[str], *, scope: dict[str, str] | None = None) -> list[dict]:
        """One entry per measure and indicator: the headline estimate with its verdict and the other methods."""
        entries = []
        for mid in measure_ids:
            rows = self.effects.get(mid, [])
            prefix = (scope or {}).get(mid, "")
            if not rows:
                m = self.measures.get(mid)
                reason = _text(m["not_evaluable_reason"], "noch nicht ausgewertet") if m is not None else ""
                entries.append(
                    {
                        "title": prefix + self.measure_title(mid),
                        "meta": "",
                        "result": "",
                        "verdict": f"Nicht ausgewertet: {reason}." if reason else "Nicht ausgewertet.",
                        "evaluable": False,
                    }
                )
                continue
            by_ind: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                by_ind[_text(r["indicator"])].append(r)
            first = True
            for _, group in sorted(by_ind.items()):
                head = next((r for r in group if bool(r["headline"])), None)
                if head is None:
                    continue
                entries.append(self._entry(mid, head, prefix, card=first))
                first = first and not bool(head["evaluable"])
        entries.sort(key=lambda e: not e["evaluable"])
        return entries

    def _entry(self, mid: str, head: dict, prefix: str, *, card: bool = False) -> dict:
        """One effect entry; ``card``: with the measure's evidence line (once per measure)."""
        evaluable = bool(head["evaluable"])
        parts = [f"Zielgröße: {_text(head['indicator_label']) or 'keine messbare (keine Fallzahl als Ziel)'}"]
        unit = _text(head["unit_ags"])
        if unit:
            parts.append(f"ausgewertet: {self.unit_name(unit)}")
        before, after = _text(head["period_before"]), _text(head["period_after"])
        if before and after:
            parts.append(f"vorher {before}, nachher {after}")
        elif after:
            parts.append(f"Zeitraum {after}")
        return {
            "title": prefix + self.measure_title(mid),
            "meta": " · ".join(parts),
            "result": self.evidence.line(mid) if evaluable and card else "",
            "verdict": " ".join(t for t in (_text(head["verdict_de"]), _text(head.get("context_de"))) if t),
            "evaluable": evaluable,
        }

    def activities(self, body_ids: list[str]) -> list[str]:
        """What the bodies did, as the register records it: partners and measures with their start."""
        out = []
        for bid in body_ids:
            b = self.bodies[bid]
            partners = [PARTNERS.get(p, p) for p in _list(b.get("partners"))]
            out.append(f"{_text(b['name'])}: Partner {', '.join(partners) if partners else 'nicht angegeben'}")
            for mid in self.measures_by_body.get(bid, [])[:MAX_ACTIVITIES]:
                m = self.measures[mid]
                start = m.get("start")
                when = (
                    f"seit {fmt.date_de(start, _text(m.get('start_precision'), 'day'))}"
                    if not _missing(start)
                    else "Beginn nicht angegeben"
                )
                out.append(f"Maßnahme „{fmt.shorten(self.measure_title(mid), 60)}“ ({when})")
        return out

    def record_next(self, body_ids: list[str]) -> list[str]:
        """What the register should hold next year so that the bodies' work can be evaluated."""
        out = []
        for bid in body_ids:
            b = self.bodies[bid]
            if _missing(b.get("founded")):
                out.append(f"das Gründungsdatum von „{fmt.shorten(_text(b['name']), 60)}“ (mindestens Monat und Jahr)")
            for mid in self.measures_by_body.get(bid, []):
                m, title = self.measures[mid], fmt.shorten(self.measure_title(mid), 60)
                if _missing(m.get("start")):
                    out.append(f"den Beginn der Maßnahme „{title}“ (Monat und Jahr)")
                if (
                    not _list(m.get("target_pks_keys"))
                    and not _list(m.get("target_accident_groups"))
                    and not aims_at_safety(m.get("target"))
                ):
                    out.append(f"die Zielgröße von „{title}“: welche Straftaten oder Unfälle sie senken soll")
                if _text(m.get("area_type")) == "municipality" and _text(m.get("domain")) in ("traffic", "both"):
                    out.append(f"das Gebiet von „{title}“ (Ortsteile oder Fläche), damit Unfälle am Ort gezählt werden")
        if not out:
            out.append("jede neue Maßnahme mit Beginn, Zielgröße und Gebiet")
        return out[:MAX_ACTIVITIES]

    def similar(self, ags: str) -> str:
        """The Gemeinde's accident rate beside the median of Gemeinden of similar size (half to double its
        inhabitants) in the same year, on the newest accident series it has (:data:`SIMILAR_INDICATORS`)."""
        g = self.gem.get(ags)
        found = [(ind, label) for ind, label in SIMILAR_INDICATORS.items() if (ags, ind) in self.series]
        if g is None or not found or _missing(g.population):
            return ""
        indicator, label = max(found, key=lambda f: int(self.series[(ags, f[0])].years[-1]))
        s = self.series[(ags, indicator)]
        i = len(s.years) - 1
        year, pop = int(s.years[i]), float(g.population)
        if s.count[i] < fmt.MIN_PERCENT_CASES or s.hidden(i):
            return ""
        peers = [
            float(p.rate[j])
            for a, r in self.gem.items()
            if a != ags and not _missing(r.population) and pop / 2 <= float(r.population) <= pop * 2
            for p in [self.series.get((a, indicator))]
            if p is not None
            for j in [p.at(year)]
            if j is not None and p.count[j] >= fmt.MIN_PERCENT_CASES
        ]
        if len(peers) < 3:
            return ""
        return (
            f"{label} {year}: {fmt.number(s.rate[i], 0)} je 100.000 EW; Mittel (Median) von "
            f"{fmt.number(len(peers))} ähnlich großen Gemeinden: {fmt.number(float(np.median(peers)), 0)}"
        )

    def body_measure_ids(self, body_id: str) -> list[str]:
        """The body's own events (founding, relaunch) and its measures; a body derived from a single measure
        (a placeholder, :func:`is_placeholder`) has no founding of its own to show."""
        derived = [] if is_placeholder(body_id) else sorted(m for m in self.effects if m.startswith(f"{body_id}:"))
        return derived + sorted(self.measures_by_body.get(body_id, []))

    def safety(self, ags: str, name: str) -> dict | None:
        """The section "Sicherheitsempfinden" where a survey of ``ags`` is on file (:func:`safety.section`)."""
        return safety.section(
            self.data.safety, self.data.safety_changes, ags, name=name, land=self.land, land_name=self.data.land_name
        )

    @staticmethod
    def cap(entries: list[dict], limit: int = MAX_EFFECTS) -> tuple[list[dict], str]:
        if len(entries) <= limit:
            return entries, ""
        rest = len(entries) - limit
        more = "Ein weiteres Ergebnis steht" if rest == 1 else f"Weitere {fmt.number(rest)} Ergebnisse stehen"
        return entries[:limit], f"{more} im Bericht für das Ministerium (Abschnitt Wirkungen)."

    def not_evaluable_gaps(self, measure_ids: list[str]) -> list[str]:
        out = []
        for mid in measure_ids:
            m = self.measures.get(mid)
            if m is not None and not bool(m["evaluable"]):
                out.append(
                    f"Die Maßnahme „{fmt.shorten(self.measure_title(mid), 60)}“ ist nicht auswertbar: "
                    f"{_text(m['not_evaluable_reason'], 'Grund nicht angegeben')}."
                )
        return out

    def break_gaps(self, units: list[str]) -> list[str]:
        reasons = sorted({r for u in units for s in self.shown_by_unit.get(u, []) for r in s.breaks})
        return [f"Bruch in den Reihen: {r}." for r in reasons]

    # ------------------------------------------------------------------ Gemeinde sheets
    def gemeinde(self, ags: str, max_effects: int = MAX_EFFECTS, max_lines: int = MAX_ACTIVITIES) -> dict:
        g = self.gem[ags]
        name = str(g.name)
        kreis = ags[:5]
        kreisfrei = self.is_kreisfrei(kreis) or self.kreis_counts.get(kreis, 0) == 1
        pop = None if _missing(g.population) else float(g.population)
        notes: list[str] = []
        rows = self.indicator_rows(ags, notes)
        bodies = self.bodies_by_ags.get(ags, [])
        kreis_bodies = self.bodies_by_ags.get(kreis, [])
        ids = sorted(
            set(self.measures_by_ags.get(ags, []))
            | {m for b in bodies for m in self.body_measure_ids(str(b["body_id"]))}
        )
        kreis_ids = sorted(
            (
                set(self.measures_by_ags.get(kreis, []))
                | {m for b in kreis_bodies for m in self.body_measure_ids(str(b["body_id"]))}
            )
            - set(ids)
        )
        scope = {m: "Kreis: " for m in kreis_ids}
        entries, more = self.cap(self.effect_entries(ids + kreis_ids, scope=scope), max_effects)
        gaps = []
        if kreisfrei:
            gaps.append(
                f"Kriminalitätsdaten liegen nur auf Kreisebene vor; {name} ist kreisfrei, die Zahlen gelten für die ganze Stadt."
            )
        elif ags in self.crime_gemeinden:
            gaps.append(GEMEINDE_CRIME)
        else:
            gaps.append(
                f"Kriminalitätsdaten liegen nur auf Kreisebene vor: Die PKS-Zahlen gelten für den {self.kreis_label(kreis)} "
                f"insgesamt, nicht für {name}."
            )
        if ags in self.stadtteile:
            gaps.append(
                "Für die Stadtteile gibt es eine eigene Kriminalitätsstatistik der Stadt (KISS-MD), hier nicht dargestellt."
            )
        if not any((ags, ind) in self.series for ind in _POINTS):
            gaps.append("Unfallatlas-Daten liegen für diese Gemeinde nicht vor.")
        gaps += self.accident_gaps(ags, "Gemeinde")
        if not ids:
            gaps.append(NO_MEASURES)
        gaps += self.not_evaluable_gaps(ids)
        gaps += self.break_gaps([ags, kreis])
        facts = [
            ("Gemeindeschlüssel", ags),
            ("Kreis", f"{self.kreis_label(kreis)} ({kreis})" if not kreisfrei else f"kreisfreie Stadt ({kreis})"),
            (f"Einwohner{self.population_date}", fmt.number(pop) if pop is not None else "–"),
            ("Fläche", f"{fmt.number(g.area_km2, 1)} km²"),
            ("Einwohner je km²", fmt.number(pop / g.area_km2, 0) if pop and g.area_km2 and g.area_km2 > 0 else "–"),
            ("Gremien im Register", "; ".join(_text(b["name"]) for b in bodies) or "keine"),
        ]
        if kreis_bodies and not kreisfrei:
            facts.append(("Gremien des Kreises", "; ".join(_text(b["name"]) for b in kreis_bodies)))
        similar = self.similar(ags)
        if similar:
            facts.append(("Vergleich", similar))
        own_bodies = [str(b["body_id"]) for b in bodies]
        subtitle = (
            f"Kreisfreie Stadt in {self.data.land_name}"
            if kreisfrei
            else f"Gemeinde im {self.kreis_label(kreis)}, {self.data.land_name}"
        )
        return {
            **self.common,
            "title": f"Steckbrief {name}",
            "name": name,
            "kind": "gemeinde",
            "ags": ags,
            "subtitle": subtitle,
            "highlight": ags,
            "map_caption": f"Lage von {name} in {self.data.land_name}; {self.kreis_label(kreis)} umrandet",
            "facts": [list(f) for f in facts],
            "trends": self.trends(ags),
            "indicators": rows,
            "effects": entries,
            "effects_more": more,
            "no_effects": "Im Register sind für diese Gemeinde und ihren Kreis keine Maßnahmen verzeichnet.",
            "activities": self.activities(own_bodies)[:max_lines],
            "record_next": self.record_next(own_bodies)[:max_lines] if own_bodies else [],
            "safety": self.safety(ags, name),
            "gaps": gaps,
            "footnotes": notes,
            "kreis_link": []
            if kreisfrei
            else [self.kreis_label(kreis), kreis_stem(kreis, str(self.kreise[kreis].name))],
            "file": gemeinde_stem(ags, name),
            **self.dated(ags),
            **accident_section(self.data, ags),
        }

    def accident_gaps(self, unit: str, level: str) -> list[str]:
        """Which years of the official accident statistics exist for ``unit``, where they end before the
        Land's (each indicator with its years: current figures are labelled, older ones named)."""
        official = [(ind, label) for ind, label in ACCIDENTS if not ind.startswith(POINTS_PREFIX)]
        have = {label: [int(y) for y in s.years] for ind, label in official if (s := self.series.get((unit, ind)))}
        land = [int(y) for ind, _ in official if (s := self.series.get((self.land, ind))) for y in s.years]
        if not have:
            return [f"Unfallzahlen der amtlichen Statistik liegen für diese {level} nicht vor."]
        newest = max(y for ys in have.values() for y in ys)
        if land and newest < max(land):
            listed = "; ".join(f"{label} {span(ys)}" for label, ys in have.items())
            return [
                f"Unfallzahlen der amtlichen Statistik je {level}: {listed}. Neuere Jahre (bis {max(land)}) gibt es nur "
                f"für {self.data.land_name}; die Tabelle zeigt je Kennzahl das neueste Jahr."
            ]
        return []

    @property
    def population_date(self) -> str:
        """' (31.12.2024)': the reference date of the population the sheets show, for the label."""
        date = self.data.gemeinden.get("population_date")
        if date is None or date.isna().all():
            return ""
        return f" ({fmt.date_de(date.max())})"

    # ------------------------------------------------------------------ body sheets
    def body(self, body_id: str, max_effects: int = MAX_EFFECTS, max_lines: int = MAX_ACTIVITIES) -> dict:
        b = self.bodies[body_id]
        name = _text(b["name"], body_id)
        ags = _text(b["ags"])
        measure_ids = self.body_measure_ids(body_id)
        register_ids = self.measures_by_body.get(body_id, [])
        partners = [PARTNERS.get(p, p) for p in _list(b.get("partners"))]
        facts = [
            ("Art", BODY_TYPES.get(_text(b["body_type"]), _text(b["body_type"]))),
            ("Ebene", _text(b["level"], "–")),
            ("Gebiet", f"{self.unit_name(ags)} ({ags})"),
        ]
        for label, key in (("Gegründet", "founded"), ("Neustart", "relaunched"), ("Aufgelöst", "ended")):
            v = b.get(key)
            if not _missing(v):
                facts.append((label, fmt.date_de(v, _text(b.get(f"{key}_precision"), "day"))))
        facts += [
            ("Status", STATUS.get(_text(b.get("status")), _text(b.get("status"), "–"))),
            ("Partner", ", ".join(partners) or "nicht angegeben"),
            ("Maßnahmen im Register", fmt.number(len(register_ids))),
        ]
        notes: list[str] = []
        rows = self.indicator_rows(ags, notes) if ags else []
        entries, more = self.cap(self.effect_entries(measure_ids), max_effects)
        gaps = []
        if len(ags) == 8 and ags in self.crime_gemeinden and not self.is_kreisfrei(ags[:5]):
            gaps.append(GEMEINDE_CRIME)
        elif len(ags) == 8:
            gaps.append(
                "Kriminalitätsdaten liegen nur auf Kreisebene vor: Wirkungen auf Straftaten werden am "
                f"{self.kreis_label(ags[:5])} insgesamt gemessen; kleine Wirkungen in einer Gemeinde gehen darin unter."
            )
        if not register_ids:
            gaps.append(NO_MEASURES)
        gaps += self.not_evaluable_gaps(register_ids)
        gaps += self.break_gaps([u for u in {ags, ags[:5]} if u])
        urls = [u.strip() for u in _text(b.get("source_url")).split(";") if u.strip()]
        level = {8: "Gemeinde", 5: "Kreis"}.get(len(ags), "Land")
        highlight = ags if len(ags) in (5, 8) else None
        return {
            **self.common,
            "title": name,
            "name": name,
            "kind": "gremium",
            "ags": ags,
            "subtitle": f"{BODY_TYPES.get(_text(b['body_type']), _text(b['body_type']))} · {self.unit_name(ags) if ags else self.data.land_name}",
            "highlight": highlight,
            "map_caption": f"Gebiet des Gremiums: {self.unit_name(ags)}"
            if highlight
            else f"Gebiet: ganz {self.data.land_name}",
            "facts": [list(f) for f in facts],
            "trends": self.trends(ags if level != "Land" else self.land),
            "indicators": rows,
            "effects": entries,
            "effects_more": more,
            "no_effects": "Für dieses Gremium liegen keine ausgewerteten Maßnahmen vor.",
            "activities": self.activities([body_id])[:max_lines],
            "record_next": self.record_next([body_id])[:max_lines],
            "safety": self.safety(ags, self.unit_name(ags)) if ags else None,
            "gaps": gaps,
            "footnotes": notes,
            "sources": [*self.common["sources"], *[f"Registereintrag: {u}" for u in urls]],
            "file": body_stem(body_id, name),
            **self.dated(ags if len(ags) in (5, 8) else self.land),
        }

    # ------------------------------------------------------------------ Kreis sheets
    def kreis(self, kreis: str, max_effects: int = MAX_EFFECTS, max_lines: int = MAX_ACTIVITIES) -> dict:
        """The sheet of a Landkreis: its crime and accident figures against the Land, the bodies and measures
        of the Kreis and its Gemeinden, and its Gemeinden with links to their sheets."""
        label = self.kreis_label(kreis)
        members = sorted((r for a, r in self.gem.items() if a[:5] == kreis), key=lambda r: str(r.name))
        pop = sum(float(r.population) for r in members if not _missing(r.population))
        area = sum(float(r.area_km2) for r in members if not _missing(r.area_km2))
        notes: list[str] = []
        rows = self.indicator_rows(kreis, notes)
        bodies = [b for a, bs in self.bodies_by_ags.items() if a[:5] == kreis for b in bs]
        ids = sorted(
            {m for a, ms in self.measures_by_ags.items() if a[:5] == kreis for m in ms}
            | {m for b in bodies for m in self.body_measure_ids(str(b["body_id"]))}
        )
        scope = {
            m: f"{self.unit_name(str(self.measures[m]['ags']))}: "
            for m in ids
            if m in self.measures and len(str(self.measures[m]["ags"])) == 8
        }
        entries, more = self.cap(self.effect_entries(ids, scope=scope), max_effects)
        gaps = [
            f"Kriminalitätsdaten (PKS) liegen für den {label} insgesamt vor, nicht für seine Gemeinden.",
            *self.accident_gaps(kreis, "Kreis"),
        ]
        if not ids:
            gaps.append(NO_MEASURES)
        gaps += self.break_gaps([kreis])
        facts = [
            ("Kreisschlüssel", kreis),
            (f"Einwohner{self.population_date}", fmt.number(pop) if pop else "–"),
            ("Fläche", f"{fmt.number(area, 1)} km²" if area else "–"),
            ("Gemeinden", fmt.number(len(members))),
            ("Gremien im Register", "; ".join(_text(b["name"]) for b in bodies) or "keine"),
        ]
        return {
            **self.common,
            "title": f"Steckbrief {label}",
            "name": label,
            "kind": "kreis",
            "ags": kreis,
            "subtitle": f"Landkreis in {self.data.land_name}",
            "highlight": kreis,
            "map_caption": f"Lage: {label} in {self.data.land_name}",
            "facts": [list(f) for f in facts],
            "trends": self.trends(kreis),
            "indicators": rows,
            "effects": entries,
            "effects_more": more,
            "no_effects": "Im Register sind für diesen Kreis und seine Gemeinden keine Maßnahmen verzeichnet.",
            "activities": [],
            "record_next": [],
            "gaps": gaps,
            "footnotes": notes,
            "gemeinden": [[str(r.name), gemeinde_stem(a, str(r.name))] for a, r in ((str(r.ags), r) for r in members)],
            "file": kreis_stem(kreis, str(self.kreise[kreis].name)),
            **self.dated(kreis),
        }

    def sheet(self, kind: str, key: str, max_effects: int = MAX_EFFECTS, max_lines: int = MAX_ACTIVITIES) -> dict:
        """The context of one sheet: ``kind`` gemeinde, kreis or gremium; at most ``max_effects`` results and
        ``max_lines`` lines on the bodies' work."""
        return {"gemeinde": self.gemeinde, "kreis": self.kreis, "gremium": self.body}[kind](key, max_effects, max_lines)


_SHOWN = {ind for ind, _ in CRIME + ACCIDENTS}
#: accident series a sheet's trend may show, in order of preference on equal reach
ACCIDENT_TREND = ("acc:unfaelle_personenschaden", "acc:points_all")
_POINTS = [ind for ind, _ in ACCIDENTS if ind.startswith(POINTS_PREFIX)]


# ---------------------------------------------------------------------- rendering
_worker_compiler = None


def _compile_batch(base_svg: str, batch: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """Compile (file stem, JSON) pairs with one typst compiler (fonts and the base map are cached in it)."""
    import typst

    global _worker_compiler
    if _worker_compiler is None:
        _worker_compiler = typst.Compiler(str(TEMPLATES / TYPST_TEMPLATE), root=str(TEMPLATES))
    return [(stem, _worker_compiler.compile(sys_inputs={"data": js, "base": base_svg})) for stem, js in batch]


def _pdf_json(ctx: dict, locator: LocatorMap) -> str:
    return json.dumps({**ctx, "overlay": locator.overlay(ctx["highlight"])}, ensure_ascii=False)


#: PDFs compiled per task of the process pool (progress is reported per finished task)
SHEETS_PER_BATCH = 12


#: how a sheet is shortened, step by step, until it fits on :data:`MAX_PAGES` pages: at most this many
#: results of measures (the rest are referred to the ministry report) and lines on the work of the bodies
SHORTER = ((MAX_EFFECTS, MAX_ACTIVITIES), (6, MAX_ACTIVITIES), (4, 4), (3, 3), (2, 2), (1, 2))
MAX_PAGES = 2
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF typst wrote."""
    return len(_PAGE.findall(pdf))


def sheet_specs(data: ReportData) -> list[tuple[str, str]]:
    """Every sheet as (kind, key): the Gemeinden, the Landkreise (a kreisfreie Stadt's sheet is its Gemeinde's)
    and the register's bodies without the placeholders (:func:`is_placeholder`)."""
    single = data.kreisfreie
    return [
        *(("gemeinde", str(a)) for a in data.gemeinden["ags"]),
        *(("kreis", str(k)) for k in data.kreise["ags"] if str(k) not in single),
        *(("gremium", str(b)) for b in data.real_bodies["body_id"]),
    ]


def render_fact_sheets(
    data: ReportData,
    out_dir: Path,
    *,
    workers: int = 2,
    cache: RenderCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write ``gemeinde_<AGS>_<slug>``, ``kreis_<AGS>_<slug>`` and ``gremium_<ID>_<slug>`` sheets (PDF and
    HTML) into ``out_dir``; a sheet longer than :data:`MAX_PAGES` pages is shortened (:data:`SHORTER`) and
    compiled again, so that PDF and HTML say the same.

    Returns the files, sorted. ``workers > 1`` compiles the PDFs in that many processes. With a
    ``cache``, a PDF whose data, base map and template are unchanged is not compiled again.
    ``progress(done, total)`` is called as the PDFs are compiled.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    locator = LocatorMap(data.gemeinden, data.kreise)
    builder = SheetBuilder(data, locator)
    specs = sheet_specs(data)
    base = locator.base(title="Lagekarte")
    cache = cache or RenderCache(None)
    import typst

    renderer = content_key(source_key(Path(__file__), TEMPLATES / TYPST_TEMPLATE), typst.__version__, base)

    def version(spec: tuple[str, str], step: int) -> tuple[dict, str, str]:
        ctx = builder.sheet(*spec, *SHORTER[step])
        data_json = _pdf_json(ctx, locator)
        return ctx, data_json, content_key(renderer, data_json)

    final: dict[str, tuple[dict, int]] = {}  # file stem → (context, step)
    jobs, keys, written = {}, {}, []
    for spec in specs:
        ctx, data_json, key = version(spec, 0)
        step = 0
        # a sheet shortened in an earlier run is fresh at the step it was shortened to
        candidate, at = (ctx, data_json, key), 0
        while not cache.fresh(out_dir / f"{candidate[0]['file']}.pdf", candidate[2]) and at + 1 < len(SHORTER):
            if not _longer(candidate[0], at):
                break
            at += 1
            candidate = version(spec, at)
            if cache.fresh(out_dir / f"{candidate[0]['file']}.pdf", candidate[2]):
                (ctx, data_json, key), step = candidate, at
        path = out_dir / f"{ctx['file']}.pdf"
        final[ctx["file"]] = (ctx, step)
        keys[path] = key
        if cache.fresh(path, key):
            written.append(path)
        else:
            jobs[ctx["file"]] = (spec, data_json)
    stems = [c["file"] for c, _ in final.values()]
    if len(final) != len(specs):
        raise ValueError(f"duplicate fact-sheet file names among {len(specs)} sheets: {sorted(set(stems))[:5]}")
    report = progress or (lambda done, total: None)
    cached = len(written)
    report(cached, len(specs))
    results = dict(
        _compile_all(base, [(stem, js) for stem, (_, js) in jobs.items()], workers, cached, len(specs), report)
    )
    for stem, pdf in list(results.items()):
        spec = jobs[stem][0]
        ctx, step = final[stem]
        while pdf_pages(pdf) > MAX_PAGES and step + 1 < len(SHORTER):
            step += 1
            ctx, data_json, key = version(spec, step)
            pdf = _compile_batch(base, [(stem, data_json)])[0][1]
            keys[out_dir / f"{stem}.pdf"] = key
        final[stem] = (ctx, step)
        results[stem] = pdf
    for stem, pdf in results.items():
        path = out_dir / f"{stem}.pdf"
        write_atomic(path, pdf)
        cache.record(path, keys[path])
        written.append(path)
    write_html([c for c, _ in final.values()], out_dir, locator, written)
    report(len(specs), len(specs))
    return sorted(written)


def _longer(ctx: dict, step: int) -> bool:
    """Whether the next step of :data:`SHORTER` would leave something out of this sheet."""
    effects, lines = SHORTER[step + 1]
    shown = len(ctx["effects"]) + bool(ctx["effects_more"])
    return shown > effects or max(len(ctx["activities"]), len(ctx["record_next"])) > lines


def _compile_all(base: str, jobs: list[tuple[str, str]], workers: int, cached: int, total: int, report):
    """Compile every job, in ``workers`` processes when there are many; ``report`` follows the progress."""
    if workers > 1 and len(jobs) > 40:
        batches = [jobs[i : i + SHEETS_PER_BATCH] for i in range(0, len(jobs), SHEETS_PER_BATCH)]
        ctx = multiprocessing.get_context("forkserver")
        results = []
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [pool.submit(_compile_batch, base, b) for b in batches]
            for future in concurrent.futures.as_completed(futures):
                results += future.result()
                report(cached + len(results), total)
        return results
    return _compile_batch(base, jobs)


def write_html(contexts: list[dict], out_dir: Path, locator: LocatorMap, written: list[Path]) -> None:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template(HTML_TEMPLATE)
    for ctx in contexts:
        path = out_dir / f"{ctx['file']}.html"
        map_svg = locator.svg(ctx["highlight"], title=ctx["map_caption"])
        write_if_changed(path, template.render(d=ctx, map_svg=map_svg, pdf=f"{ctx['file']}.pdf"))
        written.append(path)
