"""YouTube Data API v3 JSON saved from the API: ``channels.list``, ``videos.list``,
``search.list`` and ``commentThreads.list`` / ``comments.list`` responses (one response per
file, a list of them, or one per line).

- A **channel** becomes an account keyed by its channel id (``UC…``), with its handle
  (``customUrl``), title, description and subscriber count.
- A **video** becomes a post by its channel: title and description, published time, views
  aside, likes and comment count as engagement; ``#tags`` in the description are hashtags.
- A **comment** becomes a reply by its author's channel: a top-level comment replies to its
  video, a reply to its parent comment (``parentId``); ``@handle`` mentions stay in the text.
- An item of another kind (a playlist, an activity) or without its ids is rejected with its
  position; a response that is not a YouTube one is an error for the whole file.

>>> item = {"kind": "youtube#video", "id": "v1", "snippet": {"channelId": "UCa",
...     "channelTitle": "Dr Ana", "title": "Asthma inhalers", "description": "How to #asthma",
...     "publishedAt": "2026-03-01T10:00:00Z"}, "statistics": {"likeCount": "12"}}
>>> [(k, r.get("post_id") or r.get("account_id")) for k, r in records_of(item)]
[('accounts', 'UCa'), ('posts', 'v1')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.records import account, post
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.jsonio import json_units
from kolmap.ingest.io.rows import Rejected

__all__ = ["FORMAT", "read_youtube", "records_of", "sniff_youtube"]

Records = list[tuple[str, dict[str, Any]]]


def _thumbnail(snippet: Mapping[str, Any]) -> str | None:
    """The channel's picture: its smallest thumbnail (``default``, 88 px), else any."""
    thumbnails = snippet.get("thumbnails") or {}
    for size in ("default", "medium", "high"):
        url = (thumbnails.get(size) or {}).get("url")
        if url:
            return str(url)
    return None


def sniff_youtube(path: Path, head: bytes) -> bool:
    return b'"youtube#' in head[:8192]


def _channel(item: Mapping[str, Any]) -> Records:
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    handle = str(snippet.get("customUrl") or "").lstrip("@") or None
    where = f"@{handle}" if handle else f"channel/{item['id']}"
    return [
        (
            "accounts",
            account(
                "youtube",
                str(item["id"]),
                handle,
                display_name=snippet.get("title"),
                bio=snippet.get("description"),
                followers=stats.get("subscriberCount"),
                created_at=snippet.get("publishedAt"),
                url=f"https://www.youtube.com/{where}",
                avatar_url=_thumbnail(snippet),
            ),
        )
    ]


def _video(video_id: str, snippet: Mapping[str, Any], stats: Mapping[str, Any]) -> Records:
    channel = snippet.get("channelId")
    if not channel:
        raise RowError("video without channelId")
    text = "\n".join(t for t in (snippet.get("title"), snippet.get("description")) if t)
    values = {
        "platform": "youtube",
        "post_id": video_id,
        "author_id": channel,
        "created_at": snippet.get("publishedAt"),
        "text": text,
        "likes": stats.get("likeCount"),
        "replies": stats.get("commentCount"),
        "lang": snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage"),
    }
    author = account(
        "youtube", str(channel), None, reference=True, display_name=snippet.get("channelTitle")
    )
    return [("accounts", author), ("posts", post(values))]


def _comment(comment: Mapping[str, Any], video_id: str | None) -> Records:
    snippet = comment.get("snippet") or {}
    author = (snippet.get("authorChannelId") or {}).get("value")
    if not author:
        raise RowError("comment without its author's channel id")
    video = snippet.get("videoId") or video_id
    parent = snippet.get("parentId") or video
    if not comment.get("id") or not parent:
        raise RowError("comment without id, video or parent")
    handle = str(snippet.get("authorDisplayName") or "").lstrip("@") or None
    values = {
        "platform": "youtube",
        "post_id": str(comment["id"]),
        "author_id": author,
        "created_at": snippet.get("publishedAt"),
        "text": snippet.get("textOriginal") or snippet.get("textDisplay"),
        "reply_to_post_id": parent,
        "likes": snippet.get("likeCount"),
    }
    return [
        ("accounts", account("youtube", str(author), handle, reference=True)),
        ("posts", post(values)),
    ]


def records_of(item: Mapping[str, Any]) -> Records:
    """The records of one API item (a channel, a video, a search result, a comment thread
    or a comment)."""
    kind = str(item.get("kind") or "")
    if kind == "youtube#channel" and item.get("id"):
        return _channel(item)
    if kind == "youtube#video" and item.get("id"):
        return _video(str(item["id"]), item.get("snippet") or {}, item.get("statistics") or {})
    if kind == "youtube#searchResult":
        ident = item.get("id") or {}
        if ident.get("kind") == "youtube#video" and ident.get("videoId"):
            return _video(str(ident["videoId"]), item.get("snippet") or {}, {})
        if ident.get("kind") == "youtube#channel" and ident.get("channelId"):
            return _channel({"id": ident["channelId"], "snippet": item.get("snippet") or {}})
        raise RowError(f"search result of kind {ident.get('kind')!r} is not read")
    if kind == "youtube#commentThread":
        snippet = item.get("snippet") or {}
        top = snippet.get("topLevelComment") or {}
        records = _comment(top, snippet.get("videoId"))
        for reply in (item.get("replies") or {}).get("comments") or []:
            records += _comment(reply, snippet.get("videoId"))
        return records
    if kind == "youtube#comment":
        return _comment(item, None)
    raise RowError(
        f"item of kind {kind or 'unknown'!r} is not read (channels, videos, "
        "search results, comment threads and comments are)"
    )


def _items(value: Any) -> list[Any]:
    if isinstance(value, Mapping) and str(value.get("kind", "")).endswith("ListResponse"):
        return list(value.get("items") or [])
    if isinstance(value, Mapping) and "kind" in value:
        return [value]
    if isinstance(value, list):
        return [i for v in value for i in _items(v)]
    raise RowError("not a YouTube Data API response or item")


def read_youtube(path: Path, options: ReadOptions) -> Iterator[Item]:
    name = str(path)
    for unit in json_units(path):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        try:
            items = _items(value)
        except RowError as err:
            yield Rejected(name, position, str(err), str(value)[:10_000])
            continue
        for index, item in enumerate(items):
            try:
                if not isinstance(item, Mapping):
                    raise RowError("not a JSON object")
                yield Parsed(position, records_of(item))
            except (RowError, ValueError) as err:
                yield Rejected(name, position, f"items[{index}]: {err}", str(item)[:10_000])


FORMAT = FormatSpec(
    "youtube",
    "YouTube Data API v3 JSON: channels, videos, search results, comment threads, comments",
    sniff_youtube,
    read_youtube,
)
