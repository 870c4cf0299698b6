"""What every reader returns: the rows it loaded, the rows it rejected with their reasons, and counts."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REJECT_COLUMNS = ["source_file", "line", "field", "raw", "reason"]


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in REJECT_COLUMNS})


@dataclass
class ReadResult:
    """Rows loaded from one file plus the rows quarantined, with ``rows_read = loaded + quarantined``.

    ``rows_loaded`` counts rows of the source file; it differs from ``len(frame)`` only for wide
    tables where one published row becomes several long rows (one per measure).
    """

    source_file: str
    frame: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    rows_read: int | None = None
    rows_loaded: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.rows_loaded is None:
            self.rows_loaded = len(self.frame)
        if self.rows_read is None:
            self.rows_read = self.rows_loaded + len(self.rejects)
        if self.rows_read != self.rows_loaded + len(self.rejects):
            raise AssertionError(
                f"{self.source_file}: rows read {self.rows_read} != loaded {self.rows_loaded} "
                f"+ quarantined {len(self.rejects)}"
            )

    def log_row(self) -> dict[str, object]:
        return {
            "source_file": self.source_file,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": len(self.rejects),
            "note": self.note,
        }


def typed_empty(dtypes: dict[str, str]) -> pd.DataFrame:
    """No rows, but the reader's columns and types: what a source without any file loads, so that the
    downstream SQL binds (a Land without KISS-MD or accident statistics, like the demo)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def reject(path: str | Path, line: int | None, field_name: str | None, raw: str, reason: str) -> dict:
    return {"source_file": str(path), "line": line, "field": field_name, "raw": raw, "reason": reason}


def combine(results: list[ReadResult]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Concatenate the loaded rows, the rejects and the per-file log of several reads."""
    frames = [r.frame for r in results if not r.frame.empty]
    with warnings.catch_warnings():
        # files without a column's values (e.g. no Kreisart in 2014) are all-NA there; that is expected
        warnings.simplefilter("ignore", FutureWarning)
        loaded = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    rej = [r.rejects for r in results if not r.rejects.empty]
    rejects = pd.concat(rej, ignore_index=True) if rej else empty_rejects()
    log = pd.DataFrame([r.log_row() for r in results])
    return loaded, rejects, log


def drop_covered(
    results: list[ReadResult], group: Callable[[ReadResult], Hashable], keys: Sequence[str]
) -> tuple[list[ReadResult], list[dict]]:
    """Keep one file where several hold the same units for the same vintage.

    Within a group (e.g. one Gebietsstand and level), a file whose key set is a subset of a larger
    file's is not loaded, so that no unit appears twice; the log says which file covers it.
    Files whose keys only partly overlap are both kept, and the key check reports the clash.
    """
    kept: list[ReadResult] = []
    log: list[dict] = []
    groups: dict[Hashable, list[ReadResult]] = {}
    for r in results:
        groups.setdefault(group(r), []).append(r)
    for members in groups.values():
        members.sort(key=lambda r: (-len(r.frame), r.source_file))
        chosen: list[tuple[ReadResult, set]] = []
        for r in members:
            key_set = set(map(tuple, r.frame[list(keys)].astype(str).to_numpy().tolist()))
            cover = next((c for c, s in chosen if key_set <= s), None)
            if cover is not None and len(r.frame):
                log.append(
                    {
                        "source_file": r.source_file,
                        "rows_read": 0,
                        "rows_loaded": 0,
                        "rows_quarantined": 0,
                        "note": f"not loaded: all {len(r.frame)} units are also in {cover.source_file}, which is used",
                    }
                )
                continue
            chosen.append((r, key_set))
            kept.append(r)
    kept.sort(key=lambda r: r.source_file)
    return kept, log
