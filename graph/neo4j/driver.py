"""A kolmap graph in a Neo4j database, through the official ``neo4j`` driver.

This is the only module that imports ``neo4j``. :class:`Neo4jGraph` writes kolmap's tables
as the property graph :mod:`.maps` describes and reads them back; :mod:`.lease` keeps the
version stamp that local copies check, :mod:`.gds` runs Graph Data Science algorithms,
:mod:`.transfer` copies whole stores and :mod:`.mirror` is the Neo4j store.

Writes go in batches of ``UNWIND $rows ... MERGE`` inside managed transactions, which the
driver retries on transient errors; MERGE on each element's key makes a retried or repeated
batch change nothing. Every value is a parameter.

The driver is passed in (``Neo4jGraph(driver, uri=..., database=...)``), so tests can hand
it a fake that records the Cypher; :meth:`Neo4jGraph.from_uri` builds the real one from the
URI, the ``[neo4j]`` settings (user, database) and ``KOLMAP_NEO4J_PASSWORD`` (never a file in
the repository).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from kolmap.errors import StoreError
from kolmap.graph.neo4j.maps import (
    DERIVED,
    INDEXES,
    KOLMAP_LABELS,
    NODE_MAPS,
    REL_MAPS,
    NodeMap,
    RelMap,
    check_name,
    node_pattern,
    rel_pattern,
)
from kolmap.graph.store import is_neo4j_uri
from kolmap.settings import load_settings

__all__ = ["PASSWORD_ENV", "Neo4jGraph"]

PASSWORD_ENV = "KOLMAP_NEO4J_PASSWORD"
T = TypeVar("T")


class Neo4jGraph:
    """A connection to one Neo4j database holding (or about to hold) a kolmap graph."""

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        uri: str,
        database: str = "neo4j",
        batch_size: int = 5_000,
    ) -> None:
        self.driver = driver
        self.uri = uri
        self.database = database
        self.batch_size = batch_size

    @classmethod
    def from_uri(
        cls,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = 5_000,
    ) -> Neo4jGraph:
        """Connect to ``uri`` and check that the server answers. The user and database
        default to the ``neo4j`` settings, the password to ``$KOLMAP_NEO4J_PASSWORD``."""
        if not is_neo4j_uri(uri):
            raise StoreError(f"{uri}: not a Neo4j URI (neo4j://host:7687 or bolt://host:7687)")
        settings = load_settings().neo4j
        password = password if password is not None else os.environ.get(PASSWORD_ENV)
        if not password:
            raise StoreError(
                f"{uri}: no Neo4j password; set {PASSWORD_ENV} (and KOLMAP_NEO4J_USER, "
                "KOLMAP_NEO4J_DATABASE if not neo4j)"
            )
        driver = neo4j.GraphDatabase.driver(
            uri, auth=(user or settings.user, password), notifications_min_severity="OFF"
        )
        graph = cls(driver, uri=uri, database=database or settings.database, batch_size=batch_size)
        try:
            driver.verify_connectivity()
            graph.run("RETURN 1")
        except BaseException as err:
            driver.close()
            raise graph._error(err) from err
        return graph

    # -- connection -----------------------------------------------------------------------
    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _error(self, err: BaseException) -> BaseException:
        """A specific message with the URI for what goes wrong most: server down, wrong
        credentials, no such database."""
        if isinstance(err, neo4j_errors.AuthError):
            return StoreError(
                f"{self.uri}: Neo4j refused the user name or password "
                "(KOLMAP_NEO4J_USER / KOLMAP_NEO4J_PASSWORD)"
            )
        if isinstance(err, neo4j_errors.ServiceUnavailable):
            return StoreError(f"{self.uri}: cannot reach a Neo4j server there: {err}")
        code = getattr(err, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            return StoreError(f"{self.uri}: the server has no database {self.database!r}")
        if isinstance(err, neo4j_errors.Neo4jError):
            return StoreError(f"{self.uri}: Neo4j error {code}: {err.message}")
        return err

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One auto-commit query; its records as dicts."""
        try:
            records, _summary, _keys = self.driver.execute_query(
                query, params, database_=self.database
            )
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err
        return [r.data() for r in records]

    def run_batched(self, query: str, **params: Any) -> int:
        """A ``CALL {...} IN TRANSACTIONS`` query: it commits its own batches, so it runs in
        an implicit (auto-commit) transaction; returns its first value."""
        try:
            with self.driver.session(database=self.database) as session:
                record = session.run(query, params).single()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err
        return int(record[0]) if record is not None and record[0] is not None else 0

    def write_batch(self, query: str, rows: list[dict[str, Any]]) -> int:
        """One batch in a managed write transaction (retried by the driver); rows written."""

        def work(tx: neo4j.ManagedTransaction) -> int:
            record = tx.run(query, rows=rows).single()
            return int(record[0]) if record is not None else 0

        return self._execute_write(work)

    def _execute_write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """``work`` in a managed write transaction, which the driver retries on transient
        errors; driver errors become :class:`StoreError` naming the URI."""
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err

    def write_single(self, query: str, **params: Any) -> dict[str, Any] | None:
        """One query in a managed write transaction (retried by the driver); its first
        record as a dict, or None."""

        def work(tx: neo4j.ManagedTransaction) -> dict[str, Any] | None:
            record = tx.run(query, **params).single()
            return None if record is None else record.data()

        return self._execute_write(work)

    # -- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Uniqueness constraints (with their indexes) for every node key; idempotent."""
        for m in NODE_MAPS:
            props = ", ".join(f"n.{check_name(k)}" for k in m.key)
            name = f"kolmap_{m.label.lower()}_key"
            self.run(
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{check_name(m.label)}) REQUIRE ({props}) IS UNIQUE"
            )
        self.run(
            "CREATE CONSTRAINT kolmap_hashtag_key IF NOT EXISTS "
            "FOR (n:Hashtag) REQUIRE n.tag IS UNIQUE"
        )
        self.run(
            "CREATE CONSTRAINT kolmap_person_key IF NOT EXISTS "
            "FOR (n:Person) REQUIRE n.person_id IS UNIQUE"
        )
        self.run(
            "CREATE CONSTRAINT kolmap_author_key IF NOT EXISTS "
            "FOR (n:Author) REQUIRE n.author_key IS UNIQUE"
        )
        for statement in INDEXES:
            self.run(statement)

    def has_gds(self) -> bool:
        """Whether the Graph Data Science plugin answers on this server."""
        try:
            self.run("RETURN gds.version() AS version")
        except StoreError:
            return False
        return True

    # -- contents -------------------------------------------------------------------------
    def count(self) -> dict[str, int]:
        """Nodes per kolmap label and relationships per kolmap type."""
        counts = {}
        for label in KOLMAP_LABELS:
            rows = self.run(f"MATCH (n:{check_name(label)}) RETURN count(n) AS n")
            counts[label] = int(rows[0]["n"])
        for m in REL_MAPS:
            rows = self.run(f"MATCH ()-[r:{check_name(m.type)}]->() RETURN count(r) AS n")
            counts[m.type] = int(rows[0]["n"])
        return counts

    def is_empty(self) -> bool:
        """No kolmap data here (the version stamp alone does not count)."""
        counts = self.count()
        counts.pop("KolmapMeta", None)
        return not any(counts.values())

    def clear(self) -> int:
        """Delete every kolmap node and its relationships, in batches; nodes deleted.

        Relationships go first, 10,000 per transaction, then the nodes: deleting 10,000
        nodes with all their relationships at once (an account followed by thousands, a
        post with its tags and areas) ran out of transaction memory on large graphs."""
        labels = " OR ".join(f"n:{check_name(label)}" for label in KOLMAP_LABELS)
        self.run_batched(
            f"MATCH (n)-[r]->() WHERE {labels} CALL (r) {{ DELETE r }} "
            "IN TRANSACTIONS OF 10000 ROWS RETURN count(*) AS n"
        )
        return self.run_batched(
            f"MATCH (n) WHERE {labels} CALL (n) {{ DETACH DELETE n }} "
            "IN TRANSACTIONS OF 10000 ROWS RETURN count(*) AS n"
        )

    def write_nodes(self, m: NodeMap, rows: Iterable[Mapping[str, Any]]) -> int:
        """MERGE ``rows`` as ``m.label`` nodes; a node's properties become the row's values
        (null values are simply absent). Returns the rows written."""
        query = f"UNWIND $rows AS row MERGE {node_pattern('n', m)} SET n = row RETURN count(*)"
        return sum(self.write_batch(query, batch) for batch in self.batches(rows))

    def write_relationships(self, m: RelMap, rows: Iterable[Mapping[str, Any]]) -> int:
        """MERGE ``rows`` as ``m.type`` relationships between their end nodes; returns how
        many were written (a row whose start or end node is missing is not)."""
        start, rel, end = rel_pattern(m)
        end_clause = "MERGE" if m.make_end else "MATCH"
        ends = set(m.start[1].values()) | set(m.end[1].values())
        query = (
            f"UNWIND $rows AS row MATCH {start} {end_clause} {end} "
            f"MERGE (s)-{rel}->(e) SET r = row.props RETURN count(*)"
        )
        batches = self.batches(
            {**{c: row[c] for c in ends | set(m.key)}, "props": _without(row, ends)} for row in rows
        )
        return sum(self.write_batch(query, batch) for batch in batches)

    def write_derived(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """The browsing relationships (POSTED, REPLIES_TO, REPOSTS, QUOTES, LABELS,
        SAME_PERSON, AUTHORED, CO_AUTHOR) of the ``table`` rows just written, from their node
        properties."""
        queries = DERIVED.get(table, ())
        for batch in self.batches(rows):
            for query in queries:
                self.write_batch(query, batch)

    def delete_nodes(self, m: NodeMap, keys: Iterable[Mapping[str, Any]]) -> int:
        """Delete the ``m.label`` nodes with these keys, and their relationships."""
        query = f"UNWIND $rows AS row MATCH {node_pattern('n', m)} DETACH DELETE n RETURN count(*)"
        return sum(self.write_batch(query, batch) for batch in self.batches(keys))

    def delete_relationships(self, m: RelMap, keys: Iterable[Mapping[str, Any]]) -> int:
        """Delete the ``m.type`` relationships with these end keys (and ``m.key``)."""
        start, rel, end = rel_pattern(m)
        query = f"UNWIND $rows AS row MATCH {start}-{rel}->{end} DELETE r RETURN count(*)"
        return sum(self.write_batch(query, batch) for batch in self.batches(keys))

    def remove_orphans(self) -> None:
        """Hashtags no post uses, persons no label names and authors with no authorship
        any more."""
        self.run_batched(
            "MATCH (n) WHERE (n:Hashtag OR n:Person OR n:Author) AND NOT (n)--() "
            "CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS RETURN count(*)"
        )

    def read_nodes(self, m: NodeMap) -> Iterator[dict[str, Any]]:
        """Every ``m.label`` node's properties, in key order."""
        order = ", ".join(f"n.{check_name(k)}" for k in m.key)
        query = f"MATCH (n:{check_name(m.label)}) RETURN properties(n) AS row ORDER BY {order}"
        for record in self.run(query):
            yield _native(record["row"])

    def read_relationships(self, m: RelMap) -> Iterator[dict[str, Any]]:
        """Every ``m.type`` relationship as a row of its table: end-node keys mapped back to
        their columns, plus the relationship's properties."""
        start_label, start_cols = m.start
        end_label, end_cols = m.end
        returns = [f"s.{check_name(p)} AS {check_name(c)}" for p, c in start_cols.items()]
        returns += [
            f"e.{check_name(p)} AS {check_name(c)}"
            for p, c in end_cols.items()
            if c not in start_cols.values()
        ]
        query = (
            f"MATCH (s:{check_name(start_label)})-[r:{check_name(m.type)}]->"
            f"(e:{check_name(end_label)}) RETURN {', '.join(returns)}, properties(r) AS props"
        )
        for record in self.run(query):
            props = record.pop("props")
            yield _native({**record, **props})

    def write_scores(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """``SCORED`` relationships from accounts to areas: one per (account, area, kind),
        replaced on every call for the same (area, kind)."""
        query = (
            "UNWIND $rows AS row "
            "MATCH (a:Account {platform: row.platform, account_id: row.account_id}) "
            "MATCH (t:TherapeuticArea {area_id: row.area}) "
            "MERGE (a)-[s:SCORED {kind: row.kind}]->(t) SET s = row.props RETURN count(*)"
        )
        return sum(
            self.write_batch(query, batch)
            for batch in self.batches(
                {
                    "platform": r["platform"],
                    "account_id": r["account_id"],
                    "area": r["area"],
                    "kind": r["kind"],
                    "props": dict(r),
                }
                for r in rows
            )
        )

    def batches(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_clean(row))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def _without(row: Mapping[str, Any], columns: set[str]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in columns}


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: absent and null are the same, so nulls are left out."""
    out = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            out[key] = _clean(value)
        elif value is not None and value == value:  # NaN is null too
            out[key] = value
    return out


def _native(row: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j temporal values as Python datetimes (UTC kept)."""
    out = {}
    for key, value in row.items():
        if isinstance(value, neo4j.time.DateTime):
            out[key] = value.to_native()
        else:
            out[key] = value
    return out
