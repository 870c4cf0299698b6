"""What every reader returns: the rows it loaded, the rows it rejected with their reasons, and counts."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

REJECT_COLUMNS = ["source_file", "line", "field", "raw", "reason"]
#: start of the ingest-log note of a file that could not be read at all (the check ``files_readable`` lists them)
NOT_READ = "not loaded (unreadable): "
#: start of the ingest-log note of a file whose figures another file already supplies
NOT_LOADED_DUPLICATE = "not loaded (duplicate): "


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
    #: where the reporting year comes from: the file's content ("Berichtszeitraum …") or its name
    year_from: str = "file name"

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


def empty_select(types: dict[str, str]) -> str:
    """A ``SELECT`` of no rows with the given DuckDB column types: the table a source writes when none of
    its files could be read, so that its checks run (and ``not_empty`` fails) instead of the write."""
    return "SELECT " + ", ".join(f'NULL::{t} AS "{c}"' for c, t in types.items()) + " WHERE false"


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
    results: list[ReadResult],
    group: Callable[[ReadResult], Hashable],
    keys: Sequence[str],
    figures: Sequence[str] = (),
    rtol: float = 0.0,
) -> tuple[list[ReadResult], list[dict]]:
    """Keep one file where several hold the same units for the same vintage.

    Within a group (e.g. one Gebietsstand and level), a file whose key set is a subset of a larger
    file's is not loaded, so that no unit appears twice; the log says which file covers it. Where the
    two give other ``figures`` for a unit (a corrected copy of one edition; numbers within the relative
    tolerance ``rtol`` count as equal), neither is preferred: a :class:`~praevention.errors.SourceFormatError`
    names both. Files whose keys only partly overlap are
    both kept, and the key check reports the clash.
    """
    from praevention.errors import SourceFormatError

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
            differ = _differing(r, cover, list(keys), list(figures), rtol) if cover is not None and figures else None
            if differ:
                raise SourceFormatError(
                    r.source_file,
                    f"zwei Fassungen derselben Ausgabe wie {cover.source_file} mit anderen Zahlen ({differ}); "
                    "entfernen Sie die falsche Datei",
                )
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


def _differing(a: ReadResult, b: ReadResult, keys: list[str], figures: list[str], rtol: float) -> str | None:
    """The first unit both files hold with other figures ('ags 15081135: population 1234 against 1240'), or None."""
    both = a.frame[keys + figures].merge(b.frame[keys + figures], on=keys, suffixes=("_a", "_b"))
    for f in figures:
        x, y = both[f + "_a"], both[f + "_b"]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            same = np.isclose(x.astype(float), y.astype(float), rtol=rtol, atol=0, equal_nan=True)
        else:
            same = (x.astype(str) == y.astype(str)).to_numpy()
        if not same.all():
            row = both[~same].iloc[0]
            return ", ".join(f"{k} {row[k]}" for k in keys) + f": {f} {row[f + '_a']} against {row[f + '_b']}"
    return None


def _year(r: ReadResult) -> int:
    return int(r.frame["year"].iloc[0])


def _figures(r: ReadResult, keys: list[str], figures: list[str]) -> pd.DataFrame:
    return r.frame[keys + figures].astype(str).sort_values(keys).reset_index(drop=True)


def _first_difference(a: ReadResult, b: ReadResult, keys: list[str], figures: list[str]) -> str:
    both = _figures(a, keys, figures).merge(_figures(b, keys, figures), on=keys, suffixes=("_a", "_b"))
    for f in figures:
        differ = both[both[f + "_a"] != both[f + "_b"]]
        if len(differ):
            row = differ.iloc[0]
            where = ", ".join(f"{k} {row[k]}" for k in keys)
            return f"{where}: {f} {row[f + '_a']} against {row[f + '_b']}"
    return "different units"


def one_file_per_year(
    results: list[ReadResult], keys: list[str], figures: list[str]
) -> tuple[list[ReadResult], list[dict]]:
    """One file per reporting year, the year taken from the content where a file states it.

    Files with identical figures (a copy, or the CSV and XLSX editions of one year) are loaded once and the
    others logged as duplicates. When identical figures arrive under several years (a table saved again
    under another year's name), they belong to the year that no other file claims, or the one the content
    states. A file whose units all appear with the same figures in a larger file of its year is covered by
    it. Two files that claim one year with different figures raise :class:`SourceFormatError` naming both:
    which one is right is not for the pipeline to guess.
    """
    from praevention.errors import SourceFormatError

    present = [r for r in results if len(r.frame)]
    groups: dict[str, list[ReadResult]] = {}
    for r in sorted(present, key=lambda r: (r.year_from == "file name", -len(r.frame), r.source_file)):
        digest = pd.util.hash_pandas_object(_figures(r, keys, figures), index=False).sum()
        groups.setdefault(str(digest), []).append(r)
    claims: dict[int, set[str]] = {}
    for digest, members in groups.items():
        for r in members:
            claims.setdefault(_year(r), set()).add(digest)
    log: list[dict] = []
    chosen: dict[int, list[ReadResult]] = {}
    for digest, members in groups.items():
        years = sorted({_year(r) for r in members})
        stated = sorted({_year(r) for r in members if r.year_from != "file name"})
        free = [y for y in years if claims[y] == {digest}]
        year = stated[0] if len(stated) == 1 else free[0] if len(free) == 1 and len(years) > 1 else None
        if year is None and len(years) == 1:
            year = years[0]
        if year is None:
            names = ", ".join(f"{r.source_file} ({_year(r)}, from its {r.year_from})" for r in members)
            raise SourceFormatError(
                members[0].source_file,
                f"the same figures are in {names}: cannot tell which year they are; remove the misnamed copy",
            )
        keep = next(r for r in members if _year(r) == year)
        for r in members:
            if r is not keep:
                log.append(_duplicate_row(r, f"same figures as {keep.source_file}, loaded once as {year}"))
        chosen.setdefault(year, []).append(keep)
    kept: list[ReadResult] = []
    for year, files in sorted(chosen.items()):
        files.sort(key=lambda r: -len(r.frame))
        largest = files[0]
        kept.append(largest)
        big = _figures(largest, keys, figures)
        for r in files[1:]:
            small = _figures(r, keys, figures)
            if len(small.merge(big, on=keys + figures)) != len(small):
                raise SourceFormatError(
                    r.source_file,
                    f"claims the year {year} ({r.year_from}) like {largest.source_file} ({largest.year_from}), "
                    f"with different figures ({_first_difference(r, largest, keys, figures)}); remove the wrong file",
                )
            log.append(_duplicate_row(r, f"all {len(r.frame)} units are also in {largest.source_file}, which is used"))
    kept += [r for r in results if not len(r.frame)]
    kept.sort(key=lambda r: r.source_file)
    return kept, log


def _duplicate_row(r: ReadResult, why: str) -> dict:
    return {
        "source_file": r.source_file,
        "rows_read": 0,
        "rows_loaded": 0,
        "rows_quarantined": 0,
        "note": NOT_LOADED_DUPLICATE + why,
    }
