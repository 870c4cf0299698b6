"""The warehouse reads of the evaluation: what :func:`~praevention.evaluation.panel.build_panel` reads, what
the evaluation, the register's treated units and the calibration read (SQL beside it in ``sql/``)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from praevention.evaluation.inputs import EvaluationData, kreis_neighbours, read_kreis_types

SQL = Path(__file__).parent / "sql"


def panel_inputs(con: duckdb.DuckDBPyConnection, land: str) -> dict[str, pd.DataFrame]:
    """The source tables :func:`build_panel` reads, by argument name."""
    return {
        "crime": con.execute(
            "SELECT year, ags, kreis_name, kreis_type, offence_key, offence_label, cases, hz, hz_basis FROM crime_cases"
        ).df(),
        "crime_gemeinden": con.execute("SELECT year, ags, offence_key, cases FROM crime_gemeinde_cases").df(),
        "city": con.execute("SELECT * FROM crime_city_stats").df(),
        "accident_counts": con.execute("SELECT * FROM accident_counts").df(),
        "points": con.execute((SQL / "panel_inputs.sql").read_text(), [land]).df(),
        "population": con.execute("SELECT * FROM population").df(),
        "names": con.execute(
            "SELECT ags, level, arg_max(name, valid_from) AS name FROM boundaries GROUP BY ags, level"
        ).df(),
    }


def read_places(con: duckdb.DuckDBPyConnection, land: str) -> pd.DataFrame:
    """The Land's Gemeinden with their latest population, area and name (``EvaluationData.places``)."""
    return con.execute((SQL / "places.sql").read_text(), [land]).df()


def evaluation_inputs(
    con: duckdb.DuckDBPyConnection, land: str, panel: pd.DataFrame | None = None
) -> tuple[EvaluationData, pd.DataFrame, pd.DataFrame]:
    """What the evaluation reads: the panel (the stored one unless given) with Kreis types, points,
    neighbours, places and Gemeinde outlines, and the register's bodies and measures."""
    data = _panel_data(
        con,
        land,
        panel,
        points=con.execute((SQL / "land_points.sql").read_text(), [land]).df(),
        places=read_places(con, land),
        gemeinden=con.execute((SQL / "site_gemeinden.sql").read_text(), [land]).df(),
    )
    bodies = con.execute("SELECT * FROM register_bodies").df()
    measures = con.execute("SELECT * FROM register_measures").df()
    return data, bodies, measures


def calibration_inputs(con: duckdb.DuckDBPyConnection, land: str) -> tuple[EvaluationData, pd.DataFrame]:
    """What the calibration reads: the panel with Kreis types and neighbours (its placebo measures have no
    area, so no accident points) and the register's treated units, not its text."""
    return _panel_data(con, land), con.execute("SELECT * FROM treated_units").df()


def treated_inputs(con: duckdb.DuckDBPyConnection, land: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What the register's treated units are decided from: the panel's cells a design can use (unit_ags,
    indicator, year: :attr:`EvaluationData.available`) and the register's bodies and measures."""
    available = EvaluationData(panel=con.execute("SELECT * FROM panel").df(), kinds={}, land=land).available
    bodies = con.execute("SELECT * FROM register_bodies").df()
    measures = con.execute("SELECT * FROM register_measures").df()
    return available, bodies, measures


def _panel_data(
    con: duckdb.DuckDBPyConnection, land: str, panel: pd.DataFrame | None = None, **beside: pd.DataFrame
) -> EvaluationData:
    return EvaluationData(
        panel=con.execute("SELECT * FROM panel").df() if panel is None else panel,
        kinds=read_kreis_types(con),
        land=land,
        neighbours=kreis_neighbours(con.execute((SQL / "kreis_boundaries.sql").read_text()).df()),
        **beside,
    )


def site_inputs(con: duckdb.DuckDBPyConnection, land: str):
    """What the screening and the site calibration read: the :class:`~praevention.evaluation.sites.Places` of
    the Land, the registered sites (left out of every reference: ``registered_sites``, not the register's text)
    and the labels of the point indicators."""
    from praevention.evaluation.sites import places_from

    covered = con.execute((SQL / "site_coverage.sql").read_text(), [land]).df()
    places = places_from(
        con.execute((SQL / "land_points.sql").read_text(), [land]).df(),
        con.execute((SQL / "site_gemeinden.sql").read_text(), [land]).df(),
        covered,
    )
    labels = dict(
        con.execute(
            "SELECT DISTINCT indicator, indicator_label FROM panel WHERE starts_with(indicator, 'acc:points_')"
        ).fetchall()
    )
    return places, con.execute("SELECT * FROM registered_sites").df(), labels
