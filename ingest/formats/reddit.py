"""Reddit dumps: the monthly submissions and comments NDJSON files the research community
shares (one JSON object per line, as the Pushshift-era ``RS_``/``RC_`` files and their
subreddit extracts), for health subreddits.

- A **submission** (``title``, ``selftext``) becomes a post ``t3_<id>``; its text is the title
  and body; ``score`` counts as likes, ``num_comments`` as replies.
- A **comment** (``body``, ``parent_id``) becomes a post ``t1_<id>`` replying to its parent
  (a submission ``t3_…`` or a comment ``t1_…``); the reply becomes a relation once the
  parent's own line is in the store (the dumps give no parent author).
- Authors are accounts keyed by their user name (Reddit names are unique); ``u/name`` in a
  text is a mention; the subreddit is kept as the post's hashtag (``r/diabetes`` tags
  diabetes), so areas come from subreddits as from hashtags.
- A line by a deleted author (``[deleted]``), a removed text, an item that is neither a
  submission nor a comment, or a line that is not JSON is rejected with its line.

>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "RC_diabetes.ndjson"
>>> _ = p.write_text(json.dumps({"id": "c1", "author": "t1dmum", "body": "Ask u/endo_doc",
...     "parent_id": "t3_s1", "link_id": "t3_s1", "subreddit": "diabetes",
...     "created_utc": 1700000000, "score": 4}) + "\\n")
>>> item = next(read_reddit(p, ReadOptions()))
>>> main = next(r for k, r in item.records if k == "posts")
>>> main["post_id"], main["reply_to_post_id"], main["mentions"], main["hashtags"]
('t1_c1', 't3_s1', ['endo_doc'], ['diabetes'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.records import account, json_object_items, post
from kolmap.ingest.formats.spec import FormatSpec, Item, ReadOptions
from kolmap.ingest.io.jsonio import peek_json

__all__ = ["FORMAT", "read_reddit", "sniff_reddit"]

Records = list[tuple[str, dict[str, Any]]]
_GONE = {"[deleted]", "[removed]", ""}
_USER_RE = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})")


def _is_item(unit: Any) -> bool:
    return (
        isinstance(unit, Mapping)
        and "subreddit" in unit
        and ("selftext" in unit or "body" in unit or "title" in unit)
    )


def sniff_reddit(path: Path, head: bytes) -> bool:
    if b'"subreddit"' not in head:
        return False
    return _is_item(peek_json(path, head))


def _time(value: Any) -> str:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        raise RowError(f"created_utc {value!r} is not a time") from None


def _records(item: Mapping[str, Any]) -> Records:
    author = str(item.get("author") or "")
    if author in _GONE:
        raise RowError("deleted or missing author")
    if "body" in item:
        kind, text = "t1", str(item.get("body") or "")
        parent = str(item.get("parent_id") or "")
        if not re.match(r"^t[13]_\w+$", parent):
            raise RowError(f"comment without a parent_id (got {parent!r})")
    elif "title" in item:
        kind, parent = "t3", ""
        body = str(item.get("selftext") or "")
        text = str(item["title"]) + ("\n\n" + body if body not in _GONE else "")
    else:
        raise RowError("neither a submission (title) nor a comment (body)")
    if text.strip() in _GONE:
        raise RowError("removed text")
    item_id = str(item.get("id") or "")
    if not item_id:
        raise RowError("no id")
    values = {
        "platform": "reddit",
        "post_id": f"{kind}_{item_id}",
        "author_id": author,
        "created_at": _time(item.get("created_utc")),
        "text": text,
        "reply_to_post_id": parent,
        "likes": max(int(item.get("score") or 0), 0),
        "replies": item.get("num_comments") if kind == "t3" else None,
    }
    main = post(values)
    main["mentions"] = sorted({m for m in _USER_RE.findall(text) if m.lower() != author.lower()})
    main["hashtags"] = [str(item["subreddit"])] if item.get("subreddit") else []
    # The parent's author is unknown from a comment's line: the reply is linked when the
    # parent's own line is in the store (any run, any order).
    return [("accounts", account("reddit", author, author, reference=True)), ("posts", main)]


def read_reddit(path: Path, options: ReadOptions) -> Iterator[Item]:
    return json_object_items(path, _records)


FORMAT = FormatSpec(
    "reddit",
    "Reddit submissions/comments NDJSON dumps (RS_/RC_ files, subreddit extracts)",
    sniff_reddit,
    read_reddit,
)
