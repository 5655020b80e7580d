"""Read large canonical CSV files (posts, follows, accounts) in bulk with DuckDB.

The row-by-row reader (:func:`~kolmap.ingest.formats.canonical.read_canonical`, then
:func:`~kolmap.ingest.enrich.enrich`) spends about 28 µs of Python on each row. This reader
gives the same records from one streaming DuckDB query per file: parsing, validation,
mentions, hashtags and area tags in SQL (:mod:`.records`, compiled from the same rules as
the Python route). It is exact by construction, not by approximation:

- A file is read in bulk only when every physical line is one well-formed CSV record with
  the header's number of fields, valid UTF-8, no NUL byte and no blank line (one pass over
  the bytes, :func:`~kolmap.ingest.fast.lines.simple_lines`). Any other file goes to the
  row-by-row reader whole, which reports its problems as before.
- A row is finished in SQL only when each check the Python parser makes can be decided
  exactly there: ids and platforms in plain form, counts written as digits, ISO-8601 times,
  and text made only of characters on which DuckDB's regular expressions, lower-casing and
  accent stripping agree with Python's (verified character by character when the reader is
  built, :func:`~kolmap.ingest.fast.characters.safe_characters`). Every other row (a count
  written ``1 234``, a text in Greek, a bad id) goes with its values and line to the
  row-by-row parser, which accepts, repairs or quarantines it exactly as it always does.
- Rows keep their file order: the pipeline stages each one at ``first + line`` (see
  ``IngestWriter.reserve``), so of two rows with the same key the later still wins.

>>> import tempfile, pathlib
>>> from kolmap.ingest.areas import load_taxonomy
>>> path = pathlib.Path(tempfile.mkdtemp()) / "posts.csv"
>>> _ = path.write_text("platform,post_id,author_id,text\\nx,1,7,Merci @DrX #ASCO26\\n")
>>> reader = BulkReader(load_taxonomy())
>>> batch = next(reader.read(path, "posts", ["platform", "post_id", "author_id", "text"]))
>>> row = batch.table.to_pylist()[0]
>>> row["mentions"], row["hashtags"], row["areas"], batch.lines.tolist()
(['DrX'], ['asco26'], ['oncology'], [2])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.fast.areas import AreaSQL
from kolmap.ingest.fast.characters import safe_characters
from kolmap.ingest.fast.query import Query
from kolmap.ingest.fast.records import accounts, follows, posts
from kolmap.sqltext import quiet

__all__ = ["BULK_KINDS", "BulkBatch", "BulkReadError", "BulkReader"]

BULK_KINDS = ("posts", "follows", "accounts")


@dataclass
class BulkBatch:
    """Part of a file: the rows finished in SQL (``table``, the record columns without
    provenance, and their ``lines``) and the other rows, as ``(line, values)`` for the
    row-by-row parser."""

    table: pa.Table
    lines: np.ndarray
    others: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class BulkReadError(Exception):
    """DuckDB could not read a file that passed
    :func:`~kolmap.ingest.fast.lines.simple_lines`; the caller discards what it staged of the
    file and reads it row by row."""


class BulkReader:
    """Streams canonical posts, follows and accounts files through DuckDB; see the module
    docstring. One reader serves a whole ingest run (it keeps its own in-memory DuckDB)."""

    def __init__(self, taxonomy: Taxonomy, batch_size: int = 250_000) -> None:
        self.taxonomy = taxonomy
        self.batch_size = batch_size  # rows per Arrow batch; each insert costs ~50 ms extra
        self.safe = safe_characters()
        self.areas = AreaSQL(taxonomy, self.safe)
        self.con = quiet(duckdb.connect())
        self.con.execute("SET TimeZone = 'UTC'")

    def close(self) -> None:
        self.con.close()

    def supports(self, kind: str) -> bool:
        """Whether files of ``kind`` can take the bulk route with this taxonomy (see
        :meth:`AreaSQL.supports <kolmap.ingest.fast.areas.AreaSQL.supports>`)."""
        return kind in BULK_KINDS and self.areas.supports(kind)

    def read(self, path: Path, kind: str, header: Sequence[str]) -> Iterator[BulkBatch]:
        """Batches of ``path`` (a canonical ``kind`` file with this ``header``, already
        checked by :func:`~kolmap.ingest.fast.lines.simple_lines`), in file order."""
        if kind not in BULK_KINDS:
            raise ValueError(f"no bulk reader for {kind}")
        names = [f"c{i}" for i in range(len(header))]
        cursor = self.con.cursor()
        try:
            cursor.register("_bulk_source", _read_csv(cursor, path, names))
            query = self._query(kind, header)
            reader = cursor.sql(
                query.sql("_bulk_source"), params=query.params if query.out else None
            ).to_arrow_reader(self.batch_size)
            for first_line, table in self._joined(reader, path):
                yield _split(table, names, header, first_line)
        finally:
            cursor.close()

    def _query(self, kind: str, header: Sequence[str]) -> Query:
        """The query that reads a ``kind`` file with this ``header``."""
        query = Query(self.safe, header)
        if kind == "posts":
            posts(query, self.areas)
        elif kind == "follows":
            follows(query)
        else:
            accounts(query, self.areas)
        return query

    def _joined(self, reader: Any, path: Path) -> Iterator[tuple[int, pa.Table]]:
        """``(first line, table)`` for the batches of ``reader``, joined up to
        ``batch_size`` rows: DuckDB hands out batches of about 90k rows whatever is asked,
        and a staging insert costs ~50 ms more per statement."""
        line, pending, held = 2, [], 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (duckdb.Error, pa.ArrowException) as err:
                raise BulkReadError(f"{path}: {str(err).splitlines()[0]}") from err
            pending.append(batch)
            held += batch.num_rows
            if held >= self.batch_size:
                yield line, pa.Table.from_batches(pending)
                line, pending, held = line + held, [], 0
        if pending:
            yield line, pa.Table.from_batches(pending)


def _read_csv(cursor: Any, path: Path, names: list[str]) -> Any:
    """DuckDB's strict reader over ``path``, every column text (named ``c0``, ``c1``...)."""
    return cursor.read_csv(
        str(path),
        header=True,
        columns=dict.fromkeys(names, "VARCHAR"),
        auto_detect=False,
        delimiter=",",
        quotechar='"',
        escapechar='"',
        strict_mode=True,
        null_padding=False,
        encoding="utf-8",
    )


def _split(batch: pa.Table, names: list[str], header: Sequence[str], first_line: int) -> BulkBatch:
    """Separate the rows finished in SQL from those for the row-by-row parser."""
    fast = batch.column("fast")
    lines = np.arange(first_line, first_line + batch.num_rows, dtype=np.int64)
    mask = np.asarray(fast.to_numpy(), dtype=bool)
    outputs = [n for n in batch.schema.names if n.startswith("r_")]
    table = batch.select(outputs).filter(fast)
    table = table.rename_columns([n[2:] for n in outputs])
    others: list[tuple[int, dict[str, str]]] = []
    if not mask.all():
        rest = batch.select(names).filter(pa.compute.invert(fast)).to_pylist()
        for number, row in zip(lines[~mask].tolist(), rest, strict=True):
            others.append((number, {h: row[n] or "" for h, n in zip(header, names, strict=True)}))
    return BulkBatch(table=table, lines=lines[mask], others=others)
