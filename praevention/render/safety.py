"""The sense of safety in the products: plain sentences about survey results, the fact-sheet section
"Sicherheitsempfinden" with its chart over the waves, and the report's overview of who measures it.

The finding of a measure evaluated on two survey waves (:mod:`praevention.evaluation.survey`) is told in one of
four plain cases: a change shown; a larger change ruled out; no change detectable, with what would make one
detectable (answers per wave); not evaluable, with the true reason. :func:`survey_verdict_de` is the one
function that words them (a small interface, so that the wording can join the crime verdicts).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from html import escape

import pandas as pd

from praevention.render import fmt
from praevention.render.svg import FONT, SVG_NS
from praevention.render.verdict import event_phrase, finding_label
from praevention.survey.estimate import MIN_ANSWERS
from praevention.survey.questionnaire import questionnaire

SURVEY_PREFIX = "umfrage:"
MAX_ITEMS = 6  # further items of the latest wave on a fact sheet (keeps two pages)


def points(value: float, *, signed: bool = True, unit: bool = True) -> str:
    """A difference of shares in percentage points, one decimal: ``-0.123`` → ``"−12,3 Prozentpunkte"``."""
    v = round(float(value) * 100, 1)
    sign = "+" if signed and v > 0 else ""
    return f"{sign}{fmt.number(v, 1)}" + (" Prozentpunkte" if unit else "")


def pct(share: float) -> str:
    """A share with one decimal: ``0.2883`` → ``"28,8 %"``."""
    return fmt.percent(share, 1)


def share_text(share: float, lo: float | None = None, hi: float | None = None) -> str:
    text = pct(share)
    if lo is not None and hi is not None:
        text += f" (95-%-Intervall {fmt.number(lo * 100, 1)} bis {pct(hi)})"
    return text


def interval_points(lo: float, hi: float) -> str:
    return f"95-%-Intervall {points(lo, unit=False)} bis {points(hi)}"


def _diag(row: Mapping) -> dict:
    d = row.get("diagnostics")
    return json.loads(d) if isinstance(d, str) and d else {}


def survey_verdict_de(row: Mapping, *, event: str, place: str = "", n_tests: int = 0) -> str:
    """The sentence for a ``measure_effects`` row on a survey indicator (``umfrage:…``)."""
    d = _diag(row)
    if not row.get("evaluable"):
        return f"Nicht auswertbar: {d.get('reason_de') or 'unbekannter Grund'}."
    item = questionnaire().headline
    p1, p2 = float(d["share_before"]), float(d["share_after"])
    lo, hi = d["difference_ci"]
    diff = float(d["difference"])
    n1, n2 = int(row["n_before"]), int(row["n_after"])
    facts = (
        f"Vor {event} gaben{place} {pct(p1)} der Befragten an, sich nachts ohne Begleitung in ihrer "
        f"Wohngegend eher oder sehr unsicher zu fühlen (Befragung {row['period_before']}, {fmt.number(n1)} Antworten), "
        f"danach {pct(p2)} ({row['period_after']}, {fmt.number(n2)} Antworten)"
    )
    interval = interval_points(lo, hi)
    finding = row.get("finding")
    no_comparison = (
        " Ohne Vergleichsgemeinde zeigt das, dass sich das Sicherheitsgefühl änderte – nicht sicher, dass die "
        "Maßnahme es änderte."
    )
    if finding == "effect":
        better = (diff < 0) == item.lower_is_better
        what = "eine Verbesserung" if better else "eine Verschlechterung"
        return f"{facts}: {what} um {points(abs(diff), signed=False)} ({interval}), größer als der Zufall erklärt.{no_comparison}"
    if finding == "no_large_effect":
        return (
            f"{facts}; Unterschied {points(diff)} ({interval}). Ein Rückgang um mehr als "
            f"{points(abs(lo), signed=False)} lässt sich damit ausschließen."
        )
    # undetectable, or a difference that chance explains among the report's many tests
    mde_points = p1 * (1 - float(row["mde_80"])) if row.get("mde_80") is not None else float("nan")
    chance = (
        f" Allein betrachtet wäre der Unterschied auffällig; unter {fmt.number(n_tests)} geprüften Ergebnissen "
        "entsteht er aber auch zufällig."
        if finding == "chance"
        else ""
    )
    need = int(d.get("n_for_target_change") or 0)
    detect = (
        f" Sicher erkennbar wären mit diesen Befragungen erst Rückgänge um etwa {points(mde_points, signed=False)}; "
        f"um einen Rückgang um {points(float(d.get('target_change', 0.1)), signed=False)} sicher zu erkennen, "
        f"bräuchte jede Welle etwa {fmt.number(need)} Antworten."
        if math.isfinite(mde_points) and need
        else ""
    )
    return f"{facts}; Unterschied {points(diff)} ({interval}): keine gesicherte Änderung.{chance}{detect}"


def add_survey_verdicts(effects: pd.DataFrame, measures: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """``measure_effects`` with the sentences of its survey rows (the other rows are left as they are)."""
    mask = effects["indicator"].astype(str).str.startswith(SURVEY_PREFIX)
    if not mask.any():
        return effects
    titles = dict(zip(measures["measure_id"], measures["title"], strict=False)) if len(measures) else {}
    n_tests = int(effects.loc[effects["headline"] & effects["evaluable"], "p_adjusted"].notna().sum())
    out = effects.copy()
    for i in out.index[mask]:
        row = out.loc[i].to_dict()
        mid = str(row["measure_id"])
        name = names.get(str(row["unit_ags"]), "")
        place = f" in {name}" if name else ""
        out.at[i, "verdict_de"] = survey_verdict_de(
            row, event=event_phrase(mid, str(titles.get(mid, ""))), place=place, n_tests=n_tests
        )
        out.at[i, "context_de"] = ""
    return out


# ---------------------------------------------------------------------- the fact-sheet section
def wave_label(value: object) -> str:
    return fmt.date_de(value, "month")


def chart(local: pd.DataFrame, reference: pd.DataFrame, *, name: str, land_name: str, width: int = 300) -> str:
    """The headline share per wave with its 95 % interval (bars), the Land's figure as grey diamonds."""
    height, left, right, top, bottom = 120, 30, 10, 14, 20
    shown = local[local["published"]]
    ref = reference[reference["published"]] if len(reference) else reference
    dates = sorted({pd.Timestamp(d) for d in [*shown["wave_date"], *(ref["wave_date"] if len(ref) else [])]})
    highs = [*shown["ci_high"], *(ref["ci_high"] if len(ref) else [])]
    top_value = min(1.0, max(0.1, math.ceil(max(highs) * 10 + 0.5) / 10)) if highs else 1.0
    label = (
        f"Anteil der Befragten, die sich nachts ohne Begleitung in der Wohngegend unsicher fühlen, {name}: "
        + "; ".join(
            f"{wave_label(r.wave_date)} {fmt.percent(r.share, 0)} (95-%-Intervall {fmt.number(r.ci_low * 100, 0)} bis "
            f"{fmt.percent(r.ci_high, 0)}, {fmt.number(r.n)} Antworten)"
            for r in shown.itertuples()
        )
    )
    if len(ref):
        label += f"; {land_name}: " + "; ".join(
            f"{wave_label(r.wave_date)} {fmt.percent(r.share, 0)}" for r in ref.itertuples()
        )
    span = max(1.0, (dates[-1] - dates[0]).days) if len(dates) > 1 else 1.0

    def x(d: object) -> float:
        if len(dates) < 2:
            return left + (width - left - right) / 2
        return left + 14 + (pd.Timestamp(d) - dates[0]).days / span * (width - left - right - 28)

    def y(v: float) -> float:
        return top + (top_value - v) / top_value * (height - top - bottom)

    out = [
        f'<svg {SVG_NS} viewBox="0 0 {width} {height + 14}" width="{width}" height="{height + 14}" '
        f'font-family="{FONT}" font-size="9" role="img" aria-label="{escape(label)}">'
    ]
    for v in (0, top_value / 2, top_value):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y(v) + 3:.1f}" text-anchor="end">{fmt.number(v * 100, 0)} %</text>'
        )
    for r in ref.itertuples() if len(ref) else []:
        cx, cy = x(r.wave_date), y(r.share)
        out.append(
            f'<path d="M{cx - 4:.1f},{cy:.1f}L{cx:.1f},{cy - 4:.1f}L{cx + 4:.1f},{cy:.1f}L{cx:.1f},{cy + 4:.1f}Z" fill="#888"/>'
        )
    pts = []
    for r in shown.itertuples():
        cx = x(r.wave_date)
        out.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(r.ci_low):.1f}" y2="{y(r.ci_high):.1f}" stroke="#c0392b" stroke-width="1.4"/>'
            f'<circle cx="{cx:.1f}" cy="{y(r.share):.1f}" r="3.2" fill="#c0392b"/>'
            + (
                f'<text x="{cx - 5:.1f}" y="{y(r.share) - 4:.1f}" text-anchor="end">'
                if cx > width - right - 30
                else f'<text x="{cx + 5:.1f}" y="{y(r.share) - 4:.1f}">'
            )
            + f"{fmt.number(r.share * 100, 0)} %</text>"
            f'<text x="{cx:.1f}" y="{height - bottom + 12}" text-anchor="middle">{wave_label(r.wave_date)}</text>'
        )
        pts.append(f"{cx:.1f},{y(r.share):.1f}")
    if len(pts) > 1:
        out.append(
            f'<polyline points="{" ".join(pts)}" fill="none" stroke="#c0392b" stroke-width="1" stroke-dasharray="3,2"/>'
        )
    legend = f"● {name} mit 95-%-Intervall" + (f"   ◆ {land_name}" if len(ref) else "")
    out.append(f'<text x="{left}" y="{height + 10}" font-size="8">{escape(legend)}</text></svg>')
    return "".join(out)


def section(
    perception: pd.DataFrame, changes: pd.DataFrame, ags: str, *, name: str, land: str, land_name: str
) -> dict | None:
    """The fact sheet's "Sicherheitsempfinden" for ``ags``: chart, plain sentences and the latest wave's other
    items; None where no survey of ``ags`` is on file."""
    if perception is None or not len(perception):
        return None
    q = questionnaire()
    head = q.headline
    mine = perception[(perception["ags"] == ags)]
    if not len(mine):
        return None
    local = mine[mine["item"] == head.code].sort_values("wave_date")
    reference = perception[(perception["ags"] == land) & (perception["item"] == head.code)].sort_values("wave_date")
    shown = local[local["published"]]
    sentences = []
    if not len(shown):
        sentences.append(
            f"Zur Hauptfrage liegen in keiner Befragung mindestens {MIN_ANSWERS} Antworten vor; Anteile werden "
            "deshalb nicht ausgewiesen."
        )
    else:
        last = shown.iloc[-1]
        sentences.append(
            f"Bei der Befragung {wave_label(last['wave_date'])} gaben {share_text(last['share'], last['ci_low'], last['ci_high'])} "
            f"der Befragten an, sich nachts ohne Begleitung in ihrer Wohngegend eher oder sehr unsicher zu fühlen "
            f"({fmt.number(last['n'])} Antworten)."
        )
        step = changes[(changes["ags"] == ags) & (changes["item"] == head.code)] if len(changes) else changes
        if len(step):
            c = step.sort_values("wave_after").iloc[-1]
            if c["direction"] == "keine gesicherte Änderung":
                verdict = "keine gesicherte Änderung"
            else:
                verdict = f"eine gesicherte {'Verbesserung' if c['direction'] == 'besser' else 'Verschlechterung'}"
            sentences.append(
                f"Gegenüber {wave_label(c['wave_before'])} ({pct(c['share_before'])}) sind das "
                f"{points(c['difference'])} ({interval_points(c['ci_low'], c['ci_high'])}): {verdict}."
            )
        ref = reference[reference["published"]]
        if len(ref):
            r = ref.iloc[-1]
            sentences.append(
                f"Zum Vergleich {land_name} ({wave_label(r['wave_date'])}): {share_text(r['share'], r['ci_low'], r['ci_high'])}."
            )
        sentences.append(f"Gewichtung: {last['weighting']}.")
    latest = mine[mine["wave_date"] == mine["wave_date"].max()]
    items = []
    for item in q.items:
        if item.headline:
            continue
        r = latest[(latest["item"] == item.code) & latest["published"]]
        if len(r):
            r = r.iloc[0]
            items.append(
                [
                    item.short,
                    share_text(r["share"]),
                    f"{fmt.number(r['ci_low'] * 100, 0)}–{fmt.percent(r['ci_high'], 0)}",
                    fmt.number(r["n"]),
                ]
            )
    return {
        "title": f"Anteil „nachts allein in der Wohngegend unsicher“ je Befragung, {name}",
        "svg": chart(local, reference, name=name, land_name=land_name) if len(shown) else "",
        "sentences": sentences,
        "rows": items[:MAX_ITEMS],
        "rows_header": ["weitere Fragen (letzte Befragung)", "Anteil", "95-%-Intervall", "Antworten"],
        "rows_note": f"Anteile nur bei mindestens {MIN_ANSWERS} Antworten.",
    }


# ---------------------------------------------------------------------- the report's overview
def overview(
    data_perception: pd.DataFrame, effects: pd.DataFrame, bodies: pd.DataFrame, measures: pd.DataFrame, unit_name
) -> list[list[str]]:
    """Who measures the sense of safety: per surveyed unit its waves, the latest headline share, the bodies
    there and the result of their measures aiming at it."""
    if data_perception is None or not len(data_perception):
        return []
    head = questionnaire().headline.code
    rows = []
    for ags, group in data_perception[data_perception["level"] != "Land"].groupby("ags", sort=True):
        main = group[group["item"] == head].sort_values("wave_date")
        waves = ", ".join(wave_label(d) for d in main["wave_date"])
        shown = main[main["published"]]
        latest = f"{pct(shown.iloc[-1]['share'])} ({wave_label(shown.iloc[-1]['wave_date'])})" if len(shown) else "–"
        here = bodies[bodies["ags"].astype(str) == ags]["name"].astype(str).tolist() if len(bodies) else []
        own = (
            effects[
                effects["indicator"].astype(str).str.startswith(SURVEY_PREFIX)
                & (effects["unit_ags"].astype(str) == ags)
                & effects["headline"]
            ]
            if len(effects)
            else effects
        )
        result = "; ".join(finding_label(e.finding) or "–" for e in own.itertuples())
        rows.append(
            [unit_name(ags), "; ".join(here) or "–", waves or "–", latest, result or "keine Maßnahme mit diesem Ziel"]
        )
    return rows


def without_survey(perception: pd.DataFrame, measures: pd.DataFrame) -> list[str]:
    """IDs of the measures that aim at the sense of safety in a unit without any survey on file."""
    from praevention.register.targets import aims_at_safety

    surveyed = set(perception["ags"].astype(str)) if len(perception) else set()
    return [
        str(m["measure_id"])
        for _, m in measures.iterrows()
        if aims_at_safety(m.get("target")) and str(m.get("ags")) not in surveyed
    ]


def overview_intro(perception: pd.DataFrame, measures: pd.DataFrame) -> str:
    """One paragraph: where the sense of safety is measured and which measures aim at it without a survey."""
    from praevention.register.targets import aims_at_safety

    units = perception[perception["level"] != "Land"]["ags"].nunique() if len(perception) else 0
    aiming = sum(aims_at_safety(t) for t in measures["target"]) if len(measures) else 0
    missing = len(without_survey(perception, measures))
    if not units:
        text = (
            "Das Sicherheitsgefühl wird bisher nirgends mit einer Befragung gemessen, die im Präventionsmonitor "
            "vorliegt. Der Standardfragebogen (praevention survey template) macht Befragungen vergleichbar."
        )
    else:
        text = (
            f"Das Sicherheitsgefühl wird in {fmt.plural(int(units), 'Gebiet', 'Gebieten')} mit Befragungen gemessen "
            f"(Anteil, der sich nachts ohne Begleitung in der Wohngegend unsicher fühlt; Anteile nur ab {MIN_ANSWERS} "
            "Antworten, mit 95-%-Intervall)."
        )
    if aiming:
        text += (
            f" {fmt.plural(int(aiming), 'Maßnahme zielt', 'Maßnahmen zielen')} im Register auf das Sicherheitsgefühl"
            + (f", für {fmt.number(missing)} davon liegt keine Befragung vor." if missing else ".")
        )
    return text
