"""Atomic file writes: every output file is written to a temporary file in its own folder and renamed
over the target only when complete, so that a full disk or a killed run leaves the previous file (or
none), never a truncated one.

:func:`write_atomic` takes the content; :func:`atomic_target` gives writers that need a file name of
their own (xlsxwriter, kaleido) a temporary path that replaces the target when the block ends without an
error. Both remove the temporary file on failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same folder, so the rename is atomic) that becomes ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=f".partial{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` atomically, flushed to disk before the rename."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_target(path) as tmp, tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


class SavesToBuffer(Protocol):
    """A document that serialises itself into a binary stream (openpyxl ``Workbook``, python-pptx ``Presentation``)."""

    def save(self, target: io.BytesIO) -> None: ...


def write_document(path: Path, document: SavesToBuffer) -> Path:
    """Serialise ``document`` in memory and write it to ``path`` atomically (:func:`write_atomic`)."""
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(path, buffer.getvalue())
    return path


def new_workbook_path(file: str, *, force: bool) -> Path:
    """Where a command writes a new workbook: ``file`` if it names an ``.xlsx`` that does not exist yet
    (or ``force``), else a :class:`~praevention.errors.PipelineError` saying what to do."""
    from praevention.errors import PipelineError

    path = Path(file)
    if path.suffix.lower() != ".xlsx":
        raise PipelineError(f"the template is an Excel workbook: give a file name ending in .xlsx, not {path.name}")
    if path.exists() and not force:
        raise PipelineError(f"{path} exists already; use --force to overwrite it")
    return path


SQLITE_HEADER = b"SQLite format 3\x00"


def damaged_sqlite_files(folder: Path) -> list[Path]:
    """The ``*.db`` files below ``folder`` that do not start like an SQLite database (overwritten, cut off)."""
    damaged = []
    for path in sorted(Path(folder).rglob("*.db")):
        with contextlib.suppress(OSError), path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
            if head and head != SQLITE_HEADER:
                damaged.append(path)
    return damaged
