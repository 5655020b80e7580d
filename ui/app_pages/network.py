"""Network map: the area as an interactive graph, sized by influence, coloured by role or
community; large areas show their most influential accounts."""

from __future__ import annotations

import streamlit as st

from kolmap.export.downloads import map_download
from kolmap.export.html_map import WEBGL_THRESHOLD, render_html
from kolmap.ui import state, widgets
from kolmap.views.communities import COMMUNITY_MIN_SIZE
from kolmap.views.display import accounts_words, scope_words

st.title("Network map")
scope, kind = widgets.scope_filters("map")
cols = st.columns([3, 2, 2, 3])
# Up to every account of the scope (at most 50,000): above WEBGL_THRESHOLD the map is drawn
# with WebGL (sigma.js), which stays smooth at 50,000 accounts and 200,000 relations.
in_scope = len(state.projection(scope).nodes)
top = cols[0].slider(
    "Accounts on the map (most influential first)",
    25,
    max(1500, min(50_000, -(-in_scope // 25) * 25)),
    300,
    step=25,
    key="map_top",
    help=f"Above {WEBGL_THRESHOLD:,} accounts the map is drawn with WebGL: labels on the "
    "largest accounts (more as you zoom), filters by relation type, k-core and neighbourhood.",
)
colour_by = cols[1].radio("Colour by", ["role", "community"], horizontal=True, key="map_colour")
size_by = cols[2].radio(
    "Size by",
    ["score", "influence"],
    horizontal=True,
    key="map_size",
    help="score: the chosen kind's score (others stay small); influence: PageRank in the "
    "scope, for every account.",
)
cols[3].caption(
    "Hover a node for its details, click it for the panel (with a link to the "
    "profile), search by name on the right of the map (matches listed, largest first), "
    "untick legend entries (roles or communities) to hide them."
)
result = state.map_graph(scope, kind, int(top), colour_by, size_by)
graph = result.graph
st.caption(
    f"{graph.number_of_nodes():,} accounts and {graph.number_of_edges():,} relations "
    f"of {accounts_words(state.projection(scope).nodes)} in {scope_words(scope)}."
)
# Every role is on the map (the most influential accounts of the scope); the kind only
# sizes them: "KOL map" above patients and the public read as a map of KOLs alone.
sized = f"{state.KIND_LABELS[kind]} score" if size_by == "score" else "influence"
title = f"Map of {scope_words(scope)}, sized by {sized}"
page = render_html(graph, title=title, profile_link="profile?account=")
st.iframe(page, height=720)
proj = state.projection(scope)
if len(proj.nodes) > graph.number_of_nodes():
    summary = state.communities(scope)
    st.caption(
        f"Summary of the whole scope by community, {accounts_words(proj.nodes)}; the "
        "Communities page lists every member."
    )
    st.dataframe(
        summary[summary["size"] >= COMMUNITY_MIN_SIZE][
            ["community", "size", "roles", "peer_share", "influence"]
        ].head(15),
        hide_index=True,
        column_config=widgets.share_formats(),
    )
downloads = st.columns(3)
about = {"kind": kind, "scope": scope.describe(), "top": int(top), "colour_by": colour_by}
for col, fmt, label in (
    (downloads[0], "html", "Download map (HTML)"),
    (downloads[1], "gexf", "Download for Gephi (GEXF)"),
):
    download = map_download(
        graph,
        fmt,
        f"kolmap-map.{fmt}",
        title=title,
        filters=about,
        pseudonymised=not state.show_private(),
    )
    widgets.download_button(col, label, download, key=f"map_{fmt}")
