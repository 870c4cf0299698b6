"""Administrative boundaries (BKG VG250 / VG5000)."""

from __future__ import annotations

from assets._sources import source_asset
from praevention.ingest import load_boundaries

boundaries = source_asset(
    name="boundaries",
    group="boundaries",
    kinds=("boundaries",),
    description=(
        "Gemeinde and Kreis polygons in EPSG:25832 with their Gebietsstand (`valid_from`): VG250 of 01.01.2016 "
        "(GeoJSON) and VG5000 of 01.01.2021 (official shapefile zip, EPSG:31467); © GeoBasis-DE / BKG, "
        "dl-de/by-2-0. Unit: Gemeinde (8-digit AGS) or Kreis (5 digits). Caveats: water-only parts (GF 1/2) are "
        "dropped and counted in quarantine; VG5000 is coarse (1:5,000,000), fine for maps, not for point tests "
        "near borders; a subset file of the same Gebietsstand is not loaded twice."
    ),
    load=lambda found, _con: load_boundaries(found.of("boundaries")),
)
