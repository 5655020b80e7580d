"""Projections: the part of the graph in a scope, built in SQL with temporary tables.

A :class:`~kolmap.graph.store.Scope` selects posts (platforms, time window, and an area or
hashtags); the relations those posts imply, the follows between the accounts involved and
the accounts themselves (with their counts in scope) make the projection scoring reads.
Every filter value is a bound parameter. The temporary tables live in a scratch transaction
(:meth:`~kolmap.graph.duckdb.connection.Connection.scratch`), or are dropped when the caller
holds a transaction already (an ingest run's derivation step).
"""

from __future__ import annotations

from typing import Any

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.schema import links_sql
from kolmap.graph.store import Projection, Scope

__all__ = ["SCOPED_POSTS_TEMP", "project", "scope_posts"]

# The temporary tables scope_posts makes (x_scoped: the posts in scope).
SCOPED_POSTS_TEMP = ("x_base", "x_scoped", "x_marked")
_PROJECTION_TEMP = (*SCOPED_POSTS_TEMP, "x_inter", "x_members", "x_follows", "x_nodes")


def window(scope: Scope, start: str, end: str) -> tuple[list[str], list[Any]]:
    """SQL conditions (with their parameters) for the scope's platforms and time window:
    rows must end (``end`` column) after ``since`` and start (``start``) before ``until``."""
    where = ["TRUE"]
    params: list[Any] = []
    if scope.platforms:
        where.append("list_contains(?, platform)")
        params.append(list(scope.platforms))
    if scope.since:
        where.append(f"{end} >= ?")
        params.append(scope.since)
    if scope.until:
        where.append(f"{start} < ?")
        params.append(scope.until)
    return where, params


def scope_posts(db: Connection, scope: Scope) -> None:
    """Create temp tables ``x_base`` (posts in the platform and time filters) and
    ``x_scoped`` (those in the scope's area or hashtags too, or whose reply, repost or quote
    target is); call inside :meth:`Connection.scratch`."""
    base_where, params = window(scope, "created_at", "created_at")
    # A placeholder is a post known only because another one replies to, reposts or quotes
    # it (no text, no date, not a repost itself): it carries relations, but its author did
    # not write it here, so it never counts as their post nor in their engagement.
    db.execute(
        f"""CREATE TEMP TABLE x_base AS SELECT platform, post_id, author_id,
            created_at, reply_to_post_id, repost_of_post_id, quote_of_post_id,
            likes, reposts, replies,
            (text IS NULL AND created_at IS NULL AND repost_of_post_id IS NULL)
                AS placeholder
            FROM posts WHERE {" AND ".join(base_where)}""",
        params,
    )
    if not scope.is_topical:
        db.execute("CREATE TEMP TABLE x_scoped AS SELECT * FROM x_base")
        return
    marks = []
    mark_params: list[Any] = []
    if scope.area:
        marks.append("SELECT platform, post_id FROM post_areas WHERE area = ?")
        mark_params.append(scope.area)
    if scope.hashtags:
        marks.append("SELECT platform, post_id FROM post_hashtags WHERE list_contains(?, tag)")
        mark_params.append(list(scope.hashtags))
    db.execute("CREATE TEMP TABLE x_marked AS " + " INTERSECT ".join(marks), mark_params)
    ref_cols = ("post_id", "reply_to_post_id", "repost_of_post_id", "quote_of_post_id")
    union = " UNION ".join(
        f"SELECT b.* FROM x_base b SEMI JOIN x_marked m ON m.platform = b.platform "
        f"AND m.post_id = b.{col}"
        for col in ref_cols
    )
    db.execute(f"CREATE TEMP TABLE x_scoped AS {union}")
    db.execute("DROP TABLE x_marked")


def project(db: Connection, scope: Scope) -> Projection:
    """The accounts and relations in ``scope`` (see :class:`~kolmap.graph.store.Scope`)."""
    with db.scratch(*_PROJECTION_TEMP):
        scope_posts(db, scope)
        _interactions(db)
        if scope.is_topical:
            _topical_members(db, scope)
        else:
            _all_members(db, scope)
        _nodes(db, scope)
        nodes = db.frame("SELECT * EXCLUDE (idx) FROM x_nodes ORDER BY idx")
        edges = _edges(db)
    return Projection(scope=scope, nodes=nodes, edges=edges)


def _account_filter(scope: Scope) -> tuple[str, list[Any]]:
    if scope.platforms:
        return "list_contains(?, platform)", [list(scope.platforms)]
    return "TRUE", []


def _interactions(db: Connection) -> None:
    """``x_inter``: the relations the posts in scope imply, counted per account pair."""
    db.execute(
        f"""CREATE TEMP TABLE x_inter AS
        WITH links AS (
        {links_sql("x_scoped")})
        SELECT platform, src, dst, kind, count(*)::BIGINT AS count,
               min(created_at) AS first_at, max(created_at) AS last_at
        FROM links WHERE src <> dst GROUP BY platform, src, dst, kind"""
    )


def _topical_members(db: Connection, scope: Scope) -> None:
    """``x_members``: who posted or was reached in scope (and, for an area, whose bio names
    it); ``x_follows``: the follows among them."""
    acct_where, acct_params = _account_filter(scope)
    member_sql = """CREATE TEMP TABLE x_members AS
        SELECT platform, author_id AS account_id FROM x_scoped
        UNION SELECT platform, src FROM x_inter
        UNION SELECT platform, dst FROM x_inter"""
    member_params: list[Any] = []
    if scope.area:
        member_sql += (
            f" UNION SELECT platform, account_id FROM accounts "
            f"WHERE list_contains(bio_areas, ?) AND {acct_where}"
        )
        member_params = [scope.area, *acct_params]
    db.execute(member_sql, member_params)
    db.execute(
        """CREATE TEMP TABLE x_follows AS
        SELECT f.platform, f.follower_id AS src, f.followed_id AS dst
        FROM follows f
        SEMI JOIN x_members a ON a.platform = f.platform AND a.account_id = f.follower_id
        SEMI JOIN x_members b
               ON b.platform = f.platform AND b.account_id = f.followed_id"""
    )


def _all_members(db: Connection, scope: Scope) -> None:
    """Without a topic: every account and follow on the scope's platforms, and the imported
    relations (they carry no topic; under a time window only those inside it)."""
    acct_where, acct_params = _account_filter(scope)
    where, params = window(scope, "first_at", "last_at")
    where.append("kind <> 'FOLLOWS'")
    db.execute(
        f"""INSERT INTO x_inter SELECT platform, src_id, dst_id, kind, count, first_at,
            last_at FROM edges WHERE {" AND ".join(where)}""",
        params,
    )
    db.execute(
        f"""CREATE TEMP TABLE x_members AS SELECT platform, account_id
                    FROM accounts WHERE {acct_where}""",
        acct_params,
    )
    db.execute(
        f"""CREATE TEMP TABLE x_follows AS SELECT platform,
        follower_id AS src, followed_id AS dst FROM follows WHERE {acct_where}""",
        acct_params,
    )


def _nodes(db: Connection, scope: Scope) -> None:
    """``x_nodes``: every account in scope with its attributes and its counts in scope,
    numbered (``idx``) in platform and id order."""
    db.execute(
        """CREATE TEMP TABLE x_nodes AS
        WITH ids AS (
            SELECT platform, account_id FROM x_members
            UNION SELECT platform, src FROM x_follows
            UNION SELECT platform, dst FROM x_follows),
        totals AS (SELECT platform, author_id, count(*) AS n FROM x_base
                   WHERE NOT placeholder GROUP BY ALL),
        scoped AS (
            SELECT platform, author_id, count(*) AS n,
                   count(*) FILTER (WHERE repost_of_post_id IS NULL) AS n_original,
                   COALESCE(sum(likes) FILTER (WHERE repost_of_post_id IS NULL), 0) AS likes,
                   COALESCE(sum(reposts) FILTER (WHERE repost_of_post_id IS NULL), 0)
                       AS reposts,
                   COALESCE(sum(replies) FILTER (WHERE repost_of_post_id IS NULL), 0)
                       AS replies
            FROM x_scoped WHERE NOT placeholder GROUP BY ALL)
        SELECT (row_number() OVER (ORDER BY a.platform, a.account_id) - 1)::BIGINT AS idx,
               a.platform, a.account_id, a.handle, a.display_name, a.role, a.specialty,
               a.person_id, a.followers, a.verified, a.is_stub, a.lang, a.location,
               (a.bio IS NOT NULL) AS has_bio, a.role_confidence, a.role_source,
               a.affiliation, a.employer, a.automation_risk,
               COALESCE(t.n, 0)::BIGINT AS posts_total,
               COALESCE(s.n, 0)::BIGINT AS posts_in_scope,
               COALESCE(s.n_original, 0)::BIGINT AS original_posts_in_scope,
               COALESCE(list_contains(a.bio_areas, ?), FALSE) AS bio_in_area,
               COALESCE(s.likes, 0)::BIGINT AS likes,
               COALESCE(s.reposts, 0)::BIGINT AS reposts,
               COALESCE(s.replies, 0)::BIGINT AS replies
        FROM ids i JOIN account_view a
          ON a.platform = i.platform AND a.account_id = i.account_id
        LEFT JOIN totals t ON t.platform = a.platform AND t.author_id = a.account_id
        LEFT JOIN scoped s ON s.platform = a.platform AND s.author_id = a.account_id""",
        [scope.area or ""],
    )


def _edges(db: Connection) -> Any:
    """The relations and follows in scope between node positions, sorted."""
    # Join on one composite key (platforms never contain ':'): joining on platform and id
    # separately lets the optimiser pair the two node lists by platform alone.
    return db.frame("""
        WITH n AS (SELECT platform || ':' || account_id AS k, idx FROM x_nodes),
        e AS (
            SELECT platform || ':' || src AS sk, platform || ':' || dst AS dk, kind, count,
                   first_at, last_at FROM x_inter
            UNION ALL
            SELECT platform || ':' || src, platform || ':' || dst, 'FOLLOWS', 1::BIGINT,
                   NULL::TIMESTAMPTZ, NULL::TIMESTAMPTZ FROM x_follows)
        SELECT s.idx AS src, d.idx AS dst, e.kind, e.count, e.first_at, e.last_at
        FROM e JOIN n s ON s.k = e.sk JOIN n d ON d.k = e.dk
        ORDER BY 1, 2, 3""")
