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
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from kolmap.errors import StoreError
from kolmap.graph.location import is_neo4j_uri
from kolmap.graph.neo4j.maps import (
    DERIVED,
    FIRST_LOAD_DERIVED,
    INDEXES,
    KOLMAP_LABELS,
    NODE_MAPS,
    REL_MAPS,
    NodeMap,
    RelMap,
    check_name,
    derived_columns,
    node_pattern,
    rel_end_columns,
    rel_pattern,
)
from kolmap.settings import load_settings
from kolmap.tables import TABLE, ColumnType, column_type

__all__ = ["PASSWORD_ENV", "Neo4jGraph"]

PASSWORD_ENV = "KOLMAP_NEO4J_PASSWORD"
T = TypeVar("T")
# How long a batched (auto-commit) query is tried again while the server cannot be reached:
# the driver's own default for the managed transactions it retries.
BATCHED_RETRY_SECONDS = 30.0


class Neo4jGraph:
    """A connection to one Neo4j database holding (or about to hold) a kolmap graph."""

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        uri: str,
        database: str = "neo4j",
        batch_size: int = 5_000,
        writers: int = 1,
    ) -> None:
        self.driver = driver
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.writers = writers

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

    def _records(self, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        """One auto-commit query's records; driver errors become :class:`StoreError`."""
        try:
            records, _summary, _keys = self.driver.execute_query(
                query, params, database_=self.database
            )
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err
        return list(records)

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One auto-commit query; its records as dicts."""
        return [r.data() for r in self._records(query, params)]

    def run_values(self, query: str, **params: Any) -> list[list[Any]]:
        """One auto-commit query; its records as value lists, as the driver gives them
        (``run``'s dicts walk every element of a value: every byte of a byte array)."""
        return [list(r.values()) for r in self._records(query, params)]

    def run_batched(self, query: str, **params: Any) -> int:
        """A ``CALL {...} IN TRANSACTIONS`` query: it commits its own batches, so it runs in
        an implicit (auto-commit) transaction; returns its first value.

        The driver retries managed transactions only, so this one is retried here, as the
        driver would, while the server is unreachable for up to :data:`BATCHED_RETRY_SECONDS`
        (an ingest died at its last step, removing orphans, when the server restarted then).
        kolmap's batched queries delete what matches, so running one again finishes the
        batches the first run did not commit; the count is then the second run's."""
        deadline, pause = time.monotonic() + BATCHED_RETRY_SECONDS, 0.5
        while True:
            try:
                with self.driver.session(database=self.database) as session:
                    record = session.run(query, params).single()
                break
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as err:
                if time.monotonic() + pause > deadline:
                    raise self._error(err) from err
                time.sleep(pause)
                pause = min(2 * pause, 8.0)
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
                raise self._error(err) from err
        return int(record[0]) if record is not None and record[0] is not None else 0

    def _write_all(
        self, work: Iterable[tuple[str, list[dict[str, Any]]]], *, parallel: bool = True
    ) -> int:
        """``(query, batch)`` pairs written by :attr:`writers` sessions at once (1 by
        default: with 2, an ingest did not survive a quick server restart); rows
        written. The batches of one call touch different elements (one row per key), so
        their order does not matter; the server works on one batch while the next is
        encoded, and on two cores at once."""
        if self.writers <= 1 or not parallel:
            return sum(self.write_batch(query, batch) for query, batch in work)
        total = 0
        with ThreadPoolExecutor(self.writers, thread_name_prefix="kolmap-neo4j") as pool:
            pending: set[Future[int]] = set()
            for query, batch in work:
                if len(pending) >= 2 * self.writers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    total += sum(f.result() for f in done)
                pending.add(pool.submit(self.write_batch, query, batch))
            total += sum(f.result() for f in pending)
        return total

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

    def holds_posts(self) -> bool:
        """Whether any Post node is here (one index lookup)."""
        return bool(self.run("MATCH (p:Post) RETURN 1 AS found LIMIT 1"))

    def is_empty(self) -> bool:
        """No kolmap data here (the version stamp alone does not count)."""
        counts = self.count()
        counts.pop("KolmapMeta", None)
        counts.pop("KolmapShared", None)
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
        head = f"UNWIND $rows AS row MERGE {node_pattern('n', m)} SET n = row"
        return self._write_all(
            (f"{head}{_set_times('n', times)} RETURN count(*)", batch)
            for batch, times in self._timed_batches(rows)
        )

    def write_relationships(self, m: RelMap, rows: Iterable[Mapping[str, Any]]) -> int:
        """MERGE ``rows`` as ``m.type`` relationships between their end nodes; returns how
        many were written (a row whose start or end node is missing is not)."""
        start, rel, end = rel_pattern(m)
        end_clause = "MERGE" if m.make_end else "MATCH"
        ends = set(m.start[1].values()) | set(m.end[1].values())
        head = (
            f"UNWIND $rows AS row MATCH {start} {end_clause} {end} "
            f"MERGE (s)-{rel}->(e) SET r = row.props"
        )
        batches = self._timed_batches(
            {**{c: row[c] for c in ends | set(m.key)}, "props": _without(row, ends)} for row in rows
        )
        return self._write_all(
            ((f"{head}{_set_times('r', times)} RETURN count(*)", b) for b, times in batches),
            parallel=False,
        )

    def write_derived(
        self, table: str, rows: Iterable[Mapping[str, Any]], *, first_load: bool = False
    ) -> None:
        """The browsing relationships (POSTED, REPLIES_TO, REPOSTS, QUOTES, LABELS,
        SAME_PERSON, AUTHORED, CO_AUTHOR) of the ``table`` rows just written, from their node
        properties. ``first_load``: the graph held no post before these were written (see
        :data:`~kolmap.graph.neo4j.maps.FIRST_LOAD_DERIVED`)."""
        queries = (FIRST_LOAD_DERIVED if first_load else DERIVED).get(table, ())
        # The queries read a few columns of each row (its key); only those are sent.
        columns = derived_columns(table)
        for batch in self.batches({c: row.get(c) for c in columns} for row in rows):
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
        """Every ``m.label`` node's properties, in key order; date-times as ISO strings
        (what the store's typed columns read back exactly)."""
        order = ", ".join(f"n.{check_name(k)}" for k in m.key)
        query = (
            f"MATCH (n:{check_name(m.label)}) RETURN n {{.*{times_as_text('n', m.table)}}} "
            f"AS row ORDER BY {order}"
        )
        for (row,) in self._stream(query):
            yield row

    def read_relationships(self, m: RelMap) -> Iterator[dict[str, Any]]:
        """Every ``m.type`` relationship as a row of its table: end-node keys mapped back to
        their columns, plus the relationship's properties (date-times as ISO strings)."""
        start_label, end_label = m.start[0], m.end[0]
        ends = rel_end_columns(m)
        names = [c for _var, _p, c in ends]
        returns = [f"{var}.{check_name(p)} AS {check_name(c)}" for var, p, c in ends]
        query = (
            f"MATCH (s:{check_name(start_label)})-[r:{check_name(m.type)}]->"
            f"(e:{check_name(end_label)}) RETURN r {{.*{times_as_text('r', m.table)}}} AS props, "
            f"{', '.join(returns)}"
        )
        for props, *keys in self._stream(query):
            yield {**dict(zip(names, keys, strict=True)), **props}

    def _stream(self, query: str, **params: Any) -> Iterator[list[Any]]:
        """The records of a read query as lists of values, streamed (no per-record dict
        conversion: a cold copy of 100,000 accounts spent half its time there)."""
        try:
            with self.driver.session(database=self.database, fetch_size=10_000) as session:
                for record in session.run(query, params):
                    yield record.values()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err

    def read_rows(self, query: str, **params: Any) -> Iterator[dict[str, Any]]:
        """The first value of each record of a read query that returns one map per record
        (``RETURN n {.*} AS row``), streamed."""
        for row, *_rest in self._stream(query, **params):
            yield row

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

    def _timed_batches(
        self, rows: Iterable[Mapping[str, Any]]
    ) -> Iterator[tuple[list[dict[str, Any]], dict[str, str]]]:
        """Batches whose date-times travel as ISO strings, with the Cypher function that
        reads each back (``datetime``, or ``localdatetime`` for a naive one) by column path.

        The driver turns each Python datetime into a Neo4j one in Python, which took a
        third of a full load's client time; ``datetime($iso)`` on the server gives the same
        value (the round-trip tests compare the fingerprints)."""
        for batch in self.batches(rows):
            times: dict[str, str] = {}
            for row in batch:
                _iso_times(row, times, "")
            yield batch, times

    def batches(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_clean(row))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def times_as_text(var: str, table: str) -> str:
    """Map projection items reading the table's date and time columns as ISO text:
    Python's driver builds each Neo4j date-time in Python, which cost a third of reading a
    graph back; DuckDB's typed columns read the text exactly.

    >>> times_as_text("n", "areas")
    ''
    """
    times = [c for c in TABLE[table].columns if column_type(c) is ColumnType.TIME]
    return "".join(f", {check_name(c)}: toString({var}.{c})" for c in times)


def _set_times(var: str, times: Mapping[str, str]) -> str:
    """``SET`` clauses turning the ISO strings :meth:`Neo4jGraph._timed_batches` sent back
    into temporal values (``row.props.x`` sets ``var.x``).

    >>> _set_times("n", {"created_at": "datetime"})
    ', n.created_at = datetime(row.created_at)'
    """
    return "".join(
        f", {var}.{check_name(path.rsplit('.', 1)[-1])} = {fn}(row.{path})"
        for path, fn in sorted(times.items())
    )


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


def _iso_times(row: dict[str, Any], times: dict[str, str], prefix: str) -> None:
    """Replace the datetimes of ``row`` (and of its nested maps) by ISO strings in place,
    noting each column's path and reading function in ``times``."""
    for key, value in row.items():
        if isinstance(value, dict):
            _iso_times(value, times, f"{prefix}{key}.")
        elif isinstance(value, datetime):
            times[prefix + key] = "localdatetime" if value.tzinfo is None else "datetime"
            row[key] = value.isoformat()
