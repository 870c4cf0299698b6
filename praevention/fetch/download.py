"""Downloading one file safely: retries with back-off, resume, checksum, and never a bad file in place.

The bytes go to ``<target>.part``; an interrupted download resumes from there with an HTTP ``Range``
request. Only a complete file whose SHA-256 matches the catalogue (when it pins one) is moved onto the
target, with one atomic rename, so a good file is never overwritten by a bad or partial one.
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from praevention.errors import PipelineError

CHUNK = 1 << 16
USER_AGENT = "praeventionsmonitor-fetch/1.0 (+https://lpr.sachsen-anhalt.de/)"


class FetchError(PipelineError):
    """A download that failed for good (after its retries), with the reason."""


@dataclass(frozen=True)
class Policy:
    retries: int = 4  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    timeout: float = 60.0  # seconds without data before an attempt is given up


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


Progress = Callable[[int, int | None], None]  # bytes so far, total (None if unknown)


def _attempt(url: str, part: Path, timeout: float, progress: Progress) -> None:
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) from the catalogue
    if have:
        request.add_header("Range", f"bytes={have}-")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if have and response.status != 206:  # the server ignored the range: start over
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        with part.open("ab" if have else "wb") as out:
            done = have
            while block := response.read(CHUNK):
                out.write(block)
                done += len(block)
                progress(done, total)
        if total is not None and done < total:
            raise OSError(f"connection closed after {done} of {total} bytes")


def fetch_file(
    url: str,
    target: Path,
    *,
    sha256: str | None = None,
    landing: str = "",
    policy: Policy = Policy(),
    progress: Progress = lambda done, total: None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Download ``url`` to ``target``; returns ``"present"`` (already there and valid) or ``"downloaded"``."""
    if target.exists() and sha256 is not None and sha256_of(target) == sha256:
        return "present"
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    last = ""
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        try:
            _attempt(url, part, policy.timeout, progress)
            break
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                raise FetchError(
                    f"{url}: HTTP {exc.code} – the file has moved or was removed. Look for it on {landing or 'the publisher’s site'} "
                    "and update its URL in data/sources.yaml"
                ) from exc
            if exc.code == 416:  # range not satisfiable: the part file is complete or stale
                part.unlink(missing_ok=True)
            last = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = str(getattr(exc, "reason", exc)) or type(exc).__name__
    else:
        raise FetchError(
            f"{url}: failed after {policy.retries + 1} attempts ({last}); the partial file is kept for a resume"
        )
    if sha256 is not None:
        got = sha256_of(part)
        if got != sha256:
            part.unlink()
            raise FetchError(
                f"{url}: checksum mismatch (expected sha256 {sha256[:12]}…, got {got[:12]}…); "
                f"{'the existing file was kept' if target.exists() else 'nothing was written'}. "
                "If the publisher revised the file, check it and update data/sources.yaml"
            )
    os.replace(part, target)
    return "downloaded"
