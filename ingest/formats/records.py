"""Building canonical records from any export, with the canonical validation.

Adapters fill plain string values and call these; a bad value raises
:class:`~kolmap.ingest.formats.canonical.RowError` with the same message a canonical file would get.
``reference=True`` marks a record known only from another row (see ``graph/store.py``).

>>> account("x", "@DrX", "")["account_id"], account("x", "@DrX", "")["handle"]
('@drx', 'DrX')
>>> post({"platform": "x", "post_id": "1", "author_id": "@a"}, reference=True)["reference"]
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kolmap.ingest.formats.canonical import RowError, parse_account, parse_post
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.jsonio import json_units
from kolmap.ingest.io.rows import Rejected
from kolmap.model import RETWEET_ORIGINAL_PREFIX

__all__ = ["account", "json_object_items", "post", "retweet_original_id"]


def account(
    platform: str, account_id: str, handle: str | None, *, reference: bool = False, **fields: Any
) -> dict[str, Any]:
    """An account record; an ``@handle`` id names the account by its handle."""
    handle = (handle or "").lstrip("@")
    if not handle and account_id.startswith("@"):
        handle = account_id[1:]  # a handle-keyed account always knows its handle
    values = {
        "platform": platform,
        "account_id": account_id,
        "handle": handle,
        **{k: "" if v is None else str(v) for k, v in fields.items()},
    }
    record = parse_account(values, handle_ids=True)
    record["reference"] = reference
    return record


def post(values: Mapping[str, Any], *, reference: bool = False) -> dict[str, Any]:
    """A post record (mentions and hashtags may be added by the caller)."""
    record = parse_post(
        {k: "" if v is None else str(v) for k, v in values.items()}, handle_ids=True
    )
    record["reference"] = reference
    return record


def retweet_original_id(author_id: str, text: str) -> str:
    """The id given to a retweeted original known only from ``RT @user: text``: the same
    author and text always give the same id, so retweets of one text share one original.

    >>> retweet_original_id("@Ann", "hi") == retweet_original_id("@ann", "hi")
    True
    """
    digest = hashlib.sha1(f"{author_id.lower()}|{text}".encode())
    return RETWEET_ORIGINAL_PREFIX + digest.hexdigest()[:20]


def json_object_items(
    path: Path,
    records_of: Callable[[Mapping[str, Any]], list[tuple[str, dict[str, Any]]]],
    errors: tuple[type[Exception], ...] = (RowError, ValueError),
) -> Iterator[Item]:
    """Each top-level JSON object of ``path`` (a line of JSON Lines) as the records
    ``records_of`` makes of it; a unit that is not an object, or whose records raise one of
    ``errors``, is rejected with its position, as is a line that is not JSON."""
    name = str(path)
    for unit in json_units(path):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        try:
            if not isinstance(value, Mapping):
                raise RowError("not a JSON object")
            yield Parsed(position, records_of(value))
        except errors as err:
            yield Rejected(name, position, str(err), str(value)[:10_000])
