"""Saved views of the app in a DuckDB store: a page and its filters, kept by name.

A view's ``params`` are the page's address parameters (``area``, ``kind``, ``account``...) as
a JSON object. Saving a name again replaces that view; erasing or suppressing an account
removes the views that open its profile (:mod:`kolmap.graph.duckdb.suppressions`).

>>> from kolmap.graph.duckdb.connection import Connection
>>> from kolmap.graph.duckdb.schema import ensure_schema
>>> db = Connection.memory(); ensure_schema(db, ":memory:")
>>> with db.transaction():
...     save_view(db, "Onco DOLs", "leaderboard", {"area": "oncology", "kind": "dol"}, "ana")
>>> saved_views(db)[["name", "page", "params"]].values.tolist()
[['Onco DOLs', 'leaderboard', {'area': 'oncology', 'kind': 'dol'}]]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd

from kolmap.graph.duckdb.connection import Connection

__all__ = ["delete_view", "save_view", "saved_views"]


def save_view(
    db: Connection, name: str, page: str, params: Mapping[str, str | list[str]], owner: str
) -> None:
    """Keep (or replace) the view ``name``: ``page`` with its address ``params`` (call
    inside a transaction)."""
    if not name.strip():
        raise ValueError("a saved view needs a name")
    text = json.dumps(dict(params), ensure_ascii=False, sort_keys=True)
    db.execute("DELETE FROM saved_views WHERE name = ?", [name.strip()])
    db.execute(
        "INSERT INTO saved_views (name, page, params, owner, updated_at) VALUES (?, ?, ?, ?, ?)",
        [name.strip(), page, text, owner, datetime.now(UTC)],
    )


def saved_views(db: Connection) -> pd.DataFrame:
    """Every saved view, newest first: ``name, page, params`` (a dict), ``owner, updated_at``."""
    frame = db.frame(
        "SELECT name, page, params, owner, updated_at FROM saved_views "
        "ORDER BY updated_at DESC, name"
    )
    params = [json.loads(p) if isinstance(p, str) else dict(p) for p in frame["params"]]
    frame["params"] = pd.Series(params, index=frame.index, dtype=object)
    return frame


def delete_view(db: Connection, name: str) -> bool:
    """Remove the view ``name`` (call inside a transaction); whether there was one."""
    return bool(db.scalar("DELETE FROM saved_views WHERE name = ?", [name]))
