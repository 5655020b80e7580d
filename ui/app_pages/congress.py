"""Congress: who drove a congress's conversation before, during and after it: the volume of
its hashtags day by day (the congress days found where they peak), the drivers of each phase
and the most engaging posts of public actors during it."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from kolmap.graph.store import Scope
from kolmap.ingest.congresses import Congress
from kolmap.ingest.text import fold
from kolmap.model import AccountKey
from kolmap.scoring.congress import (
    COMMERCIAL_ROLES,
    congress_phases,
    daily_volume,
    drivers,
    peak_days,
)
from kolmap.ui import dates, shortlists, state, widgets
from kolmap.views.congress_report import dated_editions, edition_scope, editions_in
from kolmap.views.congresses import congress_candidates, same_year_candidates
from kolmap.views.display import COMPONENT_WORDS, posts_count, utc_times

st.title("Congress")
registry = state.congress_registry()
tags = state.top_hashtags(Scope(), limit=500)
known: list[Congress] = []  # the registry's congresses this store has posts for, busiest first
for tag in tags["tag"]:
    found = registry.of_hashtag(str(tag))
    if found and found[0].id not in [c.id for c in known]:
        known.append(found[0])
CUSTOM = "Other hashtags"
picked = st.selectbox(
    "Congress",
    [c.id for c in known] + [CUSTOM],
    format_func=lambda cid: cid if cid == CUSTOM else registry.congresses[cid].name,
    key="cg_congress",
    help="The congresses of the registry (docs/congress.md) found in this store, busiest "
    "first; or pick hashtags yourself.",
)
first, last = dates.date_bounds()
edition_days = None
# The area a congress of one area is saved under on the shortlist ("all" for the others).
congress_area: str | None = None
if picked != CUSTOM:
    congress = registry.congresses[picked]
    congress_area = congress.areas[0] if len(congress.areas) == 1 else None
    # Only the editions with posts of their own: a #SER2020 posted at SER 2019 names the 2020
    # edition, but analysing it would read June 2019's posts on June 2019's days.
    editions = dated_editions(congress, editions_in(congress, tags), state.posts)
    years = sorted(editions.posts, reverse=True)
    year: int | None = (
        st.selectbox(
            "Edition",
            years,
            index=years.index(editions.busiest() or years[0]),
            key=f"cg_year_{picked}",
            help="The editions this store holds posts of (their hashtags dated in the "
            "edition's year or around its registry dates), the busiest chosen first.",
        )
        if years
        else None
    )
    if editions.elsewhen:
        st.caption(
            "Not offered: "
            + ", ".join(
                f"{y} ({posts_count(n)} name{'s' if n == 1 else ''} it)"
                for y, n in sorted(editions.elsewhen.items())
            )
            + ": the store holds no post of "
            + ("that edition" if len(editions.elsewhen) == 1 else "those editions")
            + ", only posts of other years that name it."
        )
    hashtags = editions.hashtags(year)
    if not hashtags:
        st.warning(
            f"No post of any edition of {congress.name} in this store"
            + (
                ": the posts naming its editions are dated in other years"
                if editions.elsewhen
                else ""
            )
            + ". Pick another congress, or Other hashtags."
        )
        st.stop()
    edition_posts = state.posts(edition_scope(congress, editions, year))
    edition = congress.edition(year) if year else None
    if edition and edition.start and edition.end:
        edition_days = (edition.start, edition.end)
        st.caption(
            f"{congress.name} {year}: {edition.start:%d %B} – {edition.end:%d %B %Y}"
            + (f", {edition.city}" if edition.city else "")
            + " (registry dates)"
        )
else:
    congress_tags = congress_candidates(  # busiest first, acronyms as people write them
        tags["tag"],
        state.taxonomy(),
        lambda tag: state.posts(Scope(hashtags=(tag,)), limit=200)["text"].tolist(),
    )
    cols = st.columns([3, 2])
    chosen = cols[0].multiselect(
        "Congress hashtags",
        tags["tag"].tolist(),
        default=same_year_candidates(congress_tags),
        key="cg_tags",
        format_func=lambda t: "#" + t,
    )
    typed = cols[1].text_input("Other hashtags (space separated)", key="cg_more")
    hashtags = tuple(
        sorted({*chosen, *(fold(t.lstrip("#")) for t in typed.split() if t.strip("#"))})
    )
    if not hashtags:
        st.info("Pick the congress's hashtags.")
        st.stop()
    edition_posts = state.posts(Scope(hashtags=hashtags))
peak = (
    edition_days
    or peak_days(edition_posts["created_at"])
    or (first, min(last, first + timedelta(days=3)))
)
if edition_days is None:
    # Said on the page, not only in the days box's help: an awareness day's posts (Rare
    # Disease Day is the last day of February) can peak months away in a collection.
    st.caption(
        "No registry dates for this edition: the congress days are the four days when its "
        "hashtags peak; change them below."
    )
cols = st.columns([3, 2, 2])
days = cols[0].date_input(
    "Congress days",
    value=peak,
    help="At first, the registry's dates of the edition, else the four days when these "
    "hashtags peak.",
    min_value=min(first, peak[0]),
    max_value=max(last, peak[1]),
    # One widget per choice of hashtags: a new edition or congress opens on its own days.
    key="cg_days_" + " ".join(hashtags),
)
margin = cols[1].slider("Days before and after", 3, 60, 14, key="cg_margin")
non_commercial = cols[2].toggle(
    "Non-commercial view",
    value=True,
    key="cg_nc",
    help=f"Hide {', '.join(COMMERCIAL_ROLES)}, industry staff and accounts flagged as automated.",
)
if not isinstance(days, tuple) or len(days) != 2:
    st.stop()
phases = congress_phases(days[0], days[1], margin=margin)
tagged = state.posts(Scope(hashtags=hashtags, since=phases[0].since, until=phases[-1].until))
weights = state.settings().scoring.congress_weights
st.caption(
    f"Hashtags {' '.join('#' + h for h in hashtags)}; score = 100 × ("
    + " + ".join(f"{w:g} {COMPONENT_WORDS.get(name, name)}" for name, w in weights.items())
    + ") / their sum, every role on the same footing (setting scoring.congress_weights)."
    # Said on the page: a driver vanished when the view was on, with no word of why.
    + (
        " Non-commercial view: brands, media, industry staff and accounts flagged as "
        "automated are left out of the drivers; turn it off to see them."
        if non_commercial
        else ""
    )
)
volume = daily_volume(tagged["created_at"], phases)
st.vega_lite_chart(
    volume.assign(day=volume["day"].dt.strftime("%Y-%m-%d")),
    {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            # Whole posts: no ticks at 0.1 on a quiet day (a browser check).
            "y": {
                "field": "posts",
                "type": "quantitative",
                "title": "posts per day",
                "axis": {"tickMinStep": 1},
            },
            "color": {
                "field": "phase",
                "type": "nominal",
                "scale": {"domain": ["before", "during", "after"]},
            },
        },
    },
    key="cg_timeline",
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
        widgets.rows_to_profiles(
            st,
            table,
            state.protect_accounts(table)[["rank", "handle", "score", "role"]],
            key=f"cg_{phase.name}",
            # A third of the page each: at 1,500 px the score column was cut off (a
            # pseudonym, "anon-" and 16 digits, stretched the handle column).
            column_config={
                # With the selection box (~33 px), about 305 px in all: a third of a
                # 1,500 px page holds 335, of a 1,400 px page about 303. The score comes
                # before the role, so a narrower page cuts a word ("organisatio"), not a
                # number ("98." for 98.6, seen at 1,400 px).
                "rank": st.column_config.NumberColumn("#", width=32),
                "handle": st.column_config.TextColumn(width=104),
                "score": st.column_config.NumberColumn(format="%.1f", width=52),
                "role": st.column_config.TextColumn(width=84),
            },
        )
        if (
            phase.name == "during"
            and not table.empty
            and st.button(
                "Add this list's top 10 to the shortlist",
                key="cg_add",
                help="The ten accounts that drove the conversation during the congress, as "
                "listed here, go to the shortlist (the Shortlist page).",
            )
        ):
            shortlists.add_to_shortlist(
                table.head(10), source="congress", area=congress_area, kind="congress"
            )

during = phases[1]
in_days = tagged[
    (tagged["created_at"] >= during.since) & (tagged["created_at"] < during.until)
    & tagged["repost_of_post_id"].isna()
]  # fmt: skip
st.subheader("Most engaging posts during the congress")
if in_days.empty:
    st.info("No original posts with these hashtags on those days.")
else:
    with state.store() as s:
        authors = s.accounts(
            [
                AccountKey(str(p), str(a))
                for p, a in {*zip(in_days["platform"], in_days["author_id"], strict=True)}
            ]
        )[["platform", "account_id", "handle", "role", "is_stub"]]
    top = in_days.assign(
        engagement=in_days[["likes", "reposts", "replies"]].fillna(0).sum(axis=1)
    ).merge(authors, left_on=["platform", "author_id"], right_on=["platform", "account_id"])
    # Posts of private individuals could identify them: only public actors' posts are quoted.
    public = top[~state.privacy().hidden(top["role"], top["is_stub"])]
    commercial = public["role"].isin(COMMERCIAL_ROLES) & non_commercial
    st.caption(
        f"{len(top):,} original posts; {len(top) - len(public):,} by private individuals are "
        "counted but not quoted"
        + (
            f"; {int(commercial.sum()):,} by brands and media are left out (non-commercial view)."
            if non_commercial
            else "."
        )
    )
    public = public[~commercial]
    if public.empty:
        st.info("No post of those days is left to quote.")
        st.stop()
    best = public.sort_values(["engagement", "created_at"], ascending=[False, True]).head(10)
    best = best.assign(text=state.protect_texts(best["text"].tolist(), best["platform"].tolist()))
    # A count no post of the export carries (rtweet has no reply count) is left out, not a
    # column of blanks.
    counts = [c for c in ("likes", "reposts", "replies") if best[c].notna().any()]
    st.dataframe(
        utc_times(best[["created_at", "handle", "role", "text", *counts]]),
        hide_index=True,
        key="cg_top_posts",
        # An export without a count (rtweet's CSV has no reply_count) leaves it missing:
        # blank, not Streamlit's grey "None", nor 0 (unknown is not zero); still numbers.
        placeholder="",
    )
