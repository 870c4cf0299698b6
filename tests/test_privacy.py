"""The recognisers of personal data and the formula rule, on generated variants (hypothesis): every form a
register row or a product may hold, and the look-alikes that must stay (keys, document numbers, dates,
places, offices)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from praevention.privacy import FORMULA_START, REDACTED, find_personal, iban_valid, neutralise_formula, redact

FIRST = ["Anna", "Jürgen", "Sabine", "Hans-Peter", "Özlem", "Marie", "Kai", "Ulrike", "Björn", "Lea"]
LAST = ["Musterfrau", "Beispielmann", "Krause", "Schulze-Wendt", "Öztürk", "Meier", "Lindner", "Weiß", "Brandt"]
SALUTATIONS = ["Frau", "Herr", "Herrn", "Fr.", "Hr."]
TITLES = ["", "Dr. ", "Prof. ", "Prof. Dr. ", "Dipl.-Ing. "]
FUNCTIONS = [
    "Ansprechpartner",
    "Ansprechpartnerin",
    "Kontaktperson",
    "Koordinatorin",
    "Sprecher",
    "Revierleiter",
    "Leiterin",
    "Schulleiter",
    "Bürgermeisterin",
    "Oberbürgermeister",
    "OB",
    "Landrat",
    "Vorsitzende",
    "Präventionsbeauftragter",
    "Sachbearbeiterin",
    "Kontaktbereichsbeamter",
    "Regionalbereichsbeamtin",
    "Staatssekretär",
    "Innenministerin",
]
RANKS = [
    "KHK",
    "PHK",
    "POK",
    "KOK",
    "PHM",
    "POM",
    "EPHK",
    "EKHK",
    "KOR",
    "PHKin",
    "POKin",
    "KHK'in",
    "Polizeioberkommissarin",
    "Kriminalhauptkommissar",
    "Erster Polizeihauptkommissar",
    "Polizeimeister",
    "Kriminalrat",
    "Regierungsrätin",
    "Oberamtsrat",
    "Amtfrau",
    "Stadtinspektor",
]
SEPARATORS = [" ", ": ", " ist ", " – "]


@st.composite
def person(draw) -> str:
    """A name as people write it: first and last name, a last name alone, an initial and a last name."""
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    return draw(st.sampled_from([f"{first} {last}", last, f"{first[0]}. {last}", f"{first} von {last}"]))


@given(st.sampled_from(SALUTATIONS), st.sampled_from(TITLES), person())
def test_names_after_a_salutation_go_with_it(salutation: str, title: str, name: str) -> None:
    text = f"Rückfragen an {salutation} {title}{name}, bitte bis Freitag."
    cleaned, kinds = redact(text)
    assert kinds == ["name"], text
    assert name.split()[-1] not in cleaned and cleaned.startswith("Rückfragen an [entfernt]"), cleaned


@given(
    st.sampled_from(FUNCTIONS + RANKS), st.sampled_from(SEPARATORS), st.sampled_from(["", "Herr ", "Dr. "]), person()
)
def test_names_after_a_function_or_rank_go_the_function_stays(function: str, sep: str, between: str, name: str) -> None:
    if function in RANKS and len(function.rstrip("in'’")) <= 2 and " " not in name:
        name = f"Anna {name}"  # a two-letter rank only before a first and a last name
    text = f"Sprechstunde mit {function}{sep}{between}{name} im Rathaus"
    cleaned, kinds = redact(text)
    assert "name" in kinds, text
    assert name.split()[-1] not in cleaned, cleaned
    assert function in cleaned and cleaned.endswith(" im Rathaus"), cleaned


@given(
    st.sampled_from(FUNCTIONS), st.sampled_from(["Polizeirevier Harz", "Ordnungsamt", "Stadtverwaltung", "Stadt Halle"])
)
def test_an_office_or_place_after_a_function_is_not_a_name(function: str, place: str) -> None:
    text = f"{function} {place}"
    assert redact(text) == (text, []), redact(text)


AREA_CODES = ["030", "0391", "0345", "03462", "03931", "0340", "089", "03443"]
MOBILE_PREFIXES = ["0151", "0152", "0160", "0162", "0170", "0171", "0172", "0176", "0177", "0179"]
PHONE_WORDS = ["Tel.", "Tel.:", "Telefon", "Fon", "Handy", "mobil", "Mobil:", "Fax", "erreichbar unter", "Tel.-Nr."]


@st.composite
def phone(draw) -> str:
    """A German phone number in one of the forms people write."""
    digits = draw(st.text("0123456789", min_size=6, max_size=8))
    area = draw(st.sampled_from(AREA_CODES + MOBILE_PREFIXES))
    national = area[1:]
    sep = draw(st.sampled_from([" ", "/", "-", " / ", " - ", "–"]))
    grouped = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    return draw(
        st.sampled_from(
            [
                f"{area}{sep}{digits}",
                f"({area}) {digits}",
                f"{area} {grouped}",
                f"+49 {national} {digits}",
                f"+49 (0) {national} / {grouped}",
                f"0049 {national}-{digits}",
                f"+49{national}{digits}",
            ]
        )
    )


@given(phone(), st.sampled_from(["", *PHONE_WORDS]))
def test_phone_numbers_in_every_form(number: str, word: str) -> None:
    text = f"Kontakt {word} {number} (werktags)".replace("  ", " ")
    found = [(k, text[s:e]) for k, s, e in find_personal(text, ("phone",))]
    assert found and all(k == "phone" for k, _ in found), text
    assert number[-4:] in found[0][1], (text, found)


@given(
    st.sampled_from(MOBILE_PREFIXES), st.text("0123456789", min_size=7, max_size=8), st.sampled_from(["", *PHONE_WORDS])
)
def test_mobile_numbers_without_a_separator(prefix: str, rest: str, word: str) -> None:
    text = f"{word} {prefix}{rest}".strip()
    assert redact(text) == (f"{word} {REDACTED}".strip(), ["phone"]), text


@given(st.sampled_from(AREA_CODES), st.text("0123456789", min_size=6, max_size=8), st.sampled_from(PHONE_WORDS))
def test_a_compact_landline_number_after_a_phone_word(area: str, rest: str, word: str) -> None:
    assert redact(f"{word} {area}{rest}")[1] == ["phone"]


@given(
    st.sampled_from(
        [
            "AGS 01001",
            "15003000",
            "01.03.2021",
            "1.234,5",
            "2014–2024",
            "435*00",
            "1.082 450,8",
            "Beschluss Drucksache 0212/2021-01",
            "Vorlage 0345/2019",
            "Az. 0321/2020",
            "Regionalschlüssel 150030000000",
            "Schlüssel 01001000",
            "Fälle 0 bis 12",
        ]
    )
)
def test_keys_dates_and_document_numbers_are_not_phone_numbers(text: str) -> None:
    assert find_personal(text, ("phone",)) == [], text


AT = [
    "@",
    "＠",
    "[at]",
    "(at)",
    "{at}",
    "<at>",
    " at ",
    " AT ",
    " (at) ",
    " [ät] ",
    "-at-",
    " -at- ",
    "_at_",
]
DOT = [".", "[dot]", " (dot) ", " dot ", " punkt ", "[.]", "(punkt)"]


@given(person(), st.sampled_from(AT), st.sampled_from(DOT), st.sampled_from(["stadt", "musterort", "lsa-polizei"]))
def test_email_addresses_in_every_obfuscation(name: str, at: str, dot: str, host: str) -> None:
    local = name.lower().replace(" ", ".").replace("..", ".").replace("ö", "oe").replace("ü", "ue")
    address = f"{local}{at}{host}{dot}de"
    text = f"Rückmeldung an {address} bis Montag"
    cleaned, kinds = redact(text)
    assert "email" in kinds, text
    assert host not in cleaned and local.split(".")[-1] not in cleaned, cleaned


@given(
    st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)),
    st.sampled_from(["geb.", "geb. am", "geboren am", "geboren", "Geburtsdatum:", "*", "Geb.-Datum"]),
    st.sampled_from(["%d.%m.%Y", "%d.%m.%y", "%-d.%-m.%Y", "%Y-%m-%d", "%d. %B %Y"]),
)
def test_dates_of_birth(day: dt.date, word: str, pattern: str) -> None:
    german = {
        "January": "Januar",
        "February": "Februar",
        "March": "März",
        "May": "Mai",
        "June": "Juni",
        "July": "Juli",
        "October": "Oktober",
        "December": "Dezember",
    }
    written = day.strftime(pattern)
    for en, de in german.items():
        written = written.replace(en, de)
    text = f"Kontakt (Frau Meier, {word} {written})"
    cleaned, kinds = redact(text)
    assert "birth_date" in kinds, text
    assert written not in cleaned and str(day.year) not in cleaned, cleaned


@given(st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)))
def test_other_dates_stay(day: dt.date) -> None:
    text = f"Beginn {day:%d.%m.%Y}, Sitzung am {day:%d.%m.%y}"
    assert redact(text) == (text, [])


def _iban(bank: str, account: str) -> str:
    """A German IBAN with its correct check digits."""
    bban = bank + account
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "DE00")) % 97
    return f"DE{check:02d}{bban}"


@given(st.text("0123456789", min_size=8, max_size=8), st.text("0123456789", min_size=10, max_size=10), st.booleans())
def test_ibans_validated_by_their_checksum(bank: str, account: str, spaced: bool) -> None:
    iban = _iban(bank, account)
    assert iban_valid(iban)
    shown = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if spaced else iban
    assert redact(f"Spenden an IBAN {shown}.") == (f"Spenden an IBAN {REDACTED}.", ["iban"])
    wrong = iban[:2] + f"{(int(iban[2:4]) + 1) % 100:02d}" + iban[4:]  # a check digit off: not an IBAN
    assert not iban_valid(wrong) and "iban" not in redact(f"Nummer {wrong}")[1]


@given(st.text("0123456789", min_size=18, max_size=18), st.sampled_from("Xx*•"), st.integers(4, 10))
def test_half_redacted_ibans(digits: str, mask: str, hidden: int) -> None:
    iban = _iban(digits[:8], digits[8:])
    masked = iban[:6] + mask * hidden + iban[6 + hidden :]
    shown = " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
    assert redact(f"IBAN: {shown}")[1] == ["iban"], shown


PERSONAL_KEYS = ["kontakt", "name", "vorname", "nachname", "email", "e-mail", "mail", "tel", "telefon", "mobil", "user"]


@given(
    st.sampled_from(PERSONAL_KEYS),
    st.sampled_from(["beispielmann", "anna.musterfrau", "Anna+Musterfrau", "a.b%40stadt.de", "01711234567"]),
    st.sampled_from(["https://www.example.org/rat", "http://stadt.de/index.php", "www.musterort.de/p"]),
    st.booleans(),
)
def test_personal_values_in_url_query_strings(key: str, value: str, url: str, second: bool) -> None:
    query = f"?id=17&{key}={value}" if second else f"?{key}={value}"
    text = f"Quelle: {url}{query} (abgerufen 2024)"
    cleaned, kinds = redact(text)
    assert kinds and set(kinds) <= {"url_query", "phone", "email"}, text  # the value's own kind may name it
    assert value not in cleaned and f"{key}={REDACTED}" in cleaned and url in cleaned, cleaned


def test_technical_query_strings_stay() -> None:
    for url in (
        "https://www.gruene-fraktion-halle.de/?p=6557",
        "https://mi.sachsen-anhalt.de/das-ministerium/presse/details?cHash=b83b9d3cc5ec418b8a01a3954edb06aa"
        "&tx_tsarssinclude_single%5Buid%5D=457510",
        "https://www.kommunales-sachsen-anhalt.de/index.php?NavID=2348.6&object=tx|2348.2334.1&La=1",
    ):
        assert redact(url) == (url, [])


def test_the_register_row_of_the_acceptance_check() -> None:
    text = (
        "Sprechstunde Musterort mit PHK Anna Musterfrau, Ansprechpartner Jürgen Beispielmann, Handy 01512345678, "
        "j.beispielmann at musterort.de, geb. 03.04.1971"
    )
    cleaned, kinds = redact(text)
    assert cleaned == (
        "Sprechstunde Musterort mit PHK [entfernt], Ansprechpartner [entfernt], Handy [entfernt], [entfernt], "
        "geb. [entfernt]"
    )
    assert set(kinds) == {"name", "phone", "email", "birth_date"}


@given(st.sampled_from(FORMULA_START), st.text(max_size=30))
def test_every_formula_start_is_neutralised(start: str, rest: str) -> None:
    value = start + rest
    assert neutralise_formula(value) == "'" + value


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False), st.none()))
def test_other_cells_are_unchanged(value: object) -> None:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return
    assert neutralise_formula(value) == value
