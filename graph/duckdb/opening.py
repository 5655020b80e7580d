"""Opening a DuckDB file as a store: errors that say what the file is and what went wrong,
waiting while another process holds it, and removing a database's files."""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from kolmap.errors import StoreError, StoreLockedError
from kolmap.graph.duckdb.connection import first_line
from kolmap.sqltext import quiet

__all__ = ["MEMORY_SIZE", "connect", "remove_database_files"]


# What a file that is not a DuckDB database starts with, for the error that names it.
_OTHER_FILES = {
    b"SQLite format 3\x00": "a SQLite database",
    b"PK\x03\x04": "a ZIP archive or an Office file",
    b"PAR1": "a Parquet file",
}


def _refuse_foreign_file(location: str) -> None:
    """A file that exists must be a DuckDB database (its magic bytes ``DUCK`` at offset 8):
    DuckDB itself would try to download an extension to read a SQLite file named
    ``.duckdb``, or fail on a CSV with a cryptic message."""
    path = Path(location)
    if location == ":memory:" or not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head[8:12] == b"DUCK":
        return
    what = next((name for magic, name in _OTHER_FILES.items() if head.startswith(magic)), None)
    raise StoreError(
        f"{location}: {what or 'not a DuckDB database'}, not a kolmap store; "
        "choose another file for the store"
    )


# A size DuckDB's memory_limit accepts: 512MB, 2GB, 1.5GiB.
MEMORY_SIZE = re.compile(r"\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B|bytes)", re.IGNORECASE)


def connect(
    location: str, read_only: bool, memory_limit: str, lock_wait: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file with a readable error for what goes wrong most; while another
    process holds the file, try again for up to ``lock_wait`` seconds."""
    deadline = time.monotonic() + lock_wait
    while True:
        try:
            return _connect_once(location, read_only, memory_limit)
        except StoreLockedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def _connect_once(location: str, read_only: bool, memory_limit: str) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = (
        {"memory_limit": memory_limit} if memory_limit else {}
    )
    try:
        if read_only and location != ":memory:" and not Path(location).exists():
            raise StoreError(f"{location}: no store here yet; run `kolmap ingest` first")
        _refuse_foreign_file(location)
        return quiet(duckdb.connect(location, read_only=read_only, config=config))
    except duckdb.IOException as err:
        message = f"{location}: cannot open the store: {first_line(err)}"
        if "could not set lock" in str(err).lower():
            raise StoreLockedError(message) from err
        raise StoreError(message) from err
    except (duckdb.ParserException, duckdb.InvalidInputException) as err:
        if not config:
            raise StoreError(f"{location}: not a usable DuckDB store: {first_line(err)}") from err
        raise StoreError(
            f"store.memory_limit {memory_limit!r} is not a size DuckDB accepts (say 2GB or "
            f"512MB): {first_line(err)}"
        ) from err
    except duckdb.Error as err:
        raise StoreError(f"{location}: not a usable DuckDB store: {first_line(err)}") from err


def remove_database_files(path: Path) -> None:
    """Delete a DuckDB database file and its write-ahead log, if they exist."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
