"""Personal data and spreadsheet formulas: the one place that recognises them, for the register (which must
never store personal data) and for the privacy scan over every product for people
(:mod:`praevention.publish.privacy_scan`, which must never show it).

Recognisers by kind (:func:`find_personal`, :func:`redact`), each tested on generated variants
(``tests/render/test_privacy.py``):

* **e-mail** addresses in every common obfuscation: ``name@ort.de``, ``name[at]ort.de``,
  ``name (at) ort (dot) de``, ``vorname.nachname at stadt.de``, ``name -at- ort punkt de``, ``name＠ort.de``;
* **phone** numbers in national and international forms: ``0391 5401234``, ``(0391) 540 12 34``,
  ``0171-9876543``, ``+49 3462 5401234``, ``+49 (0) 3931 / 55 51 23 6``, ``0049 391 540-1234``, mobile numbers
  without a separator (``Handy 01512345678``) and any compact number after a phone word (``Tel. 03915401234``)
  — but not a council's document number (``Drucksache 0212/2021-01``), a date, a file reference
  (``Az. 0321/2020``) or a key such as an AGS (``01001``, ``15003000``);
* **names** with a salutation or an academic title (``Frau Dr. Sabine Krause``, ``Herrn Müller``), removed
  together with it, and names after a function (``Ansprechpartnerin Anna Musterfrau``, ``OB Trümper``,
  ``Revierleiter Sebastian Heutig``) or a police or civil-service rank (``KHK Müller``,
  ``PHKin A. Schulz``, ``Polizeioberkommissar Jan Meier``, ``Oberamtsrätin Sabine Krause``), of which the
  function or rank is kept; a maiden name after ``geb.``;
* **dates of birth** after ``geb.``, ``geboren (am)``, ``Geburtsdatum`` or ``*`` (``geb. 12.03.1965``,
  ``geboren am 3. April 1971``), of which the word is kept;
* **IBANs**, validated by their ISO 13616 checksum (mod 97), with or without spaces, and half-redacted
  ones (``DE89 3704 XXXX XXXX 1300 00``, ``DE89 **** **** 0532 0130 00``);
* **URL query strings**: the value of a parameter whose name is about a person (``?kontakt=…``,
  ``&email=…``) or whose value holds personal data of another kind; technical parameters stay
  (``?p=6557``, ``&cHash=b83b…``).

Columns whose header names a person or contact (:func:`is_personal`: Kontakt, Ansprechpartner, Telefon,
E-Mail, Vorsitz, Leitung …) are dropped by the register reader as soon as it reads the header.

:func:`neutralise_formula` is the one rule for every text cell a CSV or XLSX output holds (OWASP's
"CSV injection"): a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe, so that no spreadsheet evaluates it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

#: What replaces removed personal data in stored text.
REDACTED = "[entfernt]"
KIND_LABELS = {
    "email": "E-Mail-Adresse",
    "phone": "Telefonnummer",
    "name": "Name",
    "birth_date": "Geburtsdatum",
    "iban": "IBAN",
    "url_query": "Personenangabe in einer Internetadresse",
}
KINDS = tuple(KIND_LABELS)

# ---------------------------------------------------------------- e-mail
_AT = (
    r"(?:\s*[@＠]\s*"  # plain or full-width @
    r"|\s*[\[({<]\s*(?:at|ät|@)\s*[\])}>]\s*"  # [at] (at) {at} <at>
    r"|\s*-\s*(?:at|ät)\s*-\s*|_(?:at|ät)_"  # -at- _at_
    r"|\s+(?:at|ät)\s+)"  # " at "
)
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|punkt|\.)\s*[\])}>]\s*|\s*-\s*(?:dot|punkt)\s*-\s*|\s+(?:dot|punkt)\s+)"
EMAIL = re.compile(rf"[\w.%+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,24}}\b", re.IGNORECASE)

# ---------------------------------------------------------------- phone
# an area code and a subscriber number with a separator between them (so that keys like 01001 are not
# phone numbers), or a compact international number; not part of a formatted number (1.082 450,8)
PHONE = re.compile(
    r"(?<![\w.,/+])"
    r"(?:"
    r"(?:(?:\+|00)[1-9]\d{0,2}\s?(?:\(0\)\s?)?\(?\d{2,5}\)?|\(0\d{2,5}\)|0\d{2,5})"
    r"(?:\s?[/–-]\s?|\s)\d{2,}(?:[ –-]\d+){0,4}"
    r"|\+[1-9]\d{8,13}"
    r")"
    r"(?!\d|[.,]\d)"
)
#: a number written without any separator: a phone number when it is a German mobile number (015x, 016x,
#: 017x and 10–12 digits) or when a phone word stands before it
COMPACT_PHONE = re.compile(r"(?<![\w.,/+])0\d{5,13}(?!\d|[.,]\d)")
MOBILE = re.compile(r"01[5-7]\d{7,9}")
MIN_PHONE_DIGITS = 7
_PHONE_WORD = re.compile(
    r"(?:tel|telefon|fon|phone|mobil|mobilfunk|handy|fax|ruf|erreichbar|whatsapp)\b\.?[^\w]*(?:nr\.?)?\W*(?:unter\W*)?$",
    re.I,
)
_DOCUMENT_WORD = re.compile(
    r"(?:drucksache|drs|ds|vorlage|beschluss|beschlussvorlage|antrag|anfrage|az|aktenzeichen|geschäftszeichen|"
    r"gz|nr|nummer|sitzung|protokoll)\b\.?(?:[\s-]*nr\.?)?\s*$",
    re.IGNORECASE,
)
_DOCUMENT_NUMBER = re.compile(r"\d{3,5}\s?/\s?(?:19|20)\d{2}(?:\s?-\s?\d{1,4})?")

# ---------------------------------------------------------------- names
_UPPER = "A-ZÄÖÜ"
_LOWER = "a-zäöüßéèáàçñ"
_NAME_PART = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
#: words that follow a function but are no name (the office, the place): articles and compass points, and
#: longer words with a German noun's ending ("Polizeirevier", "Ordnungsamt", "Stadtverwaltung")
_NOT_A_NAME = (
    r"(?!(?:Nord|Süd|Ost|West|Mitte|Land|Stadt|Kreis|Gemeinde|Polizei|Der|Die|Das|Des|Dem|Den|Für|Im|Am|Und)\b)"
    rf"(?![{_UPPER}][{_LOWER}-]{{3,}}(?:ung|heit|keit|schaft|amt|ämter|rat|räte|revier|tion|sion|tät|ei|stadt|kreis|"
    r"gemeinde|behörde|bereich|dienst|stelle|zentrum|projekt|schule|verein|verband|büro|ausschuss|kommune|rathaus|"
    r"ministerium|land|gericht|werke|straße|platz|markt|kirche)\b)"
)
_NAME_WORD = rf"{_NOT_A_NAME}(?:{_NAME_PART}|[{_UPPER}]\.)"
_PARTICLE = r"(?:von|van|de|zu|von der|van der|vom)\s+"
#: one to three name words ("Anna", "A. Musterfrau", "Hans-Peter von Beispiel")
_PERSON = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE})?{_NAME_WORD}){{0,2}}"
_TITLE = r"(?:Dr\.(?:\s?(?:med|phil|rer\.\s?nat|jur|iur)\.)?|Prof\.|Dipl\.-[A-Za-zäöü]+\.?)"
_SALUTATION = r"(?:Frau|Herrn?|Fr\.|Hr\.)"
# "Frau Dr. Sabine Krause", "Herrn Müller", "Prof. Dr. Morfeld": salutation/title and name go together
NAME = re.compile(rf"(?<!\w)(?:{_SALUTATION}\s+(?:{_TITLE}\s*)*|(?:{_TITLE}\s*)+){_PERSON}(?![\w-])")
_FEMININE = r"(?:in|In|’in|'in)?"
#: functions a person holds ("Ansprechpartnerin", "Revierleiter", "OB")
FUNCTIONS = (
    r"OB|BM|(?:Ober|Orts)?[Bb]ürgermeister(?:in)?|Landrat|Landrätin|Beigeordnete[rn]?|Dezernent(?:in)?|"
    r"Ansprechpartner(?:in)?|Ansprechperson|Kontaktperson|Kontakt|Koordinator(?:in)?|Sprecher(?:in)?|"
    r"(?:Revier|Amts|Fachbereichs|Abteilungs|Schul|Projekt|Einsatz|Dienststellen)?[Ll]eiter(?:in)?|"
    r"Vorsitzende[rn]?|Geschäftsführer(?:in)?|Präventionsbeauftragte[rn]?|Sachbearbeiter(?:in)?|"
    r"Polizeipräsident(?:in)?|Polizeidirektor(?:in)?|(?:Kontakt|Regional)bereichsbeamt(?:e[rn]?|in)|RBB|KoBB|"
    r"Streetworker(?:in)?|Sozialarbeiter(?:in)?|Pfarrer(?:in)?|Stadtrat|Stadträtin|Staatssekretär(?:in)?|"
    r"(?:Innen|Justiz|Landes|Bundes)?[Mm]inister(?:in)?"
)
#: police and civil-service ranks, abbreviated (KHK, POKin) and written out (Polizeioberkommissarin); the
#: two-letter abbreviations (PM, PK, KK, KR, KD) only before a first and a last name
RANKS = (
    rf"(?:E?(?:PHK|KHK)|POK|KOK|PHM|POM|KOR|POR|KOM|KHM){_FEMININE}|"
    r"(?:Erste[rn]?\s+)?(?:Polizei|Kriminal)(?:ober|haupt)?(?:meister|kommissar)(?:in)?(?:\s+z\.\s?A\.)?|"
    r"(?:Polizei|Kriminal|Regierungs|Ministerial|Verwaltungs|Ober)(?:ober)?(?:rat|rätin|direktor|direktorin)|"
    r"(?:Ober)?[Aa]mt(?:s(?:rat|rätin|inspektor|inspektorin)|mann|frau)|(?:Ober|Stadt|Verwaltungs)?[Ii]nspektor(?:in)?|"
    r"Ministerialdirigent(?:in)?"
)
SHORT_RANKS = rf"(?:PM|PK|KK|KR|KD){_FEMININE}"
# "OB Trümper", "Ansprechpartnerin: Anna Musterfrau", "KHK Müller": the function stays, the name goes
_AFTER_FUNCTION = rf"(?:\s*:\s*|\s+(?:ist|sind|war)\s+|\s*[-–]\s*|\s+)(?:{_SALUTATION}\s+)?(?:{_TITLE}\s*)*"
OFFICE_NAME = re.compile(
    rf"(?<![\w-])(?:(?:{FUNCTIONS}|{RANKS}){_AFTER_FUNCTION}({_PERSON})"
    rf"|{SHORT_RANKS}{_AFTER_FUNCTION}({_NAME_WORD}(?:\s+(?:{_PARTICLE})?{_NAME_WORD}){{1,2}}))(?![\w-])"
)
# "geb. Müller": a maiden name
MAIDEN_NAME = re.compile(rf"(?<!\w)geb\.\s*({_NAME_PART})(?![\w.-])")

# ---------------------------------------------------------------- dates of birth
_MONTHS = r"(?:Jan(?:uar)?|Feb(?:ruar)?|Mär(?:z)?|Maerz|Apr(?:il)?|Mai|Jun[i]?|Jul[i]?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Okt(?:ober)?|Nov(?:ember)?|Dez(?:ember)?)\.?"
_DATE = (
    rf"(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:\d{{4}}|\d{{2}})|\d{{1,2}}\.\s?{_MONTHS}\s?\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    r"\d{1,2}/\d{1,2}/\d{4})"
)
BIRTH_DATE = re.compile(
    rf"(?<!\w)(?:geb\.|geboren|Geburtsdatum|Geburtstag|Geb\.-Dat\.|Geb\.-Datum|\*)\s*(?:am|:)?\s*({_DATE})(?![\d.])",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- IBAN
IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:\s?[A-Z0-9Xx*•]{4}){2,7}(?:\s?[A-Z0-9Xx*•]{1,4})?)(?![A-Za-z0-9])")
#: characters that stand for digits in a half-redacted IBAN
_MASKS = "Xx*•"


def iban_valid(text: str) -> bool:
    """Whether ``text`` is an IBAN with a correct ISO 13616 check (mod 97 of the rearranged number is 1)."""
    s = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s):
        return False
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


def _is_iban(text: str) -> bool:
    compact = re.sub(r"\s", "", text)
    masked = sum(c in _MASKS for c in compact)
    if not masked:
        return iban_valid(compact)
    # half redacted: the country's length (15–34) with at least four digits left to identify the account
    return 15 <= len(compact) <= 34 and sum(c.isdigit() for c in compact[4:]) >= 4 and masked >= 4


# ---------------------------------------------------------------- URL query strings
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\)]+", re.IGNORECASE)
#: parameter names that carry a person
PERSONAL_PARAMETER = re.compile(
    r"kontakt|contact|name|person|user|benutzer|mail|tel|phone|fon|mobil|handy|geb|birth|iban|adresse|address|"
    r"strasse|street|ansprech",
    re.IGNORECASE,
)


#: what a parameter's value is searched for
_IN_VALUES = tuple(k for k in KINDS if k != "url_query")


def _query_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the values of personal parameters in the query strings of the URLs in ``text``."""
    spans = []
    for url in URL.finditer(text):
        q = url.group(0).find("?")
        if q < 0:
            continue
        start = url.start() + q + 1
        query = url.group(0)[q + 1 :].split("#")[0]
        pos = start
        for part in query.split("&"):
            key, eq, value = part.partition("=")
            # a value removed before ("[entfernt]", its "]" left out of the URL) is no finding
            if eq and value and not unquote_plus(value).startswith(REDACTED[:-1]):
                decoded = unquote_plus(value)
                if PERSONAL_PARAMETER.search(unquote_plus(key)) or find_personal(decoded, _IN_VALUES):
                    spans.append((pos + len(key) + 1, pos + len(part)))
            pos += len(part) + 1
    return spans


# ---------------------------------------------------------------- columns
#: Header words that mark a column of personal data: accepted in the input, dropped at once, never stored.
PERSONAL_HEADER = re.compile(
    r"kontakt|ansprech|telefon|\btel\b|\btel\.|mobil|handy|\bfax\b|e-?mail|\bmail\b|phone|contact|"
    r"\bperson|vorname|nachname|zuständig|verantwortlich|name der|vorsitz|leitung|leiter|sprecher|"
    r"koordinator|mitglieder|teilnehmer|unterzeichne|bürgermeister|beauftragte|geburt|\biban\b|bankverbindung"
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


def _is_compact_phone(text: str, m: re.Match[str]) -> bool:
    return bool(MOBILE.fullmatch(m.group(0))) or bool(_PHONE_WORD.search(text[max(0, m.start() - 30) : m.start()]))


def find_personal(text: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every piece of personal data of ``kinds`` in ``text``, without overlaps
    (the longer of two overlapping finds wins)."""
    spans: list[tuple[str, int, int]] = []
    if "email" in kinds:
        spans += [("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    if "iban" in kinds:
        spans += [("iban", m.start(1), m.end(1)) for m in IBAN.finditer(text) if _is_iban(m.group(1))]
    if "birth_date" in kinds:
        spans += [("birth_date", m.start(1), m.end(1)) for m in BIRTH_DATE.finditer(text)]
    if "phone" in kinds:
        spans += [("phone", m.start(), m.end()) for m in PHONE.finditer(text) if _is_phone(text, m)]
        spans += [("phone", m.start(), m.end()) for m in COMPACT_PHONE.finditer(text) if _is_compact_phone(text, m)]
    if "name" in kinds:
        spans += [("name", m.start(), m.end()) for m in NAME.finditer(text)]
        spans += [("name", *m.span(1 if m.group(1) else 2)) for m in OFFICE_NAME.finditer(text)]
        spans += [("name", m.start(1), m.end(1)) for m in MAIDEN_NAME.finditer(text)]
    if "url_query" in kinds and "?" in text:
        spans += [("url_query", s, e) for s, e in _query_spans(text)]
    out: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(spans, key=lambda s: (s[1], -s[2])):
        if out and start < out[-1][2]:
            continue
        out.append((kind, start, end))
    return out


def redact(text: str) -> tuple[str, list[str]]:
    """``text`` with every piece of personal data replaced by :data:`REDACTED`, and the kinds removed
    (``email``, ``phone``, ``name``, ``birth_date``, ``iban``, ``url_query``; each once, in order of appearance)."""
    found = find_personal(text)
    if not found:
        return text, []
    parts, last = [], 0
    for _kind, start, end in found:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts), list(dict.fromkeys(kind for kind, _, _ in found))


# ---------------------------------------------------------------- formula injection
#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: a number as a CSV file writes it ("-1817177,48", "-0.25", "+3e-05"): a spreadsheet reads it as a number
NUMBER_TEXT = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def is_formula(value: object) -> bool:
    """Whether a spreadsheet would evaluate the cell: text starting with :data:`FORMULA_START` that is not a
    plain (signed) number."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER_TEXT.fullmatch(value)


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, with a leading apostrophe (OWASP's rule); anything else
    unchanged. Every writer of CSV and XLSX outputs passes its text cells through this function."""
    return "'" + value if is_formula(value) else value
