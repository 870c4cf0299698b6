"""The privacy scan over every product for people: no e-mail address, no phone number, no name from the
register's contact columns may appear in an HTML page, PDF, workbook, deck, SVG or CSV.

The register reader drops contact columns as soon as it reads a header (:func:`register_contact_names`
reads them here only to know what must not appear). The ``site`` asset runs :func:`scan` as a blocking
check after every run; the tests run it on generated outputs with and without planted leaks.
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

from pipelines.lineage import content_key
from pipelines.render.cache import RenderCache

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# +49 391 5401234, 0049 (391) 540-1234, 0391 5401234, (0391) 540 12 34, 0391/540-1234: an area code and a
# subscriber number with a separator between them (so that keys like 01001 are not phone numbers); not
# part of a formatted number (1.082 450,8 in a table is two numbers)
PHONE = re.compile(
    r"(?<![\w.,])(?:(?:\+|00)49[\s/-]?\(?0?\d{2,5}\)?|\(0\d{2,5}\)|0\d{2,5})"
    r"[\s/-]+\d{2,}(?:[\s-]?\d{2,}){0,3}(?!\d|[.,]\d)"
)
SCANNED = {".html", ".pdf", ".xlsx", ".pptx", ".svg", ".csv"}


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str  # email | phone | name
    text: str


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

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
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


def scan_text(text: str, names: set[str], file: str) -> list[Finding]:
    found = [Finding(file, "email", m.group(0)) for m in EMAIL.finditer(text)]
    found += [Finding(file, "phone", m.group(0)) for m in PHONE.finditer(text)]
    folded = " ".join(text.split()).casefold()
    found += [Finding(file, "name", n) for n in sorted(names) if n.casefold() in folded]
    return found


def scan(out_dir: Path, names: set[str] = frozenset(), *, cache: Path | None = None) -> tuple[list[Finding], Counter]:
    """Every finding in the outputs below ``out_dir``, and how many files of each type were scanned.

    With ``cache`` (a JSON file), a file whose SHA-256 and the set of names are those of a clean file
    of the last scan is not read again: after a small change only the re-rendered files are. Files
    with findings are never cached (the cache holds no personal data).
    """
    paths = [
        p
        for p in sorted(Path(out_dir).rglob("*"))
        if p.is_file() and p.suffix.lower() in SCANNED and ".state" not in p.parts and "rohdaten" not in p.parts
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
    from pipelines.register.read import read_register_file
    from pipelines.register.schema import is_personal

    names: set[str] = set()
    for path in paths:
        tables, _ = read_register_file(path)
        for table in tables:
            for header, values in table.personal_values.items():
                if is_personal(header):
                    names |= {str(v).strip() for v in values if v is not None and len(str(v).strip()) >= 5}
    return names
