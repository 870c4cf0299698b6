"""The privacy scan over every product for people: no e-mail address, phone number, date of birth, IBAN,
personal URL parameter or name from the register's contact columns may appear in an output.

It reads what :func:`praevention.publish.extract.extract` gives – the visible text and everything embedded
(scripts, attributes, comments, speaker notes, alt texts, document properties) – and matches it with the
recognisers of :mod:`praevention.privacy`. Each finding is reported with its file, where in it (page,
slide, cell or line) and its kind – never the text. It runs on the staged products before they are
published (:mod:`praevention.publish.review`); a finding stops the publication, and nothing is deleted.
:func:`register_contact_names` reads the register's contact columns (which the register reader drops) only
to know which names must not appear in an output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from praevention.digest import content_key, source_key
from praevention.privacy import KIND_LABELS, find_personal, is_personal
from praevention.publish import extract as extractor
from praevention.publish.extract import Content, judge_files
from praevention.register.read import read_register_file

#: the kinds the scan looks for in outputs: names are found by the register's contact names, since a
#: capitalised word after a function is too often a place or an office in published text
SCAN_KINDS = ("email", "phone", "birth_date", "iban", "url_query")


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str  # email | phone | name | birth_date | iban | url_query
    text: str
    where: str = ""  # "Seite 2", "Folie 3", "Blatt Gremien, Zelle B4", "Zeile 14 (eingebettete Daten)"

    @property
    def label(self) -> str:
        """What kind of personal data, in German (the finding's text itself is never shown)."""
        return KIND_LABELS.get(self.kind, self.kind)

    def line(self) -> str:
        """One line for the user: file, place and kind, never the personal data itself."""
        return f"{self.file} ({self.where}): {self.label}"


def recogniser_version() -> str:
    """The version of what decides a finding: the recognisers, this scan and the extractor (their code)."""
    import praevention.privacy

    return source_key(Path(praevention.privacy.__file__), Path(__file__), Path(extractor.__file__))


def _where(where: str, text: str, pos: int) -> str:
    """Where in a piece: its place, with the line inside a multi-line piece."""
    if text.count("\n") == 0:
        return where
    return f"{where}, Zeile {text.count(chr(10), 0, pos) + 1}"


def scan_content(content: Content, names: set[str] | frozenset[str], file: str) -> list[Finding]:
    """Every finding in one file's content."""
    found: list[Finding] = []
    folded_names = sorted({" ".join(n.split()).casefold() for n in names if n.strip()})
    for piece in content.texts():
        # a layout's runs of spaces (PDF columns) are one space, so that '0391   5401234' is a number
        text = "\n".join(" ".join(line.split()) for line in piece.text.splitlines())
        where = piece.where if piece.visible else f"{piece.where} (eingebettet)"
        found += [
            Finding(file, kind, text[s:e], _where(where, text, s)) for kind, s, e in find_personal(text, SCAN_KINDS)
        ]
        folded = " ".join(text.split()).casefold()
        for n in folded_names:
            if n in folded:
                found.append(Finding(file, "name", n, where))
    return found


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


def scan(
    out_dir: Path, names: set[str] | frozenset[str] = frozenset(), *, cache: Path | None = None
) -> tuple[list[Finding], Counter]:
    """Every finding in the products below ``out_dir``, and how many files of each type were scanned.

    With ``cache`` (a JSON file), a file whose content, the set of names and the recognisers' version are
    those of a clean file of an earlier scan is not read again (:func:`~praevention.publish.extract.judge_files`).
    """
    names_key = content_key(*sorted(names))
    findings, paths = judge_files(
        out_dir,
        lambda content, file: scan_content(content, names, file),
        cache=cache,
        key=content_key(recogniser_version(), names_key),
    )
    return findings, Counter(p.suffix.lower() for p in paths)
