"""Dagster resources: the one DuckDB warehouse, the raw-data location and the report settings.

Paths default to empty strings and are resolved when a run uses them (``praevention.config``), so the
code location loads without reading the environment at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from praevention import config, warehouse


class DuckDBWarehouse(ConfigurableResource):
    """The DuckDB file every asset reads and writes (``--warehouse`` / ``$PRAEVENTION_WAREHOUSE``)."""

    path: str = ""

    def resolved(self) -> Path:
        return config.warehouse_path(self.path)

    @contextlib.contextmanager
    def connect(self, *, read_only: bool = False, spatial: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        con = warehouse.connect(self.resolved(), read_only=read_only, spatial=spatial)
        try:
            yield con
        finally:
            con.close()


class RawData(ConfigurableResource):
    """Where the published source files are (``--raw-dir``), and optionally the register file."""

    raw_dir: str = ""
    register_path: str = ""
    land: str = ""

    def resolved(self) -> Path:
        return config.raw_dir(self.raw_dir)

    def register(self) -> Path | None:
        return config.register_path(self.register_path)

    def land_key(self) -> str:
        return config.land(self.land)


class ReportSettings(ConfigurableResource):
    """Output folder and labelling of the products for people (``--out``)."""

    out_dir: str = ""
    synthetic: bool = False
    regions: str = ""
    #: the Dagster instance's folder, whose staging folder the products are rendered into (empty:
    #: ``$DAGSTER_HOME``; the demo's instance is its own)
    dagster_home: str = ""

    def resolved(self) -> Path:
        return config.out_dir(self.out_dir)

    def staging(self) -> Path:
        """Where the products are rendered and checked before they are published into :meth:`resolved`."""
        return config.staging_dir(self.resolved(), Path(self.dagster_home) if self.dagster_home else None)

    def is_synthetic(self) -> bool:
        return config.synthetic(self.synthetic)

    def region_scheme(self) -> str:
        return config.regions(self.regions)
