"""Live pulls (``kolmap fetch-pubmed``, ``kolmap fetch-openalex``) against a local server that
answers like NCBI E-utilities and OpenAlex: the requests carry what each service asks
(tool, email, key), are spaced as each allows, retry a 429, never show the key in an error,
and the files they write import like downloaded ones. No test reaches the network."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from kolmap.cli import cli
from kolmap.errors import InputError
from kolmap.ingest.science.fetch import Throttle, fetch_openalex, fetch_pubmed

PUBMED_XML = (Path(__file__).parent / "data" / "science" / "pubmed.xml").read_bytes()
WORKS = json.loads((Path(__file__).parent / "data" / "science" / "openalex_works.json").read_text())


class _Service(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[str, dict[str, list[str]]]]] = []
    busy_once = False

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        type(self).calls.append((parts.path, query))
        if parts.path.endswith("/esearch.fcgi"):
            answer = {"esearchresult": {"count": "2", "webenv": "MCID_1", "querykey": "1"}}
            self._send(200, json.dumps(answer).encode(), "application/json")
        elif parts.path.endswith("/efetch.fcgi"):
            if type(self).busy_once:
                type(self).busy_once = False
                self._send(429, b"Too Many Requests", "text/plain")
                return
            self._send(200, PUBMED_XML, "text/xml")
        elif parts.path == "/works":
            first = query.get("cursor") == ["*"]
            page = {
                "meta": {"count": 3, "next_cursor": "c2" if first else None},
                "results": WORKS["results"][:2] if first else [],
            }
            self._send(200, json.dumps(page).encode(), "application/json")
        else:
            self._send(404, b"no", "text/plain")


@pytest.fixture
def service() -> Iterator[str]:
    _Service.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_pubmed_pull_asks_politely_and_retries_a_429(service: str, tmp_path: Path) -> None:
    _Service.busy_once = True
    clock = _Clock()
    throttle = Throttle(per_second=3, clock=clock.clock, sleep=clock.sleep)
    result = fetch_pubmed(
        "rheumatoid arthritis[mh]",
        tmp_path,
        max_records=2,
        api_key=None,
        email="team@example.org",
        base_url=service + "/eutils",
        throttle=throttle,
    )
    assert result["found"] == 2 and len(result["files"]) == 1
    assert Path(result["files"][0]).read_bytes() == PUBMED_XML
    paths = [p for p, _q in _Service.calls]
    assert paths == ["/eutils/esearch.fcgi", "/eutils/efetch.fcgi", "/eutils/efetch.fcgi"]
    search = _Service.calls[0][1]
    assert search["tool"] == ["kolmap"] and search["email"] == ["team@example.org"]
    assert "api_key" not in search
    fetch = _Service.calls[1][1]
    assert (fetch["WebEnv"], fetch["query_key"], fetch["retmax"]) == (["MCID_1"], ["1"], ["2"])
    # without a key, requests are a third of a second apart; a 429 pauses 2 s, then retries
    assert clock.pauses == [0.333, 2.0]


def test_openalex_pull_follows_the_cursor(service: str, tmp_path: Path) -> None:
    result = fetch_openalex("asthma", tmp_path, base_url=service, email="team@example.org")
    lines = Path(result["files"][0]).read_text("utf-8").splitlines()
    assert len(lines) == 2 and result["found"] == 3
    cursors = [q["cursor"] for _p, q in _Service.calls]
    assert cursors == [["*"], ["c2"]]
    assert _Service.calls[0][1]["mailto"] == ["team@example.org"]


def test_errors_name_the_address_but_never_the_key(service: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"HTTP 404") as caught:
        fetch_openalex("x", tmp_path, base_url=service + "/nowhere", api_key="SECRET-KEY")
    assert "SECRET-KEY" not in str(caught.value) and "api_key=***" in str(caught.value)
    with pytest.raises(InputError, match="only http and https"):
        fetch_pubmed("x", tmp_path, base_url="file:///etc")


def test_cli_pulls_then_imports(service: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KOLMAP_SCIENCE_PUBMED_URL", service + "/eutils")
    monkeypatch.setenv("KOLMAP_SCIENCE_OPENALEX_URL", service)
    monkeypatch.setenv("NCBI_API_KEY", "k123")
    store = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["fetch-pubmed", "lupus", "--out", str(tmp_path / "dl"), "--import", "--store", store],
    )
    assert out.exit_code == 1, out.output  # the fixture holds one bad article
    assert "1 of 3 records were rejected" in out.output
    assert _Service.calls[0][1]["api_key"] == ["k123"]
    out = runner.invoke(
        cli, ["fetch-openalex", "asthma", "--out", str(tmp_path / "dl"), "--import",
              "--store", store],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert '"works": 2' in out.output
