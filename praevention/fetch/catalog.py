"""The source catalogue (``data/sources.yaml``): one declarative file, expanded into downloads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from praevention.config import PROJECT_ROOT
from praevention.errors import PipelineError

CATALOGUE = PROJECT_ROOT / "data" / "sources.yaml"


@dataclass(frozen=True)
class Download:
    source: str
    year: int
    url: str
    target: str  # path below the raw-data directory
    sha256: str | None
    landing: str


@dataclass(frozen=True)
class Manual:
    """A source without a verified download URL: to be fetched by hand from its landing page."""

    source: str
    title: str
    landing: str
    folder: str


def parse_years(text: str) -> list[int]:
    """``"2014-2016,2019"`` → ``[2014, 2015, 2016, 2019]``."""
    years: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError as exc:
            raise PipelineError(f"years must look like 2014-2024 or 2019,2021, got {text!r}") from exc
        if a > b or not (1990 <= a <= 2100 and 1990 <= b <= 2100):
            raise PipelineError(f"implausible year range {part!r} in {text!r}")
        years.update(range(a, b + 1))
    return sorted(years)


def load_catalogue(
    path: Path = CATALOGUE, *, years: list[int], sources: list[str] | None = None
) -> tuple[list[Download], list[Manual]]:
    """The downloads for ``years`` (and ``sources``, default all) and the sources to fetch by hand."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    unknown = sorted(set(sources or []) - set(doc))
    if unknown:
        raise PipelineError(f"unknown source(s) {', '.join(unknown)}; the catalogue {path} has {', '.join(doc)}")
    downloads, manual = [], []
    for name, spec in doc.items():
        if sources and name not in sources:
            continue
        if "manual" in spec:
            manual.append(Manual(name, spec["title"], spec["landing"], spec["manual"]))
            continue
        digests = {int(k): v for k, v in (spec.get("sha256") or {}).items()}
        for entry in spec["files"]:
            for year in parse_years(entry["years"]):
                if year in years:
                    downloads.append(
                        Download(
                            name,
                            year,
                            entry["url"].format(year=year),
                            entry["target"].format(year=year),
                            digests.get(year),
                            spec["landing"],
                        )
                    )
    return sorted(downloads, key=lambda d: (d.source, d.year)), manual


def mirrored(url: str, mirror: str | None) -> str:
    """The URL on a mirror that keeps the official paths: ``{mirror}/{host}{path}?{query}``."""
    if not mirror:
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}{query}"
