"""A server that recovers: with the deployment's instance configuration (``deploy/dagster.yaml``) and its
start script, a run whose process is killed with SIGKILL is marked failed and the next queued run starts;
so it is when the whole daemon dies with its run and ``deploy/start.sh daemon`` starts it again.

The daemon runs a small code location of its own (a run that sleeps, a run that finishes at once), so that
the test needs neither the data nor Docker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from pipelines.recover import MESSAGE, RUN_TAG_HOST, RUN_TAG_PID, dead_runs, recover

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
LOCATION = """
import os
import time
from pathlib import Path

from dagster import Definitions, asset, define_asset_job

MARKS = Path(os.environ["RECOVERY_MARKS"])


@asset
def sleeper(context) -> None:
    (MARKS / f"{context.run_id}.pid").write_text(str(os.getpid()))
    time.sleep(900)


@asset
def quick(context) -> None:
    (MARKS / f"{context.run_id}.done").write_text("done")


defs = Definitions(
    assets=[sleeper, quick],
    jobs=[define_asset_job("sleep_run", ["sleeper"]), define_asset_job("quick_run", ["quick"])],
)
"""


def wait_for(what: str, condition: Callable[[], object], seconds: float = 240) -> object:
    """Poll until ``condition`` holds (a generous bound for a loaded machine; the assertions do not time)."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.5)
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process: subprocess.Popen) -> None:
    for pid in [process.pid, *descendants(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


class Server:
    """An instance configured like the deployment, and its daemon started by ``deploy/start.sh``."""

    def __init__(self, root: Path):
        self.home = root / "dagster"
        self.marks = root / "marks"
        self.marks.mkdir()
        (root / "location.py").write_text(textwrap.dedent(LOCATION), encoding="utf-8")
        self.workspace = root / "workspace.yaml"
        self.workspace.write_text(
            f"load_from:\n  - python_file:\n      relative_path: {root / 'location.py'}\n"
            f"      working_directory: {root}\n",
            encoding="utf-8",
        )
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(self.home),
            "DAGSTER_WORKSPACE": str(self.workspace),
            "RECOVERY_MARKS": str(self.marks),
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
        }
        self.daemon: subprocess.Popen | None = None
        self.log = root / "daemon.log"

    def start_daemon(self) -> None:
        with self.log.open("a") as log:
            self.daemon = subprocess.Popen(
                ["bash", str(DEPLOY / "start.sh"), "daemon"], env=self.env, stdout=log, stderr=log, cwd=ROOT
            )
        wait_for("the instance configuration", lambda: (self.home / "dagster.yaml").is_file())

    def launch(self, job: str) -> str:
        before = {r.dagster_run.run_id for r in self.instance().get_run_records()}
        subprocess.run(
            ["dagster", "job", "launch", "-w", str(self.workspace), "-j", job],
            env=self.env,
            check=True,
            capture_output=True,
        )
        (run_id,) = {r.dagster_run.run_id for r in self.instance().get_run_records()} - before
        return run_id

    def instance(self) -> DagsterInstance:
        return DagsterInstance.from_config(str(self.home))

    def status(self, run_id: str) -> DagsterRunStatus:
        return self.instance().get_run_by_id(run_id).status

    def pid_of(self, run_id: str) -> int:
        mark = self.marks / f"{run_id}.pid"
        wait_for(f"run {run_id} to start sleeping", mark.is_file)
        return int(mark.read_text())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    found = Server(tmp_path)
    found.home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", found.home / "dagster.yaml")
    yield found
    if found.daemon is not None:
        kill_tree(found.daemon)


@pytest.mark.slow
def test_a_killed_run_is_marked_failed_and_the_queue_goes_on(server: Server) -> None:
    server.start_daemon()
    sleeping = server.launch("sleep_run")
    waiting = server.launch("quick_run")
    pid = server.pid_of(sleeping)
    assert server.status(waiting) == DagsterRunStatus.QUEUED  # one run at a time
    os.kill(pid, signal.SIGKILL)
    wait_for("the killed run to be marked failed", lambda: server.status(sleeping) == DagsterRunStatus.FAILURE)
    wait_for("the queued run to finish", lambda: server.status(waiting) == DagsterRunStatus.SUCCESS)
    assert (server.marks / f"{waiting}.done").is_file()

    # the run died of its process, not of its data: it is queued once more (deploy/dagster.yaml run_retries)
    retry = wait_for(
        "the retry of the killed run",
        lambda: [
            r.dagster_run.run_id
            for r in server.instance().get_run_records()
            if r.dagster_run.tags.get("dagster/parent_run_id") == sleeping
        ],
    )[0]
    server.pid_of(retry)
    after = server.launch("quick_run")

    # the whole daemon dies with its running retry (power loss, docker stop): the run stays "started" ...
    kill_tree(server.daemon)
    assert server.status(retry) == DagsterRunStatus.STARTED
    assert server.status(after) == DagsterRunStatus.QUEUED
    # ... until the daemon's start marks it failed, and the queued run starts
    server.start_daemon()
    wait_for("the dead run to be marked failed", lambda: server.status(retry) == DagsterRunStatus.FAILURE)
    wait_for("the queued run to finish", lambda: server.status(after) == DagsterRunStatus.SUCCESS)
    assert "marked failed" in server.log.read_text()


def test_at_start_only_runs_whose_process_is_gone_are_marked_failed(tmp_path: Path) -> None:
    """A run the daemon launched died with it; a command-line run is dead only when its process is."""
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    gone = subprocess.Popen(["true"])
    gone.wait()
    runs = {
        "daemon": {},
        "cli_alive": {RUN_TAG_PID: str(os.getpid()), RUN_TAG_HOST: "here"},
        "cli_gone": {RUN_TAG_PID: str(gone.pid), RUN_TAG_HOST: "here"},
        "cli_elsewhere": {RUN_TAG_PID: str(gone.pid), RUN_TAG_HOST: "another host"},
    }
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        for name, tags in runs.items():
            instance.add_run(
                DagsterRun(job_name=name, run_id=f"{name}-run", status=DagsterRunStatus.STARTED, tags=tags)
            )
        assert {r.job_name for r in dead_runs(instance, host="here")} == {"daemon", "cli_gone"}
        alive = {r.job_name for r in dead_runs(instance, host="here", alive=lambda pid: True)}
        assert alive == {"daemon"}
        recovered = recover(instance)
        assert {r.job_name for r in recovered} >= {"daemon"}
        assert instance.get_run_by_id("daemon-run").status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id("cli_alive-run").status == DagsterRunStatus.STARTED
        assert MESSAGE.startswith("The server restarted")
