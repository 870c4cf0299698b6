"""Rates on one census basis: the Land's recomputed Kreis rates agree with the BKA's published HZ (real data)."""

from __future__ import annotations

import duckdb
import pandas as pd

from praevention.evaluation.panel import build_panel
from praevention.evaluation.population import census_basis, yearly_population
from praevention.evaluation.read import panel_inputs

LAND = "15"
TOLERANCE_PCT = 0.5


def _panel(real_warehouse) -> pd.DataFrame:
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        return build_panel(**panel_inputs(con, LAND), land=LAND)


def test_kreis_rates_agree_with_published_hz(real_warehouse):
    """Every Kreis of Sachsen-Anhalt, every PKS year 2014–2024: rate within 0.5 % of the BKA's HZ, on the
    basis the BKA names (Zensus 2022 for 2024, when the old interpolation missed Halle's 12,483 by 2.9 %)."""
    p = _panel(real_warehouse)
    k = p[(p["unit_level"] == "Kreis") & (p["unit_ags"].str[:2] == LAND) & (p["indicator"] == "pks:------")]
    assert len(k) == 14 * 11, sorted(k["year"].unique())
    deviation = (k["rate_per_100k"] / k["hz_published"] - 1).abs() * 100
    worst = k.assign(dev=deviation).sort_values("dev").iloc[-1]
    assert deviation.max() < TOLERANCE_PCT, worst.to_dict()
    halle = k[(k["unit_ags"] == "15002") & (k["year"] == 2024)].iloc[0]
    assert round(halle["rate_per_100k"]) == 12483
    assert (k["population_basis"] == k["year"].map(census_basis)).all()
    assert set(k.loc[k["year"] == 2024, "population_basis"]) == {"Zensus 2022"}
    # the Gemeinden add up to their Kreis, on the same basis
    gem = p[(p["unit_level"] == "Gemeinde") & p["population"].notna()].drop_duplicates(["unit_ags", "year"])
    sums = gem.groupby([gem["unit_ags"].str[:5], "year"])["population"].sum()
    kreis_pop = k.set_index(["unit_ags", "year"])["population"]
    both = pd.concat([sums.rename("gemeinden"), kreis_pop.rename("kreis")], axis=1, join="inner")
    assert len(both) and ((both["gemeinden"] / both["kreis"] - 1).abs() < 1e-9).all()


def test_unscaled_population_on_the_bka_basis(real_warehouse):
    """Without scaling, the Gemeindeverzeichnis on the year's basis already gives the published HZ within
    0.5 % wherever the population of 31.12. of the previous year is published on that basis (2014, 2015,
    2017, 2019–2021, 2023); the other years are interpolated or carried and scaled to the BKA's Kreis total."""
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        population = con.execute("SELECT * FROM population WHERE substr(ags, 1, 2) = ?", [LAND]).df()
        crime = con.execute(
            "SELECT year, ags, cases, hz FROM crime_cases WHERE offence_key = '------' AND substr(ags, 1, 2) = ?",
            [LAND],
        ).df()
    gem = yearly_population(population, range(2014, 2025))
    kreis = gem.groupby([gem["ags"].str[:5], "year"]).agg(
        population=("population", "sum"), method=("population_method", lambda s: set(s))
    )
    m = crime.merge(kreis.reset_index(), on=["ags", "year"])
    known = m[m["method"].map(lambda s: s == {"published"})]
    assert sorted(known["year"].unique()) == [2014, 2015, 2017, 2019, 2020, 2021, 2023]
    deviation = (known["cases"] * 1e5 / known["population"] / known["hz"] - 1).abs() * 100
    assert deviation.max() < TOLERANCE_PCT, known.assign(dev=deviation).sort_values("dev").iloc[-1].to_dict()


def test_no_interpolation_across_the_census_break() -> None:
    """A 2024 rate (population of 31.12.2023) rests on the Zensus 2022 edition only, never on a mix with the
    old-basis 31.12.2022 figure; 2023 rests on the old basis; the Kreis total then scales the Gemeinden."""
    from praevention.evaluation.population import scale_to_kreis_totals

    editions = pd.DataFrame(
        {
            "ags": ["15002000", "15002000"],
            "reference_date": pd.to_datetime(["2022-12-31", "2024-12-31"]),
            "population": [242_083.0, 226_767.0],
            "area_km2": [135.0, 135.0],
            "census_basis": ["Zensus 2011", "Zensus 2022"],
            "source": ["Destatis GV100AD 30.11.2023", "Destatis GV100AD 31.08.2025"],
            "edition": ["2023-11-30", "2025-08-31"],
        }
    )
    got = yearly_population(editions, range(2023, 2026)).set_index("year")
    assert got.loc[2023, "population"] == 242_083 and got.loc[2023, "population_basis"] == "Zensus 2011"
    assert got.loc[2024, "population"] == 226_767 and got.loc[2024, "population_method"] == "carried"
    assert got.loc[2024, "population_basis"] == "Zensus 2022" and got.loc[2025, "population_method"] == "published"
    bka = pd.DataFrame({"ags": ["15002"], "year": [2024], "population": [227_641.0]})
    scaled = scale_to_kreis_totals(got.reset_index(), bka).set_index("year")
    assert (
        round(scaled.loc[2024, "population"], 6) == 227_641
        and scaled.loc[2024, "population_method"] == "carried_scaled"
    )
    assert scaled.loc[2023, "population"] == 242_083 and scaled.loc[2023, "population_method"] == "published"
