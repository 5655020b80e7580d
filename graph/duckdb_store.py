"""The embedded store: one DuckDB file holding the whole property graph.

Nodes and relations are tables (see docs/data-model.md). An ingest run stages its batches in
temporary tables and merges them in set-based SQL inside one transaction, so a failed run
leaves the file exactly as it was and re-ingesting the same records changes nothing.
Every value reaches DuckDB as a bound parameter or through a registered Arrow table; SQL
text is only ever assembled from the fixed column lists below.

>>> store = DuckDBStore(":memory:")
>>> store.stats()["accounts"]
0
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from kolmap.errors import StoreError
from kolmap.graph.duckdb_derive import DuckDBDerivation
from kolmap.graph.store import RECORD_FIELDS, Derive, Projection, RunInfo, Scope
from kolmap.model import ACCOUNT_COLUMNS, POST_COLUMNS, SUPPRESSION_PREFIX, AccountKey

__all__ = ["SCHEMA_VERSION", "TRANSFER_TABLES", "DuckDBStore", "remove_database_files"]

SCHEMA_VERSION = "2"
# The attached database an ingest run stages its rows in (see DuckDBStore.ingest).
_STAGE = "kolmap_stage"

_STR = pa.string()
_INT = pa.int64()
_TIME = pa.timestamp("us", tz="UTC")
_LIST = pa.list_(pa.string())
_TYPES: dict[str, pa.DataType] = {
    "followers": _INT,
    "following": _INT,
    "likes": _INT,
    "reposts": _INT,
    "replies": _INT,
    "source_line": _INT,
    "verified": pa.bool_(),
    "created_at": _TIME,
    "bio_areas": _LIST,
    "mentions": _LIST,
    "hashtags": _LIST,
    "areas": _LIST,
    "reference": pa.bool_(),
    "count": _INT,
    "first_at": _TIME,
    "last_at": _TIME,
}
_SQL_TYPES = {
    _STR: "VARCHAR",
    _INT: "BIGINT",
    _TIME: "TIMESTAMPTZ",
    _LIST: "VARCHAR[]",
    pa.bool_(): "BOOLEAN",
}
STAGE_SCHEMAS = {
    kind: pa.schema([(name, _TYPES.get(name, _STR)) for name in names])
    for kind, names in RECORD_FIELDS.items()
}

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, status VARCHAR,
    kolmap_version VARCHAR, inputs JSON, summary JSON);
CREATE TABLE IF NOT EXISTS areas (area_id VARCHAR, name VARCHAR);
CREATE TABLE IF NOT EXISTS suppressions (hash VARCHAR, added_at TIMESTAMPTZ, scope VARCHAR);
CREATE TABLE IF NOT EXISTS exports (
    export_id VARCHAR, exported_at TIMESTAMPTZ, format VARCHAR, path VARCHAR, filters JSON,
    rows BIGINT, sha256 VARCHAR, pseudonymised BOOLEAN, kolmap_version VARCHAR);
CREATE TABLE IF NOT EXISTS accounts (
    platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, handle VARCHAR, handle_lc VARCHAR,
    display_name VARCHAR, bio VARCHAR, followers BIGINT, following BIGINT, location VARCHAR,
    lang VARCHAR, url VARCHAR, verified BOOLEAN, created_at TIMESTAMPTZ,
    is_stub BOOLEAN NOT NULL, bio_areas VARCHAR[],
    inferred_role VARCHAR, role_confidence DOUBLE, role_evidence VARCHAR, role_source VARCHAR,
    inferred_specialty VARCHAR, affiliation VARCHAR, employer VARCHAR,
    automation_risk DOUBLE, automation_evidence VARCHAR,
    source_file VARCHAR, source_line BIGINT, run_id VARCHAR, updated_run_id VARCHAR);
CREATE TABLE IF NOT EXISTS labels (
    platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, role VARCHAR, specialty VARCHAR,
    person_id VARCHAR, affiliation VARCHAR, employer VARCHAR, source_file VARCHAR,
    source_line BIGINT, run_id VARCHAR, updated_run_id VARCHAR);
CREATE TABLE IF NOT EXISTS text_roles (
    platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, profile_hash VARCHAR,
    role VARCHAR, confidence DOUBLE, evidence VARCHAR, specialty VARCHAR, specialty_area VARCHAR,
    affiliation VARCHAR, employer VARCHAR, informative BOOLEAN);
CREATE TABLE IF NOT EXISTS follows (
    platform VARCHAR NOT NULL, follower_id VARCHAR NOT NULL, followed_id VARCHAR NOT NULL,
    source_file VARCHAR, source_line BIGINT, run_id VARCHAR);
CREATE TABLE IF NOT EXISTS posts (
    platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, author_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ, text VARCHAR, reply_to_post_id VARCHAR, repost_of_post_id VARCHAR,
    quote_of_post_id VARCHAR, likes BIGINT, reposts BIGINT, replies BIGINT, lang VARCHAR,
    source_file VARCHAR, source_line BIGINT, run_id VARCHAR, updated_run_id VARCHAR);
CREATE TABLE IF NOT EXISTS edges (
    platform VARCHAR NOT NULL, src_id VARCHAR NOT NULL, dst_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, count BIGINT, first_at TIMESTAMPTZ, last_at TIMESTAMPTZ,
    source_file VARCHAR, source_line BIGINT, run_id VARCHAR, updated_run_id VARCHAR);
CREATE TABLE IF NOT EXISTS post_mentions (
    platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, account_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS post_hashtags (
    platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, tag VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS post_areas (
    platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, area VARCHAR NOT NULL);
CREATE OR REPLACE VIEW account_view AS
    SELECT a.* REPLACE (
               CASE WHEN l.role IS NOT NULL THEN 1.0 ELSE a.role_confidence END
                   AS role_confidence,
               CASE WHEN l.role IS NOT NULL THEN 'label: ' || l.role ELSE a.role_evidence END
                   AS role_evidence,
               CASE WHEN l.role IS NOT NULL THEN 'label' ELSE a.role_source END AS role_source,
               CASE WHEN l.affiliation IS NOT NULL THEN NULLIF(l.affiliation, 'none')
                    ELSE a.affiliation END AS affiliation,
               CASE WHEN l.affiliation IS NOT NULL THEN l.employer ELSE a.employer END
                   AS employer),
           COALESCE(l.role, a.inferred_role, 'unknown') AS role,
           (l.role IS NOT NULL) AS role_from_label,
           COALESCE(l.specialty, a.inferred_specialty) AS specialty, l.person_id
    FROM accounts a LEFT JOIN labels l
      ON l.platform = a.platform AND l.account_id = a.account_id;
CREATE OR REPLACE VIEW interactions AS
    WITH links AS (
        SELECT p.platform, p.post_id, p.author_id AS src, q.author_id AS dst,
               'REPLIES_TO' AS kind, p.created_at
        FROM posts p JOIN posts q ON q.platform = p.platform AND q.post_id = p.reply_to_post_id
        UNION ALL
        SELECT p.platform, p.post_id, p.author_id, q.author_id, 'REPOSTS', p.created_at
        FROM posts p JOIN posts q ON q.platform = p.platform AND q.post_id = p.repost_of_post_id
        UNION ALL
        SELECT p.platform, p.post_id, p.author_id, q.author_id, 'QUOTES', p.created_at
        FROM posts p JOIN posts q ON q.platform = p.platform AND q.post_id = p.quote_of_post_id
        UNION ALL
        SELECT p.platform, p.post_id, p.author_id, m.account_id, 'MENTIONS', p.created_at
        FROM post_mentions m JOIN posts p ON p.platform = m.platform AND p.post_id = m.post_id),
    derived AS (
        SELECT platform, src, dst, kind, count(*) AS count, min(created_at) AS first_at,
               max(created_at) AS last_at, list(post_id ORDER BY post_id) AS post_ids
        FROM links WHERE src <> dst GROUP BY platform, src, dst, kind)
    SELECT * FROM derived
    UNION ALL
    SELECT platform, src_id, dst_id, kind, count, first_at, last_at, []::VARCHAR[]
    FROM edges WHERE kind <> 'FOLLOWS';
"""

_SCHEMA_SQL_HASH = hashlib.sha256(_SCHEMA_SQL.encode("utf-8")).hexdigest()

# Every table a store's contents live in (what moves between a DuckDB and a Neo4j store).
TRANSFER_TABLES = (
    "areas",
    "accounts",
    "labels",
    "posts",
    "follows",
    "edges",
    "post_mentions",
    "post_hashtags",
    "post_areas",
    "suppressions",
    "ingest_runs",
    "exports",
)

_GRAPH_TABLES = (
    "edges",
    "accounts",
    "labels",
    "follows",
    "posts",
    "post_mentions",
    "post_hashtags",
    "post_areas",
    "areas",
)


class DuckDBStore:
    """The default, embedded store (one DuckDB file, or ``":memory:"`` for tests)."""

    def __init__(
        self, path: Path | str, *, read_only: bool = False, memory_limit: str = ""
    ) -> None:
        self.location = str(path)
        config: dict[str, str | bool | int | float | list[str]] = (
            {"memory_limit": memory_limit} if memory_limit else {}
        )
        try:
            if read_only and self.location != ":memory:" and not Path(self.location).exists():
                raise StoreError(f"{self.location}: no store here yet; run `kolmap ingest` first")
            self.con = duckdb.connect(self.location, read_only=read_only, config=config)
        except duckdb.IOException as err:
            raise StoreError(f"{self.location}: cannot open the store: {_first_line(err)}") from err
        except (duckdb.ParserException, duckdb.InvalidInputException) as err:
            if not config:
                raise StoreError(
                    f"{self.location}: not a usable DuckDB store: {_first_line(err)}"
                ) from err
            raise StoreError(
                f"store.memory_limit {memory_limit!r} is not a size DuckDB accepts (say 2GB or "
                f"512MB): {_first_line(err)}"
            ) from err
        except duckdb.Error as err:
            raise StoreError(
                f"{self.location}: not a usable DuckDB store: {_first_line(err)}"
            ) from err
        if not read_only:
            self._ensure_schema()
        else:
            self._check_version()

    # -- schema ---------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Declare the tables and views when the store is new, or was declared by a kolmap
        whose declaration differs (additive changes: new tables, replaced views); otherwise
        opening only reads. The declaration is a write transaction, and the app opens the
        store on every click. Incompatible changes bump SCHEMA_VERSION instead.
        """
        con = self.con
        exists = _scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'")
        if exists:
            self._check_version()
            declared = "SELECT count(*) FROM meta WHERE key = 'schema_sql' AND value = ?"
            if _scalar(con, declared, [_SCHEMA_SQL_HASH]):
                return
        _exec(con, "BEGIN TRANSACTION")
        try:
            _exec(con, _SCHEMA_SQL)
            if not exists:
                _exec(con, "INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            _exec(con, "DELETE FROM meta WHERE key = 'schema_sql'")
            _exec(con, "INSERT INTO meta VALUES ('schema_sql', ?)", [_SCHEMA_SQL_HASH])
            _exec(con, "COMMIT")
        except BaseException:
            _exec(con, "ROLLBACK")
            raise

    def _check_version(self) -> None:
        try:
            row = _row(
                self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            )
        except duckdb.CatalogException:
            raise StoreError(f"{self.location}: not a kolmap store (no meta table)") from None
        if row is None or row[0] != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise StoreError(
                f"{self.location}: store schema version {found}, this kolmap reads "
                f"{SCHEMA_VERSION}; re-ingest into a new store"
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def ingest(self, run: RunInfo, derive: Derive | None = None) -> Iterator[_Writer]:
        """Stage batches, then merge them all in one transaction (see :class:`GraphStore`).

        Batches are committed one by one into a staging database beside the store
        (``<store>.stage``), not into the store's own transaction: committed rows can leave
        memory (DuckDB spills them to that file), so an ingest's memory is bounded by the
        batch size and ``store.memory_limit``, not by the input's size. The store itself
        changes only in the final merge transaction; the staging file is removed afterwards,
        and one left by an interrupted run is discarded by the next.
        """
        stage = self._attach_stage()
        writer = _Writer(self.con, run, derive)
        try:
            writer.create_stage()
            yield writer
            writer.prepare()
            try:
                _exec(self.con, "BEGIN TRANSACTION")
            except duckdb.Error as err:
                raise StoreError(f"{self.location}: cannot start a transaction: {err}") from err
            try:
                writer.finish()
                _exec(self.con, "COMMIT")
            except BaseException:
                _exec(self.con, "ROLLBACK")
                raise
        finally:
            self._detach_stage(stage)

    def _stage_path(self) -> Path | None:
        return None if self.location == ":memory:" else Path(self.location + ".stage")

    def _attach_stage(self) -> Path | None:
        path = self._stage_path()
        if path is not None:
            remove_database_files(path)
        try:
            _exec(self.con, f"ATTACH {_sql_string(str(path or ':memory:'))} AS {_STAGE}")
        except duckdb.Error as err:
            raise StoreError(
                f"{self.location}: cannot create the staging database {path}: {_first_line(err)}"
            ) from err
        return path

    def _detach_stage(self, path: Path | None) -> None:
        _exec(self.con, f"DETACH DATABASE IF EXISTS {_STAGE}")
        if path is not None:
            remove_database_files(path)

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        _exec(self.con, "BEGIN TRANSACTION")
        try:
            yield self.con
            _exec(self.con, "COMMIT")
        except BaseException:
            _exec(self.con, "ROLLBACK")
            raise

    def erase(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Delete accounts and everything that hangs from them, in one transaction."""
        with self._transaction() as con:
            return _erase_keys(con, keys)

    def suppress(self, keys: Sequence[AccountKey]) -> dict[str, int]:
        """Remember hashes of the accounts' ids and handles, then erase them (one transaction)."""
        with self._transaction() as con:
            con.register("_keys", _keys_table(keys))
            try:
                before = _scalar(con, "SELECT count(*) FROM suppressions")
                _exec(
                    con,
                    f"""INSERT INTO suppressions
                    SELECT DISTINCT h, now(), 'account' FROM (
                        SELECT {_ID_HASH.format(p="k.platform", i="k.account_id")} AS h
                        FROM _keys k
                        UNION ALL
                        SELECT {_HANDLE_HASH.format(p="a.platform", h="a.handle_lc")}
                        FROM accounts a SEMI JOIN _keys k
                          ON k.platform = a.platform AND k.account_id = a.account_id
                        WHERE a.handle_lc IS NOT NULL)
                    WHERE h NOT IN (SELECT hash FROM suppressions)""",
                )
                added = _scalar(con, "SELECT count(*) FROM suppressions") - before
            finally:
                con.unregister("_keys")
            counts = _erase_keys(con, keys)
        counts["suppression_hashes_added"] = added
        return counts

    def record_export(self, entry: Mapping[str, Any]) -> None:
        """Append one line to the export log."""
        _exec(
            self.con,
            "INSERT INTO exports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry["export_id"],
                entry["at"],
                entry["format"],
                entry["path"],
                json.dumps(entry["filters"], default=str),
                int(entry["rows"]),
                entry["sha256"],
                bool(entry["pseudonymised"]),
                entry["kolmap_version"],
            ],
        )

    def export_log(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM exports ORDER BY exported_at DESC").df()

    # -- reading --------------------------------------------------------------------------
    def projection(self, scope: Scope) -> Projection:
        """The accounts and relations in ``scope``; see :class:`Scope` for what is in."""
        return _project(self.con, scope)

    def posts(
        self,
        scope: Scope | None = None,
        *,
        authors: Sequence[AccountKey] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Posts in ``scope`` (by ``authors`` if given), newest first, with their hashtags
        and areas as lists."""
        con = self.con
        _exec(con, "BEGIN TRANSACTION")
        try:
            _scope_posts(con, scope or Scope())
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
                con.register("_authors", _keys_table(authors))
                sql += """ SEMI JOIN _authors k ON k.platform = p.platform
                                              AND k.account_id = p.author_id"""
            sql += " ORDER BY p.created_at DESC NULLS LAST, p.platform, p.post_id"
            if limit is not None:
                sql += " LIMIT ?"
                params.append(int(limit))
            return con.execute(sql, params).df()
        finally:
            if authors is not None:
                con.unregister("_authors")
            _exec(con, "ROLLBACK")

    def top_hashtags(self, scope: Scope | None = None, *, limit: int = 50) -> pd.DataFrame:
        """The most used hashtags in ``scope``: ``tag, posts, authors``."""
        con = self.con
        _exec(con, "BEGIN TRANSACTION")
        try:
            _scope_posts(con, scope or Scope())
            return con.execute(
                """SELECT h.tag, count(*) AS posts, count(DISTINCT s.author_id) AS authors
                   FROM x_scoped s JOIN post_hashtags h
                     ON h.platform = s.platform AND h.post_id = s.post_id
                   GROUP BY h.tag ORDER BY posts DESC, h.tag LIMIT ?""",
                [int(limit)],
            ).df()
        finally:
            _exec(con, "ROLLBACK")

    def accounts(
        self,
        keys: Sequence[AccountKey] | None = None,
        *,
        search: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Account attributes with the effective role (label wins over inference)."""
        sql = "SELECT * EXCLUDE (handle_lc) FROM account_view a"
        params: list[Any] = []
        where = []
        if keys is not None:
            self.con.register("_keys", _keys_table(keys))
            sql += " SEMI JOIN _keys k ON k.platform = a.platform AND k.account_id = a.account_id"
        if search:
            where.append("(a.handle ILIKE ? ESCAPE '\\' OR a.display_name ILIKE ? ESCAPE '\\')")
            pattern = "%" + search.replace("%", r"\%").replace("_", r"\_") + "%"
            params += [pattern, pattern]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.platform, a.account_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        try:
            return self.con.execute(sql, params).df()
        finally:
            if keys is not None:
                self.con.unregister("_keys")

    def account_areas(self, min_posts: int = 2) -> pd.DataFrame:
        """The areas each account speaks in (``platform, account_id, areas``): its bio's
        areas and those of at least ``min_posts`` of its original posts."""
        return self.con.execute(
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
        ).df()

    def stats(self) -> dict[str, Any]:
        """Counts by table, platform, role and area; time span; the last run's summary."""
        con = self.con
        out: dict[str, Any] = {
            "location": self.location,
            "accounts": _scalar(con, "SELECT count(*) FROM accounts WHERE NOT is_stub"),
            "stub_accounts": _scalar(con, "SELECT count(*) FROM accounts WHERE is_stub"),
            "posts": _scalar(con, "SELECT count(*) FROM posts"),
            "follows": _scalar(con, "SELECT count(*) FROM follows"),
            "imported_edges": _scalar(con, "SELECT count(*) FROM edges"),
            "labels": _scalar(con, "SELECT count(*) FROM labels"),
            "hashtags": _scalar(con, "SELECT count(DISTINCT tag) FROM post_hashtags"),
            "persons": _scalar(
                con,
                """SELECT count(DISTINCT COALESCE(person_id, platform || ':' || account_id))
                   FROM account_view
                   WHERE NOT is_stub AND role IN ('hcp', 'patient', 'public')""",
            ),
        }
        out["interactions"] = dict(
            con.execute(
                "SELECT kind, sum(count)::BIGINT FROM interactions GROUP BY kind ORDER BY kind"
            ).fetchall()
        )
        out["by_platform"] = dict(
            con.execute(
                "SELECT platform, count(*) FROM accounts WHERE NOT is_stub "
                "GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        )
        out["by_role"] = dict(
            con.execute(
                "SELECT role, count(*) FROM account_view WHERE NOT is_stub "
                "GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        )
        out["accounts_by_area"] = dict(
            con.execute(
                "SELECT a.area, count(DISTINCT p.platform || ':' || p.author_id) FROM post_areas a "
                "JOIN posts p ON p.platform = a.platform AND p.post_id = a.post_id "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        out["posts_by_area"] = dict(
            con.execute(
                "SELECT area, count(*) FROM post_areas GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        span = _row(
            con.execute(
                "SELECT min(created_at)::VARCHAR, max(created_at)::VARCHAR FROM posts"
            ).fetchall()
        )
        out["first_post"], out["last_post"] = span if span else (None, None)
        last = _row(
            con.execute(
                "SELECT run_id, finished_at::VARCHAR, summary FROM ingest_runs "
                "ORDER BY finished_at DESC LIMIT 1"
            ).fetchall()
        )
        out["last_run"] = (
            {"run_id": last[0], "finished_at": last[1], "summary": json.loads(last[2])}
            if last
            else None
        )
        return out

    def runs(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT run_id, started_at, finished_at, status, kolmap_version, inputs, summary "
            "FROM ingest_runs ORDER BY finished_at DESC"
        ).df()

    def fingerprint(self, *, provenance: bool = True) -> str:
        """Row counts and an order-independent hash of every graph table.

        With ``provenance=False`` the ids of the runs that added or last changed each row
        are left out, so two stores built by different runs from the same files compare
        equal (a resumed ingest against one clean run).
        """
        parts = []
        for table in _GRAPH_TABLES:
            source = table
            if not provenance:
                kept = [c for c in self._columns(table) if c not in ("run_id", "updated_run_id")]
                source = f"(SELECT {', '.join(kept)} FROM {table})"
            row = _row(
                self.con.execute(
                    f"SELECT count(*), COALESCE(sum(hash(t)::HUGEINT), 0) FROM {source} t"
                ).fetchall()
            )
            assert row is not None
            parts.append(f"{table}:{row[0]}:{row[1]}")
        return "|".join(parts)

    def _columns(self, table: str) -> list[str]:
        """The columns of one of the store's own tables, in order."""
        rows = self.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
            "AND database_name = current_database() ORDER BY column_index",
            [table],
        ).fetchall()
        return [row[0] for row in rows]

    # -- moving between stores --------------------------------------------------------------
    def _rows(self, query: str, batch_size: int = 50_000) -> Iterator[dict[str, Any]]:
        """The rows of a query on the store's own tables, as dicts, streamed in batches."""
        for batch in self.con.sql(query).to_arrow_reader(batch_size):
            yield from batch.to_pylist()

    def table_rows(self, table: str, batch_size: int = 50_000) -> Iterator[dict[str, Any]]:
        """Every row of one of the store's tables (:data:`TRANSFER_TABLES`), as dicts,
        streamed in batches."""
        return self._rows(f"SELECT * FROM {_transfer_table(table)}", batch_size)

    def row_count(self, table: str) -> int:
        """Rows in one of :data:`TRANSFER_TABLES`."""
        return _scalar(self.con, f"SELECT count(*) FROM {_transfer_table(table)}")

    def is_empty(self) -> bool:
        return all(self.row_count(table) == 0 for table in TRANSFER_TABLES)

    def load_rows(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Fill an empty store with rows per table (as :meth:`table_rows` gives them), in
        one transaction; a missing key is a null. Returns rows loaded per table."""
        if not self.is_empty():
            raise StoreError(f"{self.location}: not empty; import into a new store")
        counts: dict[str, int] = {}
        with self._transaction() as con:
            for table, rows in tables.items():
                _transfer_table(table)
                counts[table] = 0
                batch: list[Mapping[str, Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= 50_000:
                        counts[table] += self._insert_by_name(con, table, batch)
                        batch = []
                if batch:
                    counts[table] += self._insert_by_name(con, table, batch)
        return counts

    @staticmethod
    def _insert_by_name(
        con: duckdb.DuckDBPyConnection, table: str, rows: list[Mapping[str, Any]]
    ) -> int:
        columns = sorted({k for row in rows for k in row})
        frame = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        con.register("_rows", frame)
        try:
            _exec(con, f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
        finally:
            con.unregister("_rows")
        return len(rows)

    def snapshot(self) -> None:
        """Remember every table's rows (in temporary tables) for :meth:`changes`."""
        for table in TRANSFER_TABLES:
            _exec(self.con, f"CREATE OR REPLACE TEMP TABLE before_{table} AS SELECT * FROM {table}")

    def changes(
        self, table: str, key: Sequence[str]
    ) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
        """Since :meth:`snapshot`: the rows of ``table`` that are new or changed, and the keys
        (``key`` columns) of those that are gone."""
        unknown = set(key) - set(self._columns(_transfer_table(table)))
        if not key or unknown:
            raise ValueError(f"{table} has no key columns {sorted(unknown)}")
        cols = ", ".join(key)
        upserts = self._rows(f"SELECT * FROM {table} EXCEPT SELECT * FROM before_{table}")
        removed = self._rows(f"SELECT {cols} FROM before_{table} EXCEPT SELECT {cols} FROM {table}")
        return upserts, removed

    def drop_snapshot(self) -> None:
        for table in TRANSFER_TABLES:
            _exec(self.con, f"DROP TABLE IF EXISTS before_{table}")

    def meta_value(self, key: str) -> str | None:
        """A value kolmap keeps in the store's ``meta`` table."""
        row = _row(self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall())
        return None if row is None else str(row[0])

    def set_meta_value(self, key: str, value: str) -> None:
        with self._transaction() as con:
            _exec(con, "DELETE FROM meta WHERE key = ?", [key])
            _exec(con, "INSERT INTO meta VALUES (?, ?)", [key, value])

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a read query (for tests, the UI and power users); values only as parameters."""
        return self.con.execute(query, list(params)).df()


def _exec(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> None:
    """Run a statement and drain its result (DuckDB refuses new work while one is pending)."""
    result = con.execute(sql, params)
    if result is not None:
        result.fetchall()


_ID_HASH = "sha256('" + SUPPRESSION_PREFIX + "' || {p} || ':' || {i})"
_HANDLE_HASH = "sha256('" + SUPPRESSION_PREFIX + "handle:' || {p} || ':' || {h})"


def _keys_table(keys: Sequence[AccountKey]) -> pa.Table:
    return pa.table(
        {"platform": [k.platform for k in keys], "account_id": [k.account_id for k in keys]}
    )


def _erase_keys(con: duckdb.DuckDBPyConnection, keys: Sequence[AccountKey]) -> dict[str, int]:
    """Delete the accounts, their posts (with sub-records), relations and labels."""
    counts: dict[str, int] = {}
    con.register("_erase", _keys_table(keys))
    try:
        _exec(con, "CREATE TEMP TABLE e_keys AS SELECT DISTINCT * FROM _erase")
    finally:
        con.unregister("_erase")
    _exec(
        con,
        """CREATE TEMP TABLE e_posts AS SELECT p.platform, p.post_id FROM posts p
           SEMI JOIN e_keys k ON k.platform = p.platform AND k.account_id = p.author_id""",
    )
    for sub in ("post_mentions", "post_hashtags", "post_areas"):
        counts[sub] = _scalar(
            con,
            f"""DELETE FROM {sub} t USING e_posts e
                WHERE t.platform = e.platform AND t.post_id = e.post_id""",
        )
    counts["post_mentions"] += _scalar(
        con,
        """DELETE FROM post_mentions t USING e_keys k
           WHERE t.platform = k.platform AND t.account_id = k.account_id""",
    )
    counts["posts"] = _scalar(
        con,
        """DELETE FROM posts t USING e_posts e
           WHERE t.platform = e.platform AND t.post_id = e.post_id""",
    )
    counts["follows"] = _scalar(
        con,
        """DELETE FROM follows t USING e_keys k WHERE t.platform = k.platform
           AND (t.follower_id = k.account_id OR t.followed_id = k.account_id)""",
    )
    counts["edges"] = _scalar(
        con,
        """DELETE FROM edges t USING e_keys k WHERE t.platform = k.platform
           AND (t.src_id = k.account_id OR t.dst_id = k.account_id)""",
    )
    for table in ("labels", "accounts"):
        counts[table] = _scalar(
            con,
            f"""DELETE FROM {table} t USING e_keys k
                WHERE t.platform = k.platform AND t.account_id = k.account_id""",
        )
    # Text roles hold evidence phrases from the bio: they go with the account.
    _exec(
        con,
        """DELETE FROM text_roles t USING e_keys k
           WHERE t.platform = k.platform AND t.account_id = k.account_id""",
    )
    _exec(con, "DROP TABLE e_keys")
    _exec(con, "DROP TABLE e_posts")
    return counts


def _row(rows: list[Any]) -> Any:
    """The first row of a drained result, or None."""
    return rows[0] if rows else None


def _sql_string(text: str) -> str:
    """A SQL string literal, for the one statement that cannot take a parameter (ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def _staging_table(kind: str) -> str:
    """The staging table of record ``kind`` (a key of :data:`STAGE_SCHEMAS`; it is spliced
    into SQL)."""
    if kind not in STAGE_SCHEMAS:
        raise ValueError(f"unknown record kind {kind!r}")
    return f"{_STAGE}.s_{kind}"


def _transfer_table(table: str) -> str:
    """``table`` if it is one of :data:`TRANSFER_TABLES` (it is spliced into SQL)."""
    if table not in TRANSFER_TABLES:
        raise ValueError(f"not a table kolmap moves between stores: {table!r}")
    return table


def remove_database_files(path: Path) -> None:
    """Delete a DuckDB database file and its write-ahead log, if they exist."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


class _Writer:
    """Stages the batches of one ingest run and merges them (see ``finish``)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, run: RunInfo, derive: Derive | None = None
    ) -> None:
        self.con = con
        self.run = run
        self.derive = derive
        self.stats: dict[str, Any] = {}
        self.notes: dict[str, Any] = {}
        self._stubs = {"by_id": 0, "by_handle": 0}
        self._seq = 0

    def create_stage(self) -> None:
        for kind, schema in STAGE_SCHEMAS.items():
            cols = ", ".join(f"{f.name} {_SQL_TYPES[f.type]}" for f in schema)
            _exec(self.con, f"CREATE TABLE {_STAGE}.s_{kind} ({cols}, seq BIGINT)")

    def reserve(self, count: int) -> int:
        """Set aside ``count`` staging positions and return the first. A reader that stages
        one file's rows out of order (see :mod:`kolmap.ingest.bulk_csv`) numbers them from
        here, so that the later of two rows with the same key still wins."""
        first = self._seq
        self._seq += count
        return first

    def add(
        self,
        kind: str,
        records: Sequence[Mapping[str, Any]],
        seq: Sequence[int] | None = None,
    ) -> None:
        """Stage one batch; keys outside :data:`RECORD_FIELDS` are a programming error.

        Rows are staged in order unless ``seq`` gives their positions (from :meth:`reserve`).
        """
        _staging_table(kind)
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
        :meth:`reserve` (the columns of :data:`RECORD_FIELDS`, in any order)."""
        staged = _staging_table(kind)
        names = [f.name for f in STAGE_SCHEMAS[kind]]
        if set(table.column_names) != {*names, "seq"}:
            raise ValueError(f"{kind} table has columns {table.column_names}")
        table = table.select([*names, "seq"]).cast(
            STAGE_SCHEMAS[kind].append(pa.field("seq", pa.int64()))
        )
        self.con.register("_batch", table)
        try:
            _exec(self.con, f"INSERT INTO {staged} SELECT * FROM _batch")
        finally:
            self.con.unregister("_batch")

    def discard(self, kind: str, first: int, count: int) -> None:
        """Drop the staged ``kind`` rows at positions ``first`` to ``first + count - 1``
        (a file whose bulk read failed, before it is read again row by row)."""
        _exec(
            self.con,
            f"DELETE FROM {_staging_table(kind)} WHERE seq >= ? AND seq < ?",
            [first, first + count],
        )

    def note(self, key: str, value: Any) -> None:
        """Attach run-level facts (files read, rows quarantined) to the stored run summary."""
        self.notes[key] = value

    # -- merging --------------------------------------------------------------------------
    def prepare(self) -> None:
        """Edit the staged rows in place before the merge: drop opted-out accounts' rows and
        rewrite handle ids to real ones. This writes the staging database only, so it runs
        before the merge transaction (a transaction writes one database)."""
        self.stats["suppressed"] = self._drop_suppressed()
        self.stats["handle_ids_resolved"] = self._canonicalise_handle_ids()

    def finish(self) -> None:
        """Merge the staged rows into the store and record the run (inside one transaction)."""
        run_id = self.run.run_id
        con = self.con
        for area_id, name in self.run.areas.items():
            _exec(con, "DELETE FROM areas WHERE area_id = ?", [area_id])
            _exec(con, "INSERT INTO areas VALUES (?, ?)", [area_id, name])
        self.stats["accounts"] = self._merge_accounts(run_id)
        self.stats["labels"] = self._upsert(
            "labels",
            ("platform", "account_id"),
            ("role", "specialty", "person_id", "affiliation", "employer"),
            run_id,
        )
        self.stats["posts"] = self._merge_posts(run_id)
        self.stats["follows"] = self._merge_follows(run_id)
        self.stats["edges"] = self._merge_edges(run_id)
        self.stats["stubs_merged"] = self._merge_handle_stubs()
        self.stats["stubs_created"] = self._stubs
        if self.derive is not None:
            self.stats["derived"] = dict(self.derive(DuckDBDerivation(con, run_id)))
        summary = {**self.notes, "merge": self.stats}
        _exec(
            con,
            "INSERT INTO ingest_runs VALUES (?, ?, ?, 'completed', ?, ?, ?)",
            [
                run_id,
                self.run.started_at,
                datetime.now(UTC),
                self.run.kolmap_version,
                json.dumps(list(self.run.inputs)),
                json.dumps(summary, default=str),
            ],
        )

    def _drop_suppressed(self) -> dict[str, int]:
        """Remove staged rows of opted-out accounts before anything is merged."""
        con = self.con
        if _scalar(con, "SELECT count(*) FROM suppressions") == 0:
            return {}
        gone = "IN (SELECT hash FROM suppressions)"
        counts = {}
        for kind, column in (
            ("accounts", "account_id"),
            ("labels", "account_id"),
            ("posts", "author_id"),
        ):
            counts[kind] = _scalar(
                con,
                f"DELETE FROM {_STAGE}.s_{kind} "
                f"WHERE {_ID_HASH.format(p='platform', i=column)} {gone}",
            )
        counts["follows"] = _scalar(
            con,
            f"""DELETE FROM {_STAGE}.s_follows
                WHERE {_ID_HASH.format(p="platform", i="follower_id")} {gone}
                OR {_ID_HASH.format(p="platform", i="followed_id")} {gone}""",
        )
        counts["edges"] = _scalar(
            con,
            f"""DELETE FROM {_STAGE}.s_edges
                WHERE {_ID_HASH.format(p="platform", i="src_id")} {gone}
                OR {_ID_HASH.format(p="platform", i="dst_id")} {gone}""",
        )
        return counts

    def _dedupe(self, kind: str, keys: Sequence[str]) -> int:
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
        table = _staging_table(kind)
        staged = _scalar(self.con, f"SELECT count(*) FROM {table}")
        distinct = _scalar(
            self.con, f"SELECT count(*) FROM (SELECT DISTINCT {key_list} FROM {table})"
        )

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
        _exec(self.con, f"CREATE TEMP TABLE d_{kind} AS {select}")
        return staged - distinct

    def _upsert(
        self,
        kind: str,
        keys: Sequence[str],
        attrs: Sequence[str],
        run_id: str,
        *,
        exprs: Mapping[str, str] | None = None,
        extra_insert: Mapping[str, str] | None = None,
        deduped: bool = False,
    ) -> dict[str, int]:
        """Merge ``d_<kind>`` into ``<kind>``: empty new values never erase known ones.

        ``exprs`` overrides the merge expression of some attributes (``n`` is the new row,
        ``o`` the stored one). Returns added / updated / unchanged / duplicates counts.
        """
        con = self.con
        duplicates = 0 if deduped else self._dedupe(kind, keys)
        exprs = dict(exprs or {})
        on = " AND ".join(f"o.{k} = n.{k}" for k in keys)
        referenced = "reference" in RECORD_FIELDS.get(kind, ())

        def merge(a: str) -> str:
            own = exprs.get(a, f"COALESCE(n.{a}, o.{a})")
            if not referenced:
                return own
            # A reference row only fills what the stored row lacks.
            gap = {"handle_lc": "COALESCE(o.handle_lc, lower(n.handle))", "is_stub": "FALSE"}.get(
                a, f"COALESCE(o.{a}, n.{a})"
            )
            return f"CASE WHEN COALESCE(n.reference, FALSE) THEN {gap} ELSE {own} END"

        merged = ", ".join(f"{merge(a)} AS {a}" for a in attrs)
        _exec(
            con,
            f"""CREATE TEMP TABLE m_{kind} AS
            SELECT {", ".join(f"n.{k}" for k in keys)}, {merged},
                   n.source_file AS n_source_file, n.source_line AS n_source_line,
                   o.{keys[-1]} IS NOT NULL AS existed
            FROM d_{kind} n LEFT JOIN {kind} o ON {on}""",
        )
        differs = " OR ".join(f"m.{a} IS DISTINCT FROM o.{a}" for a in attrs)
        m_on = " AND ".join(f"o.{k} = m.{k}" for k in keys)
        _exec(
            con,
            f"""CREATE TEMP TABLE u_{kind} AS SELECT m.* FROM m_{kind} m
            JOIN {kind} o ON {m_on} WHERE {differs}""",
        )
        sets = ", ".join(f"{a} = u.{a}" for a in attrs)
        u_on = " AND ".join(f"o.{k} = u.{k}" for k in keys)
        _exec(
            con,
            f"UPDATE {kind} AS o SET {sets}, updated_run_id = ? FROM u_{kind} u WHERE {u_on}",
            [run_id],
        )
        extra = dict(extra_insert or {})
        columns = [*keys, *attrs, "source_file", "source_line", "run_id", *extra]
        values = [*keys, *attrs, "n_source_file", "n_source_line", "?", *extra.values()]
        _exec(
            con,
            f"""INSERT INTO {kind} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM m_{kind} WHERE NOT existed""",
            [run_id],
        )
        total = _scalar(con, f"SELECT count(*) FROM m_{kind}")
        added = _scalar(con, f"SELECT count(*) FROM m_{kind} WHERE NOT existed")
        updated = _scalar(con, f"SELECT count(*) FROM u_{kind}")
        for prefix in ("d", "m", "u"):
            _exec(con, f"DROP TABLE {prefix}_{kind}")
        return {
            "added": added,
            "updated": updated,
            "unchanged": total - added - updated,
            "duplicates": duplicates,
        }

    def _merge_accounts(self, run_id: str) -> dict[str, int]:
        con = self.con
        duplicates = self._dedupe("accounts", ("platform", "account_id"))
        # A stub that turns real takes the real row's provenance.
        _exec(
            con,
            """UPDATE accounts AS o SET source_file = n.source_file,
                           source_line = n.source_line, updated_run_id = ?
                       FROM d_accounts n WHERE o.platform = n.platform
                        AND o.account_id = n.account_id AND o.is_stub""",
            [run_id],
        )
        became_real = _scalar(
            con,
            """SELECT count(*) FROM accounts o SEMI JOIN d_accounts n
            ON o.platform = n.platform AND o.account_id = n.account_id WHERE o.is_stub""",
        )
        # The bio's areas follow the bio: a row without a bio keeps the stored ones. Roles
        # are inferred after the merge, from the merged profiles (see ``derive``).
        keep_old = "(o.bio IS NOT NULL AND n.bio IS NULL AND NOT o.is_stub)"
        classified = {
            "bio_areas": "CASE WHEN "
            + keep_old
            + " THEN o.bio_areas ELSE COALESCE(n.bio_areas, o.bio_areas) END"
        }
        attrs = (
            "handle",
            "handle_lc",
            *ACCOUNT_COLUMNS[3:],  # display_name ... verified
            "is_stub",
            *classified,
        )
        exprs = {
            **classified,
            "handle_lc": "lower(COALESCE(n.handle, o.handle))",
            "is_stub": "FALSE",
        }
        stats = self._upsert(
            "accounts", ("platform", "account_id"), attrs, run_id, exprs=exprs, deduped=True
        )
        stats["duplicates"] = duplicates
        stats["stubs_completed"] = became_real
        return stats

    def _canonicalise_handle_ids(self) -> int:
        """Rewrite staged ``@handle`` ids to the real id of that handle when one is known
        (stored, or staged in this run), so handle-keyed rows never shadow a real account."""
        con = self.con
        _exec(
            con,
            """CREATE TEMP TABLE h_map AS
            SELECT platform, '@' || handle_lc AS stub_id, min(account_id) AS real_id FROM (
                SELECT platform, account_id, handle_lc FROM accounts
                WHERE NOT is_stub AND account_id NOT LIKE '@%' AND handle_lc IS NOT NULL
                UNION ALL
                SELECT platform, account_id, lower(handle) FROM kolmap_stage.s_accounts
                WHERE account_id NOT LIKE '@%' AND handle IS NOT NULL)
            GROUP BY platform, handle_lc""",
        )
        rewritten = 0
        for table, column in (
            ("kolmap_stage.s_accounts", "account_id"),
            ("kolmap_stage.s_labels", "account_id"),
            ("kolmap_stage.s_posts", "author_id"),
            ("kolmap_stage.s_follows", "follower_id"),
            ("kolmap_stage.s_follows", "followed_id"),
            ("kolmap_stage.s_edges", "src_id"),
            ("kolmap_stage.s_edges", "dst_id"),
        ):
            rewritten += _scalar(
                con,
                f"""UPDATE {table} AS t SET {column} = h.real_id FROM h_map h
                    WHERE t.platform = h.platform AND t.{column} = h.stub_id""",
            )
        _exec(con, "DELETE FROM kolmap_stage.s_follows WHERE follower_id = followed_id")
        _exec(con, "DROP TABLE h_map")
        return rewritten

    def _merge_handle_stubs(self) -> int:
        """Fold accounts known only by a handle (``@handle`` ids: stubs from mentions, or
        handle-keyed rows from exports without ids) into the real account with that handle:
        its mentions, posts, follows and labels move, and its details fill the real one's gaps.
        """
        con = self.con
        _exec(
            con,
            """CREATE TEMP TABLE stub_map AS
            SELECT s.platform, s.account_id AS stub_id, r.account_id AS real_id
            FROM accounts s JOIN (
                SELECT platform, handle_lc, min(account_id) AS account_id FROM accounts
                WHERE NOT is_stub AND account_id NOT LIKE '@%' AND handle_lc IS NOT NULL
                GROUP BY platform, handle_lc) r
              ON s.platform = r.platform AND s.account_id = '@' || r.handle_lc""",
        )
        if _scalar(con, "SELECT count(*) FROM stub_map") == 0:
            _exec(con, "DROP TABLE stub_map")
            return 0
        fill = ", ".join(
            f"{c} = COALESCE(a.{c}, s.{c})"
            for c in ACCOUNT_COLUMNS[3:]  # display_name ... verified
        )
        _exec(
            con,
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
            _exec(
                con,
                f"""UPDATE {table} AS t SET {column} = m.real_id FROM stub_map m
                    WHERE t.platform = m.platform AND t.{column} = m.stub_id""",
            )
        # Folding may create duplicates or self-relations; keep one copy, drop self-links.
        _exec(con, "DELETE FROM follows WHERE follower_id = followed_id")
        _exec(
            con,
            """DELETE FROM follows WHERE rowid NOT IN (SELECT min(rowid) FROM follows
               GROUP BY platform, follower_id, followed_id)""",
        )
        _exec(con, "DELETE FROM edges WHERE src_id = dst_id")
        _exec(
            con,
            """DELETE FROM edges WHERE rowid NOT IN (SELECT min(rowid) FROM edges
               GROUP BY platform, src_id, dst_id, kind)""",
        )
        _exec(
            con,
            """DELETE FROM post_mentions t USING posts p
               WHERE p.platform = t.platform AND p.post_id = t.post_id
                 AND p.author_id = t.account_id""",
        )
        _exec(
            con,
            """DELETE FROM post_mentions WHERE rowid NOT IN (SELECT min(rowid)
               FROM post_mentions GROUP BY platform, post_id, account_id)""",
        )
        _exec(
            con,
            """UPDATE labels AS l SET account_id = m.real_id FROM stub_map m
               WHERE l.platform = m.platform AND l.account_id = m.stub_id
                 AND NOT EXISTS (SELECT 1 FROM labels r WHERE r.platform = m.platform
                                   AND r.account_id = m.real_id)""",
        )
        _exec(
            con,
            """DELETE FROM labels l USING stub_map m
               WHERE l.platform = m.platform AND l.account_id = m.stub_id""",
        )
        merged = _scalar(
            con,
            """DELETE FROM accounts a USING stub_map sm
            WHERE a.platform = sm.platform AND a.account_id = sm.stub_id""",
        )
        _exec(con, "DROP TABLE stub_map")
        return merged

    def _create_id_stubs(self, source_sql: str, run_id: str) -> int:
        """Create stub accounts for ids in ``source_sql`` (platform, account_id, file, line)."""
        return _scalar(
            self.con,
            f"""INSERT INTO accounts (platform, account_id, is_stub,
                inferred_role, source_file, source_line, run_id)
            SELECT platform, account_id, TRUE, 'unknown', min(source_file),
                   min(source_line), ?
            FROM ({source_sql}) s
            WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = s.platform
                                                       AND a.account_id = s.account_id)
            GROUP BY platform, account_id""",
            [run_id],
        )

    def _merge_posts(self, run_id: str) -> dict[str, int]:
        con = self.con
        stubs = self._stubs
        duplicates = self._dedupe("posts", ("platform", "post_id"))
        stubs["by_id"] += self._create_id_stubs(
            "SELECT platform, author_id AS account_id, source_file, source_line FROM d_posts",
            run_id,
        )
        # Sub-records of re-sent posts are replaced (a post without text keeps its old ones).
        # A reference copy of a post brings mentions and hashtags only if the post's own row
        # has not been stored with its text.
        _exec(
            con,
            """CREATE TEMP TABLE t_posts AS SELECT platform, post_id, author_id, mentions,
               hashtags, areas, source_file, source_line FROM d_posts d
               WHERE text IS NOT NULL AND NOT (COALESCE(reference, FALSE) AND EXISTS (
                   SELECT 1 FROM posts p WHERE p.platform = d.platform
                     AND p.post_id = d.post_id AND p.text IS NOT NULL))""",
        )
        for sub in ("post_mentions", "post_hashtags", "post_areas"):
            _exec(
                con,
                f"""DELETE FROM {sub} t USING t_posts p
                            WHERE t.platform = p.platform AND t.post_id = p.post_id""",
            )
        _exec(
            con,
            """INSERT INTO post_hashtags SELECT DISTINCT platform, post_id, tag
            FROM (SELECT platform, post_id, unnest(hashtags) AS tag FROM t_posts)""",
        )
        _exec(
            con,
            """INSERT INTO post_areas SELECT DISTINCT platform, post_id, area
            FROM (SELECT platform, post_id, unnest(areas) AS area FROM t_posts)""",
        )
        _exec(
            con,
            """CREATE TEMP TABLE t_mentions AS
            SELECT platform, post_id, author_id, handle, lower(handle) AS handle_lc,
                   source_file, source_line
            FROM (SELECT *, unnest(mentions) AS handle FROM t_posts)""",
        )
        # Mentions of an opted-out handle are dropped (no stub may bring it back).
        if _scalar(con, "SELECT count(*) FROM suppressions"):
            _exec(
                con,
                f"""DELETE FROM t_mentions WHERE
                {_HANDLE_HASH.format(p="platform", h="handle_lc")}
                IN (SELECT hash FROM suppressions)""",
            )
        owners_sql = """CREATE OR REPLACE TEMP TABLE t_owners AS
            SELECT platform, handle_lc,
                   COALESCE(
                       min(account_id) FILTER (WHERE NOT is_stub AND account_id NOT LIKE '@%'),
                       min(account_id) FILTER (WHERE NOT is_stub),
                       min(account_id)) AS account_id
            FROM accounts WHERE handle_lc IS NOT NULL GROUP BY platform, handle_lc"""
        _exec(con, owners_sql)
        stubs["by_handle"] += _scalar(
            con,
            """INSERT INTO accounts (platform, account_id, handle, handle_lc,
                is_stub, inferred_role, source_file, source_line, run_id)
            SELECT platform, '@' || handle_lc, min(handle), handle_lc, TRUE, 'unknown',
                   min(source_file), min(source_line), ?
            FROM t_mentions m WHERE NOT EXISTS (SELECT 1 FROM t_owners o
                WHERE o.platform = m.platform AND o.handle_lc = m.handle_lc)
            GROUP BY platform, handle_lc""",
            [run_id],
        )
        _exec(con, owners_sql)
        self_mentions = _scalar(
            con,
            """SELECT count(*) FROM t_mentions m JOIN t_owners o
            ON o.platform = m.platform AND o.handle_lc = m.handle_lc
            WHERE o.account_id = m.author_id""",
        )
        _exec(
            con,
            """INSERT INTO post_mentions SELECT DISTINCT m.platform, m.post_id, o.account_id
            FROM t_mentions m JOIN t_owners o
              ON o.platform = m.platform AND o.handle_lc = m.handle_lc
            WHERE o.account_id <> m.author_id""",
        )
        for tmp in ("t_posts", "t_mentions", "t_owners"):
            _exec(con, f"DROP TABLE {tmp}")
        stats = self._upsert(
            "posts",
            ("platform", "post_id"),
            POST_COLUMNS[2:],  # every post attribute after the (platform, post_id) key
            run_id,
            deduped=True,
        )
        stats["duplicates"] = duplicates
        stats["self_mentions_ignored"] = self_mentions
        return stats

    def _merge_edges(self, run_id: str) -> dict[str, int]:
        """Imported relations: parallel edges of one run add up (a source row counts once);
        against the store the latest file's count, first and last times replace the old."""
        con = self.con
        stubs = self._stubs
        _exec(
            con,
            """CREATE TEMP TABLE d_edges AS
            SELECT platform, src_id, dst_id, kind, sum(COALESCE(count, 1))::BIGINT AS count,
                   min(first_at) AS first_at, max(last_at) AS last_at,
                   min(source_file) AS source_file, min(source_line) AS source_line
            FROM (SELECT DISTINCT ON (source_file, source_line, platform, src_id, dst_id, kind)
                      * FROM kolmap_stage.s_edges WHERE src_id <> dst_id)
            GROUP BY platform, src_id, dst_id, kind""",
        )
        duplicates = _scalar(con, "SELECT count(*) FROM kolmap_stage.s_edges") - _scalar(
            con, "SELECT count(*) FROM d_edges"
        )
        stubs["by_id"] += self._create_id_stubs(
            """SELECT platform, src_id AS account_id, source_file, source_line FROM d_edges
               UNION ALL
               SELECT platform, dst_id, source_file, source_line FROM d_edges""",
            run_id,
        )
        stats = self._upsert(
            "edges",
            ("platform", "src_id", "dst_id", "kind"),
            ("count", "first_at", "last_at"),
            run_id,
            deduped=True,
            exprs={a: f"n.{a}" for a in ("count", "first_at", "last_at")},
        )
        stats["parallel_or_repeated"] = duplicates
        return stats

    def _merge_follows(self, run_id: str) -> dict[str, int]:
        con = self.con
        stubs = self._stubs
        duplicates = self._dedupe("follows", ("platform", "follower_id", "followed_id"))
        stubs["by_id"] += self._create_id_stubs(
            """SELECT platform, follower_id AS account_id, source_file, source_line FROM d_follows
               UNION ALL
               SELECT platform, followed_id, source_file, source_line FROM d_follows""",
            run_id,
        )
        added = _scalar(
            con,
            """INSERT INTO follows
            SELECT n.platform, n.follower_id, n.followed_id, n.source_file, n.source_line, ?
            FROM d_follows n WHERE NOT EXISTS (SELECT 1 FROM follows o
                WHERE o.platform = n.platform AND o.follower_id = n.follower_id
                  AND o.followed_id = n.followed_id)""",
            [run_id],
        )
        total = _scalar(con, "SELECT count(*) FROM d_follows")
        _exec(con, "DROP TABLE d_follows")
        return {"added": added, "unchanged": total - added, "duplicates": duplicates}


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> int:
    """The one number a statement gives: a ``count(*)``, or the rows an INSERT, UPDATE or
    DELETE changed (0 when it gives none)."""
    row = _row(con.execute(sql, params).fetchall())
    return int(row[0]) if row and row[0] is not None else 0


def _window(scope: Scope, start: str, end: str) -> tuple[list[str], list[Any]]:
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


def _scope_posts(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """Create temp tables ``x_base`` (posts in the platform and time filters) and ``x_scoped``
    (those in the scope's area or hashtags too); call inside a transaction."""
    base_where, params = _window(scope, "created_at", "created_at")
    _exec(
        con,
        f"""CREATE TEMP TABLE x_base AS SELECT platform, post_id, author_id,
            created_at, reply_to_post_id, repost_of_post_id, quote_of_post_id,
            likes, reposts, replies FROM posts WHERE {" AND ".join(base_where)}""",
        params,
    )
    if scope.is_topical:
        marks = []
        mark_params: list[Any] = []
        if scope.area:
            marks.append("SELECT platform, post_id FROM post_areas WHERE area = ?")
            mark_params.append(scope.area)
        if scope.hashtags:
            marks.append("SELECT platform, post_id FROM post_hashtags WHERE list_contains(?, tag)")
            mark_params.append(list(scope.hashtags))
        _exec(con, "CREATE TEMP TABLE x_marked AS " + " INTERSECT ".join(marks), mark_params)
        ref_cols = ("post_id", "reply_to_post_id", "repost_of_post_id", "quote_of_post_id")
        union = " UNION ".join(
            f"SELECT b.* FROM x_base b SEMI JOIN x_marked m ON m.platform = b.platform "
            f"AND m.post_id = b.{col}"
            for col in ref_cols
        )
        _exec(con, f"CREATE TEMP TABLE x_scoped AS {union}")
        _exec(con, "DROP TABLE x_marked")
    else:
        _exec(con, "CREATE TEMP TABLE x_scoped AS SELECT * FROM x_base")


_PROJECTION_TEMP = (
    "x_base",
    "x_scoped",
    "x_marked",
    "x_inter",
    "x_members",
    "x_follows",
    "x_nodes",
)


def project_inside(con: duckdb.DuckDBPyConnection, scope: Scope) -> Projection:
    """The projection of ``scope`` built inside a transaction the caller holds."""
    return _project(con, scope, inside=True)


def _project(con: duckdb.DuckDBPyConnection, scope: Scope, *, inside: bool = False) -> Projection:
    """Build the projection with temporary tables; every filter value is a bound parameter.

    The tables live in a transaction rolled back at the end; ``inside`` a transaction the
    caller holds (an ingest run's derivation step), they are dropped instead.
    """
    acct_where = "list_contains(?, platform)" if scope.platforms else "TRUE"
    acct_params: list[Any] = [list(scope.platforms)] if scope.platforms else []

    if not inside:
        _exec(con, "BEGIN TRANSACTION")
    try:
        _scope_posts(con, scope)
        _exec(
            con,
            """CREATE TEMP TABLE x_inter AS
            WITH links AS (
                SELECT s.platform, s.author_id AS src, q.author_id AS dst,
                       'REPLIES_TO' AS kind, s.created_at
                FROM x_scoped s JOIN posts q
                  ON q.platform = s.platform AND q.post_id = s.reply_to_post_id
                UNION ALL
                SELECT s.platform, s.author_id, q.author_id, 'REPOSTS', s.created_at
                FROM x_scoped s JOIN posts q
                  ON q.platform = s.platform AND q.post_id = s.repost_of_post_id
                UNION ALL
                SELECT s.platform, s.author_id, q.author_id, 'QUOTES', s.created_at
                FROM x_scoped s JOIN posts q
                  ON q.platform = s.platform AND q.post_id = s.quote_of_post_id
                UNION ALL
                SELECT s.platform, s.author_id, m.account_id, 'MENTIONS', s.created_at
                FROM x_scoped s JOIN post_mentions m
                  ON m.platform = s.platform AND m.post_id = s.post_id)
            SELECT platform, src, dst, kind, count(*)::BIGINT AS count,
                   min(created_at) AS first_at, max(created_at) AS last_at
            FROM links WHERE src <> dst GROUP BY platform, src, dst, kind""",
        )
        if scope.is_topical:
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
            _exec(con, member_sql, member_params)
            _exec(
                con,
                """CREATE TEMP TABLE x_follows AS
                SELECT f.platform, f.follower_id AS src, f.followed_id AS dst
                FROM follows f
                SEMI JOIN x_members a ON a.platform = f.platform AND a.account_id = f.follower_id
                SEMI JOIN x_members b
                       ON b.platform = f.platform AND b.account_id = f.followed_id""",
            )
        else:
            # Imported relations carry no topic; they count only in untopical scopes, and
            # under a time window only when their times fall inside it.
            where, params = _window(scope, "first_at", "last_at")
            where.append("kind <> 'FOLLOWS'")
            _exec(
                con,
                f"""INSERT INTO x_inter SELECT platform, src_id, dst_id, kind, count, first_at,
                    last_at FROM edges WHERE {" AND ".join(where)}""",
                params,
            )
            _exec(
                con,
                f"""CREATE TEMP TABLE x_members AS SELECT platform, account_id
                            FROM accounts WHERE {acct_where}""",
                acct_params,
            )
            _exec(
                con,
                f"""CREATE TEMP TABLE x_follows AS SELECT platform,
                follower_id AS src, followed_id AS dst FROM follows WHERE {acct_where}""",
                acct_params,
            )
        area_param = scope.area or ""
        _exec(
            con,
            """CREATE TEMP TABLE x_nodes AS
            WITH ids AS (
                SELECT platform, account_id FROM x_members
                UNION SELECT platform, src FROM x_follows
                UNION SELECT platform, dst FROM x_follows),
            totals AS (SELECT platform, author_id, count(*) AS n FROM x_base GROUP BY ALL),
            scoped AS (
                SELECT platform, author_id, count(*) AS n,
                       count(*) FILTER (WHERE repost_of_post_id IS NULL) AS n_original,
                       COALESCE(sum(likes) FILTER (WHERE repost_of_post_id IS NULL), 0) AS likes,
                       COALESCE(sum(reposts) FILTER (WHERE repost_of_post_id IS NULL), 0)
                           AS reposts,
                       COALESCE(sum(replies) FILTER (WHERE repost_of_post_id IS NULL), 0)
                           AS replies
                FROM x_scoped GROUP BY ALL)
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
            [area_param],
        )
        nodes = con.execute("SELECT * EXCLUDE (idx) FROM x_nodes ORDER BY idx").df()
        # Join on one composite key (platforms never contain ':'): joining on platform and id
        # separately lets the optimiser pair the two node lists by platform alone.
        edges = con.execute("""
            WITH n AS (SELECT platform || ':' || account_id AS k, idx FROM x_nodes),
            e AS (
                SELECT platform || ':' || src AS sk, platform || ':' || dst AS dk, kind, count,
                       first_at, last_at FROM x_inter
                UNION ALL
                SELECT platform || ':' || src, platform || ':' || dst, 'FOLLOWS', 1::BIGINT,
                       NULL::TIMESTAMPTZ, NULL::TIMESTAMPTZ FROM x_follows)
            SELECT s.idx AS src, d.idx AS dst, e.kind, e.count, e.first_at, e.last_at
            FROM e JOIN n s ON s.k = e.sk JOIN n d ON d.k = e.dk
            ORDER BY 1, 2, 3""").df()
    finally:
        if inside:
            for table in _PROJECTION_TEMP:
                _exec(con, f"DROP TABLE IF EXISTS {table}")
        else:
            _exec(con, "ROLLBACK")
    return Projection(scope=scope, nodes=nodes, edges=edges)
