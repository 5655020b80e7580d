"""Communities: the clusters of an area, with their members, roles and hashtags."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kolmap.ui import state, widgets

st.title("Communities")
scope, kind = widgets.scope_filters("com", with_kind=False)
proj = state.projection(scope)
if proj.nodes.empty:
    st.info("Nothing in scope.")
    st.stop()
comp = state.components(scope)
summary = state.communities(scope, hashtags=True)
summary = summary[summary["size"] >= 3]
st.caption(
    f"{len(summary)} communities of three or more accounts (Leiden, seed "
    f"{state.settings().scoring.seed}) in {scope.describe()}."
)
role_of = dict(
    zip(
        zip(proj.nodes["platform"], proj.nodes["account_id"], strict=True),
        proj.nodes["role"],
        strict=True,
    )
)
overview = summary.assign(
    leaders=[
        ", ".join(state.identity(p, a, role_of[(p, a)], h) for p, a, h in leaders)
        for leaders in summary["leaders"]
    ],
    top_hashtags=[" ".join(t) for t in summary["top_hashtags"]],
)
st.dataframe(
    overview[["community", "size", "roles", "peer_share", "influence", "leaders", "top_hashtags"]],
    hide_index=True,
    key="com_table",
)
if summary.empty:
    st.stop()
chosen = st.selectbox(
    "Community",
    summary["community"].tolist(),
    key="com_pick",
    format_func=lambda c: f"Community {c}",
)
members = proj.nodes.assign(
    community=comp["community"].to_numpy(), pagerank=comp["pagerank"].to_numpy()
)
members = members[(members["community"] == chosen) & ~members["is_stub"].astype(bool)]
members = members.sort_values("pagerank", ascending=False)
roles = members["role"].value_counts()
left, right = st.columns([1, 2])
with left:
    st.caption("Roles")
    st.bar_chart(
        pd.DataFrame({"role": roles.index, "accounts": roles.to_numpy()}), x="role", y="accounts"
    )
with right:
    st.caption("Members, most influential first")
    shown = state.protect_accounts(
        members[
            [
                "platform",
                "account_id",
                "handle",
                "display_name",
                "role",
                "specialty",
                "followers",
                "pagerank",
            ]
        ]
    )
    st.dataframe(shown.head(100), hide_index=True, key="com_members")
if st.button("Add the 10 most influential members to the shortlist", key="com_add"):
    ranked = members.head(10).assign(score=members["pagerank"].head(10) * 100)
    state.add_to_shortlist(ranked, source=f"community {chosen}", area=scope.area, kind="community")
