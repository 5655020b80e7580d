"""The canonical input format: accounts.csv, follows.csv, posts.csv and labels.csv.

Each file kind declares its columns; only ``platform`` and the ids are required. Each row is
turned into a typed record or rejected with a reason (the caller quarantines it). Platform
adapters (later) convert their exports into these same records.

>>> parse_account({"platform": "Twitter", "account_id": "42", "handle": "@DrMartin",
...                "followers": "1 234", "verified": "yes"})["followers"]
1234
>>> parse_post({"platform": "x", "post_id": "1", "author_id": "42",
...             "created_at": "2026-05-30T09:00:00Z"})["created_at"].isoformat()
'2026-05-30T09:00:00+00:00'
>>> detect_kind("data/x_accounts.csv", [])
'accounts'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.rows import Header, Rejected, open_lines, parse_rows
from kolmap.model import (
    ACCOUNT_COLUMNS,
    AFFILIATIONS,
    EDGE_COLUMNS,
    FOLLOW_COLUMNS,
    LABEL_COLUMNS,
    POST_COLUMNS,
    Interaction,
    Role,
    normalise_handle,
    normalise_platform,
    stub_id_for_handle,
)

__all__ = [
    "BOOL_FALSE",
    "BOOL_TRUE",
    "COLUMNS",
    "FORMAT",
    "KINDS",
    "MAX_ID_CHARS",
    "REQUIRED",
    "RowError",
    "check_header",
    "detect_kind",
    "parse_account",
    "parse_edge",
    "parse_follow",
    "parse_label",
    "parse_post",
    "parse_values",
    "raw_row",
    "read_canonical",
    "sniff_canonical",
]

MAX_ID_CHARS = 300  # the longest platform id accepted
KINDS = ("labels", "accounts", "posts", "follows", "edges")
COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ACCOUNT_COLUMNS,
    "follows": FOLLOW_COLUMNS,
    "posts": POST_COLUMNS,
    "labels": LABEL_COLUMNS,
    "edges": EDGE_COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "accounts": ("platform", "account_id"),
    "follows": ("platform", "follower_id", "followed_id"),
    "posts": ("platform", "post_id", "author_id"),
    "labels": ("platform", "account_id"),
    "edges": ("platform", "src_id", "dst_id"),
}


class RowError(ValueError):
    """A row cannot be used; the message is the quarantine reason."""


def detect_kind(path: str | PurePath, header: Sequence[str]) -> str | None:
    """The canonical kind of a file, from its name (``*accounts.csv``) or else its header."""
    name = PurePath(path).name.lower()
    for kind in KINDS:
        if name.endswith((f"{kind}.csv", f"{kind}.tsv")):
            return kind
    columns = set(header)
    matches = [k for k in KINDS if set(REQUIRED[k]) <= columns and k != "labels"]
    if "role" in columns and set(REQUIRED["labels"]) <= columns and "handle" not in columns:
        matches = ["labels"]
    return matches[0] if len(matches) == 1 else None


def check_header(kind: str, header: Sequence[str], name: str, line: int) -> list[str]:
    """Fail on missing required columns; return the unknown columns (ignored, reported)."""
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        joined = "".join(header)
        other = next((d for d in (";", "\t", "|") if d in joined and len(header) <= 2), None)
        hint = (
            f" (its columns look separated by {'a tab' if other == chr(9) else repr(other)}: "
            "canonical files are comma-separated; save it as CSV with commas)"
            if other
            else ""
        )
        raise InputError(
            f"{name} line {line}: {kind} file is missing required column(s) {', '.join(missing)};"
            f" expected {','.join(COLUMNS[kind])}; got {','.join(header)}{hint}"
        )
    return [c for c in header if c not in COLUMNS[kind]]


def _text(values: Mapping[str, str], column: str) -> str | None:
    value = values.get(column)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _required_id(values: Mapping[str, str], column: str, handle_ids: bool = False) -> str:
    value = _text(values, column)
    if value is None:
        raise RowError(f"missing {column}")
    if value.startswith("@"):
        if not handle_ids:
            raise RowError(f"{column} {value!r} looks like a handle; ids must be platform ids")
        try:
            return stub_id_for_handle(normalise_handle(value))
        except ValueError as err:
            raise RowError(f"{column}: {err}") from None
    if len(value) > MAX_ID_CHARS:
        raise RowError(f"{column} is {len(value)} characters long (limit {MAX_ID_CHARS})")
    return value


def _optional_id(values: Mapping[str, str], column: str) -> str | None:
    return _required_id(values, column) if _text(values, column) is not None else None


def _platform(values: Mapping[str, str]) -> str:
    value = _text(values, "platform")
    if value is None:
        raise RowError("missing platform")
    try:
        return normalise_platform(value)
    except ValueError as err:
        raise RowError(str(err)) from None


_INT_RE = re.compile(r"^\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+$|^\d+$")
_NON_DIGITS = re.compile(r"\D")
_MAX_COUNT = 2**63 - 1  # stored as a 64-bit integer


def _count(values: Mapping[str, str], column: str) -> int | None:
    value = _text(values, column)
    if value is None:
        return None
    if value.isascii() and value.isdigit():
        number = int(value)
    else:
        if value.endswith(".0") and value[:-2].isdigit():
            value = value[:-2]
        if not _INT_RE.match(value):
            raise RowError(f"{column} must be a whole number >= 0, got {value!r}")
        number = int(_NON_DIGITS.sub("", value))
    if number > _MAX_COUNT:
        raise RowError(f"{column} is too large ({value}); the limit is {_MAX_COUNT:,}")
    return number


BOOL_TRUE = {"true", "1", "yes", "y", "t", "vrai", "oui"}
BOOL_FALSE = {"false", "0", "no", "n", "f", "faux", "non"}


def _bool(values: Mapping[str, str], column: str) -> bool | None:
    value = _text(values, column)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in BOOL_TRUE:
        return True
    if lowered in BOOL_FALSE:
        return False
    raise RowError(f"{column} must be true or false, got {value!r}")


def _time(values: Mapping[str, str], column: str) -> datetime | None:
    value = _text(values, column)
    if value is None:
        return None
    try:
        if value.isdigit():
            moment = datetime.fromtimestamp(int(value) / (1000 if len(value) > 11 else 1), UTC)
        else:
            moment = datetime.fromisoformat(value.replace(" UTC", "Z"))
    except (ValueError, OverflowError, OSError):
        raise RowError(f"{column} must be an ISO-8601 time, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_account(values: Mapping[str, str], *, handle_ids: bool = False) -> dict[str, Any]:
    """One accounts.csv row as a typed record.

    Adapters for exports that give only a handle pass ``handle_ids=True``: an id written
    ``@handle`` then names the account by its handle until its real id is known, when the
    store folds the two together.
    """
    raw = _text(values, "handle")
    handle = None
    if raw is not None:
        try:
            handle = normalise_handle(raw)
        except ValueError as err:
            raise RowError(str(err)) from None
    return {
        "platform": _platform(values),
        "account_id": _required_id(values, "account_id", handle_ids),
        "handle": handle,
        # The handle as the file wrote it, when normalising changed more than an "@".
        "handle_raw": raw if raw is not None and raw.removeprefix("@") != handle else None,
        "display_name": _text(values, "display_name"),
        "bio": _text(values, "bio"),
        "followers": _count(values, "followers"),
        "following": _count(values, "following"),
        "location": _text(values, "location"),
        "lang": _text(values, "lang"),
        "url": _text(values, "url"),
        "verified": _bool(values, "verified"),
        "created_at": _time(values, "created_at"),
        "avatar_url": _text(values, "avatar_url"),
    }


def parse_follow(values: Mapping[str, str], *, handle_ids: bool = False) -> dict[str, Any]:
    """One follows.csv row: ``follower_id`` follows ``followed_id``."""
    record = {
        "platform": _platform(values),
        "follower_id": _required_id(values, "follower_id", handle_ids),
        "followed_id": _required_id(values, "followed_id", handle_ids),
    }
    if record["follower_id"] == record["followed_id"]:
        raise RowError("an account cannot follow itself")
    return record


def parse_post(values: Mapping[str, str], *, handle_ids: bool = False) -> dict[str, Any]:
    """One posts.csv row as a typed record (mentions and hashtags are parsed later)."""
    record = {
        "platform": _platform(values),
        "post_id": _required_id(values, "post_id"),
        "author_id": _required_id(values, "author_id", handle_ids),
        "created_at": _time(values, "created_at"),
        "text": _text(values, "text"),
        "reply_to_post_id": _optional_id(values, "reply_to_post_id"),
        "repost_of_post_id": _optional_id(values, "repost_of_post_id"),
        "quote_of_post_id": _optional_id(values, "quote_of_post_id"),
        "likes": _count(values, "likes"),
        "reposts": _count(values, "reposts"),
        "replies": _count(values, "replies"),
        "lang": _text(values, "lang"),
    }
    own_id = record["post_id"]
    for ref in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
        if record[ref] == own_id:
            raise RowError(f"{ref} points to the post itself")
    return record


def parse_edge(values: Mapping[str, str], *, handle_ids: bool = False) -> dict[str, Any]:
    """One edges.csv row: a relation imported as such (``kind`` one of MENTIONS, REPOSTS,
    REPLIES_TO, QUOTES, INTERACTS, FOLLOWS; default INTERACTS), with a count and times."""
    kind_text = (_text(values, "kind") or "INTERACTS").upper().replace(" ", "_")
    try:
        kind = Interaction(kind_text).value
    except ValueError:
        allowed = ", ".join(i.value for i in Interaction)
        raise RowError(f"kind must be one of {allowed}, got {kind_text!r}") from None
    record = {
        "platform": _platform(values),
        "src_id": _required_id(values, "src_id", handle_ids),
        "dst_id": _required_id(values, "dst_id", handle_ids),
        "kind": kind,
        "count": _count(values, "count") or 1,
        "first_at": _time(values, "first_at"),
        "last_at": _time(values, "last_at"),
    }
    if record["src_id"] == record["dst_id"]:
        raise RowError("a relation needs two different accounts")
    return record


def parse_label(values: Mapping[str, str]) -> dict[str, Any]:
    """One labels.csv row: a user-verified role, specialty, person id and/or affiliation
    (``industry``, or ``none`` for "checked, not industry") with its employer.

    >>> parse_label({"platform": "x", "account_id": "7", "affiliation": "Industry",
    ...              "employer": "@Veralis"})["affiliation"]
    'industry'
    """
    role_text = _text(values, "role")
    role = None
    if role_text is not None:
        try:
            role = Role.parse(role_text).value
        except ValueError as err:
            raise RowError(str(err)) from None
    affiliation = _text(values, "affiliation")
    if affiliation is not None:
        affiliation = affiliation.lower()
        if affiliation not in AFFILIATIONS:
            raise RowError(
                f"affiliation must be one of {', '.join(AFFILIATIONS)}, got {affiliation!r}"
            )
    record = {
        "platform": _platform(values),
        "account_id": _required_id(values, "account_id"),
        "role": role,
        "specialty": _text(values, "specialty"),
        "person_id": _text(values, "person_id"),
        "affiliation": affiliation,
        "employer": _text(values, "employer"),
    }
    if record["employer"] is not None and affiliation != "industry":
        raise RowError("employer is given only with affiliation industry")
    if all(record[c] is None for c in ("role", "specialty", "person_id", "affiliation")):
        raise RowError("label row has no role, specialty, person_id or affiliation")
    return record


_PARSERS: dict[str, Any] = {
    "edges": parse_edge,
    "accounts": parse_account,
    "follows": parse_follow,
    "posts": parse_post,
    "labels": parse_label,
}


def sniff_canonical(path: Path, head: bytes) -> bool:
    """A CSV/TSV named for its kind (``x_posts.csv``) or whose header has a kind's columns."""
    if path.suffix.lower() not in (".csv", ".tsv"):
        return False
    if detect_kind(path.name, []) is not None:
        return True
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    header = [c.strip().lower() for c in first.split(delimiter)]
    return detect_kind("", header) is not None


def read_canonical(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Rows of one canonical file as parsed records (kind from the name, else the header)."""
    name = str(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    kind: str | None = None
    for item in parse_rows(
        open_lines(path, options.encoding),
        name,
        delimiter=delimiter,
        max_field_chars=options.max_field_chars,
    ):
        if isinstance(item, Header):
            kind = detect_kind(path.name, item.header)
            if kind is None:
                raise InputError(
                    f"{name}: cannot tell which kind of file this is; name it accounts.csv, "
                    "follows.csv, posts.csv or labels.csv (a prefix such as x_posts.csv is fine)"
                )
            check_header(kind, item.header, name, item.line)
            continue
        if isinstance(item, Rejected):
            yield item
            continue
        assert kind is not None
        yield parse_values(kind, item.values, name, item.line)


def parse_values(kind: str, values: Mapping[str, str], name: str, line: int) -> Item:
    """One canonical row's values (by column name) as a parsed record or a rejection.

    >>> parse_values("follows", {"platform": "x", "follower_id": "1", "followed_id": "1"},
    ...              "follows.csv", 2).reason
    'an account cannot follow itself'
    """
    try:
        record = _PARSERS[kind](values)
    except RowError as err:
        return Rejected(name, line, str(err), raw_row(values))
    if kind == "edges" and record["kind"] == "FOLLOWS":
        record = {
            "platform": record["platform"],
            "follower_id": record["src_id"],
            "followed_id": record["dst_id"],
        }
        return Parsed(line, [("follows", record)])
    return Parsed(line, [(kind, record)])


def ignored_columns(path: Path, options: ReadOptions) -> list[str]:
    """Columns of a canonical file that kolmap does not use (reported, never stored)."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    for item in parse_rows(open_lines(path, options.encoding), str(path), delimiter=delimiter):
        if isinstance(item, Header):
            kind = detect_kind(path.name, item.header)
            return [c for c in item.header if kind and c not in COLUMNS[kind]]
    return []


def raw_row(values: Mapping[str, str]) -> str:
    """A row's values as one CSV line (what the quarantine file keeps)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values.values())
    return buffer.getvalue()[:10_000]


FORMAT = FormatSpec(
    "canonical",
    "kolmap's own CSV files: accounts, follows, posts, labels (docs/input-format.md)",
    sniff_canonical,
    read_canonical,
)
