"""Shortlist: named lists of accounts saved in the store (several per store, shared by its
users), with a status and a note per account, a trail of who changed what, and CSV or XLSX
exports. The list in use is in the address (`?list=NAME`), so a reload or a link opens it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from kolmap import __version__
from kolmap.export.downloads import table_download
from kolmap.export.exporter import COMPLIANCE_NOTE, log_export, table_members, write_table
from kolmap.graph.store import SHORTLIST_STATUSES, ShortlistEdit
from kolmap.model import AccountKey
from kolmap.ui import shortlists, state, widgets
from kolmap.views.display import details, utc_times
from kolmap.views.shortlists import named_trail

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
    "status",
    "note",
    "added_from",
    "owner",
    "added_at",
]
EDITABLE = ("status", "note")

st.title("Shortlist")
names = shortlists.shortlist_names()
pick = st.columns([3, 3])
chosen = pick[0].selectbox(
    "Shortlist", names, index=names.index(state.shortlist_name()), key="sl_pick_list"
)
if chosen != state.shortlist_name():
    st.query_params["list"] = chosen
    st.rerun()
st.query_params["list"] = chosen  # a reload or a copied link opens this list
new_name = pick[1].text_input(
    "Start another list", key="sl_new", placeholder="e.g. ASCO 2027 speakers"
)
if new_name.strip() and new_name.strip() != chosen:
    st.query_params["list"] = new_name.strip()
    st.rerun()

saved = shortlists.shortlist()
if saved.empty:
    st.info(
        f"“{chosen}” is empty. Add accounts from the Leaderboard, Profile, Communities or "
        "Congress pages; they are saved in the store, so the list survives reloads and is "
        "shared with everyone who opens this store."
    )
    st.stop()
raw = saved.reindex(columns=COLUMNS)
keys = [AccountKey(str(p), str(a)) for p, a in zip(raw["platform"], raw["account_id"], strict=True)]
export = state.protect_accounts(raw)
edited = st.data_editor(
    export,
    hide_index=True,
    key="sl_editor",
    # No score (added from a profile), no specialty, a withheld name, no note yet: blank,
    # not Streamlit's grey "None"; the score stays a number.
    placeholder="",
    disabled=[c for c in COLUMNS if c not in EDITABLE],
    column_config={
        "note": st.column_config.TextColumn("note", width="large"),
        "status": st.column_config.SelectboxColumn(
            "status", options=list(SHORTLIST_STATUSES), required=True
        ),
        "score": st.column_config.NumberColumn(format="%.1f"),
    },
)
notes = {
    k: str(new or "")
    for k, new, old in zip(keys, edited["note"], export["note"], strict=True)
    if str(new or "") != str(old or "")
}
statuses = {
    k: str(new)
    for k, new, old in zip(keys, edited["status"], export["status"], strict=True)
    if new and new != old
}
if notes or statuses:
    shortlists.edit_shortlist(ShortlistEdit(chosen, state.owner(), notes=notes, statuses=statuses))
    st.rerun()
labels = dict(zip([str(h) for h in export["handle"]], keys, strict=False))
remove = st.multiselect("Remove", list(labels), key="sl_remove")
# Emptying a list takes one keypress in the multiselect ("Select all", then Enter) and has no
# undo: removing more than a few asks to be sure.
sure = len(remove) <= 3 or st.checkbox(
    f"Yes, remove these {len(remove)} accounts from “{chosen}”", key="sl_remove_sure"
)
if st.button("Remove selected", key="sl_remove_btn", disabled=not remove or not sure):
    shortlists.edit_shortlist(
        ShortlistEdit(chosen, state.owner(), remove=[labels[r] for r in remove])
    )
    st.rerun()
with st.expander("Activity"):
    with state.store() as s:
        trail = named_trail(s, chosen, raw)
    shown_trail = state.protect_accounts(trail)
    shown_trail["account"] = shown_trail["handle"].where(
        shown_trail["handle"].notna() & (shown_trail["handle"] != ""), shown_trail["account_id"]
    )
    st.dataframe(
        utc_times(shown_trail[["event_at", "owner", "action", "account", "detail"]]).assign(
            detail=lambda t: t["detail"].map(details)
        ),
        hide_index=True,
        key="sl_trail",
    )

about = {
    "what": f"kolmap shortlist “{chosen}”",
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
        filters={"shortlist": chosen, "rows": len(export)},
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
                filters={"shortlist": chosen, "rows": len(export)},
                rows=len(export),
                sha256=digest,
                pseudonymised=not state.show_private(),
                members=table_members(export),
            )
        st.success(f"Saved {len(export)} rows to {path} (logged).")
st.caption(COMPLIANCE_NOTE)
