"""The pharmacovigilance queue in the embedded store: candidate posts, queued items, reviews.

Items are only added (one per post, never twice) and reviewed; nothing else in kolmap
deletes them: an erasure or a retention purge leaves them (a legal duty to keep safety
reports, docs/compliance.md). Every review is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
import pyarrow as pa

from kolmap.graph.duckdb import audit
from kolmap.graph.duckdb.connection import Connection
from kolmap.tables import TABLE

__all__ = ["PV_STATUSES", "add_items", "items", "posts_naming", "review"]

PV_STATUSES = ("new", "confirmed", "dismissed", "forwarded")


def posts_naming(db: Connection, terms: Sequence[str]) -> pd.DataFrame:
    """Dated posts (not reposts) whose lower-cased, accent-free text holds one of ``terms``
    (already folded), with their author's role and whether the author is only a stub:
    ``platform, post_id, author_id, created_at, text, role, is_stub``. The caller matches
    whole words; this only narrows the scan."""
    if not terms:
        return pd.DataFrame(
            columns=["platform", "post_id", "author_id", "created_at", "text", "role", "is_stub"]
        )
    with db.registered("_terms", pa.table({"term": [str(t) for t in terms]})):
        return db.frame(
            """SELECT p.platform, p.post_id, p.author_id, p.created_at, p.text,
                      COALESCE(a.role, 'unknown') AS role, COALESCE(a.is_stub, TRUE) AS is_stub
               FROM posts p LEFT JOIN account_view a
                 ON a.platform = p.platform AND a.account_id = p.author_id
               WHERE p.text IS NOT NULL AND p.repost_of_post_id IS NULL
                 AND EXISTS (SELECT 1 FROM _terms t
                             WHERE contains(lower(strip_accents(p.text)), t.term))
               ORDER BY p.created_at, p.platform, p.post_id"""
        )


def add_items(db: Connection, table: pd.DataFrame) -> int:
    """Queue the items of ``table`` (columns of ``pv_queue``) not queued yet; returns how
    many were added (call inside a transaction)."""
    if table.empty:
        return 0
    columns = list(TABLE["pv_queue"].columns)
    arrow = pa.Table.from_pandas(table[columns], preserve_index=False)
    with db.registered("_pv_new", arrow):
        added = db.scalar(
            f"""INSERT INTO pv_queue ({", ".join(columns)})
                SELECT {", ".join(columns)} FROM _pv_new n
                WHERE n.item_id NOT IN (SELECT item_id FROM pv_queue)"""
        )
    if added:
        audit.record(db, "pv-scan", {"queued": added})
    return added


def items(db: Connection, status: str | None = None) -> pd.DataFrame:
    """The queue, oldest first (the order to work it in); only ``status`` items if given."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    columns = ", ".join(TABLE["pv_queue"].columns)
    return db.frame(f"SELECT {columns} FROM pv_queue {where} ORDER BY detected_at, item_id", params)


def review(db: Connection, item_id: str, status: str, by: str, note: str = "") -> bool:
    """Set an item's status (``confirmed``, ``dismissed``, ``forwarded``), with who, when
    and a note; audited. False when there is no such item (call inside a transaction)."""
    if status not in PV_STATUSES[1:]:
        raise ValueError(f"status must be one of {', '.join(PV_STATUSES[1:])}, not {status!r}")
    changed = db.scalar(
        "UPDATE pv_queue SET status = ?, status_by = ?, status_at = ?, note = ? WHERE item_id = ?",
        [status, by, datetime.now(UTC), note or None, item_id],
    )
    if changed:
        audit.record(db, "pv-review", {"item_id": item_id, "status": status}, actor=by)
    return bool(changed)
