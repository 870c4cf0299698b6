"""The project's import graph, read from the source: which project modules a module imports, what a module
needs transitively, and the import circles.

Every module is parsed and every import statement collected, also the lazy ones inside functions and
``importlib.import_module("…")`` with a literal name. The architecture test keeps the layers with it, and the
assets' code versions (:mod:`pipelines.versions`) are built from the modules an asset needs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the project's top-level packages: the plain library, the asset definitions and the wiring
PACKAGES = ("praevention", "assets", "pipelines")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def path_of(module: str, root: Path = ROOT) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def source_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@cache
def syntax_tree(path: Path) -> ast.Module:
    return ast.parse(source_of(path), filename=str(path))


def _statements(nodes: Iterable[ast.AST]) -> Iterable[ast.AST]:
    """Every statement, also inside functions, classes and blocks (imports are statements)."""
    for node in nodes:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                yield from _statements(inner)


@cache
def imports_of(path: Path, root: Path = ROOT) -> tuple[str, ...]:
    """Every module ``path`` imports anywhere in its body (absolute names, relative ones resolved)."""
    tree = syntax_tree(path)
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[str] = []
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # "from praevention.render import fmt" imports the module praevention.render.fmt
            submodules = [f"{module}.{a.name}" for a in node.names if path_of(f"{module}.{a.name}", root)]
            found += submodules or [module]
    if "import_module" in source_of(path):  # importlib.import_module("…") with a literal name
        found += [
            str(node.args[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ]
    return tuple(found)


def is_under(module: str, roots: Iterable[str]) -> bool:
    return any(module == r or module.startswith(r + ".") for r in roots)


def project_imports(path: Path, root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """The modules of ``packages`` that ``path`` imports."""
    return [m for m in imports_of(path, root) if is_under(m, packages) and path_of(m, root)]


def parents(module: str) -> list[str]:
    """The packages whose ``__init__`` runs before ``module`` (``a.b.c`` → ``a``, ``a.b``)."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def named_modules(path: Path, root: Path = ROOT) -> list[str]:
    """In a module that imports by a computed name (``importlib.import_module(name)``), every string that names
    a project module: what it may import (``praevention.tables`` loads the register's and the evaluation's
    table contracts so). Not an import statement, so not a layer crossing, but code that runs."""
    if "import_module" not in source_of(path):
        return []
    return sorted(
        {
            node.value
            for node in ast.walk(syntax_tree(path))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and is_under(node.value, PACKAGES)
            and path_of(node.value, root)
        }
    )


def needed_modules(roots: Iterable[str], root: Path = ROOT) -> list[str]:
    """Every project module that importing ``roots`` may run: the transitive closure of their project imports
    (lazy ones included) and of the modules they import by name, with the packages around each module, sorted."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in seen or (path := path_of(module, root)) is None:
            continue
        seen.add(module)
        todo += project_imports(path, root) + named_modules(path, root) + parents(module)
    return sorted(seen)


def cycles(root: Path = ROOT) -> list[list[str]]:
    """Every import circle among the project's modules (strongly connected components of more than one
    module), by Tarjan's algorithm."""
    paths = [p for top in PACKAGES if (root / top).is_dir() for p in sorted((root / top).rglob("*.py"))]
    graph = {module_name(p, root): project_imports(p, root) for p in paths}
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
