"""The shortlist a session works on: which one (the address's ``?list=``), its entries, and
saving ranked rows on it from any page (a viewer may not). Only ``ui/`` reads this module.

In a page, after ranking::

    shortlists.add_to_shortlist(rows.head(10), source="leaderboard", area="oncology", kind="kol")
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kolmap.graph.store import ShortlistEdit
from kolmap.ui.state import (
    DEFAULT_SHORTLIST,
    may_change,
    notify,
    owner,
    refresh_version,
    shortlist_name,
    store,
)
from kolmap.views.display import missing

__all__ = [
    "add_to_shortlist",
    "edit_shortlist",
    "shortlist",
    "shortlist_names",
    "shortlist_size",
]


def shortlist() -> pd.DataFrame:
    """The entries of the current shortlist, as saved in the store."""
    with store() as s:
        return s.shortlist(shortlist_name())


def shortlist_names() -> list[str]:
    with store() as s:
        names = s.shortlists()["shortlist"].tolist()
    extra = [n for n in (shortlist_name(), DEFAULT_SHORTLIST) if n not in names]
    return list(dict.fromkeys([*extra[:1], *names, *extra[1:]]))


def edit_shortlist(edit: ShortlistEdit) -> dict[str, int]:
    if not may_change():
        st.warning("A viewer reads the pages; analysts and admins edit shortlists.")
        st.stop()
    with store() as s:
        return s.edit_shortlist(edit)


def add_to_shortlist(rows: pd.DataFrame, *, source: str, area: str | None, kind: str) -> None:
    """Save ranked rows (platform, account_id, handle, display_name, role, score...) on the
    current shortlist, then run the page again so every count shows it."""
    name = shortlist_name()
    items = [
        {
            "platform": row["platform"],
            "account_id": row["account_id"],
            "handle": _text(row.get("handle")),
            "display_name": _text(row.get("display_name")),
            "role": _text(row.get("role")),
            "specialty": _text(row.get("specialty")),
            "area": area or "all",
            "kind": kind,
            "score": None if pd.isna(row.get("score")) else float(row["score"]),
            "added_from": source,
        }
        for row in rows.to_dict(orient="records")
    ]
    added = edit_shortlist(ShortlistEdit(name, owner(), add=items))["added"]
    skipped = len(items) - added
    notify(
        f"{added} added to the shortlist “{name}”"
        + (f" ({skipped} already on it)" if skipped else "")
    )
    st.rerun()


def _text(value: Any) -> str | None:
    """A text cell as saved: None when missing (a ranking's NaN would be saved as "nan")."""
    return None if missing(value) else str(value)


def shortlist_size() -> int:
    """How many accounts the current shortlist holds (read with the version)."""
    if "_shortlist_size" not in st.session_state:
        refresh_version()
    return int(st.session_state["_shortlist_size"])
