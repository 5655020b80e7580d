"""Reading JSON exports safely: JSON Lines line by line, arrays streamed, clear positions.

``json_units`` yields ``(position, value)`` for each top-level unit of a file: each line of a
JSON Lines file (a bad line comes out as a :class:`Rejected` and the rest goes on), each
element of a top-level array (streamed with ijson, so memory stays bounded), or the single
top-level object. Malformed JSON raises :class:`InputError` naming the file and position;
absurdly deep nesting is refused the same way instead of crashing.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
>>> _ = p.write_text('{"a": 1}\\n{oops\\n{"a": 2}\\n')
>>> [u if isinstance(u, Rejected) is False else u.reason[:22] for u in json_units(p)]
[(1, {'a': 1}), 'line is not valid JSON', (3, {'a': 2})]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from kolmap.errors import InputError
from kolmap.ingest.io.rows import Rejected

__all__ = ["TooDeepError", "json_units", "load_json", "peek_json"]

_MAX_DEPTH = 200


def _is_lines(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    first, _, rest = text.partition(b"\n")
    return bool(rest.strip().startswith(b"{")) and _complete(first)


def _complete(line: bytes) -> bool:
    try:
        json.loads(line)
        return True
    except (json.JSONDecodeError, RecursionError, UnicodeDecodeError):
        return False


class TooDeepError(InputError):
    """JSON nested deeper than any export is (:data:`_MAX_DEPTH`)."""


class _Counting:
    """A binary stream that counts the bytes read from it (for error positions)."""

    def __init__(self, stream: Any, start: int = 0) -> None:
        self.stream = stream
        self.before = start  # where the last chunk began
        self.after = start  # where it ended

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.stream.read(size)
        self.before, self.after = self.after, self.after + len(chunk)
        return chunk


def _events(stream: Any, name: str, start: int = 0) -> Iterator[tuple[str, str, Any]]:
    """ijson's parse events with a nesting limit (yajl itself never recurses); a parse
    error names the bytes where it happened (``start``: where ``stream`` begins in the
    file)."""
    depth = 0
    counted = _Counting(stream, start)
    try:
        for prefix, event, value in ijson.parse(counted):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > _MAX_DEPTH:
                    raise TooDeepError(
                        f"{name}: JSON nested more than {_MAX_DEPTH} levels "
                        "deep; refused (no export is shaped like that)"
                    )
            elif event in ("end_map", "end_array"):
                depth -= 1
            yield prefix, event, value
    except ijson.JSONError as err:
        detail = " ".join(str(err).split())
        if "premature EOF" in detail:
            raise InputError(
                f"{name}: the JSON ends at byte {counted.after:,} in the middle of a value: "
                "the file is truncated (an interrupted download or copy?)"
            ) from None
        raise InputError(
            f"{name}: not valid JSON between bytes {counted.before:,} and {counted.after:,} "
            f"({detail}); a trailing comma or a damaged file?"
        ) from None


def _stream_items(stream: Any, name: str, start: int = 0) -> Iterator[Any]:
    """The elements of a top-level JSON array, one at a time."""
    builder: Any = None
    depth = 0
    for _prefix, event, value in _events(stream, name, start):
        if event in ("start_map", "start_array"):
            depth += 1
        inside = depth >= 2 or (depth == 1 and event not in ("start_array", "end_array"))
        if inside:
            if builder is None:
                builder = ijson.ObjectBuilder()
            builder.event(event, value)
        if event in ("end_map", "end_array"):
            depth -= 1
        if builder is not None and depth == 1 and event not in ("start_map", "start_array"):
            yield _plain(builder.value)
            builder = None


def load_json(text: str, name: str) -> Any:
    """Parse a JSON text, turning every failure into an :class:`InputError` with a position."""
    for _ in _events(_BytesReader(text.encode("utf-8")), name):
        pass
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{name} line {err.lineno} column {err.colno}: not valid JSON ({err.msg})"
        ) from None


# How much of a file format detection reads to find its first unit: the first bytes, then,
# when a single object is larger (a 100-post feed page is a few hundred KB), up to 8 MB.
_PEEK_BYTES = (65_536, 8 << 20)


def peek_json(path: Path, head: bytes) -> Any:
    """The first unit of a JSON file (the first element of a top-level array, else the
    top-level object), or None when it is not JSON. Read from ``head``, then from up to
    8 MB of the file when the first unit is longer than ``head``; nesting deeper than any
    export is refused (:class:`TooDeepError`) instead of built in memory."""
    if _is_lines(path, head):
        text = head.lstrip(b"\xef\xbb\xbf")
        try:
            return json.loads(text.lstrip().split(b"\n", 1)[0])
        except (json.JSONDecodeError, RecursionError, UnicodeDecodeError):
            return None
    size = path.stat().st_size if path.exists() else len(head)
    for limit in _PEEK_BYTES:
        data = head if limit <= len(head) or size <= len(head) else _read(path, limit)
        text = data.lstrip(b"\xef\xbb\xbf")
        if path.suffix.lower() == ".js":
            _, _, text = text.partition(b"=")
        try:
            return _first_unit(text, str(path))
        except TooDeepError:
            raise
        except InputError:
            if len(data) >= size:
                return None  # the whole file was read: it is not JSON
    return None


def _read(path: Path, limit: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(limit)


def _first_unit(text: bytes, name: str) -> Any:
    """The first element of a top-level array, or the top-level value, built from ijson's
    events under the nesting limit; :class:`InputError` when ``text`` ends before it does."""
    array = text.lstrip().startswith(b"[")
    builder: Any = None
    depth = 0
    for _prefix, event, value in _events(_BytesReader(text), name):
        if event in ("start_map", "start_array"):
            depth += 1
        if array and depth == 1 and event == "end_array":
            return None  # an empty array
        if not array or depth >= 2 or (depth == 1 and event != "start_array"):
            if builder is None:
                builder = ijson.ObjectBuilder()
            builder.event(event, value)
        if event in ("end_map", "end_array"):
            depth -= 1
        done = builder is not None and depth == (1 if array else 0)
        if done and not (array and event in ("start_map", "start_array")):
            return _plain(builder.value)
    raise InputError(f"{name}: the first JSON value does not end")


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = len(self.data) - self.pos
        chunk = self.data[self.pos : self.pos + size]
        self.pos += len(chunk)
        return chunk


def json_units(path: Path, *, prefix: bytes | None = None) -> Iterator[tuple[int, Any] | Rejected]:
    """Top-level units of a JSON/JSONL file (see the module docstring).

    ``prefix`` strips a JavaScript assignment such as ``window.YTD.tweets.part0 =`` first.
    """
    name = str(path)
    with path.open("rb") as fh:
        head = fh.read(65_536)
    if prefix is None and _is_lines(path, head):
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                line = raw.strip()
                if not line:
                    continue
                try:
                    yield number, _mend(json.loads(line.decode("utf-8-sig")), line)
                except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
                    yield Rejected(
                        name,
                        number,
                        f"line is not valid JSON: {err}",
                        raw.decode("utf-8", "replace")[:10_000],
                    )
        return
    offset = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if prefix is not None:
        before, sep, _ = head[offset:].partition(b"=")
        if not sep or not before.strip().startswith(prefix):
            raise InputError(f"{name}: expected a file starting with {prefix.decode()}... = [...]")
        offset += len(before) + 1
    body = head[offset:].lstrip()
    if not body:
        raise InputError(f"{name}: empty file")
    with path.open("rb") as fh:
        fh.seek(offset)
        if body.startswith(b"["):
            yield from enumerate(_stream_items(fh, name, offset), start=1)
            return
        raw = fh.read()
        text = raw.decode("utf-8", errors="strict")
    yield 1, _mend(load_json(text, name), raw)


def _plain(value: Any) -> Any:
    """ijson returns Decimal for numbers; exports' numbers are counts and ids. Lone
    surrogates become U+FFFD (see :func:`_mend`)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# A lone UTF-16 surrogate ("\ud800" with no partner), which real X exports contain: JSON
# allows the escape, but no UTF-8 text can hold the character.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


def _mend(value: Any, raw: bytes) -> Any:
    """``value`` parsed from ``raw``, with any lone surrogate replaced by U+FFFD (only
    walked when ``raw`` holds a surrogate escape at all)."""
    return _plain(value) if _SURROGATE_ESCAPE.search(raw) else value
