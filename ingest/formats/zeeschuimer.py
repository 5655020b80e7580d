"""Zeeschuimer NDJSON: what the Zeeschuimer browser extension captures while you browse (and
4CAT exports as NDJSON): one line per item, ``{"item_id", "source_platform", "data", ...}``,
``data`` being the item as the platform's own web app received it. The platform of each line
is read from ``source_platform``, so one file may mix them.

- **TikTok** (``tiktok.com``): a video is a post by its author (``author.uniqueId``, name,
  ``signature`` as bio, ``authorStats.followerCount``): ``desc`` as text, ``createTime``,
  ``stats`` (diggs as likes, shares as reposts, comments as replies), ``textExtra`` hashtags
  and mentions (``userUniqueId``); a duet or stitch (``duetInfo.duetFromId``,
  ``stitchInfo``) quotes the video it answers.
- **Instagram** (``instagram.com``) and **Threads** (``threads.net``): posts in both shapes
  Instagram serves, the "graph" one (``shortcode``, ``owner``, ``edge_media_to_caption``,
  ``taken_at_timestamp``, ``edge_media_preview_like``) and the "item list" one (``code``,
  ``user``, ``caption.text``, ``taken_at``, ``like_count``, ``comment_count``); ``@names`` and
  ``#tags`` in captions; ads are rejected as such.
- **X** (``twitter.com``, ``x.com``): GraphQL tweet results (``rest_id``, ``legacy``,
  ``core.user_results``), with replies, quotes, retweets, mentions and hashtags.
- **LinkedIn** (``linkedin.com``, the feed's "Voyager V2" updates): a post by its author
  (the profile or company path as id, name, headline as bio), its commentary's text and
  hashtags, likes, shares and comments; LinkedIn shows no post time, only "18h • …", so the
  time is the collection time minus that (a week, a month or a year: as precise as that).
- An item of another platform, a line without ``data`` or without an author, and a line
  that is not JSON are rejected with their line.

>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "zeeschuimer-export-tiktok.ndjson"
>>> item = {"id": "7300000000000000001", "desc": "Insulin pumps explained #diabetes",
...         "createTime": 1717228800, "author": {"id": "66001", "uniqueId": "nurse_jo",
...         "nickname": "Jo | diabetes nurse"}, "stats": {"diggCount": 120},
...         "textExtra": [{"hashtagName": "diabetes"}]}
>>> _ = p.write_text(json.dumps({"item_id": item["id"], "source_platform": "tiktok.com",
...                               "data": item}) + "\\n")
>>> parsed = next(read_zeeschuimer(p, ReadOptions()))
>>> [(k, r.get("post_id") or r["account_id"]) for k, r in parsed.records]
[('accounts', '66001'), ('posts', '7300000000000000001')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.linkedin import profile_id
from kolmap.ingest.formats.records import account, json_object_items, post
from kolmap.ingest.formats.spec import FormatSpec, Item, ReadOptions
from kolmap.ingest.io.jsonio import peek_json
from kolmap.ingest.text import extract_hashtags, extract_mentions, unescape_tweet_text

__all__ = ["FORMAT", "read_zeeschuimer", "sniff_zeeschuimer"]

Records = list[tuple[str, dict[str, Any]]]
_X_TIME = "%a %b %d %H:%M:%S %z %Y"


def sniff_zeeschuimer(path: Path, head: bytes) -> bool:
    if b'"source_platform"' not in head:
        return False
    unit = peek_json(path, head)
    return isinstance(unit, Mapping) and "source_platform" in unit and "data" in unit


def _epoch(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        raise RowError(f"time {value!r} is not a Unix time") from None


def _tiktok(item: Mapping[str, Any]) -> Records:
    author = item.get("author")
    if not isinstance(author, Mapping) or not (author.get("id") or author.get("uniqueId")):
        raise RowError("TikTok item without its author")
    author_id = str(author.get("id") or "@" + str(author["uniqueId"]))
    stats, author_stats = item.get("stats") or {}, item.get("authorStats") or {}
    extras = item.get("textExtra") or []
    values = {
        "platform": "tiktok",
        "post_id": str(item.get("id") or ""),
        "author_id": author_id,
        "created_at": _epoch(item.get("createTime")),
        "text": item.get("desc"),
        "likes": stats.get("diggCount"),
        "reposts": stats.get("shareCount"),
        "replies": stats.get("commentCount"),
    }
    if not values["post_id"]:
        raise RowError("TikTok item without an id")
    answered = str((item.get("duetInfo") or {}).get("duetFromId") or "") or str(
        (item.get("stitchInfo") or {}).get("stitchFromId") or ""
    )
    if answered and answered != "0":
        values["quote_of_post_id"] = answered
    main = post(values)
    main["hashtags"] = [str(e["hashtagName"]) for e in extras if e.get("hashtagName")]
    main["mentions"] = [str(e["userUniqueId"]) for e in extras if e.get("userUniqueId")]
    profile = account(
        "tiktok",
        author_id,
        author.get("uniqueId"),
        display_name=author.get("nickname"),
        bio=author.get("signature"),
        followers=author_stats.get("followerCount"),
        following=author_stats.get("followingCount"),
        verified=author.get("verified"),
        avatar_url=author.get("avatarThumb") or author.get("avatarMedium"),
    )
    return [("accounts", profile), ("posts", main)]


def _instagram(item: Mapping[str, Any], platform: str) -> Records:
    if item.get("product_type") == "ad" or str(item.get("link") or "").startswith(
        "https://www.facebook.com/ads/"
    ):
        raise RowError("an ad, not a post")
    graph = "__typename" in item and item["__typename"] not in ("XDTMediaDict",)
    user = item.get("owner") if graph else item.get("user")
    user = user or item.get("user") or item.get("owner")
    if not isinstance(user, Mapping) or not user.get("username"):
        raise RowError(f"{platform} item without its author")
    if graph:
        edges = (item.get("edge_media_to_caption") or {}).get("edges") or []
        text = edges[0]["node"]["text"] if edges else ""
        code, when = item.get("shortcode"), item.get("taken_at_timestamp")
        likes = (item.get("edge_media_preview_like") or {}).get("count")
        replies = (item.get("edge_media_preview_comment") or {}).get("count")
    else:
        text = (item.get("caption") or {}).get("text") or ""
        code, when = item.get("code"), item.get("taken_at")
        likes, replies = item.get("like_count"), item.get("comment_count")
        if replies is None:
            replies = (item.get("text_post_app_info") or {}).get("direct_reply_count")
    if not code:
        raise RowError(f"{platform} item without a code")
    author_id = str(user.get("pk") or user.get("id") or "@" + str(user["username"]))
    main = post(
        {
            "platform": platform,
            "post_id": str(code),
            "author_id": author_id,
            "created_at": _epoch(when),
            "text": text,
            "likes": likes,
            "replies": replies,
        }
    )
    main["hashtags"] = extract_hashtags(text)
    main["mentions"] = extract_mentions(text)
    profile = account(
        platform,
        author_id,
        str(user["username"]),
        display_name=user.get("full_name"),
        verified=user.get("is_verified"),
        avatar_url=user.get("profile_pic_url"),
    )
    return [("accounts", profile), ("posts", main)]


def _x_user(result: Mapping[str, Any]) -> dict[str, Any]:
    legacy = result.get("legacy") or {}
    core = result.get("core") or {}  # newer responses move names here
    handle = legacy.get("screen_name") or core.get("screen_name")
    if not result.get("rest_id") or not handle:
        raise RowError("tweet without its author")
    return account(
        "x",
        str(result["rest_id"]),
        handle,
        display_name=legacy.get("name") or core.get("name"),
        bio=legacy.get("description"),
        followers=legacy.get("followers_count"),
        following=legacy.get("friends_count"),
        location=(legacy.get("location") or (result.get("location") or {}).get("location")),
        avatar_url=(
            legacy.get("profile_image_url_https") or (result.get("avatar") or {}).get("image_url")
        ),
    )


def _x(item: Mapping[str, Any]) -> Records:
    tweet = item.get("tweet") if item.get("__typename") == "TweetWithVisibilityResults" else item
    tweet = tweet or {}
    legacy = tweet.get("legacy") or {}
    user = ((tweet.get("core") or {}).get("user_results") or {}).get("result") or {}
    author = _x_user(user)
    if not tweet.get("rest_id"):
        raise RowError("tweet without rest_id")
    when = legacy.get("created_at")
    values = {
        "platform": "x",
        "post_id": str(tweet["rest_id"]),
        "author_id": author["account_id"],
        "created_at": datetime.strptime(when, _X_TIME).isoformat() if when else None,
        "text": unescape_tweet_text(legacy.get("full_text")),
        "reply_to_post_id": legacy.get("in_reply_to_status_id_str"),
        "quote_of_post_id": legacy.get("quoted_status_id_str"),
        "likes": legacy.get("favorite_count"),
        "reposts": legacy.get("retweet_count"),
        "replies": legacy.get("reply_count"),
        "lang": legacy.get("lang"),
    }
    records: Records = [("accounts", author)]
    retweeted = (legacy.get("retweeted_status_result") or {}).get("result")
    if retweeted:
        records += _x(retweeted)
        original = next(r for k, r in records[1:] if k == "posts")
        original["reference"] = True
        values["repost_of_post_id"] = original["post_id"]
        values["text"] = None
    entities = legacy.get("entities") or {}
    for mention in entities.get("user_mentions") or []:
        if mention.get("id_str") and mention.get("screen_name"):
            records.append(
                (
                    "accounts",
                    account("x", str(mention["id_str"]), mention["screen_name"], reference=True),
                )
            )
    main = post(values)
    main["hashtags"] = [str(h["text"]) for h in entities.get("hashtags") or [] if h.get("text")]
    main["mentions"] = [
        str(m["screen_name"]) for m in entities.get("user_mentions") or [] if m.get("screen_name")
    ]
    return [("accounts", author), ("posts", main), *records[1:]]


_AGO_RE = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w|mo|mnd|yr|j|min|sem|an)\b", re.IGNORECASE)
_AGO_SECONDS = {
    "s": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "w": 604800,
    "sem": 604800,
    "mo": 2629800,
    "mnd": 2629800,
    "yr": 31557600,
    "j": 31557600,
    "an": 31557600,
}


def _linkedin_time(item: Mapping[str, Any], collected_ms: Any) -> str | None:
    """LinkedIn shows no post time, only "18h • …": the collection time minus that."""
    ago = str(((item.get("actor") or {}).get("subDescription") or {}).get("text") or "")
    match = _AGO_RE.match(ago.split("•")[0])
    if collected_ms in (None, "") or match is None:
        return None
    seconds = int(match.group(1)) * _AGO_SECONDS[match.group(2).lower()]
    return _epoch(float(collected_ms) / 1000 - seconds)


def _linkedin(item: Mapping[str, Any], collected_ms: Any = None) -> Records:
    actor = item.get("actor") or {}
    target = str((actor.get("navigationContext") or {}).get("actionTarget") or "")
    path = target.split("linkedin.com/").pop().split("?")[0].strip("/")
    if not actor or not path:
        raise RowError("LinkedIn item without its author")
    meta_urn = str(
        (item.get("updateMetadata") or {}).get("urn") or item.get("preDashEntityUrn") or ""
    )
    found = re.search(r"urn:li:activity:(\d+)", meta_urn)
    if not found:
        raise RowError("LinkedIn item without an activity urn")
    text_node = (item.get("commentary") or {}).get("text") or {}
    text = str(text_node.get("text") or "")
    social = item.get("*socialDetail") or {}
    counts = social.get("*totalSocialActivityCounts") or {}
    handle = path.split("/")[-1]
    # A member is keyed by the public profile id, as the Connections export keys them (one
    # account whichever file names it); a company by "company/<name>".
    author_id = profile_id(target) or path
    main = post(
        {
            "platform": "linkedin",
            "post_id": found.group(1),
            "author_id": author_id,
            "created_at": _linkedin_time(item, collected_ms),
            "text": text,
            "likes": counts.get("numLikes"),
            "reposts": counts.get("numShares"),
            "replies": counts.get("numComments"),
        }
    )
    main["hashtags"] = extract_hashtags(text)
    main["mentions"] = []
    profile = account(
        "linkedin",
        author_id,
        handle,
        display_name=(actor.get("name") or {}).get("text"),
        bio=(actor.get("description") or {}).get("text"),
        url=target.split("?")[0],
    )
    return [("accounts", profile), ("posts", main)]


_READERS = {
    "tiktok.com": _tiktok,
    "instagram.com": lambda item: _instagram(item, "instagram"),
    "threads.net": lambda item: _instagram(item, "threads"),
    "threads.com": lambda item: _instagram(item, "threads"),
    "twitter.com": _x,
    "x.com": _x,
    "linkedin.com": _linkedin,
}


def _records(line: Mapping[str, Any]) -> Records:
    source = re.sub(r"^www\.", "", str(line.get("source_platform") or "").lower())
    reader = _READERS.get(source)
    if reader is None:
        raise RowError(
            f"items from {source or 'an unnamed platform'!r} are not read yet "
            f"(read: {', '.join(sorted(_READERS))})"
        )
    data = line.get("data")
    if not isinstance(data, Mapping):
        raise RowError("line without its item (data)")
    if reader is _linkedin:
        return _linkedin(data, line.get("timestamp_collected"))
    return reader(data)


def read_zeeschuimer(path: Path, options: ReadOptions) -> Iterator[Item]:
    return json_object_items(path, _records, (RowError, ValueError, KeyError, TypeError))


FORMAT = FormatSpec(
    "zeeschuimer",
    "Zeeschuimer / 4CAT NDJSON captures: TikTok, Instagram, Threads, X and LinkedIn items",
    sniff_zeeschuimer,
    read_zeeschuimer,
)
