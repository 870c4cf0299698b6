"""The terminal display of a CLI run: one line per stage (asset), live with a progress bar on a terminal,
and a summary at the end; Dagster's own log lines stay in the instance (the UI shows them).

Long steps report progress through :func:`step_progress` (a debug line in the step's log, which the
display turns into a bar).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dagster import Field, logger

PROGRESS_MARK = "progress "
BAR_WIDTH = 24


def step_progress(log: logging.Logger | object, every_percent: int = 5) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for plain functions, logging at most every ``every_percent``."""
    last = [-every_percent]

    def report(done: int, total: int) -> None:
        if total <= 0:
            return
        pct = done * 100 // total
        if pct - last[0] >= every_percent or (done >= total and last[0] < 100):
            last[0] = pct
            log.debug(f"{PROGRESS_MARK}{done}/{total}")

    return report


def bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"


@dataclass
class RunTally:
    """What the run did, for the summary line."""

    materialized: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    checks_passed: int = 0
    warnings: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    files: int = 0


class _ProgressHandler(logging.Handler):
    def __init__(self, stages: set[str], live: bool, stream=None) -> None:
        super().__init__(level=logging.DEBUG)
        self.stages = stages
        self.live = live
        self.stream = stream or sys.stderr
        self.started: dict[str, float] = {}
        self.checks: dict[str, list[str]] = {}
        self.open_line = ""
        self.tally = RunTally()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:  # a progress line must never fail a step
            self.handleError(record)

    def _write(self, text: str, *, final: bool) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
            self.open_line = "" if final else text
        elif final:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _line(self, text: str) -> None:
        """A line of its own, above the live line."""
        if self.live and self.open_line:
            self.stream.write("\r\033[K" + text + "\n" + self.open_line)
            self.stream.flush()
        else:
            self._write(text, final=True)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            message = record.getMessage()
            text = meta.get("orig_message") or message
            if isinstance(text, str) and text.startswith(PROGRESS_MARK) and step in self.stages:
                done, total = (int(x) for x in text[len(PROGRESS_MARK) :].split("/"))
                took = time.monotonic() - self.started.get(step, time.monotonic())
                self._write(f"  … {step} {bar(done, total)} {took:.0f} s", final=False)
            elif record.levelno >= logging.ERROR:
                self._line(f"  ! {step}: {text}")
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            if step in self.stages:
                self._write(f"  … {step}", final=False)
        elif kind == "STEP_SUCCESS" and step in self.stages:
            took = time.monotonic() - self.started.get(step, time.monotonic())
            self._write(f"  ✓ {step} ({took:.1f} s)", final=True)
        elif kind == "STEP_FAILURE":
            self.tally.failed.append(step)
            self._write(f"  ✗ {step} gescheitert", final=True)
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            self.tally.materialized.append(materialization.asset_key.to_user_string())
            files = materialization.metadata.get("files")
            if isinstance(getattr(files, "value", None), int):
                self.tally.files += files.value
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            name = f"{data.asset_key.to_user_string()} / {data.check_name}"
            if data.passed:
                self.tally.checks_passed += 1
            elif str(data.severity).endswith("WARN"):
                self.tally.warnings.append(name)
                self._line(f"    Warnung: Prüfung {name} nicht bestanden")
            else:
                self.tally.blocking.append(name)
                self._line(f"    GESCHEITERT: blockierende Prüfung {name}")


@logger(
    config_schema={
        "stages": Field([str], is_required=False, default_value=[], description="step keys shown as stages"),
        "live": Field(bool, is_required=False, default_value=False, description="redraw lines (a terminal)"),
    },
    description="One line per stage on stderr, live on a terminal (used by the praevention CLI).",
)
def progress_logger(init_context) -> logging.Logger:
    log = logging.getLogger("praevention.progress")
    log.setLevel(logging.DEBUG)
    handler = _ProgressHandler(set(init_context.logger_config["stages"]), init_context.logger_config["live"])
    log.handlers = [handler]
    log.propagate = False
    return log


def current_tally() -> RunTally:
    """The tally of the latest run shown by :func:`progress_logger` in this process."""
    handlers = [h for h in logging.getLogger("praevention.progress").handlers if isinstance(h, _ProgressHandler)]
    return handlers[0].tally if handlers else RunTally()
