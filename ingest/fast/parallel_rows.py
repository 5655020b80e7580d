"""Parse many canonical rows at once, in worker processes when there are enough of them.

Rows the bulk reader hands back (texts it cannot decide in SQL, values only Python repairs)
are parsed and enriched here: when there are many, by a pool of worker processes, one per
core, in chunks whose results come back in file order. Small batches, machines
with one core and systems other than Linux parse in the calling process.

>>> from kolmap.ingest.areas import load_taxonomy
>>> parser = RowParser(load_taxonomy())
>>> rows = [(2, {"platform": "x", "account_id": "1", "bio": "Oncologue"}),
...         (3, {"platform": "x", "account_id": "", "bio": ""})]
>>> part = next(parser.parse("accounts", "accounts.csv", rows))
>>> part.table["bio_areas"].to_pylist(), part.lines.tolist(), part.rejected[0].reason
([['oncology']], [2], 'missing account_id')
>>> parser.close()
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.enrich import enrich
from kolmap.ingest.formats.canonical import parse_values
from kolmap.ingest.io.rows import Rejected
from kolmap.tables import RECORD_FIELDS

__all__ = ["ParsedRows", "RowParser"]

# Rows in one call below which the workers are not worth starting, and rows per task.
MIN_ROWS = 20_000
CHUNK_ROWS = 5_000

_worker_taxonomy: Taxonomy | None = None
# Worker processes are forked (see RowParser.parse); elsewhere rows are parsed in-process.
_CAN_FORK = sys.platform == "linux"


def _start_worker(taxonomy: Taxonomy) -> None:
    global _worker_taxonomy
    _worker_taxonomy = taxonomy


@dataclass
class ParsedRows:
    """Rows parsed and enriched: the records as an Arrow table (the columns of
    :data:`~kolmap.tables.RECORD_FIELDS` but provenance) with their line numbers, and
    the rejected rows. Columnar, because unpickling per-row objects from a worker costs more
    than parsing them."""

    table: pa.Table
    lines: np.ndarray
    rejected: list[Rejected]


def _parse_chunk(task: tuple[str, str, list[tuple[int, dict[str, str]]]]) -> ParsedRows:
    kind, name, rows = task
    assert _worker_taxonomy is not None
    return _parse(kind, name, rows, _worker_taxonomy)


def _parse(
    kind: str, name: str, rows: Sequence[tuple[int, dict[str, str]]], taxonomy: Taxonomy
) -> ParsedRows:
    fields = [f for f in RECORD_FIELDS[kind] if f not in ("source_file", "source_line")]
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    rejected: list[Rejected] = []
    for line, values in rows:
        item = parse_values(kind, values, name, line)
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        for record_kind, record in item.records:
            if record_kind != kind:  # only edges files turn rows into another kind
                raise ValueError(f"{name} line {line}: a {kind} row gave a {record_kind}")
            records.append(enrich(kind, record, taxonomy))
            lines.append(line)
    columns = {f: [r.get(f) for r in records] for f in fields}
    return ParsedRows(pa.table(columns), np.array(lines, dtype=np.int64), rejected)


class RowParser:
    """Parses ``(line, values)`` rows of one kind; see the module docstring."""

    def __init__(self, taxonomy: Taxonomy, workers: int | None = None) -> None:
        self.taxonomy = taxonomy
        self.workers = workers or len(os.sched_getaffinity(0))
        self._pool: ProcessPoolExecutor | None = None

    def parse(
        self, kind: str, name: str, rows: Sequence[tuple[int, dict[str, str]]]
    ) -> Iterator[ParsedRows]:
        """The non-blank rows parsed (a blank row is skipped, as when read row by row), in
        one or more parts."""
        kept = [(line, values) for line, values in rows if any(v.strip() for v in values.values())]
        if len(kept) < MIN_ROWS or self.workers < 2 or not _CAN_FORK:
            yield _parse(kind, name, kept, self.taxonomy)
            return
        if self._pool is None:
            # Forked, not spawned: a spawned child re-imports the caller's main script,
            # which breaks scripts without a main guard. A forked child copies only this
            # thread; it runs parsing and role inference and never calls DuckDB, and it
            # leaves with os._exit (no atexit handlers), so DuckDB's threads and locks,
            # which it does not inherit in a usable state, are never touched.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self.taxonomy,),
            )
        tasks = [(kind, name, kept[i : i + CHUNK_ROWS]) for i in range(0, len(kept), CHUNK_ROWS)]
        yield from self._pool.map(_parse_chunk, tasks)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
