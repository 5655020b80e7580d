"""The app's shared widgets: the filter bar, the sidebar and the download button.

Pages build their controls from these so that every page filters the same way and every
file a browser downloads is written to the export log (:func:`download_button` is the only
place the app calls Streamlit's own; a test checks that pages never do).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import streamlit as st

from kolmap.export.downloads import Download
from kolmap.graph import Scope
from kolmap.ui import state

__all__ = ["download_button", "scope_filters", "sidebar"]


def scope_filters(
    prefix: str, *, with_kind: bool = True, default_area: str = ""
) -> tuple[Scope, str]:
    """The filter bar shared by pages: area, kind, platforms, time window."""
    cols = st.columns([2, 2, 2, 3])
    areas = state.area_options()
    area = cols[0].selectbox(
        "Therapeutic area",
        areas,
        format_func=state.area_label,
        index=areas.index(default_area) if default_area in areas else 0,
        key=f"{prefix}_area",
    )
    kind = "kol"
    if with_kind:
        kind = cols[1].selectbox(
            "Kind",
            list(state.KIND_LABELS),
            format_func=state.KIND_LABELS.__getitem__,
            key=f"{prefix}_kind",
        )
    platforms = cols[2].multiselect(
        "Platforms",
        list(state.stats()["by_platform"]),
        key=f"{prefix}_platforms",
        placeholder="All platforms",
    )
    first, last = state.date_bounds()
    window = cols[3].date_input(
        "Time window", value=(first, last), min_value=first, max_value=last, key=f"{prefix}_window"
    )
    since = until = None
    if isinstance(window, tuple) and len(window) == 2:
        if window[0] > first:
            since = datetime.combine(window[0], time.min, tzinfo=UTC)
        if window[1] < last:
            until = datetime.combine(window[1] + timedelta(days=1), time.min, tzinfo=UTC)
    scope = Scope(area=area or None, platforms=tuple(sorted(platforms)), since=since, until=until)
    return scope, kind


def download_button(container: Any, label: str, download: Download, *, key: str) -> None:
    """Offer ``download``; pressing the button downloads it and writes the export log."""
    container.download_button(
        label,
        download.data,
        file_name=download.file_name,
        mime=download.mime,
        key=key,
        on_click=state.log_download,
        args=(download,),
    )


def sidebar() -> None:
    with st.sidebar:
        st.caption("Store")
        st.code(state.location(), language=None)
        st.toggle(
            "Show private individuals' identities",
            key="show_private",
            help="Patients and the public are pseudonymised by default, on screen and "
            "in exports. Turn on only with a documented legal basis.",
        )
        st.text_input(
            "Your name (for the shortlists' trail)", key="owner", placeholder=state.owner()
        )
        st.caption(f"Shortlist “{state.shortlist_name()}”: {state.shortlist_size()} account(s)")
