"""Bluesky JSON from the public AppView: ``app.bsky.actor.getProfile(s)``,
``app.bsky.graph.getFollows`` / ``getFollowers``, ``app.bsky.feed.getAuthorFeed`` and
``searchPosts``. Accounts are keyed by DID (handles change; DIDs do not); posts by their
``at://`` URI. Replies, quotes (record embeds), reposts shown in feeds (``reason`` repost) and
mention facets all become relations.

>>> shape_of({"follows": [], "subject": {}}), shape_of({"feed": []}), shape_of({"did": "did:plc:x"})
('follows', 'feed', 'profile')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError, parse_follow
from kolmap.ingest.formats.records import account, post
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.jsonio import json_units, peek_json
from kolmap.ingest.io.rows import Rejected

__all__ = ["FORMAT", "read_bluesky", "record_post", "shape_of", "sniff_bluesky"]

Records = list[tuple[str, dict[str, Any]]]
_SHAPES = ("follows", "followers", "feed", "posts", "profiles")


def shape_of(unit: Any) -> str | None:
    """Which AppView response a JSON object is (None when it is none of them)."""
    if not isinstance(unit, Mapping):
        return None
    for key in _SHAPES:
        if isinstance(unit.get(key), list):
            return key
    if isinstance(unit.get("did"), str) and str(unit["did"]).startswith("did:"):
        return "profile"
    return None


def sniff_bluesky(path: Path, head: bytes) -> bool:
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        return False
    unit = peek_json(path, head)
    if shape_of(unit) is None:
        return False
    text = head[:4096]
    return b"did:" in text or b"at://" in text


def _profile(p: Mapping[str, Any], *, reference: bool = False) -> dict[str, Any]:
    did = p.get("did")
    if not did:
        raise RowError("profile without a DID")
    return account(
        "bluesky",
        str(did),
        p.get("handle"),
        reference=reference,
        display_name=p.get("displayName"),
        bio=p.get("description"),
        followers=p.get("followersCount"),
        following=p.get("followsCount"),
        avatar_url=p.get("avatar"),
    )


def _post(view: Mapping[str, Any]) -> Records:
    uri, author = view.get("uri"), view.get("author") or {}
    if not uri or not author.get("did"):
        raise RowError("post without uri or author DID")
    record = view.get("record") or {}
    values: dict[str, Any] = {
        "platform": "bluesky",
        "post_id": uri,
        "author_id": author["did"],
        "created_at": record.get("createdAt") or view.get("indexedAt"),
        "text": record.get("text"),
        "lang": ",".join(record.get("langs") or []) or None,
        "likes": view.get("likeCount"),
        "reposts": view.get("repostCount"),
        "replies": view.get("replyCount"),
    }
    return [("accounts", _profile(author)), *record_post(values, author["did"], record)]


def _did_of(uri: str) -> str:
    return uri.split("/")[2] if uri.startswith("at://") else ""


def record_post(values: dict[str, Any], author_did: str, record: Mapping[str, Any]) -> Records:
    """The post of an ``app.bsky.feed.post`` record (``values``: its ids, time, text and
    counts), first, then what it points at: the reply's parent and a quoted post (record
    embed) as references, and the accounts its mention facets name. Shared by the AppView
    and Jetstream readers, so both give the same posts and relations."""
    records: Records = []
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
    if parent:
        values["reply_to_post_id"] = parent
        if _did_of(parent):
            records.append(
                (
                    "posts",
                    post(
                        {"platform": "bluesky", "post_id": parent, "author_id": _did_of(parent)},
                        reference=True,
                    ),
                )
            )
    embed = record.get("embed") or {}
    quoted = (embed.get("record") or {}).get("uri") or (
        ((embed.get("record") or {}).get("record") or {}).get("uri")
    )
    if quoted and "app.bsky.feed.post" in quoted:
        values["quote_of_post_id"] = quoted
        records.append(
            (
                "posts",
                post(
                    {"platform": "bluesky", "post_id": quoted, "author_id": _did_of(quoted)},
                    reference=True,
                ),
            )
        )
    # A mention facet names a DID and the byte range of its "@handle" in the text: record the
    # account with both, so the mention (resolved by handle) lands on the DID.
    text_bytes = str(record.get("text") or "").encode("utf-8")
    mentions = []
    for facet in record.get("facets") or []:
        span = facet.get("index") or {}
        for feature in facet.get("features") or []:
            if not str(feature.get("$type", "")).endswith("#mention") or not feature.get("did"):
                continue
            shown = text_bytes[span.get("byteStart", 0) : span.get("byteEnd", 0)]
            text = shown.decode("utf-8", "replace")
            # Trust the slice only if it is a mention; a wrong range must not invent a handle.
            handle = text[1:] if text.startswith("@") and len(text) > 1 else None
            if feature["did"] != author_did:
                records.append(
                    ("accounts", account("bluesky", feature["did"], handle, reference=True))
                )
            if handle:
                mentions.append(handle)
    main = post(values)
    main["mentions"] = mentions
    main["hashtags"] = [str(t) for t in record.get("tags") or []]
    return [("posts", main), *records]


def _units(value: Any) -> Iterator[tuple[str, Any]]:
    shape = shape_of(value)
    if shape == "profile":
        yield "profile", value
    elif shape == "profiles":
        for p in value["profiles"]:
            yield "profile", p
    elif shape in ("follows", "followers"):
        subject = value.get("subject") or {}
        for p in value[shape]:
            yield shape, (subject, p)
    elif shape == "feed":
        for item in value["feed"]:
            yield "feed", item
    elif shape == "posts":
        for item in value["posts"]:
            yield "post", item


def read_bluesky(path: Path, options: ReadOptions) -> Iterator[Item]:
    name = str(path)
    for unit in json_units(path):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        for kind, item in _units(value):
            try:
                yield Parsed(position, _records(kind, item))
            except RowError as err:
                yield Rejected(name, position, str(err), str(item)[:10_000])


def _records(kind: str, item: Any) -> Records:
    if kind == "profile":
        return [("accounts", _profile(item))]
    if kind in ("follows", "followers"):
        subject, other = item
        if not subject.get("did"):
            raise RowError(f"{kind} response without its subject")
        pair = (
            (subject["did"], other.get("did"))
            if kind == "follows"
            else (other.get("did"), subject["did"])
        )
        follow = parse_follow(
            {"platform": "bluesky", "follower_id": pair[0] or "", "followed_id": pair[1] or ""}
        )
        return [
            ("accounts", _profile(subject, reference=True)),
            ("accounts", _profile(other)),
            ("follows", follow),
        ]
    view = item.get("post") if kind == "feed" else item
    records = _post(view or {})
    reason = item.get("reason") if kind == "feed" else None
    if isinstance(reason, Mapping) and str(reason.get("$type", "")).endswith("reasonRepost"):
        by = reason.get("by") or {}
        if by.get("did"):
            original = view["uri"]
            records.append(("accounts", _profile(by)))
            records.append(
                (
                    "posts",
                    post(
                        {
                            "platform": "bluesky",
                            "post_id": f"repost:{by['did']}:{original}",
                            "author_id": by["did"],
                            "repost_of_post_id": original,
                            "created_at": reason.get("indexedAt"),
                        }
                    ),
                )
            )
    return records


FORMAT = FormatSpec(
    "bluesky",
    "Bluesky AppView JSON: getProfile(s), getFollows/getFollowers, getAuthorFeed, searchPosts",
    sniff_bluesky,
    read_bluesky,
)
