"""Content digests: of raw files (what a source asset loaded), of output files (a product's data version) and
of anything a cache is keyed on (rendered files, the privacy scan).

Dagster stores the versions with each materialization; :mod:`pipelines.engine` compares them.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


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
    """Digest over the names and contents of a source's raw files (its data version)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(os.fsencode(p.name))  # names that are not UTF-8 (latin-1 archives) too
        h.update(file_digest(p).encode())
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
