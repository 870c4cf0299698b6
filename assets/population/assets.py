"""Population and area per Gemeinde (Destatis Gemeindeverzeichnis)."""

from __future__ import annotations

from assets._sources import source_asset
from praevention.ingest import POPULATION_READERS, load_population

population = source_asset(
    name="population",
    group="population",
    kinds=tuple(POPULATION_READERS),
    description=(
        "Population and area per Gemeinde and reference date (Statistisches Bundesamt, Gemeindeverzeichnis "
        "GV100AD and extracts; reproduction with source attribution). Unit: Gemeinde (8-digit AGS). Caveats: "
        "the population date lags the edition (30.09.2018 edition = 31.12.2016); from the 31.08.2025 edition "
        "the figures rest on the Zensus 2022 (`census_basis`): a break, not a trend."
    ),
    load=lambda found, _con: load_population({k: found.of(k) for k in POPULATION_READERS}),
)
