"""Calibration on the real data: placebo measures and invented councils must not produce effects.

A 95 % procedure calls about 5 % of measures that did nothing "effective". Before the placebo inference,
a register of invented councils in the 14 Kreise of Sachsen-Anhalt got "sank um 25 %, stärker als in
vergleichbaren Kreisen" in about 30 % of its rows.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from praevention.evaluation.calibration import calibrate
from praevention.evaluation.evaluate import evaluate, register_designs
from praevention.evaluation.panel import build_panel
from praevention.evaluation.read import evaluation_inputs, panel_inputs

pytestmark = pytest.mark.real_data
LAND = "15"


@pytest.fixture(scope="module")
def real(real_warehouse):
    con = duckdb.connect(str(real_warehouse), read_only=True)
    try:
        panel = build_panel(**panel_inputs(con, LAND), land=LAND)
        return evaluation_inputs(con, LAND, panel)
    finally:
        con.close()


def test_placebo_measures_across_germany_are_rarely_called_effective(real):
    data, bodies, measures = real
    table, rows = calibrate(data, bodies, measures, register_designs(data, bodies, measures))
    head = table[table["method"] == "headline"].set_index("indicator")
    overall = head.loc["*"]
    assert overall["n_designs"] >= 1000
    assert overall["false_positive_rate"] <= 0.05 + 2 * overall["mc_error"]
    assert (head["false_positive_rate"] <= 0.07).all(), head
    assert overall["coverage"] >= 0.93
    assert 0.4 < overall["mde_80"] < 1
    # the naive before/after comparison is the one the check exists for: it fails it badly
    naive = table[(table["method"] == "naive_before_after") & (table["indicator"] == "*")].iloc[0]
    assert naive["false_positive_rate"] > 0.5
    # no placebo Kreis has a registered body or measure
    registered = {str(a)[:5] for a in pd.concat([bodies["ags"], measures["ags"]]).dropna() if len(str(a)) >= 5}
    assert not set(rows["unit_ags"]) & registered


def invented_register(seed: int, kreise: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One council and two measures in every Kreis, founded and started on random dates in 2016–2021."""
    rng = np.random.default_rng(seed)

    def day() -> dt.date:
        return dt.date(2016, 1, 1) + dt.timedelta(days=int(rng.integers(0, 6 * 365)))

    bodies, measures = [], []
    for i, kreis in enumerate(kreise):
        body = f"X{i:02d}"
        bodies.append(
            {
                "body_id": body,
                "name": f"Erfundener Rat {i}",
                "body_type": "Präventionsrat",
                "level": "Kreis",
                "ags": kreis,
                "founded": day(),
                "relaunched": None,
                "ended": None,
            }
        )
        for j in range(2):
            measures.append(
                {
                    "measure_id": f"{body}-M{j}",
                    "body_id": body,
                    "title": f"Erfundene Maßnahme {i}.{j}",
                    "measure_type": "Präventionsprojekt",
                    "domain": "crime",
                    "target_pks_keys": ["------", "899000"],
                    "target_accident_groups": [],
                    "ags": kreis,
                    "start": day(),
                    "end": None,
                    "evaluable": True,
                    "not_evaluable_reason": None,
                }
            )
    return pd.DataFrame(bodies), pd.DataFrame(measures)


@pytest.mark.parametrize("seed", [1, 2])
def test_invented_councils_in_every_kreis_get_no_more_effects_than_chance(real, seed):
    data, _, _ = real
    kreise = sorted(u for u in data.kinds if u[:2] == LAND)
    assert len(kreise) == 14
    bodies, measures = invented_register(seed, kreise)
    effects, _, _ = evaluate(data, bodies, measures)
    head = effects[effects["headline"]]
    assert len(head) == 14 * 3 * 2
    claimed = head["finding"].isin(["effect", "chance"]).sum()  # an interval excluding "no change"
    assert claimed <= 0.12 * len(head), head[head["finding"].isin(["effect", "chance"])]
    assert (head["finding"] == "effect").sum() <= 1  # after adjusting for the 84 tests


def test_a_magdeburg_measure_in_named_stadtteile_is_evaluated_on_them(real):
    """KISS-MD counts per Stadtteil (2017–2021): a measure naming Stadtteile is evaluated on their sum
    against the city's other Stadtteile; an indicator without Stadtteil data falls back to the Kreis."""
    data, bodies, measures = real
    m = measures[measures["measure_id"] == "M06"].copy()
    m["area_type"], m["area_ortsteile"], m["start"] = "ortsteile", [["01 Altstadt", "4"]], pd.Timestamp("2019-05-01")
    effects, _, designs = evaluate(data, bodies, m)
    mine = {d.indicator: d for d in designs if d.measure_id == "M06"}
    assert (mine["pks:------"].unit_ags, mine["pks:------"].unit_level) == ("15003000-01+04", "Stadtteil")
    # 2018, the year before the start, is a transition year like 2019
    assert mine["pks:------"].before == (2017,) and mine["pks:------"].after == (2020, 2021)
    assert "Stadtteilen" in mine["pks:------"].notes[0]
    assert (mine["pks:899000"].unit_ags, mine["pks:899000"].unit_level) == ("15003", "Kreis")
    head = effects[(effects["measure_id"] == "M06") & effects["headline"] & (effects["indicator"] == "pks:------")]
    assert head["evaluable"].all() and head["method"].eq("did_placebo").all()
    assert "Stadtteile" in effects.loc[head.index, "comparison"].iloc[0]
