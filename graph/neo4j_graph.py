"""A kolmap graph in a Neo4j database, through the official ``neo4j`` driver.

This is the only module that imports ``neo4j``. It writes kolmap's tables as a property graph
(see docs/neo4j.md) and reads them back, so a store can move between DuckDB and Neo4j
(:mod:`kolmap.graph.transfer`):

- nodes: ``Account``, ``Post``, ``Label``, ``TherapeuticArea``, ``Hashtag``, ``Person``,
  ``Suppression``, ``IngestRun``, ``Export``;
- relationships: ``FOLLOWS``, ``INTERACTS`` (imported relations, with their ``kind``),
  ``MENTIONS`` (post to account), ``TAGGED`` (post to hashtag), ``ABOUT`` (post to area), and,
  for browsing in Bloom or Browser, ``POSTED``, ``REPLIES_TO``, ``REPOSTS``, ``QUOTES``,
  ``LABELS`` and ``SAME_PERSON``; ``SCORED`` (account to area) holds rankings.

Writes go in batches of ``UNWIND $rows ... MERGE`` inside managed transactions, which the
driver retries on transient errors; MERGE on each element's key makes a retried or repeated
batch change nothing. Every value is a parameter; labels, relationship types and property
keys come only from the fixed maps below (never from data).

Connection settings: the URI (``neo4j://``, ``bolt://``, with ``+s``/``+ssc`` variants), and
``KOLMAP_NEO4J_USER``, ``KOLMAP_NEO4J_PASSWORD`` and ``KOLMAP_NEO4J_DATABASE`` from the
environment (never from files in the repository).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from kolmap.errors import StoreError
from kolmap.graph.store import is_neo4j_uri

__all__ = [
    "NODE_MAPS",
    "REL_MAPS",
    "Neo4jGraph",
    "NodeMap",
    "RelMap",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
T = TypeVar("T")


@dataclass(frozen=True)
class NodeMap:
    """Rows of ``table`` as nodes labelled ``label``, identified by the ``key`` properties."""

    table: str
    label: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class RelMap:
    """Rows of ``table`` as ``type`` relationships between two existing nodes.

    ``start`` and ``end`` give each end's label and ``{node property: row column}``;
    ``key`` names relationship properties that tell parallel relationships apart;
    ``make_end`` creates the end node when missing (hashtags exist only through posts).
    """

    table: str
    type: str
    start: tuple[str, Mapping[str, str]]
    end: tuple[str, Mapping[str, str]]
    key: tuple[str, ...] = ()
    make_end: bool = False
    rest: Mapping[str, str] = field(default_factory=dict)


_POST = {"platform": "platform", "post_id": "post_id"}
NODE_MAPS = (
    NodeMap("areas", "TherapeuticArea", ("area_id",)),
    NodeMap("accounts", "Account", ("platform", "account_id")),
    NodeMap("posts", "Post", ("platform", "post_id")),
    NodeMap("labels", "Label", ("platform", "account_id")),
    NodeMap("suppressions", "Suppression", ("hash",)),
    NodeMap("ingest_runs", "IngestRun", ("run_id",)),
    NodeMap("exports", "Export", ("export_id",)),
)
REL_MAPS = (
    RelMap(
        "follows",
        "FOLLOWS",
        ("Account", {"platform": "platform", "account_id": "follower_id"}),
        ("Account", {"platform": "platform", "account_id": "followed_id"}),
    ),
    RelMap(
        "edges",
        "INTERACTS",
        ("Account", {"platform": "platform", "account_id": "src_id"}),
        ("Account", {"platform": "platform", "account_id": "dst_id"}),
        key=("kind",),
    ),
    RelMap(
        "post_mentions",
        "MENTIONS",
        ("Post", _POST),
        ("Account", {"platform": "platform", "account_id": "account_id"}),
    ),
    RelMap("post_hashtags", "TAGGED", ("Post", _POST), ("Hashtag", {"tag": "tag"}), make_end=True),
    RelMap("post_areas", "ABOUT", ("Post", _POST), ("TherapeuticArea", {"area_id": "area"})),
)
# Post properties that point at another post, with the relationship each becomes (and the
# name of the index that finds the posts pointing at one).
_POINTERS = (
    ("REPLIES_TO", "reply_to_post_id", "reply"),
    ("REPOSTS", "repost_of_post_id", "repost"),
    ("QUOTES", "quote_of_post_id", "quote"),
)
_THESE_POSTS = "UNWIND $rows AS row MATCH (p:Post {platform: row.platform, post_id: row.post_id}) "
# Relationships derived from node properties, for browsing; never read back. Each runs for
# the rows of its table that were written, so an update keeps them current.
_DERIVED = {
    "posts": (
        _THESE_POSTS
        + """OPTIONAL MATCH (p)-[old:REPLIES_TO|REPOSTS|QUOTES]->() DELETE old
           WITH DISTINCT p OPTIONAL MATCH (p)<-[old:POSTED]-() DELETE old
           WITH DISTINCT p
           MATCH (a:Account {platform: p.platform, account_id: p.author_id})
           MERGE (a)-[:POSTED]->(p) RETURN count(*)""",
        # what these posts point at
        *(
            _THESE_POSTS + f"MATCH (q:Post {{platform: p.platform, post_id: p.{prop}}}) "
            f"MERGE (p)-[:{rel}]->(q) RETURN count(*)"
            for rel, prop, _index in _POINTERS
        ),
        # posts written earlier that point at these ones
        *(
            _THESE_POSTS + f"MATCH (q:Post {{platform: p.platform, {prop}: p.post_id}}) "
            f"MERGE (q)-[:{rel}]->(p) RETURN count(*)"
            for rel, prop, _index in _POINTERS
        ),
    ),
    # (A post's author always exists when the post is written, as a stub at least, so POSTED
    # is made from the post's side only.)
    "accounts": (
        """UNWIND $rows AS row
           MATCH (a:Account {platform: row.platform, account_id: row.account_id})
           MATCH (l:Label {platform: a.platform, account_id: a.account_id})
           MERGE (l)-[:LABELS]->(a) RETURN count(*)""",
    ),
    "labels": (
        """UNWIND $rows AS row
           MATCH (l:Label {platform: row.platform, account_id: row.account_id})
           OPTIONAL MATCH (l)-[old:LABELS|SAME_PERSON]->() DELETE old
           WITH DISTINCT l
           OPTIONAL MATCH (a:Account {platform: l.platform, account_id: l.account_id})
           FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (l)-[:LABELS]->(a))
           WITH l WHERE l.person_id IS NOT NULL
           MERGE (p:Person {person_id: l.person_id})
           MERGE (l)-[:SAME_PERSON]->(p) RETURN count(*)""",
    ),
}
# Lookups the derived relationships and the version check make.
_INDEXES = (
    *(
        f"CREATE INDEX kolmap_post_{index} IF NOT EXISTS FOR (n:Post) ON (n.platform, n.{prop})"
        for _rel, prop, index in _POINTERS
    ),
    "CREATE CONSTRAINT kolmap_meta_key IF NOT EXISTS FOR (n:KolmapMeta) REQUIRE n.key IS UNIQUE",
)
_EXTRA_LABELS = ("Hashtag", "Person", "KolmapMeta")
_KOLMAP_LABELS = tuple(m.label for m in NODE_MAPS) + _EXTRA_LABELS


def _check_name(name: str) -> str:
    """Labels, types and keys are spliced into Cypher (it cannot take them as parameters):
    only identifiers from this module's maps, checked once more here."""
    if not _NAME.match(name):
        raise ValueError(f"not a Cypher identifier: {name!r}")
    return name


class Neo4jGraph:
    """A connection to one Neo4j database holding (or about to hold) a kolmap graph."""

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = 5_000,
    ) -> None:
        if not is_neo4j_uri(uri):
            raise StoreError(f"{uri}: not a Neo4j URI (neo4j://host:7687 or bolt://host:7687)")
        self.uri = uri
        self.database = database or os.environ.get("KOLMAP_NEO4J_DATABASE") or "neo4j"
        self.batch_size = batch_size
        user = user or os.environ.get("KOLMAP_NEO4J_USER") or "neo4j"
        password = password if password is not None else os.environ.get("KOLMAP_NEO4J_PASSWORD")
        if not password:
            raise StoreError(
                f"{uri}: no Neo4j password; set KOLMAP_NEO4J_PASSWORD (and KOLMAP_NEO4J_USER, "
                "KOLMAP_NEO4J_DATABASE if not neo4j)"
            )
        self.driver = neo4j.GraphDatabase.driver(
            uri, auth=(user, password), notifications_min_severity="OFF"
        )
        try:
            self.driver.verify_connectivity()
            self._run("RETURN 1")
        except BaseException as err:
            self.driver.close()
            raise self._error(err) from err

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

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One auto-commit query; its records as dicts."""
        try:
            records, _summary, _keys = self.driver.execute_query(
                query, params, database_=self.database
            )
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err
        return [r.data() for r in records]

    def _run_batched(self, query: str, **params: Any) -> int:
        """A ``CALL {...} IN TRANSACTIONS`` query: it commits its own batches, so it runs in
        an implicit (auto-commit) transaction; returns its first value."""
        try:
            with self.driver.session(database=self.database) as session:
                record = session.run(query, params).single()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
            raise self._error(err) from err
        return int(record[0]) if record is not None and record[0] is not None else 0

    def _write(self, query: str, rows: list[dict[str, Any]]) -> int:
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

    # -- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Uniqueness constraints (with their indexes) for every node key; idempotent."""
        for m in NODE_MAPS:
            props = ", ".join(f"n.{_check_name(k)}" for k in m.key)
            name = f"kolmap_{m.label.lower()}_key"
            self._run(
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{_check_name(m.label)}) REQUIRE ({props}) IS UNIQUE"
            )
        self._run(
            "CREATE CONSTRAINT kolmap_hashtag_key IF NOT EXISTS "
            "FOR (n:Hashtag) REQUIRE n.tag IS UNIQUE"
        )
        self._run(
            "CREATE CONSTRAINT kolmap_person_key IF NOT EXISTS "
            "FOR (n:Person) REQUIRE n.person_id IS UNIQUE"
        )
        for statement in _INDEXES:
            self._run(statement)

    def has_gds(self) -> bool:
        """Whether the Graph Data Science plugin answers on this server."""
        try:
            self._run("RETURN gds.version() AS version")
        except StoreError:
            return False
        return True

    # -- contents -------------------------------------------------------------------------
    def count(self) -> dict[str, int]:
        """Nodes per kolmap label and relationships per kolmap type."""
        counts = {}
        for label in _KOLMAP_LABELS:
            rows = self._run(f"MATCH (n:{_check_name(label)}) RETURN count(n) AS n")
            counts[label] = int(rows[0]["n"])
        for m in REL_MAPS:
            rows = self._run(f"MATCH ()-[r:{_check_name(m.type)}]->() RETURN count(r) AS n")
            counts[m.type] = int(rows[0]["n"])
        return counts

    def is_empty(self) -> bool:
        """No kolmap data here (the version stamp alone does not count)."""
        counts = self.count()
        counts.pop("KolmapMeta", None)
        return not any(counts.values())

    def clear(self) -> int:
        """Delete every kolmap node (and its relationships), in batches; nodes deleted."""
        labels = " OR ".join(f"n:{_check_name(label)}" for label in _KOLMAP_LABELS)
        return self._run_batched(
            f"MATCH (n) WHERE {labels} CALL (n) {{ DETACH DELETE n }} "
            "IN TRANSACTIONS OF 10000 ROWS RETURN count(*) AS n"
        )

    def write_nodes(self, m: NodeMap, rows: Iterable[Mapping[str, Any]]) -> int:
        """MERGE ``rows`` as ``m.label`` nodes; a node's properties become the row's values
        (null values are simply absent). Returns the rows written."""
        query = f"UNWIND $rows AS row MERGE {_node('n', m)} SET n = row RETURN count(*)"
        return sum(self._write(query, batch) for batch in self._batches(rows))

    def write_relationships(self, m: RelMap, rows: Iterable[Mapping[str, Any]]) -> int:
        """MERGE ``rows`` as ``m.type`` relationships between their end nodes; returns how
        many were written (a row whose start or end node is missing is not)."""
        start, rel, end = _rel_pattern(m)
        end_clause = "MERGE" if m.make_end else "MATCH"
        ends = set(m.start[1].values()) | set(m.end[1].values())
        query = (
            f"UNWIND $rows AS row MATCH {start} {end_clause} {end} "
            f"MERGE (s)-{rel}->(e) SET r = row.props RETURN count(*)"
        )
        batches = self._batches(
            {**{c: row[c] for c in ends | set(m.key)}, "props": _without(row, ends)} for row in rows
        )
        return sum(self._write(query, batch) for batch in batches)

    def write_derived(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """The browsing relationships (POSTED, REPLIES_TO, REPOSTS, QUOTES, LABELS,
        SAME_PERSON) of the ``table`` rows just written, from their node properties."""
        queries = _DERIVED.get(table, ())
        for batch in self._batches(rows):
            for query in queries:
                self._write(query, batch)

    def delete_nodes(self, m: NodeMap, keys: Iterable[Mapping[str, Any]]) -> int:
        """Delete the ``m.label`` nodes with these keys, and their relationships."""
        query = f"UNWIND $rows AS row MATCH {_node('n', m)} DETACH DELETE n RETURN count(*)"
        return sum(self._write(query, batch) for batch in self._batches(keys))

    def delete_relationships(self, m: RelMap, keys: Iterable[Mapping[str, Any]]) -> int:
        """Delete the ``m.type`` relationships with these end keys (and ``m.key``)."""
        start, rel, end = _rel_pattern(m)
        query = f"UNWIND $rows AS row MATCH {start}-{rel}->{end} DELETE r RETURN count(*)"
        return sum(self._write(query, batch) for batch in self._batches(keys))

    def remove_orphans(self) -> None:
        """Hashtags no post uses and persons no label names any more."""
        self._run_batched(
            "MATCH (n) WHERE (n:Hashtag OR n:Person) AND NOT (n)--() "
            "CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS RETURN count(*)"
        )

    # -- the version stamp that keeps local copies honest ---------------------------------
    def version(self) -> str | None:
        """The graph's version stamp (changed by every write through kolmap), or None."""
        rows = self._run("MATCH (m:KolmapMeta {key: 'graph'}) RETURN m.version AS version")
        return str(rows[0]["version"]) if rows and rows[0]["version"] is not None else None

    def claim_age(self) -> float | None:
        """Seconds since the current version was claimed or last renewed (None if never)."""
        rows = self._run(
            "MATCH (m:KolmapMeta {key: 'graph'}) WHERE m.claimed_at IS NOT NULL "
            "RETURN duration.inSeconds(m.claimed_at, datetime()).seconds AS age"
        )
        return float(rows[0]["age"]) if rows else None

    def renew(self, version: str) -> None:
        """Tell other writers that the writer holding ``version`` is still at work."""
        self._run(
            "MATCH (m:KolmapMeta {key: 'graph'}) WHERE m.version = $version "
            "SET m.claimed_at = datetime()",
            version=version,
        )

    def claim(self, expected: str | None, new: str) -> bool:
        """Set the version to ``new`` if it is still ``expected`` (one transaction): a
        writer's claim, so two writers cannot both build on the same version."""

        def work(tx: neo4j.ManagedTransaction) -> bool:
            record = tx.run(
                "MERGE (m:KolmapMeta {key: 'graph'}) "
                "WITH m, coalesce(m.version, '') AS found "
                "SET m.version = CASE WHEN found = $expected THEN $new ELSE found END, "
                "m.claimed_at = CASE WHEN found = $expected THEN datetime() "
                "ELSE m.claimed_at END "
                "RETURN found = $expected AS ok",
                expected=expected or "",
                new=new,
            ).single()
            return bool(record and record["ok"])

        return self._execute_write(work)

    def read_nodes(self, m: NodeMap) -> Iterator[dict[str, Any]]:
        """Every ``m.label`` node's properties, in key order."""
        order = ", ".join(f"n.{_check_name(k)}" for k in m.key)
        query = f"MATCH (n:{_check_name(m.label)}) RETURN properties(n) AS row ORDER BY {order}"
        for record in self._run(query):
            yield _native(record["row"])

    def read_relationships(self, m: RelMap) -> Iterator[dict[str, Any]]:
        """Every ``m.type`` relationship as a row of its table: end-node keys mapped back to
        their columns, plus the relationship's properties."""
        start_label, start_cols = m.start
        end_label, end_cols = m.end
        returns = [f"s.{_check_name(p)} AS {_check_name(c)}" for p, c in start_cols.items()]
        returns += [
            f"e.{_check_name(p)} AS {_check_name(c)}"
            for p, c in end_cols.items()
            if c not in start_cols.values()
        ]
        query = (
            f"MATCH (s:{_check_name(start_label)})-[r:{_check_name(m.type)}]->"
            f"(e:{_check_name(end_label)}) RETURN {', '.join(returns)}, properties(r) AS props"
        )
        for record in self._run(query):
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
            self._write(query, batch)
            for batch in self._batches(
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

    def gds_scores(
        self, area: str, endorsements: Sequence[Mapping[str, Any]], *, damping: float, seed: int
    ) -> dict[tuple[str, str], tuple[float, int, int]]:
        """PageRank, Leiden community and degree of the accounts of one area, computed by the
        Graph Data Science plugin on the area's endorsement graph.

        ``endorsements`` (``platform, src, dst, weight``, one per account pair) replace the
        area's ``ENDORSES`` relationships; GDS projects them (directed for PageRank and for
        degree, counted as distinct endorsers; undirected for Leiden), streams the results
        and drops its in-memory graphs. PageRank is scaled to sum to 1, as kolmap's does.
        """
        self._run_batched(
            "MATCH ()-[r:ENDORSES {area: $area}]->() CALL (r) { DELETE r } "
            "IN TRANSACTIONS OF 10000 ROWS RETURN count(*)",
            area=area,
        )
        if not endorsements:
            return {}  # GDS projects nothing from no relationships
        query = (
            "UNWIND $rows AS row "
            "MATCH (s:Account {platform: row.platform, account_id: row.src}) "
            "MATCH (t:Account {platform: row.platform, account_id: row.dst}) "
            "MERGE (s)-[r:ENDORSES {area: row.area}]->(t) SET r.weight = row.weight "
            "RETURN count(*)"
        )
        rows = ({**e, "area": area} for e in endorsements)
        for batch in self._batches(rows):
            self._write(query, batch)
        directed, undirected = f"kolmap-{area}-directed", f"kolmap-{area}-undirected"
        project = (
            "MATCH (s:Account)-[r:ENDORSES {area: $area}]->(t:Account) "
            "WITH gds.graph.project($name, s, t, {relationshipProperties: r {.weight}}, "
            "$config) AS g RETURN g.nodeCount AS nodes"
        )
        # Each algorithm: its streaming call (yielding nodeId and `value`), the graph it runs
        # on, and which slot of (pagerank, community, degree) it fills.
        algorithms = (
            (
                "gds.pageRank.stream($name, {relationshipWeightProperty: 'weight', "
                "dampingFactor: $damping}) YIELD nodeId, score AS value",
                directed,
                0,
            ),
            (
                "gds.leiden.stream($name, {relationshipWeightProperty: 'weight', "
                "randomSeed: $seed, concurrency: 1}) YIELD nodeId, communityId AS value",
                undirected,
                1,
            ),
            (
                "gds.degree.stream($name, {orientation: 'REVERSE'}) YIELD nodeId, score AS value",
                directed,
                2,
            ),
        )
        results: dict[tuple[str, str], list[Any]] = {}
        for name in (directed, undirected):
            self._run("CALL gds.graph.drop($name, false) YIELD graphName", name=name)
        try:
            self._run(project, area=area, name=directed, config={})
            self._run(
                project, area=area, name=undirected, config={"undirectedRelationshipTypes": ["*"]}
            )
            for call, name, slot in algorithms:
                for row in self._run(
                    f"CALL {call} WITH gds.util.asNode(nodeId) AS node, value "
                    "RETURN node.platform AS platform, node.account_id AS account_id, value",
                    name=name,
                    damping=damping,
                    seed=seed,
                ):
                    found = results.setdefault((row["platform"], row["account_id"]), [0.0, -1, 0])
                    found[slot] = row["value"]
        finally:
            for name in (directed, undirected):
                self._run("CALL gds.graph.drop($name, false) YIELD graphName", name=name)
        total = sum(v[0] for v in results.values()) or 1.0
        return {k: (float(v[0]) / total, int(v[1]), int(v[2])) for k, v in results.items()}

    def _batches(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_clean(row))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def _row_map(properties: Mapping[str, str]) -> str:
    """A Cypher map of properties from ``row`` columns: ``{platform: row.platform, …}``."""
    pairs = ", ".join(f"{_check_name(p)}: row.{_check_name(c)}" for p, c in properties.items())
    return "{" + pairs + "}"


def _node(var: str, m: NodeMap) -> str:
    """``(n:Label {key: row.key, …})``: the node of ``m`` a row names."""
    return f"({var}:{_check_name(m.label)} {_row_map({k: k for k in m.key})})"


def _rel_pattern(m: RelMap) -> tuple[str, str, str]:
    """The start node ``(s …)``, relationship ``[r …]`` and end node ``(e …)`` a row of
    ``m.table`` names."""
    (start_label, start_cols), (end_label, end_cols) = m.start, m.end
    key = f" {_row_map({k: k for k in m.key})}" if m.key else ""
    return (
        f"(s:{_check_name(start_label)} {_row_map(start_cols)})",
        f"[r:{_check_name(m.type)}{key}]",
        f"(e:{_check_name(end_label)} {_row_map(end_cols)})",
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


def _native(row: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j temporal values as Python datetimes (UTC kept)."""
    out = {}
    for key, value in row.items():
        if isinstance(value, neo4j.time.DateTime):
            out[key] = value.to_native()
        else:
            out[key] = value
    return out
