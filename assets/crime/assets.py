"""Crime statistics: BKA PKS Kreis table (all of Germany), the LKA's PKS by Tatortgemeinde (where the ministry
delivers it) and Magdeburg's KISS-MD tables."""

from __future__ import annotations

from assets._sources import source_asset
from praevention.ingest import load_crime_cases, load_crime_city_stats, load_crime_gemeinde_cases

crime_cases = source_asset(
    name="crime_cases",
    group="crime",
    kinds=("pks_t01",),
    description=(
        "PKS cases by Kreis, offence key and year (BKA, Polizeiliche Kriminalstatistik, table T01 Kreise, "
        "dl-de/by-2-0). Unit: Kreis (5-digit key), crime-scene principle. All German Kreise, every year "
        "found (Excel 97 .xls 2013 and earlier, CSV 2014–2020/2022, XLSX 2021/2023/2024). Caveats: Kreis sums "
        "fall short of the Land "
        "totals published elsewhere (cases not attributable to a Kreis); HZ of 2024 rests on the Zensus "
        "2022 population; offence labels change between years, so join on `offence_key`."
    ),
    load=lambda found, _con: load_crime_cases(found.of("pks_t01")),
)

crime_city_stats = source_asset(
    name="crime_city_stats",
    group="crime",
    kinds=("kiss_md",),
    description=(
        "Magdeburg's municipal crime statistics (Landeshauptstadt Magdeburg, KISS-MD, chapter K11): recorded "
        "crimes per Stadtteil 2017–2021, Magdeburg vs Halle 2015–2024, Länder 2017–2024. Unit: Stadtteil, "
        "city or Land. Caveats: typos against the BKA table are kept as published and flagged by a check; "
        "the Stadtteil parts, not the published city row, add up to the BKA total."
    ),
    load=lambda found, _con: load_crime_city_stats(found.of("kiss_md")),
)

crime_gemeinde_cases = source_asset(
    name="crime_gemeinde_cases",
    group="crime",
    kinds=("lka_tatortgemeinde",),
    description=(
        "PKS cases by Tatortgemeinde, year and offence key (Landeskriminalamt, not published: delivered by the "
        "ministry in the import format of `praevention lka template`, docs/lka-import.md). Unit: Gemeinde (8-digit "
        "AGS), crime-scene principle. Optional: without a file the table is empty and crime is evaluated per "
        "Kreis. Caveats: cases without a Tatortgemeinde are in the Kreis total only, so the Gemeinden add up to "
        "at most their Kreis; the figures are confidential, only evaluations are published."
    ),
    load=lambda found, _con: load_crime_gemeinde_cases(found.of("lka_tatortgemeinde")),
)
