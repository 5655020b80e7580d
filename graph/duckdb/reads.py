"""The store's read queries besides projections: posts, hashtags, accounts and their areas.

Each function takes the store's :class:`~.connection.Connection`; :class:`~.store.DuckDBStore`
answers the :class:`~kolmap.graph.store.GraphStore` reads with them. Every filter value is a
bound parameter.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> accounts(DuckDBStore(":memory:").db).empty
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.project import SCOPED_POSTS_TEMP, scope_posts
from kolmap.graph.duckdb.suppressions import keys_table
from kolmap.graph.store import Scope
from kolmap.model import AccountKey

__all__ = ["account_areas", "accounts", "posts", "top_hashtags", "top_hashtags_by_group"]


def posts(
    db: Connection,
    scope: Scope | None = None,
    *,
    authors: Sequence[AccountKey] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Posts in ``scope`` (by ``authors`` if given), newest first, with their hashtags
    and areas as lists."""
    sql = """SELECT p.platform, p.post_id, p.author_id, p.created_at, p.text, p.lang,
               p.likes, p.reposts, p.replies, p.reply_to_post_id, p.repost_of_post_id,
               p.quote_of_post_id,
               COALESCE((SELECT list(h.tag ORDER BY h.tag) FROM post_hashtags h
                         WHERE h.platform = p.platform AND h.post_id = p.post_id),
                        []) AS hashtags,
               COALESCE((SELECT list(a.area ORDER BY a.area) FROM post_areas a
                         WHERE a.platform = p.platform AND a.post_id = p.post_id),
                        []) AS areas
        FROM x_scoped s JOIN posts p ON p.platform = s.platform AND p.post_id = s.post_id"""
    params: list[Any] = []
    if authors is not None:
        sql += """ SEMI JOIN _authors k ON k.platform = p.platform
                                      AND k.account_id = p.author_id"""
    sql += " WHERE NOT s.placeholder"  # a post known only from another is not listed
    sql += " ORDER BY p.created_at DESC NULLS LAST, p.platform, p.post_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    with (
        db.scratch(*SCOPED_POSTS_TEMP),
        db.registered("_authors", keys_table(authors or [])),
    ):
        scope_posts(db, scope or Scope())
        return db.frame(sql, params)


def top_hashtags(db: Connection, scope: Scope | None = None, *, limit: int = 50) -> pd.DataFrame:
    """The most used hashtags in ``scope``: ``tag, posts, authors``."""
    with db.scratch(*SCOPED_POSTS_TEMP):
        scope_posts(db, scope or Scope())
        return db.frame(
            """SELECT h.tag, count(*) AS posts, count(DISTINCT s.author_id) AS authors
               FROM x_scoped s JOIN post_hashtags h
                 ON h.platform = s.platform AND h.post_id = s.post_id
               GROUP BY h.tag ORDER BY posts DESC, h.tag LIMIT ?""",
            [int(limit)],
        )


def top_hashtags_by_group(
    db: Connection, scope: Scope | None, groups: pd.DataFrame, *, limit: int = 8
) -> pd.DataFrame:
    """The ``limit`` most used hashtags of each group of authors in ``scope``: ``groups``
    maps ``platform, account_id`` to an integer ``group``; the answer has ``group, tag,
    uses`` rows, each group's most used first.

    Ties are broken as counting the tags of :meth:`posts` in its order would (a
    ``Counter``'s ``most_common``): the tag met first, newest post first, then by tag;
    so this is the same answer as counting every post's hashtags in Python, without
    reading the posts (an app's community summary)."""
    members = pa.table(
        {
            "platform": groups["platform"].astype(str).tolist(),
            "account_id": groups["account_id"].astype(str).tolist(),
            "grp": groups["group"].to_numpy(dtype="int64"),
        }
    )
    with db.scratch(*SCOPED_POSTS_TEMP), db.registered("_groups", members):
        scope_posts(db, scope or Scope())
        return db.frame(
            """WITH ordered AS (
                   SELECT platform, post_id, author_id, row_number() OVER (
                       ORDER BY created_at DESC NULLS LAST, platform, post_id) AS ord
                   FROM x_scoped),
               uses AS (
                   SELECT g.grp, h.tag, count(*) AS uses, min(o.ord) AS first
                   FROM ordered o
                   JOIN _groups g ON g.platform = o.platform AND g.account_id = o.author_id
                   JOIN post_hashtags h ON h.platform = o.platform AND h.post_id = o.post_id
                   GROUP BY g.grp, h.tag)
               SELECT grp AS "group", tag, uses FROM uses
               QUALIFY row_number() OVER (
                   PARTITION BY grp ORDER BY uses DESC, first, tag) <= ?
               ORDER BY grp, uses DESC, first, tag""",
            [int(limit)],
        )


def accounts(
    db: Connection,
    keys: Sequence[AccountKey] | None = None,
    *,
    search: str | None = None,
    person_id: str | None = None,
    handles: Sequence[tuple[str, str]] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Account attributes with the effective role (label wins over inference); ``handles``
    are ``(platform, handle)`` pairs, matched whole and in any case."""
    sql = "SELECT * EXCLUDE (handle_lc) FROM account_view a"
    params: list[Any] = []
    where = []
    if keys is not None:
        sql += " SEMI JOIN _keys k ON k.platform = a.platform AND k.account_id = a.account_id"
    if handles is not None:
        sql += " SEMI JOIN _handles h ON h.platform = a.platform AND h.handle = a.handle_lc"
    if search:
        # Or its id, whole: a contact list's accounts have nothing else to be found by.
        where.append(
            "(a.handle ILIKE ? ESCAPE '\\' OR a.display_name ILIKE ? ESCAPE '\\'"
            " OR a.account_id = ?)"
        )
        pattern = "%" + search.replace("%", r"\%").replace("_", r"\_") + "%"
        params += [pattern, pattern, search.strip()]
    if person_id is not None:
        where.append("a.person_id = ?")
        params.append(person_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.platform, a.account_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    named = pa.table(
        {
            "platform": pa.array([str(p) for p, _ in handles or []], pa.string()),
            "handle": pa.array([str(h).lower() for _, h in handles or []], pa.string()),
        }
    )
    with db.registered("_keys", keys_table(keys or [])), db.registered("_handles", named):
        return db.frame(sql, params)


def account_areas(db: Connection, min_posts: int = 2) -> pd.DataFrame:
    """The areas each account speaks in (``platform, account_id, areas``): its bio's
    areas and those of at least ``min_posts`` of its original posts."""
    return db.frame(
        """WITH posted AS (
               SELECT p.platform, p.author_id AS account_id, a.area
               FROM posts p JOIN post_areas a
                 ON a.platform = p.platform AND a.post_id = p.post_id
               WHERE p.repost_of_post_id IS NULL GROUP BY ALL HAVING count(*) >= ?),
           bio AS (
               SELECT platform, account_id, unnest(bio_areas) AS area FROM accounts
               WHERE bio_areas IS NOT NULL)
           SELECT platform, account_id, list_sort(list_distinct(list(area))) AS areas
           FROM (SELECT * FROM posted UNION SELECT * FROM bio)
           GROUP BY ALL ORDER BY platform, account_id""",
        [int(min_posts)],
    )
