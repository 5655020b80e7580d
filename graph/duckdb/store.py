"""The embedded store: one DuckDB file holding the whole property graph.

Nodes and relations are tables (see docs/data-model.md and :mod:`.schema`). An ingest run
stages its batches beside the store (:mod:`.stage`) and merges them in set-based SQL inside
one transaction (:mod:`.merge`), so a failed run leaves the file exactly as it was and
re-ingesting the same records changes nothing. Projections are built in :mod:`.project`;
erasure and suppression live in :mod:`.suppressions`; :mod:`.replica` copies the tables row by
row; the other reads are in :mod:`.reads`, and opening the file (its errors, its lock) in
:mod:`.opening`. Every statement goes through one :class:`~.connection.Connection`.

>>> store = DuckDBStore(":memory:")
>>> store.stats()["accounts"]
0
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from kolmap.errors import StoreError
from kolmap.graph.duckdb import (
    audit,
    reads,
    safety,
    saved_views,
    science,
    shortlists,
    transparency,
)
from kolmap.graph.duckdb.connection import Connection, Tracer, first_line
from kolmap.graph.duckdb.merge import merge_run
from kolmap.graph.duckdb.opening import MEMORY_SIZE, connect, remove_database_files
from kolmap.graph.duckdb.project import project
from kolmap.graph.duckdb.replica import DuckDBReplica
from kolmap.graph.duckdb.schema import (
    STAGE,
    check_version,
    ensure_schema,
    stand_in_for_missing_tables,
)
from kolmap.graph.duckdb.stage import Stage
from kolmap.graph.duckdb.stats import store_stats
from kolmap.graph.duckdb.suppressions import (
    HANDLE_HASH,
    ID_HASH,
    erase_keys,
    key_check,
    keys_table,
    purge_posts,
    subject_rows,
    suppress_keys,
    use_key,
)
from kolmap.graph.keys import load_key
from kolmap.graph.store import Derive, Projection, RunInfo, Scope, ShortlistEdit
from kolmap.model import PLATFORM_ALIASES, AccountKey
from kolmap.sqltext import sql_string
from kolmap.tables import GRAPH_TABLES, TABLE

__all__ = ["DuckDBStore", "remove_database_files"]


class DuckDBStore:
    """The default, embedded store (one DuckDB file, or ``":memory:"`` for tests).

    ``tracer`` sees every SQL statement the store runs, with its parameters.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        memory_limit: str = "",
        tracer: Tracer | None = None,
        lock_wait: float = 0.0,
        key: bytes | None = None,
    ) -> None:
        self.location = str(path)
        self.memory_limit = memory_limit
        self.db = Connection(connect(self.location, read_only, memory_limit, lock_wait), tracer)
        try:
            if not read_only:
                ensure_schema(self.db, self.location)
            else:
                check_version(self.db, self.location)
                stand_in_for_missing_tables(self.db)
        except BaseException:
            self.db.close()  # a refused file is let go at once (it may be replaced next)
            raise
        # The secret key of the suppression hashes (graph/keys.py); never stored in the file.
        self.key = key if key is not None else load_key(self.location)
        use_key(self.db, self.key)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def replica(self) -> DuckDBReplica:
        return DuckDBReplica(self.db, self.location)

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def ingest(
        self, run: RunInfo, derive: Derive | None = None, memory_limit: str = ""
    ) -> Iterator[Stage]:
        """Stage batches, then merge them all in one transaction (see
        :class:`~kolmap.graph.store.GraphStore`).

        Batches are committed one by one into a staging database beside the store
        (``<store>.stage``), not into the store's own transaction: committed rows can leave
        memory (DuckDB spills them to that file), so an ingest's memory is bounded by the
        batch size and ``memory_limit`` (``ingest.memory_limit``; the store's own limit
        comes back afterwards), not by the input's size. The store itself changes only in
        the final merge transaction; the staging file is removed afterwards, and one left
        by an interrupted run is discarded by the next.
        """
        self._check_key()
        self._record_interrupted()
        if memory_limit:
            self._limit_memory(memory_limit)
        stage_path = self._attach_stage()
        stage = Stage(self.db)
        failure: BaseException | None = None
        try:
            stage.create()
            stage.remember(run)
            yield stage
            stage.prepare()
            with self.db.transaction():
                merge_run(self.db, run, stage, derive)
        except BaseException as err:
            failure = err
            if isinstance(err, (duckdb.Error, OSError)) and "no space left" in str(err).lower():
                raise StoreError(
                    f"{self.location}: no space left on the device while writing "
                    f"({first_line(err)}); nothing of this run was committed: free some "
                    "space and run it again"
                ) from err
            raise
        finally:
            with contextlib.suppress(duckdb.Error, OSError):  # a full disk may refuse it too
                self._detach_stage(stage_path)
            if memory_limit:
                with contextlib.suppress(duckdb.Error):
                    self._limit_memory(self.memory_limit)
            if failure is not None:  # recorded once the staging files are gone (disk space)
                self._record_failed(run, failure)

    def _record_failed(self, run: RunInfo, err: BaseException) -> None:
        """Keep a failed or interrupted run in the run list and the audit trail (nothing of
        its data: that was rolled back). Best effort: a full disk may refuse this too."""
        status = "interrupted" if isinstance(err, KeyboardInterrupt) else "failed"
        summary = {"error": first_line(err) or type(err).__name__}
        with contextlib.suppress(duckdb.Error, OSError), self.db.transaction():
            self._insert_run(
                (run.run_id, run.started_at, status, run.kolmap_version), run.inputs, summary
            )

    def _record_interrupted(self) -> None:
        """A staging file left by a killed run names that run: record it as interrupted
        before the file is discarded."""
        path = self._stage_path()
        if path is None or not path.exists():
            return
        with contextlib.suppress(duckdb.Error, OSError):
            self.db.execute(f"ATTACH {sql_string(str(path))} AS kolmap_left (READ_ONLY)")
            try:
                found = self.db.row(
                    "SELECT run_id, started_at, kolmap_version, inputs "
                    "FROM kolmap_left.run_info LIMIT 1"
                )
            finally:
                self.db.execute("DETACH kolmap_left")
            known = found and self.db.row("SELECT 1 FROM ingest_runs WHERE run_id = ?", [found[0]])
            if found and not known:
                summary = {"error": "the process stopped (killed or crashed) mid-run"}
                with self.db.transaction():
                    run = (found[0], found[1], "interrupted", found[2])
                    self._insert_run(run, json.loads(found[3]), summary)

    def _insert_run(
        self, run: tuple[str, Any, str, str], inputs: Sequence[str], summary: Mapping[str, Any]
    ) -> None:
        """Record a run that did not complete: ``run`` is its id, start, status, version."""
        run_id, started_at, status, version = run
        self.db.execute(
            "INSERT INTO ingest_runs VALUES (?, ?, now(), ?, ?, ?, ?)",
            [run_id, started_at, status, version, json.dumps(list(inputs)), json.dumps(summary)],
        )
        facts = {"run_id": run_id, "status": status, "inputs": len(inputs), **summary}
        audit.record(self.db, "ingest", facts)

    def _limit_memory(self, size: str) -> None:
        """Set DuckDB's memory limit to ``size`` (``512MB``; empty: DuckDB's default)."""
        if not size:
            self.db.execute("RESET memory_limit")
            return
        if not MEMORY_SIZE.fullmatch(size.strip()):
            raise StoreError(
                f"memory limit {size!r} is not a size (say 512MB or 2GB; see docs/settings.md)"
            )
        self.db.execute(f"SET memory_limit = {sql_string(size.strip())}")

    def _stage_path(self) -> Path | None:
        """The staging database beside the store file (None for a store in memory)."""
        return None if self.location == ":memory:" else Path(self.location + ".stage")

    def _attach_stage(self) -> Path | None:
        path = self._stage_path()
        if path is not None:
            remove_database_files(path)
        try:
            self.db.execute(f"ATTACH {sql_string(str(path or ':memory:'))} AS {STAGE}")
        except duckdb.Error as err:
            raise StoreError(
                f"{self.location}: cannot create the staging database {path}: {first_line(err)}"
            ) from err
        return path

    def _detach_stage(self, path: Path | None) -> None:
        """Detach the staging database and delete its files, also when the detach fails
        (on a full disk, DuckDB detaches it but reports its last checkpoint failing)."""
        try:
            self.db.execute(f"DETACH DATABASE IF EXISTS {STAGE}")
        finally:
            if path is not None:
                remove_database_files(path)

    def erase(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Delete accounts and everything that hangs from them, in one transaction, with
        its line in the audit trail (the accounts named by keyed hashes only)."""
        with self.db.transaction():
            counts = erase_keys(self.db, keys)
            facts = {"subjects": self.subject_hashes(keys), "removed": counts}
            audit.record(self.db, "erase", facts)
        return counts

    def suppress(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Remember hashes of the accounts' ids and handles, then erase them (one transaction)."""
        self._check_key()
        with self.db.transaction():
            counts = suppress_keys(self.db, keys)
            facts = {"subjects": self.subject_hashes(keys), "removed": counts}
            audit.record(self.db, "suppress", facts)
        return counts

    def posts_naming(self, terms: Sequence[str]) -> pd.DataFrame:
        return safety.posts_naming(self.db, terms)

    def reposts_of(self, platform: str, post_ids: Sequence[str]) -> pd.DataFrame:
        with self.db.registered("_ids", pa.table({"post_id": list(post_ids)})):
            return self.db.frame(
                """SELECT p.platform, p.post_id, p.author_id, p.created_at, p.repost_of_post_id
                   FROM posts p SEMI JOIN _ids i ON i.post_id = p.repost_of_post_id
                   WHERE p.platform = ? ORDER BY p.created_at, p.post_id""",
                [platform],
            )

    def add_pv_items(self, table: pd.DataFrame) -> int:
        with self.db.transaction():
            return safety.add_items(self.db, table)

    def pv_items(self, status: str | None = None) -> pd.DataFrame:
        return safety.items(self.db, status)

    def review_pv_item(self, item_id: str, status: str, by: str, note: str = "") -> bool:
        with self.db.transaction():
            return safety.review(self.db, item_id, status, by, note)

    def add_payments(self, records: Sequence[dict[str, Any]], source_file: str) -> dict[str, int]:
        with self.db.transaction():
            counts = transparency.add_payments(self.db, records, source_file)
            audit.record(self.db, "transparency", {"file": source_file, **counts})
        return counts

    def link_registry(self, links: Sequence[tuple[str, str, str, str]]) -> int:
        with self.db.transaction():
            return transparency.link_registry(self.db, links)

    def coi(self) -> pd.DataFrame:
        return transparency.coi(self.db)

    def add_science(
        self, records: Mapping[str, Sequence[Mapping[str, Any]]], source_file: str
    ) -> dict[str, int]:
        with self.db.transaction():
            counts = science.add_science(self.db, records, source_file)
            audit.record(self.db, "science-import", {"file": source_file, **counts})
        return counts

    def science_tables(self) -> dict[str, pd.DataFrame]:
        return science.science_tables(self.db)

    def decide_persons(
        self,
        pairs: Sequence[tuple[str, str]],
        decision: str,
        *,
        note: str = "",
        source: str = "review",
    ) -> int:
        with self.db.transaction():
            count = science.decide_persons(self.db, pairs, decision, note=note, source=source)
            audit.record(
                self.db, "person-decision", {"decision": decision, "pairs": count, "source": source}
            )
        return count

    def app_users(self) -> pd.DataFrame:
        return self.db.frame(
            "SELECT name, role, salt, password_hash, created_at FROM app_users ORDER BY name"
        )

    def set_app_user(self, name: str, role: str, salt: str, password_hash: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM app_users WHERE name = ?", [name])
            self.db.execute(
                "INSERT INTO app_users VALUES (?, ?, ?, ?, now())",
                [name, role, salt, password_hash],
            )
            audit.record(self.db, "user-set", {"name": name, "role": role})

    def remove_app_user(self, name: str) -> bool:
        with self.db.transaction():
            removed = self.db.scalar("DELETE FROM app_users WHERE name = ?", [name])
            if removed:
                audit.record(self.db, "user-removed", {"name": name})
        return bool(removed)

    def purge_posts(self, before: datetime) -> dict[str, int]:
        with self.db.transaction():
            counts = purge_posts(self.db, before)
            audit.record(self.db, "purge", {"before": before.isoformat(), "removed": counts})
        return counts

    def compact(self) -> dict[str, int]:
        """Rewrite the store file so that deleted rows are gone from its bytes: DuckDB keeps
        freed blocks (an erased name stays readable in the file after a CHECKPOINT, even a
        VACUUM). The database is copied into a new file, which then replaces the old one;
        ``bytes_before`` and ``bytes_after`` say what it did."""
        if self.location == ":memory:":
            return {"bytes_before": 0, "bytes_after": 0}
        path = Path(self.location)
        fresh = path.with_name(path.name + ".compact")
        remove_database_files(fresh)
        self.db.execute("CHECKPOINT")
        before = path.stat().st_size
        name = str(self.db.row("SELECT current_database()")[0])  # type: ignore[index]
        try:
            self.db.execute(f"ATTACH {sql_string(str(fresh))} AS kolmap_compact")
            try:
                self.db.execute(f'COPY FROM DATABASE "{name}" TO kolmap_compact')
            finally:
                self.db.execute("DETACH kolmap_compact")
        except (duckdb.Error, OSError) as err:
            remove_database_files(fresh)
            raise StoreError(
                f"{self.location}: cannot rewrite the store: {first_line(err)}"
            ) from err
        self.db.raw.close()
        os.replace(fresh, path)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)
        self.db.raw = connect(self.location, False, self.memory_limit)
        use_key(self.db, self.key)
        return {"bytes_before": before, "bytes_after": path.stat().st_size}

    def subject(self, key: AccountKey) -> dict[str, pd.DataFrame]:
        return subject_rows(self.db, key)

    def suppressed_names(self, names: Sequence[str]) -> set[str]:
        if not names or not self.db.scalar("SELECT count(*) FROM suppressions"):
            return set()
        platforms = sorted({*PLATFORM_ALIASES.values(), "x", "bluesky", "linkedin"})
        table = pa.table({"name": [str(n) for n in names]})
        with self.db.registered("_names", table):
            rows = self.db.rows(
                f"""SELECT DISTINCT v.name FROM _names v,
                       (SELECT DISTINCT platform FROM accounts
                        UNION SELECT unnest(?::VARCHAR[])) p
                    WHERE {ID_HASH.format(p="p.platform", i="v.name")}
                          IN (SELECT hash FROM suppressions)
                       OR {HANDLE_HASH.format(p="p.platform", h="lower(v.name)")}
                          IN (SELECT hash FROM suppressions)""",
                [platforms],
            )
        return {str(r[0]) for r in rows}

    def subject_hashes(self, keys: Sequence[AccountKey]) -> list[str]:
        """The keyed hashes that name ``keys`` in the audit trail and receipts."""
        return [
            str(row[0])
            for key in keys
            for row in self.db.rows(
                f"SELECT {ID_HASH.format(p='?', i='?')}", [key.platform, key.account_id]
            )
        ]

    def _check_key(self) -> None:
        """Refuse to hash with a key other than the one this store's suppression list was
        made with: its suppressed accounts would come back unnoticed."""
        found = self.db.row("SELECT value FROM meta WHERE key = 'key_check'")
        mine = key_check(self.key)
        if found is not None and found[0] == mine:
            return
        if found is None or not self.db.scalar("SELECT count(*) FROM suppressions"):
            with self.db.transaction():  # no hash made yet: this key is the store's from now
                self.db.execute("DELETE FROM meta WHERE key = 'key_check'")
                self.db.execute("INSERT INTO meta VALUES ('key_check', ?)", [mine])
        else:
            raise StoreError(
                f"{self.location}: this store's suppression list was made with another key "
                "than the one found here; set KOLMAP_PSEUDONYM_KEY or privacy.key_file to the "
                "store's key (a team shares one), or suppressed accounts would come back"
            )

    def record_audit(self, action: str, facts: Mapping[str, Any]) -> None:
        with self.db.transaction():
            audit.record(self.db, action, facts)

    def audit_log(self, action: str | None = None) -> pd.DataFrame:
        return audit.audit_log(self.db, action)

    def record_export(self, entry: Mapping[str, Any]) -> None:
        """Append one line to the export log, and to the audit trail."""
        facts = {k: entry[k] for k in ("export_id", "format", "path", "rows", "pseudonymised")}
        members = pa.table(
            {
                "platform": [str(p) for p, _ in entry.get("members", ())],
                "account_id": [str(a) for _, a in entry.get("members", ())],
            }
        )
        with self.db.transaction(), self.db.registered("_members", members):
            audit.record(self.db, "export", facts)
            self.db.execute(
                f"""INSERT INTO export_members SELECT DISTINCT ?,
                    {ID_HASH.format(p="platform", i="account_id")} FROM _members""",
                [entry["export_id"]],
            )
            self.db.execute(
                "INSERT INTO exports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    entry["export_id"],
                    entry["at"],
                    entry["format"],
                    entry["path"],
                    json.dumps(entry["filters"], default=str),
                    int(entry["rows"]),
                    entry["sha256"],
                    bool(entry["pseudonymised"]),
                    entry["kolmap_version"],
                ],
            )

    def exports_holding(self, keys: Sequence[AccountKey]) -> pd.DataFrame:
        """The logged exports that carried one of ``keys`` (as shown: an id, or a pseudonym
        for a private individual), newest first."""
        with self.db.registered("_held", keys_table(keys)):
            return self.db.frame(
                f"""SELECT e.export_id, e.exported_at, e.format, e.path, e.pseudonymised
                FROM exports e SEMI JOIN export_members m ON m.export_id = e.export_id
                 AND m.hash IN (SELECT {ID_HASH.format(p="platform", i="account_id")}
                                FROM _held)
                ORDER BY e.exported_at DESC"""
            )

    def export_log(self) -> pd.DataFrame:
        return self.db.frame("SELECT * FROM exports ORDER BY exported_at DESC")

    def edit_shortlist(self, edit: ShortlistEdit) -> dict[str, int]:
        with self.db.transaction():
            return shortlists.edit_shortlist(self.db, edit)

    def shortlists(self) -> pd.DataFrame:
        return shortlists.shortlists(self.db)

    def shortlist(self, name: str) -> pd.DataFrame:
        return shortlists.shortlist(self.db, name)

    def shortlist_events(self, name: str) -> pd.DataFrame:
        return shortlists.shortlist_events(self.db, name)

    def save_view(
        self, name: str, page: str, params: Mapping[str, str | list[str]], owner: str
    ) -> None:
        with self.db.transaction():
            saved_views.save_view(self.db, name, page, params, owner)

    def saved_views(self) -> pd.DataFrame:
        return saved_views.saved_views(self.db)

    def delete_view(self, name: str) -> bool:
        with self.db.transaction():
            return saved_views.delete_view(self.db, name)

    # -- reading --------------------------------------------------------------------------
    def projection(self, scope: Scope) -> Projection:
        """The accounts and relations in ``scope``; see :class:`Scope` for what is in."""
        return project(self.db, scope)

    def posts(
        self,
        scope: Scope | None = None,
        *,
        authors: Sequence[AccountKey] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Posts in ``scope`` (by ``authors`` if given), newest first (:func:`.reads.posts`)."""
        return reads.posts(self.db, scope, authors=authors, limit=limit)

    def top_hashtags(self, scope: Scope | None = None, *, limit: int = 50) -> pd.DataFrame:
        """The most used hashtags in ``scope`` (:func:`.reads.top_hashtags`)."""
        return reads.top_hashtags(self.db, scope, limit=limit)

    def top_hashtags_by_group(
        self, scope: Scope | None, groups: pd.DataFrame, *, limit: int = 8
    ) -> pd.DataFrame:
        """Each group's most used hashtags in ``scope`` (:func:`.reads.top_hashtags_by_group`)."""
        return reads.top_hashtags_by_group(self.db, scope, groups, limit=limit)

    def accounts(
        self,
        keys: Sequence[AccountKey] | None = None,
        *,
        search: str | None = None,
        person_id: str | None = None,
        handles: Sequence[tuple[str, str]] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Account attributes with the effective role (:func:`.reads.accounts`)."""
        return reads.accounts(
            self.db, keys, search=search, person_id=person_id, handles=handles, limit=limit
        )

    def account_areas(self, min_posts: int = 2) -> pd.DataFrame:
        """The areas each account speaks in (:func:`.reads.account_areas`)."""
        return reads.account_areas(self.db, min_posts)

    def areas(self) -> dict[str, str]:
        return dict(self.db.rows("SELECT area_id, name FROM areas ORDER BY area_id"))

    def stats(self) -> dict[str, Any]:
        """Counts by table, platform, role and area; time span; the last run's summary."""
        return store_stats(self.db, self.location)

    def runs(self) -> pd.DataFrame:
        return self.db.frame(
            "SELECT run_id, started_at, finished_at, status, kolmap_version, inputs, summary "
            "FROM ingest_runs ORDER BY finished_at DESC"
        )

    def version(self) -> str:
        """The number and last id of the ingest runs, the number of suppressions and the
        last audited change (an erasure changes the version: the app's copies and caches
        of the old one are not read again)."""
        row = self.db.row(
            "SELECT (SELECT count(*) FROM ingest_runs), (SELECT max(run_id) FROM ingest_runs), "
            "(SELECT count(*) FROM suppressions), (SELECT max(event_id) FROM audit_log)"
        )
        assert row is not None
        return f"{self.location}|{row[0]}|{row[1]}|{row[2]}|{row[3]}"

    def fingerprint(self, *, provenance: bool = True) -> str:
        """Row counts and an order-independent hash of every graph table.

        With ``provenance=False`` the ids of the runs that added or last changed each row
        are left out, and so are keyed hashes (a withheld bio's), so two stores built by
        different runs from the same files, each with its own key, compare equal (a resumed
        ingest against one clean run).
        """
        parts = []
        for table in GRAPH_TABLES:
            source = table
            if not provenance:
                left_out = ("run_id", "updated_run_id", "bio_withheld")
                kept = [c for c in TABLE[table].columns if c not in left_out]
                source = f"(SELECT {', '.join(kept)} FROM {table})"
            row = self.db.row(
                f"SELECT count(*), COALESCE(sum(hash(t)::HUGEINT), 0) FROM {source} t"
            )
            assert row is not None
            parts.append(f"{table}:{row[0]}:{row[1]}")
        return "|".join(parts)

    def write_snapshot(self, target: Path) -> None:
        """Checkpoint (so the file alone holds every committed change), then copy the file
        to ``target`` through a temporary file renamed into place. This store's own
        connection keeps other processes from writing meanwhile."""
        if self.location == ":memory:":
            raise StoreError("a store in memory has no file to copy")
        self.db.execute("CHECKPOINT")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(self.location, partial)
        os.replace(partial, target)

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a read query on the store's tables (for tests and power users; not part of
        :class:`~kolmap.graph.store.GraphStore`); values only as parameters."""
        return self.db.frame(query, list(params))
