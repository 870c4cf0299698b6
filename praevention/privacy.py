"""Personal data: the one place that recognises it, for the register (which must never store it) and for
the privacy scan over every product for people (:mod:`praevention.publish.privacy_scan`, which must never show it).

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
E-Mail, Vorsitz, Leitung …) are dropped by the register reader as soon as it reads the header.
"""

from __future__ import annotations

import re

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
