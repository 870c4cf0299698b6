"""The product check: nothing a person reads carries internal codes, English words, raw register IDs,
file paths or small counts that the small-number rule hides.

It reads every product under a folder the way a reader sees it – the visible pieces that
:func:`praevention.publish.extract.extract` gives: the visible text of HTML (scripts and styles dropped;
``alt``, ``title`` and ``aria-label`` kept), the text layer of PDFs (one entry per page), workbook cells,
slide text (frames, groups, tables, alt text, speaker notes), SVG text and CSV cells – and matches it against ``data/product_check_words.yaml``: internal codes (plus every method code of
:data:`praevention.stats.methods.LABELS`) as whole tokens, English words case-insensitively, and
labelled regular expressions (register IDs such as ``G07`` or ``K-M03``, derived IDs such as
``:gruendung``, placeholders, absolute paths, broken phrases). Tables (workbook sheets, CSV files) with a
level column (``Ebene``/``unit_level``) and a count column (``Anzahl``/``count``) must not give a
Gemeinde count of 1–2 as a number (:data:`praevention.render.fmt.SMALL_COUNT_LIMIT`), and no text cell
may start like a formula (:func:`praevention.privacy.neutralise_formula` was not applied).

It runs with the privacy scan on the staged products before they are published
(:mod:`praevention.publish.review`); the tests run it over the demo and a real run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from praevention.digest import source_key
from praevention.privacy import is_formula
from praevention.publish import extract as extractor
from praevention.publish.extract import Content, Table, column_letter, extract, judge_files
from praevention.render.fmt import SMALL_COUNT_LIMIT
from praevention.stats.methods import LABELS as METHOD_LABELS

WORDS = Path(__file__).resolve().parents[2] / "data" / "product_check_words.yaml"
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


Located = tuple[str, str]  # (where, text): a cell or a piece of text with its place


def _table_pieces(tables: list[Table]) -> tuple[list[Located], list[Located]]:
    """The cells' text, and separately the cells of code columns (header ending in ``-ID``, or one of
    :data:`CODE_COLUMNS`), where an identifier is the point of the column."""
    out, ids = [], []
    for sheet, rows in tables:
        prefix = f"Blatt {sheet}, " if sheet else ""
        id_cols = {
            j
            for j, h in enumerate(rows[0] if rows else [])
            if str(h or "").endswith(("-ID", "_id")) or h in CODE_COLUMNS
        }
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if v is not None and not isinstance(v, int | float) and str(v).strip():
                    (ids if i > 1 and j in id_cols else out).append((f"{prefix}Zelle {column_letter(j)}{i}", str(v)))
    return out, ids


def formula_cells(tables: list[Table]) -> list[Located]:
    """Text cells a spreadsheet would evaluate as a formula (:func:`praevention.privacy.is_formula`)."""
    return [
        (f"{f'Blatt {sheet}, ' if sheet else ''}Zelle {column_letter(j)}{i}", v)
        for sheet, rows in tables
        for i, row in enumerate(rows, start=1)
        for j, v in enumerate(row)
        if is_formula(v)
    ]


def _number(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str) and re.fullmatch(r"\d+", v.strip()):
        return float(v)
    return None


def small_counts(tables: list[Table]) -> list[Located]:
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
                out.append((f"{prefix}Zelle {column_letter(count)}{i}", f"Gemeinde-Anzahl {n:g}"))
    return out


def check_content(content: Content, name: str, word_rules: Rules | None = None) -> list[Problem]:
    """Every problem in one product file's content (what a reader sees)."""
    r = word_rules or rules()
    problems: list[Problem] = []
    pieces = [(p.where, p.text) for p in content.pieces if p.visible]
    if content.tables:
        cells, ids = _table_pieces(content.tables)
        pieces += cells
        problems += [
            Problem(name, where, "Kleinzahl veröffentlicht", text) for where, text in small_counts(content.tables)
        ]
        problems += [
            Problem(name, where, "Formel am Zellanfang", text) for where, text in formula_cells(content.tables)
        ]
        problems += [
            Problem(name, where, kind, found)
            for where, text in ids
            for kind, found in r.find(text)
            if kind not in ALLOWED_IN_CODE_COLUMNS
        ]
    for where, text in pieces:
        problems += [Problem(name, where, kind, found) for kind, found in r.find(text)]
    return problems


def check_file(path: Path, root: Path, word_rules: Rules | None = None) -> list[Problem]:
    """Every problem in one product file."""
    return check_content(extract(path), path.relative_to(root).as_posix(), word_rules)


def rules_version() -> str:
    """The version of what decides a problem: this check's code, the extractor and the word list."""
    return source_key(Path(__file__), Path(extractor.__file__), WORDS)


def check_products(out_dir: Path) -> tuple[list[Problem], int]:
    """All problems in the products below ``out_dir``, and how many files were read."""
    word_rules = rules()
    problems, files = judge_files(Path(out_dir), lambda content, name: check_content(content, name, word_rules))
    return problems, len(files)


def main(argv: list[str] | None = None) -> int:
    """``python -m praevention.publish.product_check OUT``: print every problem, exit 1 when there is one."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    problems, n = check_products(Path(args[0]))
    sys.stdout.writelines(p.line() + "\n" for p in problems)
    sys.stderr.write(f"{n} files read, {len(problems)} problems\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
