"""The server deployment in deploy/: its files agree with each other, the instance configuration loads with
run monitoring and retries, the register and the products are host folders, nothing switches sensors on at
start, the backup has a timer, and uv is installed the way Debian 12 allows."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
STATE = PurePosixPath("/var/lib/praeventionsmonitor")
#: folders staff reach: the register and the published products
HOST = PurePosixPath("/srv/praeventionsmonitor")


def _env() -> dict[str, str]:
    lines = (DEPLOY / "praeventionsmonitor.env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return unit


def test_settings_put_the_state_on_the_state_volume_the_register_and_products_in_host_folders() -> None:
    env = _env()
    assert env["WEBSERVER_HOST"] == "127.0.0.1"
    state = [env["DAGSTER_HOME"], env["PRAEVENTION_RAW_DIR"], env["PRAEVENTION_WAREHOUSE"]]
    assert all(PurePosixPath(p).is_relative_to(STATE) for p in state)
    assert all(PurePosixPath(env[k]).is_relative_to(HOST) for k in ("PRAEVENTION_REGISTER", "PRAEVENTION_OUT"))
    assert env["PRAEVENTION_SENSORS"] == "on"


def test_compose_runs_webserver_and_daemon_on_volumes_and_bind_mounts_and_publishes_only_on_loopback() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {name: s["command"] for name, s in services.items()} == {"webserver": ["webserver"], "daemon": ["daemon"]}
    assert all(p.startswith("127.0.0.1:") for p in services["webserver"]["ports"])
    assert "ports" not in services["daemon"]
    env = _env()
    volumes = [env["DAGSTER_HOME"], env["PRAEVENTION_RAW_DIR"], str(PurePosixPath(env["PRAEVENTION_WAREHOUSE"]).parent)]
    for service in services.values():
        assert (DEPLOY / service["env_file"]).is_file()
        mounts = {m.split(":")[1]: m.split(":") for m in service["volumes"]}
        assert set(volumes) <= set(mounts)
        assert {mounts[v][0] for v in volumes} <= set(compose["volumes"])  # named volumes
        # the host folders at the same paths: the register read-only, the products written
        assert mounts[env["PRAEVENTION_REGISTER"]] == [env["PRAEVENTION_REGISTER"]] * 2 + ["ro"]
        assert mounts[env["PRAEVENTION_OUT"]] == [env["PRAEVENTION_OUT"]] * 2
    # the container's webserver listens on the container's interfaces, on the port that is published
    app = services["webserver"]["environment"]
    assert app["WEBSERVER_HOST"] == "0.0.0.0"  # noqa: S104
    assert services["webserver"]["ports"] == [f"127.0.0.1:{app['WEBSERVER_PORT']}:{app['WEBSERVER_PORT']}"]


def test_image_uses_the_same_paths_and_entry_point_and_uv_from_its_image() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    env = _env()
    for key in (
        "DAGSTER_HOME",
        "PRAEVENTION_RAW_DIR",
        "PRAEVENTION_WAREHOUSE",
        "PRAEVENTION_REGISTER",
        "PRAEVENTION_OUT",
    ):
        assert f"{key}={env[key]}" in dockerfile, key
    assert 'ENTRYPOINT ["/opt/praeventionsmonitor/deploy/start.sh"]' in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
    assert re.search(r"COPY --from=ghcr\.io/astral-sh/uv:[0-9.]+ /uv", dockerfile)
    assert "--uid 10001" in dockerfile and "10001" in (DEPLOY / "compose.yaml").read_text(encoding="utf-8")


def test_uv_is_never_installed_with_pip_which_debian_12_refuses() -> None:
    """PEP 668: Debian 12's Python is externally managed; `pip install uv` fails there."""
    files = [*DEPLOY.rglob("*"), *(ROOT / "docs").glob("*.md"), *(ROOT / "scripts").glob("*.sh"), ROOT / "README.md"]
    offending = [
        str(f.relative_to(ROOT))
        for f in files
        if f.is_file()
        and f.suffix not in (".png",)
        and re.search(
            r"^\s*(RUN\s+|&&\s+)?(sudo\s+)?(python3?\s+-m\s+)?pip3?\s+install\b[^\n]*\buv\b",
            f.read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    ]
    assert offending == []
    assert "astral.sh/uv/" in (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "astral.sh/uv/install.sh" in (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")


def test_systemd_units_start_both_processes_with_the_settings_and_write_only_the_state_and_host_folders() -> None:
    for process in ("webserver", "daemon"):
        unit = _unit(f"praeventionsmonitor-{process}.service")
        service = unit["Service"]
        assert service["ExecStart"] == f"/opt/praeventionsmonitor/deploy/start.sh {process}"
        assert service["EnvironmentFile"] == "/etc/praeventionsmonitor/praeventionsmonitor.env"
        assert service["ReadWritePaths"].split() == [str(STATE), str(HOST)] and service["ProtectSystem"] == "strict"
        assert service["User"] == "praevention"
        assert unit["Install"]["WantedBy"] == "praeventionsmonitor.target"
    target = _unit("praeventionsmonitor.target")
    assert target["Unit"]["Wants"].split() == [
        "praeventionsmonitor-webserver.service",
        "praeventionsmonitor-daemon.service",
    ]


def test_a_timer_backs_up_the_instance_the_register_the_raw_files_and_the_warehouse_daily() -> None:
    timer = _unit("praeventionsmonitor-backup.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00" and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = _unit("praeventionsmonitor-backup.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"] == "/opt/praeventionsmonitor/deploy/backup.sh systemd"
    script = (DEPLOY / "backup.sh").read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(DEPLOY / "backup.sh")], check=False).returncode == 0
    env = _env()
    for path in (
        env["DAGSTER_HOME"],
        env["PRAEVENTION_RAW_DIR"],
        str(PurePosixPath(env["PRAEVENTION_WAREHOUSE"]).parent),
    ):
        assert PurePosixPath(path).name in script and str(STATE) in script
    assert f"register={env['PRAEVENTION_REGISTER']}" in script
    assert "trap" in script  # the services start again, also when the copy fails


def test_instance_configuration_queues_one_run_at_a_time_and_ends_dead_runs(tmp_path: Path) -> None:
    from dagster import DagsterInstance

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        coordinator = instance.run_coordinator
        assert type(coordinator).__name__ == "QueuedRunCoordinator"
        assert coordinator.get_run_queue_config().max_concurrent_runs == 1
        assert instance.run_monitoring_enabled
        assert 0 < instance.run_monitoring_max_runtime_seconds <= 4 * 3600
        assert instance.run_monitoring_start_timeout_seconds > 0
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1
        assert not instance.run_retries_retry_on_asset_or_op_failure


def test_start_script_installs_the_instance_configuration_and_rejects_unknown_processes(tmp_path: Path) -> None:
    home = tmp_path / "dagster"
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    missing = subprocess.run(["bash", str(DEPLOY / "start.sh"), "webserver"], env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "DAGSTER_HOME" in missing.stderr
    done = subprocess.run(
        ["bash", str(DEPLOY / "start.sh"), "scheduler"],
        env={**env, "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and re.search(r"usage: .*webserver\|daemon", done.stderr)
    assert (home / "dagster.yaml").read_bytes() == (DEPLOY / "dagster.yaml").read_bytes()


def test_the_daemons_start_recovers_dead_runs_first_and_switches_no_sensor_on() -> None:
    script = (DEPLOY / "start.sh").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert not [c for c in commands if "sensor start" in c or "schedule start" in c]
    daemon = commands[commands.index("daemon)") :]
    assert daemon[1] == "python -m pipelines.recover" and daemon[2].startswith("exec dagster-daemon run")
