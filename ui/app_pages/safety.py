"""Safety & compliance: the pharmacovigilance queue to review (confirm, dismiss, forward,
with who and when), and declared payments for compliance and medical-affairs work.

The queue is filled by ``kolmap pv scan --products FILE``; its items hold a post's words as
found, so only analysts and admins see them. Declared payments show only when the project's
purpose (``privacy.purpose``) is compliance or medical affairs (docs/compliance.md)."""

from __future__ import annotations

import streamlit as st

from kolmap.ui import access, state
from kolmap.views.transparency import COI_PURPOSES, coi_lines

st.title("Safety & compliance")
st.subheader("Pharmacovigilance queue")
with state.store() as s:
    queue = s.pv_items()
if queue.empty:
    st.info(
        "No item yet. `kolmap pv scan --products products.csv` queues posts that name a "
        "watched product (or a drug) with a reaction or a complaint."
    )
elif not state.may_change():
    st.info(f"{len(queue)} item(s). Their posts are health data: analysts and admins review them.")
else:
    counts = queue["status"].value_counts()
    cols = st.columns(4)
    for col, status in zip(cols, ("new", "confirmed", "forwarded", "dismissed"), strict=True):
        col.metric(status.capitalize(), int(counts.get(status, 0)))
    status = st.selectbox(
        "Show", ["new", "all", "confirmed", "forwarded", "dismissed"], key="pv_show"
    )
    shown = queue if status == "all" else queue[queue["status"] == status]
    st.dataframe(
        shown[["item_id", "detected_at", "posted_at", "assessment", "product", "reactions",
               "reporter", "status", "status_by", "status_at", "note", "text", "permalink"]],
        hide_index=True,
        # An item not reviewed yet has no reviewer, review time or note: blank, not "None".
        placeholder="",
        column_config={"permalink": st.column_config.LinkColumn("Post")},
    )  # fmt: skip
    if not shown.empty:
        item = st.selectbox("Item to review", shown["item_id"].tolist(), key="pv_item")
        note = st.text_input("Note (why, or where it was forwarded)", key="pv_note")
        buttons = st.columns(3)
        for button, outcome in zip(buttons, ("confirmed", "forwarded", "dismissed"), strict=True):
            if button.button(outcome.capitalize(), key=f"pv_{outcome}"):
                who = st.session_state.get(access.USER_KEY) or state.owner()
                with state.store() as s:
                    s.review_pv_item(str(item), outcome, who, note)
                state.notify(f"{item}: {outcome} by {who}.")
                st.session_state.pop("pv_note", None)  # the next item starts without a note
                st.rerun()

st.subheader("Declared payments")
purpose = state.settings().privacy.purpose
if purpose not in COI_PURPOSES:
    st.info(
        f"Declared payments (Open Payments, Transparence Santé) are shown to compliance and "
        f"medical-affairs projects only; this project is set up for {purpose} work "
        "(`privacy.purpose` in kolmap.toml)."
    )
else:
    with state.store() as s:
        lines = coi_lines(s.coi())
    if lines.empty:
        st.info(
            "None linked yet: `kolmap transparency import FILE` then `kolmap transparency link "
            "links.csv` (accounts are linked by NPI or RPPS number only)."
        )
    else:
        st.dataframe(lines, hide_index=True)
        st.caption("Shown to disclose conflicts of interest; they never change a score.")
