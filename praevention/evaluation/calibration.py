"""Calibration on real data: invented measures where nothing happened, through the real code path.

A procedure that claims "sank um 25 %, stärker als in vergleichbaren Kreisen" must not say so about
measures that never existed. Placebo measures are drawn at random (fixed seed) in Kreise across Germany
that have no registered body or measure, with random start dates, on each PKS indicator the register
uses, and each is evaluated exactly as a registered measure is: :func:`~praevention.evaluation.design.designs`
builds its design, the comparison pool rule excludes the register's treated Kreise, the headline rule picks
its estimate. Since no placebo has an effect, every interval that excludes "no change" is a false positive.

The ``calibration`` table has one row per method and indicator (and one per method over all indicators,
``indicator = '*'``), with ``method = 'headline'`` for the published procedure:

* ``false_positive_rate``: share of evaluable placebo designs whose 95 % interval excludes 1, with its
  Monte-Carlo standard error ``mc_error`` = √(r(1 − r)/n);
* ``coverage``: share of intervals that contain the true ratio 1;
* ``mde_80``: median minimum detectable effect at 80 % power (rate ratio: 0.85 = a 15 % reduction).

The headline rows and the comparison-group design (the headline rule's first candidate) cover every
placebo design. The rows of the other methods come from a fixed random subsample (:data:`SYNTH_SHARE`) on
which every method is computed; elsewhere a method is computed only where the headline rule reaches it
(the synthetic control only after a failed pre-trend test), which would be a biased sample of that method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from praevention.evaluation.design import BODY_TARGETS, designs
from praevention.evaluation.evaluate import run_designs, treated_units
from praevention.evaluation.evaluator import HEADLINE_ORDER, Evaluator
from praevention.evaluation.inputs import EvaluationData
from praevention.stats.methods import NONE

SEED = 20261201
#: placebo designs per indicator, and at least this many over all indicators
PER_INDICATOR = 300
MIN_PLACEBO_DESIGNS = 1000
#: the highest false-positive rate of the headline procedure at which verdicts are published
MAX_FALSE_POSITIVE_RATE = 0.07
SYNTH_SHARE = 0.1
MIN_BEFORE_YEARS = 2
COLUMNS = [
    "method",
    "indicator",
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
    keys = pd.concat([bodies.get("ags", pd.Series(dtype=str)), measures.get("ags", pd.Series(dtype=str))])
    return {str(a)[:5] for a in keys.dropna() if len(str(a)) >= 5}


def register_indicators(indicators: Iterable[str]) -> list[str]:
    """The PKS indicators among those of the register's designs (at least the bodies' own targets)."""
    found = {i for i in indicators if i.startswith("pks:")}
    return sorted(found | {f"pks:{k}" for k in BODY_TARGETS})


def placebo_register(
    data: EvaluationData, indicators: list[str], excluded: set[str], *, per_indicator: int, seed: int
) -> pd.DataFrame:
    """Invented measures in the register's format: Kreis, PKS target and a random start date."""
    rng = np.random.default_rng(seed)
    rows = []
    for indicator in indicators:
        panel, eligible = data.count_panel(indicator, "Kreis")
        years = panel.years
        if len(years) < MIN_BEFORE_YEARS + 2:
            continue
        units = panel.units[eligible & ~np.isin(panel.units, list(excluded))]
        if len(units) == 0:
            continue
        starts = rng.integers(int(years.min()) + MIN_BEFORE_YEARS, int(years.max()), per_indicator)
        for n, (unit, year) in enumerate(zip(rng.choice(units, per_indicator), starts, strict=True)):
            day = dt.date(int(year), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
            rows.append(
                {
                    "measure_id": f"P-{indicator[4:]}-{n:04d}",
                    "body_id": "Placebo",
                    "label": "Placebo-Maßnahme",
                    "domain": "crime",
                    "pks_keys": [indicator[4:]],
                    "accident_groups": [],
                    "ags": str(unit),
                    "start": day,
                    "end": None,
                    "group": "Placebo",
                    "register_evaluable": True,
                    "register_reason": None,
                }
            )
    return pd.DataFrame(rows)


def _summary(rows: pd.DataFrame, method: str, indicator: str, label: str) -> dict:
    ok = rows[rows["evaluable"]]
    n = len(ok)
    excludes = ((ok["ci_high"] < 1) | (ok["ci_low"] > 1)).astype(float)
    rate = float(excludes.mean()) if n else float("nan")
    return {
        "method": method,
        "indicator": indicator,
        "indicator_label": label,
        "n_designs": n,
        "n_not_evaluable": int(len(rows) - n),
        "false_positive_rate": rate,
        "mc_error": float(np.sqrt(rate * (1 - rate) / n)) if n else float("nan"),
        "coverage": float(1 - rate) if n else float("nan"),
        "mde_80": float(ok["mde_80"].astype(float).median()) if n else float("nan"),
    }


def calibrate(
    data: EvaluationData,
    bodies: pd.DataFrame,
    measures: pd.DataFrame,
    register_designs: list,
    *,
    per_indicator: int = PER_INDICATOR,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``calibration`` summary table, every placebo design's rows) for the register's PKS indicators."""
    return calibrate_units(
        data,
        register_indicators(d.indicator for d in register_designs),
        registered_kreise(bodies, measures),
        treated_units(register_designs),
        per_indicator=per_indicator,
        seed=seed,
    )


def calibrate_units(
    data: EvaluationData,
    indicators: list[str],
    excluded: set[str],
    treated: dict[str, set[str]],
    *,
    per_indicator: int = PER_INDICATOR,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`calibrate` from what it needs of the register: the PKS ``indicators`` to calibrate, the Kreise
    no placebo is drawn in (``excluded``: a registered body or measure) and, per indicator, the units with an
    evaluable registered design (``treated``: never comparison units). The ``treated_units`` table holds the
    three (:mod:`praevention.evaluation.treated`)."""
    per_indicator = max(per_indicator, -(-int(MIN_PLACEBO_DESIGNS * 1.1) // len(indicators)))
    placebos = placebo_register(data, indicators, excluded, per_indicator=per_indicator, seed=seed)
    if placebos.empty:
        return pd.DataFrame(columns=COLUMNS), pd.DataFrame()
    available = data.yearly[["unit_ags", "indicator", "year"]]
    placebo_designs = designs(placebos, available, data.land)
    ev = Evaluator(data, treated)
    labels = {i: data.label(i) for i in indicators}
    rng = np.random.default_rng(seed + 1)
    full = rng.random(len(placebo_designs)) < SYNTH_SHARE
    every_method = run_designs(ev, [d for d, f in zip(placebo_designs, full, strict=True) if f], labels)
    headline_only = run_designs(ev, [d for d, f in zip(placebo_designs, full, strict=True) if not f], labels, lazy=True)
    rows = pd.concat([every_method, headline_only], ignore_index=True)
    # the first candidate of the headline rule is computed for every design; the others on the subsample
    first = HEADLINE_ORDER["crime"][0]
    groups = [("headline", rows[rows["headline"]]), (first, rows[rows["method"] == first])]
    groups += [(m, g) for m, g in every_method.groupby("method") if m not in (NONE, first)]
    out = [
        _summary(g[g["indicator"] == indicator] if indicator != "*" else g, method, indicator, label)
        for method, g in groups
        for indicator, label in [*labels.items(), ("*", "alle Zielgrößen")]
    ]
    return pd.DataFrame(out, columns=COLUMNS), rows
