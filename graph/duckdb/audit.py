"""The audit trail: one appended row per ingest (failed and interrupted ones too), export,
label change, erasure and suppression, with who did it and when.

Rows are only ever inserted (nothing in kolmap updates or deletes them, erasure included:
their facts name accounts by keyed hashes only, never by id or handle), and each row's
``facts`` is a JSON object (docs/compliance.md lists what each action records).

>>> db = Connection.memory()
>>> db.execute("CREATE TABLE audit_log (event_id VARCHAR, event_at TIMESTAMPTZ, "
...            "actor VARCHAR, action VARCHAR, facts JSON)")
>>> record(db, "erase", {"accounts": 1}, actor="ana")
>>> audit_log(db)[["actor", "action"]].to_dict("records")
[{'actor': 'ana', 'action': 'erase'}]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.store import current_actor, stamped_id

__all__ = ["audit_log", "record"]


def record(
    db: Connection, action: str, facts: Mapping[str, Any], *, actor: str | None = None
) -> None:
    """Append one event (inside the caller's transaction when there is one)."""
    now = datetime.now(UTC)
    db.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [stamped_id(now), now, actor or current_actor(), action, json.dumps(facts, default=str)],
    )


def audit_log(db: Connection, action: str | None = None) -> pd.DataFrame:
    """The trail, newest first; only ``action`` events when given."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    return db.frame(
        f"SELECT event_id, event_at, actor, action, facts FROM audit_log {where} "
        "ORDER BY event_at DESC, event_id DESC",
        params,
    )
