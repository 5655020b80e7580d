"""Flat exports read through column maps: rtweet, Topsy-era CSVs, account lists, and
social-listening exports (Brandwatch-, Talkwalker-, Meltwater-style) in CSV, TSV or XLSX.

Each row gives a post and its author (or just an account). What the row says about other
posts becomes records too, so relations resolve even when those posts are not in the file:
the original of a retweet (its id, author and text, or, in old files, the ``RT @user:`` prefix),
the post replied to, the quoted post, and the ids of mentioned accounts. Authors known only by
handle get an ``@handle`` id until their real id arrives. Column maps
(:mod:`kolmap.ingest.formats.column_maps`) say where each field lives; each becomes a format
of its own (:func:`profile_formats`).

>>> parse_list('["a", "b"]'), parse_list("a~b"), parse_list('c("x", "y")'), parse_list("NA")
(['a', 'b'], ['a', 'b'], ['x', 'y'], [])
>>> platform_from("SOCIALMEDIA_TWITTER"), platform_from("www.linkedin.com"), platform_from("")
('x', 'linkedin', None)
>>> flexible_time("Mon Nov 02 16:05:48 +0000 2009"), flexible_time("06/01/14")
('2009-11-02T16:05:48+00:00', '2014-06-01T00:00:00+00:00')
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError, parse_post, raw_row
from kolmap.ingest.formats.column_maps import (
    Profile,
    choose_profile,
    load_profiles,
    normalise_column,
)
from kolmap.ingest.formats.records import account, post, retweet_original_id
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.rows import Header, Rejected, Row, open_lines, parse_rows
from kolmap.ingest.text import unescape_tweet_text

__all__ = [
    "flexible_time",
    "header_of",
    "parse_list",
    "platform_from",
    "profile_formats",
    "read_flat",
    "sniff_flat",
]

_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
_MISSING = {"", "na", "n/a", "nan", "none", "null", "nat"}
_RT = re.compile(r"^RT @([A-Za-z0-9_.-]+):?\s*(.*)$", re.DOTALL)
_STATUS = re.compile(r"/status(?:es)?/(\d+)")
# The fields a layout with ``escaped_text`` gives HTML-escaped.
_POST_TEXTS = frozenset({"text", "repost_text", "quoted_text"})
_EXCEL_EXACT = 2**53


# -- values -----------------------------------------------------------------------------------
def parse_list(value: str | None) -> list[str]:
    """A list cell: JSON array, R ``c(...)``, ``~``, comma or space separated; NA is empty."""
    if value is None or value.strip().lower() in _MISSING:
        return []
    text = value.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
            return [str(i).strip() for i in items if str(i).strip()]
        except (json.JSONDecodeError, TypeError):
            text = text.strip("[]")
    if text.startswith("c("):
        return re.findall(r'"([^"]*)"', text)
    for sep in ("~", ",", ";", " "):
        if sep in text:
            return [p.strip().lstrip("@#") for p in text.split(sep) if p.strip()]
    return [text.lstrip("@#")]


_PLATFORM_WORDS = [
    ("bsky", "bluesky"),
    ("bluesky", "bluesky"),
    ("twitter", "x"),
    ("x.com", "x"),
    ("linkedin", "linkedin"),
    ("instagram", "instagram"),
    ("facebook", "facebook"),
    ("youtube", "youtube"),
    ("tiktok", "tiktok"),
    ("reddit", "reddit"),
    ("mastodon", "mastodon"),
    ("threads", "threads"),
]


def platform_from(value: str | None) -> str | None:
    """Map a source/domain/page-type value to a platform id (None when it names none)."""
    text = (value or "").strip().lower()
    if not text:
        return None
    for word, platform in _PLATFORM_WORDS:
        if word in text:
            return platform
    return "web"


_TIME_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter v1.1
    "%m/%d/%y",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%b %d, %Y %I:%M %p",
    "%d %b %Y %H:%M",
    "%d-%b-%Y %I:%M%p",  # Meltwater
    "%d-%b-%Y %I:%M %p",
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y",
)


def flexible_time(value: str | None) -> str | None:
    """Read the time formats exports use and return ISO-8601 (UTC when no zone is given)."""
    if value is None or value.strip().lower() in _MISSING:
        return None
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        seconds = float(text)
        return datetime.fromtimestamp(
            seconds / 1000 if seconds > 1e11 else seconds, UTC
        ).isoformat()
    moment = _moment(text)
    if moment is None:
        return text  # let the canonical parser reject it with its message
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


# X (Twitter) ids since November 2010 are "snowflakes": the creation time in milliseconds
# since this epoch sits above their lowest 22 bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_SLACK = timedelta(hours=36)  # a date written in another time zone


def time_from_id(post_id: str, given: str) -> str | None:
    """The exact creation time of an X post read from its id, when ``given`` (ISO-8601, as
    :func:`flexible_time` returns it) is missing or a bare day (midnight) that the id agrees
    with: Topsy-era files give only the day ("06/01/14"), and every post of a day then looked
    simultaneous to the co-action signal. None when the id is no snowflake, the time given
    has a time of day, or the two disagree (the id is then not a tweet's).

    >>> time_from_id("472996358920871936", "2014-06-01T00:00:00+00:00")
    '2014-06-01T07:01:34.471000+00:00'
    >>> time_from_id("472996358920871936", "2014-06-01T10:15:00+00:00") is None
    True
    >>> time_from_id("472996358920871936", "2019-03-01T00:00:00+00:00") is None
    True
    >>> time_from_id("12345", "") is None
    True
    """
    if not post_id.isdigit() or len(post_id) < 17:
        return None
    moment = datetime.fromtimestamp(((int(post_id) >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, UTC)
    if not given:
        return moment.isoformat() if moment <= datetime.now(UTC) + _SNOWFLAKE_SLACK else None
    day = datetime.fromisoformat(given)
    if (day.hour, day.minute, day.second, day.microsecond) != (0, 0, 0, 0):
        return None
    if not day - _SNOWFLAKE_SLACK <= moment <= day + timedelta(days=1) + _SNOWFLAKE_SLACK:
        return None
    return moment.isoformat()


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace(" UTC", "+00:00").replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _clean(value: str | None) -> str:
    if value is None or value.strip().lower() in _MISSING:
        return ""
    return value.strip()


def _bool(value: str | None) -> bool:
    return _clean(value).lower() in ("true", "1", "yes", "t")


# -- reading ----------------------------------------------------------------------------------
def header_of(path: Path, head: bytes) -> list[str]:
    """The header row of a CSV/TSV (from its first bytes) or XLSX file, as written."""
    if path.suffix.lower() == ".xlsx":
        try:
            for row in _xlsx_rows(path, limit=5):
                if isinstance(row, Header):
                    return row.header
        except Exception:
            return []
        return []
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").rstrip("\r")
    return [c.strip().strip('"') for c in first.split(_delimiter(path, first))]


def _delimiter(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d])


def sniff_flat(path: Path, head: bytes, profiles: list[Profile] | None = None) -> bool:
    """A CSV/TSV/XLSX whose header fits one of the column maps."""
    if path.suffix.lower() not in _SUFFIXES:
        return False
    return choose_profile(header_of(path, head), profiles or load_profiles()) is not None


def _xlsx_rows(path: Path, limit: int | None = None) -> Iterator[Header | Row | Rejected]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if limit is not None and number > limit:
                return
            values = ["" if v is None else _cell_text(v) for v in cells]
            if not any(values):
                continue
            if header is None:
                header = [normalise_column(v) for v in values]
                yield Header(header, number)
                continue
            precise = all(not (isinstance(v, float) and abs(v) >= _EXCEL_EXACT) for v in cells)
            if not precise:
                yield Rejected(
                    str(path),
                    number,
                    "a number in this row has more digits than "
                    "Excel keeps (an id stored as a number); export ids as text",
                    ",".join(values)[:10_000],
                )
                continue
            yield Row(
                number, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
            )
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def read_flat(
    path: Path, options: ReadOptions, profiles: list[Profile] | None = None
) -> Iterator[Item]:
    """Rows of a flat export as posts, accounts and the relations they imply."""
    profiles = profiles or load_profiles()
    name = str(path)
    if path.suffix.lower() == ".xlsx":
        rows: Iterator[Header | Row | Rejected] = _xlsx_rows(path)
    else:
        with path.open("rb") as fh:
            first = fh.readline().decode("utf-8-sig", "replace")
        rows = parse_rows(
            open_lines(path, options.encoding),
            name,
            delimiter=_delimiter(path, first),
            max_field_chars=options.max_field_chars,
        )
    mapping: dict[str, str] = {}
    profile: Profile | None = None
    for item in rows:
        if isinstance(item, Header):
            header = [normalise_column(h) for h in item.header]
            profile = choose_profile(header, profiles)
            if profile is None:
                raise InputError(
                    f"{name} line {item.line}: no column map fits this header; "
                    "see `kolmap formats` and the ingest.column_maps setting"
                )
            mapping = profile.present(set(header))
            continue
        if isinstance(item, Rejected):
            yield item
            continue
        assert profile is not None
        values = {normalise_column(k): v for k, v in item.values.items()}
        fields = {f: values.get(c) for f, c in mapping.items()}
        try:
            records, repairs = row_records(fields, profile, options)
        except RowError as err:
            yield Rejected(name, item.line, str(err), raw_row(item.values))
            continue
        yield Parsed(item.line, records, repairs)


def _author_id(author_id: str, handle: str) -> str:
    if author_id:
        return author_id
    if handle:
        return "@" + handle.lstrip("@")
    return ""


def row_records(
    fields: Mapping[str, str | None], profile: Profile, options: ReadOptions
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The records one flat row gives, and the repairs made (see the module docstring)."""
    f = {k: _clean(v) for k, v in fields.items()}
    if profile.escaped_text:
        for name in _POST_TEXTS.intersection(f):
            f[name] = unescape_tweet_text(f[name]) or ""
    repairs: list[str] = []
    platform = platform_from(f.get("platform")) or profile.platform or options.platform
    if not platform:
        raise RowError("no platform: the file does not say it; pass --platform")
    handle = f.get("handle", "").lstrip("@")
    author = _author_id(f.get("author_id", ""), handle)
    if not author:
        raise RowError("no author: neither an author id nor a handle")
    records: list[tuple[str, dict[str, Any]]] = [
        (
            "accounts",
            account(
                platform,
                author,
                handle,
                display_name=f.get("display_name", ""),
                bio=f.get("bio", ""),
                followers=f.get("followers", ""),
                following=f.get("following", ""),
                location=f.get("location", ""),
                url=f.get("profile_url", ""),
                avatar_url=f.get("avatar_url", ""),
                verified=f.get("verified", ""),
                created_at=flexible_time(f.get("account_created_at")) or "",
            ),
        )
    ]
    if "post_id" not in profile.fields and "text" not in profile.fields:
        return records, repairs  # an account list
    post_id = f.get("post_id", "")
    if not post_id:
        found = _STATUS.search(f.get("post_url", ""))
        if found:
            post_id = found.group(1)
            repairs.append("post-id-from-url")
        elif f.get("post_url"):
            post_id = "url:" + hashlib.sha1(f["post_url"].encode()).hexdigest()[:20]
            repairs.append("post-id-from-url")
        else:
            raise RowError("no post id and no post URL")
    text = f.get("text", "")
    created = flexible_time(f.get("created_at")) or ""
    if platform == "x" and (exact := time_from_id(post_id, created)):
        created = exact
        repairs.append("time-from-id")
    main: dict[str, str] = {
        "platform": platform,
        "post_id": post_id,
        "author_id": author,
        "created_at": created,
        "text": text,
        "lang": f.get("lang", ""),
        "likes": f.get("likes", ""),
        "reposts": f.get("reposts", ""),
        "replies": f.get("replies", ""),
    }
    # The original of a repost: given by id and author, or only by the "RT @user:" prefix.
    rt = _RT.match(text)
    is_repost = _bool(f.get("is_repost")) or bool(f.get("repost_of_post_id")) or bool(rt)
    if is_repost:
        original_handle = f.get("repost_handle", "") or (rt.group(1) if rt else "")
        original_author = _author_id(f.get("repost_author_id", ""), original_handle)
        original_id = f.get("repost_of_post_id", "")
        original_text = f.get("repost_text", "") or (rt.group(2) if rt else "")
        if not original_id and original_author and original_text:
            original_id = retweet_original_id(original_author, original_text)
            repairs.append("retweet-from-text")
        if original_id and original_author:
            main["repost_of_post_id"] = original_id
            records += _original(
                platform, original_id, original_author, original_handle, original_text, f, "repost"
            )
    if f.get("quote_of_post_id"):
        quoted_handle = f.get("quoted_handle", "")
        quoted_author = _author_id(f.get("quoted_author_id", ""), quoted_handle)
        main["quote_of_post_id"] = f["quote_of_post_id"]
        if quoted_author:
            records += _original(
                platform,
                f["quote_of_post_id"],
                quoted_author,
                quoted_handle,
                f.get("quoted_text", ""),
                f,
                "quoted",
            )
    mentions = parse_list(f.get("mention_handles"))
    reply_handle = f.get("reply_to_handle", "").lstrip("@")
    reply_author = _author_id(f.get("reply_to_author_id", ""), reply_handle)
    if f.get("reply_to_post_id") and reply_author:
        main["reply_to_post_id"] = f["reply_to_post_id"]
        target = {"platform": platform, "post_id": f["reply_to_post_id"], "author_id": reply_author}
        records.append(("posts", post(target, reference=True)))
        if reply_handle:
            records.append(
                ("accounts", account(platform, reply_author, reply_handle, reference=True))
            )
    elif reply_handle and reply_handle.lower() not in {m.lower() for m in mentions}:
        mentions.append(reply_handle)  # a reply addresses its author
    ids = parse_list(f.get("mention_ids"))
    if ids and len(ids) == len(mentions):
        records += [
            ("accounts", account(platform, i, h, reference=True))
            for i, h in zip(ids, mentions, strict=True)
            if i and h and i != author
        ]
    record = parse_post(main, handle_ids=True)
    record["mentions"] = [m for m in mentions if m]
    record["hashtags"] = parse_list(f.get("hashtags"))
    records.insert(1, ("posts", record))
    return records, repairs


def _original(
    platform: str,
    post_id: str,
    author: str,
    handle: str,
    text: str,
    f: Mapping[str, str],
    prefix: str,
) -> list[tuple[str, dict[str, Any]]]:
    """Records for a post known from another row (a retweeted or quoted original): what the
    row says of it and of its author, from its ``<prefix>_`` fields (``repost`` or
    ``quoted``: date, like and repost counts, name, bio, follower and following counts,
    location, verified)."""

    def of(name: str) -> str:
        return f.get(f"{prefix}_{name}", "")

    original = {
        "platform": platform,
        "post_id": post_id,
        "author_id": author,
        "text": text,
        "created_at": flexible_time(of("created_at") or None) or "",
        "likes": of("likes"),
        "reposts": of("reposts"),
    }
    out: list[tuple[str, dict[str, Any]]] = [("posts", post(original, reference=True))]
    if handle or of("display_name") or of("bio"):
        out.append(
            (
                "accounts",
                account(
                    platform,
                    author,
                    handle.lstrip("@"),
                    display_name=of("display_name"),
                    bio=of("bio"),
                    followers=of("followers"),
                    following=of("following"),
                    location=of("location"),
                    verified=of("verified"),
                    reference=True,
                ),
            )
        )
    return out


def profile_formats(column_maps: str | Path | None = None) -> list[FormatSpec]:
    """One format per column map (the built-in ones and those of ``column_maps``), each
    recognising the files it fits best among all the maps."""
    profiles = load_profiles(column_maps)
    return [
        FormatSpec(
            profile.name,
            profile.description,
            partial(_sniff_profile, profile=profile, profiles=profiles),
            partial(_read_profile, profile=profile),
            partial(_unused_columns, profile=profile),
        )
        for profile in profiles
    ]


def _unused_columns(path: Path, options: ReadOptions, *, profile: Profile) -> list[str]:
    """The columns of the file's header that ``profile`` maps to no field, as written."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    header = header_of(path, head)
    used = set(profile.present({normalise_column(h) for h in header}).values())
    return [h for h in header if h and normalise_column(h) not in used]


def _sniff_profile(path: Path, head: bytes, *, profile: Profile, profiles: list[Profile]) -> bool:
    """This profile is the best fit among all column maps."""
    if not sniff_flat(path, head, profiles):
        return False
    return choose_profile(header_of(path, head), profiles) == profile


def _read_profile(path: Path, options: ReadOptions, *, profile: Profile) -> Iterator[Item]:
    return read_flat(path, options, profiles=[profile])
