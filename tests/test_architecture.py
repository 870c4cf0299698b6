"""The architecture, kept so by a test.

* ``praevention/`` is the plain library: it imports no Dagster and nothing of ``pipelines/`` or ``assets/``.
* Its packages form layers (:data:`LAYERS`); a module imports only from its own layer or the ones below
  (no upward import), and no two modules import each other, directly or in a circle.
* ``assets/`` holds the asset and check definitions by domain and ``pipelines/`` the rest of the Dagster
  wiring (definitions, resources, sensors, schedules, the run planner and the CLI); both import the library.

Every module is parsed and every import statement collected, also the lazy ones inside functions
(:mod:`pipelines.imports`, which the assets' code versions use as well).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.imports import cycles, imports_of, is_under, module_name, project_imports

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = "praevention"
#: the library's layers, lowest first: a module may import from its own layer and the ones below
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "config", "files", "digest", "parsing", "privacy", "tables", "warehouse"),
    ("readers", "stats", "fetch"),
    ("discovery", "ingest", "survey"),
    ("register", "lka"),
    ("evaluation",),
    ("render",),
    ("publish",),
    ("demo",),
)
FORBIDDEN = ("dagster", "dagster_webserver", "dagster_graphql", "pipelines", "assets")


def layer_of(module: str) -> int | None:
    """The layer of a library module (``praevention.render.fmt`` → the layer of ``render``)."""
    parts = module.split(".")
    if parts == [LIBRARY]:
        return 0  # the package's empty __init__
    if parts[0] != LIBRARY:
        return None
    return next((i for i, layer in enumerate(LAYERS) if parts[1] in layer), None)


def library_modules(root: Path = ROOT) -> list[Path]:
    return sorted((root / LIBRARY).rglob("*.py"))


MODULES = library_modules()


def test_every_library_package_has_a_layer() -> None:
    packages = {p.relative_to(ROOT / LIBRARY).parts[0].removesuffix(".py") for p in MODULES} - {"__init__"}
    assert packages == {name for layer in LAYERS for name in layer}
    assert len(MODULES) > 60


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_module_imports_no_dagster_and_no_wiring(path: Path) -> None:
    bad = [m for m in imports_of(path) if is_under(m, FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_module_imports_no_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    assert own is not None, f"{path} lies in no layer"
    upward = [m for m in project_imports(path) if (layer_of(m) or 0) > own]
    assert not upward, f"{path.relative_to(ROOT)} imports a higher layer: {upward}"


def test_no_import_circle() -> None:
    assert cycles() == []


def test_wiring_lives_in_pipelines_and_assets() -> None:
    """Dagster is imported in ``pipelines/`` and ``assets/`` only, and the CLI is part of the wiring."""
    users = sorted(
        str(p.relative_to(ROOT))
        for top in ("praevention", "benchmarks", "scripts")
        for p in (ROOT / top).rglob("*.py")
        if any(is_under(m, ("dagster",)) for m in imports_of(p))
    )
    assert users == [p for p in users if p.startswith("benchmarks/")]
    assert (ROOT / "pipelines" / "cli.py").is_file() and (ROOT / "pipelines" / "definitions.py").is_file()


def test_the_wiring_uses_only_dagsters_public_api() -> None:
    """No module of the project or its tests imports Dagster's private modules (``dagster._…``)."""
    private = sorted(
        f"{p.relative_to(ROOT)}: {m}"
        for top in ("assets", "pipelines", "tests", "benchmarks")
        for p in (ROOT / top).rglob("*.py")
        for m in imports_of(p)
        if m.startswith("dagster._") or (m.startswith("dagster_") and "._" in m)
    )
    assert private == []


def test_the_checks_find_lazy_upward_and_circular_imports(tmp_path: Path) -> None:
    """The walk sees an import inside a function, an upward import and a circle of two modules."""
    for package in ("stats", "render"):
        (tmp_path / LIBRARY / package).mkdir(parents=True)
        (tmp_path / LIBRARY / package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / LIBRARY / "__init__.py").write_text("", encoding="utf-8")
    stats = tmp_path / LIBRARY / "stats"
    (stats / "lazy.py").write_text("def f():\n    from dagster import asset\n    return asset\n", encoding="utf-8")
    (stats / "up.py").write_text("from praevention.render import fig\n", encoding="utf-8")
    (tmp_path / LIBRARY / "render" / "fig.py").write_text("import json\n", encoding="utf-8")
    (stats / "a.py").write_text("from praevention.stats import b\n", encoding="utf-8")
    (stats / "b.py").write_text("def g():\n    from praevention.stats import a\n", encoding="utf-8")
    assert "dagster" in imports_of(stats / "lazy.py", tmp_path)
    assert project_imports(stats / "up.py", tmp_path) == ["praevention.render.fig"]
    assert layer_of("praevention.render.fig") > layer_of("praevention.stats.up")
    assert cycles(tmp_path) == [["praevention.stats.a", "praevention.stats.b"]]
