"""The product check: nothing a person reads carries internal codes, English words, raw register IDs,
file paths or small counts that the small-number rule hides.

It reads every product under an output folder the way a reader sees it – the visible text of HTML
(scripts and styles dropped; ``alt``, ``title`` and ``aria-label`` kept), the text layer of PDFs (one
entry per page), workbook cells, slide text (frames, tables, speaker notes), SVG text and CSV cells – and
matches it against ``data/product_check_words.yaml``: internal codes (plus every method code of
:data:`praevention.stats.methods.LABELS`) as whole tokens, English words case-insensitively, and
labelled regular expressions (register IDs such as ``G07`` or ``K-M03``, derived IDs such as
``:gruendung``, placeholders, absolute paths, broken phrases). Tables (workbook sheets, CSV files) with a
level column (``Ebene``/``unit_level``) and a count column (``Anzahl``/``count``) must not give a
Gemeinde count of 1–2 as a number (:data:`praevention.render.fmt.SMALL_COUNT_LIMIT`).

The ``site`` asset runs it as a blocking check; the tests run it over the demo and a real run.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from praevention.render.fmt import SMALL_COUNT_LIMIT
from praevention.stats.methods import LABELS as METHOD_LABELS

WORDS = Path(__file__).resolve().parents[2] / "data" / "product_check_words.yaml"
CHECKED = {".html", ".pdf", ".xlsx", ".pptx", ".svg", ".csv"}
LEVEL_HEADERS = {"Ebene", "unit_level", "ebene"}
COUNT_HEADERS = {"Anzahl", "count", "anzahl"}
#: columns whose point is an identifier (register IDs, warehouse column names): there, only paths, placeholders
#: and broken phrases are problems
CODE_COLUMNS = {"Spalte im Warehouse", "Kennzahl (Schlüssel)", "kennzahl", "spalte"}
ALLOWED_IN_CODE_COLUMNS = {"Register-ID", "interner Code", "englisches Wort"}


@dataclass(frozen=True)
class Problem:
    """One finding: the file (relative to the output folder), where in it, what kind, the text found."""

    file: str
    where: str
    kind: str
    text: str

    def line(self) -> str:
        return f"{self.file} ({self.where}): {self.kind}: {self.text}"


@dataclass(frozen=True)
class Rules:
    codes: re.Pattern[str]
    english: re.Pattern[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    def find(self, text: str) -> Iterator[tuple[str, str]]:
        for m in self.codes.finditer(text):
            yield "interner Code", m.group(0)
        for m in self.english.finditer(text):
            yield "englisches Wort", m.group(0)
        for label, pattern in self.patterns:
            for m in pattern.finditer(text):
                yield label, m.group(0).strip() or repr(m.group(0))


@cache
def rules(path: Path = WORDS) -> Rules:
    """The compiled word list (``data/product_check_words.yaml``)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = sorted({*doc["codes"], *(k for k in METHOD_LABELS if "_" in k)}, key=len, reverse=True)
    english = sorted({str(w) for w in doc["english"]}, key=len, reverse=True)
    return Rules(
        codes=re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, codes)) + r")(?![\w-])"),
        english=re.compile(
            r"(?<![\wÄÖÜäöüß-])(?:"
            + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in english)
            + r")(?![\wäöüß-])",
            re.IGNORECASE,
        ),
        patterns=tuple((p["label"], re.compile(p["regex"], re.MULTILINE)) for p in doc["patterns"]),
    )


class _Visible(HTMLParser):
    """The text a reader sees in an HTML page, with the alternative texts of images and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("alt", "title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


Piece = tuple[str, str]  # (where, text)
Table = tuple[str, list[list[object]]]  # (sheet name, rows including the header)


def _html(path: Path) -> list[Piece]:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return [("Text", " ".join(parser.parts))]


def _svg(path: Path) -> list[Piece]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [("Text", " ".join(re.findall(r"<text[^>]*>([^<]+)</text>", text)))]


def _pdf(path: Path) -> list[Piece]:
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-q", "-layout", str(path), "-"], capture_output=True, check=True)  # noqa: S603,S607
        pages = done.stdout.decode("utf-8", errors="replace").split("\f")
    else:
        from pypdf import PdfReader

        pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    # a word hyphenated at a line end goes on in the next line (in a table cell, after other columns): the
    # part before the soft hyphen is no word of its own ("Speed\u00ad" of "Speedmarathon")
    pages = [re.sub(r"\w+\u00ad", " ", page) for page in pages]
    return [(f"Seite {i}", page) for i, page in enumerate(pages, start=1) if page.strip()]


def _pptx(path: Path) -> list[Piece]:
    from pptx import Presentation

    out = []
    for i, slide in enumerate(Presentation(path).slides, start=1):
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            descr = shape._element.xpath("./*[1]/p:cNvPr/@descr")  # alt text of pictures
            texts += [str(d) for d in descr]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        out.append((f"Folie {i}", "\n".join(texts)))
    return out


def _xlsx_tables(path: Path) -> list[Table]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def _csv_tables(path: Path) -> list[Table]:
    text = path.read_text(encoding="utf-8-sig")
    head = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=head.count)  # the header names the columns: its separator is the file's
    return [("", [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])]


def _column(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _table_pieces(tables: list[Table]) -> tuple[list[Piece], list[Piece]]:
    """The cells' text, and separately the cells of code columns (header ending in ``-ID``, or one of
    :data:`CODE_COLUMNS`), where an identifier is the point of the column."""
    out, ids = [], []
    for sheet, rows in tables:
        prefix = f"Blatt {sheet}, " if sheet else ""
        if sheet:
            out.append((f"{prefix}Name", sheet))
        id_cols = {
            j
            for j, h in enumerate(rows[0] if rows else [])
            if str(h or "").endswith(("-ID", "_id")) or h in CODE_COLUMNS
        }
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if v is not None and not isinstance(v, int | float) and str(v).strip():
                    (ids if i > 1 and j in id_cols else out).append((f"{prefix}Zelle {_column(j)}{i}", str(v)))
    return out, ids


def _number(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str) and re.fullmatch(r"\d+", v.strip()):
        return float(v)
    return None


def small_counts(tables: list[Table]) -> list[Piece]:
    """Cells that give a Gemeinde count of 1–2 as a number (a table with a level and a count column)."""
    out = []
    for sheet, rows in tables:
        if not rows:
            continue
        head = [str(h or "") for h in rows[0]]
        level = next((i for i, h in enumerate(head) if h in LEVEL_HEADERS), None)
        count = next((i for i, h in enumerate(head) if h in COUNT_HEADERS), None)
        if level is None or count is None:
            continue
        for i, row in enumerate(rows[1:], start=2):
            if len(row) <= max(level, count) or row[level] != "Gemeinde":
                continue
            n = _number(row[count])
            if n is not None and 0 < n < SMALL_COUNT_LIMIT:
                prefix = f"Blatt {sheet}, " if sheet else ""
                out.append((f"{prefix}Zelle {_column(count)}{i}", f"Gemeinde-Anzahl {n:g}"))
    return out


def check_file(path: Path, root: Path, word_rules: Rules | None = None) -> list[Problem]:
    """Every problem in one product file."""
    r = word_rules or rules()
    name = str(path.relative_to(root))
    suffix = path.suffix.lower()
    problems: list[Problem] = []
    if suffix in (".xlsx", ".csv"):
        tables = _xlsx_tables(path) if suffix == ".xlsx" else _csv_tables(path)
        pieces, ids = _table_pieces(tables)
        problems += [Problem(name, where, "Kleinzahl veröffentlicht", text) for where, text in small_counts(tables)]
        problems += [
            Problem(name, where, kind, found)
            for where, text in ids
            for kind, found in r.find(text)
            if kind not in ALLOWED_IN_CODE_COLUMNS
        ]
    else:
        reader = {".html": _html, ".svg": _svg, ".pdf": _pdf, ".pptx": _pptx}[suffix]
        pieces = reader(path)
    for where, text in pieces:
        problems += [Problem(name, where, kind, found) for kind, found in r.find(text)]
    return problems


def product_files(out_dir: Path) -> list[Path]:
    """The files people read below ``out_dir`` (not the run's state, not the demo's raw inputs)."""
    return [
        p
        for p in sorted(Path(out_dir).rglob("*"))
        if p.is_file()
        and p.suffix.lower() in CHECKED
        and not any(part.startswith(".") or part == "rohdaten" for part in p.relative_to(out_dir).parts)
    ]


def check_products(out_dir: Path) -> tuple[list[Problem], int]:
    """All problems in the products below ``out_dir``, and how many files were read."""
    out_dir = Path(out_dir)
    files = product_files(out_dir)
    word_rules = rules()

    def one(path: Path) -> list[Problem]:
        try:
            return check_file(path, out_dir, word_rules)
        except (FileNotFoundError, subprocess.CalledProcessError):
            if path.exists():
                raise
            return []  # removed meanwhile by the privacy scan, which reports it

    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs outside the GIL
        found = list(pool.map(one, files))
    return [p for problems in found for p in problems], len(files)


def main(argv: list[str] | None = None) -> int:
    """``python -m praevention.render.product_check OUT``: print every problem, exit 1 when there is one."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    problems, n = check_products(Path(args[0]))
    sys.stdout.writelines(p.line() + "\n" for p in problems)
    sys.stderr.write(f"{n} files read, {len(problems)} problems\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
