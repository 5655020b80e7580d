"""A shortlist's trail as the Shortlist page shows it: each event with the role and handle of
the account it names, so the trail can say who was added or removed.

Accounts still on the list are named from the list itself; accounts taken off it are looked
up in the store, in one read (all were shown as private individuals before: an audit trail
could not say who a removed researcher was). An erased account stays ``unknown``, so it is
shown as a private individual.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> from kolmap.graph.store import ShortlistEdit
>>> from kolmap.model import AccountKey
>>> store = DuckDBStore(":memory:")
>>> two = [{"platform": "x", "account_id": i, "handle": f"dr_{i}", "role": "hcp"} for i in "12"]
>>> _ = store.edit_shortlist(ShortlistEdit("L", "ana", add=two))
>>> _ = store.edit_shortlist(ShortlistEdit("L", "ana", remove=[AccountKey("x", "1")]))
>>> trail = named_trail(store, "L", store.shortlist("L"))
>>> sorted(trail[["account_id", "action", "role"]].values.tolist())  # x:1 is in no store
[['1', 'added', 'unknown'], ['1', 'removed', 'unknown'], ['2', 'added', 'hcp']]
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from kolmap.graph.store import GraphStore
from kolmap.model import AccountKey

__all__ = ["named_trail"]

_NAMING = ["platform", "account_id", "role", "handle"]


def named_trail(store: GraphStore, name: str, listed: pd.DataFrame) -> pd.DataFrame:
    """The trail of shortlist ``name`` (``store.shortlist_events``) with ``role`` (``unknown``
    when not found) and ``handle`` of each event's account: from ``listed`` (the list's
    entries, with platform, account_id, role and handle) for accounts on it, else from the
    store."""
    trail = store.shortlist_events(name)
    on_list = {
        AccountKey(str(p), str(a))
        for p, a in zip(listed["platform"], listed["account_id"], strict=True)
    }
    gone = {
        AccountKey(str(p), str(a))
        for p, a in zip(trail["platform"], trail["account_id"], strict=True)
    } - on_list
    found = store.accounts(sorted(gone, key=str)) if gone else pd.DataFrame()
    known = pd.concat([listed.reindex(columns=_NAMING), found.reindex(columns=_NAMING)])
    by_key: dict[AccountKey, dict[Hashable, Any]] = {
        AccountKey(str(r["platform"]), str(r["account_id"])): r for r in known.to_dict("records")
    }
    looked_up = [
        by_key.get(AccountKey(str(p), str(a)), {})
        for p, a in zip(trail["platform"], trail["account_id"], strict=True)
    ]
    out = trail.copy()
    out["role"] = [r.get("role") or "unknown" for r in looked_up]
    out["handle"] = [r.get("handle") for r in looked_up]
    return out
