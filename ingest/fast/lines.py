"""Which CSV files the fast route may read: those whose every line is one simple record.

Under these conditions DuckDB's CSV parser and Python's read the same fields, and a row's
line number is its position plus one; any other file goes to the row-by-row reader whole,
which reports its problems as it always has. The checks run on 16 MB chunks with array
operations: a Python loop over lines would cost more than the bulk read itself.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "follows.csv"
>>> _ = path.write_bytes(b"platform,follower_id,followed_id\\nx,1,2\\nx,2,\\"3\\"\\n")
>>> simple_lines(path, 3, 1000)
2
>>> _ = path.write_bytes(b"platform,follower_id,followed_id\\nx,1,2\\n\\nx,2,3\\n")
>>> simple_lines(path, 3, 1000) is None  # a blank line
True
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

__all__ = ["bad_line_pattern", "records_per_line", "simple_lines"]

_LONGEST_LINE = 1_000_000
# One CSV field, quoted or not, with no line break inside (RFC 4180, as Python's csv reads).
_FIELD = rb'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")'


def simple_lines(path: Path, columns: int, max_field_chars: int) -> int | None:
    """The number of data rows when every line after the header is one well-formed record
    of ``columns`` fields (valid UTF-8, no NUL, no blank line, none longer than
    ``max_field_chars`` nor 1 MB, the header's line ending throughout); None when the file
    needs the row-by-row reader.

    Under these conditions DuckDB's CSV parser and Python's read the same fields, and a
    row's line number is its position plus one. The checks run on 16 MB chunks with array
    operations (a Python loop over lines would cost more than the bulk read, see
    :func:`records_per_line`).
    """
    bad_line = bad_line_pattern(columns)
    # A line no longer than this many bytes has no field over max_field_chars characters,
    # and stays under DuckDB's max_line_size (2 MB); longer lines are read row by row.
    longest = min(max_field_chars, _LONGEST_LINE)
    rows = 0
    with path.open("rb") as fh:
        header = fh.readline()  # already read by the caller
        if header.count(b'"') % 2:
            return None  # a quoted line break: the header runs over several lines
        crlf = header.endswith(b"\r\n")
        while chunk := fh.read(1 << 24):
            chunk += fh.readline()  # end the chunk at a line end
            newlines = chunk.count(b"\n")
            returns = chunk.count(b"\r")
            if returns != (chunk.count(b"\r\n") if crlf else 0):
                return None  # a bare carriage return, or mixed line endings
            if crlf and returns != newlines:
                return None
            if b"\x00" in chunk or not records_per_line(chunk, columns, longest, bad_line):
                return None
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return None
            rows += newlines + (0 if chunk.endswith(b"\n") else 1)
    return rows


def bad_line_pattern(columns: int) -> re.Pattern[bytes]:
    """Finds a line (not the empty end of a chunk) that is not one record of ``columns``
    fields."""
    return re.compile(
        rb"^(?!\Z)(?!" + _FIELD + rb"(?:," + _FIELD + rb"){%d}\r?$)" % (columns - 1), re.M
    )


def records_per_line(chunk: bytes, columns: int, longest: int, bad_line: re.Pattern[bytes]) -> bool:
    r"""Whether every line of ``chunk`` (a bare carriage return only before a line feed) is
    one record of ``columns`` fields and at most ``longest`` bytes long: what ``bad_line``
    decides, but with the regular expression run only on the lines that hold a quote. A
    line without one is a record exactly when it has ``columns - 1`` commas, which array
    operations count for all lines at once.

    >>> pattern = bad_line_pattern(2)
    >>> records_per_line(b'1,2\n3,"a, ""b"" c"\n', 2, 100, pattern)
    True
    >>> records_per_line(b'1,2\n3,4,5\n', 2, 100, pattern)
    False
    >>> records_per_line(b'1,a"b\n', 2, 100, pattern)
    False
    """
    data = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(chunk)]))
    if starts[-1] == len(chunk):  # the empty end after the last line feed is no line
        starts, stops = starts[:-1], stops[:-1]
    if len(starts) and int((stops - starts).max()) > longest:
        return False

    def per_line(byte: str) -> np.ndarray:
        at = np.flatnonzero(data == ord(byte))
        return np.searchsorted(at, stops) - np.searchsorted(at, starts)

    commas = per_line(",")
    quoted = per_line('"') > 0
    if np.any((commas != columns - 1) & ~quoted):
        return False
    lines = np.flatnonzero(quoted).tolist()
    if not lines:
        return True
    sample = b"\n".join(chunk[starts[i] : stops[i]] for i in lines) + b"\n"
    return bad_line.search(sample) is None
