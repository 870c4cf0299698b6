"""The figures of ``docs/reliability.md``, measured, printed as Markdown.

    uv run python -m tests.reliability.report [--outputs reports/] > docs/reliability.md

Runs the malformed-input corpus, kill-and-rerun trials on a large write, three ingests of the real data
and three renders of the synthetic Land (determinism), and the privacy scan (on a synthetic render and,
with ``--outputs``, on a real output folder). Takes about five minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tests.conftest import PROJECT_ROOT, SHARED_DATA, table_digest
from tests.reliability.corpus import CASES, run_case, summary
from tests.reliability.test_crash_and_concurrency import NEW, OLD, WRITER, _complete, _state


def corpus() -> tuple[list[str], dict[str, str]]:
    """The corpus table, and each case's outcome (case name → outcome, ``!`` appended when not as expected)."""
    outcomes = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            outcomes.append((case, run_case(case, Path(tmp))))
    results = {c.name: o.kind + ("" if o.kind == c.expected else " !") for c, o in outcomes}
    df = summary(outcomes)
    df["as expected"] = df["expected"] == df["outcome"]
    by_source = df.groupby("source").agg(
        inputs=("case", "size"),
        errors=("outcome", lambda s: int((s == "error").sum())),
        refused=("outcome", lambda s: int((s == "refused").sum())),
        quarantined=("outcome", lambda s: int((s == "quarantine").sum())),
        caught_by_check=("outcome", lambda s: int((s == "check").sum())),
        loaded=("outcome", lambda s: int((s == "loaded").sum())),
        rows_quarantined=("rows_quarantined", "sum"),
        as_expected=("as expected", "sum"),
    )
    lines = [
        f"## Malformed inputs\n\n{len(df)} inputs generated from the real files (`tests/reliability/corpus.py`), "
        f"{int(df['as expected'].sum())} with the expected outcome; none crashed, none left a partly filled table, "
        "and rows read = rows loaded + rows quarantined held for every file. Outcomes: *error* – the source "
        "stops with one line naming the files; *refused* – the file is not loaded and named with its reason "
        "(run summary, `ingest_log`, check `files_readable`) while the source's other files load; *quarantine* "
        "– the bad rows are kept in `quarantine` with their reason; *check* – an asset check flags the load "
        "(blocking ones stop the joins); *loaded* – read correctly (the figures are asserted in "
        "`tests/readers/test_pks.py` and `tests/test_ingest_files.py`).\n",
        "| source | inputs | error | refused | quarantine (inputs) | check | loaded | rows quarantined | as expected |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for src, r in by_source.iterrows():
        lines.append(
            f"| {src} | {r.inputs} | {r.errors} | {r.refused} | {r.quarantined} | {r.caught_by_check} | {r.loaded} | "
            f"{r.rows_quarantined} | {r.as_expected} |"
        )
    lines += ["", "| source | input | outcome | reason (shortened) |", "|---|---|---|---|"]
    for r in df.itertuples():
        reason = _without_paths(r.message)[:110] if r.outcome in ("error", "refused") else r.message[:110]
        lines.append(f"| {r.source} | {r.case} | {r.outcome} | {reason.replace('|', '/')} |")
    return lines, results


SAFEGUARD_TESTS = "tests/reliability/test_safeguards.py"
PUBLICATION_TESTS = "tests/render/test_publication.py"
PRIVACY_TESTS = "tests/test_privacy.py"
REGISTER_TESTS = "tests/register/test_saved_by_spreadsheets.py"
CORPUS = "tests/reliability/corpus.py"
#: each kind of damage, leak or loss: what happens now, where a test shows it, and the corpus case (if any)
#: whose measured outcome the table adds
SAFEGUARDS: list[tuple[str, str, str, str, str | None]] = [
    (
        "data loss",
        "the privacy scan deleted the user's own files below --out",
        "products are rendered and scanned in a staging folder of the Dagster instance; a finding publishes nothing and deletes nothing",
        "tests/test_engine.py::test_a_privacy_leak_fails_every_run_and_publishes_nothing",
        None,
    ),
    (
        "data loss",
        "--out named a folder holding other files (index.html, Protokolle/)",
        "refused before any work with one German line; only a new, empty or manifest-holding folder is written to, and only files of its manifest are changed or removed",
        f"{PUBLICATION_TESTS}::test_a_foreign_folder_a_file_and_the_raw_data_are_refused_untouched, ::test_publication_touches_only_the_files_of_its_manifest, ::test_a_product_that_would_overwrite_a_foreign_file_publishes_nothing",
        None,
    ),
    (
        "data loss",
        "register check X --annotate X overwrote the workbook",
        "refused (also through another path or a link), exit code 2, the input unchanged",
        f"{SAFEGUARD_TESTS}::test_annotate_never_overwrites_its_input_and_writes_no_live_formula",
        None,
    ),
    (
        "leak",
        "names after a function or rank (Ansprechpartnerin …, KHK …), also with initials and particles",
        "removed, the function or rank kept",
        f"{PRIVACY_TESTS}::test_names_after_a_function_or_rank_go_the_function_stays, ::test_names_after_a_salutation_go_with_it",
        None,
    ),
    (
        "leak",
        "mobile numbers without a separator (Handy 01512345678), compact numbers after a phone word",
        "removed",
        f"{PRIVACY_TESTS}::test_mobile_numbers_without_a_separator, ::test_phone_numbers_in_every_form",
        None,
    ),
    (
        "leak",
        "e-mail as 'vorname.nachname at stadt.de' and other obfuscations",
        "removed",
        f"{PRIVACY_TESTS}::test_email_addresses_in_every_obfuscation",
        None,
    ),
    (
        "leak",
        "dates of birth (geb. 12.03.1965)",
        "removed, the word kept",
        f"{PRIVACY_TESTS}::test_dates_of_birth",
        None,
    ),
    (
        "leak",
        "IBANs, also half redacted",
        "removed (checksum-validated; masked ones by form)",
        f"{PRIVACY_TESTS}::test_ibans_validated_by_their_checksum, ::test_half_redacted_ibans",
        None,
    ),
    (
        "leak",
        "personal data in a source URL's query string",
        "the parameter's value removed, technical parameters kept",
        f"{PRIVACY_TESTS}::test_personal_values_in_url_query_strings, ::test_technical_query_strings_stay",
        None,
    ),
    (
        "leak",
        "speaker notes, slide tables, alt texts, embedded HTML data, cell comments unread by the scan",
        "one extractor feeds the privacy scan and the product check; each file is read once; the scan cache is keyed on the recognisers' code",
        f"{PUBLICATION_TESTS}::test_one_extractor_reads_notes_tables_groups_and_alt_text, ::test_embedded_data_comments_and_properties_are_scanned, tests/render/test_cache.py::test_privacy_scan_rereads_only_changed_files_and_never_caches_a_finding",
        None,
    ),
    (
        "leak",
        "cells starting with +, -, @, tab or CR in offene-daten/*.csv and the workbook",
        "every text cell of every CSV and XLSX output gets a leading apostrophe; the product check finds any left",
        f"{PUBLICATION_TESTS}::test_every_text_cell_of_the_csv_and_xlsx_outputs_is_neutralised, {PRIVACY_TESTS}::test_every_formula_start_is_neutralised",
        None,
    ),
    (
        "leak",
        "=WEBSERVICE(…) as a live formula in the Prüfbericht of --annotate",
        "written as text with an apostrophe",
        f"{SAFEGUARD_TESTS}::test_annotate_never_overwrites_its_input_and_writes_no_live_formula",
        None,
    ),
    (
        "silent wrong data",
        "a PKS CSV cut off mid-row by an interrupted download",
        "the file is refused naming it; the missing year stops the run",
        "tests/readers/test_pks.py::test_a_table_cut_off_is_refused_naming_the_file",
        "2022 cut off at 40 % of its bytes (interrupted download)",
    ),
    (
        "silent wrong data",
        "a PKS CSV cut off at a line boundary",
        "refused: an offence key lists fewer Kreise than the others",
        "tests/readers/test_pks.py::test_a_table_cut_off_is_refused_naming_the_file",
        "2022 cut off at a line boundary",
    ),
    (
        "silent wrong data",
        "a PKS table without rows of the Land",
        "blocking check land_present names the year and the file",
        CORPUS,
        "exported for another Land: no Sachsen-Anhalt rows",
    ),
    (
        "silent wrong data",
        "an RFC-quoted ';' in a label; a 'quote all' CSV",
        "read by Python's CSV reader",
        "tests/readers/test_pks.py::test_quoted_cells_are_read_by_the_csv_standard",
        "a label with a quoted ';' (RFC 4180)",
    ),
    (
        "silent wrong data",
        "an Unfallatlas re-export with new IDs beside the original",
        "blocking check natural_key_unique (time, place, kind and coordinates in two files)",
        CORPUS,
        "a re-export with new IDs beside the original",
    ),
    (
        "silent wrong data",
        "a Regionalstatistik row shifted by one empty cell",
        "the row is quarantined (the table writes '-' or '.', never nothing)",
        CORPUS,
        "a row shifted by one empty cell (Halle 2014)",
    ),
    (
        "silent wrong data",
        "Kreis boundaries with swapped axes",
        "refused: longitude and latitude swapped",
        CORPUS,
        "longitude and latitude swapped",
    ),
    (
        "silent wrong data",
        "a Kreis area far from the Gemeindeverzeichnis",
        "blocking check areas_known (within 5 %)",
        CORPUS,
        "a Kreis boundary twice as large as in the Gemeindeverzeichnis",
    ),
    (
        "silent wrong data",
        "a corrected GV100AD copy of the same edition",
        "stops naming both files and the first difference",
        CORPUS,
        "a corrected copy of the same edition with other figures",
    ),
    (
        "silent wrong data",
        "a register saved as Excel 'Unicode-Text' (UTF-16)",
        "read like any CSV",
        f"{REGISTER_TESTS}::test_excels_unicode_text_loads_like_the_csv",
        "saved by Excel as 'Unicode-Text' (UTF-16, tabs)",
    ),
    (
        "silent wrong data",
        "a register file that cannot be read",
        "named with its reason; blocking check files_read",
        CORPUS,
        "an unreadable file beside a good register",
    ),
    (
        "silent wrong data",
        "PRAEVENTION_REGIONS=landkreise and other unknown setting values",
        "one German line naming the allowed values, exit code 2",
        f"{SAFEGUARD_TESTS}::test_an_unknown_setting_is_one_german_line",
        None,
    ),
    (
        "silent wrong data",
        "LKA rows for Gemeinden of other Länder",
        "quarantined with the reason",
        "tests/readers/test_lka.py::test_csv_in_german_notation_windows_1252",
        "a Gemeinde of another Land",
    ),
    (
        "silent wrong data",
        "an accident year of 2020.5",
        "quarantined (codes are kept only as whole numbers)",
        CORPUS,
        "a year written 2020.5",
    ),
    (
        "silent wrong data",
        "marks of the official statistics ('–', '.', 'x')",
        "recognised and counted in the file's note; a mark instead of the cases quarantines the row with that reason",
        CORPUS,
        "marks of the official statistics ('.', 'x', '–') instead of numbers",
    ),
    (
        "silent wrong data",
        "shares a spreadsheet turned into dates ('07. Mai')",
        "quarantined as such, and one summary line per file in the run",
        f"{SAFEGUARD_TESTS}::test_a_file_loaded_short_gets_one_summary_line",
        "shares a spreadsheet turned into dates ('07. Mai')",
    ),
    (
        "unclean error",
        "SIGKILL while rendering left .partial files",
        "removed at the start of the next run (staging folder; in the output folder only those of its manifest's files)",
        f"{PUBLICATION_TESTS}::test_leftover_partial_files_are_removed_and_only_those",
        None,
    ),
    (
        "unclean error",
        "a Berichtsjahr column formatted as dates in the LKA template",
        "read as the years typed, with a note",
        "tests/readers/test_lka.py::test_a_berichtsjahr_column_formatted_as_dates_is_read_as_the_years_typed",
        "Berichtsjahr typed into date-formatted cells",
    ),
    (
        "unclean error",
        "PRAEVENTION_LAND=99 on real data ended in KeyError: 'evaluable'",
        "blocking land_present checks name the files; an evaluation without measures gives an empty table",
        f"{SAFEGUARD_TESTS}::test_a_register_without_a_measure_in_the_land_evaluates_to_an_empty_table",
        None,
    ),
    (
        "unclean error",
        "a damaged Dagster instance database",
        "one German line naming the database file and what to do",
        f"{SAFEGUARD_TESTS}::test_a_damaged_instance_database_names_the_file_and_what_to_do",
        None,
    ),
    (
        "unclean error",
        "--out at the raw-data folder or at a file",
        "refused before any work, one German line",
        f"{PUBLICATION_TESTS}::test_the_cli_stops_before_any_work_with_one_german_line",
        None,
    ),
    (
        "unclean error",
        "an unreadable file reported as 'unknown layout'",
        "named with 'keine Leseberechtigung' and the fix",
        f"{SAFEGUARD_TESTS}::test_a_file_the_pipeline_may_not_read_is_named_with_keine_leseberechtigung",
        None,
    ),
    (
        "unclean error",
        "control characters in a file name forged output lines",
        "every name and message is printed with them escaped",
        f"{SAFEGUARD_TESTS}::test_control_characters_in_a_file_name_cannot_forge_output_lines",
        None,
    ),
    (
        "unclean error",
        "a failed blocking check named only itself",
        "its first rows follow, each led by the raw file and line",
        f"{SAFEGUARD_TESTS}::test_a_blocking_check_names_its_first_rows_with_file_and_line",
        None,
    ),
    (
        "still open",
        "the PKS 2013 .xls with its four-row header",
        "read by content (hyphenated words joined, two candidate columns settled by their values)",
        "tests/readers/test_pks.py::test_legacy_xls_layout_loads_with_exact_totals",
        "the 2013 layout with its four-row header (.xls, synthetic figures)",
    ),
    (
        "still open",
        "register check and ingest disagreed; CSV and XLSX of one register loaded other rows",
        "the check reads the same population sources as the ingest; dates as spreadsheets write them into CSV are read",
        f"{REGISTER_TESTS}::test_check_promises_what_praevention_ingest_loads, ::test_a_workbook_and_the_csv_a_spreadsheet_saves_from_it_load_the_same_rows",
        None,
    ),
]


def safeguards(outcomes: dict[str, str]) -> list[str]:
    lines = [
        "## Damage, leaks and losses\n",
        "Each kind of damage a user's files and folders bring, what happens now and the test that shows it; where "
        "the malformed-input corpus holds the case, its measured outcome (`!` when not the expected one).\n",
        "| kind | input | behaviour now | test | corpus outcome |",
        "|---|---|---|---|---|",
    ]
    for kind, damage, behaviour, test, case in SAFEGUARDS:
        lines.append(f"| {kind} | {damage} | {behaviour} | `{test}` | {outcomes.get(case, '') if case else ''} |")
    return lines


def _without_paths(message: str) -> str:
    """A message with the temporary folders of the case cut from the file names it gives."""
    import re

    return re.sub(r"/\S*/raw/", "", message)


def kills(trials: tuple[float, ...] = (0.2, 0.5, 0.8, 1.2, 2.0)) -> list[str]:
    rows = []
    for delay in trials:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "w.duckdb"
            _complete(path, OLD)
            with subprocess.Popen(
                [sys.executable, "-c", WRITER, str(path), str(NEW)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
            ) as proc:
                proc.stdout.readline()
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            n, _, leftovers = _state(path)
            state = "old table intact" if n == OLD else "new table complete" if n == NEW else f"BROKEN ({n} rows)"
            rerun = _complete(path, NEW) == 0 and _state(path)[0] == NEW
            rows.append(f"| {delay:.1f} s | {state} | {len(leftovers)} | {'complete' if rerun else 'FAILED'} |")
    return [
        "## Kill and re-run\n",
        f"A write of {NEW:,} rows over a table of {OLD:,} rows, killed with SIGKILL after the given delay, then "
        "re-run (`tests/reliability/test_crash_and_concurrency.py` runs three of these, and kills a real "
        "`praevention ingest` mid-way and compares the re-run's tables with a clean ingest).\n",
        "| killed after | warehouse after the kill | staging tables dropped | re-run |",
        "|---|---|---|---|",
        *rows,
    ]


def _outputs_digest(out: Path) -> dict[str, str]:
    digests = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file() or ".cache" in p.parts:
            continue
        digests[p.relative_to(out).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digests


def determinism() -> list[str]:
    from pipelines.cli import main
    from tests.render.synthetic_land import make_report_data, render_products
    from tests.test_ingest import TABLES

    with tempfile.TemporaryDirectory() as tmp:
        table_runs = []
        for i in range(3):
            path = Path(tmp) / f"w{i}.duckdb"
            main(["ingest", "--raw-dir", str(SHARED_DATA), "--warehouse", str(path)])
            con = duckdb.connect(str(path), read_only=True)
            table_runs.append({t: table_digest(con, t) for t in [*TABLES, "quarantine", "ingest_log"]})
            con.close()
        output_runs = []
        for i in range(3):
            out = Path(tmp) / f"out{i}"
            render_products(make_report_data(24), out)
            output_runs.append(_outputs_digest(out))
    same_tables = sum(all(r[t] == table_runs[0][t] for r in table_runs) for t in table_runs[0])
    same_files = sum(all(r.get(f) == output_runs[0][f] for r in output_runs) for f in output_runs[0])
    return [
        "## Determinism\n",
        f"* Three ingests of `../shared/data` into fresh warehouses: {same_tables} of {len(table_runs[0])} tables "
        "byte-identical (SHA-256 over the sorted content; `ingest_log` holds no timestamps).",
        f"* Three renders of the synthetic Land: {same_files} of {len(output_runs[0])} files byte-identical. PDFs "
        "carry no creation date; XLSX and PPTX carry the data date, also on their zip members; SVG and HTML ids "
        "are derived from the file name. Every output carries the data date (the end of the latest crime or "
        "accident year), not the day of the run, and is written to a temporary file in its folder and renamed "
        "when complete (`praevention/files.py`): a full disk leaves the previous file, never a truncated one.",
    ]


def privacy(outputs: Path | None) -> list[str]:
    from praevention.publish.privacy_scan import register_contact_names, scan
    from praevention.register.load import discover_register_files
    from tests.render.synthetic_land import make_report_data, render_products

    lines = [
        "## Privacy scan\n",
        "| outputs | files scanned by type | contact names checked | findings |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        render_products(make_report_data(24), out)
        findings, coverage = scan(out, {"Erika Musterfrau"})
        lines.append(
            f"| synthetic Land (24 Gemeinden) | {dict(sorted(coverage.items()))} | 1 (planted) | {len(findings)} |"
        )
    if outputs is not None:
        names = register_contact_names(discover_register_files(SHARED_DATA, None))
        findings, coverage = scan(outputs, names)
        lines.append(f"| `{outputs}` (real run) | {dict(sorted(coverage.items()))} | {len(names)} | {len(findings)} |")
    lines.append(
        "\nThe same scan is the blocking asset check `site/privacy_scan` of every `praevention run`, on the staged "
        "products before anything is published. `tests/render/test_privacy.py` plants an e-mail address in an HTML "
        "fact sheet, a phone number in the workbook and a contact name in a deck; `tests/render/test_publication.py` "
        "hides them in speaker notes, slide tables, alt texts, embedded data, cell comments and document properties; "
        "the scan finds all of them."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=Path, help="a real output folder to scan as well (e.g. reports/)")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus_lines, outcomes = corpus()
    lines = [
        "# Reliability\n",
        "Generated by `uv run python -m tests.reliability.report --outputs reports/ > docs/reliability.md` "
        "after `praevention run --raw-dir ../shared/data --out reports/`. Every protection below is also a test "
        "that fails when the protection is removed (`tests/reliability/`, `tests/render/test_privacy.py`).\n",
        *corpus_lines,
        "",
        *safeguards(outcomes),
        "",
        *kills(),
        "",
        *determinism(),
        "",
        *privacy(args.outputs),
        "",
    ]
    lines += [
        "## Small numbers\n",
        "One rule, `praevention/render/fmt.py: publish_count`: counts of 1–2 that the pipeline aggregates itself "
        "(Unfallatlas points per Gemeinde) are shown as `<3`, without rate, interval or change; counts the source "
        "publishes itself are shown, and marked `*` in fact sheets of Gemeinden under 1,000 inhabitants. Tested on "
        "the fact sheet (PDF and HTML), the workbook and the map hover text (`tests/render/`). The decks show no "
        "per-Gemeinde counts.\n",
        "## Supply chain\n",
        "Dependencies are pinned in `uv.lock` and installed with `uv sync --frozen`; ruff's security rules (S) run "
        "in CI. `pip-audit` does not work on this network: the package mirror does not serve PyPI's vulnerability "
        'API, so every package comes back "not found on PyPI" (an empty audit, not a clean one). Where pypi.org is '
        "reachable: `uv export --frozen --no-hashes --no-emit-project > req.txt && uv run pip-audit -r req.txt "
        "--no-deps --disable-pip`.\n",
        f"_Measured in {time.perf_counter() - started:.0f} s._",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
