"""What both the DuckDB store and the fast ingest route need of DuckDB, below both (neither
may import the other): the one rule for writing a string as an SQL literal, for SQL text that
cannot be a parameter (``ATTACH`` paths, ``COPY … TO`` files, settings, rule values compiled
into SQL expressions), and :func:`quiet`, how every DuckDB connection is opened.

>>> sql_string("it's")
"'it''s'"
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

__all__ = ["quiet", "sql_string"]


class _Executes(Protocol):
    def execute(self, query: str, /) -> Any: ...


_Con = TypeVar("_Con", bound=_Executes)


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal (single quotes, inner quotes doubled), for the
    places a statement cannot take a parameter. Everything else is parameterised."""
    return "'" + text.replace("'", "''") + "'"


def quiet(con: _Con) -> _Con:
    """``con`` without DuckDB's progress bar, which DuckDB prints to standard output for any
    query over two seconds, even into a pipe: ``kolmap rank --format csv > top.csv`` on a
    large store wrote it into the CSV, and a benchmark's child, whose output its parent
    read at the end, hung on a full pipe at 10M edges. Every DuckDB connection kolmap opens
    goes through here (its cursors inherit the setting); this module imports no DuckDB,
    the callers hand it their connection."""
    con.execute("SET enable_progress_bar = false")
    return con
