"""kolmap's Streamlit entry script: page setup, sidebar and navigation only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kolmap.ui import access, state, widgets

# A local icon: a ":material/..." icon here would be fetched from a font CDN.
st.set_page_config(
    page_title="kolmap", page_icon=str(Path(__file__).parent / "assets" / "icon.png"), layout="wide"
)

OVERVIEW = st.Page(
    "app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"
)


def _home() -> None:
    """Never runs: the app root is sent on to the Overview (below)."""


# Streamlit serves the default page only at "/" (its own url_path answers "Page not found"),
# so the default is this hidden stand-in and every page, the Overview too, has its address.
HOME = st.Page(_home, title="kolmap", url_path="home", default=True, visibility="hidden")
PAGES = [
    OVERVIEW,
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
        "app_pages/trends.py", title="Trends", icon=":material/trending_up:", url_path="trends"
    ),
    st.Page(
        "app_pages/persons.py",
        title="Persons & science",
        icon=":material/school:",
        url_path="persons",
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
    st.Page(
        "app_pages/safety.py",
        title="Safety & compliance",
        icon=":material/health_and_safety:",
        url_path="safety",
    ),
]

page = st.navigation([HOME, *PAGES])
if page is HOME:
    # Keep any query parameters (st.query_params); Streamlit's own (embed) are the URL's.
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())
state.refresh_version()  # once per run: cached results key on it; the CLI may have written
access.gate()  # who this is, and what they may do (signs in when the store has users)
widgets.sidebar(page, PAGES)
state.show_notices()
if page.url_path == "ingest" and not state.may_change():
    st.info("A viewer reads the pages; analysts and admins ingest files and correct labels.")
    st.stop()
if state.store_busy():
    st.info(state.BUSY_NOTICE)
page.run()
# First visit of a store version: compute the common scopes in the background, once the page
# is drawn (started earlier, it would hold the store and the CPU while the page waits).
state.warm()
