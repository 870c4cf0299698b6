"""Fingerprints that tell whether an asset's inputs changed since it was last written.

A source asset's fingerprint covers the content of its raw files and the pipeline code; a derived
asset's covers the fingerprints of its upstream assets, its settings and the code. They are stored in
``pipeline_state`` in the same transaction as the asset's tables, so ``praevention run`` re-materialises
exactly the assets whose inputs changed, and everything downstream of them.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

CODE_ROOTS = ("pipelines", "assets")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of every Python and SQL file of the pipeline: any code change makes all assets stale."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for sub in CODE_ROOTS:
        for path in sorted((root / sub).rglob("*")):
            if path.suffix in (".py", ".sql", ".typ", ".html", ".j2", ".yaml") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1024)
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:  # a read error (EIO) names no file by itself
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    return h.hexdigest()


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)


def source_fingerprint(paths: Iterable[Path]) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    for p in sorted(paths):
        h.update(os.fsencode(p.name))  # names that are not UTF-8 (latin-1 archives) too
        h.update(file_digest(p).encode())
    return h.hexdigest()


def derived_fingerprint(upstream: Mapping[str, str | None], settings: Mapping[str, object] | None = None) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    for name in sorted(upstream):
        h.update(f"{name}={upstream[name]};".encode())
    for key in sorted(settings or {}):
        h.update(f"{key}={(settings or {})[key]};".encode())
    return h.hexdigest()


def content_key(*parts: str | bytes) -> str:
    """SHA-256 over the parts (each length-prefixed, so that parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def source_key(*files: Path) -> str:
    """The key of code and template files: a change to them invalidates everything keyed on it (rendered
    files, cached estimates)."""
    return content_key(*(Path(f).read_bytes() for f in files))
