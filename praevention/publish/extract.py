"""The one text extractor for every product file: what the privacy scan and the product check read.

:func:`extract` returns a file's :class:`Content`: its text pieces, each with where it stands ("Seite 2",
"Folie 3", "Blatt Gremien, Zelle B4") and whether a reader sees it, and, for workbooks and CSV files, its
tables (the product check's small-number and code-column rules need rows and headers).

* **HTML**: visible text (scripts and styles dropped) with ``alt``, ``title`` and ``aria-label``;
  embedded data (scripts, JSON, every other attribute value such as links and ``data-*``, comments) as
  hidden pieces.
* **SVG**: the ``<text>`` elements; the rest of the file (titles, descriptions, metadata) as hidden piece.
* **PDF**: the text layer, one piece per page (poppler's ``pdftotext -layout``; pypdf where poppler is
  missing).
* **PPTX**: per slide the text of every shape, also inside groups, table cells, the alternative text of
  pictures and the speaker notes.
* **XLSX**: every sheet's name and cells (calamine), cell comments (also threaded ones) and the document
  properties as hidden pieces.
* **CSV**: the rows, read by Python's CSV reader with the file's delimiter.

The privacy scan reads every piece and every cell; the product check reads what a reader sees.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

from praevention.digest import content_key
from praevention.render.cache import RenderCache

T = TypeVar("T")
#: the file types people read, and which the extractor reads
EXTRACTED = (".html", ".pdf", ".xlsx", ".pptx", ".svg", ".csv")

Table = tuple[str, list[list[object]]]  # (sheet name, rows including the header; "" for a CSV file)


@dataclass(frozen=True)
class Piece:
    """A piece of a file's text: where it stands, the text, and whether a reader sees it (``False``: embedded
    data, comments, metadata)."""

    where: str
    text: str
    visible: bool = True


@dataclass
class Content:
    pieces: list[Piece] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def texts(self) -> Iterator[Piece]:
        """Every piece of text, the cells of the tables included (for the privacy scan)."""
        yield from self.pieces
        for sheet, rows in self.tables:
            prefix = f"Blatt {sheet}, " if sheet else ""
            for i, row in enumerate(rows, start=1):
                for j, v in enumerate(row):
                    if isinstance(v, str) and v.strip():
                        yield Piece(f"{prefix}Zelle {column_letter(j)}{i}", v)


def column_letter(col: int) -> str:
    """The spreadsheet column of a 0-based index (0 → A, 27 → AB)."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


class _Html(HTMLParser):
    """Visible text with the alternative texts of images and links, and separately everything embedded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for k, v in attrs:
            if v:
                (self.visible if k in ("alt", "title", "aria-label") else self.hidden).append(v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        (self.hidden if self._skip else self.visible).append(data.strip())

    def handle_comment(self, data: str) -> None:
        self.hidden.append(data)


def _html(path: Path) -> Content:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return Content(
        [Piece("Text", " ".join(parser.visible)), Piece("eingebettete Daten", "\n".join(parser.hidden), False)]
    )


_SVG_TEXT = re.compile(r"<text[^>]*>([^<]+)</text>")


def _svg(path: Path) -> Content:
    text = path.read_text(encoding="utf-8", errors="replace")
    visible = " ".join(html.unescape(t) for t in _SVG_TEXT.findall(text))
    rest = html.unescape(re.sub(r"<[^>]+>", " ", _SVG_TEXT.sub(" ", text)))
    attributes = " ".join(html.unescape(v) for v in re.findall(r'="([^"]*)"', text))
    return Content([Piece("Text", visible), Piece("eingebettete Daten", f"{rest}\n{attributes}", False)])


def _pdf(path: Path) -> Content:
    if shutil.which("pdftotext"):  # poppler: about ten times faster than pypdf on 200+ fact sheets
        done = subprocess.run(["pdftotext", "-q", "-layout", str(path), "-"], capture_output=True, check=True)  # noqa: S603,S607
        pages = done.stdout.decode("utf-8", errors="replace").split("\f")
    else:
        from pypdf import PdfReader

        pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    # a word hyphenated at a line end goes on in the next line (in a table cell, after other columns): the
    # part before the soft hyphen is no word of its own ("Speed\u00ad" of "Speedmarathon")
    pages = [re.sub(r"\w+\u00ad", " ", page) for page in pages]
    return Content([Piece(f"Seite {i}", page) for i, page in enumerate(pages, start=1) if page.strip()])


def _shape_texts(shapes) -> Iterator[str]:
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
        if shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            yield from (cell.text for row in shape.table.rows for cell in row.cells)
        yield from (str(d) for d in shape._element.xpath("./*[1]/p:cNvPr/@descr"))  # alt text
        yield from (str(d) for d in shape._element.xpath("./*[1]/p:cNvPr/@title"))


def _pptx(path: Path) -> Content:
    from pptx import Presentation

    pieces = []
    for i, slide in enumerate(Presentation(path).slides, start=1):
        texts = list(_shape_texts(slide.shapes))
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        pieces.append(Piece(f"Folie {i}", "\n".join(t for t in texts if t)))
    return Content(pieces)


def _xlsx(path: Path) -> Content:
    """Every cell value (calamine: a tenth of openpyxl's time on the ministry workbook), every cell comment
    (``xl/comments1.xml`` as Excel writes them, ``xl/comments/comment1.xml`` as openpyxl does, threaded
    comments) and the document properties."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    tables: list[Table] = [
        (name, [[None if v == "" else v for v in row] for row in book.get_sheet_by_name(name).to_python()])
        for name in book.sheet_names
    ]
    pieces = [Piece(f"Blatt {name}, Name", name) for name in book.sheet_names]
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            if re.fullmatch(r"xl/(threaded)?comments.*\.xml|docProps/(core|app|custom)\.xml", member, flags=re.I):
                text = html.unescape(re.sub(r"<[^>]+>", " ", z.read(member).decode("utf-8", errors="replace")))
                pieces.append(Piece(member, " ".join(text.split()), False))
    return Content(pieces, tables)


def _csv(path: Path) -> Content:
    text = path.read_text(encoding="utf-8-sig")
    head = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=head.count)  # the header names the columns: its separator is the file's
    return Content([], [("", [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])])


READERS = {".html": _html, ".svg": _svg, ".pdf": _pdf, ".pptx": _pptx, ".xlsx": _xlsx, ".csv": _csv}


def extract(path: Path) -> Content:
    """The content of one product file (:data:`EXTRACTED` types)."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ValueError(f"no text extractor for {path.suffix}")
    return READERS[suffix](path)


def product_files(folder: Path) -> list[Path]:
    """The files people read below ``folder`` (not the run's state or caches in dot folders, not the demo's
    raw inputs)."""
    return [
        p
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
        and p.suffix.lower() in EXTRACTED
        and not any(part.startswith(".") or part == "rohdaten" for part in p.relative_to(folder).parts)
    ]


def judge_files(
    folder: Path,
    judge: Callable[[Content, str], list[T]],
    *,
    files: Iterable[Path] | None = None,
    cache: Path | None = None,
    key: str = "",
) -> tuple[list[T], list[Path]]:
    """``judge(content, name)`` over every product file below ``folder`` (or ``files``), each file extracted
    once; returns the findings and the files judged.

    With ``cache`` (a JSON file), a file whose SHA-256 and ``key`` (what decides a finding: the rules'
    version, the names looked for) are those of a file without findings in an earlier call is not read
    again. Files with findings are never cached, and the cache holds no text of any file.
    """
    folder = Path(folder)
    paths = sorted(files) if files is not None else product_files(folder)
    known = RenderCache(cache)
    keys = {p: content_key(p.read_bytes(), key) for p in paths} if cache is not None else {}
    todo = [p for p in paths if p not in keys or not known.holds(p, keys[p])]

    def one(path: Path) -> list[T]:
        return judge(extract(path), path.relative_to(folder).as_posix())

    found: list[T] = []
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs outside the GIL
        for p, result in zip(todo, pool.map(one, todo), strict=True):
            found += result
            if not result and p in keys:
                known.record(p, keys[p])
    known.save()
    return found, paths
