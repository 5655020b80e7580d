"""The Neo4j store: a team's graph in Neo4j, mirrored in a local DuckDB copy.

Neo4j holds the graph (the record every user shares). Each user's kolmap keeps a local DuckDB
copy of it as its compute engine, so the ingest merge, the projections and the scores are
the very code the embedded store runs: same inputs, same rankings, whichever store. Hence
the name: :class:`Neo4jMirror` is a DuckDB store mirrored to Neo4j, and says so.

- Reading: the copy is checked against the graph's version stamp (one small query); when
  another user has written since, the copy is rebuilt from Neo4j, at the first read that
  needs it. Ranking needs only a scope's projection: when the copy is not current, a
  projection another user computed from the same version is read from the graph instead
  (:mod:`kolmap.graph.neo4j.shared`), and one computed here is kept there for the others.
- Writing (ingest, erase, suppress, the export log): the writer claims the version (so two
  writers cannot build on the same one), runs the operation on the copy, then sends Neo4j
  only what changed: deleted elements, then new or changed nodes and relationships, in
  batches of ``UNWIND ... MERGE`` in managed transactions (see
  :mod:`kolmap.graph.neo4j.driver`). If that is interrupted, Neo4j holds whole batches and a
  version no copy matches: the next command rebuilds its copy from Neo4j, and re-running the
  ingest sends what is missing, ending at the same graph as one clean run.

The copy lives in the ``neo4j.cache_dir`` setting's folder (default ``~/.cache/kolmap/neo4j``),
one DuckDB file per server and database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kolmap.errors import StoreError, StoreVersionError
from kolmap.graph.duckdb import DuckDBStore, remove_database_files
from kolmap.graph.duckdb.replica import DuckDBReplica
from kolmap.graph.duckdb.stage import Stage
from kolmap.graph.keys import load_key
from kolmap.graph.location import StoreLocation
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.gds import GdsEngine, server_engine
from kolmap.graph.neo4j.lease import Lease, holder, holder_is_gone
from kolmap.graph.neo4j.maps import DERIVED, NODE_MAPS, REL_MAPS, rel_key
from kolmap.graph.neo4j.scoped import remote_coi, scoped_projection
from kolmap.graph.neo4j.shared import (
    drop_other_versions,
    is_kept,
    read_frames,
    shared_key,
    write_frames,
)
from kolmap.graph.neo4j.transfer import from_neo4j
from kolmap.graph.store import Derive, Projection, RunInfo, Scope, ShortlistEdit
from kolmap.model import AccountKey
from kolmap.settings import Settings

__all__ = ["GraphBusyError", "Neo4jMirror"]

_VERSION_KEY = "neo4j_version"


class GraphBusyError(StoreError):
    """Another writer is sending a run to Neo4j, and this copy has no complete version."""


class _Heartbeat:
    """Renews a writer's claim every ``every`` seconds from a background thread, so that a
    long batch never looks like a crash, and a crash is seen after the (short) lease."""

    def __init__(self, lease: Lease, claim: str, every: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(lease, claim, every), name="kolmap-lease", daemon=True
        )
        self._thread.start()

    def _run(self, lease: Lease, claim: str, every: float) -> None:
        while not self._stop.wait(every):
            try:
                lease.renew(claim)
            except Exception:  # a lost connection: the writer's own calls will report it
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


class Neo4jMirror:
    """A :class:`~kolmap.graph.store.GraphStore` on a Neo4j database (see module doc).

    ``graph`` is the Neo4j database itself (to publish scores into it); ``cache`` the local
    DuckDB copy every read and write runs on.
    """

    def __init__(
        self,
        graph: Neo4jGraph,
        *,
        memory_limit: str = "",
        cache_dir: str | os.PathLike[str] | None = None,
        write_lease: float = 120.0,
        heartbeat: float = 10.0,
        key: bytes | None = None,
        server_algorithms: bool = True,
    ) -> None:
        self.location = graph.uri
        self._server_algorithms = server_algorithms
        self._engine: tuple[GdsEngine | None, str] | None = None
        self.write_lease = write_lease
        self.heartbeat = heartbeat
        self.graph = graph
        self.lease = Lease(graph)
        uri = graph.uri
        try:
            self.graph.ensure_schema()
            folder = Path(cache_dir or Path.home() / ".cache" / "kolmap" / "neo4j")
            folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(f"{uri}|{self.graph.database}".encode()).hexdigest()[:16]
            self._cache_path = folder / f"{digest}.duckdb"
            self._memory_limit = memory_limit
            # The graph's key (graph/keys.py), not one beside this machine's copy: every
            # user of the graph must hash suppressions alike.
            self._key = key if key is not None else load_key(StoreLocation(uri))
            self.cache = self._open_cache()
            # The copy is brought up to date by the first read that needs it (see _sync).
        except BaseException:
            self.graph.close()
            raise

    @classmethod
    def open(cls, location: StoreLocation, settings: Settings) -> Neo4jMirror:
        """Connect to the Neo4j store at ``location`` with the ``[neo4j]`` and ``[store]``
        settings (the password from ``KOLMAP_NEO4J_PASSWORD``)."""
        graph = Neo4jGraph.from_uri(
            location.text, user=settings.neo4j.user, database=settings.neo4j.database
        )
        return cls(
            graph,
            memory_limit=settings.store.memory_limit,
            cache_dir=settings.neo4j.cache_dir or None,
            key=load_key(location, settings.privacy),
            server_algorithms=settings.neo4j.server_algorithms,
        )

    # -- the local copy -------------------------------------------------------------------
    _claim = ""

    def _sync(self, *, writing: bool = False) -> None:
        """Make the copy match Neo4j's current version, rebuilding it if needed.

        While another writer is at work (or crashed mid-send), Neo4j holds a half-applied
        run: a reader keeps its copy of the last complete version, or, with none, is told
        to wait; only a writer (``writing``), who will complete the run, reads it."""
        version = self.lease.version()
        mine = self._copy.meta_value(_VERSION_KEY)
        if version is not None and version == mine:
            return
        if not writing and version is not None and version.startswith("writing-"):
            if mine is not None and not mine.startswith("writing-"):
                return  # the last complete version, until the writer is done
            raise GraphBusyError(
                f"{self.location}: another kolmap is writing to this graph and its data is "
                "incomplete until it finishes; run this again in a moment (if that writer "
                "crashed, the next ingest completes its run)"
            )
        self._discard_cache()
        from_neo4j(self.graph, self.cache.replica)
        if version is None:
            version = _token("v")
            if not self.lease.claim(None, version):
                return self._sync()  # another writer stamped it first: start again
        self._copy.set_meta_value(_VERSION_KEY, version)
        return None

    def reload(self) -> None:
        """Drop the local copy and read it again from Neo4j (for a copy you distrust)."""
        self._discard_cache()
        self._sync()

    def _discard_cache(self) -> None:
        self.cache.close()
        remove_database_files(self._cache_path)
        self.cache = self._open_cache()

    def _open_cache(self) -> DuckDBStore:
        """This machine's copy; one written by a kolmap of another schema version is only a
        cache: it is dropped, and rebuilt from Neo4j by the next sync."""
        try:
            return DuckDBStore(self._cache_path, memory_limit=self._memory_limit, key=self._key)
        except StoreVersionError:
            remove_database_files(self._cache_path)
            return DuckDBStore(self._cache_path, memory_limit=self._memory_limit, key=self._key)

    @contextmanager
    def _writing(self) -> Iterator[DuckDBStore]:
        """Run a write on the copy, then send Neo4j what changed (see module doc)."""
        self._sync(writing=True)
        expected = self._copy.meta_value(_VERSION_KEY)
        if expected is not None and expected.startswith("writing-"):
            age = self.lease.claim_age()
            crashed_here = holder_is_gone(self.lease.claimed_by())
            if age is not None and age < self.write_lease and not crashed_here:
                raise StoreError(
                    f"{self.location}: another kolmap is writing to this graph (its last "
                    f"sign of life {age:.0f} s ago); run this again when it has finished. "
                    f"A writer that crashed is taken over {self.write_lease:.0f} s after "
                    "its last sign of life, or at once by its own user on its machine."
                )
        claim = _token("writing")
        if not self.lease.claim(expected, claim, holder()):
            raise StoreError(
                f"{self.location}: the graph changed while this command started (another "
                "kolmap is writing); run it again"
            )
        self._claim = claim
        self._copy.snapshot()
        beating = _Heartbeat(self.lease, claim, self.heartbeat)
        try:
            try:
                yield self.cache
            except BaseException:
                self._copy.drop_snapshot()
                self.lease.claim(claim, expected or "")  # Neo4j was not touched
                raise
            try:
                # Completing a crashed run (the copy holds its half-sent version): redo
                # every browsing relationship, not only those of the rows changed now.
                self._push(rederive=expected is not None and expected.startswith("writing-"))
            except BaseException:
                self._discard_cache()  # Neo4j may hold part of it; rebuild from there next
                raise
        finally:
            beating.stop()
        finished = _token("v")
        self.lease.claim(claim, finished)
        self._copy.set_meta_value(_VERSION_KEY, finished)
        # Results kept for other users hold the data of their version (an erased account
        # too): only the new version's may stay.
        drop_other_versions(self.graph, finished)

    @property
    def _copy(self) -> DuckDBReplica:
        return self.cache.replica

    def _push(self, *, rederive: bool = False) -> None:
        """Send Neo4j what changed since the snapshot. The browsing relationships come last,
        for the rows written now; with ``rederive``, for every row: a run that crashed left
        rows in Neo4j (unchanged for this run) whose relationships were never made."""
        cache, graph = self._copy, self.graph
        first_load = not rederive and not graph.holds_posts()
        for rel in REL_MAPS:
            _upserts, removed = cache.changes(rel.table, rel_key(rel))
            graph.delete_relationships(rel, removed)
        for node in NODE_MAPS:
            _upserts, removed = cache.changes(node.table, node.key)
            graph.delete_nodes(node, removed)
        for node in NODE_MAPS:
            self.lease.renew(self._claim)
            upserts, _removed = cache.changes(node.table, node.key)
            graph.write_nodes(node, upserts)
        for rel in REL_MAPS:
            self.lease.renew(self._claim)
            upserts, _removed = cache.changes(rel.table, rel_key(rel))
            rows = list(upserts)
            done = graph.write_relationships(rel, rows)
            if done != len(rows):
                raise StoreError(
                    f"{self.location}: {len(rows) - done} {rel.table} rows found no end node "
                    "in Neo4j"
                )
        for table in DERIVED:
            key = next(m.key for m in NODE_MAPS if m.table == table)
            upserts, _removed = cache.changes(table, key)
            graph.write_derived(
                table, cache.table_rows(table) if rederive else upserts, first_load=first_load
            )
        graph.remove_orphans()
        cache.drop_snapshot()

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def ingest(
        self, run: RunInfo, derive: Derive | None = None, memory_limit: str = ""
    ) -> Iterator[Stage]:
        """Ingest into the copy (same merge and derivation as the embedded store), then
        update Neo4j."""
        with self._writing() as cache, cache.ingest(run, derive, memory_limit) as writer:
            yield writer

    def erase(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        with self._writing() as cache:
            return cache.erase(keys)

    def suppress(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        with self._writing() as cache:
            return cache.suppress(keys)

    def record_export(self, entry: Mapping[str, Any]) -> None:
        with self._writing() as cache:
            cache.record_export(entry)

    def top_hashtags_by_group(
        self, scope: Scope | None, groups: pd.DataFrame, *, limit: int = 8
    ) -> pd.DataFrame:
        self._sync()
        return self.cache.top_hashtags_by_group(scope, groups, limit=limit)

    def edit_shortlist(self, edit: ShortlistEdit) -> dict[str, int]:
        with self._writing() as cache:
            return cache.edit_shortlist(edit)

    def shortlists(self) -> pd.DataFrame:
        self._sync()
        return self.cache.shortlists()

    def shortlist(self, name: str) -> pd.DataFrame:
        self._sync()
        return self.cache.shortlist(name)

    def shortlist_events(self, name: str) -> pd.DataFrame:
        self._sync()
        return self.cache.shortlist_events(name)

    def save_view(
        self, name: str, page: str, params: Mapping[str, str | list[str]], owner: str
    ) -> None:
        with self._writing() as cache:
            cache.save_view(name, page, params, owner)

    def saved_views(self) -> pd.DataFrame:
        self._sync()
        return self.cache.saved_views()

    def delete_view(self, name: str) -> bool:
        with self._writing() as cache:
            return cache.delete_view(name)

    # -- reading --------------------------------------------------------------------------
    def _current(self) -> str | None:
        """The graph's version when it is complete and this copy is not at it (then results
        kept in the graph for that version are worth reading); else None."""
        version = self.lease.version()
        if version is None or version.startswith("writing-"):
            return None
        return None if self._copy.meta_value(_VERSION_KEY) == version else version

    def _shared(
        self,
        what: str,
        scope: Scope | None,
        compute: Callable[[], dict[str, pd.DataFrame]],
        remote: Callable[[], dict[str, pd.DataFrame]] | None = None,
    ) -> dict[str, pd.DataFrame]:
        """``compute()`` on the copy, or its result read from the graph when another user
        kept it for the graph's version and this copy would have to be rebuilt first, or
        else ``remote()`` (the result from the rows the graph holds for it) when it can; a
        result computed here is kept there for the others (see module doc)."""
        fields = dataclasses.asdict(scope) if scope is not None else None
        behind = self._current()
        if behind is not None:
            key = shared_key(behind, what, fields)
            found = read_frames(self.graph, key)
            if found is not None:
                return found
            if remote is not None:
                frames = remote()
                if self.lease.version() == behind:  # no writer changed the graph meanwhile
                    self._keep(key, behind, frames)
                    return frames
        self._sync()
        frames = compute()
        version = self._copy.meta_value(_VERSION_KEY)
        if version is not None and not version.startswith("writing-"):
            self._keep(shared_key(version, what, fields), version, frames)
        return frames

    def _keep(self, key: str, version: str, frames: dict[str, pd.DataFrame]) -> None:
        """Keep ``frames`` in the graph under ``key`` for the other users of ``version``."""
        if not is_kept(self.graph, key):
            with contextlib.suppress(StoreError):  # another user kept it first
                write_frames(self.graph, key, version, frames)

    def projection(self, scope: Scope) -> Projection:
        """The scope's projection (see :meth:`_shared`): a second user's first ranking reads
        it from the graph instead of copying the whole graph: as another user kept it, or,
        for an area or hashtags nobody ranked at this version, from the rows the graph holds
        for that scope (:mod:`.scoped`)."""

        def compute() -> dict[str, pd.DataFrame]:
            found = self.cache.projection(scope)
            return {"nodes": found.nodes, "edges": found.edges}

        def remote() -> dict[str, pd.DataFrame]:
            found = scoped_projection(self.graph, scope)
            return {"nodes": found.nodes, "edges": found.edges}

        topical = scope.is_topical
        frames = self._shared("projection", scope, compute, remote if topical else None)
        return Projection(scope, frames["nodes"], frames["edges"])

    def engine(self) -> tuple[GdsEngine | None, str]:
        """GDS on the server, when it has the plugin, runs the rankings' PageRanks and
        Leiden (asked once per connection); else None and why (:func:`.gds.server_engine`)."""
        if self._engine is None:
            self._engine = server_engine(self.graph, self._server_algorithms)
        return self._engine

    def posts(
        self,
        scope: Scope | None = None,
        *,
        authors: Sequence[AccountKey] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        self._sync()
        return self.cache.posts(scope, authors=authors, limit=limit)

    def top_hashtags(self, scope: Scope | None = None, *, limit: int = 50) -> pd.DataFrame:
        self._sync()
        return self.cache.top_hashtags(scope, limit=limit)

    def accounts(
        self,
        keys: Sequence[AccountKey] | None = None,
        *,
        search: str | None = None,
        person_id: str | None = None,
        handles: Sequence[tuple[str, str]] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        self._sync()
        return self.cache.accounts(
            keys, search=search, person_id=person_id, handles=handles, limit=limit
        )

    def areas(self) -> dict[str, str]:
        self._sync()
        return self.cache.areas()

    def version(self) -> str:
        """The Neo4j graph's version stamp (every write through kolmap changes it)."""
        return f"{self.location}|{self.lease.version()}"

    @property
    def replica(self) -> DuckDBReplica:
        """The rows of the graph (from the local copy, brought up to date first)."""
        self._sync()
        return self.cache.replica

    def account_areas(self, min_posts: int = 2) -> pd.DataFrame:
        self._sync()
        return self.cache.account_areas(min_posts)

    def export_log(self) -> pd.DataFrame:
        self._sync()
        return self.cache.export_log()

    def stats(self) -> dict[str, Any]:
        """The copy's counts (it holds the graph's current version), located at the graph:
        ``location`` is the URI and database, ``local_copy`` the copy's file."""
        self._sync()
        found = self.cache.stats()
        return {
            **found,
            "location": f"{self.location} (database {self.graph.database})",
            "local_copy": found["location"],
        }

    def subject(self, key: AccountKey) -> dict[str, pd.DataFrame]:
        self._sync()
        return self.cache.subject(key)

    def suppressed_names(self, names: Sequence[str]) -> set[str]:
        self._sync()
        return self.cache.suppressed_names(names)

    def subject_hashes(self, keys: Sequence[AccountKey]) -> list[str]:
        self._sync()
        return self.cache.subject_hashes(keys)

    def record_audit(self, action: str, facts: Mapping[str, Any]) -> None:
        with self._writing() as cache:
            cache.record_audit(action, facts)

    def posts_naming(self, terms: Sequence[str]) -> pd.DataFrame:
        self._sync()
        return self.cache.posts_naming(terms)

    def reposts_of(self, platform: str, post_ids: Sequence[str]) -> pd.DataFrame:
        self._sync()
        return self.cache.reposts_of(platform, post_ids)

    def add_pv_items(self, table: pd.DataFrame) -> int:
        with self._writing() as cache:
            return cache.add_pv_items(table)

    def pv_items(self, status: str | None = None) -> pd.DataFrame:
        self._sync()
        return self.cache.pv_items(status)

    def review_pv_item(self, item_id: str, status: str, by: str, note: str = "") -> bool:
        with self._writing() as cache:
            return cache.review_pv_item(item_id, status, by, note)

    def add_payments(self, records: Sequence[dict[str, Any]], source_file: str) -> dict[str, int]:
        with self._writing() as cache:
            return cache.add_payments(records, source_file)

    def link_registry(self, links: Sequence[tuple[str, str, str, str]]) -> int:
        with self._writing() as cache:
            return cache.link_registry(links)

    def coi(self) -> pd.DataFrame:
        """Declared payments per account (read with rankings, so kept like projections)."""
        return self._shared(
            "coi",
            None,
            lambda: {"coi": self.cache.coi()},
            lambda: {"coi": remote_coi(self.graph)},
        )["coi"]

    def add_science(
        self, records: Mapping[str, Sequence[Mapping[str, Any]]], source_file: str
    ) -> dict[str, int]:
        with self._writing() as cache:
            return cache.add_science(records, source_file)

    def science_tables(self) -> dict[str, pd.DataFrame]:
        self._sync()
        return self.cache.science_tables()

    def decide_persons(
        self,
        pairs: Sequence[tuple[str, str]],
        decision: str,
        *,
        note: str = "",
        source: str = "review",
    ) -> int:
        with self._writing() as cache:
            return cache.decide_persons(pairs, decision, note=note, source=source)

    def app_users(self) -> pd.DataFrame:
        self._sync()
        return self.cache.app_users()

    def set_app_user(self, name: str, role: str, salt: str, password_hash: str) -> None:
        with self._writing() as cache:
            cache.set_app_user(name, role, salt, password_hash)

    def remove_app_user(self, name: str) -> bool:
        with self._writing() as cache:
            return cache.remove_app_user(name)

    def purge_posts(self, before: datetime) -> dict[str, int]:
        with self._writing() as cache:
            return cache.purge_posts(before)

    def compact(self) -> dict[str, int]:
        """Rewrite this machine's copy (see :meth:`DuckDBStore.compact`) and force a Neo4j
        checkpoint, so that the deleted nodes leave the transaction logs kolmap can reach
        (their retention window is the server's ``db.tx_log.rotation.retention_policy``;
        docs/compliance.md)."""
        self._sync()
        counts = self.cache.compact()
        try:
            self.graph.run("CALL db.checkpoint()")
            counts["neo4j_checkpoints"] = 1
        except StoreError as err:
            if "ProcedureNotFound" not in str(err):
                raise
            # Community edition has no db.checkpoint: the server checkpoints on its own
            # (db.checkpoint.interval.time, 15 minutes by default); docs/compliance.md.
            counts["neo4j_checkpoints"] = 0
        return counts

    def exports_holding(self, keys: Sequence[AccountKey]) -> pd.DataFrame:
        self._sync()
        return self.cache.exports_holding(keys)

    def audit_log(self, action: str | None = None) -> pd.DataFrame:
        self._sync()
        return self.cache.audit_log(action)

    def runs(self) -> pd.DataFrame:
        self._sync()
        return self.cache.runs()

    def fingerprint(self, *, provenance: bool = True) -> str:
        self._sync()
        return self.cache.fingerprint(provenance=provenance)

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A read query on the local copy (DuckDB SQL; values only as parameters; for tests
        and power users, not part of :class:`~kolmap.graph.store.GraphStore`)."""
        self._sync()
        return self.cache.sql(query, params)

    def close(self) -> None:
        self.cache.close()
        self.graph.close()

    def __enter__(self) -> Neo4jMirror:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _token(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"
