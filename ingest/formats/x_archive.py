"""The X (Twitter) personal archive: ``data/*.js`` files starting ``window.YTD.<name>.partN =``.

``tweets.js`` (and ``tweets-part1.js``...), ``follower.js``, ``following.js``, ``account.js`` and
``profile.js`` are read; the archive's owner comes from ``account.js`` in the same folder.
Tweets become the owner's posts (retweets and replies resolve as in the API formats),
followers and followings become follows.

>>> section_of(b"window.YTD.tweets.part0 = [")
'tweets'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError, parse_follow
from kolmap.ingest.formats.records import account
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.formats.x_api import v1_tweet
from kolmap.ingest.io.jsonio import json_units
from kolmap.ingest.io.rows import Rejected

__all__ = ["FORMAT", "read_x_archive", "section_of", "sniff_x_archive"]

_HEAD = re.compile(rb"^\s*window\.YTD\.([A-Za-z_]+)\.part\d+\s*=")
_READ = ("tweets", "tweet", "follower", "following", "account", "profile")


def section_of(head: bytes) -> str | None:
    """The archive section a file holds (``tweets``, ``follower``...), from its first bytes."""
    found = _HEAD.match(head.lstrip(b"\xef\xbb\xbf"))
    return found.group(1).decode() if found else None


def sniff_x_archive(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".js" and section_of(head) is not None


@lru_cache(maxsize=32)
def _owner(folder: Path) -> tuple[str, str, str, str]:
    """(id, username, display name, bio) of the archive's owner, from account.js/profile.js."""
    path = folder / "account.js"
    if not path.exists():
        raise InputError(
            f"{folder}: an X archive's tweets and follows need account.js from the "
            "same data folder (it names the owner)"
        )
    owner: Mapping[str, Any] = {}
    for unit in json_units(path, prefix=b"window.YTD."):
        if not isinstance(unit, Rejected):
            owner = (unit[1] or {}).get("account") or {}
            break
    if not owner.get("accountId"):
        raise InputError(f"{path}: no accountId in account.js")
    bio = ""
    profile = folder / "profile.js"
    if profile.exists():
        for unit in json_units(profile, prefix=b"window.YTD."):
            if not isinstance(unit, Rejected):
                bio = (((unit[1] or {}).get("profile") or {}).get("description") or {}).get(
                    "bio", ""
                )
                break
    return (
        str(owner["accountId"]),
        str(owner.get("username", "")),
        str(owner.get("accountDisplayName", "")),
        bio,
    )


def read_x_archive(path: Path, options: ReadOptions) -> Iterator[Item]:
    with path.open("rb") as fh:
        section = section_of(fh.read(256))
    if section not in _READ:
        return  # ads, likes, direct messages...: not social graph data kolmap keeps
    owner_id, username, display_name, bio = _owner(path.parent)
    me = account("x", owner_id, username, display_name=display_name, bio=bio)
    name = str(path)
    for unit in json_units(path, prefix=b"window.YTD."):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        try:
            if section in ("account", "profile"):
                yield Parsed(position, [("accounts", dict(me))])
            elif section in ("tweets", "tweet"):
                tweet = dict((value or {}).get("tweet") or value or {})
                tweet["user"] = {"id_str": owner_id, "screen_name": username, "name": display_name}
                yield Parsed(position, v1_tweet(tweet, reference=False))
            else:
                other = str(((value or {}).get(section) or {}).get("accountId") or "")
                pair = (other, owner_id) if section == "follower" else (owner_id, other)
                follow = parse_follow(
                    {"platform": "x", "follower_id": pair[0], "followed_id": pair[1]}
                )
                yield Parsed(
                    position,
                    [("accounts", account("x", other, None, reference=True)), ("follows", follow)],
                )
        except RowError as err:
            yield Rejected(name, position, str(err), str(value)[:10_000])


FORMAT = FormatSpec(
    "x-archive",
    "X personal archive: data/*.js (tweets, follower, following, account, profile)",
    sniff_x_archive,
    read_x_archive,
)
