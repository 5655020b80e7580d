"""Staging an ingest run: its batches wait in a database beside the store until the merge.

:class:`Stage` is the DuckDB store's :class:`~kolmap.graph.store.IngestWriter`. Each batch is
committed into the staging database (``<store>.stage``, attached as ``kolmap_stage``), so an
ingest's memory is bounded by the batch size, not the input. Before the merge,
:meth:`Stage.prepare` edits the staged rows in place: opted-out accounts' rows go, and
``@handle`` ids become the real id of that handle when one is known.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.schema import STAGE, STAGE_SCHEMAS, stage_ddl, staging_table
from kolmap.graph.duckdb.suppressions import (
    HANDLE_HASH,
    ID_HASH,
    REDACTED_MENTION,
    handle_pattern,
)
from kolmap.graph.store import RunInfo
from kolmap.tables import RECORD_FIELDS

__all__ = ["Stage"]

# Staged columns that hold account ids, per record kind (rewritten by handle resolution).
# Suppression hashes learned while staging a run (see ``Stage._drop_suppressed``).
LEARNED = f"{STAGE}.learned_suppressions"
_ID_COLUMNS = (
    ("accounts", "account_id"),
    ("labels", "account_id"),
    ("posts", "author_id"),
    ("follows", "follower_id"),
    ("follows", "followed_id"),
    ("edges", "src_id"),
    ("edges", "dst_id"),
)


class Stage:
    """The batches of one ingest run (see module doc)."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.stats: dict[str, Any] = {}
        self.notes: dict[str, Any] = {}
        self._seq = 0

    def create(self) -> None:
        for kind in STAGE_SCHEMAS:
            self.db.execute(stage_ddl(kind))

    def remember(self, run: RunInfo) -> None:
        """Write which run this is into the staging file, so that the next run can record
        this one as interrupted if its process is killed."""
        self.db.execute(
            f"CREATE TABLE {STAGE}.run_info (run_id VARCHAR, started_at TIMESTAMPTZ, "
            "kolmap_version VARCHAR, inputs VARCHAR)"
        )
        self.db.execute(
            f"INSERT INTO {STAGE}.run_info VALUES (?, ?, ?, ?)",
            [run.run_id, run.started_at, run.kolmap_version, json.dumps(list(run.inputs))],
        )

    def reserve(self, count: int) -> int:
        """Set aside ``count`` staging positions and return the first. A reader that stages
        one file's rows out of order (the bulk CSV route) numbers them from here, so that the
        later of two rows with the same key still wins."""
        first = self._seq
        self._seq += count
        return first

    def add(
        self,
        kind: str,
        records: Sequence[Mapping[str, Any]],
        seq: Sequence[int] | None = None,
    ) -> None:
        """Stage one batch; keys outside :data:`~kolmap.tables.RECORD_FIELDS` are a
        programming error. Rows are staged in order unless ``seq`` gives their positions
        (from :meth:`reserve`)."""
        staging_table(kind)
        if not records:
            return
        extra = set(records[0]) - set(RECORD_FIELDS[kind])
        if extra:
            raise ValueError(f"{kind} records have unknown fields {sorted(extra)}")
        table = pa.Table.from_pylist(list(records), schema=STAGE_SCHEMAS[kind])
        if seq is None:
            seq = range(self.reserve(len(records)), self._seq)
        self.add_table(kind, table.append_column("seq", pa.array(seq, type=pa.int64())))

    def add_table(self, kind: str, table: pa.Table) -> None:
        """Stage an Arrow table of ``kind`` records with a ``seq`` column of positions from
        :meth:`reserve` (the columns of :data:`~kolmap.tables.RECORD_FIELDS`, any order)."""
        staged = staging_table(kind)
        names = list(RECORD_FIELDS[kind])
        if set(table.column_names) != {*names, "seq"}:
            raise ValueError(f"{kind} table has columns {table.column_names}")
        table = table.select([*names, "seq"]).cast(
            STAGE_SCHEMAS[kind].append(pa.field("seq", pa.int64()))
        )
        with self.db.registered("_batch", table):
            self.db.execute(f"INSERT INTO {staged} SELECT * FROM _batch")

    def discard(self, kind: str, first: int, count: int) -> None:
        """Drop the staged ``kind`` rows at positions ``first`` to ``first + count - 1``
        (a file whose bulk read failed, before it is read again row by row)."""
        self.db.execute(
            f"DELETE FROM {staging_table(kind)} WHERE seq >= ? AND seq < ?",
            [first, first + count],
        )

    def note(self, key: str, value: Any) -> None:
        """Attach run-level facts (files read, rows quarantined) to the stored run summary."""
        self.notes[key] = value

    def prepare(self) -> None:
        """Edit the staged rows before the merge: drop opted-out accounts' rows and rewrite
        handle ids to real ones. This writes the staging database only, so it runs before
        the merge transaction (a transaction writes one database)."""
        self.stats["suppressed"] = self._drop_suppressed()
        self.stats["handle_ids_resolved"] = self._canonicalise_handle_ids()

    def _drop_suppressed(self) -> dict[str, int]:
        """Remove staged rows of opted-out accounts before anything is merged.

        A staged account whose handle is suppressed is suppressed by its id too, and one
        whose id is suppressed by its handle (so no later mention brings it back as a
        stub): these learned hashes are kept in the staging database, and the merge adds
        them to the list (:data:`LEARNED`)."""
        db = self.db
        db.execute(f"CREATE OR REPLACE TABLE {LEARNED} (hash VARCHAR)")
        if db.scalar("SELECT count(*) FROM suppressions") == 0:
            return {}
        listed = "IN (SELECT hash FROM suppressions)"
        db.execute(
            f"""INSERT INTO {LEARNED} SELECT DISTINCT h FROM (
                SELECT {ID_HASH.format(p="platform", i="account_id")} AS h
                FROM {STAGE}.s_accounts
                WHERE handle IS NOT NULL
                  AND {HANDLE_HASH.format(p="platform", h="lower(handle)")} {listed}
                UNION ALL
                SELECT {HANDLE_HASH.format(p="platform", h="lower(handle)")}
                FROM {STAGE}.s_accounts
                WHERE handle IS NOT NULL
                  AND {ID_HASH.format(p="platform", i="account_id")} {listed})
            WHERE h NOT {listed}"""
        )
        gone = f"IN (SELECT hash FROM suppressions UNION ALL SELECT hash FROM {LEARNED})"
        counts: dict[str, int] = {"texts_redacted": self._redact_suppressed(gone)}
        for kind, column in _ID_COLUMNS:
            if kind in ("accounts", "labels", "posts"):
                counts[kind] = db.scalar(
                    f"DELETE FROM {STAGE}.s_{kind} "
                    f"WHERE {ID_HASH.format(p='platform', i=column)} {gone}"
                )
        for kind, (a, b) in (("follows", ("follower_id", "followed_id")),
                             ("edges", ("src_id", "dst_id"))):  # fmt: skip
            counts[kind] = db.scalar(
                f"""DELETE FROM {STAGE}.s_{kind}
                    WHERE {ID_HASH.format(p="platform", i=a)} {gone}
                    OR {ID_HASH.format(p="platform", i=b)} {gone}"""
            )
        return counts

    def _redact_suppressed(self, gone: str) -> int:
        """Other people's staged posts lose a suppressed handle (``@[erased]``, as erasure
        left the stored copies) and a repost of a suppressed account its copied text: an
        old file must not bring the person back in someone else's words."""
        db = self.db
        pairs = db.rows(
            f"""SELECT DISTINCT seq, handle FROM (
                   SELECT seq, platform, unnest(mentions) AS handle FROM {STAGE}.s_posts
                   WHERE text IS NOT NULL)
                WHERE {HANDLE_HASH.format(p="platform", h="lower(handle)")} {gone}"""
        )
        for seq, handle in pairs:
            pattern = handle_pattern(str(handle))
            db.execute(
                f"UPDATE {STAGE}.s_posts SET text = regexp_replace(text, ?, ?, 'g') WHERE seq = ?",
                [pattern, REDACTED_MENTION, seq],
            )
        copied = "lower(regexp_extract(text, '^RT @([A-Za-z0-9_]+)', 1))"
        emptied = db.scalar(
            f"""UPDATE {STAGE}.s_posts SET text = NULL
                WHERE repost_of_post_id IS NOT NULL AND text LIKE 'RT @%'
                  AND {HANDLE_HASH.format(p="platform", h=copied)} {gone}"""
        )
        return len({seq for seq, _ in pairs}) + emptied

    def _canonicalise_handle_ids(self) -> int:
        """Rewrite staged ``@handle`` ids to the real id of that handle when one is known
        (stored, or staged in this run), so handle-keyed rows never shadow a real account."""
        db = self.db
        db.execute(
            f"""CREATE TEMP TABLE h_map AS
            SELECT platform, '@' || handle_lc AS stub_id, min(account_id) AS real_id FROM (
                SELECT platform, account_id, handle_lc FROM accounts
                WHERE NOT is_stub AND account_id NOT LIKE '@%' AND handle_lc IS NOT NULL
                UNION ALL
                SELECT platform, account_id, lower(handle) FROM {STAGE}.s_accounts
                WHERE account_id NOT LIKE '@%' AND handle IS NOT NULL)
            GROUP BY platform, handle_lc"""
        )
        rewritten = 0
        for kind, column in _ID_COLUMNS:
            rewritten += db.scalar(
                f"""UPDATE {STAGE}.s_{kind} AS t SET {column} = h.real_id FROM h_map h
                    WHERE t.platform = h.platform AND t.{column} = h.stub_id"""
            )
        db.execute(f"DELETE FROM {STAGE}.s_follows WHERE follower_id = followed_id")
        db.execute("DROP TABLE h_map")
        return rewritten
