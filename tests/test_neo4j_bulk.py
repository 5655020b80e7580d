"""A first load with Neo4j's offline importer (`kolmap export-neo4j-bulk`).

The store is written as ``neo4j-admin database import`` files and imported, with the importer
of the same Neo4j release as the test servers (`neo4j-server/neo4j-admin`), into a new
database in a fresh Neo4j home; a persistent server then opens that home. What it holds must
be what sending the same store through Cypher (`kolmap export-neo4j`) makes: the same
fingerprint read back, and the same count of every label and relationship type, the
browsing relationships included. The importer never writes into a database that holds data.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kolmap.errors import StoreError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.bulk import run_import, write_import_files
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.lease import Lease
from kolmap.graph.neo4j.transfer import from_neo4j, to_neo4j
from kolmap.ingest.science.load import import_science
from kolmap.model import AccountKey

from .conftest import REPO, neo4j_server, run
from .test_neo4j_restart import LIB, PersistentServer, _free_port, _unavailable
from .test_store_contract import ACCOUNTS, FOLLOWS, POSTS, ingest, write

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

ADMIN = [str(REPO / "neo4j-server" / "neo4j-admin")]
BROWSING = ("POSTED", "REPLIES_TO", "REPOSTS", "QUOTES", "LABELS", "SAME_PERSON")
SCIENCE = Path(__file__).parent / "data" / "science"
# Values a CSV file gets wrong when quoting is wrong: quotes, commas, line breaks, a
# formula-looking text, an empty list and text in several scripts.
AWKWARD = (
    'x,7,awk_ward,"Dr ""Quote"", MD","Line one\nline two; semi;colon\n=1+1",12,3,,en,,false\n'
    "x,8,arabic,د. سارة,طبيبة أورام — 腫瘍内科医,5,5,,ar,,false\n"
)


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBStore]:
    """A store with every kind of row: accounts, posts with replies, reposts and mentions,
    follows, edges, labels naming a person, a suppression, and the scientific record."""
    tmp = tmp_path_factory.mktemp("bulk-store")
    folder = tmp / "in"
    write(folder, "accounts.csv", ACCOUNTS + AWKWARD)
    quote = 'x,16,7,2026-06-04T10:00:00Z,"Quoting this, with ""quotes""",,,10,0,0,0,en\n'
    write(folder, "posts.csv", POSTS + quote)
    write(folder, "follows.csv", FOLLOWS + "x,7,1\nx,8,7\n")
    write(
        folder, "labels.csv", "platform,account_id,role,specialty,person_id\nx,3,patient,,p-anna\n"
    )
    write(folder, "edges.csv", "platform,src_id,dst_id,kind,count\nx,2,3,INTERACTS,4\n")
    with DuckDBStore(tmp / "bulk.duckdb") as store:
        ingest(store, folder)
        store.suppress([AccountKey("x", "4")])
        names = ("pubmed.xml", "medline.nbib", "openalex_snapshot.jsonl", "studies.json")
        import_science(
            store, [SCIENCE / n for n in names], quarantine_dir=tmp / "q", tolerance="100%"
        )
        store.db.execute("CHECKPOINT")  # so that a copy of the file holds it all
        yield store


@pytest.fixture
def imported(bulk_store, tmp_path) -> Iterator[tuple[PersistentServer, dict[str, int]]]:
    """The store imported into a new home, its server running: (server, files' elements)."""
    _need_the_importer()
    home = tmp_path / "home"
    files = write_import_files(bulk_store.replica.db, tmp_path / "files")
    run_import(files, "neo4j", admin=ADMIN, neo4j_home=home)
    server = PersistentServer(home, _free_port())
    server.start()
    try:
        yield server, {"nodes": files.node_count, "relationships": files.relationship_count}
    finally:
        server.kill()


def _need_the_importer() -> None:
    if shutil.which("java") is None or not list(LIB.glob("neo4j-import-tool-*.jar")):
        _unavailable("no Java or no Neo4j importer jar in .cache/neo4j (run `make neo4j`)")


def _counts(graph: Neo4jGraph) -> dict[str, int]:
    counts = graph.count()
    for kind in (*BROWSING, "AUTHORED", "CO_AUTHOR"):
        counts[kind] = graph.run(f"MATCH ()-[r:{kind}]->() RETURN count(r) AS n")[0]["n"]
    counts.pop("KolmapMeta", None)
    counts.pop("KolmapShared", None)
    return counts


def test_a_bulk_import_holds_what_sending_through_cypher_makes(bulk_store, imported, tmp_path):
    server, elements = imported
    with Neo4jGraph.from_uri(server.uri, user="neo4j", password=server.password) as graph:
        graph.ensure_schema()  # what kolmap does when it first opens the graph
        assert (Lease(graph).version() or "").startswith("v-")  # a complete version
        bulk = _counts(graph)
        with DuckDBStore(tmp_path / "back.duckdb") as back:
            from_neo4j(graph, back.replica)
            assert back.fingerprint() == bulk_store.fingerprint()
            awkward = back.sql("SELECT display_name, bio FROM accounts WHERE account_id = '7'")
            assert awkward.iloc[0].tolist() == [
                'Dr "Quote", MD',
                "Line one\nline two; semi;colon\n=1+1",
            ]
    info = neo4j_server("plain")
    with Neo4jGraph.from_uri(info["uri"], user="neo4j", password=info["password"]) as cypher:
        cypher.clear()
        try:
            to_neo4j(bulk_store.replica, cypher)
            sent = _counts(cypher)
        finally:
            cypher.clear()
    assert bulk == sent
    assert all(bulk[k] > 0 for k in ("Account", "Post", "Work", "Author", "Suppression"))
    assert [k for k in (*BROWSING, "AUTHORED", "CO_AUTHOR", "INTERACTS") if not bulk[k]] == []
    # every element the files held, the version stamp included
    assert sum(bulk.values()) + 1 == elements["nodes"] + elements["relationships"]


def test_the_importer_never_writes_into_a_database_that_holds_data(bulk_store, imported, tmp_path):
    server, _elements = imported
    again = write_import_files(bulk_store.replica.db, tmp_path / "again")
    # The database is in use by the running server, and holds data: refused either way.
    with pytest.raises(StoreError, match="nothing imported"):
        run_import(again, "neo4j", admin=ADMIN, neo4j_home=server.home)
    server.kill()
    with pytest.raises(StoreError, match="nothing imported"):
        run_import(again, "neo4j", admin=ADMIN, neo4j_home=server.home)
    server.start()
    with Neo4jGraph.from_uri(server.uri, user="neo4j", password=server.password) as graph:
        assert graph.count()["Account"] == bulk_store.replica.row_count("accounts")


def test_the_import_files_go_only_into_a_new_folder(bulk_store, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not empty"):
        write_import_files(bulk_store.replica.db, tmp_path / "used")
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]


def test_cli_writes_the_files_and_runs_the_importer(runner, bulk_store, tmp_path):
    _need_the_importer()
    store = tmp_path / "copy.duckdb"
    shutil.copy(bulk_store.location, store)
    only_files = run(runner, "export-neo4j-bulk", str(tmp_path / "f1"), "--store", str(store))
    assert "neo4j-admin database import full" in only_files.output
    assert (tmp_path / "f1" / "nodes-Account.csv").is_file()
    home = tmp_path / "home"

    def import_into_home(files: str, code: int = 0):
        return run(
            runner,
            "export-neo4j-bulk",
            str(tmp_path / files),
            "--store",
            str(store),
            "--neo4j-home",
            str(home),
            "--neo4j-admin",
            ADMIN[0],
            code=code,
        )

    done = import_into_home("f2")
    assert "imported" in done.output and "elements/s" in done.output
    assert (home / "data" / "databases" / "neo4j").is_dir()
    refused = import_into_home("f3", code=1)
    assert "nothing imported" in refused.output
