"""Shortlist: the accounts picked on any page, with notes, exported as CSV or XLSX."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from kolmap import __version__
from kolmap.export.downloads import table_download
from kolmap.export.exporter import COMPLIANCE_NOTE, log_export, write_table
from kolmap.ui import state, widgets

COLUMNS = [
    "platform",
    "account_id",
    "handle",
    "display_name",
    "role",
    "specialty",
    "area",
    "kind",
    "score",
    "added_from",
    "note",
]


def shortlist_frame() -> pd.DataFrame:
    """The shortlist as it will be exported (private individuals pseudonymised by default)."""
    items = list(state.shortlist().values())
    frame = pd.DataFrame(items, columns=COLUMNS)
    return state.protect_accounts(frame)


st.title("Shortlist")
items = state.shortlist()
if not items:
    st.info("Add accounts from the Leaderboard, Communities or Congress pages.")
    st.stop()
frame = shortlist_frame()
edited = st.data_editor(
    frame,
    hide_index=True,
    key="sl_editor",
    disabled=[c for c in COLUMNS if c != "note"],
    column_config={"note": st.column_config.TextColumn("note", width="large")},
)
for key, note in zip(items, edited["note"].tolist(), strict=True):
    items[key]["note"] = note or ""
remove = st.multiselect(
    "Remove",
    list(items),
    key="sl_remove",
    format_func=lambda k: str(frame.iloc[list(items).index(k)]["handle"]),
)
if st.button("Remove selected", key="sl_remove_btn", disabled=not remove):
    for key in remove:
        items.pop(key, None)
    st.rerun()

export = shortlist_frame()
about = {
    "what": "kolmap shortlist",
    "rows": len(export),
    "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    "kolmap version": __version__,
    "private individuals": "shown (explicitly requested)"
    if state.show_private()
    else "pseudonymised",
    "compliance": COMPLIANCE_NOTE,
}
cols = st.columns(3)
for col, fmt in zip(cols, ("csv", "xlsx"), strict=False):
    download = table_download(
        export,
        fmt,
        f"kolmap-shortlist.{fmt}",
        about=about,
        filters={"shortlist": len(export)},
        pseudonymised=not state.show_private(),
        sheet="shortlist",
    )
    widgets.download_button(col, f"Download {fmt.upper()}", download, key=f"sl_{fmt}")
with st.expander("Save on the server"):
    target = st.text_input("File path (.csv or .xlsx)", key="sl_path")
    if st.button("Save", key="sl_save", disabled=not target):
        path = Path(target)
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        digest, _removed = write_table(path, export, fmt, about=about, sheet="shortlist")
        with state.store() as s:
            log_export(
                s,
                fmt=path.suffix.lstrip(".") or "csv",
                path=path,
                filters={"shortlist": len(export)},
                rows=len(export),
                sha256=digest,
                pseudonymised=not state.show_private(),
            )
        st.success(f"Saved {len(export)} rows to {path} (logged).")
st.caption(COMPLIANCE_NOTE)
