"""Unfallatlas files loaded exactly as the ``accident_points`` asset loads them, into a warehouse in memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass
class Points:
    frame: pd.DataFrame  # the accident_points table, virtual columns included
    rejects: pd.DataFrame
    log: pd.DataFrame


def load_points(paths: Sequence[Path], geojson: Sequence[Path] = ()) -> Points:
    from praevention import warehouse
    from praevention.ingest import load_accident_points

    con = warehouse.connect(":memory:")
    try:
        load = load_accident_points(list(paths), list(geojson), con)
        warehouse.write_asset(
            con, asset="accident_points", tables=load.tables, quarantine=load.rejects, ingest_log=load.log
        )
        frame = con.execute("SELECT * FROM accident_points ORDER BY rowid").df()
    finally:
        con.close()
    return Points(frame, load.rejects, load.log)
