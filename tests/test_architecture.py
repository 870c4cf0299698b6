"""The architecture, kept so by a test.

* ``praevention/`` is the plain library: it imports no Dagster and nothing of ``pipelines/`` or ``assets/``.
* Its packages form layers (:data:`LAYERS`); a module imports only from its own layer or the ones below
  (no upward import), and no two modules import each other, directly or in a circle.
* ``assets/`` holds the asset and check definitions by domain and ``pipelines/`` the rest of the Dagster
  wiring (definitions, resources, sensors, schedules, the run planner and the CLI); both import the library.

Every module is parsed and every import statement collected, also the lazy ones inside functions.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

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


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _path_of(module: str, root: Path = ROOT) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def imports_of(path: Path, root: Path = ROOT) -> tuple[str, ...]:
    """Every module ``path`` imports anywhere in its body (absolute names, relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # "from praevention.render import fmt" imports the module praevention.render.fmt
            submodules = [f"{module}.{a.name}" for a in node.names if _path_of(f"{module}.{a.name}", root)]
            found += submodules or [module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append(str(node.args[0].value))
    return tuple(found)


def _is_under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == r or module.startswith(r + ".") for r in roots)


def layer_of(module: str) -> int | None:
    """The layer of a library module (``praevention.render.fmt`` → the layer of ``render``)."""
    parts = module.split(".")
    if parts == [LIBRARY]:
        return 0  # the package's empty __init__
    if parts[0] != LIBRARY:
        return None
    return next((i for i, layer in enumerate(LAYERS) if parts[1] in layer), None)


PACKAGES = (LIBRARY, "assets", "pipelines")


def library_modules(root: Path = ROOT) -> list[Path]:
    return sorted((root / LIBRARY).rglob("*.py"))


def project_imports(path: Path, root: Path = ROOT, packages: tuple[str, ...] = (LIBRARY,)) -> list[str]:
    """The modules of ``packages`` that ``path`` imports."""
    return [m for m in imports_of(path, root) if _is_under(m, packages) and _path_of(m, root)]


def cycles(root: Path = ROOT) -> list[list[str]]:
    """Every import circle among the project's modules (strongly connected components of more than one
    module), by Tarjan's algorithm."""
    paths = [p for top in PACKAGES if (root / top).is_dir() for p in sorted((root / top).rglob("*.py"))]
    graph = {_module_name(p, root): project_imports(p, root, PACKAGES) for p in paths}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


MODULES = library_modules()


def test_every_library_package_has_a_layer() -> None:
    packages = {p.relative_to(ROOT / LIBRARY).parts[0].removesuffix(".py") for p in MODULES} - {"__init__"}
    assert packages == {name for layer in LAYERS for name in layer}
    assert len(MODULES) > 60


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_module_imports_no_dagster_and_no_wiring(path: Path) -> None:
    bad = [m for m in imports_of(path) if _is_under(m, FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_module_imports_no_higher_layer(path: Path) -> None:
    own = layer_of(_module_name(path))
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
        if any(_is_under(m, ("dagster",)) for m in imports_of(p))
    )
    assert users == [p for p in users if p.startswith("benchmarks/")]
    assert (ROOT / "pipelines" / "cli.py").is_file() and (ROOT / "pipelines" / "definitions.py").is_file()


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
