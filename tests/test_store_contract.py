"""The store contract: what every backend must do (run against each store factory)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kolmap.errors import InputError, RejectedRowsError, StoreError
from kolmap.graph import GraphStore, Scope, open_store
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey

from .conftest import neo4j_server, write

ACCOUNTS = """platform,account_id,handle,display_name,bio,followers,following,location,lang,url,verified
x,1,DrMartin,Dr Martin,Oncologue médical,5000,300,Paris,fr,,true
x,2,nurse_jo,Jo,Infirmière en cancérologie,200,150,,fr,,false
x,3,anna_bc,Anna,Breast cancer survivor,900,400,,en,,false
x,4,pharmaco,Exemplar,Laboratoire pharmaceutique,40000,10,,fr,,true
bluesky,did:plc:9,zoe.bsky.social,Zoé,Cardiologue,300,100,,fr,,false
"""
POSTS = """platform,post_id,author_id,created_at,text,reply_to_post_id,repost_of_post_id,quote_of_post_id,likes,reposts,replies,lang
x,10,1,2026-05-30T09:00:00Z,Nouvelles données #ASCO26 sur le cancer du sein,,,,40,10,3,fr
x,11,2,2026-05-30T10:00:00Z,Merci @drmartin pour cette session !,,,,2,0,0,fr
x,12,3,2026-05-31T10:00:00Z,,,10,,0,0,0,en
x,13,3,2026-06-01T10:00:00Z,Thank you @DrMartin and @ghost_account,,,,5,1,0,en
x,14,2,2026-06-02T10:00:00Z,Je suis d'accord,10,,,1,0,0,fr
x,15,4,2026-06-03T10:00:00Z,Our new product page,,,,0,0,0,en
bluesky,20,did:plc:9,2026-06-01T08:00:00Z,Heart failure update,,,,3,0,0,fr
"""
FOLLOWS = """platform,follower_id,followed_id
x,2,1
x,3,1
x,1,2
x,99,1
"""


def make_duckdb(tmp: Path) -> GraphStore:
    return DuckDBStore(tmp / "contract.duckdb")


def _neo4j_store(tmp: Path, server: str) -> GraphStore:
    """The Neo4j store on one of the `make neo4j` servers, emptied first."""
    from kolmap.graph.neo4j.driver import Neo4jGraph
    from kolmap.graph.neo4j.mirror import Neo4jMirror

    info = neo4j_server(server)
    os.environ["KOLMAP_NEO4J_PASSWORD"] = info["password"]
    with Neo4jGraph.from_uri(info["uri"]) as graph:
        graph.clear()
    return Neo4jMirror(Neo4jGraph.from_uri(info["uri"]), cache_dir=tmp / "neo4j-copy")


def make_neo4j(tmp: Path) -> GraphStore:
    """Neo4j 5.26 without plugins."""
    return _neo4j_store(tmp, "plain")


def make_neo4j_gds(tmp: Path) -> GraphStore:
    """Neo4j 5.26 with the Graph Data Science plugin."""
    return _neo4j_store(tmp, "gds")


# The Neo4j stores need the `make neo4j` servers: marked, so `-m "not neo4j"` runs without them.
FACTORIES = [
    pytest.param(make_duckdb, id="duckdb"),
    pytest.param(make_neo4j, id="neo4j", marks=pytest.mark.neo4j),
    pytest.param(make_neo4j_gds, id="neo4j_gds", marks=pytest.mark.neo4j),
]


@pytest.fixture(params=FACTORIES)
def any_store(request, tmp_path, monkeypatch) -> Iterator[GraphStore]:
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", os.environ.get("KOLMAP_NEO4J_PASSWORD", ""))
    s = request.param(tmp_path)
    yield s
    if hasattr(s, "reload"):
        # Whatever the test did, Neo4j itself must hold it: a copy rebuilt from Neo4j alone
        # equals the one the test read from.
        seen = s.fingerprint()
        s.reload()
        assert s.fingerprint() == seen
    s.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    write(d, "accounts.csv", ACCOUNTS)
    write(d, "posts.csv", POSTS)
    write(d, "follows.csv", FOLLOWS)
    write(d, "labels.csv", "platform,account_id,role,specialty,person_id\nx,3,patient,,p-anna\n")
    return d


def ingest(store: GraphStore, *paths: Path, **kw):
    q = kw.pop("quarantine_dir", paths[0].parent / "quarantine")
    return ingest_paths(store, list(paths), quarantine_dir=q, **kw)


def key(platform: str, account_id: str) -> AccountKey:
    return AccountKey(platform, account_id)


def test_ingest_then_read(any_store, folder):
    summary = ingest(any_store, folder)
    assert summary.quarantined == 0
    assert summary.merge["accounts"]["added"] == 5
    assert summary.merge["posts"]["added"] == 7
    assert summary.merge["follows"]["added"] == 4
    assert summary.merge["stubs_created"] == {"by_id": 1, "by_handle": 1}
    stats = any_store.stats()
    assert stats["accounts"] == 5 and stats["stub_accounts"] == 2
    assert stats["interactions"] == {"MENTIONS": 3, "REPLIES_TO": 1, "REPOSTS": 1}
    assert stats["by_platform"] == {"x": 4, "bluesky": 1}
    frame = any_store.accounts([key("x", "1"), key("x", "3"), key("x", "4")])
    roles = dict(zip(frame["account_id"], frame["role"], strict=True))
    assert roles == {"1": "hcp", "3": "patient", "4": "brand"}
    assert frame.set_index("account_id").loc["1", "specialty"] == "oncologue medical"
    assert frame.set_index("account_id").loc["3", "person_id"] == "p-anna"


def test_mentions_resolve_handles_case_insensitively(any_store, folder):
    ingest(any_store, folder)
    projection = any_store.projection(Scope())
    nodes = projection.nodes
    edges = projection.edges.merge(nodes[["account_id"]], left_on="dst", right_index=True)
    mentioned = edges.loc[edges["kind"] == "MENTIONS", "account_id"].tolist()
    assert sorted(mentioned) == ["1", "1", "@ghost_account"]  # @drmartin is @DrMartin
    by_pair = projection.edges.set_index(["src", "dst", "kind"])["count"]
    pos = {a: i for i, a in enumerate(nodes["account_id"])}
    assert by_pair[(pos["2"], pos["1"], "MENTIONS")] == 1
    assert by_pair[(pos["3"], pos["1"], "MENTIONS")] == 1
    assert by_pair[(pos["3"], pos["1"], "REPOSTS")] == 1
    assert by_pair[(pos["2"], pos["1"], "REPLIES_TO")] == 1


def test_reingesting_the_same_files_changes_nothing(any_store, folder):
    ingest(any_store, folder)
    before = any_store.fingerprint()
    again = ingest(any_store, folder)
    assert any_store.fingerprint() == before
    assert again.merge["accounts"] == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "duplicates": 0,
        "stubs_completed": 0,
    }
    assert again.merge["posts"]["added"] == 0 and again.merge["posts"]["unchanged"] == 7
    assert again.merge["follows"] == {"added": 0, "unchanged": 4, "duplicates": 0}
    assert again.merge["stubs_created"] == {"by_id": 0, "by_handle": 0}


def test_a_failed_ingest_leaves_the_store_exactly_as_before(any_store, folder, tmp_path):
    ingest(any_store, folder)
    before = any_store.fingerprint()
    bad = tmp_path / "bad"
    write(bad, "accounts.csv", "platform,account_id,handle\nx,500,newcomer\n")
    write(bad, "posts.csv", 'platform,post_id,author_id,text\nx,900,500,"never closed\n')
    with pytest.raises(InputError, match="unterminated"):
        ingest(any_store, bad)
    assert any_store.fingerprint() == before
    assert any_store.accounts([key("x", "500")]).empty


def test_an_interrupted_ingest_commits_nothing(any_store, folder):
    def boom(path: str, rows: int) -> None:
        if path.endswith("posts.csv"):
            raise KeyboardInterrupt

    before = any_store.fingerprint()
    with pytest.raises(KeyboardInterrupt):
        ingest(any_store, folder, progress=boom)
    assert any_store.fingerprint() == before
    assert any_store.stats()["accounts"] == 0


def test_batches_are_staged_beside_the_store_not_in_its_transaction(tmp_path, folder):
    """Staged rows are committed to ``<store>.stage`` as they come (so DuckDB can move them
    out of memory); the store changes only at the merge, and the staging file then goes."""
    path = tmp_path / "staged.duckdb"
    stage = tmp_path / "staged.duckdb.stage"
    seen: list[tuple[bool, int]] = []
    with DuckDBStore(path) as store:

        def look(_path: str, _rows: int) -> None:
            committed = store.db.raw.execute("SELECT count(*) FROM accounts").fetchall()
            seen.append((stage.exists(), committed[0][0]))

        ingest(store, folder, progress=look)
        assert seen and all(seen_stage and count == 0 for seen_stage, count in seen)
        assert not stage.exists()
        assert store.stats()["accounts"] > 0


def test_a_staging_file_left_by_a_killed_run_is_discarded(tmp_path, folder):
    path = tmp_path / "left.duckdb"
    stage = tmp_path / "left.duckdb.stage"
    with DuckDBStore(path) as clean:
        ingest(clean, folder)
        expected = clean.fingerprint(provenance=False)
    path.unlink()
    stage.write_bytes(b"half-written staging database from a run that was killed")
    with DuckDBStore(path) as store:
        ingest(store, folder)
        assert store.fingerprint(provenance=False) == expected
    assert not stage.exists()


def test_a_killed_ingest_leaves_the_store_unchanged_and_a_rerun_completes_it(tmp_path, folder):
    """A real ``kill -9`` mid-run: the store keeps its last committed state, and running the
    same ingest again gives the same store as one clean run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    big = tmp_path / "big"
    big.mkdir()
    rows = "".join(f"x,{i},{i % 97 + 1}\n" for i in range(2, 120_000))
    (big / "follows.csv").write_text("platform,follower_id,followed_id\n" + rows)
    path = tmp_path / "killed.duckdb"
    with DuckDBStore(path) as store:
        ingest(store, folder)
        before = store.fingerprint()
    script = (
        "import sys\n"
        "from kolmap.graph.duckdb import DuckDBStore\n"
        "from kolmap.ingest.pipeline import ingest_paths\n"
        "from kolmap.settings import IngestSettings, Settings\n"
        "s = Settings(ingest=IngestSettings(batch_size=2_000))\n"
        "ingest_paths(DuckDBStore(sys.argv[1]), [sys.argv[2]], settings=s,\n"
        "    quarantine_dir=sys.argv[3], progress=lambda p, n: print('batch', flush=True))\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path), str(big), str(tmp_path / "q")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for _ in range(5):  # let it stage a few batches (of 12 or more), then kill it
        assert child.stdout.readline().startswith("batch")
    assert (tmp_path / "killed.duckdb.stage").exists()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    time.sleep(0.1)
    with DuckDBStore(path) as store:
        assert store.fingerprint() == before
        ingest(store, big)
        resumed = store.fingerprint(provenance=False)
        # The killed run is on record (it left no trace before): interrupted, then the rerun.
        statuses = store.runs()["status"].tolist()
        assert statuses[:2] == ["completed", "interrupted"], statuses
        trail = [json.loads(f)["status"] for f in store.audit_log("ingest")["facts"]]
        assert trail[:3] == ["completed", "interrupted", "completed"]
    clean_path = tmp_path / "clean.duckdb"
    with DuckDBStore(clean_path) as clean:
        ingest(clean, folder)
        ingest(clean, big)
        assert clean.fingerprint(provenance=False) == resumed


def test_a_bad_memory_limit_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="memory_limit 'lots'"):
        DuckDBStore(tmp_path / "m.duckdb", memory_limit="lots")


def test_too_many_rejected_rows_fails_with_nothing_committed(any_store, tmp_path):
    d = tmp_path / "rej"
    rows = "".join(f"x,{i},h{i}\n" for i in range(20))
    write(d, "accounts.csv", "platform,account_id,handle\n" + rows + ",,missing\nx,,nope\n")
    before = any_store.fingerprint()
    with pytest.raises(RejectedRowsError) as err:
        ingest(any_store, d, tolerance="0")
    assert any_store.fingerprint() == before
    qfile = Path(err.value.quarantine_path)
    lines = list(csv.DictReader(qfile.open(encoding="utf-8")))
    assert [(r["line"], r["reason"]) for r in lines] == [
        ("22", "missing platform"),
        ("23", "missing account_id"),
    ]
    summary = ingest(any_store, d, tolerance="10%")
    assert summary.quarantined == 2 and summary.merge["accounts"]["added"] == 20


def test_stub_from_a_mention_merges_into_the_real_account_later(any_store, folder, tmp_path):
    ingest(any_store, folder)
    assert not any_store.accounts([key("x", "@ghost_account")]).empty
    later = tmp_path / "later"
    write(later, "accounts.csv", "platform,account_id,handle,bio\nx,77,Ghost_Account,Neurologue\n")
    summary = ingest(any_store, later)
    assert summary.merge["stubs_merged"] == 1
    assert any_store.accounts([key("x", "@ghost_account")]).empty
    mentions = any_store.sql(
        "SELECT account_id FROM post_mentions WHERE platform = 'x' AND post_id = '13' ORDER BY 1"
    )
    assert mentions["account_id"].tolist() == ["1", "77"]


def test_stub_by_id_is_completed_when_the_account_arrives(any_store, folder, tmp_path):
    ingest(any_store, folder)
    stub = any_store.accounts([key("x", "99")])
    assert bool(stub["is_stub"].iloc[0])
    later = tmp_path / "later"
    write(later, "accounts.csv", "platform,account_id,handle,bio\nx,99,late,Diabétologue\n")
    summary = ingest(any_store, later)
    assert summary.merge["accounts"]["stubs_completed"] == 1
    row = any_store.accounts([key("x", "99")]).iloc[0]
    assert (
        not row["is_stub"] and row["role"] == "hcp" and row["source_file"].endswith("accounts.csv")
    )


def test_empty_values_never_erase_and_changes_are_counted(any_store, folder, tmp_path):
    first = ingest(any_store, folder)
    later = tmp_path / "later"
    write(later, "accounts.csv", "platform,account_id,handle,bio,followers\nx,1,,,6000\n")
    summary = ingest(any_store, later)
    assert summary.merge["accounts"]["updated"] == 1
    row = any_store.accounts([key("x", "1")]).iloc[0]
    assert row["followers"] == 6000
    assert row["handle"] == "DrMartin" and row["bio"] == "Oncologue médical"
    assert row["role"] == "hcp"  # a row without a bio keeps the stored inference
    assert row["run_id"] == first.run_id and row["updated_run_id"] == summary.run_id


def test_duplicates_in_one_run_are_counted_and_the_last_wins(any_store, tmp_path):
    d = tmp_path / "dup"
    write(d, "accounts.csv", "platform,account_id,handle,bio\nx,1,a,first\nx,1,a,second\n")
    summary = ingest(any_store, d)
    assert summary.merge["accounts"]["duplicates"] == 1
    assert any_store.accounts([key("x", "1")]).iloc[0]["bio"] == "second"


def test_labels_override_inference_even_when_they_arrive_first(any_store, tmp_path):
    d = tmp_path / "lab"
    write(d, "labels.csv", "platform,account_id,role,specialty\nx,5,hcp,Oncologie\n")
    ingest(any_store, d)
    # A plainly public bio ("Runner and reader" alone sits on the public/unknown line, where
    # a retrained model may fall either way): the label must win over a clear inference.
    write(
        d,
        "accounts.csv",
        'platform,account_id,handle,bio\nx,5,quiet,"Runner, reader and dad of two"\n',
    )
    ingest(any_store, d)
    row = any_store.accounts([key("x", "5")]).iloc[0]
    assert row["inferred_role"] == "public"
    assert row["role"] == "hcp" and bool(row["role_from_label"])
    assert row["specialty"] == "Oncologie"


def test_self_mentions_are_ignored_and_counted(any_store, tmp_path):
    d = tmp_path / "self"
    write(d, "accounts.csv", "platform,account_id,handle\nx,1,me\n")
    write(d, "posts.csv", "platform,post_id,author_id,text\nx,1,1,Moi @me\n")
    summary = ingest(any_store, d)
    assert summary.merge["posts"]["self_mentions_ignored"] == 1
    assert any_store.stats()["interactions"] == {}


def test_no_duplicate_rows_in_any_table(any_store, folder):
    ingest(any_store, folder)
    ingest(any_store, folder)
    checks = {
        "accounts": "platform, account_id",
        "posts": "platform, post_id",
        "follows": "platform, follower_id, followed_id",
        "post_mentions": "platform, post_id, account_id",
        "post_hashtags": "platform, post_id, tag",
        "post_areas": "platform, post_id, area",
        "labels": "platform, account_id",
    }
    for table, cols in checks.items():
        dupes = any_store.sql(
            f"SELECT count(*) AS n FROM (SELECT {cols} FROM {table} GROUP BY ALL "
            f"HAVING count(*) > 1)"
        )
        assert dupes["n"].iloc[0] == 0, table


def test_erase_removes_the_account_and_what_hangs_from_it(any_store, folder):
    ingest(any_store, folder)
    counts = any_store.erase([key("x", "1")])
    assert counts["accounts"] == 1 and counts["posts"] == 1 and counts["follows"] == 4
    assert counts["post_mentions"] == 2
    assert any_store.accounts([key("x", "1")]).empty
    nodes = any_store.projection(Scope()).nodes
    assert "1" not in set(nodes.loc[nodes["platform"] == "x", "account_id"])


def test_area_scope_takes_reposts_of_tagged_posts_and_follows_between_members(any_store, folder):
    ingest(any_store, folder)
    projection = any_store.projection(Scope(area="oncology"))
    nodes = projection.nodes.set_index("account_id")
    assert nodes.loc["1", "posts_in_scope"] == 1
    assert nodes.loc["3", "posts_in_scope"] == 1  # the repost of post 10 is in scope
    assert nodes.loc["2", "posts_in_scope"] == 1  # the reply to post 10 is in scope
    assert "did:plc:9" not in nodes.index  # a cardiologist on another topic
    assert bool(nodes.loc["1", "bio_in_area"])
    kinds = set(projection.edges["kind"])
    assert {"REPOSTS", "REPLIES_TO", "FOLLOWS"} <= kinds


def test_time_platform_and_hashtag_scopes(any_store, folder):
    ingest(any_store, folder)
    early = any_store.projection(Scope(until=datetime(2026, 5, 31, tzinfo=UTC)))
    assert early.nodes["posts_in_scope"].sum() == 2
    blue = any_store.projection(Scope(platforms=("bluesky",)))
    assert set(blue.nodes["platform"]) == {"bluesky"}
    congress = any_store.projection(Scope(hashtags=("asco26",)))
    in_scope = congress.nodes.set_index("account_id")["posts_in_scope"]
    assert in_scope["1"] == 1 and in_scope["3"] == 1


def test_missing_or_foreign_store_files_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        open_store(tmp_path / "none.duckdb", read_only=True)
    import duckdb

    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(StoreError, match="not a kolmap store"):
        open_store(foreign, read_only=True)
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"garbage\.duckdb"):
        open_store(garbage)


def test_reopening_writes_nothing_completes_older_stores_and_checks_the_version(tmp_path):
    import hashlib

    import duckdb

    path = tmp_path / "kept.duckdb"
    DuckDBStore(path).close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    DuckDBStore(path).close()  # the app does this on every click
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    # A store declared by an earlier kolmap (no edges table yet) gets what it lacks, once.
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW interactions")
    con.execute("DROP TABLE edges")
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sql'")
    con.close()
    with DuckDBStore(path) as store:
        assert store.stats()["imported_edges"] == 0 and store.stats()["interactions"] == {}
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    DuckDBStore(path).close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="store schema version 0, this kolmap reads 3"):
            DuckDBStore(path, read_only=read_only)


def test_a_store_from_before_a_column_was_added_reads_it_as_empty_and_gains_it(tmp_path, folder):
    """An added column (``avatar_url``) needs no new schema version: a store an older
    kolmap wrote reads it as NULL when opened read-only (the file untouched) and gains it,
    in place and with its rows kept, at the next write."""
    import hashlib

    import duckdb

    path = tmp_path / "older.duckdb"
    with DuckDBStore(path) as store:
        ingest(store, folder)
        expected = len(store.accounts())
    con = duckdb.connect(str(path))
    views = con.execute(
        "SELECT view_name, sql FROM duckdb_views() "
        "WHERE NOT internal AND database_name = current_database()"
    ).fetchall()
    for name, _sql in views:
        con.execute(f"DROP VIEW {name}")
    con.execute("ALTER TABLE accounts DROP COLUMN avatar_url")
    for _name, sql in views:
        con.execute(sql)
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_sql'")
    con.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with DuckDBStore(path, read_only=True) as store:
        accounts = store.accounts()
        assert len(accounts) == expected and accounts["avatar_url"].isna().all()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with DuckDBStore(path) as store:
        assert len(store.accounts()) == expected
        store.db.execute("UPDATE accounts SET avatar_url = 'https://img.example/a.png'")
    con = duckdb.connect(str(path), read_only=True)
    columns = [r[0] for r in con.execute("DESCRIBE accounts").fetchall()]
    con.close()
    assert columns[-1] == "avatar_url" and columns.count("avatar_url") == 1


def test_store_location_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KOLMAP_STORE", str(tmp_path / "env.duckdb"))
    with open_store() as s:
        assert s.location == str(tmp_path / "env.duckdb")
    with pytest.raises(StoreError, match="Neo4j"):
        open_store("neo4j://localhost:7687")


def test_suppressed_accounts_are_erased_and_never_come_back(any_store, folder):
    ingest(any_store, folder)
    counts = any_store.suppress([key("x", "1")])
    assert counts["accounts"] == 1 and counts["suppression_hashes_added"] == 2
    before = any_store.fingerprint()
    summary = ingest(any_store, folder)  # the same export again, with @DrMartin in it
    assert summary.merge["suppressed"] == {
        "texts_redacted": 2,  # "Merci @drmartin", "Thank you @DrMartin": as erasure left them
        "accounts": 1,
        "labels": 0,
        "posts": 1,
        "follows": 4,
        "edges": 0,
    }
    assert any_store.accounts([key("x", "1")]).empty
    assert any_store.fingerprint() == before
    handles = any_store.sql("SELECT handle_lc FROM accounts WHERE handle_lc = 'drmartin'")
    assert handles.empty  # mentions of the handle did not re-create it as a stub
    table = any_store.sql("SELECT * FROM suppressions")
    assert list(table.columns) == ["hash", "added_at", "scope"]  # hashes only, no names
    assert all(len(h) == 64 for h in table["hash"])


def test_an_account_suppressed_by_handle_before_it_arrives_never_comes_in(any_store, folder):
    """`kolmap suppress x:@handle` for an account not yet ingested said "hash added", and the
    account was then ingested in full."""
    counts = any_store.suppress([key("x", "@DrMartin")])
    assert counts["suppression_hashes_added"] == 2  # the handle-keyed id and the handle
    summary = ingest(any_store, folder)
    assert summary.merge["suppressions_learned"] == 1  # its real id, learned from its handle
    assert summary.merge["suppressed"]["accounts"] == 1
    assert any_store.accounts([key("x", "1")]).empty
    assert any_store.sql("SELECT * FROM posts WHERE author_id = '1'").empty
    assert any_store.sql("SELECT * FROM accounts WHERE handle_lc = 'drmartin'").empty


def test_an_account_suppressed_by_id_before_it_arrives_brings_no_stub_back(any_store, folder):
    """Suppressing by id left the handle unhashed: a mention re-created the person as a
    stub."""
    any_store.suppress([key("x", "1")])
    summary = ingest(any_store, folder)
    assert summary.merge["suppressions_learned"] == 1  # its handle, learned from its id
    assert any_store.sql("SELECT * FROM accounts WHERE handle_lc = 'drmartin'").empty
    again = ingest(any_store, folder)  # the handle is now on the list for good
    assert again.merge["suppressions_learned"] == 0
    assert any_store.sql("SELECT * FROM accounts WHERE handle_lc = 'drmartin'").empty


def test_suppression_hashes_are_keyed_and_a_store_refuses_another_key(tmp_path, folder):
    """The hashes were plain SHA-256 of a public prefix and the id: a dictionary of handles
    reversed them. They are keyed now, and the key never enters the store."""
    import shutil

    path = tmp_path / "keyed.duckdb"
    with DuckDBStore(path, key=b"first key") as store:
        ingest(store, folder)
        store.suppress([key("x", "1")])
        hashes = set(store.sql("SELECT hash FROM suppressions")["hash"])
    copy = tmp_path / "copy.duckdb"
    shutil.copy(path, copy)
    with DuckDBStore(copy, key=b"another key") as other:
        assert other.sql("SELECT hash FROM suppressions WHERE hash IN (SELECT "
                         "sha256('kolmap-suppression:x:1'))").empty  # fmt: skip
        with pytest.raises(StoreError, match="made with another key"):
            ingest(other, folder)
        assert not (set(other.sql("SELECT hash FROM suppressions")["hash"]) - hashes)
    assert b"first key" not in path.read_bytes()
    with DuckDBStore(copy, key=b"first key") as same:
        ingest(same, folder)
        assert same.accounts([key("x", "1")]).empty


def test_failed_runs_are_recorded_with_their_error(any_store, folder, tmp_path):
    """`kolmap runs` printed nothing after a failed run."""
    bad = write(tmp_path / "bad", "posts.csv", "platform,post_id,author_id,likes\nx,1,2,many\n")
    with pytest.raises(InputError):
        ingest(any_store, bad, tolerance="0")
    runs = any_store.runs()
    assert runs["status"].tolist() == ["failed"]
    assert "tolerance" in json.loads(runs["summary"].iloc[0])["error"]
    event = any_store.audit_log("ingest").iloc[0]
    assert json.loads(event["facts"])["status"] == "failed" and "@" in event["actor"]


def test_an_erasure_reaches_other_posts_exports_and_leaves_a_receipt(any_store, folder, tmp_path):
    """T29 on every store: the erased account's handle leaves other people's posts, the
    exports that showed it are listed, a receipt names it by a keyed hash only, and the
    trail records the erasure (the Neo4j store also checkpoints the server)."""
    from kolmap.views.erasure import erase_everywhere

    ingest(any_store, folder)
    any_store.record_export(
        {"export_id": "e1", "at": datetime(2026, 1, 1, tzinfo=UTC), "format": "csv",
         "path": "/tmp/top.csv", "filters": {}, "rows": 1, "sha256": "0" * 64,
         "pseudonymised": False, "kolmap_version": "t", "members": [("x", "1")]}
    )  # fmt: skip
    receipt = erase_everywhere(any_store, tmp_path / "here.duckdb", [key("x", "1")])
    assert [e["export_id"] for e in receipt["exports_to_recall"]] == ["e1"]
    texts = any_store.sql("SELECT post_id, text FROM posts ORDER BY post_id")
    assert "Merci @[erased] pour cette session !" in texts["text"].tolist()
    assert not texts["text"].fillna("").str.lower().str.contains("drmartin").any()
    assert receipt["subjects"] and "drmartin" not in json.dumps(receipt).lower()
    assert any_store.audit_log()["action"].tolist()[:2] == ["receipt", "erase"]


def test_export_log_round_trip(any_store):
    from datetime import UTC, datetime

    any_store.record_export(
        {
            "export_id": "e1",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "format": "csv",
            "path": "/tmp/x.csv",
            "filters": {"area": "oncology"},
            "rows": 12,
            "sha256": "ab" * 32,
            "pseudonymised": True,
            "kolmap_version": "0.1.0",
        }
    )
    log = any_store.export_log()
    assert log.iloc[0]["rows"] == 12 and bool(log.iloc[0]["pseudonymised"])


def test_account_search_is_literal_and_case_insensitive(any_store, folder):
    ingest(any_store, folder)
    assert any_store.accounts(search="NURSE_jo")["account_id"].tolist() == ["2"]
    assert any_store.accounts(search="_")["account_id"].tolist() == ["2", "3", "@ghost_account"]
    assert any_store.accounts(search="%").empty
    assert any_store.accounts(search="martin", limit=1)["handle"].tolist() == ["DrMartin"]
    # An id matches whole (a contact list's accounts have nothing else to be found by).
    assert "3" in any_store.accounts(search=" 3 ")["account_id"].tolist()
    assert "3" not in any_store.accounts(search="33")["account_id"].tolist()


def test_accounts_by_handle_match_whole_handles_in_any_case(any_store, folder):
    """What a page reads to name the accounts a quoted post mentions: one read for them
    all, whole handles only ("nurse" is no "NURSE_jo"), on the platform named."""
    ingest(any_store, folder)
    found = any_store.accounts(handles=[("x", "drmartin"), ("x", "NURSE_JO"), ("x", "nurse")])
    assert found["account_id"].tolist() == ["1", "2"]
    assert any_store.accounts(handles=[("bluesky", "drmartin")]).empty
    assert any_store.accounts(handles=[]).empty


def test_shortlists_are_saved_with_their_trail_and_go_with_suppressed_accounts(any_store, folder):
    from kolmap.graph.store import ShortlistEdit

    ingest(any_store, folder)
    rows = [
        {"platform": "x", "account_id": "1", "handle": "DrMartin", "role": "hcp", "score": 88.5,
         "added_from": "leaderboard"},
        {"platform": "x", "account_id": "2", "handle": "onco_b", "role": "hcp", "score": 40.0},
    ]  # fmt: skip
    counts = any_store.edit_shortlist(ShortlistEdit("ASCO 2027", "ana", add=rows))
    assert counts == {"added": 2, "updated": 0, "removed": 0}
    again = any_store.edit_shortlist(
        ShortlistEdit("ASCO 2027", "bo", add=rows[:1], notes={key("x", "2"): "met at ESMO"},
                      statuses={key("x", "2"): "contacted"})
    )  # fmt: skip
    assert again == {"added": 0, "updated": 2, "removed": 0}  # already on it: not added twice
    any_store.edit_shortlist(ShortlistEdit("other", "bo", add=rows[1:]))
    if hasattr(any_store, "reload"):
        any_store.reload()  # what Neo4j holds, not the local copy
    entries = any_store.shortlist("ASCO 2027")
    assert entries["handle"].tolist() == ["DrMartin", "onco_b"]
    assert entries["status"].tolist() == ["proposed", "contacted"]
    assert entries["note"].tolist() == ["", "met at ESMO"] and entries["score"].iloc[0] == 88.5
    listed = any_store.shortlists()
    assert sorted(listed["shortlist"]) == ["ASCO 2027", "other"]
    trail = any_store.shortlist_events("ASCO 2027")
    assert sorted(trail["action"]) == ["added", "added", "note", "status"]
    assert set(trail["owner"]) == {"ana", "bo"}
    any_store.suppress([key("x", "2")])
    assert any_store.shortlist("ASCO 2027")["account_id"].tolist() == ["1"]
    assert any_store.shortlist("other").empty
    assert "2" not in set(any_store.shortlist_events("ASCO 2027")["account_id"])
    gone = any_store.edit_shortlist(ShortlistEdit("ASCO 2027", "ana", remove=[key("x", "1")]))
    assert gone["removed"] == 1 and any_store.shortlists()["shortlist"].tolist() == []
    with pytest.raises(ValueError, match="unknown status"):
        ShortlistEdit("ASCO 2027", "ana", statuses={key("x", "1"): "maybe"})


def test_saved_views_are_kept_by_name_and_go_with_suppressed_accounts(any_store, folder):
    ingest(any_store, folder)
    any_store.save_view("Onco DOLs", "leaderboard", {"area": "oncology", "kind": "dol"}, "ana")
    any_store.save_view("Dr M", "profile", {"account": "x:1", "area": "oncology"}, "bo")
    any_store.save_view("Nurse", "profile", {"account": "x:2"}, "bo")
    any_store.save_view("Onco DOLs", "leaderboard", {"area": "oncology", "kind": "kol"}, "bo")
    if hasattr(any_store, "reload"):
        any_store.reload()  # what Neo4j holds, not the local copy
    views = any_store.saved_views().set_index("name")
    assert sorted(views.index) == ["Dr M", "Nurse", "Onco DOLs"]
    assert views.loc["Onco DOLs", "params"] == {"area": "oncology", "kind": "kol"}  # replaced
    assert views.loc["Onco DOLs", "owner"] == "bo" and views.loc["Dr M", "page"] == "profile"
    any_store.suppress([key("x", "2")])  # its profile's view goes with it
    assert sorted(any_store.saved_views()["name"]) == ["Dr M", "Onco DOLs"]
    assert any_store.delete_view("Dr M") and not any_store.delete_view("Dr M")
    assert any_store.saved_views()["name"].tolist() == ["Onco DOLs"]
    with pytest.raises(ValueError, match="needs a name"):
        any_store.save_view("  ", "overview", {}, "ana")


def test_rankings_are_the_same_wherever_the_store_runs_the_algorithms(any_store, folder, tmp_path):
    """Ranking on the server (GDS on a Neo4j server that has it) or in this process: the
    same lists; a Neo4j server without GDS says that it has none."""
    from kolmap.graph.store import engine_of
    from kolmap.scoring.rank import RankKind, rank
    from kolmap.settings import ScoringSettings
    from kolmap.views.engines import components_on

    ingest(any_store, folder)
    engine, note = engine_of(any_store)
    if isinstance(any_store, DuckDBStore):
        assert (engine, note) == (None, "")
    elif engine is None:
        assert "no Graph Data Science plugin" in note
    else:
        assert "computed by GDS" in note
    settings = ScoringSettings()
    with DuckDBStore(tmp_path / "reference.duckdb") as reference:
        ingest(reference, folder, quarantine_dir=tmp_path / "q2")
        for scope in (Scope(), Scope(area="oncology")):
            ours = any_store.projection(scope)
            theirs = reference.projection(scope)
            parts = components_on(any_store, ours, settings)
            for kind in RankKind:
                a = rank(ours, kind, settings, components=parts)
                b = rank(theirs, kind, settings)
                assert a["handle"].tolist() == b["handle"].tolist(), (scope, kind)
                assert a["score"].to_numpy() == pytest.approx(b["score"].to_numpy(), abs=1e-3)
