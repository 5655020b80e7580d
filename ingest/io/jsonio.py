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

__all__ = ["TooDeepError", "json_units", "load_json", "object_items", "peek_json", "top_level"]

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
    """The first unit of a JSON file, to tell its format by: the first element of a
    top-level array, else a sketch of the top-level object (its nested arrays cut to their
    first element), or None when it is not JSON. Read from ``head``, then from up to 8 MB
    of the file when the first unit is longer than ``head`` (a longer object is sketched
    from its first 8 MB); nesting deeper than any export is refused (:class:`TooDeepError`)
    instead of built in memory."""
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
    """The first element of a top-level array, or a sketch of the top-level object (see
    :class:`_Sketch`), built from ijson's events under the nesting limit;
    :class:`InputError` when ``text`` ends before the value does."""
    array = text.lstrip().startswith(b"[")
    if not array:
        return _sketch(text, name)
    builder: Any = None
    depth = 0
    for _prefix, event, value in _events(_BytesReader(text), name):
        if event in ("start_map", "start_array"):
            depth += 1
        if depth == 1 and event == "end_array":
            return None  # an empty array
        if depth >= 2 or (depth == 1 and event != "start_array"):
            if builder is None:
                builder = ijson.ObjectBuilder()
            builder.event(event, value)
        if event in ("end_map", "end_array"):
            depth -= 1
        if builder is not None and depth == 1 and event not in ("start_map", "start_array"):
            return _plain(builder.value)
    raise InputError(f"{name}: the first JSON value does not end")


class _Sketch:
    """A JSON value built from ijson events in which every array below the top level keeps
    only its first element: enough to tell a format by its shape, in little memory however
    long the arrays are (a 200 MB X API response is one object holding 100,000 tweets)."""

    def __init__(self) -> None:
        self.root: Any = None
        self.stack: list[list[Any]] = []  # [container, pending key]
        self.skip = 0  # depth inside an element that is not kept

    def event(self, event: str, value: Any) -> None:
        if self.skip:
            if event in ("start_map", "start_array"):
                self.skip += 1
            elif event in ("end_map", "end_array"):
                self.skip -= 1
            return
        if event == "map_key":
            self.stack[-1][1] = value
            return
        if event in ("end_map", "end_array"):
            self.stack.pop()
            return
        parent = self.stack[-1][0] if self.stack else None
        if isinstance(parent, list) and parent and len(self.stack) >= 2:
            if event in ("start_map", "start_array"):
                self.skip = 1  # a second element of a nested array: not kept
            return
        new: Any = {} if event == "start_map" else [] if event == "start_array" else value
        if parent is None:
            self.root = new
        elif isinstance(parent, list):
            parent.append(new)
        else:
            parent[self.stack[-1][1]] = new
        if event in ("start_map", "start_array"):
            self.stack.append([new, None])


def _sketch(text: bytes, name: str) -> Any:
    """The :class:`_Sketch` of the top-level value of ``text``; when ``text`` is only the
    start of a longer file, the sketch of what it holds."""
    sketch = _Sketch()
    try:
        for _prefix, event, value in _events(_BytesReader(text), name):
            sketch.event(event, value)
    except TooDeepError:
        raise
    except InputError:
        if not isinstance(sketch.root, dict) or not sketch.root:
            raise
    return _plain(sketch.root)


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


def object_items(path: Path, prefix: str) -> Iterator[Any]:
    """The values at ``prefix`` (ijson's dotted path, ``item`` for array elements, e.g.
    ``data.item``) of a file holding one top-level JSON object, one at a time: a huge
    object is read in constant memory instead of whole. Errors as :func:`json_units`."""
    name = str(path)
    with path.open("rb") as fh:
        offset = 3 if fh.read(3) == b"\xef\xbb\xbf" else 0
        fh.seek(offset)
        for value in ijson.items(_events(fh, name, offset), prefix):
            yield _plain(value)


def top_level(path: Path) -> str:
    """``lines``, ``array`` or ``object``: how a JSON file holds its units."""
    with path.open("rb") as fh:
        head = fh.read(65_536)
    if _is_lines(path, head):
        return "lines"
    return "array" if head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"[") else "object"


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
