"""Trends: rising stars between two windows and the share of voice of competing brands, over
time (docs/congress.md). Both download as CSV or XLSX, logged like every export."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from kolmap import __version__
from kolmap.errors import InputError
from kolmap.export.downloads import table_download
from kolmap.export.exporter import COMPLIANCE_NOTE
from kolmap.graph.store import Scope
from kolmap.ingest.brands import BrandMatcher, parse_brands
from kolmap.model import AccountKey
from kolmap.scoring.timeline import movement, rising_stars, split_windows
from kolmap.ui import dates, state, widgets
from kolmap.views.coverage import no_rising_note, stretch_note
from kolmap.views.display import scope_words
from kolmap.views.share_of_voice import share_of_voice

st.title("Trends")


def _window(days: object) -> tuple[datetime, datetime] | None:
    if not isinstance(days, tuple) or len(days) != 2:
        return None
    start, end = days
    return (
        datetime.combine(start, time.min, tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    )


def _downloads(table: pd.DataFrame, name: str, what: str, filters: dict[str, object]) -> None:
    about = {
        "what": what,
        "rows": len(table),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "kolmap version": __version__,
        "compliance": COMPLIANCE_NOTE,
    }
    for col, fmt in zip(st.columns(3), ("csv", "xlsx"), strict=False):
        download = table_download(
            table,
            fmt,
            f"kolmap-{name}.{fmt}",
            about=about,
            filters=filters,
            pseudonymised=not state.show_private(),
            sheet=name,
        )
        widgets.download_button(col, f"Download {fmt.upper()}", download, key=f"tr_{name}_{fmt}")


first, last = dates.date_bounds()
areas = state.area_options()


def _defaults(area: str) -> dict[str, Any]:
    """Two windows that do not share a day, from the area's first post to its last, parted
    at its median post (about half its posts in each), as the Leaderboard's comparison parts
    them: parted at the median of all data, an area's windows could hold most of its posts
    on one side; spanning all data, the later one ran years past the area's last post."""
    days = dates.post_days(Scope(area=area or None))
    if days is None:
        earlier, later = split_windows(first, last, None)
    else:
        earlier, later = split_windows(days[0], days[2], days[1])
    return {"earlier": earlier, "later": later}


def _from(address: dict[str, list[str]]) -> None:
    """Rising stars' filters from the address (``?area=…&kind=dol&earlier=…..…``)."""
    widgets.choose_area_and_kind("tr", address, areas)
    for name, default in _defaults(st.session_state.get("tr_area", "")).items():
        span = widgets.first_value(address, name)
        st.session_state[f"tr_{name}"] = widgets.date_span(span, first, last) or default


widgets.from_address("tr", ("area", "kind", "earlier", "later"), _from)
st.subheader("Rising stars")
cols = st.columns([2, 2, 3, 3])
area = cols[0].selectbox("Area", areas, format_func=state.area_label, key="tr_area")
kind = cols[1].selectbox(
    "Kind", list(state.KIND_LABELS), format_func=state.KIND_LABELS.__getitem__, key="tr_kind"
)
defaults = _defaults(area)
# Windows left at the previous area's defaults follow the area chosen; chosen ones stay.
before_defaults = st.session_state.get("_tr_defaults")
if before_defaults is not None and before_defaults != defaults:
    for name, default in defaults.items():
        if st.session_state.get(f"tr_{name}") == before_defaults[name]:
            st.session_state[f"tr_{name}"] = default
st.session_state["_tr_defaults"] = defaults
chosen: dict[str, Any] = {}
for col, name in ((cols[2], "earlier"), (cols[3], "later")):
    given: dict[str, Any] = {} if f"tr_{name}" in st.session_state else {"value": defaults[name]}
    chosen[name] = col.date_input(
        f"{name.capitalize()} window", min_value=first, max_value=last, key=f"tr_{name}", **given
    )


def _span(name: str) -> str | None:
    """A window in the address, unless it is the default."""
    days = chosen[name]
    if not isinstance(days, tuple) or len(days) != 2 or days == defaults[name]:
        return None
    return f"{days[0].isoformat()}..{days[1].isoformat()}"


widgets.to_address(
    "tr",
    ("area", "kind", "earlier", "later"),
    area=area or None,
    kind=kind if kind != "kol" else None,
    earlier=_span("earlier"),
    later=_span("later"),
)
earlier = _window(chosen["earlier"])
later = _window(chosen["later"])
if earlier and later:
    before = Scope(area=area or None, since=earlier[0], until=earlier[1])
    after = Scope(area=area or None, since=later[0], until=later[1])
    scoring = state.settings().scoring
    later_ranking = state.ranking(after, kind)
    stars = rising_stars(
        later_ranking,
        state.ranking(before, kind),
        min_endorsers=scoring.rising_min_endorsers,
        prior=scoring.rising_prior,
        top=25,
    )
    shown = state.protect(stars, state.projection(after))
    apart = stretch_note(
        dates.quiet_stretch(Scope(area=area or None)), chosen["earlier"], chosen["later"]
    )
    if apart:
        st.warning(apart)
    st.caption(
        f"Growth of the {state.KIND_LABELS[kind]} score, shrunk by n / (n + "
        f"{scoring.rising_prior:g}) with n the endorsers now; at least "
        f"{scoring.rising_min_endorsers} endorsers (settings scoring.rising_*)."
    )
    if shown.empty:
        st.info(no_rising_note(later_ranking, scoring.rising_min_endorsers, scope_words(after)))
    else:
        # An account not ranked in the earlier window has no previous score: its movement
        # says "new" (as the Leaderboard's comparison does) and the score is left blank.
        st.dataframe(
            shown.assign(movement=movement(shown["previous_rank"], shown["current_rank"]))[
                [
                    "rank",
                    "handle",
                    "display_name",
                    "role",
                    "movement",
                    "rise",
                    "score",
                    "previous_score",
                    "n_endorsers",
                    "reasons",
                ]
            ],
            hide_index=True,
            key="tr_stars",
            placeholder="",
            column_config=widgets.headed(
                shown,
                {
                    **widgets.score_formats(shown),
                    # A star rises by its score; its rank can still fall when others rose more
                    # (a real store: "down" beside a rise of 1.7 read as a contradiction).
                    "movement": st.column_config.TextColumn(
                        "rank move",
                        help="Its rank now against its rank in the earlier window (new: not "
                        "ranked then). The rise is its score's growth: a star can rise and still "
                        "lose places to others who rose more.",
                    ),
                    "rise": st.column_config.ProgressColumn(
                        min_value=0, max_value=float(max(shown["rise"].max(), 1.0)), format="%.1f"
                    ),
                },
            ),
        )
        _downloads(
            shown,
            "rising",
            f"kolmap rising {kind} stars, {after.describe()} against {before.describe()}",
            {"rising": kind, "area": area},
        )

st.subheader("Share of voice")
upload = st.file_uploader(
    "Brand list (CSV: brand,company,aliases; aliases separated by |)",
    type=["csv"],
    key="tr_brands",
)
if upload is None:
    st.info(
        "Upload your brands and their competitors to compare their share of the "
        "conversation (the demo's list: data/samples/timeline/brands.csv)."
    )
    st.stop()
try:
    matcher = BrandMatcher(parse_brands(upload.getvalue().decode("utf-8"), upload.name))
except UnicodeDecodeError:
    st.error(f"{upload.name}: not UTF-8 text; save the brand list as UTF-8 CSV.")
    st.stop()
except InputError as err:
    st.error(str(err))
    st.stop()
cols = st.columns([2, 2])
sov_area = cols[0].selectbox(
    "Area", state.area_options(), format_func=state.area_label, key="tr_sov_area"
)
period = cols[1].selectbox("Per", ["month", "quarter", "week", "all"], key="tr_period")
posts = state.posts(Scope(area=sov_area or None))
with state.store() as s:
    accounts = s.accounts(
        sorted(
            {
                AccountKey(str(p), str(a))
                for p, a in zip(posts["platform"], posts["author_id"], strict=True)
            }
        )
    )
result = share_of_voice(posts, accounts, matcher, period=period, area=sov_area or None)
if result.shares.empty:
    st.info(f"No post names any of the {len(matcher.brands)} brands here.")
    st.stop()
st.vega_lite_chart(
    result.shares,
    {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None},
            "y": {
                "field": "share",
                "type": "quantitative",
                "title": "share of voice (%)",
                "stack": "normalize",
            },
            "color": {"field": "brand", "type": "nominal"},
            # Three areas a row: side by side, every area's title ran into the next.
            "facet": {"field": "area", "type": "nominal", "title": None, "columns": 3},
            "tooltip": [
                {"field": "brand"},
                {"field": "period"},
                {"field": "mentions"},
                {"field": "share"},
                {"field": "hcp_share"},
            ],
        },
    },
    key="tr_sov_chart",
)
st.dataframe(result.shares, hide_index=True, key="tr_sov_table")
_downloads(
    result.shares,
    "share-of-voice",
    f"kolmap share of voice by {period}",
    {"share_of_voice": upload.name, "area": sov_area, "period": period},
)
st.caption("Who drives each brand's voice")
st.dataframe(state.protect_accounts(result.drivers), hide_index=True, key="tr_sov_drivers")
