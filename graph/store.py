"""The narrow store interface every backend implements, and the plain types it speaks.

A store does five things: write batches of records idempotently inside an ingest run, read a
filtered projection of the graph for scoring, read account attributes, erase accounts, and
report statistics. Nothing above the store knows which backend it talks to; algorithms live
in ``kolmap.scoring``, never here.

>>> scope = Scope(area="oncology", platforms=("x",))
>>> scope.describe()
'area=oncology platforms=x'
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from kolmap.model import (
    ACCOUNT_COLUMNS,
    EDGE_COLUMNS,
    FOLLOW_COLUMNS,
    LABEL_COLUMNS,
    POST_COLUMNS,
    AccountKey,
)

__all__ = [
    "DEFAULT_STORE",
    "RECORD_FIELDS",
    "TEXT_ROLE_FIELDS",
    "Derivation",
    "Derive",
    "GraphStore",
    "IngestWriter",
    "Projection",
    "RunInfo",
    "Scope",
    "is_neo4j_uri",
    "open_store",
    "resolve_store_location",
    "stamped_id",
]

DEFAULT_STORE = "kolmap.duckdb"

# Fields of each record kind a writer accepts (ingest fills them; unknown keys are an error):
# the canonical columns, what ingest derives from them, and provenance. ``reference`` marks a
# record known only from another row (the original inside a retweet, a reply's target): it
# fills gaps but never overrides what the post's or account's own row says.
_PROVENANCE = ("source_file", "source_line")
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (
        *ACCOUNT_COLUMNS,
        "bio_areas",
        "reference",
        *_PROVENANCE,
    ),
    "follows": (*FOLLOW_COLUMNS, *_PROVENANCE),
    "posts": (*POST_COLUMNS, "mentions", "hashtags", "areas", "reference", *_PROVENANCE),
    "labels": (*LABEL_COLUMNS, *_PROVENANCE),
    "edges": (*EDGE_COLUMNS, *_PROVENANCE),
}


@dataclass(frozen=True)
class RunInfo:
    """Who and what an ingest run is, for provenance."""

    run_id: str
    started_at: datetime
    inputs: Sequence[str]
    kolmap_version: str
    areas: Mapping[str, str] = field(default_factory=dict)  # taxonomy area id -> name


def stamped_id(at: datetime) -> str:
    """The id of an ingest run or an export: its UTC second, then six random hex digits, so
    ids sort by time and two made in the same second still differ.

    >>> stamped_id(datetime(2026, 3, 1, 9, 30, tzinfo=UTC))[:17]
    '20260301T093000Z-'
    """
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class Scope:
    """Which part of the graph to project: an area, platforms, a time window, hashtags.

    Without ``area`` and ``hashtags`` the whole graph is in scope. With them, a post is in
    scope when it, or the post it replies to, reposts or quotes, is tagged with the area or
    carries one of the hashtags; follows count between accounts in scope.
    """

    area: str | None = None
    platforms: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    hashtags: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.area:
            parts.append(f"area={self.area}")
        if self.platforms:
            parts.append("platforms=" + ",".join(self.platforms))
        if self.since:
            parts.append(f"since={self.since.isoformat()}")
        if self.until:
            parts.append(f"until={self.until.isoformat()}")
        if self.hashtags:
            parts.append("hashtags=" + ",".join("#" + h for h in self.hashtags))
        return " ".join(parts) or "all data"

    @property
    def is_topical(self) -> bool:
        return bool(self.area or self.hashtags)


@dataclass
class Projection:
    """The part of the graph in a scope, as plain tables.

    ``nodes``: one row per account in scope, with columns ``platform, account_id, handle,
    display_name, role, specialty, person_id, followers, verified, is_stub, lang, location,
    has_bio, posts_total,
    posts_in_scope, bio_in_area, likes, reposts, replies`` (engagement received on in-scope
    original posts). ``edges``: ``src, dst`` (row positions in ``nodes``), ``kind`` (an
    :class:`~kolmap.model.Interaction` value), ``count``, ``first_at``, ``last_at``.
    """

    scope: Scope
    nodes: pd.DataFrame
    edges: pd.DataFrame


class IngestWriter(Protocol):
    """Receives batches during one ingest run; the store commits them together at the end."""

    def add(
        self,
        kind: str,
        records: Sequence[Mapping[str, Any]],
        seq: Sequence[int] | None = None,
    ) -> None:
        """Stage a batch of records of ``kind`` (a key of :data:`RECORD_FIELDS`); ``seq``
        gives their positions when a reader stages rows out of order (later wins)."""
        ...

    def reserve(self, count: int) -> int:
        """Set aside ``count`` staging positions for :meth:`add`'s ``seq``; the first one."""
        ...

    def add_table(self, kind: str, table: Any) -> None:
        """Stage an Arrow table of ``kind`` records with a ``seq`` column (see ``reserve``)."""
        ...

    def discard(self, kind: str, first: int, count: int) -> None:
        """Drop staged ``kind`` rows at positions ``first`` to ``first + count - 1``."""
        ...


# What a text role holds (``text_roles`` rows: these, keyed by platform, account_id and the
# hash of the profile they were inferred from).
TEXT_ROLE_FIELDS = (
    "role",
    "confidence",
    "evidence",
    "specialty",
    "specialty_area",
    "affiliation",
    "employer",
    "informative",
)


class Derivation(Protocol):
    """What an ingest run's derivation step reads and writes, inside the run's transaction
    (after its rows are merged): see :mod:`kolmap.graph.duckdb_derive` for each method."""

    run_id: str

    def profiles_to_classify(self, version: str) -> pd.DataFrame: ...

    def save_text_roles(self, table: pd.DataFrame) -> None: ...

    def accounts(self) -> pd.DataFrame: ...

    def projection(self) -> Projection: ...

    def area_posts(self) -> pd.DataFrame: ...

    def paid_mentions(self) -> pd.DataFrame: ...

    def coactions(self, window_seconds: int, max_events: int) -> pd.DataFrame: ...

    def shared_texts(self, min_chars: int, max_authors: int) -> pd.DataFrame: ...

    def write_derived(self, table: pd.DataFrame) -> int: ...


Derive = Callable[[Derivation], Mapping[str, Any]]
"""A derivation step: reads the merged store, writes derived account fields, returns counts
for the run summary."""


@runtime_checkable
class GraphStore(Protocol):
    """What every backend provides. See docs/data-model.md for the semantics."""

    location: str

    def ingest(self, run: RunInfo, derive: Derive | None = None) -> Any:
        """A context manager yielding an :class:`IngestWriter`.

        On a clean exit the staged records are merged (idempotently: re-writing the same
        records changes nothing), then ``derive`` runs on the merged store in the same
        transaction, and the writer's ``stats`` hold what was added, updated and unchanged
        (and what ``derive`` returned, as ``derived``). On an exception nothing of the run
        remains.
        """
        ...

    def projection(self, scope: Scope) -> Projection:
        """The accounts and relations in ``scope`` (see :class:`Scope`)."""
        ...

    def posts(
        self,
        scope: Scope | None = None,
        *,
        authors: Sequence[AccountKey] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Posts in ``scope`` (optionally by ``authors``), newest first, with hashtags and
        areas as lists."""
        ...

    def top_hashtags(self, scope: Scope | None = None, *, limit: int = 50) -> pd.DataFrame:
        """The most used hashtags in ``scope`` with their post and author counts."""
        ...

    def accounts(
        self,
        keys: Sequence[AccountKey] | None = None,
        *,
        search: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Account attributes (effective role: a user label wins over the inferred one)."""
        ...

    def account_areas(self, min_posts: int = 2) -> pd.DataFrame:
        """``platform, account_id, areas``: the areas of each account's bio and of at least
        ``min_posts`` of its original posts."""
        ...

    def erase(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Delete accounts with their posts, relations and labels; counts of what went."""
        ...

    def suppress(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Opt accounts out: erase them and remember only hashes of their id and handle, so
        later ingests drop them (and mentions of them) and no output ever shows them."""
        ...

    def record_export(self, entry: Mapping[str, Any]) -> None:
        """Append one line to the export log (what, filters, rows, hash, when)."""
        ...

    def export_log(self) -> pd.DataFrame:
        """The export log, newest first."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts by table, platform, role and area, time span and the last ingest run."""
        ...

    def runs(self) -> pd.DataFrame:
        """The ingest runs recorded in the store, newest first."""
        ...

    def fingerprint(self, *, provenance: bool = True) -> str:
        """A checksum of the whole graph content: equal fingerprints, equal graphs.
        ``provenance=False`` leaves out which run added or changed each row."""
        ...

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A read query in DuckDB SQL over the store's tables (values only as parameters):
        for tests, the app and power users."""
        ...

    def close(self) -> None: ...


_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(location: str) -> bool:
    """True for ``neo4j://`` and ``bolt://`` URIs (with their TLS variants): a Neo4j store.

    >>> is_neo4j_uri("bolt://localhost:7687"), is_neo4j_uri("kolmap.duckdb")
    (True, False)
    """
    return location.startswith(_NEO4J_SCHEMES)


def resolve_store_location(location: str | os.PathLike[str] | None) -> str:
    """``location``, else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``."""
    if location:
        return os.fspath(location)
    return os.environ.get("KOLMAP_STORE") or DEFAULT_STORE


def open_store(
    location: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    memory_limit: str = "",
) -> Any:
    """Open the store at ``location`` (see :func:`resolve_store_location`).

    A path opens the embedded DuckDB store (created on first use). ``neo4j://`` and
    ``bolt://`` URIs open the Neo4j store (:mod:`kolmap.graph.neo4j_store`); the user name,
    password and database come from ``KOLMAP_NEO4J_*`` environment variables.
    """
    where = resolve_store_location(location)
    if is_neo4j_uri(where):
        from kolmap.graph.neo4j_store import Neo4jStore

        return Neo4jStore(where, memory_limit=memory_limit)
    from kolmap.graph.duckdb_store import DuckDBStore

    return DuckDBStore(Path(where), read_only=read_only, memory_limit=memory_limit)
