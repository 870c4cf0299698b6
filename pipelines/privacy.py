"""Personal data: the one place that recognises it, for the register (which must never store it) and for
the privacy scan over every product for people (which must never show it).

Recognisers (:func:`find_personal`, :func:`redact`):

* **e-mail** addresses, also obfuscated: ``name@ort.de``, ``name[at]ort.de``, ``name (at) ort (dot) de``;
* **phone** numbers in national and international forms: ``0391 5401234``, ``(0391) 540 12 34``,
  ``0171-9876543``, ``+49 3462 5401234``, ``+49 (0) 3931 / 55 51 23 6``, ``0049 391 540-1234`` — but not a
  council's document number (``Drucksache 0212/2021-01``), a date, a file reference (``Az. 0321/2020``) or
  a key such as an AGS (``01001``, ``15003000``): an area code and a subscriber number need a separator,
  and a number after a document word or of the shape ``NNNN/YYYY`` is a document number unless a phone
  word (``Tel.``, ``Fax``, ``mobil`` …) stands before it;
* **names** with a salutation or an academic title (``Frau Dr. Sabine Krause``, ``Herr Müller``,
  ``Prof. Morfeld``), removed together with it, and names after an office (``OB Trümper``,
  ``Revierleiter Sebastian Heutig``), of which the office is kept.

Columns whose header names a person or contact (:func:`is_personal`: Kontakt, Ansprechpartner, Telefon,
E-Mail, Vorsitz, Leitung …) are dropped by the register reader as soon as it reads the header;
:func:`register_contact_names` reads them here only to know which names must not appear in an output.

The ``site`` asset runs :func:`scan` as a blocking check after every run: each finding is reported with
its file, where in it (page or line) and its kind – never the text – and the files with findings are
removed from the output folder (:func:`remove_leaking_files`). The tests run it on generated outputs with
and without planted leaks.
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

#: What replaces removed personal data in stored text.
REDACTED = "[entfernt]"
KIND_LABELS = {"email": "E-Mail-Adresse", "phone": "Telefonnummer", "name": "Name"}

_AT = r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|ät|@)\s*[\])}>]\s*)"
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|punkt)\s*[\])}>]\s*)"
EMAIL = re.compile(rf"[\w.%+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,}}\b", re.IGNORECASE)
# an area code and a subscriber number with a separator between them (so that keys like 01001 are not
# phone numbers), or a compact international number; not part of a formatted number (1.082 450,8)
PHONE = re.compile(
    r"(?<![\w.,/+])"
    r"(?:"
    r"(?:(?:\+|00)[1-9]\d{0,2}\s?(?:\(0\)\s?)?\(?\d{2,5}\)?|\(0\d{2,5}\)|0\d{2,5})"
    r"(?:\s?[/-]\s?|\s)\d{2,}(?:[ -]\d+){0,4}"
    r"|\+[1-9]\d{8,13}"
    r")"
    r"(?!\d|[.,]\d)"
)
MIN_PHONE_DIGITS = 7
_PHONE_WORD = re.compile(r"(?:tel|telefon|fon|phone|mobil|handy|fax|ruf|erreichbar)\b\.?[^\w]*(?:nr\.?)?\W*$", re.I)
_DOCUMENT_WORD = re.compile(
    r"(?:drucksache|drs|ds|vorlage|beschluss|beschlussvorlage|antrag|anfrage|az|aktenzeichen|geschäftszeichen|"
    r"gz|nr|nummer|sitzung|protokoll)\b\.?(?:[\s-]*nr\.?)?\s*$",
    re.IGNORECASE,
)
_DOCUMENT_NUMBER = re.compile(r"\d{3,5}\s?/\s?(?:19|20)\d{2}(?:\s?-\s?\d{1,4})?")
_NAME_WORD = r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
_TITLE = r"(?:Dr\.|Prof\.|Dipl\.-[A-Za-zäöü]+\.?|PD)"
# "Frau Dr. Sabine Krause", "Herrn Müller", "Prof. Dr. Morfeld": salutation/title and name go together
NAME = re.compile(
    rf"(?<!\w)(?:(?:Frau|Herrn?|Fr\.|Hr\.)\s+(?:{_TITLE}\s*)*|(?:{_TITLE}\s*)+)(?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD}"
)
# "OB Trümper", "Leiterin Anne Lindner": the office stays, the name goes
OFFICE_NAME = re.compile(
    r"(?<!\w)(?:OB|BM|(?:Ober|Orts)?[Bb]ürgermeister(?:in)?|Landrat|Landrätin|Revierleiter(?:in)?|Leiter(?:in)?|"
    r"Polizeipräsident(?:in)?|Polizeidirektor(?:in)?|Vorsitzende[rn]?|Beigeordnete[rn]?|Dezernent(?:in)?|"
    rf"Präventionsbeauftragte[rn]?|Sachbearbeiter(?:in)?)\s+((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD})(?!\w)"
)
#: Header words that mark a column of personal data: accepted in the input, dropped at once, never stored.
PERSONAL_HEADER = re.compile(
    r"kontakt|ansprech|telefon|\btel\b|\btel\.|mobil|handy|\bfax\b|e-?mail|\bmail\b|phone|contact|"
    r"\bperson|vorname|nachname|zuständig|verantwortlich|name der|vorsitz|leitung|leiter|sprecher|"
    r"koordinator|mitglieder|teilnehmer|unterzeichne|bürgermeister|beauftragte"
)


def is_personal(header: str) -> bool:
    """A column that holds contact persons, phone numbers or e-mail addresses (judged by its header)."""
    return bool(PERSONAL_HEADER.search(" ".join(str(header).split()).lower()))


def _is_phone(text: str, m: re.Match[str]) -> bool:
    if sum(c.isdigit() for c in m.group(0)) < MIN_PHONE_DIGITS:
        return False
    before = text[max(0, m.start() - 30) : m.start()]
    if _PHONE_WORD.search(before):
        return True
    return not (_DOCUMENT_WORD.search(before) or _DOCUMENT_NUMBER.fullmatch(m.group(0)))


def find_personal(text: str, kinds: tuple[str, ...] = ("email", "phone", "name")) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every e-mail address, phone number and name in ``text``, without overlaps."""
    spans: list[tuple[str, int, int]] = []
    if "email" in kinds:
        spans += [("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    if "phone" in kinds:
        spans += [("phone", m.start(), m.end()) for m in PHONE.finditer(text) if _is_phone(text, m)]
    if "name" in kinds:
        spans += [("name", m.start(), m.end()) for m in NAME.finditer(text)]
        spans += [("name", m.start(1), m.end(1)) for m in OFFICE_NAME.finditer(text)]
    out: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(spans, key=lambda s: (s[1], -s[2])):
        if out and start < out[-1][2]:
            continue
        out.append((kind, start, end))
    return out


def redact(text: str) -> tuple[str, list[str]]:
    """``text`` with every e-mail address, phone number and name replaced by :data:`REDACTED`, and the
    kinds removed (``email``, ``phone``, ``name``; each once, in order of appearance)."""
    found = find_personal(text)
    if not found:
        return text, []
    parts, last = [], 0
    for _kind, start, end in found:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts), list(dict.fromkeys(kind for kind, _, _ in found))


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
    from pipelines.digest import content_key
    from pipelines.render.cache import RenderCache

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
    from pipelines.register.read import read_register_file

    names: set[str] = set()
    for path in paths:
        tables, _ = read_register_file(path)
        for table in tables:
            for header, values in table.personal_values.items():
                if is_personal(header):
                    names |= {str(v).strip() for v in values if v is not None and len(str(v).strip()) >= 5}
    return names
