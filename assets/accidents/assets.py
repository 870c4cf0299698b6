"""Road accidents: Unfallatlas records and aggregated accident statistics."""

from __future__ import annotations

from assets._sources import source_asset
from praevention.ingest import load_accident_counts, load_accident_points

accident_points = source_asset(
    name="accident_points",
    group="accidents",
    kinds=("unfallatlas_csv", "unfallatlas_geojson"),
    description=(
        "Accidents with personal injury as points (Statistische Ämter des Bundes und der Länder, Unfallatlas, "
        "dl-de/by-2-0). Unit: accident, with Gemeinde key (8 digits), category (1 killed, 2 seriously, 3 slightly "
        "injured), type, kind, light, road condition, participants, EPSG:25832 and EPSG:4326 geometry. Every "
        "published yearly layout 2016–2024 plus the derived Magdeburg GeoJSON (2020, 2022–2024). Caveats: "
        "Sachsen-Anhalt is in the Unfallatlas only from 2017; only Magdeburg's records are stored here."
    ),
    load=lambda found, con: load_accident_points(found.of("unfallatlas_csv"), found.of("unfallatlas_geojson"), con),
)

accident_counts = source_asset(
    name="accident_counts",
    group="accidents",
    kinds=("regionalstatistik", "genesis", "inkar"),
    description=(
        "Accident and casualty counts by unit, year (and month) and measure: Regionalstatistik 46241-01-03 "
        "(Kreise 1995–2015, Gemeinden 2015), GENESIS 46241-0020…0024 (Länder, yearly 2015–2024 and monthly "
        "2025–2026) and INKAR 2023 (Verunglückte per Kreis and Gemeinde); all dl-de/by-2-0. Caveats: measures "
        "with different definitions carry different names (Regionalstatistik 'Unfälle insgesamt' excludes the "
        "'übrige Sachschadensunfälle'); '-' is a published zero (`flag`), '.' unknown or secret."
    ),
    load=lambda found, _con: load_accident_counts(
        found.of("regionalstatistik"), found.of("genesis"), found.of("inkar")
    ),
)
