"""The survey source: every survey file of the raw-data folder into ``survey_responses``,
``survey_aggregates`` and ``survey_margins``, rejected rows into the quarantine.

Across files a wave is identified by its AGS and date: a second file with a wave of the same AGS and date
(the same survey saved twice, or answers and published shares of one wave, or two surveys dated alike) is
not mixed in. Its rows are quarantined naming the file that holds the wave, first the respondents' answers,
then the published shares, each in the order of the file names; margins likewise per AGS, wave and
characteristic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from praevention.ingest import SourceLoad, read_files
from praevention.readers.base import ReadResult, combine, empty_rejects, reject
from praevention.survey.read import AGGREGATES, MARGINS, RESPONSES, TYPES, form_of, read_survey, typed_frame
from praevention.warehouse import TableWrite

TABLE_NAMES = {RESPONSES: "survey_responses", AGGREGATES: "survey_aggregates", MARGINS: "survey_margins"}
ORDER = {
    RESPONSES: ("ags", "wave_date", "respondent_id", "item"),
    AGGREGATES: ("ags", "wave_date", "item", "answer"),
    MARGINS: ("ags", "wave_date", "variable", "category"),
}
_KEYS = {RESPONSES: ["ags", "wave_date"], AGGREGATES: ["ags", "wave_date"], MARGINS: ["ags", "wave_date", "variable"]}


def typed(name: str, frame: pd.DataFrame, types: dict[str, str], order_by: tuple[str, ...]) -> TableWrite:
    """A table write whose columns get their declared DuckDB types, also when the frame is empty."""
    cast = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items())
    return TableWrite(name, frame[list(types)], order_by=order_by, transform=f"SELECT {cast} FROM {{input}}")


def _when(value: object) -> str:
    return f"{value:%d.%m.%Y}" if isinstance(value, dt.date) else "alle Wellen"


def one_file_per_wave(results: list[ReadResult]) -> list[ReadResult]:
    """The results with every wave (AGS and date) taken from one file only: the rows of the same wave in a
    later file are quarantined, naming the file that holds it."""
    owner: dict[tuple, str] = {}
    out = []
    ordered = sorted(results, key=lambda r: ([RESPONSES, AGGREGATES, MARGINS].index(form_of(r)), r.source_file))
    for r in ordered:
        form = form_of(r)
        keys = _KEYS[form]
        # responses and aggregates share their waves; margins are checked among themselves
        space = "margins" if form == MARGINS else "waves"
        frame = r.frame
        clash = pd.Series(False, index=frame.index)
        reasons: dict[int, str] = {}
        for key, idx in frame.groupby(keys, sort=False, dropna=False).groups.items():
            key = key if isinstance(key, tuple) else (key,)
            holder = owner.setdefault((space, *key), r.source_file)
            if holder != r.source_file:
                clash[idx] = True
                what = f"{key[2]} " if form == MARGINS else ""
                text = (
                    f"Welle {_when(key[1])} für AGS {key[0]} {what}liegt schon aus {holder} vor: zwei Wellen mit "
                    "demselben Datum werden nicht gemischt (doppelt abgelegt? sonst das Datum der Welle prüfen)"
                )
                for line in frame.loc[idx, "source_line"].unique():
                    reasons[int(line)] = text
        if not reasons:
            out.append(r)
            continue
        extra = [
            reject(r.source_file, line, "wave_date", f"{frame.loc[frame['source_line'] == line].iloc[0]['ags']}", why)
            for line, why in sorted(reasons.items())
        ]
        rejects = (
            pd.concat([r.rejects, pd.DataFrame(extra)], ignore_index=True) if len(r.rejects) else pd.DataFrame(extra)
        )
        out.append(
            ReadResult(
                r.source_file,
                frame[~clash].reset_index(drop=True),
                rejects,
                rows_read=r.rows_read,
                rows_loaded=r.rows_loaded - len(reasons),
                note=r.note,
            )
        )
    return sorted(out, key=lambda r: r.source_file)


def load_surveys(paths: list[Path], today: dt.date | None = None) -> SourceLoad:
    """Every survey file (workbook or CSV, either form) into the three survey tables."""
    results, failed = read_files(paths, lambda p: read_survey(p, today))
    results = one_file_per_wave(results)
    tables = []
    frames = {}
    for form in (RESPONSES, AGGREGATES, MARGINS):
        parts = [r.frame for r in results if form_of(r) == form and len(r.frame)]
        frames[form] = pd.concat(parts, ignore_index=True) if parts else typed_frame(form)
        tables.append(typed(TABLE_NAMES[form], frames[form], TYPES[form], ORDER[form]))
    _, rejects, log = combine(results)
    log = pd.concat([log, pd.DataFrame(failed)], ignore_index=True) if failed else log
    if len(log):
        log = log.sort_values("source_file").reset_index(drop=True)
    preview = _preview(frames)
    return SourceLoad(tables, rejects if len(rejects) else empty_rejects(), log, preview)


def _preview(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Waves per AGS: respondents (answers form) or questions (published shares)."""
    parts = []
    resp = frames[RESPONSES]
    if len(resp):
        parts.append(
            resp.groupby(["ags", "wave_date"], as_index=False)
            .agg(respondents=("respondent_id", "nunique"))
            .assign(form="Antworten")
        )
    agg = frames[AGGREGATES]
    if len(agg):
        parts.append(
            agg.groupby(["ags", "wave_date"], as_index=False).agg(questions=("item", "nunique")).assign(form="Anteile")
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"ags": [], "wave_date": []})
