"""A Dagster logger that prints one line per finished step on the terminal, instead of Dagster's debug log."""

from __future__ import annotations

import logging
import sys
import time

from dagster import logger


class _ProgressHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:  # a progress line must never fail a step
            self.handleError(record)

    def _emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            if record.levelno >= logging.ERROR:
                print(f"  ! {step}: {record.getMessage()}", file=sys.stderr)
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
            print(f"  … {step}", file=sys.stderr, flush=True)
        elif kind == "STEP_SUCCESS":
            took = time.monotonic() - self.started.get(step, time.monotonic())
            print(f"  ✓ {step} ({took:.1f} s)", file=sys.stderr, flush=True)
        elif kind == "STEP_FAILURE":
            print(f"  ✗ {step} failed", file=sys.stderr, flush=True)
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                sev = "warning" if str(data.severity).endswith("WARN") else "FAILED"
                print(f"    check {data.check_name}: {sev}", file=sys.stderr, flush=True)


@logger(description="One line per step on stderr (used by the praevention CLI).")
def progress_logger(init_context) -> logging.Logger:
    log = logging.getLogger("praevention.progress")
    log.setLevel(logging.DEBUG)
    log.handlers = [_ProgressHandler()]
    log.propagate = False
    return log
