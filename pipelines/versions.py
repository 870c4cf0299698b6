"""The assets' code versions: the files an asset runs, the data files it reads and the lock file.

An asset's code version is a digest over

* every project module its domain package (``assets/<domain>/``, its assets and their checks) needs: the
  transitive closure of the project modules it imports, lazy imports inside functions included
  (:func:`pipelines.imports.needed_modules`);
* the SQL files and templates those modules name: a file in the module's package folder whose name is a
  string in the module (``"panel_inputs.sql"``, ``"steckbrief.typ"``);
* the data files the asset declares in its metadata (``data_files``, e.g. ``data/literature.yaml``): a
  changed list of reviews re-runs what quotes it;
* ``uv.lock``: an upgraded library may compute differently.

Each file enters with its path and content. A module outside every closure (``praevention/fetch/``, run
by ``praevention fetch`` only) re-runs nothing when it changes.

Dagster compares the code version with the one recorded at an asset's latest materialization
(:mod:`pipelines.engine`). A test fails when a library module belongs to no asset's version and is not
listed as run by no asset, and when a data file named in a domain's code is declared by none of its assets.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

from dagster import AssetsDefinition, AssetSpec

from pipelines.imports import ROOT, needed_modules, path_of, syntax_tree
from pipelines.records import DATA_FILES
from praevention import digest

#: the project's data folder: files read by the code, not code themselves
DATA_DIR = "data"
LOCK_FILE = "uv.lock"
#: suffixes of the files that code beside it reads (SQL, templates)
RESOURCE_SUFFIXES = (".sql", ".typ", ".j2", ".html", ".json", ".yaml", ".csv")


@cache
def _strings(path: Path) -> frozenset[str]:
    """Every string constant of a module."""
    return frozenset(
        node.value
        for node in ast.walk(syntax_tree(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def resources_of(path: Path) -> list[Path]:
    """The non-Python files in the module's package folder (and its sub-folders) that the module names."""
    beside = [
        f
        for f in path.parent.rglob("*")
        if f.suffix in RESOURCE_SUFFIXES and f.is_file() and "__pycache__" not in f.parts
    ]
    if not beside:
        return []
    names = _strings(path)
    return sorted(f for f in beside if f.name in names)


def data_files_named(path: Path, root: Path = ROOT) -> list[str]:
    """The project data files (``data/*.yaml`` …) whose name is a string in the module."""
    names = _strings(path)
    data = root / DATA_DIR
    return sorted(f"{DATA_DIR}/{f.name}" for f in data.glob("*") if f.is_file() and f.name in names)


@cache
def domain_files(domain: str, root: Path = ROOT) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """(the modules a domain package needs, the SQL files and templates they name)."""
    modules = tuple(needed_modules([domain], root))
    resources = sorted({r for m in modules for r in resources_of(path_of(m, root))})
    return modules, tuple(resources)


def code_version(domain: str, data_files: Iterable[str] = (), root: Path = ROOT) -> str:
    """The code version of an asset of ``domain`` (a package such as ``assets.evaluation``) that reads
    ``data_files``."""
    modules, resources = domain_files(domain, root)
    files = [path_of(m, root) for m in modules] + list(resources)
    files += [root / d for d in sorted(set(data_files))] + [root / LOCK_FILE]
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.relative_to(root)}\0{digest.file_digest(f)}\0".encode())
    return h.hexdigest()[:16]


def declared_data_files(spec: AssetSpec) -> list[str]:
    value = spec.metadata.get(DATA_FILES) or []
    return list(getattr(value, "value", value))


def versioned(domain: ModuleType, assets: Sequence[AssetsDefinition], root: Path = ROOT) -> list[AssetsDefinition]:
    """The domain's assets, each with the code version of its domain package and its declared data files."""
    name = domain.__name__
    return [
        a.map_asset_specs(
            lambda spec: spec.replace_attributes(code_version=code_version(name, declared_data_files(spec), root))
        )
        for a in assets
    ]
