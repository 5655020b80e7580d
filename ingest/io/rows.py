"""Read delimited text files row by row, keeping line numbers and every rejected row.

``parse_rows`` is the pure parser over an iterable of text lines; ``open_lines`` opens a file
and decodes it strictly, so a wrong encoding is an error with the byte offset and line, never
silent mojibake. Rows that cannot be used come out as :class:`Rejected` with a reason; the
caller counts them and writes them to the quarantine file.

>>> rows = list(parse_rows(["a,b\\n", "1,2\\n", "3\\n", '"x\\n', 'y",4\\n'], "t.csv"))
>>> rows[0].header
['a', 'b']
>>> [(r.line, r.values) for r in rows[1:] if isinstance(r, Row)]
[(2, {'a': '1', 'b': '2'}), (4, {'a': 'x\\ny', 'b': '4'})]
>>> [(r.line, r.reason) for r in rows if isinstance(r, Rejected)]
[(3, 'expected 2 fields, got 1')]
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kolmap.errors import InputError

__all__ = ["Header", "Rejected", "Row", "open_lines", "parse_rows", "sniff_encoding_hint"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_MAX_RAW = 10_000


@dataclass(frozen=True)
class Header:
    """The first row of a file, normalised (lower case, trimmed, BOM removed)."""

    header: list[str]
    line: int


@dataclass(frozen=True)
class Row:
    """One data row: its starting line number and its values by column name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Rejected:
    """A row that cannot be used, kept verbatim (up to 10,000 characters) with the reason."""

    file: str
    line: int
    reason: str
    raw: str


class _LineTap:
    """Feeds lines to the csv reader while remembering them, so a bad row can be kept verbatim."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.consumed = 0
        self.buffer: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed += 1
        self.buffer.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self.buffer)
        self.buffer.clear()
        return raw[:_MAX_RAW]


def parse_rows(
    lines: Iterable[str],
    name: str,
    *,
    delimiter: str = ",",
    max_field_chars: int = 1_000_000,
) -> Iterator[Header | Row | Rejected]:
    """Yield the header, then each row or rejection, from lines of delimited text.

    Blank lines are skipped. A row with the wrong number of fields, a NUL byte or a field
    longer than ``max_field_chars`` is rejected. An unterminated quote is fatal: it swallows
    the rest of the file, so no later row could be trusted.
    """
    tap = _LineTap(lines)
    reader = csv.reader(tap, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    while True:
        start = tap.consumed + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            message = str(err)
            if "unexpected end of data" in message or "EOF" in message:
                raise InputError(
                    f"{name} line {start}: unterminated quoted field (the quote opened here "
                    "runs to the end of the file); close the quote or remove it"
                ) from None
            yield Rejected(name, start, f"unreadable row: {message}", tap.take())
            continue
        raw = tap.take()
        if not fields or all(not f.strip() for f in fields):
            continue
        if header is None:
            header = [_clean_header(f) for f in fields]
            if len(set(header)) != len(header):
                dupes = sorted({h for h in header if header.count(h) > 1})
                raise InputError(f"{name} line {start}: duplicate column names {dupes}")
            yield Header(header, start)
            continue
        if len(fields) != len(header):
            yield Rejected(name, start, f"expected {len(header)} fields, got {len(fields)}", raw)
            continue
        longest = max(len(f) for f in fields)
        if longest > max_field_chars:
            column = header[max(range(len(fields)), key=lambda i: len(fields[i]))]
            yield Rejected(
                name,
                start,
                f"field {column!r} has {longest:,} characters (limit {max_field_chars:,})",
                raw,
            )
            continue
        if any("\x00" in f for f in fields):
            yield Rejected(name, start, "row contains a NUL byte", raw)
            continue
        yield Row(start, dict(zip(header, fields, strict=True)))
    if header is None:
        raise InputError(f"{name}: empty file (no header row)")


def _clean_header(text: str) -> str:
    return text.replace("\ufeff", "").strip().lower()


def open_lines(path: Path, encoding: str = "auto") -> Iterator[str]:
    """Yield decoded lines of ``path`` (line endings kept), decoding strictly.

    ``auto`` accepts UTF-8 with or without BOM; other bytes raise :class:`InputError` naming
    the byte offset and line, with a hint of the likely encoding and the ``--encoding`` option.
    """
    name = path.name
    codec = "utf-8-sig" if encoding in ("auto", "utf-8", "utf8") else encoding
    try:
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    if codecs.lookup(codec).name.startswith(("utf-16", "utf-32")):
        # A wide encoding (UTF-16, UTF-32): a newline is more than the byte b"\n", so the
        # file is split into lines after decoding, not before.
        yield from _wide_lines(path, codec, encoding)
        return
    offset = 0
    with path.open("rb") as fh:
        head = fh.read(8)
        fh.seek(0)
        _refuse_binary(name, head)
        for number, raw in enumerate(fh, start=1):
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as err:
                bad = offset + err.start
                hint = sniff_encoding_hint(path)
                raise InputError(
                    f"{name} line {number}: not valid {encoding if encoding != 'auto' else 'UTF-8'}"
                    f" at byte {bad} ({raw[err.start : err.start + 4]!r}); {hint}"
                ) from None
            offset += len(raw)
            yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail


def _wide_lines(path: Path, codec: str, encoding: str) -> Iterator[str]:
    """The lines of a file in a wide encoding (UTF-16, UTF-32), decoded strictly; a decoding
    error (a missing byte-order mark, an odd byte count) names the file and line."""
    number = 0
    with path.open("rb") as fh, io.TextIOWrapper(fh, encoding=codec, newline="") as text:
        try:
            for line in text:
                number += 1
                yield line
        except UnicodeError as err:
            raise InputError(
                f"{path.name} line {number + 1}: not valid {encoding} ({err}); "
                f"{sniff_encoding_hint(path)}"
            ) from None


_MAGIC = {
    b"PK\x03\x04": "a ZIP archive or an XLSX workbook",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "a legacy Excel/Office file",
    b"\x1f\x8b": "a gzip file",
}


def _refuse_binary(name: str, head: bytes) -> None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(f"{name}: not a text CSV file; it looks like {what}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: file is UTF-16; save it as UTF-8 (or pass --encoding utf-16)")


def sniff_encoding_hint(path: Path) -> str:
    """A human hint naming the encoding the file most likely uses.

    Windows-1252 (French Excel's "CSV") is preferred whenever it decodes the bytes, since
    detectors often mistake short French texts for rarer code pages.
    """
    from charset_normalizer import from_bytes

    with path.open("rb") as fh:
        sample = fh.read(1_000_000)
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return "it looks like cp1252 (Windows/Excel): re-run with --encoding cp1252"
    best = from_bytes(sample).best()
    if best is None:
        return "the file may be binary; check it is a CSV export"
    guess = str(best.encoding).replace("_", "-")
    if guess in ("utf-8", "ascii"):
        guess = "cp1252"
    return f"it looks like {guess}: re-run with --encoding {guess}"
