"""``register check FILE --annotate OUT.xlsx``: a copy of the register that shows its own problems.

* Every problem cell is filled (red: error, yellow: hint) and carries a comment with each of its messages
  ("Fehler: … / Lösung: …"), exactly the messages ``register check`` prints, one block per message.
  A message about a whole row sits on the row's first cell, one about a sheet on its cell A1, one about a
  header on the header cell. Messages about a whole file (unreadable, no sheets) are only in the list.
* The normalisations the loader applies itself (hints with a replacement: "Landkreis" → "Kreis",
  "g03" → "G03", a body given by name → its ID, invisible characters, a lost leading zero, "laufend" in an
  end date) are written into the cell; its comment says what changed. Errors are never corrected.
* A first sheet "Prüfbericht" lists every message with a link to its cell.

An xlsx register is copied with openpyxl (formats, dropdowns and other comments are kept); an ODS or CSV
register is written as a new workbook from the cells as read, with its merged cells and hidden rows and
columns. Formulas read from ODS or CSV are written as text, never as live formulas, and every text in the
"Prüfbericht" passes :func:`praevention.privacy.neutralise_formula`.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from praevention.files import write_document
from praevention.privacy import neutralise_formula
from praevention.register.messages import HEADERS, INVISIBLE, SEVERITY, Problem
from praevention.register.read import RawTable, RegisterFile, column_letter, read_register

AUTHOR = "Präventionsmonitor"
SUMMARY = "Prüfbericht"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
#: Hints whose replacement the loader applies (written into the annotated copy).
APPLIED = {"value_mapped", "id_spelling", "body_by_name", "invisible_chars", "ags_zero_lost", "ongoing_end"}


def block(p: Problem, lang: str = "de") -> str:
    """One message as it stands in a cell comment and in the list."""
    problem, fix = p.text(lang)
    label = SEVERITY[lang][p.severity]
    return f"{label}: {problem}\n{'Lösung' if lang == 'de' else 'Fix'}: {fix}"


def _title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Blatt"
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base[:28]}~{n}"
    taken.add(title)
    return title


def _workbook(files: list[RegisterFile]):
    """The workbook to annotate and, per (file name, sheet name), its worksheet."""
    import openpyxl

    if len(files) == 1 and files[0].kind == "xlsx":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(files[0].path)
        return wb, {(files[0].path.name, ws.title): ws for ws in wb.worksheets}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    taken: set[str] = {SUMMARY}
    sheets = {}
    for f in files:
        for sheet in f.sheets:
            ws = wb.create_sheet(_title(sheet.name, taken))
            for r, values in enumerate(sheet.rows, start=1):
                for c, value in enumerate(values, start=1):
                    if value is None:
                        continue
                    cell = ws.cell(r, c, value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # a formula as read stays text
            for min_row, min_col, max_row, max_col in sheet.merges:
                ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)
            for r in sheet.hidden_rows:
                ws.row_dimensions[r].hidden = True
            for c in sheet.hidden_columns:
                ws.column_dimensions[column_letter(c)].hidden = True
            sheets[(f.path.name, sheet.name)] = ws
    return wb, sheets


def _cell(p: Problem, tables: dict[tuple[str, str], RawTable]) -> tuple[int, int] | None:
    """(row, column) of the cell a message belongs to, or ``None`` for a message about the whole file."""
    table = tables.get((p.file, p.sheet))
    if p.row is None:
        return (1, 1) if table is not None or p.sheet != p.file else None
    column = table.column_of(p.column) if table is not None and p.column else None
    if column is None and table is not None and not p.column:
        id_header = table.columns.get("body_id" if table.table == "bodies" else "measure_id")
        column = table.column_of(id_header) if id_header else None
    return p.row, column or 1


def _apply(cell, p: Problem) -> str | None:
    """Write the loader's normalisation into ``cell``; the change as the comment states it, or ``None``."""
    from praevention.register.validate import cell_text

    before = cell.value
    if p.code == "invisible_chars" and isinstance(before, str):
        after: object = INVISIBLE.sub("", before)
    elif cell_text(before) == p.value:
        after = "" if p.replacement == "" else p.replacement
    elif isinstance(before, str) and p.value and p.value in before:
        after = before.replace(p.value, str(p.replacement), 1)
    else:
        return None
    cell.value = after if after != "" else None
    if isinstance(after, str) and after.isdigit():
        cell.number_format = "@"
    new = f"'{p.replacement}'" if p.replacement != "" else "(leer)"
    shown = p.text()[0] if p.code == "invisible_chars" else f"'{p.value}' → {new}"
    return f"Geändert: {shown}"


def overwritten_input(paths: list[Path], out: Path) -> Path | None:
    """The register file that writing the annotated copy to ``out`` would overwrite (the same file, also
    through another name or a link), or ``None``."""
    target = Path(out).resolve()
    for p in paths:
        if Path(p).resolve() == target or (target.exists() and Path(p).exists() and target.samefile(p)):
            return Path(p)
    return None


def annotate(paths: list[Path], problems: list[Problem], out: Path, lang: str = "de") -> Path:
    """Write the annotated copy of the register ``paths`` with ``problems`` (as ``register check`` found them);
    never over one of ``paths`` (:class:`~praevention.errors.PipelineError`)."""
    from praevention.errors import PipelineError

    if (same := overwritten_input(paths, out)) is not None:
        raise PipelineError(f"{same}: die kommentierte Kopie darf das Original nicht überschreiben")
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    files = [read_register(p) for p in paths]
    tables = {(f.path.name, t.sheet): t for f in files for t in f.tables}
    wb, sheets = _workbook(files)
    by_cell: dict[tuple[int, tuple[int, int]], list[tuple[Problem, str]]] = {}
    placed: list[tuple[Problem, object, tuple[int, int] | None]] = []
    for p in problems:
        ws = sheets.get((p.file, p.sheet))
        where = _cell(p, tables) if ws is not None else None
        placed.append((p, ws, where))
        if ws is None or where is None:
            continue
        text = block(p, lang)
        if p.code in APPLIED and p.replacement is not None:
            change = _apply(ws.cell(*where), p)
            text += f"\n{change}" if change else ""
        by_cell.setdefault((id(ws), where), []).append((p, text))
    worksheets = {id(ws): ws for ws in sheets.values()}
    for (ws_id, (row, col)), items in by_cell.items():
        cell = worksheets[ws_id].cell(row, col)
        severity = "error" if any(p.is_error for p, _ in items) else "warning"
        cell.fill = PatternFill("solid", fgColor=FILLS[severity])
        text = "\n\n".join(t for _, t in items)
        lines = sum(1 + len(line) // 50 for line in text.splitlines())
        cell.comment = Comment(text, AUTHOR, height=min(600, 20 + 15 * lines), width=360)
    summary = wb.create_sheet(SUMMARY, 0)
    h = HEADERS[lang]
    header = ("Nr.", "Art" if lang == "de" else "Kind", "Datei" if lang == "de" else "File", *h, "Zelle")
    summary.append(header)
    for c in range(1, len(header) + 1):
        summary.cell(1, c).font = Font(bold=True)
    order = sorted(placed, key=lambda x: (x[0].file, not x[0].is_error, x[0].sheet, x[0].row or 0, x[0].column))
    for n, (p, ws, where) in enumerate(order, start=1):
        problem, fix = p.text(lang)
        cells = [n, SEVERITY[lang][p.severity], p.file, p.sheet, p.row, p.column or None, p.value or None, problem, fix]
        summary.append([neutralise_formula(v) for v in cells])
        if ws is not None and where is not None:
            target = f"'{ws.title}'!{column_letter(where[1])}{where[0]}"
            link = summary.cell(n + 1, len(header), target.split("!")[1] + f" ({ws.title})")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target, display=link.value)
            link.font = Font(color="0563C1", underline="single")
        summary.cell(n + 1, 2).fill = PatternFill("solid", fgColor=FILLS[p.severity])
    for letter, width in zip("ABCDEFGHIJ", (6, 10, 22, 14, 7, 20, 24, 60, 60, 18), strict=True):
        summary.column_dimensions[letter].width = width
    for row in summary.iter_rows(min_row=2):
        for cell in row[7:9]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    summary.freeze_panes = "A2"
    wb.active = 0
    return write_document(out, wb)
