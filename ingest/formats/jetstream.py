"""Bluesky Jetstream JSON lines: the firehose as JSON, one event a line
(``{"did", "time_us", "kind", "commit" | "identity" | "account"}``), as saved from a Jetstream
subscription (``websocat wss://jetstream2.us-east.bsky.network/subscribe?… > events.jsonl``).

- A **post** commit (``app.bsky.feed.post``, operation ``create``) becomes a post
  ``at://<did>/app.bsky.feed.post/<rkey>`` by its DID: text, time, languages, the reply's
  parent, a quoted post (record embed), mention facets (resolved by DID) and tags;
- a **repost** (``app.bsky.feed.repost``) becomes a repost of its subject, a **follow**
  (``app.bsky.graph.follow``) a follow of its subject DID;
- an **identity** event gives the DID its handle;
- likes, profile updates, deletions and account events carry nothing kolmap ranks on: they
  are read as lines without records (counted as read, not rejected); a commit without its
  record, an unknown event kind and a line that is not JSON are rejected with their line.

Posts and accounts meet the Bluesky AppView reader's (same ``at://`` ids, accounts by DID).
Repository exports (CAR files) need a CBOR decoder kolmap does not ship: convert them to JSON
first (docs/formats.md).

>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "jetstream.jsonl"
>>> _ = p.write_text(json.dumps({"did": "did:plc:aa", "time_us": 1717228800000000,
...     "kind": "commit", "commit": {"operation": "create", "collection": "app.bsky.feed.post",
...     "rkey": "3k1", "record": {"text": "Asthma day", "createdAt": "2024-06-01T08:00:00Z"}}})
...     + "\\n")
>>> [r.get("post_id") for k, r in next(read_jetstream(p, ReadOptions())).records if k == "posts"]
['at://did:plc:aa/app.bsky.feed.post/3k1']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.bluesky import record_post
from kolmap.ingest.formats.canonical import RowError, parse_follow
from kolmap.ingest.formats.records import account, json_object_items, post
from kolmap.ingest.formats.spec import FormatSpec, Item, ReadOptions
from kolmap.ingest.io.jsonio import peek_json

__all__ = ["FORMAT", "read_jetstream", "sniff_jetstream"]

Records = list[tuple[str, dict[str, Any]]]
_IGNORED = {
    "app.bsky.feed.like",
    "app.bsky.actor.profile",
    "app.bsky.graph.block",
    "app.bsky.graph.listitem",
    "app.bsky.feed.threadgate",
    "app.bsky.feed.postgate",
}


def sniff_jetstream(path: Path, head: bytes) -> bool:
    if b'"time_us"' not in head or b'"did"' not in head:
        return False
    unit = peek_json(path, head)
    return isinstance(unit, Mapping) and "time_us" in unit and "kind" in unit


def _did_of(uri: str) -> str:
    return uri.split("/")[2] if uri.startswith("at://") else ""


def _post(did: str, rkey: str, record: Mapping[str, Any]) -> Records:
    values: dict[str, Any] = {
        "platform": "bluesky",
        "post_id": f"at://{did}/app.bsky.feed.post/{rkey}",
        "author_id": did,
        "created_at": record.get("createdAt"),
        "text": record.get("text"),
        "lang": ",".join(record.get("langs") or []) or None,
    }
    return [
        ("accounts", account("bluesky", did, None, reference=True)),
        *record_post(values, did, record),
    ]


def _records(event: Mapping[str, Any]) -> Records | None:
    did, kind = str(event.get("did") or ""), event.get("kind")
    if not did.startswith("did:"):
        raise RowError("event without a DID")
    if kind == "identity":
        handle = (event.get("identity") or {}).get("handle")
        return [("accounts", account("bluesky", did, handle))] if handle else None
    if kind == "account":
        return None
    if kind != "commit":
        raise RowError(f"unknown event kind {kind!r}")
    commit = event.get("commit") or {}
    collection, operation = commit.get("collection"), commit.get("operation")
    if operation != "create" or collection in _IGNORED:
        return None
    record = commit.get("record")
    if not isinstance(record, Mapping) or not commit.get("rkey"):
        raise RowError(f"{collection} commit without its record or rkey")
    if collection == "app.bsky.feed.post":
        return _post(did, str(commit["rkey"]), record)
    if collection == "app.bsky.feed.repost":
        subject = (record.get("subject") or {}).get("uri") or ""
        if not subject:
            raise RowError("repost without its subject")
        original = post(
            {"platform": "bluesky", "post_id": subject, "author_id": _did_of(subject)},
            reference=True,
        )
        repost = post(
            {
                "platform": "bluesky",
                "post_id": f"at://{did}/app.bsky.feed.repost/{commit['rkey']}",
                "author_id": did,
                "repost_of_post_id": subject,
                "created_at": record.get("createdAt"),
            }
        )
        return [
            ("accounts", account("bluesky", did, None, reference=True)),
            ("posts", original),
            ("posts", repost),
        ]
    if collection == "app.bsky.graph.follow":
        subject = str(record.get("subject") or "")
        follow = parse_follow({"platform": "bluesky", "follower_id": did, "followed_id": subject})
        return [
            ("accounts", account("bluesky", did, None, reference=True)),
            ("accounts", account("bluesky", subject, None, reference=True)),
            ("follows", follow),
        ]
    return None


def read_jetstream(path: Path, options: ReadOptions) -> Iterator[Item]:
    return json_object_items(path, lambda event: _records(event) or [])


FORMAT = FormatSpec(
    "jetstream",
    "Bluesky Jetstream JSON lines: posts, reposts, follows, identity events",
    sniff_jetstream,
    read_jetstream,
)
