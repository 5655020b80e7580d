"""The app's shared widgets: the filter bar, the sidebar, the download button, the
interactions tables and the activity chart.

Pages build their controls from these so that every page filters the same way and every
file a browser downloads is written to the export log (:func:`download_button` is the only
place the app calls Streamlit's own; a test checks that pages never do).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from kolmap.export.downloads import Download
from kolmap.graph import Scope
from kolmap.ui import access, dates, shortlists, state
from kolmap.views.display import COLUMN_WORDS, blank_text

__all__ = [
    "activity_chart",
    "choose_area_and_kind",
    "date_span",
    "download_button",
    "first_value",
    "from_address",
    "headed",
    "interactions",
    "profile_link",
    "rows_to_profiles",
    "saved_views",
    "scope_filters",
    "sidebar",
    "to_address",
]


def scope_filters(
    prefix: str, *, with_kind: bool = True, default_area: str = ""
) -> tuple[Scope, str]:
    """The filter bar shared by pages: area, kind, platforms, time window.

    The filters live in the address too (``?area=oncology&kind=dol&platform=x&since=…``):
    a link, a saved view, a bookmark, a reload or the browser's Back opens the page filtered
    the same way, and leaving the page and coming back keeps them.
    """
    areas = state.area_options()
    platforms_known = list(state.stats()["by_platform"])
    first, last = dates.date_bounds()
    _from_address(prefix, areas, platforms_known, first, last, with_kind, default_area)
    # Without a kind, three filters fill the row (a blank as wide as a filter sat between the
    # area and the platforms on Communities).
    cols = st.columns([2, 2, 2, 3] if with_kind else [2, 2, 3])
    area_key = f"{prefix}_area"
    area = cols[0].selectbox(
        "Therapeutic area",
        areas,
        format_func=state.area_label,
        key=area_key,
        **_initial(area_key, areas.index(default_area) if default_area in areas else 0),
    )
    kind = "kol"
    if with_kind:
        kind = cols[1].selectbox(
            "Kind",
            list(state.KIND_LABELS),
            format_func=state.KIND_LABELS.__getitem__,
            key=f"{prefix}_kind",
        )
    platforms = cols[-2].multiselect(
        "Platforms", platforms_known, key=f"{prefix}_platforms", placeholder="All platforms"
    )
    window_key = f"{prefix}_window"
    window_options: dict[str, Any] = (
        {} if window_key in st.session_state else {"value": (first, last)}
    )
    window = cols[-1].date_input(
        "Time window", min_value=first, max_value=last, key=window_key, **window_options
    )
    since = until = None
    if isinstance(window, tuple) and len(window) == 2:
        if window[0] > first:
            since = datetime.combine(window[0], time.min, tzinfo=UTC)
        if window[1] < last:
            until = datetime.combine(window[1] + timedelta(days=1), time.min, tzinfo=UTC)
    to_address(
        prefix,
        _WIDGETS,
        area=area or None,
        kind=kind if with_kind and kind != "kol" else None,
        platform=sorted(platforms) or None,
        since=window[0].isoformat() if since else None,
        until=window[1].isoformat() if until else None,
    )
    scope = Scope(area=area or None, platforms=tuple(sorted(platforms)), since=since, until=until)
    return scope, kind


def _initial(key: str, index: int) -> dict[str, Any]:
    """A widget's default, unless the address (or an earlier run) already set its value."""
    return {} if key in st.session_state else {"index": index}


# The filters a page keeps in its address.
_FILTERS = ("area", "kind", "platform", "since", "until")
_WIDGETS = ("area", "kind", "platforms", "window")


def from_address(
    prefix: str, params: Sequence[str], apply: Callable[[dict[str, list[str]]], None]
) -> None:
    """Call ``apply`` with the page's ``params`` in the address (each a list of values)
    unless the address is the one this page wrote itself: a link, a saved view, a bookmark,
    a reload or the browser's Back put it there. ``apply`` sets the page's widgets (keys
    ``{prefix}_…``; ``{prefix}_area`` must be one) through ``st.session_state``, before they
    are drawn. Coming back to the page with none of ``params`` in the address (from the
    sidebar) gives it the values it had when it was left (kept by :func:`to_address`)."""
    address = {name: st.query_params.get_all(name) for name in params if name in st.query_params}
    entered = f"{prefix}_area" not in st.session_state  # first run here, or back from a page
    written = st.session_state.get(f"{prefix}_written")
    if not entered and written is None:
        # The page's first run was cut short by a pick (an area chosen while the page was
        # still drawing) before it wrote the address: the address is the one the page was
        # opened with, already applied; applying it again undid the pick.
        return
    if address == written and not entered:
        return  # the address this page wrote: the widgets hold the same
    if not address and entered:
        for key, value in st.session_state.get(f"{prefix}_last", {}).items():
            st.session_state[key] = value
        return
    apply(address)
    # A link to the page on screen (a saved view) changes the address on the server only:
    # to_address writes it back even where it seems unchanged, so the browser shows it.
    st.session_state[f"{prefix}_applied"] = True


def to_address(prefix: str, widgets: Sequence[str], **values: str | list[str] | None) -> None:
    """Write ``values`` into the address (an empty one, a default, is left out), and keep
    what was written and the ``{prefix}_…`` values of ``widgets`` for :func:`from_address`."""
    force = st.session_state.pop(f"{prefix}_applied", False)
    for name, value in values.items():
        if value:
            listed = value if isinstance(value, list) else [value]
            if force or st.query_params.get_all(name) != listed:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]
    st.session_state[f"{prefix}_written"] = {
        name: st.query_params.get_all(name) for name in values if name in st.query_params
    }
    st.session_state[f"{prefix}_last"] = {
        key: st.session_state[key]
        for key in (f"{prefix}_{w}" for w in widgets)
        if key in st.session_state
    }


def choose_area_and_kind(
    prefix: str,
    address: dict[str, list[str]],
    areas: list[str],
    *,
    default_area: str = "",
    with_kind: bool = True,
) -> None:
    """Set ``{prefix}_area`` and ``{prefix}_kind`` from an address read by
    :func:`from_address`; a value the page does not offer gives the default (``default_area``
    if offered, else the first area; KOL). An unknown area is said, with the areas there
    are (a mistyped link showed all data without a word)."""
    area = first_value(address, "area")
    fallback = default_area if default_area in areas else areas[0]
    if area and area not in areas:
        st.warning(
            f"No area '{area}' in the taxonomy; showing {state.area_label(fallback)}. "
            f"Areas: {', '.join(a for a in areas if a)}."
        )
    st.session_state[f"{prefix}_area"] = area if area in areas else fallback
    if with_kind:
        kind = first_value(address, "kind")
        st.session_state[f"{prefix}_kind"] = kind if kind in state.KIND_LABELS else "kol"


def first_value(address: dict[str, list[str]], name: str) -> str | None:
    """The first value of ``name`` in an address read by :func:`from_address`."""
    return next(iter(address.get(name, [])), None)


def date_span(text: str | None, first: date, last: date) -> tuple[date, date] | None:
    """``YYYY-MM-DD..YYYY-MM-DD`` as two dates within ``first``..``last``, else None.

    >>> date_span("2026-01-02..2026-01-05", date(2026, 1, 1), date(2026, 2, 1))
    (datetime.date(2026, 1, 2), datetime.date(2026, 1, 5))
    """
    try:
        since, until = (date.fromisoformat(part) for part in (text or "").split(".."))
    except ValueError:
        return None
    return (since, until) if first <= since <= until <= last else None


def _from_address(
    prefix: str,
    areas: list[str],
    platforms: list[str],
    first: date,
    last: date,
    with_kind: bool,
    default_area: str = "",
) -> None:
    """The scope filters from the address (:func:`from_address`)."""

    def apply(address: dict[str, list[str]]) -> None:
        choose_area_and_kind(prefix, address, areas, default_area=default_area, with_kind=with_kind)
        st.session_state[f"{prefix}_platforms"] = [
            p for p in address.get("platform", []) if p in platforms
        ]
        since = first_value(address, "since") or first.isoformat()
        until = first_value(address, "until") or last.isoformat()
        st.session_state[f"{prefix}_window"] = date_span(f"{since}..{until}", first, last) or (
            first,
            last,
        )

    from_address(prefix, _FILTERS, apply)


def download_button(container: Any, label: str, download: Download, *, key: str) -> None:
    """Offer ``download``; pressing the button writes the export log, then downloads it
    (see :func:`~kolmap.ui.state.deferred_download`; a viewer may read the pages but not
    take data away)."""
    if not state.may_change():
        container.caption(f"{label}: analysts and admins only")
        return
    container.download_button(
        label,
        state.deferred_download(download),
        file_name=download.file_name,
        mime=download.mime,
        key=key,
        on_click="ignore",
    )


def profile_link(
    container: Any,
    platform: str,
    account_id: str,
    *,
    role: Any = None,
    is_stub: Any = False,
    area: str | None = None,
) -> None:
    """A link to the account's profile page (its address names the account, so it opens in a
    new tab and can be shared, as the map's links do), in ``area`` when given. A private
    individual shown as a pseudonym is named by the pseudonym there too: an address is
    seen in the browser's history and wherever it is pasted, and its handle would undo the
    pseudonym."""
    stub = bool(pd.notna(is_stub) and is_stub)  # a missing value is no stub
    hidden = role is not None and state.is_hidden(role, stub)
    shown = state.privacy().pseudonym(platform, account_id) if hidden else account_id
    params = {"account": f"{platform}:{shown}"}
    if area:
        params["area"] = area
    container.page_link(
        "app_pages/profile.py", label="Open profile", icon=":material/person:", query_params=params
    )


# Scores shown with one decimal on every page, as the Leaderboard shows them (Congress and
# Trends printed 98.642 beside its 94.9).
SCORE_COLUMNS = ("score", "previous_score", "kol_score", "dol_score")


def headed(frame: Any, config: dict[str, Any]) -> dict[str, Any]:
    """``config`` with a header in words (:data:`~kolmap.views.display.COLUMN_WORDS`) for each
    of ``frame``'s columns whose name reads as code, unless ``config`` names it already."""
    out = dict(config)
    for name, words in COLUMN_WORDS.items():
        if name not in frame:
            continue
        if name not in out:
            out[name] = st.column_config.Column(words)
        elif not out[name].get("label"):
            out[name] = {**out[name], "label": words}
    return out


def score_formats(frame: Any) -> dict[str, Any]:
    """Column settings that show ``frame``'s score columns with one decimal."""
    return {
        name: st.column_config.NumberColumn(format="%.1f")
        for name in SCORE_COLUMNS
        if name in frame
    }


def share_formats() -> dict[str, Any]:
    """Column settings that show a community table's shares with two decimals, as the
    Leaderboard shows its components (they read 0, 0.2 and 0.009 side by side)."""
    return {
        name: st.column_config.NumberColumn(format="%.2f") for name in ("peer_share", "influence")
    }


def rows_to_profiles(
    container: Any,
    accounts: Any,
    shown: Any,
    *,
    key: str,
    area: str | None = None,
    **options: Any,
) -> None:
    """``shown`` as a table whose rows can be clicked: the clicked row's profile link
    follows it. ``accounts`` holds ``platform, account_id`` row for row with ``shown``
    (which may hide them, or show pseudonyms). A missing text (a withheld name, no
    specialty) or number (a withheld or unknown follower count) is blank, not Streamlit's
    grey "None"; number columns stay numbers."""
    options["column_config"] = headed(
        shown, {**score_formats(shown), **options.get("column_config", {})}
    )
    event = container.dataframe(
        blank_text(shown),
        hide_index=True,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        placeholder="",
        **options,
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(accounts):
        row = accounts.iloc[rows[0]]
        profile_link(
            container,
            str(row["platform"]),
            str(row["account_id"]),
            role=row.get("role", "unknown"),
            is_stub=row.get("is_stub", False),
            area=area,
        )
    else:
        container.caption("Click a row to open its profile.")


def interactions(
    container: Any,
    scope: Scope,
    node: int,
    *,
    incoming: bool = True,
    rows: int = 20,
    **options: Any,
) -> None:
    """Who interacts with the account at ``node`` (or, with ``incoming=False``, whom it
    interacts with), the ``rows`` strongest, as a table (:func:`state.endorsers`). A withheld
    name (a private individual's) or one the export lacked is blank, not Streamlit's grey
    "None": every such table is drawn here, the Profile's two and the Leaderboard's."""
    frame = state.endorsers(scope, node, incoming=incoming).head(rows)
    # Weights with two decimals ("1.3545" beside "1" and "0.54" before).
    options["column_config"] = {
        "weight": st.column_config.NumberColumn(format="%.2f"),
        **options.get("column_config", {}),
    }
    # Who, as what, how and how much: the platform and the id (which repeated the handle)
    # pushed the relations, counts and weights out of a half-page table (browser check).
    options.setdefault("column_order", _INTERACTION_COLUMNS)
    container.dataframe(blank_text(frame), hide_index=True, **options)


_INTERACTION_COLUMNS = ("handle", "display_name", "role", "relations", "count", "weight")


def activity_chart(container: Any, activity: Any, *, key: str) -> None:
    """Posts and engagement per month (:func:`kolmap.scoring.explain.monthly_activity`) as
    lines with a point on each month, so that one month of data still shows (a line of one
    point draws nothing), months labelled with their year. Posts and engagement each on
    their own axis, one above the other: on one axis a hundred posts lay flat under
    thousands of likes. A month the data covers only in part is drawn dashed and named under
    the chart: its counts are a few days', not a month's."""
    long = activity.melt("month", ["posts", "engagement"], var_name="series")
    flags = activity["partial"].to_numpy(dtype=bool) if "partial" in activity else None
    long["part"] = "whole month"
    if flags is not None and flags.any():
        partial_months = activity["month"][flags]
        long["part"] = np.where(long["month"].isin(partial_months), "partial month", "whole month")
        # The segment into (or out of) a partial month is dashed: the whole months beside one
        # are repeated in the dashed line, so the two lines meet.
        beside = np.zeros(len(flags), dtype=bool)
        beside[1:] |= flags[:-1]
        beside[:-1] |= flags[1:]
        bridge = long[long["month"].isin(activity["month"][beside & ~flags])]
        long = pd.concat([long, bridge.assign(part="partial month")], ignore_index=True)
    long = long.assign(month=long["month"].dt.strftime("%Y-%m-%d"))
    container.vega_lite_chart(
        long,
        {
            "mark": {"type": "line", "point": True},
            "height": 160,
            "resolve": {"scale": {"y": "independent"}},
            "encoding": {
                "row": {"field": "series", "type": "nominal", "title": None},
                "x": {
                    "field": "month",
                    "type": "temporal",
                    "timeUnit": "yearmonth",
                    "title": None,
                    "axis": {"format": "%b %Y"},
                },
                # Counts (posts, interactions): whole-number ticks, as on the Congress page.
                "y": {"field": "value", "type": "quantitative", "title": None,
                      "axis": {"tickMinStep": 1}},
                # Each row is named (posts, engagement) and the caption names the dashed
                # months: a legend would only repeat them (its symbols are the points, not the
                # line styles).
                "color": {"field": "series", "type": "nominal", "legend": None},
                "strokeDash": {
                    "field": "part",
                    "type": "nominal",
                    "legend": None,
                    "scale": {
                        "domain": ["whole month", "partial month"],
                        "range": [[1, 0], [4, 3]],
                    },
                },
                "tooltip": [
                    {"field": "month", "type": "temporal", "timeUnit": "yearmonth",
                     "title": "month"},
                    {"field": "series", "type": "nominal"},
                    {"field": "value", "type": "quantitative"},
                    {"field": "part", "type": "nominal", "title": "covered"},
                ],
            },
        },
        key=key,
    )  # fmt: skip
    if flags is not None and flags.any():
        names = ", ".join(m.strftime("%B %Y") for m in partial_months)
        container.caption(
            f"Dashed: {names}, which the data covers only in part (its counts are not a "
            "whole month's)."
        )


def saved_views(current: Any, pages: Sequence[Any]) -> None:
    """Saved views: the page on screen with its filters (its address) kept under a name in
    the store, for everyone using it; each opens as a link (a new tab, a bookmark too)."""
    by_path = {page.url_path: page for page in pages}
    views = state.saved_views()
    st.caption("Saved views")
    for name, path, params in zip(views["name"], views["page"], views["params"], strict=True):
        if path in by_path:
            st.page_link(
                by_path[path], label=str(name), query_params=params, icon=":material/bookmark:"
            )
    with st.expander("Save or delete a view"):
        name = st.text_input("Name", key="view_name", placeholder="e.g. Oncology DOLs, 2026")
        if st.button("Save this view", key="view_save", disabled=not (name or "").strip()):
            params = {k: st.query_params.get_all(k) for k in st.query_params}
            flat = {k: v[0] if len(v) == 1 else v for k, v in params.items()}
            state.save_view(name.strip(), current.url_path, flat)
            state.notify(f"Saved “{name.strip()}”: {current.title} with its filters.")
            st.rerun()
        names = views["name"].tolist()
        if names:
            doomed = st.selectbox("Saved view", names, key="view_pick")
            if st.button("Delete", key="view_delete"):
                state.delete_view(str(doomed))
                st.rerun()


def sidebar(current: Any, pages: Sequence[Any]) -> None:
    """The store, the privacy switch, the owner's name, the shortlist and the saved views
    (``current``: the page on screen; ``pages``: every page, to open saved views)."""
    with st.sidebar:
        st.caption("Store")
        st.code(state.location(), language=None)
        if note := state.engine_note():
            st.caption(note)
        access.sidebar_panel()
        admin = state.may_reveal_identities()
        # Why it is off, said as it is: "Only an admin may" beside "Single-user store
        # (admin)" read as a contradiction when the project's setting was the reason.
        if admin:
            why = ""
        elif not state.settings().privacy.allow_identities:
            why = (
                " Off in this project: its settings keep identities hidden "
                "(privacy.allow_identities = false)."
            )
        else:
            why = " Only an admin may (`kolmap users add NAME --role admin`)."
        st.toggle(
            "Show private individuals' identities",
            key="show_private",
            disabled=not admin,
            on_change=access.record_reveal,
            help="Patients and the public are pseudonymised by default, on screen and "
            "in exports. Turn on only with a documented legal basis; each time is recorded "
            "in the audit trail." + why,
        )
        st.text_input(
            "Your name (for the shortlists' trail)", key="owner", placeholder=state.owner()
        )
        st.caption(
            f"Shortlist “{state.shortlist_name()}”: {shortlists.shortlist_size()} account(s)"
        )
        saved_views(current, pages)
