"""The Neo4j backend without a server: the Cypher it sends, its batching, its lease and its
mirror logic, through a recording fake driver (tests/fake_neo4j.py). The same code runs
against real servers in test_neo4j.py and the store contract (marked ``neo4j``)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from neo4j import exceptions as neo4j_errors

from kolmap.errors import StoreError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.gds import gds_scores
from kolmap.graph.neo4j.lease import Lease
from kolmap.graph.neo4j.maps import NODE_MAPS, REL_MAPS, check_name
from kolmap.graph.neo4j.mirror import Neo4jMirror
from kolmap.graph.neo4j.transfer import to_neo4j
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey
from kolmap.tables import TABLE

from .conftest import write
from .fake_neo4j import RecordingDriver, count_rows

ACCOUNTS = NODE_MAPS[1]
EDGES = next(m for m in REL_MAPS if m.table == "edges")


def fake_graph(responder=count_rows, batch_size: int = 5_000) -> tuple[Neo4jGraph, RecordingDriver]:
    driver = RecordingDriver(responder)
    return Neo4jGraph(driver, uri="bolt://fake:7687", batch_size=batch_size), driver  # type: ignore[arg-type]


def test_node_keys_come_from_the_model_tables():
    for m in NODE_MAPS:
        assert m.key == TABLE[m.table].key


def test_nodes_are_merged_in_batches_and_nulls_left_out():
    graph, driver = fake_graph(batch_size=2)
    rows = [
        {"platform": "x", "account_id": str(i), "handle": None, "followers": math.nan, "bio": "b"}
        for i in range(5)
    ]
    assert graph.write_nodes(ACCOUNTS, rows) == 5
    sent = driver.queries
    assert [len(p["rows"]) for _q, p in sent] == [2, 2, 1]
    assert all(
        q == "UNWIND $rows AS row MERGE (n:Account {platform: row.platform, "
        "account_id: row.account_id}) SET n = row RETURN count(*)"
        for q, _p in sent
    )
    assert sent[0][1]["rows"][0] == {"platform": "x", "account_id": "0", "bio": "b"}


def test_relationships_keep_end_keys_apart_from_their_properties():
    graph, driver = fake_graph()
    row = {"platform": "x", "src_id": "1", "dst_id": "2", "kind": "EMAILS", "count": 3}
    assert graph.write_relationships(EDGES, [row]) == 1
    query, params = driver.queries[0]
    assert "MATCH (s:Account {platform: row.platform, account_id: row.src_id})" in query
    assert "MERGE (s)-[r:INTERACTS {kind: row.kind}]->(e) SET r = row.props" in query
    assert params["rows"] == [
        {"platform": "x", "src_id": "1", "dst_id": "2", "kind": "EMAILS",
         "props": {"kind": "EMAILS", "count": 3}}
    ]  # fmt: skip


def test_date_times_travel_as_iso_text_and_become_date_times_on_the_server():
    """The driver would build each Neo4j date-time in Python; kolmap sends ISO text and the
    query turns it back (an aware value with datetime(), a naive one with localdatetime())."""
    graph, driver = fake_graph()
    posts = next(m for m in NODE_MAPS if m.table == "posts")
    when = datetime(2024, 3, 5, 10, 11, 12, 123456, tzinfo=UTC)
    rows = [{"platform": "x", "post_id": "1", "created_at": when, "text": "t"}]
    graph.write_nodes(posts, rows)
    query, params = driver.queries[0]
    assert "SET n = row, n.created_at = datetime(row.created_at) RETURN" in query
    assert params["rows"][0]["created_at"] == "2024-03-05T10:11:12.123456+00:00"
    graph.write_nodes(posts, [{**rows[0], "created_at": when.replace(tzinfo=None)}])
    assert "n.created_at = localdatetime(row.created_at)" in driver.queries[1][0]
    row = {"platform": "x", "src_id": "1", "dst_id": "2", "kind": "EMAILS", "last_at": when}
    graph.write_relationships(EDGES, [row])
    assert "r.last_at = datetime(row.props.last_at)" in driver.queries[2][0]


def test_browsing_relationships_get_only_the_keys_and_a_first_load_deletes_nothing():
    graph, driver = fake_graph()
    row = {"platform": "x", "post_id": "1", "author_id": "9", "text": "long text " * 50}
    graph.write_derived("posts", [row])
    graph.write_derived("posts", [row], first_load=True)
    (again, params), (first, _p) = driver.queries
    assert params["rows"] == [{"platform": "x", "post_id": "1"}]
    assert "DELETE old" in again and "reply_to_post_id: p.post_id" in again
    assert "DELETE" not in first and "reply_to_post_id: p.post_id" not in first
    assert "MERGE (p)-[:REPLIES_TO]->(q)" in first and "MERGE (a)-[:POSTED]->(p)" in first


def test_names_spliced_into_cypher_are_checked():
    assert check_name("Account") == "Account"
    for bad in ("Account) DETACH DELETE (n", "a b", "", "1x", "x`"):
        with pytest.raises(ValueError, match="not a Cypher identifier"):
            check_name(bad)


def test_driver_errors_become_one_line_store_errors_naming_the_server():
    def refuse(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise neo4j_errors.AuthError("no")

    graph, _driver = fake_graph(refuse)
    with pytest.raises(StoreError, match=r"bolt://fake:7687: Neo4j refused the user name"):
        graph.run("RETURN 1")

    def down(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise neo4j_errors.ServiceUnavailable("connection refused")

    graph, _driver = fake_graph(down)
    with pytest.raises(StoreError, match="cannot reach a Neo4j server there"):
        graph.write_nodes(ACCOUNTS, [{"platform": "x", "account_id": "1"}])


def test_a_batched_query_is_tried_again_while_the_server_restarts(monkeypatch):
    """The driver retries managed transactions only: an ingest whose last step (a batched
    delete of orphans) met a quick server restart failed (CI, December 2026)."""
    import kolmap.graph.neo4j.driver as driver_module

    monkeypatch.setattr(driver_module.time, "sleep", lambda _s: None)
    failures = iter([neo4j_errors.ServiceUnavailable("defunct connection")])

    def restarting(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return [{"n": 7}]

    graph, driver = fake_graph(restarting)
    assert graph.run_batched("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS RETURN 1") == 7
    assert len(driver.queries) == 2

    def down(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        raise neo4j_errors.ServiceUnavailable("connection refused")

    monkeypatch.setattr(driver_module, "BATCHED_RETRY_SECONDS", 0.0)
    graph, _driver = fake_graph(down)
    with pytest.raises(StoreError, match="cannot reach a Neo4j server there"):
        graph.remove_orphans()


def test_from_uri_refuses_other_locations_and_a_missing_password(monkeypatch):
    with pytest.raises(StoreError, match="not a Neo4j URI"):
        Neo4jGraph.from_uri("kolmap.duckdb")
    monkeypatch.delenv("KOLMAP_NEO4J_PASSWORD", raising=False)
    with pytest.raises(StoreError, match="no Neo4j password; set KOLMAP_NEO4J_PASSWORD"):
        Neo4jGraph.from_uri("bolt://fake:7687")


class FakeServer:
    """Just enough of a Neo4j server for the mirror: the version stamp (compare-and-set),
    counts, and no stored elements to read back."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.claims: list[tuple[str, str]] = []

    def __call__(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if query.startswith("MERGE (m:KolmapMeta"):
            found = self.version or ""
            ok = found == params["expected"]
            if ok:
                self.version = params["new"]
                self.claims.append((params["expected"], params["new"]))
            return [{"ok": ok}]
        if "RETURN m.version AS version" in query:
            return [{"version": self.version}] if self.version else []
        if "RETURN count(n) AS n" in query or "RETURN count(r) AS n" in query:
            return [{"n": 0}]
        return count_rows(query, params)


def test_lease_is_a_compare_and_set_on_the_version():
    server = FakeServer()
    graph, _driver = fake_graph(server)
    lease = Lease(graph)
    assert lease.version() is None
    assert lease.claim(None, "v-1")
    assert not lease.claim("v-0", "writing-2")  # someone else's version: refused
    assert lease.claim("v-1", "writing-2") and lease.version() == "writing-2"


def test_to_neo4j_stops_when_relations_find_no_end_node(tmp_path):
    def lose_follows(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if "RETURN count(n) AS n" in query or "RETURN count(r) AS n" in query:
            return [{"n": 0}]
        if ":FOLLOWS" in query and "rows" in params:
            return [{"count(*)": len(params["rows"]) - 1}]
        return count_rows(query, params)

    folder = tmp_path / "in"
    write(folder, "accounts.csv", "platform,account_id,handle\nx,1,a\nx,2,b\n")
    write(folder, "follows.csv", "platform,follower_id,followed_id\nx,1,2\n")
    with DuckDBStore(":memory:") as store:
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
        graph, _driver = fake_graph(lose_follows)
        with pytest.raises(StoreError, match="1 of 1 follows rows found no end node"):
            to_neo4j(store.replica, graph)


def test_mirror_writes_then_sends_only_what_changed_under_a_claim(tmp_path):
    server = FakeServer()
    graph, driver = fake_graph(server)
    folder = tmp_path / "in"
    write(folder, "accounts.csv", "platform,account_id,handle,bio\nx,1,ana,Oncologist\n")
    write(folder, "follows.csv", "platform,follower_id,followed_id\nx,2,1\n")
    with Neo4jMirror(graph, cache_dir=tmp_path / "copy") as mirror:
        assert server.version is None  # opening reads nothing: the first read syncs the copy
        mirror.areas()
        first_version = server.version
        assert first_version and first_version.startswith("v-")  # an empty graph gets stamped
        driver.queries.clear()
        ingest_paths(mirror, [folder], quarantine_dir=tmp_path / "q")
        # the write was claimed from the version the copy held, then stamped anew
        assert server.claims[-2][0] == first_version
        assert server.claims[-2][1].startswith("writing-")
        assert server.claims[-1] == (server.claims[-2][1], server.version)
        sent_accounts = [
            row["account_id"]
            for q, p in driver.queries
            if q.startswith("UNWIND $rows AS row MERGE (n:Account")
            for row in p["rows"]
        ]
        assert sorted(sent_accounts) == ["1", "2"]  # account 2 arrived as a stub of the follow
        follows = [p["rows"] for q, p in driver.queries if "[r:FOLLOWS]" in q and "MERGE" in q]
        assert follows == [[{"platform": "x", "follower_id": "2", "followed_id": "1",
                             "props": follows[0][0]["props"]}]]  # fmt: skip
        # an erase sends the deletion and its audit line only
        driver.queries.clear()
        mirror.erase([AccountKey("x", "2")])
        deleted = [p["rows"] for q, p in driver.queries if "DETACH DELETE n" in q and "rows" in p]
        assert {"platform": "x", "account_id": "2"} in deleted[0]
        merged = [q for q, _p in driver.queries if q.startswith("UNWIND $rows AS row MERGE")]
        assert merged == [
            "UNWIND $rows AS row MERGE (n:AuditEvent {event_id: row.event_id}) SET n = row, "
            "n.event_at = datetime(row.event_at) RETURN count(*)"
        ]


def test_gds_scores_scale_pagerank_and_always_drop_the_projections():
    def stream(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = [("x", "1"), ("x", "2")]
        if "gds.pageRank.stream" in query:
            values = [2.0, 6.0]
        elif "gds.leiden.stream" in query:
            values = [7, 7]
        elif "gds.degree.stream" in query:
            values = [0.0, 1.0]
        else:
            return count_rows(query, params)
        return [
            {"platform": p, "account_id": a, "value": v}
            for (p, a), v in zip(rows, values, strict=True)
        ]

    graph, driver = fake_graph(stream)
    endorsements = [{"platform": "x", "src": "1", "dst": "2", "weight": 1.5}]
    scores = gds_scores(graph, "oncology", endorsements, damping=0.85, seed=42)
    assert scores == {("x", "1"): (0.25, 7, 0), ("x", "2"): (0.75, 7, 1)}
    drops = driver.cypher("gds.graph.drop")
    assert len(drops) == 4  # both projections, before and after
    assert all(p.get("seed") == 42 for q, p in driver.queries if "gds.leiden" in q)


def test_gds_scores_project_nothing_without_endorsements(tmp_path: Path):
    graph, driver = fake_graph()
    assert gds_scores(graph, "oncology", [], damping=0.85, seed=1) == {}
    assert not driver.cypher("gds.graph.project")


def test_clear_deletes_relationships_before_nodes_in_batches():
    """Deleting 10,000 nodes with all their relationships at once ran out of transaction
    memory on a 100k-account graph."""
    graph, driver = fake_graph()
    graph.clear()
    first, second = (q for q, _p in driver.queries)
    assert "-[r]->()" in first and "DELETE r" in first and "IN TRANSACTIONS" in first
    assert "DETACH DELETE n" in second and "IN TRANSACTIONS" in second


def test_a_writers_heartbeat_renews_its_claim_until_stopped():
    """A long batch used to look like a crash only after 15 minutes without renewal; now the
    claim is renewed every few seconds from a background thread, and the lease is short."""
    import time

    from kolmap.graph.neo4j.mirror import _Heartbeat

    class Counting:
        def __init__(self) -> None:
            self.renewed: list[str] = []

        def renew(self, claim: str) -> None:
            self.renewed.append(claim)

    lease = Counting()
    beat = _Heartbeat(lease, "writing-1", 0.02)  # type: ignore[arg-type]
    time.sleep(0.3)
    beat.stop()
    seen = len(lease.renewed)
    time.sleep(0.1)
    assert seen >= 3 and set(lease.renewed) == {"writing-1"}
    assert len(lease.renewed) == seen  # stopped
    assert Neo4jMirror.__init__.__kwdefaults__["write_lease"] <= 120


def test_a_crashed_writer_of_this_user_here_is_recognised_at_once():
    import subprocess
    import sys

    from kolmap.graph.neo4j.lease import holder, holder_is_gone

    me = holder()
    user_host = me.rsplit(":", 1)[0]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert holder_is_gone(f"{user_host}:{dead}")
    assert not holder_is_gone(me)  # alive
    assert not holder_is_gone(f"someone@elsewhere:{dead}")  # another machine: wait the lease
    assert not holder_is_gone("")


def test_a_copy_from_another_schema_version_is_rebuilt_not_refused(tmp_path):
    """After an upgrade, every Neo4j command failed with "store schema version 2, this kolmap
    reads 3; re-ingest into a new store": the copy on this machine is only a cache."""
    import duckdb

    server = FakeServer()
    graph, _driver = fake_graph(server)
    with Neo4jMirror(graph, cache_dir=tmp_path / "copy") as mirror:
        path = mirror._cache_path
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    graph, _driver = fake_graph(server)
    with Neo4jMirror(graph, cache_dir=tmp_path / "copy") as mirror:
        assert mirror.stats()["accounts"] == 0
