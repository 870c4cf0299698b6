"""Where the pipeline reads and writes. Resolved at call time, never at import time.

Every path has a default relative to the project root and an environment variable that overrides it;
command-line flags override both.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

ENV_RAW_DIR = "PRAEVENTION_RAW_DIR"
ENV_WAREHOUSE = "PRAEVENTION_WAREHOUSE"
ENV_OUT_DIR = "PRAEVENTION_OUT"
ENV_REGISTER = "PRAEVENTION_REGISTER"
ENV_LAND = "PRAEVENTION_LAND"
ENV_SYNTHETIC = "PRAEVENTION_SYNTHETIC"
ENV_REGIONS = "PRAEVENTION_REGIONS"
ENV_SENSORS = "PRAEVENTION_SENSORS"
#: The Land the products are made for (Sachsen-Anhalt); the demo uses a key no real Land has.
DEFAULT_LAND = "15"
#: the Länder (01 Schleswig-Holstein … 16 Thüringen) and the demo's Demoland
LAND_KEYS = (*(f"{n:02d}" for n in range(1, 17)), "99")
#: the regions of the conference kit
REGION_SCHEMES = ("polizeiinspektionen", "kreise")
#: the Land of the run in progress (set by the source assets from their resource, :func:`land_of_run`)
_RUN_LAND: contextvars.ContextVar[str | None] = contextvars.ContextVar("praevention_land", default=None)

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


def staging_dir(out: Path, home: Path | None = None) -> Path:
    """Where the products for the output folder ``out`` are rendered and checked before they are published:
    a folder of the Dagster instance (``home``, default :func:`dagster_home`:
    ``<home>/staging/<name>-<digest of the path>``), never inside ``out``, so that nothing unchecked is ever
    where people can read it."""
    import hashlib

    out = Path(out).resolve()
    return (
        (home or dagster_home())
        / "staging"
        / f"{out.name or 'ausgabe'}-{hashlib.sha256(str(out).encode()).hexdigest()[:12]}"
    )


def register_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """An explicitly configured register file (``--register`` or ``$PRAEVENTION_REGISTER``).

    ``None`` means: look for the register inside the raw-data directory (``councils/``).
    """
    if explicit not in (None, ""):
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_REGISTER, "")
    return Path(from_env).expanduser().resolve() if from_env else None


def _setting_error(name: str, value: str, allowed: str) -> Exception:
    from praevention.errors import PipelineError

    return PipelineError(f"unbekannter Wert {value!r} für {name}: erlaubt ist {allowed}")


def land(explicit: str | None = None) -> str:
    """The two-digit key of the Land the outputs are for (``$PRAEVENTION_LAND``, default ``15``; inside a
    source asset the Land of its run). A key that is no Land is an error."""
    source = "--land" if explicit else ENV_LAND
    value = explicit or _RUN_LAND.get() or os.environ.get(ENV_LAND, "") or DEFAULT_LAND
    if value not in LAND_KEYS:
        raise _setting_error(source, value, "ein Landesschlüssel 01–16 (15 = Sachsen-Anhalt) oder 99 (Demoland)")
    return value


@contextlib.contextmanager
def land_of_run(key: str) -> Iterator[None]:
    """Within the block, :func:`land` is ``key`` (the Land a run's resource names)."""
    token = _RUN_LAND.set(land(key))
    try:
        yield
    finally:
        _RUN_LAND.reset(token)


def synthetic(explicit: bool = False) -> bool:
    """Whether the outputs are the demo's and must carry the synthetic label (``$PRAEVENTION_SYNTHETIC=1``)."""
    value = os.environ.get(ENV_SYNTHETIC, "")
    if value not in ("", "0", "1"):
        raise _setting_error(ENV_SYNTHETIC, value, "1 (Demodaten) oder 0")
    return explicit or value == "1"


def regions(explicit: str | None = None) -> str:
    """Regions of the conference kit: ``polizeiinspektionen`` (default) or ``kreise`` (``$PRAEVENTION_REGIONS``)."""
    value = explicit or os.environ.get(ENV_REGIONS, "") or REGION_SCHEMES[0]
    if value not in REGION_SCHEMES:
        raise _setting_error("--regions" if explicit else ENV_REGIONS, value, " oder ".join(REGION_SCHEMES))
    return value


def sensors_on_by_default() -> bool:
    """Whether the sensors of the code location start switched on (``$PRAEVENTION_SENSORS=on``, set in the
    server's settings): only in an instance where nobody switched them on or off; an operator's choice in the
    UI stands."""
    return os.environ.get(ENV_SENSORS, "").strip().lower() in ("on", "1", "true")
