"""Start-up recovery of dead runs, before the daemon starts (``deploy/start.sh daemon``).

A run whose process was killed outright (out of memory, power loss, ``docker stop``, ``systemctl restart``)
reports nothing: the instance still shows it as starting, started or canceling, and the queue, which takes one
run at a time, would wait for it. While the daemon lives, its code server notices a run process that died and
marks the run failed, and run monitoring ends any run that exceeds ``max_runtime_seconds``
(``deploy/dagster.yaml``). After a restart nobody would notice, so the daemon's start marks them failed first:

* a run the daemon launched: its process ran below the daemon, which systemd (the unit's control group) or
  Docker (the container) stopped with it;
* a run of ``praevention run`` on the server (tags ``praevention/pid`` and ``praevention/host``): when no
  process of that number is alive on this host any more.

    python -m pipelines.recover      # prints one line per run marked failed
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

#: run tags of a CLI run: the process that executes it and its host
RUN_TAG_PID = "praevention/pid"
RUN_TAG_HOST = "praevention/host"
IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
MESSAGE = "The server restarted while this run was in progress: its process is gone (start-up recovery)."


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def cli_tags() -> dict[str, str]:
    """The tags a CLI run carries: its process, so that a restart can tell whether it still runs, and no
    automatic retry by the daemon (the CLI executes its runs itself)."""
    return {RUN_TAG_PID: str(os.getpid()), RUN_TAG_HOST: socket.gethostname(), "dagster/max_retries": "0"}


def dead_runs(
    instance: DagsterInstance, host: str | None = None, alive: Callable[[int], bool] = process_alive
) -> list[DagsterRun]:
    """The runs in progress whose process is gone, at the daemon's start."""
    host = host or socket.gethostname()
    dead = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=IN_PROGRESS)):
        run = record.dagster_run
        pid = run.tags.get(RUN_TAG_PID)
        if pid is None or (run.tags.get(RUN_TAG_HOST) == host and not alive(int(pid))):
            dead.append(run)
    return dead


def recover(instance: DagsterInstance) -> list[DagsterRun]:
    """Mark every dead run failed, with the reason in its log; the queue then goes on."""
    dead = dead_runs(instance)
    for run in dead:
        instance.report_run_failed(run, MESSAGE)
    return dead


def main() -> int:
    with DagsterInstance.get() as instance:
        for run in recover(instance):
            sys.stderr.write(f"recover: run {run.run_id} ({run.job_name}) marked failed: {MESSAGE}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
