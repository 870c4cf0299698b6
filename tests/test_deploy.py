"""The server deployment in deploy/: its files agree with each other and the instance configuration loads."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
STATE = PurePosixPath("/var/lib/praeventionsmonitor")


def _env() -> dict[str, str]:
    lines = (DEPLOY / "praeventionsmonitor.env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return unit


def test_settings_put_every_state_directory_on_the_state_volume_and_bind_to_loopback() -> None:
    env = _env()
    assert env["WEBSERVER_HOST"] == "127.0.0.1"
    paths = [env["DAGSTER_HOME"], env["PRAEVENTION_RAW_DIR"], env["PRAEVENTION_WAREHOUSE"], env["PRAEVENTION_OUT"]]
    assert all(PurePosixPath(p).is_relative_to(STATE) for p in paths)


def test_compose_runs_webserver_and_daemon_on_volumes_and_publishes_only_on_loopback() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {name: s["command"] for name, s in services.items()} == {"webserver": ["webserver"], "daemon": ["daemon"]}
    assert all(p.startswith("127.0.0.1:") for p in services["webserver"]["ports"])
    assert "ports" not in services["daemon"]
    env = _env()
    needed = [env["DAGSTER_HOME"], env["PRAEVENTION_RAW_DIR"], env["PRAEVENTION_OUT"]]
    needed.append(str(PurePosixPath(env["PRAEVENTION_WAREHOUSE"]).parent))
    for service in services.values():
        assert (DEPLOY / service["env_file"]).is_file()
        mounts = {m.split(":")[1] for m in service["volumes"]}
        named = {m.split(":")[0] for m in service["volumes"]}
        assert set(needed) <= mounts, set(needed) - mounts
        assert named <= set(compose["volumes"])
    # the container's webserver listens on the container's interfaces, on the port that is published
    app = services["webserver"]["environment"]
    assert app["WEBSERVER_HOST"] == "0.0.0.0"  # noqa: S104
    assert services["webserver"]["ports"] == [f"127.0.0.1:{app['WEBSERVER_PORT']}:{app['WEBSERVER_PORT']}"]


def test_image_uses_the_same_paths_and_entry_point() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    env = _env()
    for key in ("DAGSTER_HOME", "PRAEVENTION_RAW_DIR", "PRAEVENTION_WAREHOUSE", "PRAEVENTION_OUT"):
        assert f"{key}={env[key]}" in dockerfile, key
    assert 'ENTRYPOINT ["/opt/praeventionsmonitor/deploy/start.sh"]' in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile


def test_systemd_units_start_both_processes_with_the_settings_and_write_only_the_state() -> None:
    for process in ("webserver", "daemon"):
        unit = _unit(f"praeventionsmonitor-{process}.service")
        service = unit["Service"]
        assert service["ExecStart"] == f"/opt/praeventionsmonitor/deploy/start.sh {process}"
        assert service["EnvironmentFile"] == "/etc/praeventionsmonitor/praeventionsmonitor.env"
        assert service["ReadWritePaths"] == str(STATE) and service["ProtectSystem"] == "strict"
        assert service["User"] == "praevention"
        assert unit["Install"]["WantedBy"] == "praeventionsmonitor.target"
    target = _unit("praeventionsmonitor.target")
    assert target["Unit"]["Wants"].split() == [
        "praeventionsmonitor-webserver.service",
        "praeventionsmonitor-daemon.service",
    ]


def test_instance_configuration_queues_one_run_at_a_time(tmp_path: Path) -> None:
    from dagster import DagsterInstance

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        coordinator = instance.run_coordinator
        assert type(coordinator).__name__ == "QueuedRunCoordinator"
        assert coordinator.get_run_queue_config().max_concurrent_runs == 1
        assert instance.run_monitoring_enabled


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
