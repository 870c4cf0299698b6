"""The publication step: an output folder that stays the user's where it is not the project's, a staged
publication that touches only the files of its manifest, one extractor that reads everything a reader
(and a leak) can hide in, and formulas neutralised in every table written."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from pptx import Presentation
from pptx.util import Inches

from pipelines.cli import main
from praevention.errors import PipelineError
from praevention.publish import extract
from praevention.publish.output import MANIFEST, claim, publish, read_manifest, remove_partial_files
from praevention.publish.privacy_scan import scan
from praevention.publish.product_check import check_file
from praevention.publish.review import review
from praevention.render.data import is_placeholder
from praevention.render.opendata import write_open_data
from praevention.render.workbook import write_workbook
from tests.render.conftest import Rendered
from tests.render.synthetic_land import make_report_data


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _users_folder(tmp_path: Path) -> Path:
    mine = tmp_path / "mine"
    (mine / "Protokolle").mkdir(parents=True)
    (mine / "Protokolle" / "adressen.csv").write_text("Name;Telefon\nMax Muster;0391 1234567\n", encoding="utf-8")
    (mine / "index.html").write_text("<html><body>Unsere Seite</body></html>", encoding="utf-8")
    return mine


# ---------------------------------------------------------------------------------- claiming the folder
def test_a_new_or_empty_folder_is_claimed_with_a_manifest(tmp_path: Path) -> None:
    new = claim(tmp_path / "neu" / "berichte")
    assert (new / MANIFEST).is_file() and read_manifest(new).files == {}
    (tmp_path / "leer").mkdir()
    (tmp_path / "leer" / ".gitkeep").touch()  # the project's own reports/ keeps its place in git so
    assert (claim(tmp_path / "leer") / MANIFEST).is_file()
    assert claim(new) == new  # the project's own folder, again


def test_a_foreign_folder_a_file_and_the_raw_data_are_refused_untouched(tmp_path: Path) -> None:
    mine = _users_folder(tmp_path)
    before = _tree(mine)
    with pytest.raises(PipelineError, match=r"nicht vom Präventionsmonitor stammen \(Protokolle, index\.html\)"):
        claim(mine)
    assert _tree(mine) == before and not (mine / MANIFEST).exists()
    with pytest.raises(PipelineError, match="nennt eine Datei, keinen Ordner"):
        claim(mine / "index.html")
    raw = tmp_path / "rohdaten"
    raw.mkdir()
    for out in (raw, raw / "berichte"):
        with pytest.raises(PipelineError, match="Rohdatenordner"):
            claim(out, raw)
    assert list(raw.iterdir()) == []
    (tmp_path / "kaputt").mkdir()
    (tmp_path / "kaputt" / MANIFEST).write_text("{nicht json", encoding="utf-8")
    with pytest.raises(PipelineError, match="beschädigt"):
        claim(tmp_path / "kaputt")


@pytest.mark.parametrize("case", ["file", "foreign", "raw"])
def test_the_cli_stops_before_any_work_with_one_german_line(case: str, tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    (raw / "crime").mkdir(parents=True)
    mine = _users_folder(tmp_path)
    out = {"file": mine / "index.html", "foreign": mine, "raw": raw}[case]
    before = _tree(tmp_path)
    code = main(["run", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb"), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith(f"praevention: Fehler: {out}:"), err
    assert _tree(tmp_path) == before  # nothing written: no warehouse, no manifest, no staging in the folder


# ---------------------------------------------------------------------------------- publishing
def _stage(staging: Path, files: dict[str, str]) -> list[str]:
    for rel, text in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text, encoding="utf-8")
    return sorted(files)


def test_publication_touches_only_the_files_of_its_manifest(tmp_path: Path) -> None:
    staging, out = tmp_path / "staging", claim(tmp_path / "out")
    done = publish(staging, out, _stage(staging, {"index.html": "a", "steckbriefe/x.pdf": "b", "karten/k.svg": "c"}))
    assert done.written == ["index.html", "karten/k.svg", "steckbriefe/x.pdf"] and done.removed == []
    (out / "eigene_notizen.txt").write_text("meins", encoding="utf-8")  # the user's own file in the folder
    (out / "steckbriefe" / "anmerkung.txt").write_text("meins", encoding="utf-8")
    stamp = (out / "index.html").stat().st_mtime_ns
    (staging / "karten" / "k.svg").unlink()
    done = publish(staging, out, _stage(staging, {"index.html": "a", "steckbriefe/x.pdf": "b2"}))
    assert done.written == ["steckbriefe/x.pdf"] and done.removed == ["karten/k.svg"]
    assert (out / "index.html").stat().st_mtime_ns == stamp  # unchanged content: the file is not rewritten
    assert not (out / "karten").exists()  # emptied by the removal of the project's only file in it
    assert (out / "eigene_notizen.txt").read_text() == "meins" and (out / "steckbriefe" / "anmerkung.txt").exists()
    assert set(read_manifest(out).files) == {"index.html", "steckbriefe/x.pdf"}


def test_a_product_that_would_overwrite_a_foreign_file_publishes_nothing(tmp_path: Path) -> None:
    staging, out = tmp_path / "staging", claim(tmp_path / "out")
    publish(staging, out, _stage(staging, {"index.html": "a"}))
    (out / "bericht.pdf").write_text("des Nutzers", encoding="utf-8")
    before, manifest = _tree(out), (out / MANIFEST).read_text()
    with pytest.raises(PipelineError, match=r"bericht\.pdf gehört nicht dem Präventionsmonitor.*nichts veröffentlicht"):
        publish(staging, out, _stage(staging, {"index.html": "neu", "bericht.pdf": "ein Produkt"}))
    assert _tree(out) == before and (out / MANIFEST).read_text() == manifest


def test_a_publication_cut_short_is_completed_by_the_next(tmp_path: Path) -> None:
    staging, out = tmp_path / "staging", claim(tmp_path / "out")
    publish(staging, out, _stage(staging, {"index.html": "a"}))
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["in_arbeit"] = ["karten/neu.svg", "karten/alt.svg"]  # listed, then the run was killed
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "karten").mkdir()
    (out / "karten" / "neu.svg").write_text("halb", encoding="utf-8")
    (out / "karten" / "alt.svg").write_text("x", encoding="utf-8")
    done = publish(staging, out, _stage(staging, {"index.html": "a", "karten/neu.svg": "ganz"}))
    assert done.written == ["karten/neu.svg"] and done.removed == ["karten/alt.svg"]
    assert (out / "karten" / "neu.svg").read_text() == "ganz" and read_manifest(out).pending == []


def test_paths_outside_the_folder_are_never_touched(tmp_path: Path) -> None:
    staging, out = tmp_path / "staging", claim(tmp_path / "out")
    outside = tmp_path / "outside.txt"
    outside.write_text("fremd", encoding="utf-8")
    _stage(staging, {"index.html": "a"})
    with pytest.raises(PipelineError, match="liegt nicht im Ausgabeordner"):
        publish(staging, out, ["index.html", "../outside.txt"])
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["dateien"]["../outside.txt"] = {"sha256": "0", "size": 5, "mtime_ns": 0}  # a tampered manifest
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    publish(staging, out, _stage(staging, {"index.html": "a"}))
    assert outside.read_text() == "fremd"


def test_leftover_partial_files_are_removed_and_only_those(tmp_path: Path) -> None:
    staging, out = tmp_path / "staging", claim(tmp_path / "out")
    publish(staging, out, _stage(staging, {"steckbriefe/gemeinde_15003000_magdeburg.pdf": "a"}))
    left = [
        staging / "steckbriefe" / ".gemeinde_15003000_magdeburg.k2j4h5g6.partial.pdf",
        staging / "karten" / ".karte.abcdefgh.partial.png",
        out / "steckbriefe" / ".gemeinde_15003000_magdeburg.zz9_x8y7.partial.pdf",
    ]
    kept = [
        out / "steckbriefe" / ".fremd.abcdefgh.partial.pdf",
        out / ".notiz.partial.txt",
        staging / "karten" / "k.png",
    ]
    for p in [*left, *kept]:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    (staging / "ministerium" / ".partial-x1y2").mkdir(parents=True)  # a product's temporary folder
    gone = remove_partial_files(staging, out)
    assert sorted(gone) == sorted([*left, staging / "ministerium" / ".partial-x1y2"])
    assert all(p.exists() for p in kept) and not any(p.exists() for p in left)


# ---------------------------------------------------------------------------------- one extractor
def _deck(path: Path) -> Path:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Präventionsrat"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(1), Inches(4), Inches(1)).table
    table.cell(1, 1).text = "Tel. 0391 540-1234"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(3), Inches(2), Inches(1)).text_frame.text = "Zielgröße: speed"
    png = path.parent / "p.png"
    from PIL import Image

    Image.new("RGB", (4, 4), "white").save(png)
    picture = slide.shapes.add_picture(str(png), Inches(5), Inches(1))
    picture._element.xpath("./*[1]/p:cNvPr")[0].set("descr", "Foto: Erika Musterfrau")
    slide.notes_slide.notes_text_frame.text = "Rückfragen an erika.musterfrau@example.org"
    prs.save(path)
    return path


def test_one_extractor_reads_notes_tables_groups_and_alt_text(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "konferenz.pptx")
    found, _ = scan(tmp_path, {"Erika Musterfrau"})
    assert {f.kind for f in found} == {"phone", "email", "name"}
    assert {f.where.split(",")[0] for f in found} == {"Folie 1"}
    assert ("Folie 1", "englisches Wort") in {(p.where, p.kind) for p in check_file(deck, tmp_path)}  # in a group


def test_embedded_data_comments_and_properties_are_scanned(tmp_path: Path) -> None:
    (tmp_path / "karte.html").write_text(
        '<html><body><p>Karte</p><a href="https://x.de/?kontakt=beispielmann">Quelle</a>'
        '<script>var data = {"hover": "Kontakt: erika@example.org, geb. 03.04.1971"};</script></body></html>',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Tabelle"
    wb.active["A1"].comment = Comment("Rückfragen: IBAN DE89 3704 0044 0532 0130 00", "Redaktion")
    wb.properties.creator = "max.muster@example.org"
    wb.save(tmp_path / "tabellen.xlsx")
    found, _ = scan(tmp_path)
    kinds = {(f.file, f.kind) for f in found}
    assert {("karte.html", "url_query"), ("karte.html", "email"), ("karte.html", "birth_date")} <= kinds
    assert {("tabellen.xlsx", "iban"), ("tabellen.xlsx", "email")} <= kinds
    assert all("eingebettet" in f.where for f in found)  # none of it is visible text, all of it is published
    assert check_file(tmp_path / "karte.html", tmp_path) == []  # the script's code is no reader's text


def test_the_review_extracts_every_file_once(rendered: Rendered, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    shutil.copytree(rendered.out, out)
    read: list[str] = []
    real = extract.extract
    monkeypatch.setattr(extract, "extract", lambda p: read.append(p.name) or real(p))
    result = review(out, {"Erika Musterfrau"})
    assert result.findings == [] and result.problems == []
    assert sorted(read) == sorted(p.name for p in extract.product_files(out)) and len(read) == sum(
        result.coverage.values()
    )


# ---------------------------------------------------------------------------------- formulas
FORMULAS = ['=HYPERLINK("http://x")', "+SUM(1,2) Runde", "-2+3 Rat", "@WEBSERVICE(1)", "\tTab", "\rCR"]


def test_every_text_cell_of_the_csv_and_xlsx_outputs_is_neutralised(tmp_path: Path) -> None:
    data = make_report_data(6, synthetic=True)
    data.bodies.loc[: len(FORMULAS) - 1, "name"] = FORMULAS[: len(data.bodies)]
    files = write_open_data(data, tmp_path / "offene-daten")
    write_workbook(data, tmp_path / "tabellen.xlsx")
    cells = []
    for f in files:
        if f.suffix == ".csv":
            cells += [c for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8"))) for c in row]
    book = openpyxl.load_workbook(tmp_path / "tabellen.xlsx")
    cells += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells if c and c != "-")
    shown = [c for c in cells if c.startswith("'")]
    published = [v for v, b in zip(FORMULAS, data.bodies["body_id"], strict=False) if not is_placeholder(b)]
    assert published and {f"'{v}" for v in published} <= set(shown)  # placeholder bodies are not published
    assert [
        p
        for f in [*files, tmp_path / "tabellen.xlsx"]
        if f.suffix in (".csv", ".xlsx")
        for p in check_file(f, tmp_path)
        if p.kind == "Formel am Zellanfang"
    ] == []


def test_the_product_check_finds_a_formula_cell(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Name,Ebene\n+SUM(1;2),Kreis\n", encoding="utf-8")
    assert [(p.where, p.kind) for p in check_file(path, tmp_path)] == [("Zelle A2", "Formel am Zellanfang")]


def test_published_files_are_the_staged_ones(tmp_path: Path) -> None:
    """A product is rendered in the staging folder of the Dagster instance, never in the output folder."""
    from praevention import config

    out = tmp_path / "out"
    staging = config.staging_dir(out)
    assert not staging.is_relative_to(out) and config.dagster_home() in staging.parents
    assert config.staging_dir(tmp_path / "other") != staging
    assert os.fspath(staging).startswith(os.fspath(config.dagster_home()))
