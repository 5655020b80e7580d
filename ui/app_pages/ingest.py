"""Ingest: upload files (validated exactly as on the command line) and correct labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from kolmap.errors import KolmapError
from kolmap.export.downloads import file_download
from kolmap.ingest.pipeline import write_labels
from kolmap.model import Role
from kolmap.ui import state, widgets

st.title("Ingest")
st.caption(
    "Upload canonical files: accounts.csv, follows.csv, posts.csv, labels.csv (a prefix "
    "such as x_posts.csv is fine). The run is atomic: an error or too many rejected "
    "rows commits nothing. Files larger than the upload limit go through "
    "`kolmap ingest` on the command line."
)
uploads = st.file_uploader(
    "Files", type=["csv", "tsv"], accept_multiple_files=True, key="ing_files"
)
cols = st.columns(2)
tolerance = cols[0].text_input(
    "Tolerance (rows or %)", value=state.settings().ingest.tolerance, key="ing_tolerance"
)
encoding = cols[1].selectbox(
    "Encoding", ["auto", "cp1252", "latin-1", "utf-16"], key="ing_encoding"
)
if st.button("Ingest", key="ing_go", disabled=not uploads, type="primary"):
    try:
        st.session_state["ing_last"] = state.ingest_uploads(
            [(u.name, u.getvalue()) for u in uploads or []], tolerance=tolerance, encoding=encoding
        )
    except KolmapError as err:
        st.error(str(err))
last = st.session_state.get("ing_last")
if last:
    st.success(
        f"Run {last['run_id']}: {last['rows_read']:,} rows read, "
        f"{last['quarantined']:,} quarantined, in {last['seconds']:.2f} s."
    )
    st.dataframe(
        pd.DataFrame(last["files"]).assign(path=lambda f: f["path"].map(lambda p: Path(p).name)),
        hide_index=True,
        key="ing_files_table",
    )
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
        found = s.accounts(search=query, limit=30)
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
                st.success("Label saved; it now overrides the inferred role.")
