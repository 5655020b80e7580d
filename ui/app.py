"""kolmap's Streamlit entry script: page setup, sidebar and navigation only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kolmap.ui import state, widgets

# A local icon: a ":material/..." icon here would be fetched from a font CDN.
st.set_page_config(
    page_title="kolmap", page_icon=str(Path(__file__).parent / "assets" / "icon.png"), layout="wide"
)

PAGES = [
    st.Page(
        "app_pages/overview.py",
        title="Overview",
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    ),
    st.Page(
        "app_pages/leaderboard.py",
        title="Leaderboard",
        icon=":material/leaderboard:",
        url_path="leaderboard",
    ),
    st.Page("app_pages/network.py", title="Network map", icon=":material/hub:", url_path="network"),
    st.Page("app_pages/profile.py", title="Profile", icon=":material/person:", url_path="profile"),
    st.Page(
        "app_pages/communities.py",
        title="Communities",
        icon=":material/groups:",
        url_path="communities",
    ),
    st.Page(
        "app_pages/congress.py", title="Congress", icon=":material/event:", url_path="congress"
    ),
    st.Page(
        "app_pages/shortlist.py",
        title="Shortlist",
        icon=":material/checklist:",
        url_path="shortlist",
    ),
    st.Page(
        "app_pages/ingest.py", title="Ingest", icon=":material/upload_file:", url_path="ingest"
    ),
]

page = st.navigation(PAGES)
state.refresh_version()  # once per run: cached results key on it; the CLI may have written
widgets.sidebar()
state.show_notices()
page.run()
