"""From the register to evaluation designs: which unit, indicator, periods and comparison units.

A design fixes, before any estimate is computed, what is compared with what:

* **Unit.** The finest level with data for both periods. Crime: the Stadtteile a measure names (Magdeburg's
  Kriminalitätsstatistik per Stadtteil), else the Gemeinde (PKS by Tatortgemeinde, where imported), else
  the Kreis (the public PKS) – and the outputs say which. A kreisfreie Stadt is its Kreis: the public PKS
  counts all its cases and compares it with the cities of its type, so its Gemeinde row is not used. A
  Land-wide measure is evaluated on the Land, compared with the other Länder. Traffic measures use the smallest unit whose accident data cover both periods.
* **Periods** (:func:`periods`). The year a measure starts is a transition year, and so is the year
  before it: councils are often founded after a bad year, and a count that was unusually high just before
  the start falls back by itself (regression to the mean; Ashenfelter 1978 on the dip before programme
  entry). Neither year belongs to a period; the after period ends with the measure's end, if it has one.
  A design needs :data:`MIN_BEFORE_YEARS` before years (a pre-trend test and more than one year of
  baseline; on real placebos, designs with one before year called 5.5 % of them effective against 4.1 %).
* **Indicators.** PKS offence keys as registered; accident groups map to panel indicators
  (:data:`ACCIDENT_GROUPS`); groups without data (children, seniors, speed) are not evaluable.
* **Outcome.** A target of all offences (``------``) is evaluated without violations of residence and asylum
  law (``890000``, :mod:`praevention.evaluation.outcomes`), except on Stadtteile, whose statistics publish
  only all offences.
* **Level and area.** Every design records the level of the unit it measures (Stadtteil, Gemeinde, Kreis,
  Land) and the measure's own area (``area_ags``, ``area_level``): where the area is smaller than the unit,
  the evaluation states the area's share of the unit (:mod:`praevention.evaluation.dilution`).
* Bodies count as interventions too: the founding of a council (and its relaunch) is evaluated on all
  offences and on street crime. A placeholder body derived from a single measure ("Beteiligte an „…“") is
  no council: it has no founding to evaluate (its measure is evaluated). A founding that is the start of
  one of the body's own measures is evaluated as that measure (:func:`founding_reason` says so).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from praevention.evaluation.outcomes import STADTTEIL_ALL_OFFENCES, design_key
from praevention.readers.pks import ALL_OFFENCES
from praevention.register.sourced_register import is_placeholder_body
from praevention.register.targets import aims_at_safety

#: accident group of the register -> panel indicators, by preference (points are finer than counts)
ACCIDENT_GROUPS: dict[str, tuple[str, ...]] = {
    "all": ("acc:points_all", "acc:unfaelle_personenschaden"),
    "killed_or_seriously_injured": ("acc:points_ksi",),
    "pedestrians": ("acc:points_pedestrian",),
    "cyclists": ("acc:points_bicycle",),
    "motorcycles": ("acc:points_motorcycle",),
    "alcohol_drugs": ("acc:unfaelle_sachschaden_berauscht",),
}
NO_DATA_GROUPS = {
    "children": "Unfalldaten nach Alter der Beteiligten liegen nicht vor",
    "seniors": "Unfalldaten nach Alter der Beteiligten liegen nicht vor",
    "speed": "Unfallursachen (Geschwindigkeit) liegen in den Daten nicht vor",
}
BODY_TARGETS = (ALL_OFFENCES, "899000")
#: before years a design needs: with fewer there is no pre-trend test and the baseline is a single year
MIN_BEFORE_YEARS = 2
BODY_GROUPS = {"other": "Sonstiges Gremium", "Beirat": "Kriminalpräventiver Beirat"}


@dataclass(frozen=True)
class Design:
    """One evaluation: a measure (or a body's founding) × an indicator on one unit."""

    measure_id: str
    body_id: str
    label: str
    group: str
    domain: str
    indicator: str
    unit_ags: str
    unit_level: str
    start: dt.date | None
    end: dt.date | None
    before: tuple[int, ...] = ()
    after: tuple[int, ...] = ()
    reason: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: the measure's own area (a Gemeinde, named Stadtteile, a Kreis, the Land) and its level; a point or
    #: polygon is the level "Fläche" in its Gemeinde
    area_ags: str = ""
    area_level: str = ""

    @property
    def evaluable(self) -> bool:
        return self.reason is None

    @property
    def period_before(self) -> str:
        return span(self.before)

    @property
    def period_after(self) -> str:
        return span(self.after)


def span(years: tuple[int, ...] | list[int]) -> str:
    """The years as they are: '2016–2019', and with a gap '2020, 2022–2024' (a missing year is never
    covered by a range)."""
    runs: list[list[int]] = []
    for y in sorted(set(int(v) for v in years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def periods(years: tuple[int, ...], start_year: int, end_year: int = 9999) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(before, after) years of a measure starting in ``start_year``: the start year and the year before it
    are transition years and belong to neither period."""
    before = tuple(y for y in years if y < start_year - 1)
    after = tuple(y for y in years if start_year < y <= end_year)
    return before, after


def _date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


#: separates the Stadtteile of a measure's area in the key of the unit they form together
STADTTEIL_JOIN = "+"


def stadtteil_unit(ags: str, ortsteile: list[str]) -> str | None:
    """The unit formed by the Stadtteile a measure names: '15003000-01+04' for '01 Altstadt' and '4'.
    Stadtteile are named by their official number (a leading number in the entry); None without one."""
    numbers = sorted({m.group(1).zfill(2) for o in ortsteile if (m := re.match(r"\s*(?:Stadtteil\s*)?(\d{1,3})\b", o))})
    return f"{ags}-{STADTTEIL_JOIN.join(numbers)}" if numbers and len(ags) == 8 else None


def stadtteil_parts(unit: str) -> list[str]:
    """'15003000-01+04' → ['15003000-01', '15003000-04']."""
    city, _, numbers = unit.partition("-")
    return [f"{city}-{n}" for n in numbers.split(STADTTEIL_JOIN)]


def is_kreisfreie_stadt(ags: str) -> bool:
    """Whether an 8-digit AGS is a kreisfreie Stadt: its Gemeinde number is 000, its territory its Kreis's."""
    return len(ags) == 8 and ags.endswith("000")


def _crime_units(ags: str, land: str, ortsteile: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Candidate units of a crime design, finest first, each with its level and the note the outputs carry."""
    if ags == land:
        return [(land, "Land", ("Landesweite Maßnahme: Vergleich mit den anderen Ländern",))]
    out = []
    if unit := stadtteil_unit(ags, ortsteile):
        out.append(
            (unit, "Stadtteil", ("Ausgewertet in den genannten Stadtteilen (Kriminalitätsstatistik der Stadt)",))
        )
    if len(ags) == 8 and is_kreisfreie_stadt(ags):
        # the city is its Kreis: the public PKS counts all its cases, compared with cities of its type
        out.append((ags[:5], "Kreis", ("Kreisfreie Stadt: ausgewertet mit der PKS der Stadt",)))
    elif len(ags) == 8:
        out.append((ags, "Gemeinde", ("Ausgewertet für die Gemeinde (Kriminalstatistik nach Tatortgemeinde)",)))
        out.append(
            (ags[:5], "Kreis", ("Kriminalitätsdaten liegen für die Gemeinde nicht vor: ausgewertet wird der Kreis",))
        )
    else:
        out.append((ags[:5], "Kreis", ()))
    return out


def _outcome_note(key: str, level: str) -> tuple[str, ...]:
    """The note of a Stadtteil design of all offences: what its statistics count."""
    return (STADTTEIL_ALL_OFFENCES + ".",) if key == ALL_OFFENCES and level == "Stadtteil" else ()


def _area(finest: str, level: str, area_type: str) -> tuple[str, str]:
    """The measure's own area: its finest candidate unit, or its point or polygon ("Fläche")."""
    if area_type in ("point_radius", "polygon"):
        return finest, "Fläche"
    return finest, level


#: the end of the reason of a founding that is the start of one of the body's measures
FOUNDED_WITH_MEASURE = "(dort ausgewertet)"


def founding_reason(body: pd.Series, measures: pd.DataFrame) -> str:
    """Why a body's founding has no design of its own (German), or "" when it has one: a placeholder body,
    a founding that is the start of one of its measures (evaluated as that measure), no founding date."""
    if is_placeholder_body(body["body_id"]):
        return "kein eigenes Gremium: Träger einer einzelnen Maßnahme, ausgewertet wird die Maßnahme"
    founded = _date(body.get("founded"))
    if founded is None:
        return "" if _date(body.get("relaunched")) is not None else "kein Gründungsdatum im Register"
    own = measures[(measures["body_id"] == body["body_id"])] if len(measures) else measures
    same = [m for _, m in own.iterrows() if _date(m.get("start")) == founded]
    if same:
        title = str(same[0]["title"])
        short = title if len(title) <= 50 else title[:49].rstrip() + "…"
        return f"Gründung am Beginn der Maßnahme „{short}“ {FOUNDED_WITH_MEASURE}"
    return ""


def _list(value: object) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [str(v) for v in value]


def interventions(bodies: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Register measures plus the foundings and relaunches of bodies, as one table of interventions."""
    rows = []
    for _, m in measures.iterrows():
        rows.append(
            {
                "measure_id": m["measure_id"],
                "body_id": m["body_id"],
                "label": m["title"],
                "domain": m["domain"],
                "pks_keys": _list(m.get("target_pks_keys")),
                "accident_groups": _list(m.get("target_accident_groups")),
                "ags": m["ags"],
                "ortsteile": _list(m.get("area_ortsteile")),
                "start": _date(m["start"]),
                "end": _date(m.get("end")),
                "area_type": m.get("area_type") or "municipality",
                "group": m.get("measure_type") or "Sonstiges",
                "mechanism": m.get("mechanism"),
                "moderators": m.get("moderators"),
                "register_evaluable": bool(m.get("evaluable", True)),
                "register_reason": m.get("not_evaluable_reason"),
                "survey_target": aims_at_safety(m.get("target")),
            }
        )
    measure_starts = {(r["body_id"], r["start"]) for r in rows}
    for _, b in bodies.iterrows():
        if not isinstance(b["ags"], str) or is_placeholder_body(b["body_id"]):
            continue
        for kind, column in (("gruendung", "founded"), ("neustart", "relaunched")):
            start = _date(b.get(column))
            if start is None and kind == "neustart":
                continue
            if kind == "gruendung" and (b["body_id"], start) in measure_starts:
                continue  # the body was set up by one of its measures: that measure is evaluated
            rows.append(
                {
                    "measure_id": f"{b['body_id']}:{kind}",
                    "body_id": b["body_id"],
                    "label": f"{'Einrichtung' if kind == 'gruendung' else 'Neustart'}: {b['name']}",
                    "domain": "crime",
                    "pks_keys": list(BODY_TARGETS),
                    "accident_groups": [],
                    "ags": b["ags"],
                    "start": start,
                    "end": _date(b.get("ended")),
                    "area_type": "municipality",
                    "group": BODY_GROUPS.get(str(b["body_type"]), str(b["body_type"])),
                    "register_evaluable": start is not None,
                    "register_reason": None if start is not None else "kein Gründungsdatum im Register",
                    "survey_target": False,
                }
            )
    return pd.DataFrame(rows)


def designs(interv: pd.DataFrame, available: pd.DataFrame, land: str) -> list[Design]:
    """Every (intervention, indicator) with its unit and periods, or the reason it cannot be evaluated.

    ``available`` lists the panel's (unit_ags, indicator, year) cells with a count.
    """
    wanted = {f"pks:{design_key(k, lv)}" for ks in interv["pks_keys"] for k in ks for lv in ("Kreis", "Stadtteil")}
    wanted |= {i for opts in ACCIDENT_GROUPS.values() for i in opts}
    cells = available[available["indicator"].isin(wanted)].drop_duplicates().sort_values("year")
    years, rows = cells["year"].to_numpy(), cells.groupby(["unit_ags", "indicator"], sort=False).indices
    years_of = {key: tuple(years[i].tolist()) for key, i in rows.items()}
    for ortsteile, ags in zip(interv.get("ortsteile", []), interv["ags"], strict=False):
        unit = stadtteil_unit(str(ags or ""), ortsteile if isinstance(ortsteile, list) else [])
        if unit is None:
            continue
        for indicator in {i for (u, i) in years_of if u in stadtteil_parts(unit)}:
            parts = [set(years_of.get((u, indicator), ())) for u in stadtteil_parts(unit)]
            years_of[(unit, indicator)] = tuple(sorted(set.intersection(*parts)))
    out: list[Design] = []
    for _, m in interv.iterrows():
        base = {
            "measure_id": m["measure_id"],
            "body_id": m["body_id"],
            "label": m["label"],
            "group": m["group"],
            "start": _date(m["start"]),
            "end": _date(m["end"]),
        }
        targets: list[tuple[str, str, tuple[str, ...]]] = []
        for key in m["pks_keys"]:
            targets.append(("crime", f"pks:{key}", ()))
        for group in m["accident_groups"]:
            if group in NO_DATA_GROUPS:
                targets.append(("traffic", f"acc:{group}", (NO_DATA_GROUPS[group],)))
            else:
                targets.append(("traffic", group, ACCIDENT_GROUPS.get(group, ())))
        if not targets and m.get("survey_target"):
            continue  # only the sense of safety: evaluated on survey waves (praevention.evaluation.survey)
        if not targets:
            out.append(
                Design(
                    **base,
                    domain=m["domain"] or "crime",
                    indicator="",
                    unit_ags=m["ags"] or "",
                    unit_level="",
                    reason=m["register_reason"] or "keine auswertbare Zielgröße",
                )
            )
            continue
        for domain, indicator, options in targets:
            out.append(_design(base, domain, indicator, options, m, years_of, land))
    return out


def _design(
    base: dict, domain: str, indicator: str, options: tuple[str, ...], m: pd.Series, years_of: dict, land: str
) -> Design:
    ags = str(m["ags"] or "")
    if domain == "crime":
        ortsteile = m["ortsteile"] if isinstance(m.get("ortsteile"), list) else []
        key = indicator.removeprefix("pks:")
        candidates = [
            (u, lv, f"pks:{design_key(key, lv)}", notes + _outcome_note(key, lv))
            for u, lv, notes in _crime_units(ags, land, ortsteile)
        ]
    else:
        if indicator.startswith("acc:") and options and indicator[4:] in NO_DATA_GROUPS:
            return Design(**base, domain=domain, indicator=indicator, unit_ags=ags, unit_level="", reason=options[0])
        units = [(ags, "Gemeinde" if len(ags) == 8 else "Kreis" if len(ags) == 5 else "Land")]
        if len(ags) == 8:
            units.append((ags[:5], "Kreis"))
        candidates = [(u, lv, ind, ()) for ind in options for u, lv in units]
        indicator = options[0] if options else indicator
    area_ags, area_level = _area(candidates[0][0], candidates[0][1], str(m.get("area_type") or ""))
    base = {**base, "area_ags": area_ags, "area_level": area_level}
    if not any(years_of.get((u, ind)) for u, _, ind, _ in candidates):
        # without data at any level the design is described at its coarsest unit
        candidates = candidates[-1:]
    start, end = _date(m["start"]), _date(m["end"])
    if not m["register_evaluable"] or start is None:
        return Design(
            **base,
            domain=domain,
            indicator=candidates[-1][2] if domain == "crime" else indicator,
            unit_ags=candidates[-1][0],
            unit_level=candidates[-1][1],
            notes=candidates[-1][3],
            reason=m["register_reason"] or "kein Startdatum",
        )
    start_year = start.year
    end_year = end.year if end is not None else 9999
    tried = []
    for unit, level, ind, notes in candidates:
        years = years_of.get((unit, ind), ())
        before, after = periods(years, start_year, end_year)
        d = Design(
            **base,
            domain=domain,
            indicator=ind,
            unit_ags=unit,
            unit_level=level,
            before=before,
            after=after,
            notes=notes,
        )
        if len(before) >= MIN_BEFORE_YEARS and after:
            return d
        tried.append(d)
    if not tried:
        raise ValueError(f"no candidate unit for {base['measure_id']}")
    best = next((t for t in tried if years_of.get((t.unit_ags, t.indicator))), tried[0])
    years = years_of.get((best.unit_ags, best.indicator), ())
    if not years:
        reason = "keine Daten für diese Zielgröße und Ebene"
    elif not best.before:
        reason = f"Beginn {start_year} liegt vor oder am Anfang der Datenreihe ({years[0]}–{years[-1]}): kein Vorher-Zeitraum"
    elif len(best.before) < MIN_BEFORE_YEARS:
        reason = (
            f"Vorher-Zeitraum zu kurz: nur {best.period_before} (Beginn {start_year}, Daten ab {years[0]}; "
            f"nötig sind {MIN_BEFORE_YEARS} Jahre vor dem Jahr vor dem Beginn)"
        )
    else:
        reason = f"Nachher-Zeitraum fehlt (Beginn {start_year}, Daten bis {years[-1]})"
    return Design(**{**best.__dict__, "reason": reason})
