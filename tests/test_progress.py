"""The terminal display of a run: one line per stage, a live bar for long steps, the end of every step."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

from pipelines.progress import _ProgressHandler, bar, step_progress


def _record(step: str, *, event: str | None = None, message: str = "") -> logging.LogRecord:
    record = logging.LogRecord("x", logging.DEBUG, "", 0, message, None, None)
    meta = {"step_key": step, "orig_message": message}
    if event is not None:
        meta["dagster_event"] = SimpleNamespace(event_type_value=event)
    record.dagster_meta = meta
    return record


def _show(live: bool) -> str:
    stream = io.StringIO()
    handler = _ProgressHandler({"fact_sheets", "conference_kit"}, live, stream)
    for step in ("fact_sheets", "conference_kit"):
        handler.emit(_record(step, event="STEP_START"))
        if step == "fact_sheets":
            for done in (0, 110, 221):
                handler.emit(_record(step, message=f"progress {done}/221"))
        handler.emit(_record(step, event="STEP_SUCCESS"))
    handler.emit(_record("panel_key_unique", event="STEP_SUCCESS"))  # a check's step: no line of its own
    return stream.getvalue()


def test_every_stage_reports_its_end_once() -> None:
    plain = _show(live=False)
    assert [line.split(" (")[0] for line in plain.splitlines()] == ["  ✓ fact_sheets", "  ✓ conference_kit"]


def test_on_a_terminal_the_stage_line_is_redrawn_with_a_bar() -> None:
    live = _show(live=True)
    assert "\r\033[K  … fact_sheets [" in live and "110/221" in live and "221/221" in live
    assert live.count("\n") == 2 and live.rstrip("\n").endswith(live.rstrip("\n").split("\r\033[K")[-1])
    assert "✓ conference_kit" in live


def test_progress_is_reported_at_most_every_five_percent() -> None:
    lines: list[str] = []
    log = SimpleNamespace(debug=lines.append)
    report = step_progress(log)
    for done in range(222):
        report(done, 221)
    assert len(lines) <= 21 and lines[-1] == "progress 221/221"
    assert bar(6, 24) == "[######..................] 6/24"
