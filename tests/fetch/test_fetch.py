"""``praevention fetch`` against a local HTTP server on 127.0.0.1 that serves ../shared/data under the
official paths, plus endpoints that fail, stall, cut the connection, corrupt the bytes or are gone.
The tests never touch the internet."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipelines.cli import main
from praevention.fetch.catalog import load_catalogue, mirrored, parse_years
from praevention.fetch.download import FetchError, Policy, fetch_file, sha256_of
from tests.conftest import SHARED_DATA

FAST = Policy(retries=2, backoff=0.01, timeout=0.5)


class Server:
    """Official paths → files, and test endpoints: /flaky (500 twice), /slow, /cut, /corrupt, /gone."""

    def __init__(self, files: dict[str, Path]):
        self.files = files
        self.hits: Counter[str] = Counter()
        self.ranges: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                outer.hits[path] += 1
                kind, _, rest = path.lstrip("/").partition("/")
                if kind == "gone":
                    self.send_error(404)
                    return
                if kind == "flaky" and outer.hits[path] <= 2:
                    self.send_error(500)
                    return
                if kind == "slow":
                    time.sleep(2.0)
                source = outer.files.get("/" + rest if kind in ("flaky", "slow", "cut", "corrupt") else path)
                if source is None:
                    self.send_error(404)
                    return
                body = source.read_bytes()
                if kind == "corrupt":
                    body = body[:100] + bytes([body[100] ^ 0xFF]) + body[101:]
                start = 0
                if "Range" in self.headers:
                    outer.ranges.append(self.headers["Range"])
                    start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                chunk = body[start:]
                self.send_header("Content-Length", str(len(chunk)))
                self.end_headers()
                if kind == "cut" and outer.hits[path] == 1:
                    self.wfile.write(chunk[: len(chunk) // 2])  # then the connection drops
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(chunk)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server(shared_data: Path) -> Iterator[Server]:
    downloads, _ = load_catalogue(years=parse_years("2014-2024"), sources=["pks"])
    files = {}
    for d in downloads:
        files[urlsplit(mirrored(d.url, "http://x")).path] = shared_data / d.target
    srv = Server(files)
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def _one(server: Server) -> tuple[str, Path]:
    path, source = sorted(server.files.items())[0]
    return path, source


def test_catalogue_covers_every_pks_year_with_a_pinned_checksum() -> None:
    downloads, manual = load_catalogue(years=parse_years("2014-2024"), sources=None)
    pks = [d for d in downloads if d.source == "pks"]
    assert [d.year for d in pks] == list(range(2014, 2025))
    assert all(d.sha256 and len(d.sha256) == 64 for d in pks)
    assert {d.year for d in downloads if d.source == "unfallatlas"} == set(range(2016, 2025))
    assert {m.source for m in manual} == {"vg250", "gv100ad"}


def test_fetch_cli_downloads_all_pks_years_from_the_official_paths(server: Server, tmp_path: Path) -> None:
    code = main(
        ["fetch", "--years", "2014-2024", "--source", "pks", "--raw-dir", str(tmp_path), "--mirror", server.url]
    )
    assert code == 0
    got = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len(got) == 11 and all(g.startswith("crime/bka_pks_t01_kreise/") for g in got)
    for rel in got:
        assert sha256_of(tmp_path / rel) == sha256_of(SHARED_DATA / rel)
    # a second run finds the files present and valid and downloads nothing
    before = sum(server.hits.values())
    assert main(["fetch", "--source", "pks", "--raw-dir", str(tmp_path), "--mirror", server.url]) == 0
    assert sum(server.hits.values()) == before


def test_retries_a_failing_endpoint_with_back_off(server: Server, tmp_path: Path) -> None:
    path, source = _one(server)
    waits: list[float] = []
    outcome = fetch_file(
        f"{server.url}/flaky{path}", tmp_path / "f.csv", sha256=sha256_of(source), policy=FAST, sleep=waits.append
    )
    assert outcome == "downloaded"
    assert waits == [0.01, 0.02]  # two failures, doubling back-off
    assert sha256_of(tmp_path / "f.csv") == sha256_of(source)


def test_a_slow_endpoint_times_out_clearly_and_leaves_no_file(server: Server, tmp_path: Path) -> None:
    path, _ = _one(server)
    with pytest.raises(FetchError, match="failed after 3 attempts"):
        fetch_file(f"{server.url}/slow{path}", tmp_path / "s.csv", policy=FAST, sleep=lambda s: None)
    assert not (tmp_path / "s.csv").exists()


def test_an_interrupted_download_resumes_with_a_range_request(server: Server, tmp_path: Path) -> None:
    path, source = _one(server)
    target = tmp_path / "r.csv"
    assert fetch_file(f"{server.url}/cut{path}", target, sha256=sha256_of(source), policy=FAST, sleep=lambda s: None)
    assert sha256_of(target) == sha256_of(source)
    assert server.ranges and server.ranges[-1].startswith("bytes=") and server.ranges[-1] != "bytes=0-"


def test_a_corrupt_download_never_replaces_a_good_file(server: Server, tmp_path: Path) -> None:
    path, source = _one(server)
    target = tmp_path / "good.csv"
    target.write_bytes(source.read_bytes())
    wrong = "0" * 64  # the catalogue pins another digest: the good local file is not valid for it either
    with pytest.raises(FetchError, match=r"checksum mismatch.*existing file was kept"):
        fetch_file(f"{server.url}/corrupt{path}", target, sha256=wrong, policy=FAST)
    assert target.read_bytes() == source.read_bytes()
    assert not target.with_name("good.csv.part").exists()


def test_a_moved_url_says_so_and_names_the_landing_page(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"moved or was removed.*https://example.org/landing.*sources.yaml"):
        fetch_file(f"{server.url}/gone/x.csv", tmp_path / "x.csv", landing="https://example.org/landing", policy=FAST)


def test_cli_reports_failures_with_exit_code_1(server: Server, tmp_path: Path, capsys) -> None:
    code = main(
        [
            "fetch",
            "--years",
            "2016",
            "--source",
            "unfallatlas",
            "--raw-dir",
            str(tmp_path),
            "--mirror",
            server.url,
            "--retries",
            "0",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "GESCHEITERT" in err and "Unfallorte2016_EPSG25832_CSV.zip" in err and "HTTP 404" in err


def test_year_ranges_are_parsed_and_checked() -> None:
    assert parse_years("2014-2016,2019") == [2014, 2015, 2016, 2019]
    with pytest.raises(Exception, match="years must look like"):
        parse_years("last year")
