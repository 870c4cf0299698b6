"""The published tables: the ministry's workbook ``tabellen.xlsx``, from which the open data release
(:mod:`praevention.render.opendata`) is written too.

Both come from :func:`release_tables`, one frame per table with the warehouse's column names (their
published names, German labels, types and descriptions: :mod:`praevention.render.columns`) and German values
(codes become labels: methods, findings, body types, partners, precisions; ``True`` becomes ``ja``).
Numbers stay numbers: the workbook stores them as numbers with number formats (years without a thousands
separator, rates with one decimal, p-values rounded to three significant digits). Free text from the
register (``notes``, the target as typed) is never published, nor are its placeholder bodies.

Small numbers follow the one disclosure rule (:mod:`praevention.render.disclosure`): a hidden count shows
``<3`` or ``ausgeblendet`` in the workbook, its rate is left empty. Annual and monthly figures are separate tables; the
monthly ones (provisional GENESIS months) carry their own period. Only today's Gemeinden and Kreise appear.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

import pandas as pd

from praevention.evaluation.design import span as years_text
from praevention.files import atomic_target
from praevention.privacy import neutralise_formula
from praevention.register.schema import ACCIDENT_GROUPS, MECHANISMS, TABLES
from praevention.render import columns, disclosure, fmt
from praevention.render.data import SOURCE_NAMES, ReportData, is_placeholder
from praevention.render.verdict import finding_text
from praevention.stats.methods import label as method_label

LICENCE = (
    "Diese Tabellen stehen unter der Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0, "
    "https://www.govdata.de/dl-de/by-2-0). Namensnennung: Präventionsmonitor Sachsen-Anhalt, mit den unten "
    "genannten Quellen."
)
PRECISIONS = {"day": "Tag", "month": "Monat", "year": "Jahr"}
PANEL_INDICATORS = [
    "pks:------",
    "pks:899000",
    "pks:435*00",
    "pks:892000",
    "acc:unfaelle_personenschaden",
    "acc:verunglueckte",
    "acc:getoetete",
    "acc:points_all",
]
PANEL_COLUMNS = [
    "unit_ags",
    "unit_level",
    "unit_name",
    "year",
    "month",
    "indicator",
    "indicator_label",
    "count",
    "disclosure",
    "population",
    "population_basis",
    "rate_per_100k",
    "rate_ci_low",
    "rate_ci_high",
    "hz_published",
    "break_flag",
    "break_reason",
    "source",
]
#: what the Kennzahlen's codes mean, by prefix (the code list); PKS keys by their offence label
DEFINITIONS = {
    "pks:": "Polizeilich erfasste Straftaten nach dem Schlüssel der Polizeilichen Kriminalstatistik (Tatortprinzip)",
    "acc:points_": "Unfälle mit Personenschaden, selbst gezählt aus den Unfallorten des Unfallatlas",
    "acc:verunglueckte": "Getötete und Verletzte bei Straßenverkehrsunfällen (amtliche Statistik)",
    "acc:getoetete": "Bei Straßenverkehrsunfällen Getötete (innerhalb von 30 Tagen gestorben)",
    "acc:": "Von der Polizei aufgenommene Straßenverkehrsunfälle (amtliche Statistik)",
}
INTEGER = {"year", "count", "population", "rows", "source_row", "n_before", "n_after", "month"}
ONE_DECIMAL = {"rate_per_100k", "rate_ci_low", "rate_ci_high", "hz_published", "area_radius_m"}
TWO_DECIMALS = {
    "estimate",
    "ci_low",
    "ci_high",
    "mde_80",
    "budget_eur",
    "pi_low",
    "pi_high",
    "i2",
    "mde_80_area",
    "area_share_cases",
    "area_share_population",
    "area_share_territory",
    "literature_estimate",
    "literature_at_level",
    "mean_share",
}
P_VALUES = {"p_value", "p_adjusted", "p_holm"}
DATES = {"founded", "ended", "relaunched", "start", "end", "source_date"}
NOT_PUBLISHED = {"notes", "target", "diagnostics"}  # free text from the register; internal diagnostics


def _labels(values: object, labels: Mapping[str, str]) -> object:
    if values is None or isinstance(values, float):
        return values
    if isinstance(values, str):
        return labels.get(values, values)
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _register_labels(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Codes of the register's choice fields as their German labels; lists joined by commas."""
    out = frame.copy()
    for f in TABLES[kind]:
        if f.name in out and f.choices:
            out[f.name] = out[f.name].map(lambda v, c=f.choices: _labels(v, c))
    for col in out.columns:
        if col.endswith("_precision"):
            out[col] = out[col].map(lambda v: _labels(v, PRECISIONS))
    for col in ("target_pks_keys", "area_ortsteile"):
        if col in out:
            out[col] = out[col].map(lambda v: _labels(v, {}))
    if "target_accident_groups" in out:
        out["target_accident_groups"] = out["target_accident_groups"].map(lambda v: _labels(v, ACCIDENT_GROUPS))
    if "source_file" in out:  # the register's file by name only: where it lies is no reader's business
        out["source_file"] = out["source_file"].map(lambda p: PurePath(str(p)).name if isinstance(p, str) and p else p)
    return out


def hide_counts(
    frame: pd.DataFrame, flags: pd.Series, columns: tuple[str, ...], rates: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The workbook's form of hidden cells: ``<3`` or ``ausgeblendet`` in ``columns`` (:func:`disclosure.count_text`)
    where ``flags`` says so, ``rates`` left empty there."""
    out = frame.astype({c: object for c in (*columns, *rates) if c in frame})
    hide = flags.map(disclosure.hidden)
    for col in columns:
        out.loc[hide, col] = flags[hide].map(disclosure.TEXT.get)
    for col in rates:
        if col in out:
            out.loc[hide, col] = None
    return out


#: the quarantine's reasons (English, for analysts) in German, by pattern; anything else is summarised, never
#: printed: a rejected register row's reason could quote what the register keeper typed
QUALITY_REASONS = [
    (r"same unit as line", "Gebiet doppelt aufgeführt, zweite Zeile ohne Zahlen"),
    (r"duplicate of line", "Zeile doppelt für dasselbe Gebiet und Jahr"),
    (r"water-only part", "reine Wasserfläche, keine Gemeindefläche"),
    (r"implausible year", "unplausibles Jahr"),
    (r"line has \d+ fields", "Zeile mit falscher Spaltenzahl"),
    (r"unknown Land name", "unbekanntes Land"),
    (r"unknown category", "unbekannte Kategorie"),
]


def quality_reason(asset: str, reason: str) -> str:
    """The German category of one quarantine reason."""
    for pattern, label in QUALITY_REASONS:
        if re.search(pattern, str(reason)):
            return label
    if asset == "register":
        return "Registerzeile mit Fehlern (Einzelheiten in der Prüfdatei des Registers)"
    return "sonstiger Lesefehler (Einzelheiten in der Tabelle quarantine des Warehouse)"


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows per source and German reason (Quelle, Grund, Zeilen)."""
    q = pd.DataFrame(
        {
            "Quelle": [SOURCE_NAMES.get(a, a) for a in quality["asset"]],
            "Grund": [quality_reason(a, r) for a, r in zip(quality["asset"], quality["reason"], strict=True)],
            "Zeilen": quality["rows"].astype(int),
        }
    )
    return q.groupby(["Quelle", "Grund"], as_index=False)["Zeilen"].sum()


def _p3(v: object) -> object:
    """A p-value rounded to three significant digits (the number stays a number)."""
    if v is None or not isinstance(v, int | float) or not math.isfinite(v) or v == 0:
        return v
    return float(f"{v:.3g}")


def release_tables(data: ReportData) -> dict[str, pd.DataFrame]:
    """The published tables, by sheet name, with warehouse column names (:mod:`columns`) and the disclosure
    flags of their counts (``disclosure``; ``n_before_disclosure``/``n_after_disclosure`` for the effects)."""
    e = data.effects.drop(columns=["diagnostics"], errors="ignore")
    flags = disclosure.effect_count_flags(e, data.panel)
    e = e.assign(n_before_disclosure=flags["n_before"], n_after_disclosure=flags["n_after"])
    e.insert(0, "event", [data.event_name(m) for m in e["measure_id"]])
    e["unit_name"] = [data.unit_name(u) for u in e["unit_ags"]]
    body, _, kind = zip(*(str(m).partition(":") for m in e["measure_id"]), strict=True) if len(e) else ((), (), ())
    e["body_id"] = [b if k else None for b, k in zip(body, kind, strict=True)]
    e["measure_id"] = [None if k else m for m, k in zip(e["measure_id"], kind, strict=True)]
    e["method"] = e["method"].map(method_label)
    e["finding"] = [finding_text(r) if isinstance(r["finding"], str) else r["finding"] for r in e.to_dict("records")]
    for col in P_VALUES & set(e.columns):
        e[col] = e[col].map(_p3)
    e = e[~e["body_id"].map(is_placeholder)]  # a placeholder's "founding" is no event
    first = ["event", "measure_id", "body_id", "unit_ags", "unit_level", "unit_name"]
    e = e[[*first, *(c for c in e.columns if c not in first)]]
    counts = ["n_before", "n_before_disclosure", "n_after", "n_after_disclosure"]
    at = list(e.columns).index("n_before")
    rest = [c for c in e.columns if c not in counts]
    e = e[[*rest[:at], *counts, *rest[at:]]]
    panel = data.panel[
        data.panel["unit_level"].isin(["Kreis", "Land", "Gemeinde"]) & data.panel["indicator"].isin(PANEL_INDICATORS)
    ]
    panel = panel[panel["count"].notna() | panel["rate_per_100k"].notna()]  # a year without data is a gap, no row
    panel = panel[PANEL_COLUMNS].sort_values(["unit_level", "unit_ags", "indicator", "year", "month"])
    monthly = panel["month"].notna()
    bodies = data.real_bodies.drop(columns=list(NOT_PUBLISHED), errors="ignore")
    measures = data.measures.drop(columns=list(NOT_PUBLISHED), errors="ignore")
    measures = measures.assign(body_id=measures["body_id"].map(lambda b: None if is_placeholder(b) else b))
    return {
        "Kennzahlen": panel[~monthly].drop(columns=["month"]),
        "Monatswerte": panel[monthly],
        "Wirkungen": e,
        "Was wirkt": what_works_table(data.types),
        "Gremien": _register_labels(bodies, "bodies"),
        "Maßnahmen": _register_labels(measures, "measures"),
        "Datenqualität": quality_table(data.quality).rename(
            columns={"Quelle": "asset", "Grund": "reason", "Zeilen": "rows"}
        ),
        "Kennzahl-Codes": code_list(panel),
    }


def what_works_table(types: pd.DataFrame) -> pd.DataFrame:
    """``measure_type_effects`` as published: types and mechanisms in words, without the forest's JSON."""
    out = types.drop(columns=["forest", "measure_type", "outcome"], errors="ignore")
    out["mechanism"] = out["mechanism"].map(lambda v: _labels(v, MECHANISMS))
    return out


def code_list(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per published indicator: its code, name, definition, levels and years (gaps named)."""
    rows = []
    for code, g in panel[panel["month"].isna()].groupby("indicator", sort=True):
        definition = next(text for prefix, text in DEFINITIONS.items() if str(code).startswith(prefix))
        levels = [lvl for lvl in ("Land", "Kreis", "Gemeinde") if (g["unit_level"] == lvl).any()]
        rows.append(
            {
                "code": code,
                "label": str(g["indicator_label"].dropna().iloc[0]) if g["indicator_label"].notna().any() else code,
                "definition": definition,
                "levels": ", ".join(levels),
                "years": "; ".join(
                    f"{lvl}: {years_text(sorted(set(g.loc[g['unit_level'] == lvl, 'year'].astype(int))))}"
                    for lvl in levels
                ),
            }
        )
    return pd.DataFrame(rows, columns=["code", "label", "definition", "levels", "years"])


def published(v: object) -> object:
    """A value as published: ``None`` for missing (also ``pd.NA``), ``ja``/``nein`` for booleans, whole numbers
    as ``int``, numbers as numbers."""
    if v is None or isinstance(v, list | tuple):
        return v
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, bool):
        return "ja" if v else "nein"
    return v


def monthly_period(data: ReportData) -> str:
    """'01/2025–02/2026': the months the monthly table covers (they run ahead of the annual data date)."""
    m = data.panel[data.panel["month"].notna()]
    if m.empty:
        return ""
    keys = sorted(zip(m["year"].astype(int), m["month"].astype(int), strict=True))
    (y0, m0), (y1, m1) = keys[0], keys[-1]
    return f"{m0:02d}/{y0}–{m1:02d}/{y1}"


def sources_rows(data: ReportData) -> list[list[str]]:
    """The licence of the tables, every source with its licence, the data date and the disclosure rule."""
    rows = [
        ["Lizenz", LICENCE],
        *[["Quelle", line] for line in data.attributions()],
        ["Datenstand", f"{data.data_as_of()} (Jahreswerte bis {fmt.date_de(data.data_date)})"],
    ]
    period = monthly_period(data)
    if period:
        rows.append(
            [
                "Monatswerte",
                f"Tabelle Monatswerte: {period}, vorläufige Monatsergebnisse, getrennt von den Jahreswerten",
            ]
        )
    rows.append(["Kleine Zahlen", disclosure.RULE])
    return rows


def write_workbook(data: ReportData, path: Path) -> Path:
    """One sheet per table with German bold headers, frozen panes, filters, widths and number formats, and
    a sheet with the licence and the sources."""
    import xlsxwriter

    sheets = release_tables(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True, "remove_timezone": True})
        stamp = pd.Timestamp(data.data_date).to_pydatetime()
        wb.set_properties({"title": "Präventionsmonitor: Tabellen", "author": "Präventionsmonitor", "created": stamp})
        head = wb.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True, "valign": "top"})
        formats = {
            "int": wb.add_format({"num_format": "#,##0"}),
            "year": wb.add_format({"num_format": "0"}),
            "one": wb.add_format({"num_format": "#,##0.0"}),
            "two": wb.add_format({"num_format": "#,##0.00"}),
            "p": wb.add_format({"num_format": "General"}),
            "date": wb.add_format({"num_format": "dd.mm.yyyy"}),
            "float": wb.add_format({"num_format": "#,##0.00"}),
        }
        for name, frame in sheets.items():
            _write_sheet(wb.add_worksheet(name), workbook_form(frame).reset_index(drop=True), head, formats)
        ws = wb.add_worksheet("Lizenz und Quellen")
        ws.write_row(0, 0, ["Art", "Angabe"], head)
        for i, row in enumerate(sources_rows(data), start=1):
            ws.write_row(i, 0, [neutralise_formula(v) for v in row])
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 120)
        wb.close()
    return path


def workbook_form(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the workbook shows it: hidden counts as ``<3`` or ``ausgeblendet`` in their column, their rates
    empty, without the flag columns."""
    out = frame
    if "disclosure" in out:
        out = hide_counts(
            out, out["disclosure"], ("count",), ("rate_per_100k", "rate_ci_low", "rate_ci_high", "hz_published")
        )
    for col in ("n_before", "n_after"):
        if f"{col}_disclosure" in out:
            out = hide_counts(out, out[f"{col}_disclosure"], (col,))
    return out.drop(columns=["disclosure", "n_before_disclosure", "n_after_disclosure"], errors="ignore")


def _format_of(col: str) -> str:
    if col in ("year", "month", "source_row"):
        return "year"
    if col in INTEGER:
        return "int"
    if col in ONE_DECIMAL:
        return "one"
    if col in TWO_DECIMALS:
        return "two"
    if col in P_VALUES:
        return "p"
    return "float"


def _write_sheet(ws, frame: pd.DataFrame, head, formats: dict) -> None:
    for j, col in enumerate(frame.columns):
        label = columns.title(col)
        ws.write(0, j, label, head)
        width = max(10, min(40, len(label) + 2))
        fmt_name = _format_of(col)
        for i, raw in enumerate(frame[col], start=1):
            v = published(raw)
            if v is None:
                continue
            if isinstance(v, list | tuple):
                v = ", ".join(map(str, v))
            if col in DATES and hasattr(v, "year"):
                ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), formats["date"])
            elif isinstance(v, int | float):
                ws.write_number(i, j, float(v), formats[fmt_name])
            else:
                text = neutralise_formula(str(v))
                ws.write_string(i, j, text)
                width = max(width, min(60, len(text) + 2))
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(frame)), max(0, len(frame.columns) - 1))
