"""The one door every statement of the DuckDB store goes through.

:class:`Connection` wraps a DuckDB connection with the few ways the store uses it: run a
statement (:meth:`~Connection.execute`), read a number, rows or a frame, work in a write
transaction (:meth:`~Connection.transaction`) or in a scratch one whose temporary tables are
thrown away (:meth:`~Connection.scratch`), and lend an Arrow table to SQL under a name
(:meth:`~Connection.registered`). A ``tracer`` sees every statement with its parameters
(``DuckDBStore(path, tracer=print)``), which is how to time or log what the store does.

Every value reaches DuckDB as a bound parameter or a registered table; SQL text is only ever
assembled from the schema's fixed names.

>>> db = Connection.memory()
>>> with db.scratch("t"):
...     db.execute("CREATE TEMP TABLE t AS SELECT 41 + ? AS n", [1])
...     db.scalar("SELECT n FROM t")
42
>>> db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 't'")
0
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from kolmap.sqltext import quiet

__all__ = ["Connection", "Tracer", "first_line"]

Tracer = Callable[[str, Sequence[Any] | None], None]


class Connection:
    """A DuckDB connection behind one funnel (see module doc)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, tracer: Tracer | None = None) -> None:
        self.raw = con
        self.tracer = tracer
        self._in_transaction = False

    @classmethod
    def memory(cls) -> Connection:
        """A connection to a new in-memory database (for examples and tests)."""
        return cls(quiet(duckdb.connect(":memory:")))

    def _run(self, sql: str, params: Sequence[Any] | None) -> duckdb.DuckDBPyConnection:
        if self.tracer is not None:
            self.tracer(sql, params)
        return self.raw.execute(sql, params)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement and drain its result (DuckDB refuses new work while one is
        pending)."""
        result = self._run(sql, params)
        if result is not None:
            result.fetchall()

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        return self._run(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> int:
        """The one number a statement gives: a ``count(*)``, or the rows an INSERT, UPDATE or
        DELETE changed (0 when it gives none)."""
        first = self.row(sql, params)
        return int(first[0]) if first and first[0] is not None else 0

    def frame(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """A query's result as a pandas frame."""
        return self._run(sql, params).df()

    def memory_limit(self) -> int:
        """The memory DuckDB may hold now, in bytes (``memory_limit``, as DuckDB reports it:
        "488.2 MiB").

        >>> Connection(duckdb.connect(config={"memory_limit": "512MB"})).memory_limit()
        511914803
        """
        text = str(self.row("SELECT current_setting('memory_limit')")[0])  # type: ignore[index]
        number, _, unit = text.partition(" ")
        scale = {"": 1, "bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
        return int(float(number) * scale.get(unit, 1))

    def stream(self, sql: str, batch_size: int = 50_000) -> Iterator[dict[str, Any]]:
        """A query's rows as dicts, read in Arrow batches (for tables larger than memory)."""
        if self.tracer is not None:
            self.tracer(sql, None)
        for batch in self.raw.sql(sql).to_arrow_reader(batch_size):
            yield from batch.to_pylist()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed on a clean exit, rolled back on any exception."""
        self.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            # A COMMIT that failed (a full disk) has already ended the transaction: the
            # ROLLBACK then fails too ("no transaction is active"), and must not hide why.
            with contextlib.suppress(duckdb.Error):
                self.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False

    @contextmanager
    def scratch(self, *temp_tables: str) -> Iterator[Connection]:
        """Work with temporary tables that vanish afterwards: in a transaction rolled back at
        the end, or, inside a transaction already open (an ingest's derivation step), by
        dropping ``temp_tables``."""
        if self._in_transaction:
            try:
                yield self
            finally:
                for table in temp_tables:
                    self.execute(f"DROP TABLE IF EXISTS {table}")
            return
        self.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
        finally:
            self._in_transaction = False
            self.execute("ROLLBACK")

    @contextmanager
    def registered(self, name: str, table: pa.Table | pd.DataFrame) -> Iterator[str]:
        """Lend ``table`` to SQL as ``name`` for the duration of the block."""
        self.raw.register(name, table)
        try:
            yield name
        finally:
            self.raw.unregister(name)

    def close(self) -> None:
        self.raw.close()


def first_line(err: BaseException) -> str:
    """The first line of an error's message (DuckDB's run on with context lines)."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
