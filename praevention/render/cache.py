"""Skip re-rendering files whose content would not change.

A rendered file is fresh when the content key of what produced it (figure JSON, sheet data, template,
renderer version) equals the key recorded when it was written, and the file is still the one written
then (same size and modification time). Keys live in ``<out>/.cache/<name>.cache.json``, a plain cache:
deleting the ``.cache`` folder forces a full render. ``praevention run`` after one
register row changed re-renders only the files that show that row (``benchmarks/run.py``). Files that are
cheap to build (HTML, the ministry PDF) are built every time but written only when their content changed
(:func:`write_if_changed`), so that a sync or deploy of the output folder sees only what changed; files a
product no longer writes (a renamed body's old fact sheet) are removed (:func:`retire_files`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from praevention.files import write_atomic


class RenderCache:
    """Content keys of the files one product writes; ``None`` paths disable caching (always render).

    The cache lives in ``<out>/.cache/`` and names files relative to ``<out>``: it holds no absolute path,
    and the output folder can be moved or copied with it.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.root = path.parent.parent if path is not None else None
        self.entries: dict[str, list] = {}
        if path is not None and path.exists():
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                self.entries = {}  # a damaged cache only costs a full render

    @staticmethod
    def _stamp(target: Path) -> list:
        st = target.stat()
        return [st.st_size, st.st_mtime_ns]

    def _name(self, target: Path) -> str:
        return os.path.relpath(target, self.root) if self.root is not None else str(target)

    def fresh(self, target: Path, key: str) -> bool:
        entry = self.entries.get(self._name(target))
        return entry is not None and target.exists() and entry == [key, *self._stamp(target)]

    def holds(self, target: Path, key: str) -> bool:
        """Whether ``key`` is the one recorded for ``target``, whatever its stamp: for keys computed from
        the file's own bytes (the privacy scan), a rewrite with the same content is still known."""
        entry = self.entries.get(self._name(target))
        return entry is not None and entry[0] == key

    def record(self, target: Path, key: str) -> None:
        self.entries[self._name(target)] = [key, *self._stamp(target)]

    def save(self) -> None:
        if self.path is None:
            return
        write_atomic(self.path, json.dumps(self.entries, indent=0, sort_keys=True))


def write_if_changed(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` unless the file already holds exactly it; an
    unchanged file keeps its modification time. Written atomically (:func:`praevention.files.write_atomic`)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    write_atomic(path, data)


def retire_files(
    out_dir: Path, previous: Iterable[str], current: Iterable[Path], keep: Iterable[str] = ()
) -> list[Path]:
    """Delete the files a product wrote in its last run but not in this one (paths relative to ``out_dir``,
    as its state file lists them), unless another product lists them (``keep``); return what was deleted.

    Only files the pipeline itself recorded are touched, and never anything outside ``out_dir``.
    """
    root = out_dir.resolve()
    now = {str(p.relative_to(out_dir)) for p in current} | set(keep)
    gone = []
    for rel in sorted(set(previous) - now):
        path = out_dir / rel
        if path.is_file() and path.resolve().is_relative_to(root):
            path.unlink()
            gone.append(path)
    return gone
