"""What the register is checked against: the Gemeinden and Kreise of the boundary data (which keys exist,
where the Land's border runs) and the municipality directory (which key a Gemeinde name has).

``register check`` reads them from the raw-data folder with the ingest's own loaders
(:func:`context_from_raw`); the register asset reads the same data from the warehouse tables
``boundaries`` and ``population`` that those loaders filled (:func:`context_from_warehouse`). Both build
the :class:`~praevention.register.validate.Context` with :func:`build_context`, so that what ``check``
promises is what the ingest loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import shapely

from praevention.register.geo import Boundaries
from praevention.register.validate import Context, fold

WGS84 = "EPSG:4326"
STORED_CRS = "EPSG:25832"  # the CRS of the boundaries table


def _keys(name: str) -> set[str]:
    """Spellings under which a user may write a Gemeinde or Kreis name: in full, without the part after
    a comma ("Stendal, Hansestadt") and without a parenthesis ("Halle (Saale)")."""
    plain = name.split(",")[0]
    return {k for k in (fold(name), fold(plain), fold(re.sub(r"\([^)]*\)", "", plain))) if k}


def build_context(
    land: str,
    boundary_keys: Iterable[tuple[str, str]],
    directory: Iterable[tuple[str, str]],
    gemeinden: Callable[[], dict[str, shapely.Geometry]] | None,
) -> Context:
    """The validation context from ``(ags, name)`` of the boundary data, ``(ags, name)`` of the municipality
    directory and a loader of the Land's Gemeinde outlines in WGS84.

    Known keys are those of the boundary data, their Kreis keys and the Land key (the blocking asset check
    ``ags_known`` compares with the same table). Names are looked up among the Land's known keys only.
    """
    named = [(str(a), str(n)) for a, n in boundary_keys if a]
    known = {a for a, _ in named}
    known |= {a[:5] for a in known} | {a[:2] for a in known}
    entries: dict[str, set[tuple[str, str]]] = {}
    official = {a: n for a, n in named}
    for ags, name in [*named, *((str(a), str(n)) for a, n in directory if a and n)]:
        if ags.startswith(land) and ags in known:
            for key in _keys(name):
                entries.setdefault(key, set()).add((ags, official.get(ags, name)))
    boundaries = Boundaries(load=gemeinden) if gemeinden is not None else None
    return Context(land, known, boundaries, {k: sorted(v) for k, v in entries.items()})


def context_from_raw(raw_dir: Path, land: str) -> Context | None:
    """The context from the boundary and GV100AD files in ``raw_dir``, read as the ingest reads them;
    ``None`` when the folder holds no boundary data."""
    from praevention.discovery import discover
    from praevention.ingest import POPULATION_READERS, load_boundaries, load_population

    if not Path(raw_dir).is_dir():
        return None
    found = discover(Path(raw_dir))
    if not found.of("boundaries"):
        return None
    frame = load_boundaries(found.of("boundaries")).tables[0].source
    # every population source the ingest loads into the table the register asset reads names from
    population = {kind: found.of(kind) for kind in POPULATION_READERS}
    directory = load_population(population).tables[0].source[["ags", "name"]] if any(population.values()) else None
    mine = frame[(frame["level"] == "Gemeinde") & frame["ags"].str.startswith(land)]

    def gemeinden() -> dict[str, shapely.Geometry]:
        import geopandas as gpd

        geoms = [
            shapely.from_wkb(bytes(g)) if isinstance(g, bytes | bytearray | memoryview) else g for g in mine["geometry"]
        ]
        series = gpd.GeoSeries(geoms, crs=STORED_CRS).to_crs(WGS84)
        return _union_by_key(zip(mine["ags"], series, strict=True))

    context = build_context(
        land,
        zip(frame["ags"], frame["name"], strict=True),
        [] if directory is None else zip(directory["ags"], directory["name"], strict=True),
        gemeinden,
    )
    context.survey_ags = survey_units(found.of("survey"))
    return context


def survey_units(paths: list[Path]) -> set[str]:
    """The AGS that the survey files hold a wave of (answers or published shares), as the ingest reads them."""
    from praevention.survey.load import TABLE_NAMES, load_surveys
    from praevention.survey.read import MARGINS

    tables = {t.name: t.source for t in load_surveys(paths).tables}
    return {
        str(a) for name, frame in tables.items() if name != TABLE_NAMES[MARGINS] for a in frame["ags"].dropna().unique()
    }


def context_from_warehouse(con, land: str) -> Context:
    """The context from the warehouse tables ``boundaries`` and ``population`` (outlines read only when an
    area has to be checked)."""
    keys = con.execute("SELECT DISTINCT ags, name FROM boundaries").fetchall()
    has_population = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'population'"
    ).fetchone()[0]
    directory = (
        con.execute("SELECT DISTINCT ags, name FROM population WHERE name IS NOT NULL").fetchall()
        if has_population
        else []
    )

    def gemeinden() -> dict[str, shapely.Geometry]:
        rows = con.execute(
            "SELECT ags, ST_AsWKB(ST_Transform(geometry, ?, ?, always_xy := true)) FROM boundaries "
            "WHERE level = 'Gemeinde' AND starts_with(ags, ?) ORDER BY ags, valid_from",
            [STORED_CRS, WGS84, land],
        ).fetchall()
        return _union_by_key((ags, shapely.from_wkb(bytes(wkb))) for ags, wkb in rows)

    return build_context(land, keys, directory, gemeinden)


def _union_by_key(items: Iterable[tuple[str, shapely.Geometry]]) -> dict[str, shapely.Geometry]:
    """One outline per AGS: the union of its outlines in every Gebietsstand."""
    parts: dict[str, list[shapely.Geometry]] = {}
    for ags, geom in items:
        parts.setdefault(str(ags), []).append(geom)
    return {ags: shapely.union_all(geoms) for ags, geoms in sorted(parts.items())}
