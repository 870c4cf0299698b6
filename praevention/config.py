"""Where the pipeline reads and writes. Resolved at call time, never at import time.

Every path has a default relative to the project root and an environment variable that overrides it;
command-line flags override both.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

ENV_RAW_DIR = "PRAEVENTION_RAW_DIR"
ENV_WAREHOUSE = "PRAEVENTION_WAREHOUSE"
ENV_OUT_DIR = "PRAEVENTION_OUT"
ENV_REGISTER = "PRAEVENTION_REGISTER"
ENV_LAND = "PRAEVENTION_LAND"
ENV_SYNTHETIC = "PRAEVENTION_SYNTHETIC"
ENV_REGIONS = "PRAEVENTION_REGIONS"
#: The Land the products are made for (Sachsen-Anhalt); the demo uses a key no real Land has.
DEFAULT_LAND = "15"

DEFAULT_RAW_DIR = PROJECT_ROOT / "data" / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"
DEFAULT_OUT_DIR = PROJECT_ROOT / "reports"
#: the Dagster instance the CLI and the Dagster UI (``make ui``) share when ``$DAGSTER_HOME`` is not set; its
#: ``dagster.yaml`` is part of the project
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / "data" / "dagster_home"
ENV_DAGSTER_HOME = "DAGSTER_HOME"


def _resolve(explicit: str | os.PathLike[str] | None, env: str, default: Path) -> Path:
    if explicit not in (None, ""):
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(env, "")
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default


def raw_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The raw-data directory (``--raw-dir``, else ``$PRAEVENTION_RAW_DIR``, else ``data/raw``)."""
    return _resolve(explicit, ENV_RAW_DIR, DEFAULT_RAW_DIR)


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The DuckDB file (``--warehouse``, else ``$PRAEVENTION_WAREHOUSE``, else ``data/warehouse.duckdb``)."""
    return _resolve(explicit, ENV_WAREHOUSE, DEFAULT_WAREHOUSE)


def out_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The output directory (``--out``, else ``$PRAEVENTION_OUT``, else ``reports/``)."""
    return _resolve(explicit, ENV_OUT_DIR, DEFAULT_OUT_DIR)


def dagster_home() -> Path:
    """The Dagster instance's folder (``$DAGSTER_HOME``, else ``data/dagster_home``): run history,
    materializations, check results and the data versions that decide what is stale."""
    return _resolve(None, ENV_DAGSTER_HOME, DEFAULT_DAGSTER_HOME)


def register_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """An explicitly configured register file (``--register`` or ``$PRAEVENTION_REGISTER``).

    ``None`` means: look for the register inside the raw-data directory (``councils/``).
    """
    if explicit not in (None, ""):
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_REGISTER, "")
    return Path(from_env).expanduser().resolve() if from_env else None


def land(explicit: str | None = None) -> str:
    """The two-digit key of the Land the outputs are for (``$PRAEVENTION_LAND``, default ``15``)."""
    value = explicit or os.environ.get(ENV_LAND, "") or DEFAULT_LAND
    if not (len(value) == 2 and value.isdigit()):
        from praevention.errors import PipelineError

        raise PipelineError(f"Der Schlüssel des Landes hat zwei Ziffern, nicht {value!r}")
    return value


def synthetic(explicit: bool = False) -> bool:
    """Whether the outputs are the demo's and must carry the synthetic label (``$PRAEVENTION_SYNTHETIC=1``)."""
    return explicit or os.environ.get(ENV_SYNTHETIC, "") == "1"


def regions(explicit: str | None = None) -> str:
    """Regions of the conference kit: ``polizeiinspektionen`` (default) or ``kreise`` (``$PRAEVENTION_REGIONS``)."""
    return explicit or os.environ.get(ENV_REGIONS, "") or "polizeiinspektionen"
