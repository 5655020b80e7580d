"""A DuckDB store's tables row by row: what copying a store, and mirroring one, needs.

:class:`DuckDBReplica` is the :class:`~kolmap.graph.store.Replica` of a DuckDB store (stream a
table's rows, fill an empty store), plus what the Neo4j store's local copy needs to send Neo4j
only what a command changed: a :meth:`~DuckDBReplica.snapshot` of every table, the
:meth:`~DuckDBReplica.changes` since, and values kept in the store's ``meta`` table.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> replica = DuckDBStore(":memory:").replica
>>> replica.is_empty(), replica.load_rows({"areas": [{"area_id": "onc", "name": "Oncology"}]})
(True, {'areas': 1})
>>> list(replica.table_rows("areas"))
[{'area_id': 'onc', 'name': 'Oncology'}]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa

from kolmap.errors import StoreError
from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.schema import transfer_table
from kolmap.tables import TABLE, TRANSFER_TABLES

__all__ = ["DuckDBReplica"]

_BATCH = 50_000


class DuckDBReplica:
    """The rows of one DuckDB store's tables (see module doc)."""

    def __init__(self, db: Connection, location: str) -> None:
        self.db = db
        self.location = location

    def table_rows(self, table: str, batch_size: int = _BATCH) -> Iterator[dict[str, Any]]:
        """Every row of one of :data:`~kolmap.tables.TRANSFER_TABLES`, as dicts, streamed in
        batches."""
        return self.db.stream(f"SELECT * FROM {transfer_table(table)}", batch_size)

    def row_count(self, table: str) -> int:
        """Rows in one of :data:`~kolmap.tables.TRANSFER_TABLES`."""
        return self.db.scalar(f"SELECT count(*) FROM {transfer_table(table)}")

    def is_empty(self) -> bool:
        return all(self.row_count(table) == 0 for table in TRANSFER_TABLES)

    def load_rows(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, int]:
        """Fill an empty store with rows per table (as :meth:`table_rows` gives them), in
        one transaction; a missing key is a null. Returns rows loaded per table."""
        if not self.is_empty():
            raise StoreError(f"{self.location}: not empty; import into a new store")
        counts: dict[str, int] = {}
        with self.db.transaction():
            for table, rows in tables.items():
                transfer_table(table)
                counts[table] = 0
                batch: list[Mapping[str, Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= _BATCH:
                        counts[table] += self._insert_by_name(table, batch)
                        batch = []
                if batch:
                    counts[table] += self._insert_by_name(table, batch)
        return counts

    def _insert_by_name(self, table: str, rows: list[Mapping[str, Any]]) -> int:
        columns = sorted({k for row in rows for k in row})
        frame = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
        with self.db.registered("_rows", frame):
            self.db.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
        return len(rows)

    # -- what a mirror needs ----------------------------------------------------------------
    def snapshot(self) -> None:
        """Remember every table's rows (in temporary tables) for :meth:`changes`."""
        for table in TRANSFER_TABLES:
            self.db.execute(f"CREATE OR REPLACE TEMP TABLE before_{table} AS SELECT * FROM {table}")

    def changes(
        self, table: str, key: Sequence[str]
    ) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
        """Since :meth:`snapshot`: the rows of ``table`` that are new or changed, and the keys
        (``key`` columns) of those that are gone."""
        unknown = set(key) - set(TABLE[transfer_table(table)].columns)
        if not key or unknown:
            raise ValueError(f"{table} has no key columns {sorted(unknown)}")
        cols = ", ".join(key)
        upserts = self.db.stream(f"SELECT * FROM {table} EXCEPT SELECT * FROM before_{table}")
        removed = self.db.stream(
            f"SELECT {cols} FROM before_{table} EXCEPT SELECT {cols} FROM {table}"
        )
        return upserts, removed

    def drop_snapshot(self) -> None:
        for table in TRANSFER_TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS before_{table}")

    def meta_value(self, key: str) -> str | None:
        """A value kolmap keeps in the store's ``meta`` table."""
        row = self.db.row("SELECT value FROM meta WHERE key = ?", [key])
        return None if row is None else str(row[0])

    def set_meta_value(self, key: str, value: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])
            self.db.execute("INSERT INTO meta VALUES (?, ?)", [key, value])
