"""A Neo4j server that restarts while `kolmap ingest` writes to it (reliability T23, T25).

The servers of `make neo4j` start empty every time (the test harness), so this module starts
its own, from the same jars without plugins: ``kolmap.Launcher --persistent`` keeps its
database in a home folder (here under pytest's tmp folder), so a restart on that folder, even
after kill -9, recovers every committed transaction. Each test runs a real ``kolmap ingest``
of the bundled sample into it, kills the server with SIGKILL (a power loss) once some posts
are in Neo4j, and starts it again on the same folder:

- T25: a quick restart (within the driver's ``max_transaction_retry_time``, 30 s by default)
  lets the same ingest finish by itself: the driver retries the transaction it was in;
- T23: with the server down for longer, the ingest fails with an error naming the URI (no
  traceback); once the server is back, a re-run completes.

Either way the posts committed before the kill are still there after the restart, and the
graph ends as one clean ingest: the same fingerprint as the sample ingested into DuckDB (as
in test_neo4j.py), the browsing relationships a clean ingest makes, and no duplicates.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.mirror import Neo4jMirror

from .conftest import REPO, SERVERS

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

LIB = REPO / ".cache" / "neo4j" / "lib"
# Relationships kolmap derives for browsing (never read back, so not in the fingerprint), and
# Hashtag/Person nodes: how many a clean ingest makes, from the sample in DuckDB.
_POINTS_AT = "SELECT count(*) AS n FROM posts p JOIN posts q ON q.platform = p.platform AND "
EXPECTED = {
    "POSTED": "SELECT count(*) AS n FROM posts p JOIN accounts a "
    "ON a.platform = p.platform AND a.account_id = p.author_id",
    "REPLIES_TO": _POINTS_AT + "q.post_id = p.reply_to_post_id",
    "REPOSTS": _POINTS_AT + "q.post_id = p.repost_of_post_id",
    "QUOTES": _POINTS_AT + "q.post_id = p.quote_of_post_id",
    "LABELS": "SELECT count(*) AS n FROM labels l JOIN accounts a "
    "ON a.platform = l.platform AND a.account_id = l.account_id",
    "SAME_PERSON": "SELECT count(*) AS n FROM labels WHERE person_id IS NOT NULL",
    "Hashtag": "SELECT count(DISTINCT tag) AS n FROM post_hashtags",
    "Person": "SELECT count(DISTINCT person_id) AS n FROM labels",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("KOLMAP_REQUIRE_NEO4J") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


class PersistentServer:
    """``kolmap.Launcher --persistent HOME PORT PASSWORD``: one process at a time, killed
    with SIGKILL (never stopped cleanly) and started again on the same home."""

    def __init__(self, home: Path, port: int) -> None:
        self.home = home
        self.port = port
        self.uri = f"bolt://127.0.0.1:{port}"
        self.password = secrets.token_urlsafe(18)
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 120) -> float:
        """Start the server and wait until it answers; the seconds that took."""
        assert not self.running()
        ready = self.home / "ready"
        ready.unlink(missing_ok=True)  # the launcher removes it too, but not at once
        self.starts += 1
        log = self.home.parent / f"server-{self.starts}.log"
        heap = os.environ.get("KOLMAP_NEO4J_HEAP", "1g")
        started = time.monotonic()
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                ["java", f"-Xmx{heap}", "-cp", f"{LIB}/*", "kolmap.Launcher", "--persistent",
                 str(self.home), str(self.port), self.password],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        while not ready.is_file():
            if self.process.poll() is not None or time.monotonic() - started > timeout:
                self.kill()
                tail = log.read_text("utf-8", "replace")[-3000:]
                pytest.fail(
                    f"the persistent Neo4j server did not start (a launcher older than "
                    f"--persistent? `neo4j-server/run start` rebuilds it):\n{tail}"
                )
            time.sleep(0.1)
        assert "persistent" in ready.read_text("utf-8")
        return time.monotonic() - started

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no checkpoint, like a power loss."""
        if self.process is not None:
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in SERVERS.values():
            return port


@pytest.fixture(scope="module")
def persistent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PersistentServer]:
    if shutil.which("java") is None or not (LIB / "neo4j-launcher-1.0.jar").is_file():
        _unavailable("no Java or no Neo4j jars in .cache/neo4j (run `make neo4j`)")
    server = PersistentServer(tmp_path_factory.mktemp("neo4j") / "home", _free_port())
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def server(persistent: PersistentServer, monkeypatch) -> PersistentServer:
    """The persistent server, running, with an empty graph."""
    if not persistent.running():  # an earlier test failed while it was down
        persistent.start()
    monkeypatch.setenv("KOLMAP_NEO4J_USER", "neo4j")
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", persistent.password)
    monkeypatch.delenv("KOLMAP_NEO4J_DATABASE", raising=False)
    with Neo4jGraph.from_uri(persistent.uri) as g:
        g.clear()
    return persistent


class Ingest:
    """``kolmap ingest SAMPLE --store URI`` in a child process, its output in files."""

    def __init__(self, server: PersistentServer, sample: Path, folder: Path) -> None:
        folder.mkdir(parents=True)
        self.folder = folder
        env = {k: v for k, v in os.environ.items() if not k.startswith("KOLMAP_")}
        env.update(
            KOLMAP_NEO4J_USER="neo4j",
            KOLMAP_NEO4J_PASSWORD=server.password,
            KOLMAP_NEO4J_CACHE_DIR=str(folder / "copies"),  # this run's local copy
            XDG_DATA_HOME=str(folder / "data-home"),  # its rejected rows, if any
        )
        with (folder / "out").open("wb") as out, (folder / "err").open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kolmap.cli", "ingest", str(sample),
                 "--store", server.uri, "--no-warm"],
                cwd=folder, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            )  # fmt: skip

    def wait(self, timeout: float) -> tuple[int, str]:
        """The exit code and the output, once it has ended."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the ingest did not end within {timeout:.0f} s:\n{self.output()}")
        return code, self.output()

    def output(self) -> str:
        out = (self.folder / "out").read_text("utf-8", "replace")
        return out + (self.folder / "err").read_text("utf-8", "replace")


@pytest.fixture
def start_ingest(server, sample_dir, tmp_path) -> Iterator[Callable[[str], Ingest]]:
    """Start ``kolmap ingest`` of the sample into ``server`` (its files under tmp_path/NAME);
    one still running when the test ends is killed."""
    started: list[Ingest] = []

    def start(name: str) -> Ingest:
        started.append(Ingest(server, sample_dir, tmp_path / name))
        return started[-1]

    yield start
    for ingest in started:
        if ingest.process.poll() is None:
            ingest.process.kill()
            ingest.process.wait()


def _post_ids(g: Neo4jGraph) -> set[str]:
    return {r["id"] for r in g.run("MATCH (p:Post) RETURN p.platform + ':' + p.post_id AS id")}


def _kill_mid_run(server: PersistentServer, ingest: Ingest, at_least: int = 5_000) -> set[str]:
    """Wait until ``at_least`` posts are committed, kill -9 the server; the posts it held."""
    with Neo4jGraph.from_uri(server.uri) as g:
        deadline = time.monotonic() + 120
        while (n := g.run("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]) < at_least:
            if ingest.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no {at_least} posts in Neo4j mid-run ({n}):\n{ingest.output()}")
            time.sleep(0.2)
        committed = _post_ids(g)  # every one of them must survive the kill
    server.kill()
    return committed


def _check_survived(server: PersistentServer, committed: set[str], total: int) -> None:
    assert 0 < len(committed) < total
    with Neo4jGraph.from_uri(server.uri) as g:
        missing = committed - _post_ids(g)
    assert not missing, f"{len(missing)} posts committed before the kill are gone"


def _check_same_as_one_clean_ingest(server: PersistentServer, sample_store, folder: Path) -> None:
    # A new, empty cache folder: the copy is read from what Neo4j holds.
    with Neo4jMirror(Neo4jGraph.from_uri(server.uri), cache_dir=folder) as store:
        assert store.fingerprint(provenance=False) == sample_store.fingerprint(provenance=False)
        g = store.graph
        nodes = {r["l"]: r["n"] for r in g.run(
            "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")}  # fmt: skip
        rels = {r["t"]: r["n"] for r in g.run(
            "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}  # fmt: skip
        twins = g.run(
            "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, properties(r) AS p, count(*) AS n "
            "WHERE n > 1 RETURN count(*) AS twins"
        )[0]["twins"]
    found = {**nodes, **rels}
    expected = {name: int(sample_store.sql(query)["n"][0]) for name, query in EXPECTED.items()}
    assert {name: found.get(name, 0) for name in expected} == expected
    assert twins == 0, "duplicate relationships"


def test_a_quick_restart_mid_ingest_lets_the_ingest_finish_by_itself(
    server, start_ingest, sample_store, tmp_path
):
    """T25: the server is back within the driver's retry window; nothing to re-run."""
    ingest = start_ingest("run")
    committed = _kill_mid_run(server, ingest)
    restart = server.start()
    _check_survived(server, committed, sample_store.replica.row_count("posts"))
    code, output = ingest.wait(timeout=180)
    retries = "the driver retries for 25 s at least"
    assert code == 0, f"restarted in {restart:.1f} s ({retries}), yet it failed:\n{output}"
    assert "Traceback" not in output
    _check_same_as_one_clean_ingest(server, sample_store, tmp_path / "check")


def test_an_ingest_fails_clearly_while_the_server_is_down_and_a_rerun_completes(
    server, start_ingest, sample_store, tmp_path
):
    """T23: the server stays down past the driver's retries: a clear error naming the URI;
    after the restart the committed posts are there and a re-run completes the graph."""
    ingest = start_ingest("run")
    committed = _kill_mid_run(server, ingest)
    code, output = ingest.wait(timeout=180)  # the driver gives up after 30 to 70 s
    assert code != 0, output
    assert re.search(
        rf"Error: {re.escape(server.uri)}: (cannot reach a Neo4j server|Neo4j error)", output
    ), output
    assert "Traceback" not in output
    server.start()
    _check_survived(server, committed, sample_store.replica.row_count("posts"))
    with Neo4jGraph.from_uri(server.uri) as g:  # the graph says a run is incomplete
        version = g.run("MATCH (m:KolmapMeta {key: 'graph'}) RETURN m.version AS v")[0]["v"]
        assert version.startswith("writing-")
    code, output = start_ingest("rerun").wait(timeout=180)
    assert code == 0, output
    _check_same_as_one_clean_ingest(server, sample_store, tmp_path / "check")
