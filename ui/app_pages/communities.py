"""Communities: the clusters of an area, named from their members, with their roles,
hashtags and members, and a flag on those that look like coordinated rings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kolmap.scoring.explain import MENTIONED_ONLY
from kolmap.ui import shortlists, state, widgets
from kolmap.views.communities import COMMUNITY_MIN_SIZE
from kolmap.views.display import scope_words

st.title("Communities")
scope, kind = widgets.scope_filters("com", with_kind=False)
proj = state.projection(scope)
if proj.nodes.empty:
    st.info("Nothing in scope.")
    st.stop()
comp = state.components(scope)
overview = state.community_table(scope)
st.caption(
    f"{len(overview)} communities of {COMMUNITY_MIN_SIZE} or more accounts (Leiden, seed "
    f"{state.settings().scoring.seed}) in {scope_words(scope)}."
)
rings = overview[overview["ring"].astype(bool)]
for _, ring in rings.iterrows():
    st.warning(f"Community {ring['community']} ({ring['size']} accounts): {ring['ring']}.")
st.dataframe(
    overview[
        [
            "community",
            "name",
            "size",
            "roles",
            "peer_share",
            "influence",
            "leaders",
            "top_hashtags",
            "ring",
        ]
    ],
    hide_index=True,
    key="com_table",
    column_config=widgets.share_formats(),
)
if overview.empty:
    st.stop()
names = dict(zip(overview["community"], overview["name"], strict=True))
chosen = st.selectbox(
    "Community",
    overview["community"].tolist(),
    key="com_pick",
    format_func=lambda c: f"Community {c}: {names[c]}",
)
members = proj.nodes.assign(
    community=comp["community"].to_numpy(), pagerank=comp["pagerank"].to_numpy()
)
members = members[members["community"] == chosen]
stubs = members["is_stub"].fillna(False).astype(bool)
# The table's roles: profiles by role, accounts known only from mentions apart.
roles = members["role"].where(~stubs, MENTIONED_ONLY).value_counts()
members = members[~stubs].sort_values("pagerank", ascending=False)
left, right = st.columns([1, 2])
with left:
    st.caption("Roles (accounts known only from mentions have no profile, so no role)")
    st.bar_chart(
        pd.DataFrame({"role": roles.index, "accounts": roles.to_numpy()}), x="role", y="accounts"
    )
with right:
    st.caption("Members with a profile, most influential first")
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
    widgets.rows_to_profiles(
        st, members.head(100), shown.head(100), key="com_members", area=scope.area
    )
if st.button("Add the 10 most influential members to the shortlist", key="com_add"):
    # On the 0-100 scale of every other score: PageRank as a share of the scope's leader
    # (it was PageRank x 100, 0.1 to 0.7 beside the Leaderboard's 40 to 90 on a shortlist).
    leader = float(comp["pagerank"].max()) or 1.0
    ranked = members.head(10).assign(score=100.0 * members["pagerank"].head(10) / leader)
    shortlists.add_to_shortlist(
        ranked, source=f"community {chosen}", area=scope.area, kind="community"
    )
