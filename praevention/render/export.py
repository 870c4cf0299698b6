"""Static and interactive export of plotly figures.

Static images go through kaleido in one browser session with two pages for the whole batch (kaleido's
async API), not one browser per figure. PNGs are rendered at three times the CSS layout size and tagged
300 dpi: a 1000 × 563 layout becomes a 3000 × 1689 px image of 10 × 5,6 inches (16:9). SVGs keep the
layout size. Interactive HTML shares one ``plotly.min.js`` in its folder and works offline.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import struct
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from praevention.digest import content_key
from praevention.files import atomic_target, write_atomic
from praevention.render.cache import RenderCache, write_if_changed

PNG_SCALE = 3
DPI = 300
HOVER_ONLY = {"hovertext", "hovertemplate", "hoverinfo", "hoverlabel", "hoveron", "customdata"}


@dataclass(frozen=True)
class Export:
    figure: go.Figure
    stem: Path  # path without suffix
    width: int = 1000  # CSS pixels (16:9 by default): PNG 3000 × 1689 px = 10 × 5,6 in at 300 dpi
    height: int = 563


def set_png_dpi(path: Path, dpi: int = DPI) -> None:
    """Write a pHYs chunk (pixels per metre) right after the PNG header chunk."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    ihdr_end = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
    chunks, pos = [], ihdr_end
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind != b"pHYs":
            chunks.append(data[pos : pos + 12 + length])
        pos += 12 + length
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    write_atomic(path, data[:ihdr_end] + phys + b"".join(chunks))


#: files kaleido writes per call in its session (progress is reported after each call)
FILES_PER_CALL = 8


def export_static(
    items: list[Export],
    formats: tuple[str, ...] = ("png", "svg"),
    cache: RenderCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write every figure in every format through one kaleido session; returns the files.

    With a ``cache``, a file whose figure, size and format are unchanged since it was written is kept,
    and kaleido (seconds of browser start-up) only starts when some file must be written.
    ``progress(done, total)`` is called as files are written.
    """
    from importlib.metadata import version

    import kaleido

    cache = cache or RenderCache(None)
    renderer = content_key(Path(__file__).read_bytes(), version("plotly"), version("kaleido"))
    specs, files, keys = [], [], {}
    for item in items:
        item.stem.parent.mkdir(parents=True, exist_ok=True)
        figure = _stable_uids(item.figure)
        figure_json = static_json(figure) if cache.path else ""
        figure_dict = None  # serialised once per figure, and only when some format of it must be written
        for f in formats:
            path = item.stem.with_suffix(f".{f}")
            opts = {"format": f, "width": item.width, "height": item.height, "scale": PNG_SCALE if f == "png" else 1}
            files.append(path)
            keys[path] = content_key(renderer, figure_json, json.dumps(opts, sort_keys=True))
            if not cache.fresh(path, keys[path]):
                figure_dict = figure_dict or figure.to_dict()
                specs.append({"fig": figure_dict, "path": str(path), "opts": opts})
    report = progress or (lambda done, total: None)
    report(len(files) - len(specs), len(files))
    if not specs:
        return files
    with contextlib.ExitStack() as stack:
        # kaleido writes into temporary files beside the targets; each replaces its target once complete
        partial = {Path(s["path"]): stack.enter_context(atomic_target(Path(s["path"]))) for s in specs}
        for spec in specs:
            spec["path"] = str(partial[Path(spec["path"])])

        async def run() -> None:
            async with kaleido.Kaleido(n=2) as k:
                for i in range(0, len(specs), FILES_PER_CALL):
                    await k.write_fig_from_object(specs[i : i + FILES_PER_CALL])
                    report(len(files) - len(specs) + min(i + FILES_PER_CALL, len(specs)), len(files))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kaleido warns about its own browser discovery
            asyncio.run(run())
        for path, tmp in partial.items():
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise RuntimeError(f"kaleido did not write {path}")
            if path.suffix == ".png":
                set_png_dpi(tmp)
            else:
                stable_svg_ids(tmp, name=path)
    for path in partial:
        cache.record(path, keys[path])
    return files


def static_json(figure: go.Figure) -> str:
    """The figure as far as a static image shows it: without hover-only properties (and the ``text`` of
    scatter traces that do not draw it), so that a change to hover text alone – a measure's title on
    the overview map – does not start kaleido to write the same image again."""
    fig = figure.to_plotly_json()
    fig["data"] = [
        {
            k: v
            for k, v in trace.items()
            if k not in HOVER_ONLY
            and not (
                k == "text" and trace.get("type", "scatter") == "scatter" and "text" not in (trace.get("mode") or "")
            )
        }
        for trace in fig["data"]
    ]
    return pio.to_json(fig, validate=False)


def _stable_uids(fig: go.Figure) -> go.Figure:
    """plotly gives every trace a random uid, which ends up in SVG class names: number them instead."""
    for i, trace in enumerate(fig.data):
        trace.uid = f"t{i}"
    return fig


def _stable_id(path: Path) -> str:
    return hashlib.sha1(path.stem.encode(), usedforsecurity=False).hexdigest()[:6]


def stable_svg_ids(path: Path, name: Path | None = None) -> None:
    """plotly.js names the SVG's clip paths and defs after a random 6-hex id; replace it with one derived
    from the file name (``name``, default ``path``), so that re-runs write identical files (and ids stay
    unique across figures)."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r'id="defs-([0-9a-f]{6})"', text)
    if found:
        write_atomic(path, text.replace(found.group(1), _stable_id(name or path)))


def write_html(fig: go.Figure, path: Path) -> Path:
    """Interactive HTML; plotly.js once per folder (``include_plotlyjs='directory'``), works offline.
    Files are written only when their content changed (an incremental run leaves the others alone)."""
    from plotly.offline import get_plotlyjs

    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path.parent / "plotly.min.js", get_plotlyjs())  # the installed plotly's bundle
    div_id = f"karte-{_stable_id(path)}"  # not a random uuid: re-runs write identical files
    # the page fills the browser window: the figure takes the window's size, not the export's
    window = go.Figure(_stable_uids(fig))
    window.update_layout(width=None, height=None, autosize=True)
    html = window.to_html(
        include_plotlyjs="directory",
        full_html=True,
        config={"locale": "de", "displaylogo": False, "responsive": True},
        div_id=div_id,
        default_width="100%",
        default_height="100%",
    )
    # what the figure shows, for screen readers: its title and the notes of its footnote
    description = escape(figure_description(fig))
    described = f'<div id="{div_id}" role="figure" aria-label="{description}"'
    html = html.replace(f'<div id="{div_id}"', described, 1)
    title = escape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", figure_title(fig).split("<br>")[0])).strip())
    head = (
        f'<title>{title} – Präventionsmonitor</title><meta name="viewport" content="width=device-width, '
        'initial-scale=1"><style>html, body { height: 100%; margin: 0; } body > div { height: 100%; }</style>'
    )
    charset = '<meta charset="utf-8" />'
    html = html.replace("<html>", '<html lang="de">', 1).replace(charset, charset + head, 1)
    write_if_changed(path, html)
    return path


def figure_title(fig: go.Figure) -> str:
    """The title a figure was given (its one-line form where :func:`figures.base_layout` kept it)."""
    meta = fig.layout.meta
    return str(meta["title"]) if isinstance(meta, dict) and "title" in meta else str(fig.layout.title.text or "")


def figure_description(fig: go.Figure) -> str:
    """A figure's title and footnote as plain text (tags and line breaks removed), for ``aria-label``."""
    parts = [str(fig.layout.title.text or "")] + [
        str(a.text or "") for a in fig.layout.annotations if a.xref == "paper"
    ]
    text = " ".join(re.sub(r"<[^>]+>", " ", p) for p in parts)
    return re.sub(r"\s+", " ", text).strip()
