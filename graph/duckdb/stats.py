"""What is in a DuckDB store: counts by table, platform, role and area, the time span of its
posts and the last ingest run (``kolmap stats``, the app's overview).

>>> from kolmap.graph.duckdb import DuckDBStore
>>> DuckDBStore(":memory:").stats()["posts"]
0
"""

from __future__ import annotations

import json
from typing import Any

from kolmap.graph.duckdb.connection import Connection

__all__ = ["store_stats"]

# One count per key: the SQL that gives it.
_COUNTS = {
    "accounts": "SELECT count(*) FROM accounts WHERE NOT is_stub",
    "stub_accounts": "SELECT count(*) FROM accounts WHERE is_stub",
    "posts": "SELECT count(*) FROM posts",
    "follows": "SELECT count(*) FROM follows",
    "imported_edges": "SELECT count(*) FROM edges",
    "labels": "SELECT count(*) FROM labels",
    "hashtags": "SELECT count(DISTINCT tag) FROM post_hashtags",
    "persons": """SELECT count(DISTINCT COALESCE(person_id, platform || ':' || account_id))
                  FROM account_view
                  WHERE NOT is_stub AND role IN ('hcp', 'researcher', 'patient', 'public')""",
}
# One breakdown per key: SQL giving (name, count) rows.
_BREAKDOWNS = {
    "interactions": "SELECT kind, sum(count)::BIGINT FROM interactions GROUP BY kind ORDER BY kind",
    "by_platform": "SELECT platform, count(*) FROM accounts WHERE NOT is_stub "
    "GROUP BY 1 ORDER BY 2 DESC",
    "by_role": "SELECT role, count(*) FROM account_view WHERE NOT is_stub "
    "GROUP BY 1 ORDER BY 2 DESC",
    "accounts_by_area": "SELECT a.area, count(DISTINCT p.platform || ':' || p.author_id) "
    "FROM post_areas a JOIN posts p ON p.platform = a.platform AND p.post_id = a.post_id "
    "GROUP BY 1 ORDER BY 2 DESC, 1",
    "posts_by_area": "SELECT area, count(*) FROM post_areas GROUP BY 1 ORDER BY 2 DESC, 1",
}


def store_stats(db: Connection, location: str) -> dict[str, Any]:
    """Counts by table, platform, role and area; time span; the last run's summary."""
    out: dict[str, Any] = {"location": location}
    for key, sql in _COUNTS.items():
        out[key] = db.scalar(sql)
    for key, sql in _BREAKDOWNS.items():
        out[key] = dict(db.rows(sql))
    span = db.row("SELECT min(created_at)::VARCHAR, max(created_at)::VARCHAR FROM posts")
    out["first_post"], out["last_post"] = span if span else (None, None)
    last = db.row(
        "SELECT run_id, finished_at::VARCHAR, summary FROM ingest_runs "
        "WHERE status = 'completed' ORDER BY finished_at DESC LIMIT 1"
    )
    out["last_run"] = (
        {"run_id": last[0], "finished_at": last[1], "summary": json.loads(last[2])}
        if last
        else None
    )
    return out
