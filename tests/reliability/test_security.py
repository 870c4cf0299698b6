"""Local servers bind to 127.0.0.1, no secrets are committed, ruff's security rules are on, and the
dependencies are pinned by the lockfile."""

from __future__ import annotations

import re
import subprocess
import tomllib

from tests.conftest import PROJECT_ROOT

SECRET = re.compile(
    r"AKIA[0-9A-Z]{16}|-----BEGIN (?:RSA |OPENSSH |EC )?PRIVATE KEY-----|"
    r"(?i:(?:password|passwd|secret|api[_-]?key|token)\s*[:=]\s*['\"][^'\"\s]{8,}['\"])"
)


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_no_secrets_in_tracked_files() -> None:
    hits = []
    for name in _tracked():
        path = PROJECT_ROOT / name
        if path.suffix in (".lock", ".png", ".xlsx", ".pdf") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{name}: {m.group(0)[:20]}…" for m in SECRET.finditer(text)]
    assert hits == []


def test_local_servers_bind_to_loopback_only() -> None:
    for name in _tracked():
        path = PROJECT_ROOT / name
        if path.suffix not in (".md", ".py", ".sh", ".yaml", "") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for line in text.splitlines():
            if re.search(r"\bdagster(-webserver)? dev\b", line):
                assert "-h 127.0.0.1" in line, f"{name}: {line.strip()}"
            if re.search(r'(?<!")HTTPServer\(\(', line):  # a server being built, not this pattern
                assert '"127.0.0.1"' in line, f"{name}: {line.strip()}"


def test_security_rules_and_pinned_dependencies() -> None:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    assert "S" in config["tool"]["ruff"]["lint"]["select"]
    lock = (PROJECT_ROOT / "uv.lock").read_text()
    assert "uv.lock" in _tracked()
    for dep in config["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[ ]", dep)[0].lower().replace("_", "-")
        assert f'name = "{name}"' in lock, f"{name} is not pinned in uv.lock"
