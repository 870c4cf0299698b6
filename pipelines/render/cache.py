"""Skip re-rendering files whose content would not change.

A rendered file is fresh when the content key of what produced it (figure JSON, sheet data, template,
renderer version) equals the key recorded when it was written, and the file is still the one written
then (same size and modification time). Keys live in ``<out>/.state/<name>.cache.json``, beside the
assets' state files; deleting the ``.state`` folder forces a full render. ``praevention run`` after one
register row changed re-renders only the files that show that row (``benchmarks/run.py``).
"""

from __future__ import annotations

import json
from pathlib import Path


class RenderCache:
    """Content keys of the files one product writes; ``None`` paths disable caching (always render)."""

    def __init__(self, path: Path | None):
        self.path = path
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

    def fresh(self, target: Path, key: str) -> bool:
        entry = self.entries.get(str(target))
        return entry is not None and target.exists() and entry == [key, *self._stamp(target)]

    def holds(self, target: Path, key: str) -> bool:
        """Whether ``key`` is the one recorded for ``target``, whatever its stamp: for keys computed from
        the file's own bytes (the privacy scan), a rewrite with the same content is still known."""
        entry = self.entries.get(str(target))
        return entry is not None and entry[0] == key

    def record(self, target: Path, key: str) -> None:
        self.entries[str(target)] = [key, *self._stamp(target)]

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.entries, indent=0, sort_keys=True), encoding="utf-8")
