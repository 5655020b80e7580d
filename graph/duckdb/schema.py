"""The DuckDB store's tables and views, generated from the model's one declaration.

Tables come from :data:`kolmap.tables.TABLES` (columns, types, required columns); the staging
tables of an ingest run and their Arrow schemas from :data:`kolmap.tables.RECORD_FIELDS`. Two
views sit on top: ``account_view`` (an account with its effective role: a user label wins
over inference) and ``interactions`` (the relations between accounts that posts imply, plus
imported ones). The joins that turn posts into relations are written once,
:func:`links_sql`, and shared by the view and the projection.

``co_authors`` is the co-authorship graph: one row per pair of authors (in key order) with
their shared works and first and last year.

A store records the version of the schema it was declared with; an additive change (a new
table, a replaced view) is declared again on open, an incompatible one bumps
:data:`SCHEMA_VERSION`.

>>> from kolmap.tables import TABLE
>>> print(table_ddl(TABLE["areas"]))
CREATE TABLE IF NOT EXISTS areas (area_id VARCHAR, name VARCHAR);
>>> STAGE_SCHEMAS["follows"].names
['platform', 'follower_id', 'followed_id', 'source_file', 'source_line']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from kolmap.errors import StoreError, StoreVersionError
from kolmap.graph.duckdb.connection import Connection
from kolmap.tables import RECORD_FIELDS, TABLES, TRANSFER_TABLES, ColumnType, Table, column_type

__all__ = [
    "SCHEMA_SQL",
    "SCHEMA_VERSION",
    "STAGE",
    "STAGE_SCHEMAS",
    "check_version",
    "ensure_schema",
    "links_sql",
    "missing_columns",
    "staging_table",
    "stand_in_for_missing_tables",
    "table_ddl",
    "transfer_table",
]

SCHEMA_VERSION = "3"
# The attached database an ingest run stages its rows in (see DuckDBStore.ingest).
STAGE = "kolmap_stage"

_SQL_TYPES = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.INT: "BIGINT",
    ColumnType.FLOAT: "DOUBLE",
    ColumnType.BOOL: "BOOLEAN",
    ColumnType.TIME: "TIMESTAMPTZ",
    ColumnType.TEXT_LIST: "VARCHAR[]",
    ColumnType.JSON: "JSON",
}
_ARROW_TYPES = {
    ColumnType.TEXT: pa.string(),
    ColumnType.INT: pa.int64(),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.BOOL: pa.bool_(),
    ColumnType.TIME: pa.timestamp("us", tz="UTC"),
    ColumnType.TEXT_LIST: pa.list_(pa.string()),
}


def arrow_schema(columns: Sequence[str]) -> pa.Schema:
    """The Arrow schema of rows with these stored columns (each name has one type)."""
    return pa.schema([(name, _ARROW_TYPES[column_type(name)]) for name in columns])


def sql_type(column: str) -> str:
    return _SQL_TYPES[column_type(column)]


def table_ddl(table: Table) -> str:
    """The ``CREATE TABLE`` statement of one stored table."""
    columns = ", ".join(
        f"{c} {sql_type(c)}{' NOT NULL' if c in table.required else ''}" for c in table.columns
    )
    return f"CREATE TABLE IF NOT EXISTS {table.name} ({columns});"


STAGE_SCHEMAS: dict[str, pa.Schema] = {
    kind: pa.schema([(name, _ARROW_TYPES[column_type(name)]) for name in names])
    for kind, names in RECORD_FIELDS.items()
}


def links_sql(posts: str) -> str:
    """The relations the posts of relation ``posts`` imply, one row per post and relation:
    ``platform, post_id, src, dst, kind, created_at`` (a reply, repost or quote points at
    the author of the post it names; a mention at the account it names)."""
    pointers = (
        ("REPLIES_TO", "reply_to_post_id"),
        ("REPOSTS", "repost_of_post_id"),
        ("QUOTES", "quote_of_post_id"),
    )
    parts = [
        f"""SELECT p.platform, p.post_id, p.author_id AS src, q.author_id AS dst,
               '{kind}' AS kind, p.created_at
        FROM {posts} p JOIN posts q ON q.platform = p.platform AND q.post_id = p.{column}"""
        for kind, column in pointers
    ]
    parts.append(
        f"""SELECT p.platform, p.post_id, p.author_id, m.account_id, 'MENTIONS', p.created_at
        FROM {posts} p JOIN post_mentions m ON m.platform = p.platform AND m.post_id = p.post_id"""
    )
    return "\n        UNION ALL\n        ".join(parts)


_VIEWS = f"""
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
        {links_sql("posts")}),
    derived AS (
        SELECT platform, src, dst, kind, count(*) AS count, min(created_at) AS first_at,
               max(created_at) AS last_at, list(post_id ORDER BY post_id) AS post_ids
        FROM links WHERE src <> dst GROUP BY platform, src, dst, kind)
    SELECT * FROM derived
    UNION ALL
    SELECT platform, src_id, dst_id, kind, count, first_at, last_at, []::VARCHAR[]
    FROM edges WHERE kind <> 'FOLLOWS';
CREATE OR REPLACE VIEW co_authors AS
    SELECT a.author_key AS author_a, b.author_key AS author_b,
           count(DISTINCT a.work_key) AS count,
           min(year(w.published_on)) AS first_year, max(year(w.published_on)) AS last_year
    FROM authorships a
    JOIN authorships b ON b.work_key = a.work_key AND a.author_key < b.author_key
    LEFT JOIN works w ON w.work_key = a.work_key
    GROUP BY ALL;
"""

_TABLES_SQL = "\n".join(table_ddl(t) for t in TABLES)
SCHEMA_SQL = _TABLES_SQL + _VIEWS
_SCHEMA_SQL_HASH = hashlib.sha256(SCHEMA_SQL.encode("utf-8")).hexdigest()


def ensure_schema(db: Connection, location: str) -> None:
    """Declare the tables and views when the store is new, or was declared by a kolmap whose
    declaration differs (additive changes: new tables, replaced views); otherwise opening
    only reads. The declaration is a write transaction, and the app opens the store on every
    click. Incompatible changes bump :data:`SCHEMA_VERSION` instead.
    """
    exists = db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'")
    if not exists:
        # Another application's database: kolmap's tables are never added beside its own.
        others = db.frame(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND NOT temporary "
            "ORDER BY table_name LIMIT 6"
        )["table_name"].tolist()
        if others:
            raise StoreError(
                f"{location}: not a kolmap store: it holds other tables "
                f"({', '.join(others[:5])}{', ...' if len(others) > 5 else ''}); "
                "choose another file for the store"
            )
    if exists:
        check_version(db, location)
        declared = "SELECT count(*) FROM meta WHERE key = 'schema_sql' AND value = ?"
        if db.scalar(declared, [_SCHEMA_SQL_HASH]):
            return
    with db.transaction():
        db.execute(_TABLES_SQL)
        for table, column in missing_columns(db):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type(column)}")
        db.execute(_VIEWS)
        if not exists:
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        db.execute("DELETE FROM meta WHERE key = 'schema_sql'")
        db.execute("INSERT INTO meta VALUES ('schema_sql', ?)", [_SCHEMA_SQL_HASH])


def stand_in_for_missing_tables(db: Connection) -> None:
    """In a store opened read-only that an older kolmap declared (same schema version, fewer
    tables or columns: additive changes are declared on the next write), create each missing
    table as an empty temporary one, and each table missing columns as a temporary view
    with them (NULL), so that reading finds nothing rather than failing. The file is not
    touched."""
    present = set(
        db.frame("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")["table_name"]
    )
    for table in TABLES:
        if table.name not in present:
            db.execute(table_ddl(table).replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
    # Columns declared since: a temporary view of the same name, which the store's own
    # table (named with its catalog, so the view does not read itself) lends its columns.
    missing: dict[str, list[str]] = {}
    for table_name, column in missing_columns(db):
        missing.setdefault(table_name, []).append(column)
    if missing:
        catalog = str((db.row("SELECT current_database()") or [""])[0]).replace('"', '""')
        for table_name, columns in missing.items():
            extra = ", ".join(f"NULL::{sql_type(c)} AS {c}" for c in columns)
            source = f'"{catalog}".main.{table_name}'
            db.execute(f"CREATE TEMP VIEW {table_name} AS SELECT *, {extra} FROM {source}")


def missing_columns(db: Connection) -> list[tuple[str, str]]:
    """``(table, column)`` for each column this kolmap declares that the store's existing
    tables lack: a store an older kolmap declared, before a column was added. Added columns
    are nullable and come from declarations only (never from data), so
    :func:`ensure_schema` adds them in place, the rows reading NULL, without a new schema
    version; a store opened read-only gets stand-ins instead
    (:func:`stand_in_for_missing_tables`)."""
    present = db.frame(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    )
    have: dict[str, set[str]] = {}
    for table, column in zip(present["table_name"], present["column_name"], strict=True):
        have.setdefault(str(table), set()).add(str(column))
    return [
        (table.name, column)
        for table in TABLES
        if table.name in have
        for column in table.columns
        if column not in have[table.name]
    ]


def check_version(db: Connection, location: str) -> None:
    """Refuse a file that is not a kolmap store, or one of another schema version."""
    try:
        row = db.row("SELECT value FROM meta WHERE key = 'schema_version'")
    except duckdb.CatalogException:
        raise StoreError(f"{location}: not a kolmap store (no meta table)") from None
    if row is None or row[0] != SCHEMA_VERSION:
        found = row[0] if row else "none"
        raise StoreVersionError(
            f"{location}: store schema version {found}, this kolmap reads "
            f"{SCHEMA_VERSION}; re-ingest into a new store"
        )


def staging_table(kind: str) -> str:
    """The staging table of record ``kind`` (a key of :data:`STAGE_SCHEMAS`; it is spliced
    into SQL)."""
    if kind not in STAGE_SCHEMAS:
        raise ValueError(f"unknown record kind {kind!r}")
    return f"{STAGE}.s_{kind}"


def transfer_table(table: str) -> str:
    """``table`` if it is one of :data:`~kolmap.tables.TRANSFER_TABLES` (it is spliced into
    SQL)."""
    if table not in TRANSFER_TABLES:
        raise ValueError(f"not a table kolmap moves between stores: {table!r}")
    return table


def stage_ddl(kind: str) -> str:
    """The staging table of record ``kind``: its fields and a ``seq`` position."""
    columns = ", ".join(f"{f} {sql_type(f)}" for f in RECORD_FIELDS[kind])
    return f"CREATE TABLE {staging_table(kind)} ({columns}, seq BIGINT)"
