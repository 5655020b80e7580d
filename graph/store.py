"""The store interface every backend implements, and the plain types it speaks.

A store writes the records of an ingest run idempotently (then derives roles and risks in
the same transaction), reads a filtered projection of the graph for scoring, reads accounts
and posts for the app, erases and suppresses accounts, keeps the export log, and reports
statistics. Nothing above the store knows which backend it talks to; algorithms live in
``kolmap.scoring``, never here. This module imports no backend: ``kolmap.graph.open_store``
picks one from a :class:`~kolmap.graph.location.StoreLocation`.

>>> scope = Scope(area="oncology", platforms=("x",))
>>> scope.describe()
'area=oncology platforms=x'
"""

from __future__ import annotations

import getpass
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd
import pyarrow as pa

from kolmap.model import AccountKey

__all__ = [
    "SHORTLIST_STATUSES",
    "TEXT_ROLE_FIELDS",
    "Derivation",
    "Derive",
    "GraphEngine",
    "GraphStore",
    "IngestWriter",
    "Projection",
    "Replica",
    "RunInfo",
    "Scope",
    "ServerAlgorithms",
    "ShortlistEdit",
    "Snapshots",
    "current_actor",
    "engine_of",
    "process_alive",
    "stamped_id",
]


@dataclass(frozen=True)
class RunInfo:
    """Who and what an ingest run is, for provenance."""

    run_id: str
    started_at: datetime
    inputs: Sequence[str]
    kolmap_version: str
    areas: Mapping[str, str] = field(default_factory=dict)  # taxonomy area id -> name


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this machine (one this user may not signal
    runs too): a crashed writer's claim, or a killed run's temporary folder, is known by
    its process being gone.

    >>> process_alive(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def current_actor() -> str:
    """Who acts: this machine's user and host (``user@host``)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


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


SHORTLIST_STATUSES = ("proposed", "contacted", "confirmed", "declined")


@dataclass(frozen=True)
class ShortlistEdit:
    """One change to the saved shortlist ``shortlist``, made by ``owner``: accounts added
    (rows with ``platform``, ``account_id`` and what was shown: handle, display_name, role,
    specialty, area, kind, score, added_from), notes and statuses changed, accounts removed.
    Every change is also written to the list's trail (``shortlist_events``).

    >>> ShortlistEdit("congress 2027", "ana", remove=(AccountKey("x", "1"),)).remove
    (AccountKey(platform='x', account_id='1'),)
    """

    shortlist: str
    owner: str
    add: Sequence[Mapping[str, Any]] = ()
    notes: Mapping[AccountKey, str] = field(default_factory=dict)
    statuses: Mapping[AccountKey, str] = field(default_factory=dict)
    remove: Sequence[AccountKey] = ()

    def __post_init__(self) -> None:
        if not self.shortlist.strip():
            raise ValueError("a shortlist needs a name")
        bad = sorted(set(self.statuses.values()) - set(SHORTLIST_STATUSES))
        if bad:
            raise ValueError(f"unknown status {bad[0]!r}; use one of {SHORTLIST_STATUSES}")


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

    stats: dict[str, Any]
    """After the run: what was added, updated and unchanged per record kind, and what the
    derivation step returned (``derived``)."""

    def add(
        self,
        kind: str,
        records: Sequence[Mapping[str, Any]],
        seq: Sequence[int] | None = None,
    ) -> None:
        """Stage a batch of records of ``kind`` (a key of
        :data:`~kolmap.tables.RECORD_FIELDS`); ``seq`` gives their positions when a reader
        stages rows out of order (later wins)."""
        ...

    def reserve(self, count: int) -> int:
        """Set aside ``count`` staging positions for :meth:`add`'s ``seq``; the first one."""
        ...

    def add_table(self, kind: str, table: pa.Table) -> None:
        """Stage an Arrow table of ``kind`` records with a ``seq`` column (see ``reserve``)."""
        ...

    def discard(self, kind: str, first: int, count: int) -> None:
        """Drop staged ``kind`` rows at positions ``first`` to ``first + count - 1``."""
        ...

    def note(self, key: str, value: Any) -> None:
        """Attach a run-level fact (files read, rows quarantined) to the stored run summary."""
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
    (after its rows are merged): see :mod:`kolmap.graph.duckdb.derive` for each method."""

    run_id: str

    def profiles_to_classify(self, version: str) -> pd.DataFrame: ...

    def save_text_roles(self, table: pd.DataFrame) -> None: ...

    def accounts(self) -> pd.DataFrame: ...

    def projection(self) -> Projection: ...

    def area_posts(self) -> pd.DataFrame: ...

    def paid_mentions(self, tags: Sequence[str]) -> pd.DataFrame: ...

    def coactions(
        self, window_seconds: int, max_events: int, min_shared: int, min_similarity: float
    ) -> pd.DataFrame: ...

    def shared_texts(self, min_chars: int, max_authors: int, min_shared: int) -> pd.DataFrame: ...

    def own_repeats(self, min_chars: int) -> pd.DataFrame: ...

    def write_derived(self, table: pd.DataFrame) -> int: ...

    def withhold_patient_details(self, version: str) -> int: ...


Derive = Callable[[Derivation], Mapping[str, Any]]
"""A derivation step: reads the merged store, writes derived account fields, returns counts
for the run summary."""


@runtime_checkable
class GraphStore(Protocol):
    """What every backend provides. See docs/data-model.md for the semantics."""

    location: str

    def ingest(
        self, run: RunInfo, derive: Derive | None = None, memory_limit: str = ""
    ) -> AbstractContextManager[IngestWriter]:
        """A context manager yielding an :class:`IngestWriter`.

        ``memory_limit`` (a size such as ``512MB``), when given, is the most memory the
        store may hold for the run instead of its own limit.

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
        person_id: str | None = None,
        handles: Sequence[tuple[str, str]] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Account attributes (effective role: a user label wins over the inferred one), of
        ``keys``, or matching ``search`` in handle or name (or as its whole id), or labelled
        as ``person_id``, or whose handle is one of ``handles`` (``(platform, handle)``, in
        any case)."""
        ...

    def areas(self) -> dict[str, str]:
        """The therapeutic areas runs have recorded: id -> name."""
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

    def top_hashtags_by_group(
        self, scope: Scope | None, groups: pd.DataFrame, *, limit: int = 8
    ) -> pd.DataFrame:
        """The ``limit`` most used hashtags of each group of authors (``groups``: platform,
        account_id, group) in ``scope``, as ``group, tag, uses`` rows, most used first."""
        ...

    def edit_shortlist(self, edit: ShortlistEdit) -> dict[str, int]:
        """Apply ``edit`` in one transaction; counts of accounts added, updated, removed."""
        ...

    def shortlists(self) -> pd.DataFrame:
        """The saved shortlists: ``shortlist, entries, owners, updated_at``, newest first."""
        ...

    def shortlist(self, name: str) -> pd.DataFrame:
        """The accounts on one saved shortlist, in the order they were added."""
        ...

    def shortlist_events(self, name: str) -> pd.DataFrame:
        """The trail of one shortlist (who added, annotated or removed what), newest first."""
        ...

    def save_view(
        self, name: str, page: str, params: Mapping[str, str | list[str]], owner: str
    ) -> None:
        """Keep (or replace) the app's view ``name``: a page and its address parameters."""
        ...

    def saved_views(self) -> pd.DataFrame:
        """The saved views, newest first: ``name, page, params`` (a dict), ``owner,
        updated_at``."""
        ...

    def delete_view(self, name: str) -> bool:
        """Remove the saved view ``name``; whether there was one."""
        ...

    def subject(self, key: AccountKey) -> dict[str, pd.DataFrame]:
        """Every row the store holds on one account, by table (an access request)."""
        ...

    def suppressed_names(self, names: Sequence[str]) -> set[str]:
        """Those of ``names`` that are the id or handle of a suppressed account on any
        platform the store knows (to keep such an account's rejected rows out of the
        quarantine file)."""
        ...

    def subject_hashes(self, keys: Sequence[AccountKey]) -> list[str]:
        """The keyed hashes that name ``keys`` in the audit trail and in receipts."""
        ...

    def record_audit(self, action: str, facts: Mapping[str, Any]) -> None:
        """Append one event to the audit trail (facts name accounts by keyed hashes only)."""
        ...

    def posts_naming(self, terms: Sequence[str]) -> pd.DataFrame:
        """Posts whose folded text holds one of ``terms`` (the pharmacovigilance scan's
        first pass), with their author's role: ``platform, post_id, author_id, created_at,
        text, role, is_stub``."""
        ...

    def reposts_of(self, platform: str, post_ids: Sequence[str]) -> pd.DataFrame:
        """The reposts of these posts: ``platform, post_id, author_id, created_at,
        repost_of_post_id`` (a congress's amplifiers: reposts carry no hashtag of their
        own)."""
        ...

    def add_pv_items(self, table: pd.DataFrame) -> int:
        """Queue safety items not queued yet (columns of ``pv_queue``); how many were added."""
        ...

    def pv_items(self, status: str | None = None) -> pd.DataFrame:
        """The pharmacovigilance queue, oldest first."""
        ...

    def review_pv_item(self, item_id: str, status: str, by: str, note: str = "") -> bool:
        """Confirm, dismiss or forward a queued item (audited); False if it does not exist."""
        ...

    def add_payments(self, records: Sequence[dict[str, Any]], source_file: str) -> dict[str, int]:
        """Upsert declared payments read from ``source_file`` (a ``deleted`` record removes
        one), in one transaction, audited; counts added, replaced, deleted."""
        ...

    def link_registry(self, links: Sequence[tuple[str, str, str, str]]) -> int:
        """Link accounts to registry numbers (``platform, account_id, registry, id``)."""
        ...

    def coi(self) -> pd.DataFrame:
        """Declared payments per linked account and currency (see docs/compliance.md)."""
        ...

    def add_science(
        self, records: Mapping[str, Sequence[Mapping[str, Any]]], source_file: str
    ) -> dict[str, int]:
        """Write the scientific records of one file (works, authorships, author profiles,
        trials, trial officials, congress roles) in one transaction, audited; counts rows
        per kind (docs/science.md)."""
        ...

    def science_tables(self) -> dict[str, pd.DataFrame]:
        """The scientific tables and the person decisions, by table name."""
        ...

    def decide_persons(
        self,
        pairs: Sequence[tuple[str, str]],
        decision: str,
        *,
        note: str = "",
        source: str = "review",
    ) -> int:
        """Record that each pair of identities is the ``same`` person or ``different``
        (an undone merge), audited; how many pairs."""
        ...

    def app_users(self) -> pd.DataFrame:
        """The app's users: ``name, role, salt, password_hash, created_at``."""
        ...

    def set_app_user(self, name: str, role: str, salt: str, password_hash: str) -> None:
        """Add or replace an app user (audited, without the hash)."""
        ...

    def remove_app_user(self, name: str) -> bool:
        """Remove an app user (audited); False when there is none by that name."""
        ...

    def purge_posts(self, before: datetime) -> dict[str, int]:
        """Remove the posts written before ``before`` (with their mentions, hashtags and
        areas), first adding their counts per area, month and author role to
        ``area_activity``; audited. Placeholder posts without a date stay."""
        ...

    def compact(self) -> dict[str, int]:
        """Make deleted rows unreadable in the store's own files (after an erasure): the
        embedded store rewrites its file; Neo4j forces a checkpoint. Counts what it did."""
        ...

    def exports_holding(self, keys: Sequence[AccountKey]) -> pd.DataFrame:
        """The logged exports that carried one of ``keys`` as they showed it (an id, or a
        pseudonym): ``export_id, exported_at, format, path, pseudonymised``."""
        ...

    def audit_log(self, action: str | None = None) -> pd.DataFrame:
        """The audit trail (``event_id, event_at, actor, action, facts``), newest first;
        only ``action`` events when given."""
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

    def version(self) -> str:
        """Changes whenever the store's data changes (an ingest run, an erasure, a
        suppression), so caches can key on it."""
        ...

    @property
    def replica(self) -> Replica:
        """The store's tables row by row, to copy it into another store."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphStore: ...

    def __exit__(self, *exc: object) -> None: ...


@runtime_checkable
class GraphEngine(Protocol):
    """Graph algorithms run outside this process, on plain arrays (a Neo4j server's Graph
    Data Science plugin): what :mod:`kolmap.scoring` hands its PageRanks and Leiden runs to
    when the store offers one (:class:`ServerAlgorithms`). The arrays are those kolmap's own
    igraph functions take, already cleaned: one edge per pair, weights not negative, each
    ``reset`` None (uniform jump) or summing to more than 0; the answers must be the same.
    """

    name: str

    def pageranks(
        self, n: int, src: Any, dst: Any, weights: Any, resets: Sequence[Any], *, damping: float
    ) -> list[Any]:
        """One PageRank of ``n`` nodes over the directed edges for each column of ``weights``
        (an edges × runs array; an edge weighing 0 in a run is not in that run) with the jump
        at the same place in ``resets``, each summing to 1 (NumPy arrays); dangling nodes
        jump as the random jump does. The runs share the edges so that a server receives
        them once, not once per run."""
        ...

    def leiden(
        self, n: int, src: Any, dst: Any, weight: Any, *, seed: int, resolution: float
    ) -> Any:
        """A community label for each of ``n`` nodes (a NumPy integer array): Leiden on the
        modularity with ``resolution``, the edges undirected, reproducible with ``seed``."""
        ...


@runtime_checkable
class ServerAlgorithms(Protocol):
    """A store whose server can run the graph algorithms of ranking (Neo4j with GDS)."""

    def engine(self) -> tuple[GraphEngine | None, str]:
        """The server's engine, or None to compute in this process; and a sentence saying
        which and why, for the user (a server without GDS is said, never silent)."""
        ...


def engine_of(store: object) -> tuple[GraphEngine | None, str]:
    """Where ``store``'s rankings compute their PageRanks and Leiden runs: its server's
    engine and a sentence about it, or ``(None, "")`` for an embedded store (in this
    process, nothing to say).

    >>> engine_of(object())
    (None, '')
    """
    if isinstance(store, ServerAlgorithms):
        return store.engine()
    return None, ""


@runtime_checkable
class Snapshots(Protocol):
    """A store that can leave a consistent read-only copy of itself (the embedded DuckDB
    store: the app reads that copy while another process holds the file to write)."""

    def write_snapshot(self, target: Path) -> None:
        """Write a consistent copy of the store to ``target`` (atomically replaced)."""
        ...


class Replica(Protocol):
    """A store's tables as rows (:data:`~kolmap.tables.TRANSFER_TABLES`), to copy a store
    into another one (:mod:`kolmap.graph.neo4j.transfer`)."""

    def table_rows(self, table: str, batch_size: int = 50_000) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` as a dict, streamed in batches."""
        ...

    def row_count(self, table: str) -> int: ...

    def is_empty(self) -> bool: ...

    def load_rows(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Fill an empty store with rows per table, in one transaction."""
        ...
