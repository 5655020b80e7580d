"""Congress: who drove a congress's conversation before, during and after it."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from kolmap.graph.store import Scope
from kolmap.ingest.text import fold
from kolmap.scoring.congress import COMMERCIAL_ROLES, congress_phases, drivers
from kolmap.ui import state

st.title("Congress")
tags = state.top_hashtags(Scope(), limit=500)
congress_tags = [t for t in tags["tag"] if state.taxonomy().is_congress_hashtag(t)]
cols = st.columns([3, 2])
chosen = cols[0].multiselect(
    "Congress hashtags",
    tags["tag"].tolist(),
    default=congress_tags[:2],
    key="cg_tags",
    format_func=lambda t: "#" + t,
)
typed = cols[1].text_input("Other hashtags (space separated)", key="cg_more")
hashtags = tuple(sorted({*chosen, *(fold(t.lstrip("#")) for t in typed.split() if t.strip("#"))}))
if not hashtags:
    st.info("Pick the congress's hashtags.")
    st.stop()
first, last = state.date_bounds()
middle = first + (last - first) / 2
cols = st.columns([3, 2, 2])
days = cols[0].date_input(
    "Congress days",
    value=(middle, middle + timedelta(days=4)),
    min_value=first,
    max_value=last,
    key="cg_days",
)
margin = cols[1].slider("Days before and after", 3, 60, 14, key="cg_margin")
non_commercial = cols[2].toggle(
    "Non-commercial view",
    value=True,
    key="cg_nc",
    help=f"Hide {' and '.join(COMMERCIAL_ROLES)} accounts.",
)
if not isinstance(days, tuple) or len(days) != 2:
    st.stop()
phases = congress_phases(days[0], days[1], margin=margin)
st.caption(
    f"Hashtags {' '.join('#' + h for h in hashtags)}; score = 100 × (0.5 PageRank + "
    "0.3 audience + 0.2 engagement), every role on the same footing."
)
columns = st.columns(3)
for column, phase in zip(columns, phases, strict=True):
    phase_scope = phase.scope(hashtags)
    proj = state.projection(phase_scope)
    table = drivers(
        proj,
        state.settings().scoring,
        top=15,
        non_commercial=non_commercial,
        components=state.components(phase_scope),
    )
    with column:
        st.subheader(phase.name.capitalize())
        st.caption(f"{phase.since:%Y-%m-%d} to {phase.until - timedelta(days=1):%Y-%m-%d}")
        st.metric("Posts", f"{int(proj.nodes['posts_in_scope'].sum()):,}")
        st.dataframe(
            state.protect_accounts(table)[["rank", "handle", "role", "score"]],
            hide_index=True,
            key=f"cg_{phase.name}",
        )
        if (
            phase.name == "during"
            and not table.empty
            and st.button("Add the top 10 to the shortlist", key="cg_add")
        ):
            state.add_to_shortlist(table.head(10), source="congress", area=None, kind="congress")
