"""kolmap and a real Neo4j 5.26 server (`make neo4j` starts two: with and without GDS).

Nothing here mocks the driver. Without running servers these tests are skipped, unless
KOLMAP_REQUIRE_NEO4J=1 (set by .ci/run), which turns a missing server into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import spearmanr

from kolmap.cli import cli
from kolmap.errors import StoreError
from kolmap.export.neo4j_scores import publish_scores
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.lease import Lease, holder
from kolmap.graph.neo4j.mirror import GraphBusyError, Neo4jMirror
from kolmap.graph.neo4j.transfer import from_neo4j, to_neo4j
from kolmap.graph.store import Scope
from kolmap.model import AccountKey
from kolmap.scoring.rank import RankKind, rank

from .conftest import SERVERS, neo4j_env, neo4j_server
from .test_store_contract import ACCOUNTS, FOLLOWS, POSTS, ingest, write

pytestmark = pytest.mark.neo4j


@pytest.fixture(params=list(SERVERS))
def server(request, monkeypatch) -> dict[str, str]:
    info = neo4j_env(request.param, monkeypatch)
    return {**info, "name": request.param}


@pytest.fixture
def graph(server) -> Iterator[Neo4jGraph]:
    with Neo4jGraph.from_uri(server["uri"]) as g:
        g.clear()
        yield g
        g.clear()


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[DuckDBStore]:
    folder = tmp_path / "in"
    write(folder, "accounts.csv", ACCOUNTS)
    write(folder, "posts.csv", POSTS)
    write(folder, "follows.csv", FOLLOWS)
    write(
        folder, "labels.csv", "platform,account_id,role,specialty,person_id\nx,3,patient,,p-anna\n"
    )
    write(folder, "edges.csv", "platform,src_id,dst_id,kind,count\nx,2,3,INTERACTS,4\n")
    with DuckDBStore(tmp_path / "small.duckdb") as store:
        ingest(store, folder)
        store.suppress([AccountKey("x", "4")])
        yield store


def test_a_store_goes_to_neo4j_and_back_unchanged(small_store, graph, tmp_path):
    written = to_neo4j(small_store.replica, graph)
    assert written["accounts"] == small_store.replica.row_count("accounts")
    assert written["suppressions"] == small_store.replica.row_count("suppressions") > 0
    counts = graph.count()
    assert counts["Account"] == small_store.replica.row_count("accounts")
    assert counts["FOLLOWS"] == small_store.replica.row_count("follows")
    assert counts["Person"] == 1  # from the label's person_id, for browsing
    with DuckDBStore(tmp_path / "back.duckdb") as back:
        from_neo4j(graph, back.replica)
        assert back.fingerprint() == small_store.fingerprint()
        assert back.replica.row_count("suppressions") == small_store.replica.row_count(
            "suppressions"
        )


def test_browsing_relationships_follow_the_posts(small_store, graph):
    to_neo4j(small_store.replica, graph)
    posted = graph.run(
        "MATCH (a:Account {account_id: '3'})-[:POSTED]->(p:Post)-[:REPOSTS]->(q:Post) "
        "RETURN p.post_id AS p, q.post_id AS q"
    )
    assert posted == [{"p": "12", "q": "10"}]
    mentions = graph.run(
        "MATCH (p:Post {post_id: '13'})-[:MENTIONS]->(a:Account) RETURN a.handle AS h ORDER BY h"
    )
    assert [m["h"] for m in mentions] == ["DrMartin", "ghost_account"]


def test_an_existing_graph_is_kept_unless_replace_and_replace_drops_erased_accounts(
    small_store, graph
):
    to_neo4j(small_store.replica, graph)
    with pytest.raises(StoreError, match="already holds a kolmap graph; give --replace"):
        to_neo4j(small_store.replica, graph)
    small_store.erase([AccountKey("x", "3")])
    to_neo4j(small_store.replica, graph, replace=True)
    gone = graph.run("MATCH (a:Account {platform: 'x', account_id: '3'}) RETURN a")
    assert gone == []
    assert graph.count()["Account"] == small_store.replica.row_count("accounts")


def test_writes_are_idempotent_batches(small_store, server):
    """MERGE on keys: writing the same batches twice (as a retried transaction would) leaves
    one copy of everything; tiny batches exercise the batching."""
    with Neo4jGraph.from_uri(server["uri"], batch_size=2) as g:
        g.clear()
        to_neo4j(small_store.replica, g)
        first = g.count()
        from kolmap.graph.neo4j.maps import NODE_MAPS, REL_MAPS

        for m in NODE_MAPS:
            g.write_nodes(m, small_store.replica.table_rows(m.table))
        for r in REL_MAPS:
            g.write_relationships(r, small_store.replica.table_rows(r.table))
        assert g.count() == first
        g.clear()


def test_scores_are_written_back_as_relationships(sample_store, graph, server):
    to_neo4j(sample_store.replica, graph)
    published = publish_scores(sample_store, graph)
    assert published.algorithms == ("gds" if server["name"] == "gds" else "in-process")
    ours = rank(sample_store.projection(Scope(area="oncology")), RankKind.KOL)
    theirs = graph.run(
        "MATCH (a:Account)-[s:SCORED {kind: 'kol'}]->(:TherapeuticArea {area_id: 'oncology'}) "
        "RETURN a.handle AS handle, s.rank AS rank, s.score AS score, s.pagerank AS pagerank, "
        "s.community AS community, s.degree AS degree ORDER BY s.rank"
    )
    assert [t["handle"] for t in theirs] == ours["handle"].tolist()
    assert [t["score"] for t in theirs] == pytest.approx(ours["score"].tolist())
    assert all(t["community"] >= 0 for t in theirs[:10])
    assert theirs[0]["degree"] > 0


@pytest.mark.slow
def test_gds_and_in_process_algorithms_agree(sample_store, tmp_path):
    """The same area through GDS and through igraph: PageRank orders and degrees agree."""
    results = {}
    info = neo4j_server("gds")
    os.environ["KOLMAP_NEO4J_PASSWORD"] = info["password"]
    try:
        with Neo4jGraph.from_uri(info["uri"]) as g:
            g.clear()
            to_neo4j(sample_store.replica, g)
            for engine in (True, False):
                publish_scores(sample_store, g, use_gds=engine)
                results[engine] = {
                    r["id"]: (r["pagerank"], r["degree"])
                    for r in g.run(
                        "MATCH (a:Account)-[s:SCORED {kind: 'any'}]->"
                        "(:TherapeuticArea {area_id: 'oncology'}) "
                        "RETURN a.account_id AS id, s.pagerank AS pagerank, s.degree AS degree"
                    )
                }
            g.clear()
    finally:
        os.environ.pop("KOLMAP_NEO4J_PASSWORD", None)
    ids = sorted(results[True])
    gds = np.array([results[True][i][0] for i in ids])
    local = np.array([results[False][i][0] for i in ids])
    assert spearmanr(gds, local).statistic > 0.95
    assert [results[True][i][1] for i in ids] == [results[False][i][1] for i in ids]


def test_failures_name_the_uri_and_never_fall_back(small_store, server, monkeypatch):
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", "not-the-password")
    with pytest.raises(StoreError, match=r"bolt://127.0.0.1:\d+: Neo4j refused the user name"):
        Neo4jGraph.from_uri(server["uri"])
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", server["password"])
    with pytest.raises(StoreError, match="the server has no database 'nope'"):
        Neo4jGraph.from_uri(server["uri"], database="nope")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(StoreError, match=rf"bolt://127.0.0.1:{port}: cannot reach a Neo4j"):
        Neo4jGraph.from_uri(f"bolt://127.0.0.1:{port}")
    monkeypatch.delenv("KOLMAP_NEO4J_PASSWORD")
    with pytest.raises(StoreError, match="set KOLMAP_NEO4J_PASSWORD"):
        Neo4jGraph.from_uri(server["uri"])


def test_cli_moves_a_store_to_neo4j_and_back(small_store, server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "copy.duckdb"
    small_store.close()
    shutil.copy(small_store.location, source)
    runner = CliRunner()
    args = ["export-neo4j", server["uri"], "--store", str(source), "--replace"]
    out = runner.invoke(cli, args, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "accounts: 6" in out.output and "SCORED relationships" in out.output
    out = runner.invoke(
        cli, ["import-neo4j", server["uri"], "--store", "back.duckdb"], catch_exceptions=False
    )
    assert out.exit_code == 0, out.output
    with DuckDBStore(source, read_only=True) as a, DuckDBStore("back.duckdb") as b:
        assert a.fingerprint() == b.fingerprint()
    out = runner.invoke(cli, ["import-neo4j", server["uri"], "--store", "back.duckdb"])
    assert out.exit_code == 1 and "not empty; import into a new store" in out.output
    with Neo4jGraph.from_uri(server["uri"]) as g:
        g.clear()


def _wait_for_other_transactions(graph: Neo4jGraph, timeout: float = 60) -> None:
    """Wait until the server runs no transaction but this one: a client killed mid-query
    leaves its query running on the server until it ends (an auto-commit query then
    commits), which a rerun at once would race."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(graph.run("SHOW TRANSACTIONS YIELD transactionId RETURN transactionId")) <= 1:
            return
        time.sleep(0.2)
    raise AssertionError("the killed client's transactions still run on the server after 60 s")


@pytest.mark.slow
def test_a_killed_export_leaves_whole_batches_and_a_rerun_completes(sample_store, tmp_path):
    """kill -9 in the middle of an export: every committed batch is whole, and running the
    export again with --replace gives the same graph as one clean run."""
    import signal
    import subprocess
    import sys
    import time

    info = neo4j_server("plain")
    env = {**os.environ, "KOLMAP_NEO4J_PASSWORD": info["password"], "KOLMAP_NEO4J_USER": "neo4j"}
    sample_store.close()
    script = (
        "import sys\n"
        "from kolmap.graph.duckdb import DuckDBStore\n"
        "from kolmap.graph.neo4j.driver import Neo4jGraph\n"
        "from kolmap.graph.neo4j.transfer import to_neo4j\n"
        "with DuckDBStore(sys.argv[1], read_only=True) as s, "
        "Neo4jGraph.from_uri(sys.argv[2], batch_size=500) as g:\n"
        "    g.clear()\n"
        "    print('started', flush=True)\n"
        "    to_neo4j(s.replica, g)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, sample_store.location, info["uri"]],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().startswith("started")
    os.environ["KOLMAP_NEO4J_PASSWORD"] = info["password"]
    try:
        with Neo4jGraph.from_uri(info["uri"]) as g:
            deadline = time.monotonic() + 60
            while g.count()["Post"] < 2_000 and time.monotonic() < deadline:
                time.sleep(0.2)
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            _wait_for_other_transactions(g)
            partial = g.count()
            with DuckDBStore(sample_store.location, read_only=True) as store:
                assert partial["Post"] % 500 == 0 and partial["Post"] < store.replica.row_count(
                    "posts"
                )
                to_neo4j(store.replica, g, replace=True)
                with DuckDBStore(tmp_path / "back.duckdb") as back:
                    from_neo4j(g, back.replica)
                    assert back.fingerprint() == store.fingerprint()
            g.clear()
    finally:
        os.environ.pop("KOLMAP_NEO4J_PASSWORD", None)


# -- the Neo4j store: every command on a Neo4j database ------------------------------------------
@pytest.fixture
def neo4j_uri(server, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("KOLMAP_NEO4J_CACHE_DIR", str(tmp_path / "copies"))
    with Neo4jGraph.from_uri(server["uri"]) as g:
        g.clear()
    return server["uri"]


def test_same_inputs_same_rankings_on_both_stores(neo4j_uri, sample_dir, sample_store, tmp_path):

    with Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri)) as on_neo4j:
        ingest(on_neo4j, sample_dir, quarantine_dir=tmp_path / "q")
        assert on_neo4j.fingerprint(provenance=False) == sample_store.fingerprint(provenance=False)
        on_neo4j.reload()  # from what Neo4j holds, not from the local copy
        for scope in (Scope(), Scope(area="oncology"), Scope(hashtags=("asco26",))):
            ours = on_neo4j.projection(scope)
            theirs = sample_store.projection(scope)
            for kind in RankKind:
                a = rank(ours, kind).drop(columns=["reasons"])
                b = rank(theirs, kind).drop(columns=["reasons"])
                assert a.equals(b), (scope, kind)
                assert rank(ours, kind)["reasons"].equals(rank(theirs, kind)["reasons"])
    with Neo4jGraph.from_uri(neo4j_uri) as g:
        assert g.count()["Account"] == sample_store.replica.row_count("accounts")


def test_two_users_share_one_graph_and_writes_do_not_cross(neo4j_uri, tmp_path, small_store):

    folder = tmp_path / "more"
    write(folder, "accounts.csv", "platform,account_id,handle,bio\nx,77,newdoc,Oncologist\n")
    alice = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "alice")
    bob = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "bob")
    try:
        ingest(alice, folder)
        assert not bob.accounts([AccountKey("x", "77")]).empty  # bob's copy caught up
        bob.erase([AccountKey("x", "77")])
        assert alice.accounts([AccountKey("x", "77")]).empty
        kept = tmp_path / "kept"
        write(kept, "accounts.csv", "platform,account_id,handle,bio\nx,78,keptdoc,Oncologist\n")
        ingest(alice, kept)
        assert not bob.accounts([AccountKey("x", "78")]).empty
        # a writer that finds the version moved under it stops instead of overwriting
        with Neo4jGraph.from_uri(neo4j_uri) as g:
            lease = Lease(g)
            assert lease.claim(lease.version(), "writing-someone-else")
        with pytest.raises(StoreError, match="another kolmap is writing to this graph"):
            alice.erase([AccountKey("x", "1")])
        # Meanwhile a reader keeps its copy of the last complete version (Neo4j may hold a
        # half-applied run), and a reader with no copy is told to wait.
        assert not bob.accounts([AccountKey("x", "78")]).empty
        carol = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "carol")
        try:
            with pytest.raises(GraphBusyError, match="its data is incomplete"):
                carol.accounts([AccountKey("x", "78")])
        finally:
            carol.close()
        alice.write_lease = 0  # a writer that crashed: its claim is taken over after the lease
        alice.erase([AccountKey("x", "1")])
        assert bob.accounts([AccountKey("x", "1")]).empty
        # The same user's own crashed writer (a process gone, on this machine) is taken
        # over at once, however long the lease.
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        with Neo4jGraph.from_uri(neo4j_uri) as g:
            lease = Lease(g)
            here = holder().rsplit(":", 1)[0]
            assert lease.claim(lease.version(), "writing-crashed", f"{here}:{dead}")
        alice.write_lease = 3600
        alice.erase([AccountKey("x", "2")])
    finally:
        alice.close()
        bob.close()


def test_a_second_user_ranks_from_kept_projections_without_copying_the_graph(
    neo4j_uri, sample_dir, tmp_path
):
    """The first user's projections are kept in the graph for its version: a second user's
    first ranking reads them (no copy of the graph built) and equals the first user's; a
    write (an erasure) removes them, so nothing erased is ever served from them."""
    from kolmap.graph.neo4j.shared import LABEL

    alice = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "alice")
    bob = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "bob")
    try:
        ingest(alice, sample_dir, quarantine_dir=tmp_path / "q")
        scopes = (Scope(), Scope(area="oncology"))
        theirs = {scope: alice.projection(scope) for scope in scopes}
        payments = alice.coi()
        for scope in scopes:
            ours = bob.projection(scope)
            assert ours.nodes.equals(theirs[scope].nodes) and ours.edges.equals(theirs[scope].edges)
            for kind in RankKind:
                assert rank(ours, kind).equals(rank(theirs[scope], kind)), (scope, kind)
        assert bob.coi().equals(payments)
        assert bob._copy.meta_value("neo4j_version") is None  # bob never copied the graph
        # An area nobody computed yet: read from the rows Neo4j holds for it, still no copy.
        fresh = bob.projection(Scope(area="cardiology"))
        assert bob._copy.meta_value("neo4j_version") is None
        assert alice.projection(Scope(area="cardiology")).nodes.equals(fresh.nodes)
        # A scope that is neither an area nor hashtags, nobody computed yet: bob builds his
        # copy (it reads the whole graph), and keeps the result for the others.
        bob.projection(Scope(platforms=("x",)))
        assert bob._copy.meta_value("neo4j_version") is not None
        # An erasure is a write: what was kept for the old version goes with it.
        top = rank(theirs[Scope()], "kol").iloc[0]
        erased = AccountKey(str(top["platform"]), str(top["account_id"]))
        alice.erase([erased])
        with Neo4jGraph.from_uri(neo4j_uri) as g:
            versions = [r["v"] for r in g.run(f"MATCH (r:{LABEL}) RETURN DISTINCT r.version AS v")]
            assert versions in ([], [Lease(g).version()])
        carol = Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "carol")
        try:
            nodes = carol.projection(Scope()).nodes
            assert erased.account_id not in set(nodes["account_id"])
        finally:
            carol.close()
    finally:
        alice.close()
        bob.close()


def test_two_writers_at_once_keep_every_key_unique(neo4j_uri, tmp_path):
    """Two users ingest at the same moment (threads, each with its own copy and session
    pool; node batches go through two sessions each): each run either lands whole or stops
    with a clear "another kolmap is writing" or "changed while this command started"; run
    again, both land, and Neo4j holds every account, post and follow once."""
    import threading

    folders = []
    for n, start in enumerate((1000, 2000)):
        folder = tmp_path / f"writer{n}"
        write(folder, "accounts.csv", "platform,account_id,handle,bio\n" + "".join(
            f"x,{start + i},doc{start + i},Oncologist\n" for i in range(400)))  # fmt: skip
        # both writers also name the same 50 shared accounts and follow them
        write(folder, "follows.csv", "platform,follower_id,followed_id\n" + "".join(
            f"x,{start + i},{9000 + i % 50}\n" for i in range(400)))  # fmt: skip
        write(folder, "posts.csv", "platform,post_id,author_id,text\n" + "".join(
            f"x,{start}{i},{start + i},#ASCO26 cancer du sein\n" for i in range(400)))  # fmt: skip
        folders.append(folder)
    mirrors = [
        Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / f"copy{n}")
        for n in range(2)
    ]
    outcomes: list[object] = [None, None]

    def run(n: int) -> None:
        try:
            ingest(mirrors[n], folders[n], quarantine_dir=tmp_path / f"q{n}")
            outcomes[n] = "ok"
        except StoreError as err:
            outcomes[n] = err

    try:
        threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert "ok" in outcomes, outcomes
        for n, outcome in enumerate(outcomes):
            if outcome != "ok":
                assert re.search(
                    r"another kolmap is writing|changed while this command", str(outcome)
                )
                ingest(mirrors[n], folders[n], quarantine_dir=tmp_path / f"q{n}")
    finally:
        for m in mirrors:
            m.close()
    with Neo4jGraph.from_uri(neo4j_uri) as g:
        for label, key in (("Account", "account_id"), ("Post", "post_id")):
            rows = g.run(
                f"MATCH (n:{label}) RETURN count(n) AS n, count(DISTINCT [n.platform, n.{key}]) AS d"
            )
            assert rows[0]["n"] == rows[0]["d"], label
        counts = g.count()
        assert counts["Account"] == 850 and counts["Post"] == 800 and counts["FOLLOWS"] == 800


@pytest.mark.slow
def test_a_killed_ingest_into_neo4j_completes_on_rerun(
    neo4j_uri, sample_dir, sample_store, tmp_path
):
    """kill -9 while the ingest sends its changes to Neo4j: the next run rebuilds its copy
    from what Neo4j holds and ends at the same graph as one clean run."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys\n"
        "from kolmap.graph.neo4j.driver import Neo4jGraph\n"
        "from kolmap.graph.neo4j.mirror import Neo4jMirror\n"
        "from kolmap.ingest.pipeline import ingest_paths\n"
        "s = Neo4jMirror(Neo4jGraph.from_uri(sys.argv[1]))\n"
        "s.graph.batch_size = 500\n"
        "print('started', flush=True)\n"
        "ingest_paths(s, [sys.argv[2]], quarantine_dir=sys.argv[3])\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, neo4j_uri, str(sample_dir), str(tmp_path / "q")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().startswith("started")
    with Neo4jGraph.from_uri(neo4j_uri) as g:
        deadline = time.monotonic() + 120
        while g.count()["Post"] < 2_000 and time.monotonic() < deadline:
            time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        partial = g.count()["Post"]
    assert 0 < partial < sample_store.replica.row_count("posts")
    with Neo4jMirror(
        Neo4jGraph.from_uri(neo4j_uri), cache_dir=tmp_path / "after", write_lease=3600
    ) as store:
        with pytest.raises(GraphBusyError, match="incomplete"):
            store.fingerprint()  # readers never see the half-applied run as current
        # The killed writer was this user's, on this machine, and is gone: its claim is
        # taken over at once, without waiting for the lease to run out.
        ingest(store, sample_dir, quarantine_dir=tmp_path / "q2")
        store.reload()
        assert store.fingerprint(provenance=False) == sample_store.fingerprint(provenance=False)


def test_every_command_takes_a_neo4j_uri(neo4j_uri, sample_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> str:
        out = runner.invoke(cli, list(args), catch_exceptions=False)
        assert out.exit_code == 0, out.output
        return out.output

    run("ingest", str(sample_dir), "--store", neo4j_uri)
    ranked = run("rank", "--store", neo4j_uri, "--area", "oncology", "--format", "csv")
    assert ranked.count("\n") > 5
    stats = run("stats", "--store", neo4j_uri)
    assert "accounts" in stats
    assert stats.startswith(f"store: {neo4j_uri} (database neo4j)")  # not the local copy
    run("export", "--store", neo4j_uri, "--area", "oncology", "--format", "csv", "--out", "k.csv")
    assert "k.csv" in run("exports", "--store", neo4j_uri)
    assert "SCORED relationships in 12 areas" in run("publish-scores", "--store", neo4j_uri)
    with Neo4jGraph.from_uri(neo4j_uri) as g:
        assert g.count()["Account"] > 0
        scored = g.run("MATCH ()-[s:SCORED]->() RETURN count(s) AS n")[0]["n"]
        assert scored > 100
    assert not list(tmp_path.glob("*.duckdb"))  # nothing fell back to an embedded store


def test_a_server_that_is_down_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    from kolmap.graph import open_store

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", "x")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(StoreError, match=rf"bolt://127.0.0.1:{port}: cannot reach"):
        open_store(f"bolt://127.0.0.1:{port}")
    assert not list(tmp_path.iterdir())


def test_rejected_rows_of_a_neo4j_ingest_are_kept_on_this_machine(neo4j_uri, tmp_path, monkeypatch):
    """They used to go under a folder named after the URI ("bolt:/127.0.0.1:…")."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    folder = tmp_path / "in"
    write(folder, "accounts.csv", "platform,account_id,handle,bio\nx,1,a,Oncologist\nx,,b,no id\n")
    out = CliRunner().invoke(cli, ["ingest", str(folder), "--store", neo4j_uri, "--tolerance", "1"],
                             catch_exceptions=False)  # fmt: skip
    assert out.exit_code == 0, out.output
    kept = list((tmp_path / "data-home" / "kolmap").glob("*.quarantine/*.csv"))
    assert len(kept) == 1 and "no id" in kept[0].read_text("utf-8")
    assert not [p for p in tmp_path.rglob("*") if ":" in p.name]  # no "bolt:" folder


def test_the_scientific_record_and_person_decisions_live_in_neo4j(neo4j_uri, tmp_path):
    """Works, authorships, trials, congress roles and person decisions reach Neo4j (with
    AUTHORED and CO_AUTHOR for browsing), and a copy rebuilt from Neo4j reads the same."""
    from kolmap.ingest.science.load import import_science

    science = Path(__file__).parent / "data" / "science"
    names = (
        "pubmed.xml",
        "medline.nbib",
        "openalex_snapshot.jsonl",
        "studies.json",
        "programme.csv",
    )
    files = [science / n for n in names]
    with Neo4jMirror(Neo4jGraph.from_uri(neo4j_uri)) as on_neo4j:
        import_science(on_neo4j, files, quarantine_dir=tmp_path / "q", tolerance="100%")
        pair = ("author:orcid:0000-0002-1825-0097", "trial:name:dubois|c|bordeaux")
        on_neo4j.decide_persons([pair], "different", note="check")
        before = on_neo4j.science_tables()
        on_neo4j.reload()  # from what Neo4j holds, not from the local copy
        after = on_neo4j.science_tables()
    for name, frame in before.items():
        assert len(after[name]) == len(frame) > 0, name
        assert sorted(map(str, after[name].iloc[:, 0])) == sorted(map(str, frame.iloc[:, 0]))
    with Neo4jGraph.from_uri(neo4j_uri) as g:
        counts = g.count()
        assert counts["Work"] == 4 and counts["Authorship"] == 8
        authored = g.run(
            "MATCH (a:Author {author_key: 'orcid:0000-0002-1825-0097'})-[r:AUTHORED]->(w:Work) "
            "RETURN w.work_key AS w, r.position AS p ORDER BY w"
        )
        assert authored == [
            {"w": "pmid:39000001", "p": "first"},
            {"w": "pmid:39000003", "p": "first"},
        ]
        co = g.run(
            "MATCH (:Author {author_key: 'name:okafor|n|leeds'})-[r:CO_AUTHOR]-"
            "(:Author {author_key: 'orcid:0000-0002-1825-0097'}) "
            "RETURN r.count AS n, r.first_year AS first, r.last_year AS last"
        )
        assert co == [{"n": 2, "first": 2025, "last": 2025}]
