"""Calibration on real data: invented measures where nothing happened, through the real code path.

A procedure that claims "sank um 25 %, stärker als in vergleichbaren Kreisen" must not say so about
measures that never existed. Placebo measures are drawn at random (fixed seed) in Kreise across Germany
that have no registered body or measure, with random start dates, on each PKS indicator the register
uses, and each is evaluated exactly as a registered measure is: :func:`~praevention.evaluation.design.designs`
builds its design, the comparison pool rule excludes the register's treated Kreise, the headline rule picks
its estimate. Since no placebo has an effect, every interval that excludes "no change" is a false positive.

**Where it can fail.** An overall rate hides the places where the procedure is off, so the placebos cover
every level the register is evaluated on and the ways councils are really founded:

* **Kreise** at random start dates (the main set, :func:`placebo_register`), reported also by Kreis size class
  (population of the placebo Kreis) and Kreisart;
* **the Land level**: every Land of Germany without a registered Land-wide measure, at every start year the
  data allow, against the other Länder (:func:`land_placebos`);
* **Gemeinden** where the LKA's PKS by Tatortgemeinde is delivered, and **Stadtteile** where a city publishes
  Stadtteil figures (:func:`placebo_register` on those units);
* **selection**: Kreise whose placebo starts in the year after their worst year (a council founded after a
  bad year) or after the steepest two-year rise of their series (founded while crime was rising)
  (:func:`selected_starts`). These are not random: they show the bias selection brings, on real series.

The ``calibration`` table has one row per method, indicator and stratum, with ``method = 'headline'`` for
the published procedure. Over all indicators (``indicator = '*'``): the stratum ``alle`` (every placebo at a
random start, on every level), the levels (``Ebene: Kreis``, ``Ebene: Land``, ``Ebene: Gemeinde``,
``Ebene: Stadtteil``), the Kreis size classes and Kreisarten of the Kreis placebos (``Kreisgröße: …``,
``Kreisart: …``) and the selected starts (``Startwahl: …``). Per indicator, and for the single estimators:
the Kreis placebos (``Ebene: Kreis``).

* ``false_positive_rate``: share of evaluable placebo designs whose 95 % interval excludes 1, with its
  Monte-Carlo standard error ``mc_error`` = √(r(1 − r)/n);
* ``coverage``: share of intervals that contain the true ratio 1;
* ``mde_80``: median minimum detectable effect at 80 % power (rate ratio: 0.85 = a 15 % reduction).

The headline rows and the comparison-group design (the headline rule's first candidate) cover every
placebo design. The rows of the other methods come from a fixed random subsample (:data:`SYNTH_SHARE`) of
the Kreis placebos on which every method is computed; elsewhere a method is computed only where the headline
rule reaches it (the synthetic control only after a failed pre-trend test), which would be a biased sample.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from praevention.evaluation.design import (
    BODY_TARGETS,
    MIN_BEFORE_YEARS,
    Design,
    designs,
    is_kreisfreie_stadt,
    periods,
)
from praevention.evaluation.evaluator import HEADLINE_ORDER, Evaluator
from praevention.evaluation.inputs import EvaluationData
from praevention.evaluation.outcomes import design_key
from praevention.evaluation.rows import run_designs, treated_units
from praevention.stats.methods import NONE

SEED = 20261201
#: placebo designs per indicator, and at least this many over all indicators
PER_INDICATOR = 500
MIN_PLACEBO_DESIGNS = 1000
#: placebo designs per indicator with starts chosen by selection (worst year, rising trend)
PER_INDICATOR_SELECTED = 100
#: the highest false-positive rate of the headline procedure at which verdicts are published
MAX_FALSE_POSITIVE_RATE = 0.07
SYNTH_SHARE = 0.1
ALL = "alle"
KREIS = "Ebene: Kreis"
#: Kreis size classes by population (upper bounds)
SIZE_CLASSES = ((100_000, "unter 100.000 EW"), (150_000, "100.000–150.000 EW"), (250_000, "150.000–250.000 EW"))
LARGEST_CLASS = "ab 250.000 EW"
SELECTIONS = {"worst_year": "nach dem schlechtesten Jahr", "rising": "nach steigendem Trend"}
COLUMNS = [
    "method",
    "indicator",
    "stratum",
    "indicator_label",
    "n_designs",
    "n_not_evaluable",
    "false_positive_rate",
    "mc_error",
    "coverage",
    "mde_80",
]


def registered_kreise(bodies: pd.DataFrame, measures: pd.DataFrame) -> set[str]:
    """Kreise in which the register has a body or a measure (Land-wide entries mark no Kreis)."""
    return {a[:5] for a in _registered(bodies, measures) if len(a) >= 5}


def registered_places(bodies: pd.DataFrame, measures: pd.DataFrame) -> set[str]:
    """The Gemeinden (8 digits) and Kreise (5) the register names: Gemeinde placebos avoid both."""
    return {a for a in _registered(bodies, measures) if len(a) in (5, 8)}


def _registered(bodies: pd.DataFrame, measures: pd.DataFrame) -> set[str]:
    keys = pd.concat([bodies.get("ags", pd.Series(dtype=str)), measures.get("ags", pd.Series(dtype=str))])
    return {str(a) for a in keys.dropna()}


def register_indicators(indicators: Iterable[str]) -> list[str]:
    """The PKS indicators among those of the register's designs (at least the bodies' own targets), on Kreis
    level."""
    found = {f"pks:{design_key(i[4:], 'Kreis')}" for i in indicators if i.startswith("pks:")}
    return sorted(found | {f"pks:{design_key(k, 'Kreis')}" for k in BODY_TARGETS})


def _placebo(measure_id: str, indicator: str, ags: str, start: dt.date, ortsteile: list[str] | None = None) -> dict:
    return {
        "measure_id": measure_id,
        "body_id": "Placebo",
        "label": "Placebo-Maßnahme",
        "domain": "crime",
        "pks_keys": [indicator[4:]],
        "accident_groups": [],
        "ags": ags,
        "ortsteile": ortsteile or [],
        "start": start,
        "end": None,
        "area_type": "ortsteile" if ortsteile else "municipality",
        "group": "Placebo",
        "mechanism": None,
        "register_evaluable": True,
        "register_reason": None,
    }


def placebo_register(
    data: EvaluationData,
    indicators: list[str],
    excluded: set[str],
    *,
    per_indicator: int,
    seed: int,
    level: str = "Kreis",
) -> pd.DataFrame:
    """Invented measures in the register's format: a unit of ``level`` (Kreis, Gemeinde of the Land,
    Stadtteil), a PKS target and a random start date (Stadtteile: every one at every possible start).
    ``excluded`` are the Kreise with a registered body or measure (Kreis placebos), or the registered Gemeinden
    and Kreise (Gemeinde placebos: a Gemeinde is left out when it or its Kreis is named); a city's Stadtteile
    are compared with each other, so a city-wide measure does not exclude them."""
    rng = np.random.default_rng(seed)
    rows = []
    for indicator in indicators:
        panel, eligible = data.count_panel(indicator if level != "Stadtteil" else "pks:------", level)
        years = panel.years
        if len(years) < MIN_BEFORE_YEARS + 3:
            continue
        own = np.array([u[:5] not in excluded for u in panel.units], dtype=bool)
        if level == "Gemeinde":
            own = np.array(
                [u[:2] == data.land and not is_kreisfreie_stadt(u) and not {u, u[:5]} & excluded for u in panel.units],
                dtype=bool,
            )
        if level == "Stadtteil":
            own = np.array([not u.endswith("-99") for u in panel.units], dtype=bool)
        units = panel.units[eligible & own]
        if len(units) == 0:
            continue
        first, last = int(years.min()) + MIN_BEFORE_YEARS + 1, int(years.max())
        if level == "Stadtteil":  # few units and years: every Stadtteil at every possible start, once
            pairs = [(u, y) for u in units for y in range(first, last)]
        else:
            pairs = list(zip(rng.choice(units, per_indicator), rng.integers(first, last, per_indicator), strict=True))
        for n, (unit, year) in enumerate(pairs):
            day = dt.date(int(year), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
            mid = f"P-{level[:2]}-{indicator[4:]}-{n:04d}"
            if level == "Stadtteil":
                city, _, number = str(unit).partition("-")
                rows.append(_placebo(mid, "pks:------", city, day, [number]))
            else:
                rows.append(_placebo(mid, indicator, str(unit), day))
        if level == "Stadtteil":
            break  # Stadtteile count all offences only
    return pd.DataFrame(rows)


def land_placebos(data: EvaluationData, indicators: list[str], excluded: set[str]) -> list[Design]:
    """Every Land without a registered Land-wide design on the indicator, at every start year with at least
    two before years and one after year, against the other Länder."""
    out = []
    for indicator in indicators:
        panel, eligible = data.count_panel(indicator, "Land")
        years = tuple(int(y) for y in panel.years)
        for land in panel.units[eligible & ~np.isin(panel.units, list(excluded))]:
            for start in years:
                before, after = periods(years, start)
                if len(before) < MIN_BEFORE_YEARS or not after:
                    continue
                out.append(
                    Design(
                        measure_id=f"P-La-{indicator[4:]}-{land}-{start}",
                        body_id="Placebo",
                        label="Placebo-Maßnahme",
                        group="Placebo",
                        domain="crime",
                        indicator=indicator,
                        unit_ags=str(land),
                        unit_level="Land",
                        start=dt.date(start, 7, 1),
                        end=None,
                        before=before,
                        after=after,
                        area_ags=str(land),
                        area_level="Land",
                    )
                )
    return out


def selected_starts(
    data: EvaluationData, indicators: list[str], excluded: set[str], *, per_indicator: int, seed: int, how: str
) -> pd.DataFrame:
    """Placebo measures in Kreise with a start chosen as councils are often founded: in the year after the
    Kreis's worst year (``how = 'worst_year'``: its highest rate relative to the rest of its Land) or after
    the steepest rise over two years (``'rising'``), among the starts with at least two before years."""
    rng = np.random.default_rng(seed)
    rows = []
    for indicator in indicators:
        panel, eligible = data.count_panel(indicator, "Kreis")
        years = panel.years
        units = np.flatnonzero(eligible & ~np.isin(panel.units, list(excluded)))
        if len(years) < MIN_BEFORE_YEARS + 3 or not len(units):
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            log_rate = np.log(panel.counts / panel.exposure)
        relative = log_rate - np.nanmean(log_rate, axis=0)  # relative to all Kreise: the national trend out
        # the start j leaves MIN_BEFORE_YEARS before years (j − 1 is a transition year) and one after year;
        # the selected year is j − 1, the last year a council could have looked at
        last = len(years) - 2
        for n, i in enumerate(rng.choice(units, min(per_indicator, len(units)), replace=False)):
            series = relative[i]
            if how == "worst_year":
                score = series[MIN_BEFORE_YEARS:last]
            else:  # the rise over the two years up to the selected year
                score = series[MIN_BEFORE_YEARS:last] - series[MIN_BEFORE_YEARS - 2 : last - 2]
            if not np.isfinite(score).any():
                continue
            j = int(np.nanargmax(score)) + MIN_BEFORE_YEARS + 1
            start = dt.date(int(years[j]), 7, 1)
            rows.append(_placebo(f"P-{how[:2]}-{indicator[4:]}-{n:04d}", indicator, str(panel.units[i]), start))
    return pd.DataFrame(rows)


def placebo_rates(rows: pd.DataFrame) -> dict:
    """What placebo designs (no true effect) say about a procedure: evaluable designs, the share of 95 %
    intervals that exclude 1 (false positives) with its Monte-Carlo error √(r(1 − r)/n), the coverage of the
    true ratio 1 and the median minimum detectable effect. The crime and the site calibrations share it."""
    ok = rows[rows["evaluable"]]
    n = len(ok)
    excludes = ((ok["ci_high"] < 1) | (ok["ci_low"] > 1)).astype(float)
    rate = float(excludes.mean()) if n else float("nan")
    mde = ok["mde_80"].astype(float).dropna()
    return {
        "n_designs": n,
        "n_not_evaluable": int(len(rows) - n),
        "false_positive_rate": rate,
        "mc_error": float(np.sqrt(rate * (1 - rate) / n)) if n else float("nan"),
        "coverage": float(1 - rate) if n else float("nan"),
        "mde_80": float(mde.median()) if len(mde) else float("nan"),
    }


def _summary(rows: pd.DataFrame, method: str, indicator: str, stratum: str, label: str) -> dict:
    head = {"method": method, "indicator": indicator, "stratum": stratum, "indicator_label": label}
    return {**head, **placebo_rates(rows)}


def size_class(population: float) -> str:
    """The Kreis size class of a population (:data:`SIZE_CLASSES`)."""
    for bound, label in SIZE_CLASSES:
        if population < bound:
            return label
    return LARGEST_CLASS


def _strata(data: EvaluationData, rows: pd.DataFrame) -> pd.DataFrame:
    """The placebo rows with the strata of their design: level, Kreis size class and Kreisart."""
    latest = data.yearly[data.yearly["indicator"] == "pks:------"].sort_values("year")
    population = latest.groupby("unit_ags")["exposure"].last()
    kreis = rows["unit_level"] == "Kreis"
    size = rows["unit_ags"].map(population).map(lambda p: size_class(p) if pd.notna(p) else None)
    kind = rows["unit_ags"].map(data.kinds)
    return rows.assign(
        level="Ebene: " + rows["unit_level"].astype(str),
        size=("Kreisgröße: " + size).where(kreis & size.notna()),
        kind=("Kreisart: " + kind.str.replace("Kreisfreie Stadt", "kreisfreie Stadt")).where(kreis & kind.notna()),
    )


def calibrate(
    data: EvaluationData,
    bodies: pd.DataFrame,
    measures: pd.DataFrame,
    register_designs: list,
    *,
    per_indicator: int = PER_INDICATOR,
    per_indicator_selected: int = PER_INDICATOR_SELECTED,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``calibration`` summary table, every placebo design's rows) for the register's PKS indicators."""
    return calibrate_units(
        data,
        register_indicators(d.indicator for d in register_designs),
        registered_kreise(bodies, measures),
        treated_units(register_designs),
        registered_places(bodies, measures),
        per_indicator=per_indicator,
        per_indicator_selected=per_indicator_selected,
        seed=seed,
    )


def calibrate_units(
    data: EvaluationData,
    indicators: list[str],
    excluded: set[str],
    treated: dict[str, set[str]],
    places: set[str],
    *,
    per_indicator: int = PER_INDICATOR,
    per_indicator_selected: int = PER_INDICATOR_SELECTED,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`calibrate` from what it needs of the register: the PKS ``indicators`` to calibrate, the Kreise
    no placebo is drawn in (``excluded``: a registered body or measure), per indicator the units with an
    evaluable registered design (``treated``: never comparison units) and the Gemeinden and Kreise the
    register names (``places``: no Gemeinde placebo there). The ``treated_units`` table holds the four
    (:mod:`praevention.evaluation.treated`)."""
    per_indicator = max(per_indicator, -(-int(MIN_PLACEBO_DESIGNS * 1.1) // len(indicators)))
    placebos = placebo_register(data, indicators, excluded, per_indicator=per_indicator, seed=seed)
    if placebos.empty:
        return pd.DataFrame(columns=COLUMNS), pd.DataFrame()
    kreis_designs = designs(placebos, data.available, data.land)
    ev = Evaluator(data, treated)
    labels = {i: data.label(i) for i in indicators}
    rng = np.random.default_rng(seed + 1)
    full = rng.random(len(kreis_designs)) < SYNTH_SHARE
    every_method = run_designs(ev, [d for d, f in zip(kreis_designs, full, strict=True) if f], labels)
    # the placebos computed only as far as the headline rule reaches: the rest of the Kreise, every Land,
    # Gemeinden and Stadtteile where their figures exist
    lazy = [d for d, f in zip(kreis_designs, full, strict=True) if not f]
    land_units = {u for units in treated.values() for u in units if len(u) == 2}
    lazy += land_placebos(data, indicators, land_units)
    for level in ("Gemeinde", "Stadtteil"):
        own = data.yearly[(data.yearly["unit_level"] == level) & data.yearly["indicator"].str.startswith("pks:")]
        if own.empty:
            continue
        local = placebo_register(
            data,
            indicators,
            places if level == "Gemeinde" else excluded,
            per_indicator=per_indicator,
            seed=seed + len(level),
            level=level,
        )
        if len(local):
            lazy += [d for d in designs(local, data.available, data.land) if d.unit_level == level]
    random_starts = [every_method, run_designs(ev, lazy, labels, lazy=True)]
    rows = _strata(data, pd.concat(random_starts, ignore_index=True))
    selected = []
    for i, (how, label) in enumerate(SELECTIONS.items()):
        chosen = selected_starts(
            data, indicators, excluded, per_indicator=per_indicator_selected, seed=seed + 10 + i, how=how
        )
        if len(chosen):
            found = run_designs(ev, designs(chosen, data.available, data.land), labels, lazy=True)
            selected.append(found.assign(selection=f"Startwahl: {label}"))
    first = HEADLINE_ORDER["crime"][0]
    head = rows[rows["headline"]]
    everything = "alle Zielgrößen"
    out = [_summary(head, "headline", "*", ALL, everything)]
    out += [
        _summary(g, "headline", "*", stratum, everything)
        for column in ("level", "size", "kind")
        for stratum, g in head.groupby(column)
        if g["evaluable"].any()  # a level without one evaluable placebo (Länder without comparisons) has no rate
    ]
    out += [_summary(g[g["headline"]], "headline", "*", g["selection"].iloc[0], everything) for g in selected]
    # per indicator: the Kreis placebos (the main set); the first candidate of the headline rule is computed
    # for every design, the other methods on the subsample
    kreis_rows = rows[rows["unit_level"] == "Kreis"]
    groups = [("headline", kreis_rows[kreis_rows["headline"]]), (first, kreis_rows[kreis_rows["method"] == first])]
    groups += [(m, g) for m, g in every_method.groupby("method") if m not in (NONE, first)]
    out += [
        _summary(g[g["indicator"] == indicator], method, indicator, KREIS, label)
        for method, g in groups
        for indicator, label in labels.items()
    ]
    out += [_summary(g, method, "*", KREIS, everything) for method, g in groups if method != "headline"]
    return pd.DataFrame(out, columns=COLUMNS), pd.concat([rows, *selected], ignore_index=True)
