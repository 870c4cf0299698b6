"""Render caches: an incremental run keeps the files whose content would not change and re-renders the rest."""

from __future__ import annotations

import os
from pathlib import Path

import plotly.graph_objects as go
import pytest

from praevention.digest import content_key
from praevention.publish import extract
from praevention.publish import privacy_scan as privacy
from praevention.render import steckbrief
from praevention.render.cache import RenderCache, retire_files
from praevention.render.export import Export, export_static
from tests.render.synthetic_land import make_report_data


def test_a_file_is_fresh_only_with_its_key_and_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "a.svg"
    target.write_text("<svg/>")
    cache = RenderCache(tmp_path / ".cache" / "x.cache.json")
    assert not cache.fresh(target, "k1")
    cache.record(target, "k1")
    cache.save()
    again = RenderCache(tmp_path / ".cache" / "x.cache.json")
    assert again.fresh(target, "k1") and not again.fresh(target, "k2")
    target.write_text("<svg>edited by hand</svg>")  # other size: no longer the file that was written
    assert not again.fresh(target, "k1")
    target.unlink()
    assert not again.fresh(target, "k1")
    (tmp_path / ".cache" / "x.cache.json").write_text("{not json")
    assert RenderCache(tmp_path / ".cache" / "x.cache.json").entries == {}
    assert content_key("ab", "c") != content_key("a", "bc")


def test_unchanged_figures_do_not_start_kaleido(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def figure(y: list[int]) -> go.Figure:
        return go.Figure(go.Bar(x=["a", "b"], y=y), layout={"title": "Fälle"})

    cache = RenderCache(tmp_path / ".cache" / "c.json")
    first = export_static([Export(figure([1, 2]), tmp_path / "chart")], formats=("svg",), cache=cache)
    assert first == [tmp_path / "chart.svg"] and first[0].exists()

    import kaleido

    class NoBrowser:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("kaleido started although nothing changed")

    monkeypatch.setattr(kaleido, "Kaleido", NoBrowser)
    assert export_static([Export(figure([1, 2]), tmp_path / "chart")], formats=("svg",), cache=cache) == first
    hover = figure([1, 2]).update_traces(hovertext=["neu", "neu"])  # not in a static image
    assert export_static([Export(hover, tmp_path / "chart")], formats=("svg",), cache=cache) == first
    labelled = figure([1, 2]).update_traces(text=["1", "2"])  # bar labels are drawn
    with pytest.raises(AssertionError, match="kaleido started"):
        export_static([Export(labelled, tmp_path / "chart")], formats=("svg",), cache=cache)
    with pytest.raises(AssertionError, match="kaleido started"):
        export_static([Export(figure([1, 3]), tmp_path / "chart")], formats=("svg",), cache=cache)


def test_only_changed_fact_sheets_are_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_report_data(8, synthetic=True)
    cache = RenderCache(tmp_path / ".cache" / "fact_sheets.cache.json")
    files = steckbrief.render_fact_sheets(data, tmp_path, workers=1, cache=cache)
    pdfs = sorted(p for p in files if p.suffix == ".pdf")
    assert len(pdfs) == len(steckbrief.sheet_specs(data))
    assert not any(p.name.startswith("gremium_K-") for p in pdfs)  # placeholders get no sheet

    compiled: list[str] = []
    real = steckbrief._compile_batch

    def counting(base: str, batch: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
        compiled.extend(stem for stem, _ in batch)
        return real(base, batch)

    monkeypatch.setattr(steckbrief, "_compile_batch", counting)
    html = sorted(p for p in files if p.suffix == ".html")
    for p in html:  # an old time stamp: a rewrite would show
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    assert steckbrief.render_fact_sheets(data, tmp_path, workers=1, cache=cache) == files
    assert compiled == []
    assert all(p.stat().st_mtime_ns == 1_000_000_000 for p in html)  # same content: not written again
    data.bodies.loc[data.bodies["body_id"] == "G07", "name"] = "Runder Tisch Quedlinburg (umbenannt)"
    renamed = steckbrief.render_fact_sheets(data, tmp_path, workers=1, cache=cache)
    assert any(stem.startswith("gremium_G07") for stem in compiled)
    assert len(compiled) < len(pdfs) // 2
    written = [p.name for p in renamed if p.suffix == ".html" and p.stat().st_mtime_ns != 1_000_000_000]
    assert any(name.startswith("gremium_G07") for name in written) and len(written) < len(html) // 2


def test_privacy_scan_rereads_only_changed_files_and_never_caches_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.html").write_text("<p>Kriminalität</p>", encoding="utf-8")
    (out / "b.html").write_text("<p>kontakt: erika@example.org</p>", encoding="utf-8")
    cache = out / ".cache" / "privacy.json"
    read: list[str] = []
    real = extract.extract

    def counting(path: Path) -> extract.Content:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(extract, "extract", counting)
    findings, _ = privacy.scan(out, set(), cache=cache)
    assert [f.file for f in findings] == ["b.html"] and sorted(read) == ["a.html", "b.html"]
    assert "erika" not in cache.read_text()
    read.clear()
    findings, _ = privacy.scan(out, set(), cache=cache)
    assert [f.file for f in findings] == ["b.html"] and read == ["b.html"]
    read.clear()
    (out / "a.html").write_text("<p>Kriminalität</p>", encoding="utf-8")  # rewritten, same content
    os.utime(out / "a.html", ns=(1, 1))
    privacy.scan(out, set(), cache=cache)
    assert read == ["b.html"]
    read.clear()
    (out / "a.html").write_text("<p>Tel. 0391 540-1234</p>", encoding="utf-8")
    os.utime(out / "a.html")
    findings, _ = privacy.scan(out, set(), cache=cache)
    assert sorted(f.file for f in findings) == ["a.html", "b.html"] and sorted(read) == ["a.html", "b.html"]
    read.clear()
    privacy.scan(out, {"Erika Musterfrau"}, cache=cache)  # other names: everything is read again
    assert sorted(read) == ["a.html", "b.html"]
    read.clear()
    monkeypatch.setattr(privacy, "recogniser_version", lambda: "another recogniser")
    privacy.scan(out, {"Erika Musterfrau"}, cache=cache)  # another recogniser: everything is read again
    assert sorted(read) == ["a.html", "b.html"]


def test_files_a_product_no_longer_writes_are_removed(tmp_path: Path) -> None:
    for rel in ("steckbriefe/gremium_G07_alt.pdf", "steckbriefe/gremium_G07_neu.pdf", "karten/geteilt.png", "mine.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not the pipeline's")
    previous = [
        "steckbriefe/gremium_G07_alt.pdf",  # renamed since: removed
        "steckbriefe/gremium_G07_neu.pdf",  # written again: kept
        "karten/geteilt.png",  # another product lists it: kept
        "steckbriefe/schon_weg.pdf",  # already gone: nothing to do
        f"../{outside.name}",  # a tampered state file: never outside the output folder
    ]
    gone = retire_files(tmp_path, previous, [tmp_path / "steckbriefe/gremium_G07_neu.pdf"], keep=["karten/geteilt.png"])
    assert gone == [tmp_path / "steckbriefe/gremium_G07_alt.pdf"]
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "karten/geteilt.png",
        "mine.txt",
        "steckbriefe/gremium_G07_neu.pdf",
    ]
    assert outside.exists()


def test_interactive_maps_are_written_only_when_their_content_changes(tmp_path: Path) -> None:
    from praevention.render.export import write_html

    def figure(y: list[int]) -> go.Figure:
        return go.Figure(go.Bar(x=["a", "b"], y=y))

    path = write_html(figure([1, 2]), tmp_path / "karte.html")
    bundle = tmp_path / "plotly.min.js"
    assert bundle.stat().st_size > 1_000_000 and 'src="plotly.min.js"' in path.read_text(encoding="utf-8")
    for p in (path, bundle):
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    write_html(figure([1, 2]), path)
    assert path.stat().st_mtime_ns == bundle.stat().st_mtime_ns == 1_000_000_000
    write_html(figure([1, 3]), path)
    assert path.stat().st_mtime_ns != 1_000_000_000 and bundle.stat().st_mtime_ns == 1_000_000_000


def test_cache_names_files_relative_to_the_output_folder(tmp_path) -> None:
    """No absolute path in the state folder: the output folder can be moved with its caches."""
    from praevention.render.cache import RenderCache

    out = tmp_path / "reports"
    target = out / "karten" / "a.html"
    target.parent.mkdir(parents=True)
    target.write_text("x")
    cache = RenderCache(out / ".cache" / "maps.cache.json")
    cache.record(target, "k")
    cache.save()
    text = (out / ".cache" / "maps.cache.json").read_text()
    assert str(tmp_path) not in text and "karten/a.html" in text
    moved = tmp_path / "moved"
    out.rename(moved)
    assert RenderCache(moved / ".cache" / "maps.cache.json").fresh(moved / "karten" / "a.html", "k")
