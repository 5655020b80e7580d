"""The merge of an ingest run: staged rows into the store, in one transaction.

Set-based SQL, table by table: staged rows with the same key fold into one (the last
non-empty value of each column wins), then merge with the stored rows, where an empty value
never erases a known one (:meth:`Merge.upsert`). Accounts, labels, posts (with their
mentions, hashtags and areas), follows and imported relations are merged in that order;
accounts that rows name but no row describes become stubs, and stubs known only by a handle
fold into the real account once it is known. :func:`merge_run` runs it all, then the run's
derivation step, and records the run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from kolmap.graph.duckdb import audit
from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.derive import DuckDBDerivation
from kolmap.graph.duckdb.schema import STAGE, STAGE_SCHEMAS, staging_table
from kolmap.graph.duckdb.stage import LEARNED, Stage
from kolmap.graph.duckdb.suppressions import BIO_HASH, HANDLE_HASH
from kolmap.graph.store import Derive, RunInfo
from kolmap.model import ACCOUNT_COLUMNS, POST_COLUMNS, RETWEET_ORIGINAL_PREFIX
from kolmap.sqltext import sql_string
from kolmap.tables import RECORD_FIELDS

__all__ = ["Merge", "merge_run"]


def merge_run(db: Connection, run: RunInfo, stage: Stage, derive: Derive | None) -> None:
    """Merge the staged rows into the store, run ``derive`` on the merged store and record
    the run with its summary (call inside the run's transaction)."""
    run_id = run.run_id
    for area_id, name in run.areas.items():
        db.execute("DELETE FROM areas WHERE area_id = ?", [area_id])
        db.execute("INSERT INTO areas VALUES (?, ?)", [area_id, name])
    # Hashes learned while staging (an account suppressed by handle arrived with its id).
    stats = stage.stats
    stats["suppressions_learned"] = db.scalar(
        f"""INSERT INTO suppressions SELECT DISTINCT hash, now(), 'learned' FROM {LEARNED}
            WHERE hash NOT IN (SELECT hash FROM suppressions)"""
    )
    merge = Merge(db, run_id)
    stats["accounts"] = merge.accounts()
    stats["labels"] = merge.upsert(
        "labels",
        ("platform", "account_id"),
        ("role", "specialty", "person_id", "affiliation", "employer"),
    )
    stats["posts"] = merge.posts()
    stats["follows"] = merge.follows()
    stats["edges"] = merge.edges()
    stats["stubs_merged"] = merge.handle_stubs()
    stats["posts"]["retweet_originals_folded"] += merge.retweet_originals("posts")
    stats["stubs_created"] = merge.stubs
    if derive is not None:
        stats["derived"] = dict(derive(DuckDBDerivation(db, run_id)))
    summary = {**stage.notes, "merge": stats}
    db.execute(
        "INSERT INTO ingest_runs VALUES (?, ?, ?, 'completed', ?, ?, ?)",
        [
            run_id,
            run.started_at,
            datetime.now(UTC),
            run.kolmap_version,
            json.dumps(list(run.inputs)),
            json.dumps(summary, default=str),
        ],
    )
    rows = {k: stats[k].get("added", 0) for k in ("accounts", "posts", "follows")}
    labels = {k: stats["labels"].get(k, 0) for k in ("added", "updated")}  # `kolmap label`
    facts = {"run_id": run_id, "status": "completed", "inputs": len(run.inputs)}
    audit.record(db, "ingest", {**facts, "added": rows, "labels": labels})


class Merge:
    """The merge of one run's staged rows (see module doc)."""

    def __init__(self, db: Connection, run_id: str) -> None:
        self.db = db
        self.run_id = run_id
        self.stubs = {"by_id": 0, "by_handle": 0}

    def dedupe(self, kind: str, keys: Sequence[str]) -> int:
        """Merge staged rows with the same key into ``d_<kind>``; return how many were folded.

        Per column, the last staged non-empty value wins (as in the merge with stored rows,
        empty never erases). A post's mentions, hashtags and areas come from its last row that
        has text, so a bare reference to a post cannot wipe what its full row said.
        """
        key_list = ", ".join(keys)
        columns = [f.name for f in STAGE_SCHEMAS[kind] if f.name not in keys]
        # A post's derived lists are kept only from a row with text.
        gated = {"mentions", "hashtags", "areas"} if kind == "posts" else set()
        # A row's own data outranks copies of it found in other rows ("reference" rows).
        referenced = "reference" in columns
        order = "seq"
        if referenced:
            order = "(CASE WHEN reference THEN 0 ELSE 1000000000000 END + seq)"
            columns.remove("reference")
        table = staging_table(kind)
        staged = self.db.scalar(f"SELECT count(*) FROM {table}")
        distinct = self.db.scalar(f"SELECT count(*) FROM (SELECT DISTINCT {key_list} FROM {table})")

        def condition(c: str) -> str:
            return "text IS NOT NULL" if c in gated else f"{c} IS NOT NULL"

        if distinct == staged:
            # Every key once (the usual case): the same values as the aggregation below
            # gives for one row, without its cost.
            values = ", ".join(
                f"CASE WHEN {condition(c)} THEN {c} END AS {c}" if c in gated else c
                for c in columns
            )
            if referenced:
                values += ", COALESCE(reference, FALSE) AS reference"
            select = f"SELECT {key_list}, {values}, seq FROM {table}"
        else:
            aggs = ", ".join(
                f"arg_max({c}, {order}) FILTER (WHERE {condition(c)}) AS {c}" for c in columns
            )
            if referenced:
                aggs += ", bool_and(COALESCE(reference, FALSE)) AS reference"
            select = f"SELECT {key_list}, {aggs}, max(seq) AS seq FROM {table} GROUP BY {key_list}"
        self.db.execute(f"CREATE TEMP TABLE d_{kind} AS {select}")
        return staged - distinct

    def upsert(
        self,
        kind: str,
        keys: Sequence[str],
        attrs: Sequence[str],
        *,
        exprs: Mapping[str, str] | None = None,
        extra_insert: Mapping[str, str] | None = None,
        deduped: bool = False,
    ) -> dict[str, int]:
        """Merge ``d_<kind>`` into ``<kind>``: empty new values never erase known ones.

        ``exprs`` overrides the merge expression of some attributes (``n`` is the new row,
        ``o`` the stored one). Returns added / updated / unchanged / duplicates counts.
        """
        db = self.db
        run_id = self.run_id
        duplicates = 0 if deduped else self.dedupe(kind, keys)
        exprs = dict(exprs or {})
        on = " AND ".join(f"o.{k} = n.{k}" for k in keys)
        referenced = "reference" in RECORD_FIELDS.get(kind, ())

        def merge(a: str) -> str:
            own = exprs.get(a, f"COALESCE(n.{a}, o.{a})")
            if not referenced:
                return own
            # A reference row only fills what the stored row lacks.
            gap = {
                "handle_lc": "COALESCE(o.handle_lc, lower(n.handle))",
                "is_stub": "FALSE",
                "bio_withheld": "o.bio_withheld",  # kept by the store only, never staged
            }.get(a, f"COALESCE(o.{a}, n.{a})")
            return f"CASE WHEN COALESCE(n.reference, FALSE) THEN {gap} ELSE {own} END"

        merged = ", ".join(f"{merge(a)} AS {a}" for a in attrs)
        db.execute(
            f"""CREATE TEMP TABLE m_{kind} AS
            SELECT {", ".join(f"n.{k}" for k in keys)}, {merged},
                   n.source_file AS n_source_file, n.source_line AS n_source_line,
                   o.{keys[-1]} IS NOT NULL AS existed
            FROM d_{kind} n LEFT JOIN {kind} o ON {on}""",
        )
        differs = " OR ".join(f"m.{a} IS DISTINCT FROM o.{a}" for a in attrs)
        m_on = " AND ".join(f"o.{k} = m.{k}" for k in keys)
        db.execute(
            f"""CREATE TEMP TABLE u_{kind} AS SELECT m.* FROM m_{kind} m
            JOIN {kind} o ON {m_on} WHERE {differs}""",
        )
        sets = ", ".join(f"{a} = u.{a}" for a in attrs)
        u_on = " AND ".join(f"o.{k} = u.{k}" for k in keys)
        db.execute(
            f"UPDATE {kind} AS o SET {sets}, updated_run_id = ? FROM u_{kind} u WHERE {u_on}",
            [run_id],
        )
        extra = dict(extra_insert or {})
        columns = [*keys, *attrs, "source_file", "source_line", "run_id", *extra]
        values = [*keys, *attrs, "n_source_file", "n_source_line", "?", *extra.values()]
        db.execute(
            f"""INSERT INTO {kind} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM m_{kind} WHERE NOT existed""",
            [run_id],
        )
        total = db.scalar(f"SELECT count(*) FROM m_{kind}")
        added = db.scalar(f"SELECT count(*) FROM m_{kind} WHERE NOT existed")
        updated = db.scalar(f"SELECT count(*) FROM u_{kind}")
        for prefix in ("d", "m", "u"):
            db.execute(f"DROP TABLE {prefix}_{kind}")
        return {
            "added": added,
            "updated": updated,
            "unchanged": total - added - updated,
            "duplicates": duplicates,
        }

    def accounts(self) -> dict[str, int]:
        db = self.db
        run_id = self.run_id
        duplicates = self.dedupe("accounts", ("platform", "account_id"))
        # A stub that turns real takes the real row's provenance.
        db.execute(
            """UPDATE accounts AS o SET source_file = n.source_file,
                           source_line = n.source_line, updated_run_id = ?
                       FROM d_accounts n WHERE o.platform = n.platform
                        AND o.account_id = n.account_id AND o.is_stub""",
            [run_id],
        )
        became_real = db.scalar(
            """SELECT count(*) FROM accounts o SEMI JOIN d_accounts n
            ON o.platform = n.platform AND o.account_id = n.account_id WHERE o.is_stub""",
        )
        # The bio's areas follow the bio: a row without a bio keeps the stored ones. Roles
        # are inferred after the merge, from the merged profiles (see ``derive``).
        keep_old = "(o.bio IS NOT NULL AND n.bio IS NULL AND NOT o.is_stub)"
        # A patient's bio is withheld after derivation (``withhold_patient_details``): the
        # same bio read again is no change (its keyed hash is all the store kept of it).
        same_withheld = (
            f"(o.bio_withheld IS NOT NULL AND {BIO_HASH.format(b='n.bio')} = o.bio_withheld)"
        )
        classified = {
            "bio_areas": f"CASE WHEN {keep_old} OR {same_withheld} THEN o.bio_areas "
            "ELSE COALESCE(n.bio_areas, o.bio_areas) END",
            "bio_withheld": f"CASE WHEN {same_withheld} THEN o.bio_withheld "
            "WHEN n.bio IS NOT NULL THEN NULL ELSE o.bio_withheld END",
        }
        attrs = (
            "handle",
            "handle_lc",
            "handle_raw",
            *ACCOUNT_COLUMNS[3:],  # display_name ... verified
            "is_stub",
            *classified,
        )
        exprs = {
            **classified,
            "bio": f"CASE WHEN {same_withheld} THEN o.bio ELSE COALESCE(n.bio, o.bio) END",
            "handle_lc": "lower(COALESCE(n.handle, o.handle))",
            # The raw form follows the handle it was normalised into.
            "handle_raw": "CASE WHEN n.handle IS NOT NULL THEN n.handle_raw ELSE o.handle_raw END",
            "is_stub": "FALSE",
        }
        stats = self.upsert(
            "accounts", ("platform", "account_id"), attrs, exprs=exprs, deduped=True
        )
        stats["duplicates"] = duplicates
        stats["stubs_completed"] = became_real
        return stats

    def handle_stubs(self) -> int:
        """Fold accounts known only by a handle (``@handle`` ids: stubs from mentions, or
        handle-keyed rows from exports without ids) into the real account with that handle:
        its mentions, posts, follows and labels move, and its details fill the real one's gaps.
        """
        db = self.db
        db.execute(
            """CREATE TEMP TABLE stub_map AS
            SELECT s.platform, s.account_id AS stub_id, r.account_id AS real_id
            FROM accounts s JOIN (
                SELECT platform, handle_lc, min(account_id) AS account_id FROM accounts
                WHERE NOT is_stub AND account_id NOT LIKE '@%' AND handle_lc IS NOT NULL
                GROUP BY platform, handle_lc) r
              ON s.platform = r.platform AND s.account_id = '@' || r.handle_lc""",
        )
        if db.scalar("SELECT count(*) FROM stub_map") == 0:
            db.execute("DROP TABLE stub_map")
            return 0
        fill = ", ".join(
            f"{c} = COALESCE(a.{c}, s.{c})"
            for c in ACCOUNT_COLUMNS[3:]  # display_name ... verified
        )
        db.execute(
            f"""UPDATE accounts AS a SET {fill} FROM stub_map m, accounts s
                WHERE s.platform = m.platform AND s.account_id = m.stub_id
                  AND a.platform = m.platform AND a.account_id = m.real_id""",
        )
        for table, column in (
            ("post_mentions", "account_id"),
            ("posts", "author_id"),
            ("follows", "follower_id"),
            ("follows", "followed_id"),
            ("edges", "src_id"),
            ("edges", "dst_id"),
        ):
            db.execute(
                f"""UPDATE {table} AS t SET {column} = m.real_id FROM stub_map m
                    WHERE t.platform = m.platform AND t.{column} = m.stub_id""",
            )
        # Folding may create duplicates or self-relations; keep one copy, drop self-links.
        db.execute("DELETE FROM follows WHERE follower_id = followed_id")
        db.execute(
            """DELETE FROM follows WHERE rowid NOT IN (SELECT min(rowid) FROM follows
               GROUP BY platform, follower_id, followed_id)""",
        )
        db.execute("DELETE FROM edges WHERE src_id = dst_id")
        db.execute(
            """DELETE FROM edges WHERE rowid NOT IN (SELECT min(rowid) FROM edges
               GROUP BY platform, src_id, dst_id, kind)""",
        )
        db.execute(
            """DELETE FROM post_mentions t USING posts p
               WHERE p.platform = t.platform AND p.post_id = t.post_id
                 AND p.author_id = t.account_id""",
        )
        db.execute(
            """DELETE FROM post_mentions WHERE rowid NOT IN (SELECT min(rowid)
               FROM post_mentions GROUP BY platform, post_id, account_id)""",
        )
        db.execute(
            """UPDATE labels AS l SET account_id = m.real_id FROM stub_map m
               WHERE l.platform = m.platform AND l.account_id = m.stub_id
                 AND NOT EXISTS (SELECT 1 FROM labels r WHERE r.platform = m.platform
                                   AND r.account_id = m.real_id)""",
        )
        db.execute(
            """DELETE FROM labels l USING stub_map m
               WHERE l.platform = m.platform AND l.account_id = m.stub_id""",
        )
        merged = db.scalar(
            """DELETE FROM accounts a USING stub_map sm
            WHERE a.platform = sm.platform AND a.account_id = sm.stub_id""",
        )
        db.execute("DROP TABLE stub_map")
        return merged

    def retweet_originals(self, table: str) -> int:
        """Fold the originals known only from ``RT @user: text`` (ids starting
        :data:`~kolmap.model.RETWEET_ORIGINAL_PREFIX`) in ``table`` (the staged ``d_posts``,
        or the stored ``posts``) into the author's own post of the same text when the store
        or the run holds it: retweets, replies and quotes point at the real post and the
        stand-in goes. A retweet cut at the old length limit ("…") matches the post its text
        begins (40 characters at least). On the 2014 #Celiac file 840 of 6,774 posts were such
        stand-ins for a post of the file, counted twice in the author's posts and shown undated
        on its profile. Returns how many were folded."""
        db = self.db
        prefix = sql_string(RETWEET_ORIGINAL_PREFIX)  # a constant of kolmap's, not data
        real = """SELECT p.platform, p.post_id, p.text, a.handle_lc
                  FROM {t} p JOIN accounts a
                    ON a.platform = p.platform AND a.account_id = p.author_id
                  WHERE NOT starts_with(p.post_id, {prefix}) AND p.text IS NOT NULL
                    AND (p.platform, a.handle_lc) IN (SELECT platform, handle_lc FROM stand_ins)"""
        sources = [real.format(t="posts", prefix=prefix)]
        if table != "posts":
            sources.append(real.format(t=table, prefix=prefix))
        db.execute(
            f"""CREATE TEMP TABLE stand_ins AS
                SELECT s.platform, s.post_id, s.text,
                       COALESCE(a.handle_lc, lower(ltrim(s.author_id, '@'))) AS handle_lc,
                       s.text LIKE '%…' OR s.text LIKE '%...' AS truncated,
                       rtrim(s.text, '….') AS stem
                FROM {table} s LEFT JOIN accounts a
                  ON a.platform = s.platform AND a.account_id = s.author_id
                WHERE starts_with(s.post_id, {prefix}) AND s.text IS NOT NULL""",
        )
        db.execute(
            f"""CREATE TEMP TABLE rt_map AS
                SELECT s.platform, s.post_id AS stand_in, min(r.post_id) AS real_id
                FROM stand_ins s JOIN ({" UNION ALL ".join(sources)}) r
                  ON r.platform = s.platform AND r.handle_lc = s.handle_lc
                 AND (r.text = s.text OR (s.truncated AND length(s.stem) >= 40
                                          AND starts_with(r.text, s.stem)))
                GROUP BY ALL""",
        )
        folded = db.scalar("SELECT count(*) FROM rt_map")
        if folded:
            # Only the rows of ``table`` can point at its stand-ins: a stored post that points
            # at a stand-in points at a stored one, which the pass over ``posts`` folds.
            for column in ("repost_of_post_id", "reply_to_post_id", "quote_of_post_id"):
                db.execute(
                    f"""UPDATE {table} AS t SET {column} = m.real_id FROM rt_map m
                        WHERE t.platform = m.platform AND t.{column} = m.stand_in""",
                )
            if table == "posts":
                for sub in ("post_mentions", "post_hashtags", "post_areas"):
                    db.execute(
                        f"""DELETE FROM {sub} t USING rt_map m
                            WHERE t.platform = m.platform AND t.post_id = m.stand_in""",
                    )
            db.execute(
                f"""DELETE FROM {table} t USING rt_map m
                    WHERE t.platform = m.platform AND t.post_id = m.stand_in""",
            )
        db.execute("DROP TABLE rt_map")
        db.execute("DROP TABLE stand_ins")
        return int(folded)

    def _create_id_stubs(self, source_sql: str) -> int:
        """Create stub accounts for ids in ``source_sql`` (platform, account_id, file, line)."""
        return self.db.scalar(
            f"""INSERT INTO accounts (platform, account_id, is_stub,
                inferred_role, source_file, source_line, run_id)
            SELECT platform, account_id, TRUE, 'unknown', min(source_file),
                   min(source_line), ?
            FROM ({source_sql}) s
            WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform
                                                       AND a.account_id = s.account_id)
            GROUP BY platform, account_id""",
            [self.run_id],
        )

    def posts(self) -> dict[str, int]:
        db = self.db
        run_id = self.run_id
        stubs = self.stubs
        duplicates = self.dedupe("posts", ("platform", "post_id"))
        folded = self.retweet_originals("d_posts")
        stubs["by_id"] += self._create_id_stubs(
            "SELECT platform, author_id AS account_id, source_file, source_line FROM d_posts",
        )
        # Sub-records of re-sent posts are replaced (a post without text keeps its old ones).
        # A reference copy of a post brings mentions and hashtags only if the post's own row
        # has not been stored with its text.
        db.execute(
            """CREATE TEMP TABLE t_posts AS SELECT platform, post_id, author_id, mentions,
               hashtags, areas, source_file, source_line FROM d_posts d
               WHERE text IS NOT NULL AND NOT (COALESCE(reference, FALSE) AND EXISTS (
                   SELECT 1 FROM posts p WHERE p.platform = d.platform
                     AND p.post_id = d.post_id AND p.text IS NOT NULL))""",
        )
        for sub in ("post_mentions", "post_hashtags", "post_areas"):
            db.execute(
                f"""DELETE FROM {sub} t USING t_posts p
                            WHERE t.platform = p.platform AND t.post_id = p.post_id""",
            )
        db.execute(
            """INSERT INTO post_hashtags SELECT DISTINCT platform, post_id, tag
            FROM (SELECT platform, post_id, unnest(hashtags) AS tag FROM t_posts)""",
        )
        db.execute(
            """INSERT INTO post_areas SELECT DISTINCT platform, post_id, area
            FROM (SELECT platform, post_id, unnest(areas) AS area FROM t_posts)""",
        )
        db.execute(
            """CREATE TEMP TABLE t_mentions AS
            SELECT platform, post_id, author_id, handle, lower(handle) AS handle_lc,
                   source_file, source_line
            FROM (SELECT *, unnest(mentions) AS handle FROM t_posts)""",
        )
        # Mentions of an opted-out handle are dropped (no stub may bring it back).
        if db.scalar("SELECT count(*) FROM suppressions"):
            db.execute(
                f"""DELETE FROM t_mentions WHERE
                {HANDLE_HASH.format(p="platform", h="handle_lc")}
                IN (SELECT hash FROM suppressions)""",
            )
        owners_sql = """CREATE OR REPLACE TEMP TABLE t_owners AS
            SELECT platform, handle_lc,
                   COALESCE(
                       min(account_id) FILTER (WHERE NOT is_stub AND account_id NOT LIKE '@%'),
                       min(account_id) FILTER (WHERE NOT is_stub),
                       min(account_id)) AS account_id
            FROM accounts WHERE handle_lc IS NOT NULL GROUP BY platform, handle_lc"""
        db.execute(owners_sql)
        stubs["by_handle"] += db.scalar(
            """INSERT INTO accounts (platform, account_id, handle, handle_lc,
                is_stub, inferred_role, source_file, source_line, run_id)
            SELECT platform, '@' || handle_lc, min(handle), handle_lc, TRUE, 'unknown',
                   min(source_file), min(source_line), ?
            FROM t_mentions m WHERE NOT EXISTS (SELECT 1 FROM t_owners o
                WHERE o.platform = m.platform AND o.handle_lc = m.handle_lc)
            GROUP BY platform, handle_lc""",
            [run_id],
        )
        db.execute(owners_sql)
        self_mentions = db.scalar(
            """SELECT count(*) FROM t_mentions m JOIN t_owners o
            ON o.platform = m.platform AND o.handle_lc = m.handle_lc
            WHERE o.account_id = m.author_id""",
        )
        db.execute(
            """INSERT INTO post_mentions SELECT DISTINCT m.platform, m.post_id, o.account_id
            FROM t_mentions m JOIN t_owners o
              ON o.platform = m.platform AND o.handle_lc = m.handle_lc
            WHERE o.account_id <> m.author_id""",
        )
        for tmp in ("t_posts", "t_mentions", "t_owners"):
            db.execute(f"DROP TABLE {tmp}")
        stats = self.upsert(
            "posts",
            ("platform", "post_id"),
            POST_COLUMNS[2:],  # every post attribute after the (platform, post_id) key
            deduped=True,
        )
        stats["duplicates"] = duplicates
        stats["self_mentions_ignored"] = self_mentions
        stats["retweet_originals_folded"] = folded
        return stats

    def edges(self) -> dict[str, int]:
        """Imported relations: parallel edges of one run add up (a source row counts once);
        against the store the latest file's count, first and last times replace the old."""
        db = self.db
        stubs = self.stubs
        db.execute(
            f"""CREATE TEMP TABLE d_edges AS
            SELECT platform, src_id, dst_id, kind, sum(COALESCE(count, 1))::BIGINT AS count,
                   min(first_at) AS first_at, max(last_at) AS last_at,
                   min(source_file) AS source_file, min(source_line) AS source_line
            FROM (SELECT DISTINCT ON (source_file, source_line, platform, src_id, dst_id, kind)
                      * FROM {STAGE}.s_edges WHERE src_id <> dst_id)
            GROUP BY platform, src_id, dst_id, kind""",
        )
        duplicates = db.scalar(f"SELECT count(*) FROM {STAGE}.s_edges") - db.scalar(
            "SELECT count(*) FROM d_edges"
        )
        stubs["by_id"] += self._create_id_stubs(
            """SELECT platform, src_id AS account_id, source_file, source_line FROM d_edges
               UNION ALL
               SELECT platform, dst_id, source_file, source_line FROM d_edges""",
        )
        stats = self.upsert(
            "edges",
            ("platform", "src_id", "dst_id", "kind"),
            ("count", "first_at", "last_at"),
            deduped=True,
            exprs={a: f"n.{a}" for a in ("count", "first_at", "last_at")},
        )
        stats["parallel_or_repeated"] = duplicates
        return stats

    def follows(self) -> dict[str, int]:
        db = self.db
        run_id = self.run_id
        stubs = self.stubs
        duplicates = self.dedupe("follows", ("platform", "follower_id", "followed_id"))
        stubs["by_id"] += self._create_id_stubs(
            """SELECT platform, follower_id AS account_id, source_file, source_line FROM d_follows
               UNION ALL
               SELECT platform, followed_id, source_file, source_line FROM d_follows""",
        )
        added = db.scalar(
            """INSERT INTO follows
            SELECT n.platform, n.follower_id, n.followed_id, n.source_file, n.source_line, ?
            FROM d_follows n WHERE NOT EXISTS (SELECT 1 FROM follows o
                WHERE o.platform = n.platform AND o.follower_id = n.follower_id
                  AND o.followed_id = n.followed_id)""",
            [run_id],
        )
        total = db.scalar("SELECT count(*) FROM d_follows")
        db.execute("DROP TABLE d_follows")
        return {"added": added, "unchanged": total - added, "duplicates": duplicates}
