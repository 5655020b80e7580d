"""Ingest: upload files (validated exactly as on the command line) and correct labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from kolmap.errors import KolmapError
from kolmap.export.downloads import file_download
from kolmap.ingest.formats import all_formats
from kolmap.ingest.pipeline import write_labels
from kolmap.model import Role
from kolmap.settings import UPLOAD_LIMIT_MB
from kolmap.ui import state, widgets
from kolmap.ui.search import find_accounts
from kolmap.ui.uploads import ingest_uploads
from kolmap.views.display import details

UPLOAD_TYPES = {
    "csv", "tsv", "txt", "xlsx", "json", "jsonl", "ndjson", "js", "zip", "graphml", "xml", "gml",
    "edges", "dat",
}  # fmt: skip

st.title("Ingest")
st.caption(
    "Upload exports in any format `kolmap formats` lists: kolmap's canonical CSV files "
    "(accounts.csv, follows.csv, posts.csv, labels.csv; a prefix such as x_posts.csv is "
    "fine), an X archive, X API or Bluesky JSON, LinkedIn, Instagram or Facebook exports, "
    "social-listening spreadsheets, GraphML, GML or edge lists. Each file's format is "
    "recognised unless you choose one. The run is atomic: an error or too many rejected "
    f"rows commits nothing. Files larger than {UPLOAD_LIMIT_MB} MB go through `kolmap ingest` "
    "on the command line, which reads any size within a fixed memory budget."
)
uploads = st.file_uploader(
    "Files",
    type=sorted(UPLOAD_TYPES),
    accept_multiple_files=True,
    key="ing_files",
)
cols = st.columns(3)
tolerance = cols[0].text_input(
    "Tolerance (rows or %)", value=state.settings().ingest.tolerance, key="ing_tolerance"
)
encoding = cols[1].selectbox(
    "Encoding", ["auto", "utf-8", "cp1252", "latin-1", "utf-16"], key="ing_encoding"
)
formats = ["", *(f.name for f in all_formats(state.settings().ingest.column_maps or None))]
fmt = cols[2].selectbox(
    "Format",
    formats,
    format_func=lambda name: name or "recognise each file",
    key="ing_format",
)
with st.expander("Exports that do not say whose or which platform they are"):
    more = st.columns(2)
    platform = more[0].text_input("Platform (e.g. x, linkedin)", key="ing_platform")
    owner = more[1].text_input("Owner: the exporting account's handle", key="ing_owner")
if st.button("Ingest", key="ing_go", disabled=not uploads, type="primary"):
    try:
        st.session_state["ing_last"] = ingest_uploads(
            [(u.name, u.getvalue()) for u in uploads or []],
            tolerance=tolerance,
            encoding=encoding,
            fmt=fmt,
            platform=platform.strip(),
            owner=owner.strip().lstrip("@"),
        )
        # As `kolmap ingest` does: score all data now, so that the next page opens fast.
        with st.spinner("Scoring all data, so that every page opens fast…"):
            state.score_all_data()
    except KolmapError as err:
        st.error(str(err))
        quarantined = getattr(err, "quarantine_path", None)
        if quarantined and Path(quarantined).is_file():
            rejected = pd.read_csv(quarantined, dtype=str)
            st.dataframe(rejected.head(200), hide_index=True, key="ing_rejected")
            widgets.download_button(
                st,
                "Download the rejected rows",
                file_download(
                    Path(quarantined),
                    "csv",
                    rows=len(rejected),
                    filters={"quarantine": Path(quarantined).name},
                    pseudonymised=False,
                ),
                key="ing_rejected_dl",
            )
last = st.session_state.get("ing_last")
if last:
    st.success(
        f"Run {last['run_id']}: {last['rows_read']:,} rows read, "
        f"{last['quarantined']:,} quarantined, in {last['seconds']:.2f} s."
    )
    files = pd.DataFrame(last["files"]).assign(path=lambda f: f["path"].map(lambda p: Path(p).name))
    # Counts per record kind as "accounts: 1" (they showed as raw JSON, {"accounts":1}, {}).
    for column in files.columns[files.map(lambda v: isinstance(v, dict)).any()]:
        files[column] = files[column].map(details)
    st.dataframe(files, hide_index=True, key="ing_files_table")
    for note in last.get("notes", []):
        st.warning(note)
    merge = last["merge"]
    st.dataframe(
        pd.DataFrame(
            [
                {"kind": k, **v}
                for k, v in merge.items()
                if isinstance(v, dict) and k in ("accounts", "posts", "follows", "labels")
            ]
        ),
        hide_index=True,
        key="ing_merge_table",
        # Not every kind has every count (only accounts complete stubs): blank, not "None".
        placeholder="",
    )
    if last["quarantine_path"]:
        quarantined = pd.read_csv(last["quarantine_path"], dtype=str)
        st.warning(f"{len(quarantined):,} rejected rows (kept in {last['quarantine_path']})")
        st.dataframe(quarantined.head(200), hide_index=True, key="ing_quarantine")
        widgets.download_button(
            st,
            "Download the rejected rows",
            file_download(
                Path(last["quarantine_path"]),
                "csv",
                rows=len(quarantined),
                filters={"quarantine": last["run_id"]},
                pseudonymised=False,
            ),
            key="ing_q_dl",
        )

st.subheader("Correct a label")
query = st.text_input("Find an account", key="lab_search")
if query:
    with state.store() as s:
        # A private individual by pseudonym only (ui.search), as on the Profile page.
        found = find_accounts(s, query, limit=30)
    found = found[~found["is_stub"]]
    if found.empty:
        st.info("No account matches.")
    else:
        options = {f"{r['platform']}:{r['account_id']}": r for r in found.to_dict("records")}

        def describe(k: str) -> str:
            row = options[k]
            name = state.identity(row["platform"], row["account_id"], row["role"], row["handle"])
            return f"{name} — now {row['role']}"

        key = st.selectbox("Account", list(options), key="lab_pick", format_func=describe)
        current = options[key]
        roles = [r.value for r in Role]
        role = st.selectbox("Role", roles, index=roles.index(current["role"]), key="lab_role")
        specialty = st.text_input(
            "Specialty", value=current["specialty"] or "", key="lab_specialty"
        )
        person = st.text_input(
            "Person id (links accounts of one person)",
            value=current["person_id"] or "",
            key="lab_person",
        )
        if st.button("Save label", key="lab_save"):
            platform, account_id = key.split(":", 1)
            try:
                with state.store() as s:
                    write_labels(
                        s,
                        [
                            {
                                "platform": platform,
                                "account_id": account_id,
                                "role": role,
                                "specialty": specialty,
                                "person_id": person,
                            }
                        ],
                        source="ui",
                    )
            except KolmapError as err:
                st.error(str(err))
            else:
                state.clear_caches()
                state.notify("Label saved; it now overrides the inferred role.")
                st.rerun()  # the picker and every page show the new role
