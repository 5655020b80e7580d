"""X (Twitter) API exports, as JSON or JSON Lines: API v2 responses (``data`` with
``includes.users`` and ``includes.tweets``, or single v2 tweets) and API v1.1 tweet objects
(``user``, ``entities.user_mentions``, ``retweeted_status``, ``quoted_status``).

Each tweet gives its post and author; what it references becomes reference records, so
retweets, quotes and replies resolve even when the original is not in the file: from
``includes.tweets`` or the embedded v1.1 status when present, else (for retweets) from the
``RT @user:`` prefix. Mentioned accounts arrive with their ids.

>>> kind_of({"data": [{"id": "1", "text": "hi", "author_id": "2"}]}), kind_of({"id_str": "1",
... "user": {}, "text": "x"}), kind_of({"name": "n"})
('v2', 'v1', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.flat import flexible_time
from kolmap.ingest.formats.records import account, post, retweet_original_id
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.jsonio import json_units, object_items, peek_json, top_level
from kolmap.ingest.io.rows import Rejected
from kolmap.ingest.text import unescape_tweet_text

__all__ = ["FORMAT", "kind_of", "read_x_api", "sniff_x_api", "v1_tweet"]

_SUFFIXES = (".json", ".jsonl", ".ndjson")
_RT = re.compile(r"^RT @([A-Za-z0-9_]+):\s*(.*)$", re.DOTALL)
Records = list[tuple[str, dict[str, Any]]]


def kind_of(unit: Any) -> str | None:
    """``v2``, ``v1`` or None for one top-level JSON unit."""
    if not isinstance(unit, Mapping):
        return None
    data = unit.get("data")
    if isinstance(data, list) and (not data or isinstance(data[0], Mapping)):
        return "v2"
    if isinstance(data, Mapping) and "text" in data:
        return "v2"
    if "author_id" in unit and "text" in unit and "id" in unit:
        return "v2"
    if "id_str" in unit and "user" in unit:
        return "v1"
    return None


def sniff_x_api(path: Path, head: bytes) -> bool:
    if path.suffix.lower() not in _SUFFIXES:
        return False
    unit = peek_json(path, head)
    if isinstance(unit, list) and unit:
        unit = unit[0]
    return kind_of(unit) is not None


def read_x_api(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Each tweet of the file as a parsed row (JSONL: the line number; JSON: the position).

    A file that is one v2 response object (``data`` tweets with ``includes``) is streamed:
    its ``includes`` first, then one tweet at a time, so a response of 100,000 tweets is
    never held whole (docs/reliability.md, memory budget).
    """
    if top_level(path) == "object":
        with path.open("rb") as fh:
            sketch = peek_json(path, fh.read(65_536))
        if kind_of(sketch) == "v2" and isinstance(sketch.get("data"), list):
            yield from _streamed_page(path)
            return
    name = str(path)
    for unit in json_units(path):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        units = value if isinstance(value, list) else [value]
        for item in units:
            kind = kind_of(item)
            if kind == "v2":
                tweets, users, included = _v2_parts(item)
                numbered = isinstance(item.get("data"), list)
                yield from _v2_rows(name, position, tweets, users, included, numbered)
            elif kind == "v1":
                try:
                    yield Parsed(position, v1_tweet(item, reference=False))
                except RowError as err:
                    yield Rejected(name, position, str(err), str(item)[:10_000])
            else:
                reason = "not an X API tweet or response"
                yield Rejected(name, position, reason, str(item)[:10_000])


def _streamed_page(path: Path) -> Iterator[Item]:
    users = {
        str(u.get("id")): u
        for u in object_items(path, "includes.users.item")
        if isinstance(u, Mapping)
    }
    included = {
        str(t.get("id")): t
        for t in object_items(path, "includes.tweets.item")
        if isinstance(t, Mapping)
    }
    tweets = object_items(path, "data.item")
    yield from _v2_rows(str(path), 1, tweets, users, included, numbered=True)


def _v2_parts(
    page: Mapping[str, Any],
) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """A v2 unit's tweets, and its included users and tweets by id."""
    if "data" in page:
        data = page["data"]
        tweets = data if isinstance(data, list) else [data]
    else:
        tweets = [page]
    includes = page.get("includes") or {}
    users = {str(u.get("id")): u for u in includes.get("users") or [] if isinstance(u, Mapping)}
    included = {str(t.get("id")): t for t in includes.get("tweets") or [] if isinstance(t, Mapping)}
    return tweets, users, included


def _v2_rows(
    name: str,
    position: int,
    tweets: Iterable[Any],
    users: Mapping[str, Any],
    included: Mapping[str, Any],
    numbered: bool,
) -> Iterator[Item]:
    """Each tweet of a v2 unit as a parsed row; a bad tweet is rejected alone (named by its
    place in the unit's ``data`` list when ``numbered``) and the others are kept."""
    for index, tweet in enumerate(tweets):
        try:
            if not isinstance(tweet, Mapping):
                raise RowError("not a tweet object")
            yield Parsed(position, _v2_tweet(tweet, users, included))
        except RowError as err:
            where = f"data[{index}]: " if numbered else ""
            yield Rejected(name, position, f"{where}{err}", str(tweet)[:10_000])


def _v2_user(user: Mapping[str, Any], *, reference: bool) -> dict[str, Any]:
    metrics = user.get("public_metrics") or {}
    return account(
        "x",
        str(user.get("id") or "@" + str(user.get("username", ""))),
        user.get("username"),
        reference=reference,
        display_name=user.get("name"),
        bio=user.get("description"),
        followers=metrics.get("followers_count"),
        following=metrics.get("following_count"),
        location=user.get("location"),
        url=user.get("url"),
        avatar_url=user.get("profile_image_url"),
        verified=user.get("verified"),
        created_at=flexible_time(user.get("created_at")),
    )


def _v2_tweet(
    tweet: Mapping[str, Any],
    users: Mapping[str, Any],
    included: Mapping[str, Any],
    *,
    reference: bool = False,
) -> Records:
    if not tweet.get("id"):
        raise RowError("tweet without an id")
    author = str(tweet.get("author_id") or "")
    if not author:
        raise RowError("tweet without author_id (request the author_id expansion)")
    records: Records = []
    if author in users:
        records.append(("accounts", _v2_user(users[author], reference=reference)))
    else:
        records.append(("accounts", account("x", author, None, reference=True)))
    metrics = tweet.get("public_metrics") or {}
    values: dict[str, Any] = {
        "platform": "x",
        "post_id": tweet["id"],
        "author_id": author,
        "created_at": tweet.get("created_at"),
        "text": unescape_tweet_text(tweet.get("text")),
        "lang": tweet.get("lang"),
        "likes": metrics.get("like_count"),
        "reposts": metrics.get("retweet_count"),
        "replies": metrics.get("reply_count"),
    }
    for ref in tweet.get("referenced_tweets") or []:
        ref_id, ref_type = str(ref.get("id", "")), ref.get("type")
        field = {
            "replied_to": "reply_to_post_id",
            "quoted": "quote_of_post_id",
            "retweeted": "repost_of_post_id",
        }.get(str(ref_type))
        if not ref_id or field is None:
            continue
        values[field] = ref_id
        if ref_id in included:
            records += _v2_tweet(included[ref_id], users, {}, reference=True)
        elif ref_type == "replied_to" and tweet.get("in_reply_to_user_id"):
            records.append(
                (
                    "posts",
                    post(
                        {
                            "platform": "x",
                            "post_id": ref_id,
                            "author_id": tweet["in_reply_to_user_id"],
                        },
                        reference=True,
                    ),
                )
            )
        elif ref_type == "retweeted":
            found = _RT.match(str(values["text"] or ""))
            if found:
                records.append(
                    (
                        "posts",
                        post(
                            {
                                "platform": "x",
                                "post_id": ref_id,
                                "author_id": "@" + found.group(1),
                                "text": found.group(2),
                            },
                            reference=True,
                        ),
                    )
                )
    entities = tweet.get("entities") or {}
    mentions = []
    for mention in entities.get("mentions") or []:
        handle = mention.get("username")
        if handle:
            mentions.append(handle)
            if mention.get("id") and str(mention["id"]) != author:
                records.append(
                    ("accounts", account("x", str(mention["id"]), handle, reference=True))
                )
    record = post(values, reference=reference)
    record["mentions"] = mentions
    record["hashtags"] = [h.get("tag") for h in entities.get("hashtags") or [] if h.get("tag")]
    records.insert(1, ("posts", record))
    return records


def v1_tweet(tweet: Mapping[str, Any], *, reference: bool) -> Records:
    """The records of one v1.1-shaped tweet (also the shape of the X archive's tweets)."""
    tweet_id = tweet.get("id_str") or tweet.get("id")
    user = tweet.get("user") or {}
    author = user.get("id_str") or user.get("id")
    if not tweet_id or not author:
        raise RowError("tweet without id_str or user.id_str")
    records: Records = [
        (
            "accounts",
            account(
                "x",
                str(author),
                user.get("screen_name"),
                reference=reference,
                display_name=user.get("name"),
                bio=user.get("description"),
                followers=user.get("followers_count"),
                following=user.get("friends_count"),
                location=user.get("location"),
                url=user.get("url"),
                avatar_url=user.get("profile_image_url_https") or user.get("profile_image_url"),
                verified=user.get("verified"),
                created_at=flexible_time(user.get("created_at")),
            ),
        )
    ]
    extended = tweet.get("extended_tweet") or {}
    text = unescape_tweet_text(
        extended.get("full_text") or tweet.get("full_text") or tweet.get("text")
    )
    values: dict[str, Any] = {
        "platform": "x",
        "post_id": tweet_id,
        "author_id": author,
        "created_at": flexible_time(tweet.get("created_at")),
        "text": text,
        "lang": tweet.get("lang"),
        "likes": tweet.get("favorite_count"),
        "reposts": tweet.get("retweet_count"),
        "replies": tweet.get("reply_count"),
    }
    retweeted = tweet.get("retweeted_status")
    if isinstance(retweeted, Mapping):
        values["repost_of_post_id"] = retweeted.get("id_str") or retweeted.get("id")
        records += v1_tweet(retweeted, reference=True)
    elif _RT.match(str(text or "")):
        found = _RT.match(str(text))
        assert found is not None
        original = retweet_original_id("@" + found.group(1), found.group(2))
        values["repost_of_post_id"] = original
        records.append(
            (
                "posts",
                post(
                    {
                        "platform": "x",
                        "post_id": original,
                        "author_id": "@" + found.group(1),
                        "text": found.group(2),
                    },
                    reference=True,
                ),
            )
        )
    quoted = tweet.get("quoted_status")
    if isinstance(quoted, Mapping):
        values["quote_of_post_id"] = quoted.get("id_str") or quoted.get("id")
        records += v1_tweet(quoted, reference=True)
    elif tweet.get("quoted_status_id_str"):
        values["quote_of_post_id"] = tweet["quoted_status_id_str"]
    reply_to = tweet.get("in_reply_to_status_id_str")
    reply_author = tweet.get("in_reply_to_user_id_str")
    if reply_to and reply_author:
        values["reply_to_post_id"] = reply_to
        records.append(
            (
                "posts",
                post(
                    {"platform": "x", "post_id": reply_to, "author_id": reply_author},
                    reference=True,
                ),
            )
        )
        records.append(
            (
                "accounts",
                account(
                    "x", str(reply_author), tweet.get("in_reply_to_screen_name"), reference=True
                ),
            )
        )
    entities = extended.get("entities") or tweet.get("entities") or {}
    mentions = []
    for mention in entities.get("user_mentions") or []:
        handle = mention.get("screen_name")
        if handle:
            mentions.append(handle)
            if mention.get("id_str") and mention["id_str"] != str(author):
                records.append(
                    ("accounts", account("x", mention["id_str"], handle, reference=True))
                )
    record = post(values, reference=reference)
    record["mentions"] = mentions
    record["hashtags"] = [h.get("text") for h in entities.get("hashtags") or [] if h.get("text")]
    records.insert(1, ("posts", record))
    return records


FORMAT = FormatSpec(
    "x-api",
    "X API v2 responses or v1.1 tweet objects, JSON or JSON Lines",
    sniff_x_api,
    read_x_api,
)
