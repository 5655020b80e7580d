"""Saved shortlists in a DuckDB store: entries and their trail, written in one transaction.

An entry keeps a copy of what the account was added as (handle, name, role, score...), so a
list reads the same after a re-ingest; erasing or suppressing an account removes it from every
list and trail (:mod:`kolmap.graph.duckdb.suppressions`).

>>> from kolmap.graph.duckdb.connection import Connection
>>> from kolmap.graph.duckdb.schema import ensure_schema
>>> db = Connection.memory(); ensure_schema(db, ":memory:")
>>> add = {"platform": "x", "account_id": "1", "handle": "dr_a", "score": 91.5}
>>> with db.transaction():
...     edit_shortlist(db, ShortlistEdit("asco", "ana", add=[add]))
{'added': 1, 'updated': 0, 'removed': 0}
>>> shortlist(db, "asco")[["handle", "status", "owner"]].values.tolist()
[['dr_a', 'proposed', 'ana']]
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.store import ShortlistEdit, stamped_id
from kolmap.model import AccountKey
from kolmap.tables import TABLE

__all__ = ["edit_shortlist", "shortlist", "shortlist_events", "shortlists"]

_ENTRY = TABLE["shortlists"].columns
_SHOWN = ("handle", "display_name", "role", "specialty", "area", "kind", "score", "added_from")


def edit_shortlist(db: Connection, edit: ShortlistEdit) -> dict[str, int]:
    """Apply ``edit`` (call inside a transaction); counts of accounts added, updated, removed."""
    now = datetime.now(UTC)
    counts = {"added": 0, "updated": 0, "removed": 0}
    for row in edit.add:
        key = AccountKey(str(row["platform"]), str(row["account_id"]))
        if _has(db, edit.shortlist, key):
            continue
        values: dict[str, Any] = {c: row.get(c) for c in _SHOWN}
        values.update(
            shortlist=edit.shortlist,
            platform=key.platform,
            account_id=key.account_id,
            note=str(row.get("note") or ""),
            status="proposed",
            owner=edit.owner,
            added_at=now,
            updated_at=now,
        )
        db.execute(
            f"INSERT INTO shortlists ({', '.join(_ENTRY)}) VALUES ({', '.join('?' * len(_ENTRY))})",
            [values[c] for c in _ENTRY],
        )
        _event(db, now, edit, key, "added", {"from": row.get("added_from")})
        counts["added"] += 1
    for column, changes in (("note", edit.notes), ("status", edit.statuses)):
        for key, value in changes.items():
            changed = db.scalar(
                f"""UPDATE shortlists SET {column} = ?, updated_at = ?
                    WHERE shortlist = ? AND platform = ? AND account_id = ?
                      AND {column} IS DISTINCT FROM ?""",
                [value, now, edit.shortlist, key.platform, key.account_id, value],
            )
            if changed:
                _event(db, now, edit, key, column, {column: value})
                counts["updated"] += 1
    for key in edit.remove:
        gone = db.scalar(
            "DELETE FROM shortlists WHERE shortlist = ? AND platform = ? AND account_id = ?",
            [edit.shortlist, key.platform, key.account_id],
        )
        if gone:
            _event(db, now, edit, key, "removed", {})
            counts["removed"] += 1
    return counts


def shortlists(db: Connection) -> pd.DataFrame:
    return db.frame(
        """SELECT shortlist, count(*) AS entries, string_agg(DISTINCT owner, ', ') AS owners,
                  max(updated_at) AS updated_at
           FROM shortlists GROUP BY shortlist ORDER BY updated_at DESC, shortlist"""
    )


def shortlist(db: Connection, name: str) -> pd.DataFrame:
    return db.frame(
        f"SELECT {', '.join(_ENTRY)} FROM shortlists WHERE shortlist = ? "
        # One click adds a ranked batch at one time: best first within it (it was by id).
        "ORDER BY added_at, score DESC NULLS LAST, platform, account_id",
        [name],
    )


def shortlist_events(db: Connection, name: str) -> pd.DataFrame:
    columns = TABLE["shortlist_events"].columns
    return db.frame(
        f"SELECT {', '.join(columns)} FROM shortlist_events WHERE shortlist = ? "
        "ORDER BY event_at DESC, event_id DESC",
        [name],
    )


def _has(db: Connection, name: str, key: AccountKey) -> bool:
    return bool(
        db.scalar(
            "SELECT count(*) FROM shortlists WHERE shortlist = ? AND platform = ? "
            "AND account_id = ?",
            [name, key.platform, key.account_id],
        )
    )


def _event(
    db: Connection,
    now: datetime,
    edit: ShortlistEdit,
    key: AccountKey,
    action: str,
    detail: dict[str, Any],
) -> None:
    db.execute(
        "INSERT INTO shortlist_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            stamped_id(now),
            now,
            edit.shortlist,
            key.platform,
            key.account_id,
            action,
            json.dumps(detail, default=str, ensure_ascii=False),
            edit.owner,
        ],
    )
