"""The privacy scan over every product for people: no e-mail address, phone number or name from the
register's contact columns may appear in an output.

The ``site`` asset runs :func:`scan` as a blocking check after every run: each finding is reported with
its file, where in it (page or line) and its kind – never the text. :func:`register_contact_names` reads
the register's contact columns (which the register reader drops) only to know which names must not
appear in an output. The recognisers are :mod:`praevention.privacy`.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from praevention.digest import content_key
from praevention.privacy import KIND_LABELS, find_personal, is_personal
from praevention.register.read import read_register_file
from praevention.render.cache import RenderCache


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str  # email | phone | name
    text: str
    where: str = ""  # "Seite 2" in a PDF, "Zeile 14" of the file's text otherwise

    @property
    def label(self) -> str:
        """What kind of personal data, in German (the finding's text itself is never shown)."""
        return KIND_LABELS.get(self.kind, self.kind)


SCANNED = {".html", ".pdf", ".xlsx", ".pptx", ".svg", ".csv"}


def text_of(path: Path) -> str:
    """The human-visible text of one output file (and, for HTML, its embedded data)."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".svg"):
        return html.unescape(path.read_text(encoding="utf-8", errors="replace"))
    if suffix == ".csv":
        return "\n".join(";".join(r) for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if suffix == ".pdf":
        if shutil.which("pdftotext"):  # poppler: about ten times faster than pypdf on 200+ fact sheets
            done = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=True)  # noqa: S603,S607
            return done.stdout.decode("utf-8", errors="replace")
        from pypdf import PdfReader

        return "\f".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if suffix == ".xlsx":
        return _workbook_text(path)
    if suffix == ".pptx":
        from pptx import Presentation

        return "\n".join(
            run.text
            for slide in Presentation(path).slides
            for shape in slide.shapes
            if shape.has_text_frame
            for para in shape.text_frame.paragraphs
            for run in para.runs
        )
    raise ValueError(f"no text extractor for {path.suffix}")


def _workbook_text(path: Path) -> str:
    """Every cell value (calamine: a tenth of openpyxl's time on the ministry workbook) and the text of
    every cell comment (the comment parts of the zip: ``xl/comments1.xml`` as Excel writes them,
    ``xl/comments/comment1.xml`` as openpyxl does, and threaded comments)."""
    from python_calamine import CalamineWorkbook

    def cell(v: object) -> str:
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    book = CalamineWorkbook.from_path(str(path))
    parts = [
        cell(v)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for v in row
        if v not in (None, "")
    ]
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            if re.fullmatch(r"xl/(threaded)?comments.*\.xml", member, flags=re.IGNORECASE):
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", z.read(member).decode("utf-8", errors="replace"))))
    return "\n".join(parts)


def _where(text: str, pos: int) -> str:
    """Where in a file's text: the PDF page (pages are separated by form feeds) or the line."""
    if "\f" in text:
        return f"Seite {text.count(chr(12), 0, pos) + 1}"
    return f"Zeile {text.count(chr(10), 0, pos) + 1}"


def scan_text(text: str, names: set[str], file: str) -> list[Finding]:
    found = [Finding(file, kind, text[s:e], _where(text, s)) for kind, s, e in find_personal(text, ("email", "phone"))]
    folded = " ".join(text.split()).casefold()
    for n in sorted(names):
        if n.casefold() in folded:
            hit = text.casefold().find(n.casefold())
            found.append(Finding(file, "name", n, _where(text, hit) if hit >= 0 else "Text"))
    return found


def remove_leaking_files(out_dir: Path, findings: list[Finding]) -> list[str]:
    """Delete every output file with a finding, so that none is left to be published; returns them."""
    removed = sorted({f.file for f in findings})
    for name in removed:
        (Path(out_dir) / name).unlink(missing_ok=True)
    return removed


def scan(out_dir: Path, names: set[str] = frozenset(), *, cache: Path | None = None) -> tuple[list[Finding], Counter]:
    """Every finding in the outputs below ``out_dir``, and how many files of each type were scanned.

    With ``cache`` (a JSON file), a file whose SHA-256 and the set of names are those of a clean file
    of the last scan is not read again: after a small change only the re-rendered files are. Files
    with findings are never cached (the cache holds no personal data).
    """
    paths = [
        p
        for p in sorted(Path(out_dir).rglob("*"))
        if p.is_file() and p.suffix.lower() in SCANNED and ".cache" not in p.parts and "rohdaten" not in p.parts
    ]
    coverage = Counter(p.suffix.lower() for p in paths)
    names_key = content_key(*sorted(names))
    known = RenderCache(cache)
    keys = {p: content_key(p.read_bytes(), names_key) for p in paths} if cache is not None else {}
    todo = [p for p in paths if p not in keys or not known.holds(p, keys[p])]
    findings: list[Finding] = []
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs outside the GIL
        for p, text in zip(todo, pool.map(text_of, todo), strict=True):
            found = scan_text(text, names, str(p.relative_to(out_dir)))
            findings += found
            if not found and p in keys:
                known.record(p, keys[p])
    known.save()
    return findings, coverage


def register_contact_names(paths: list[Path]) -> set[str]:
    """Values of the register's contact columns (Ansprechpartner, Kontakt, Telefon, E-Mail …)."""
    names: set[str] = set()
    for path in paths:
        tables, _ = read_register_file(path)
        for table in tables:
            for header, values in table.personal_values.items():
                if is_personal(header):
                    names |= {str(v).strip() for v in values if v is not None and len(str(v).strip()) >= 5}
    return names
