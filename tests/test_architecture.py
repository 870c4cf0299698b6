"""The library is free of Dagster: only the wiring (definitions, resources, sensors, the CLI's run
machinery and the asset packages) imports it.

Every module of the library packages is parsed, every import statement is collected (also the lazy ones
inside functions), and the project modules they reach are followed: a library module that imports a
wiring module which imports Dagster fails as well.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("readers", "register", "evaluation", "stats", "render", "fetch", "demo")
#: top-level modules of pipelines/ that are Dagster wiring (every other one is library code): the code
#: location, its resources, the command line and the run machinery with its progress display
WIRING_MODULES = ("cli", "definitions", "resources", "progress", "engine")
FORBIDDEN = ("dagster", "dagster_webserver", "dagster_graphql")
#: the names a library module must not reach, directly or through other project modules
WIRING = ("assets", "pipelines.definitions", "pipelines.commands", "pipelines.resources")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _path_of(module: str, root: Path) -> Path | None:
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
            found.append(module)
            # "from pipelines.render import fmt" imports the module pipelines.render.fmt
            found += [f"{module}.{alias.name}" for alias in node.names if _path_of(f"{module}.{alias.name}", root)]
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


def forbidden_chain(path: Path, root: Path = ROOT) -> list[str] | None:
    """The chain of imports from ``path`` to Dagster or the wiring, or ``None`` when there is none."""
    start = _module_name(path, root)
    seen = {start}
    queue: list[tuple[Path, list[str]]] = [(path, [start])]
    while queue:
        current, chain = queue.pop(0)
        for module in imports_of(current, root):
            if _is_under(module, FORBIDDEN) or _is_under(module, WIRING):
                return [*chain, module]
            if not _is_under(module, ("pipelines",)) or module in seen:
                continue
            seen.add(module)
            target = _path_of(module, root)
            if target is not None:
                queue.append((target, [*chain, module]))
    return None


LIBRARY_MODULES = sorted(p for pkg in LIBRARY for p in (ROOT / "pipelines" / pkg).rglob("*.py"))
LIBRARY_MODULES += sorted(p for p in (ROOT / "pipelines").glob("*.py") if p.stem not in WIRING_MODULES)


def test_every_library_package_is_checked() -> None:
    packages = {p.relative_to(ROOT / "pipelines").parts[0] for p in LIBRARY_MODULES}
    assert set(LIBRARY) <= packages and {"ingest.py", "warehouse.py", "tables.py"} <= packages
    assert len(LIBRARY_MODULES) > 60


@pytest.mark.parametrize("path", LIBRARY_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_module_imports_no_dagster(path: Path) -> None:
    chain = forbidden_chain(path)
    assert chain is None, " → ".join(chain or [])


def test_the_check_finds_lazy_and_indirect_imports(tmp_path: Path) -> None:
    """The walk sees an import inside a function and one reached through another project module."""
    package = tmp_path / "pipelines" / "stats"
    package.mkdir(parents=True)
    for init in (tmp_path / "pipelines" / "__init__.py", package / "__init__.py"):
        init.write_text("", encoding="utf-8")
    (package / "lazy.py").write_text("def f():\n    from dagster import asset\n    return asset\n", encoding="utf-8")
    (package / "clean.py").write_text("import json\n", encoding="utf-8")
    (package / "indirect.py").write_text("from . import clean\nfrom pipelines.stats import lazy\n", encoding="utf-8")
    assert forbidden_chain(package / "clean.py", tmp_path) is None
    assert forbidden_chain(package / "lazy.py", tmp_path) == ["pipelines.stats.lazy", "dagster"]
    assert forbidden_chain(package / "indirect.py", tmp_path) == [
        "pipelines.stats.indirect",
        "pipelines.stats.lazy",
        "dagster",
    ]


def test_stats_does_not_depend_on_render() -> None:
    for path in (ROOT / "pipelines" / "stats").rglob("*.py"):
        assert not [m for m in imports_of(path) if _is_under(m, ("pipelines.render",))], path
