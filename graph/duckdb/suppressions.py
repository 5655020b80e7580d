"""Erasing accounts, and suppressing them: erased now, and dropped from every later ingest.

An opted-out account is remembered only as keyed hashes (:data:`ID_HASH` of its id and
:data:`HANDLE_HASH` of its handle: SHA-256 of the store's secret key, the model's
:data:`~kolmap.model.SUPPRESSION_PREFIX` and the value), so the list itself names no one
and cannot be reversed with a dictionary of handles without the key (kept beside the store,
never in it; :func:`use_key` hands it to the connection). The staging step drops rows of
suppressed ids and handles (an account suppressed by handle is known by its id as soon as
it arrives, and one suppressed by id by its handle); the merge drops mentions of suppressed
handles.

>>> db = Connection.memory()
>>> use_key(db, b"k" * 32)
>>> len(db.row("SELECT " + ID_HASH.format(p="'x'", i="'42'"))[0])
64
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import pyarrow as pa

from kolmap.graph.duckdb.connection import Connection
from kolmap.model import SUPPRESSION_PREFIX, AccountKey

__all__ = [
    "BIO_HASH",
    "HANDLE_HASH",
    "HELD",
    "ID_HASH",
    "erase_keys",
    "key_check",
    "keys_table",
    "purge_posts",
    "subject_rows",
    "suppress_keys",
    "use_key",
]

# What an erased or suppressed handle becomes in other people's texts.
REDACTED_MENTION = "\\1@[erased]"

_KEY = "getvariable('kolmap_key')"
ID_HASH = "sha256(" + _KEY + " || '" + SUPPRESSION_PREFIX + "' || {p} || ':' || {i})"
HANDLE_HASH = "sha256(" + _KEY + " || '" + SUPPRESSION_PREFIX + "handle:' || {p} || ':' || {h})"
# What a patient's account keeps of its withheld bio: a keyed hash, to know it again.
BIO_HASH = "sha256(" + _KEY + " || 'kolmap-withheld-bio:' || {b})"


def use_key(db: Connection, key: bytes) -> None:
    """Hand the store's secret key to this connection's hashes (a session variable: it is
    never written to the database)."""
    db.execute("SET VARIABLE kolmap_key = ?", [hashlib.sha256(key).hexdigest()])


def key_check(key: bytes) -> str:
    """What the store keeps to tell whether a key is the one its hashes were made with (a
    hash of the key, which reveals nothing of it).

    >>> len(key_check(b"k"))
    16
    """
    return hashlib.sha256(b"kolmap-key-check:" + key).hexdigest()[:16]


def keys_table(keys: Sequence[AccountKey]) -> pa.Table:
    """Account keys as an Arrow table (``platform, account_id``) to join against."""
    return pa.table(
        {"platform": [k.platform for k in keys], "account_id": [k.account_id for k in keys]}
    )


def suppress_keys(db: Connection, keys: Sequence[AccountKey]) -> dict[str, int]:
    """Remember hashes of the accounts' ids and handles, then erase them (call inside a
    transaction). A key written ``@handle`` (an account known by its handle only, perhaps
    not ingested yet) suppresses that handle too, and with it every account that has it."""
    with db.registered("_keys", keys_table(keys)):
        before = db.scalar("SELECT count(*) FROM suppressions")
        db.execute(
            f"""INSERT INTO suppressions
            SELECT DISTINCT h, now(), 'account' FROM (
                SELECT {ID_HASH.format(p="k.platform", i="k.account_id")} AS h
                FROM _keys k
                UNION ALL
                SELECT {HANDLE_HASH.format(p="k.platform", h="lower(substr(k.account_id, 2))")}
                FROM _keys k WHERE k.account_id LIKE '@%'
                UNION ALL
                SELECT {HANDLE_HASH.format(p="a.platform", h="a.handle_lc")}
                FROM accounts a SEMI JOIN _keys k
                  ON k.platform = a.platform AND (k.account_id = a.account_id
                     OR (k.account_id LIKE '@%' AND lower(substr(k.account_id, 2)) = a.handle_lc))
                WHERE a.handle_lc IS NOT NULL
                UNION ALL
                SELECT {ID_HASH.format(p="a.platform", i="a.account_id")}
                FROM accounts a SEMI JOIN _keys k
                  ON k.platform = a.platform AND k.account_id LIKE '@%'
                 AND lower(substr(k.account_id, 2)) = a.handle_lc)
            WHERE h NOT IN (SELECT hash FROM suppressions)"""
        )
        # Every stored account with a suppressed handle goes too.
        keys = [
            *keys,
            *(
                AccountKey(p, a)
                for p, a in db.rows(
                    """SELECT a.platform, a.account_id FROM accounts a SEMI JOIN _keys k
                       ON k.platform = a.platform AND k.account_id LIKE '@%'
                      AND lower(substr(k.account_id, 2)) = a.handle_lc"""
                )
            ),
        ]
        added = db.scalar("SELECT count(*) FROM suppressions") - before
    counts = erase_keys(db, keys)
    counts["suppression_hashes_added"] = added
    return counts


def _redact_others(db: Connection) -> dict[str, int]:
    """Other people's posts and bios keep their words but not the erased accounts': each
    ``@handle`` of an erased account becomes ``@[erased]``, and a repost of an erased post
    loses the text it copied ("RT @handle: ..."). Needs ``e_keys`` and ``e_posts``."""
    handles = [
        str(row[0])
        for row in db.rows(
            """SELECT DISTINCT a.handle_lc FROM accounts a SEMI JOIN e_keys k
               ON k.platform = a.platform AND k.account_id = a.account_id
               WHERE a.handle_lc IS NOT NULL
               UNION SELECT DISTINCT lower(substr(account_id, 2)) FROM e_keys
               WHERE account_id LIKE '@%'"""
        )
    ]
    counts = {"reposts_emptied": 0, "posts_redacted": 0, "bios_redacted": 0}
    counts["reposts_emptied"] = db.scalar(
        """UPDATE posts t SET text = NULL FROM e_posts e
           WHERE t.platform = e.platform AND t.repost_of_post_id = e.post_id
             AND t.text IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM e_posts o
                             WHERE o.platform = t.platform AND o.post_id = t.post_id)"""
    )
    for handle in handles:
        pattern = handle_pattern(handle)
        for table, column in (("posts", "text"), ("accounts", "bio")):
            key = "posts_redacted" if table == "posts" else "bios_redacted"
            counts[key] += db.scalar(
                f"""UPDATE {table} SET {column} = regexp_replace({column}, ?, ?, 'g')
                    WHERE {column} ILIKE ? AND regexp_matches({column}, ?)""",
                [pattern, REDACTED_MENTION, f"%@{handle}%", pattern],
            )
    return counts


def handle_pattern(handle: str) -> str:
    r"""The RE2 pattern of a mention of ``handle`` in text, in any case; group 1 is what
    precedes the ``@`` (replace with :data:`REDACTED_MENTION`).

    >>> import re
    >>> pattern = handle_pattern("dr.x").removeprefix("(?i)")
    >>> re.sub(pattern, r"\1@[erased]", "hi @Dr.X! @dr.xy", flags=re.I)
    'hi @[erased]! @dr.xy'
    """
    return r"(?i)(^|[^\w@/])@" + re.escape(handle) + r"\b"


# Where an account's own data lies: each table with the condition (on its row ``t`` and the
# account ``k``) that finds it. Erasure deletes these rows (and its posts' sub-records); an
# access request (``kolmap subject``) returns them.
_SAME = "t.platform = k.platform AND t.account_id = k.account_id"
HELD = {
    "accounts": _SAME,
    "labels": _SAME,
    "text_roles": _SAME,  # evidence phrases from the bio
    "posts": "t.platform = k.platform AND t.author_id = k.account_id",
    "text_hashes": "t.platform = k.platform AND t.author_id = k.account_id",  # its posts' hashes
    "follows": "t.platform = k.platform AND k.account_id IN (t.follower_id, t.followed_id)",
    "edges": "t.platform = k.platform AND k.account_id IN (t.src_id, t.dst_id)",
    "post_mentions": _SAME,  # other people's posts that mention it
    "shortlists": _SAME,
    "registry_ids": _SAME,  # the registry numbers a user linked to it
    "shortlist_events": _SAME,  # a shortlist's trail names it
    # A saved view that opens the account's profile names it in its address.
    "saved_views": "json_extract_string(t.params, '$.account') = k.platform || ':' || k.account_id",
}


def subject_rows(db: Connection, key: AccountKey) -> dict[str, pd.DataFrame]:
    """Every row the store holds on ``key`` (see :data:`HELD`), by table."""
    with db.registered("_subject", keys_table([key])):
        return {
            table: db.frame(f"SELECT t.* FROM {table} t, _subject k WHERE {condition}")
            for table, condition in HELD.items()
        }


def erase_keys(db: Connection, keys: Sequence[AccountKey]) -> dict[str, int]:
    """Delete the accounts, their posts (with sub-records), relations, labels and text roles
    (call inside a transaction); counts per table."""
    counts: dict[str, int] = {}
    with db.registered("_erase", keys_table(keys)):
        db.execute("CREATE TEMP TABLE e_keys AS SELECT DISTINCT * FROM _erase")
    db.execute(
        """CREATE TEMP TABLE e_posts AS SELECT p.platform, p.post_id FROM posts p
           SEMI JOIN e_keys k ON k.platform = p.platform AND k.account_id = p.author_id"""
    )
    counts.update(_redact_others(db))
    for sub in ("post_mentions", "post_hashtags", "post_areas"):
        counts[sub] = db.scalar(
            f"""DELETE FROM {sub} t USING e_posts e
                WHERE t.platform = e.platform AND t.post_id = e.post_id"""
        )
    for table, condition in HELD.items():
        removed = db.scalar(f"DELETE FROM {table} t USING e_keys k WHERE {condition}")
        counts[table] = counts.get(table, 0) + removed
    db.execute("DROP TABLE e_keys")
    db.execute("DROP TABLE e_posts")
    return counts


def purge_posts(db: Connection, before: datetime) -> dict[str, int]:
    """Retention: fold the posts written before ``before`` into ``area_activity`` (counts
    per area, month and author role, added to what earlier purges kept), then delete them
    with their mentions, hashtags and areas (call inside a transaction)."""
    db.execute(
        "CREATE TEMP TABLE p_old AS SELECT platform, post_id, author_id, created_at, likes, "
        "reposts FROM posts WHERE created_at < ?",
        [before],
    )
    db.execute(
        """CREATE TEMP TABLE p_counts AS
           SELECT pa.area, date_trunc('month', p.created_at) AS month,
                  COALESCE(a.role, 'unknown') AS role, count(*) AS post_count,
                  count(DISTINCT p.author_id) AS authors,
                  COALESCE(sum(p.likes), 0) AS likes, COALESCE(sum(p.reposts), 0) AS reposts
           FROM p_old p JOIN post_areas pa ON pa.platform = p.platform AND pa.post_id = p.post_id
           LEFT JOIN account_view a ON a.platform = p.platform AND a.account_id = p.author_id
           GROUP BY ALL"""
    )
    db.execute(
        """INSERT INTO area_activity
           SELECT c.area, c.month, c.role, 0, 0, 0, 0 FROM p_counts c
           WHERE NOT EXISTS (SELECT 1 FROM area_activity o WHERE o.area = c.area
                             AND o.month = c.month AND o.role = c.role)"""
    )
    db.execute(
        """UPDATE area_activity o SET post_count = o.post_count + c.post_count,
                  authors = o.authors + c.authors, likes = o.likes + c.likes,
                  reposts = o.reposts + c.reposts
           FROM p_counts c WHERE o.area = c.area AND o.month = c.month AND o.role = c.role"""
    )
    counts = {}
    for table in ("post_mentions", "post_hashtags", "post_areas", "text_hashes", "posts"):
        counts[table] = db.scalar(
            f"""DELETE FROM {table} t USING p_old o
                WHERE t.platform = o.platform AND t.post_id = o.post_id"""
        )
    db.execute("DROP TABLE p_old")
    db.execute("DROP TABLE p_counts")
    return counts
