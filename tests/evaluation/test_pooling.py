"""Pooling by type of measure: the declared rules of data/pooling_rules.yaml, applied as declared."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from praevention.evaluation.design import Design
from praevention.evaluation.pooling import (
    OWN_AREA,
    Entry,
    designs_needed,
    entries,
    family_of,
    measure_type_effects,
    pool_type,
    rules,
    rules_label,
)


def design(mid: str, unit: str, level: str, indicator: str, area: str = "", area_level: str = "") -> Design:
    return Design(
        measure_id=mid,
        body_id="",
        label=mid,
        group="",
        domain="crime",
        indicator=indicator,
        unit_ags=unit,
        unit_level=level,
        start=dt.date(2019, 7, 1),
        end=None,
        before=(2014, 2015, 2016, 2017),
        after=(2020, 2021, 2022),
        area_ags=area or unit,
        area_level=area_level or level,
    )


def headline(designs: list[Design], estimates: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "measure_id": d.measure_id,
                "indicator": d.indicator,
                "estimate": estimates[d.measure_id],
                "ci_low": estimates[d.measure_id] * 0.8,
                "ci_high": estimates[d.measure_id] * 1.25,
                "area_share_cases": math.nan,
                "area_share_population": 0.1 if d.area_ags != d.unit_ags else 1.0,
            }
            for d in designs
        ]
    )


def interventions(ids: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"measure_id": m, "group": g, "mechanism": None, "label": m} for m, g in ids.items()])


def test_the_rules_are_declared_and_versioned():
    r = rules()
    assert int(r["version"]) >= 1 and r["declared"]
    assert "Version" in rules_label() and "festgelegt vor der Auswertung" in rules_label()
    assert family_of("pks:890000") == family_of("pks:------")  # all offences are one family
    assert family_of("pks:899000")[0] != family_of("pks:890000")[0]  # nested indicators: separate families
    assert pool_type("Streifen", False) == ("Streifen", "Gemeinsame Streifen und Präsenz", "presence")
    assert pool_type("Streifen", False, "situational")[2] == "situational"  # the register's mechanism wins
    assert pool_type("Befragung", False) is None


def test_each_measure_and_family_counts_once_and_identical_designs_once():
    """A measure with two indicators of one family enters once; a body founded by its own measure (the same
    design) is one estimate for two measures."""
    a = design("M1", "15001", "Kreis", "pks:890000")
    a2 = design("M1", "15001", "Kreis", "pks:------")
    b = design("M2", "15002", "Kreis", "pks:890000")
    c = design("G3:gruendung", "15002", "Kreis", "pks:890000")
    designs = [a, a2, b, c]
    head = headline(designs, {"M1": 0.9, "M2": 0.8, "G3:gruendung": 0.8})
    interv = interventions({"M1": "Sicherheitspartnerschaft", "M2": "Sicherheitspartnerschaft"})
    interv = pd.concat(
        [interv, pd.DataFrame([{"measure_id": "G3:gruendung", "group": "Sicherheitspartnerschaft", "label": ""}])]
    )
    pools = entries(head, designs, interv, lambda d: None)
    (items,) = pools.values()
    assert sorted(e.measures for e in items) == [("M1",), ("M2", "G3:gruendung")]
    row = measure_type_effects(pools, {}, {}).iloc[0]
    assert (row["n_measures"], row["n_designs"]) == (3, 2)
    assert row["rules_version"] == rules()["version"]


def test_designs_on_their_own_areas_are_pooled_there_else_all_on_their_kreis():
    """A city measured on its Kreis and towns measured on their Gemeinden are all on their own areas; once one
    measure is measured only on its Kreis, the Gemeinde designs are moved to their Kreise too."""
    city = design("M1", "15003", "Kreis", "pks:899000")
    town = design("M2", "15085235", "Gemeinde", "pks:899000")
    interv = interventions({"M1": "Streifen", "M2": "Streifen", "M3": "Streifen"})
    moved = []

    def on_kreis(d: Design) -> Entry:
        moved.append((d.unit_ags, d.unit_level, d.indicator))
        return Entry(d, (d.measure_id,), 0.95, 0.8, 1.1, 0.1)

    pools = entries(headline([city, town], {"M1": 0.8, "M2": 0.7}), [city, town], interv, on_kreis)
    assert not moved
    assert measure_type_effects(pools, {}, {}).iloc[0]["unit_level"] == OWN_AREA
    diluted = design("M3", "15088", "Kreis", "pks:899000", area="15088020", area_level="Gemeinde")
    designs = [city, town, diluted]
    pools = entries(headline(designs, {"M1": 0.8, "M2": 0.7, "M3": 0.97}), designs, interv, on_kreis)
    assert moved == [("15085", "Kreis", "pks:899000")]
    assert measure_type_effects(pools, {}, {}).iloc[0]["unit_level"] == "Kreis"


def test_a_pooled_interval_is_never_narrower_than_the_plain_one_and_predicts_the_next_measure():
    """Five identical estimates (q < 1): the modified Knapp–Hartung interval keeps the random-effects width; the
    prediction interval is wider than the confidence interval."""
    designs = [design(f"M{i}", f"1500{i}", "Kreis", "pks:899000") for i in range(1, 6)]
    head = headline(designs, {d.measure_id: 0.85 for d in designs})
    interv = interventions({d.measure_id: "Streifen" for d in designs})
    row = measure_type_effects(entries(head, designs, interv, lambda d: None), {}, {}).iloc[0]
    se = (math.log(1.25) - math.log(0.8)) / (2 * 1.959963984540054) / math.sqrt(5)
    from scipy import stats

    plain = stats.t.ppf(0.975, 4) * se  # max(1, q) with q = 0: the random-effects SE
    assert math.log(row["ci_high"]) - math.log(row["estimate"]) == pytest.approx(plain, rel=1e-6)
    assert row["pi_low"] < row["ci_low"] < row["estimate"] < row["ci_high"] < row["pi_high"]
    assert row["i2"] == 0 and row["n_designs"] == 5


def test_designs_needed_follows_the_pooled_power_formula():
    """k designs of variance v detect a reduction r when (t_{k−1,.975} + t_{k−1,.8}) √(v/k) ≤ −log(1 − r)."""
    from scipy import stats

    v = 0.15**2
    k = designs_needed(v, 0.15)
    crit = lambda n: (stats.t.ppf(0.975, n - 1) + stats.t.ppf(0.8, n - 1)) * math.sqrt(v / n)  # noqa: E731
    assert crit(k) <= -math.log(0.85) < crit(k - 1)
    assert designs_needed(1.0, 0.15, limit=20) is None
