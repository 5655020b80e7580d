"""Profile: an account (and the person behind it): role with evidence, the person's
scientific record (publications, trials, congress roles), where it stands in each area and
kind, its place on the KOL × DOL plane, ego network, top interactions and posts over time,
with a link to it on its platform."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kolmap.export.html_map import render_html
from kolmap.graph.store import Scope
from kolmap.model import AccountKey
from kolmap.scoring.explain import ego_projection, monthly_activity, node_position
from kolmap.scoring.rank import RankKind
from kolmap.ui import dates, science, shortlists, state, widgets
from kolmap.ui.search import find_accounts
from kolmap.views.display import utc_times
from kolmap.views.profiles import (
    KINDS_BY_ROLE,
    picture_html,
    picture_url,
    platform_link,
    quadrant,
    role_evidence_line,
    standing,
)

st.title("Profile")
wanted = st.query_params.get("account")
if wanted and wanted != st.session_state.get("_profile_link"):
    st.session_state["profile_search"] = ""  # a followed link (map, ego network) wins
    # The link's area (a Leaderboard's), so the profile shows the scores it was opened from.
    linked_area = st.query_params.get("area", "")
    if linked_area in state.area_options():
        st.session_state["profile_area"] = linked_area
st.session_state["_profile_link"] = wanted
search = st.text_input("Find an account (handle, name or id)", key="profile_search")
candidates = pd.DataFrame()
guard = state.privacy()


def _by_pseudonym(store: Any, platform: str | None, name: str) -> pd.DataFrame:
    """The private individual shown as ``name`` (a link or a search names them so)."""
    every = store.accounts()
    return guard.find(every if platform is None else every[every["platform"] == platform], name)


with state.store() as s:
    if wanted and not search:
        try:
            linked = AccountKey.parse(wanted)
        except ValueError:
            st.error("The link names no valid account.")
            wanted = None
        else:
            if linked.account_id.startswith("anon-") and guard.protects:
                candidates = _by_pseudonym(s, linked.platform, linked.account_id)
            else:
                # A private individual is opened by pseudonym only: an address naming their
                # real id or handle would tell which pseudonym is whose (as a search would).
                candidates = guard.visible(s.accounts([linked]))
    elif search:
        candidates = find_accounts(s, search)
if candidates.empty:
    if search:
        hint = " (private individuals by their pseudonym, anon-…)" if guard.protects else ""
        st.warning(
            state.md(f"No account's handle or name contains “{search}”, nor is it an id{hint}.")
        )
    elif wanted:
        hint = "; private individuals by their pseudonym, anon-…" if guard.protects else ""
        st.warning(
            state.md(f"No account {wanted} in this store (erased, or another store's{hint}).")
        )
    st.info("Search for an account, or open one from the leaderboard or the map.")
    st.stop()
candidates = candidates[~candidates["is_stub"]] if len(candidates) > 1 else candidates
choices = {
    f"{state.identity(r['platform'], r['account_id'], r['role'], r['handle'])} "
    f"({r['platform']}, {r['role']})": i
    for i, r in enumerate(candidates.to_dict("records"))
}
label = st.selectbox("Account", list(choices), key="profile_pick")
account = candidates.iloc[choices[label]]
platform, account_id, role = (
    str(account["platform"]),
    str(account["account_id"]),
    str(account["role"]),
)
hidden = state.is_hidden(role, bool(account["is_stub"]))

title = state.md(state.identity(platform, account_id, role, account["handle"]))
# The picture the export named, for accounts shown by name only (a private individual's
# face identifies them as surely as their name).
picture = None if hidden else picture_url(account.get("avatar_url"))
if picture:
    head = st.columns([1, 9], vertical_alignment="center")
    with head[0]:
        st.html(picture_html(picture, account.get("display_name") or account["handle"]))
    head[1].header(title)
else:
    st.header(title)
link = None if hidden else platform_link(platform, account["handle"], account.get("url"))
if link:
    st.link_button(f"Open on {platform}", link)
facts = st.columns(4)
facts[0].metric("Role", role)
facts[1].metric("Platform", platform)
followers = account["followers"]
known = followers is not None and not pd.isna(followers)
# "unknown", said why in its help: "not in the export" was cut to "not in the ex…" (a real
# contact network, at 1,400 px).
facts[2].metric(
    "Followers",
    "hidden" if hidden else (f"{int(followers):,}" if known else "unknown"),
    help=None if hidden or known else "The export carries no follower count for this account.",
)
source = str(account.get("role_source") or "text")
confidence = account.get("role_confidence")
facts[3].metric(
    "Role from",
    {"label": "user label", "behaviour": "behaviour", "text": "profile text"}.get(source, source),
    help=f"confidence {float(confidence):.2f}" if pd.notna(confidence) else None,
)
ties = []
if account.get("affiliation") == "industry":
    employer = account.get("employer")
    ties.append(
        "Industry tie" + (f" ({employer})" if isinstance(employer, str) and not hidden else "")
    )
risk = account.get("automation_risk")
if pd.notna(risk) and float(risk) >= state.settings().scoring.automation_flag:
    ties.append(f"Automation risk {float(risk):.2f}: {account.get('automation_evidence') or ''}")
for tie in ties:
    st.warning(state.md(tie))
if hidden:
    st.info(
        "A private individual: shown as a pseudonym, without name, bio or posts. The "
        "sidebar switch shows identities where you have a documented legal basis."
    )
else:
    st.caption("Name")
    st.text(account["display_name"] or "—")
    st.caption("Bio")
    st.text(account["bio"] or "—")
    st.caption("Specialty and evidence for the role")
    st.text(role_evidence_line(account["specialty"], account["role_evidence"], confidence))
    if account["person_id"]:
        with state.store() as s:
            same = s.accounts(person_id=str(account["person_id"]))[
                ["platform", "account_id", "handle", "role"]
            ]
        st.caption("Accounts of the same person")
        st.dataframe(state.protect_accounts(same), hide_index=True)

if role in ("hcp", "researcher") and not hidden:
    record = science.record_of(f"{platform}:{account_id}")
    if len(record["identities"]) > 1 or not record["publications"].empty:
        st.subheader("Scientific record")
        others = record["identities"]
        others = others[others["identity"] != f"{platform}:{account_id}"]
        st.caption(
            "Linked to this account as one person (docs/science.md; links and evidence in "
            "Persons & science): "
            + "; ".join(f"{r.kind} {r.identity}" for r in others.itertuples())
        )
        counts = st.columns(3)
        counts[0].metric("Publications", len(record["publications"]))
        counts[1].metric("Trials", len(record["trials"]))
        counts[2].metric("Congress roles", len(record["congress"]))
        for title, key in (
            ("Publications", "publications"),
            ("Trials", "trials"),
            ("Congress roles", "congress"),
        ):
            if not record[key].empty:
                st.caption(title)
                st.dataframe(
                    record[key],
                    hide_index=True,
                    key=f"profile_{key}",
                    column_config={
                        **{
                            c: st.column_config.DateColumn(format="YYYY-MM-DD")
                            for c in ("published_on", "started_on", "held_on")
                        },
                        "link": st.column_config.LinkColumn("Link", display_text="open"),
                    },
                )

if st.button("Add to the shortlist", key="profile_add"):
    # With the area the profile shows (a Leaderboard link's) and the account's place in its
    # list there: added from here it was "all", kind "profile", no score.
    shown_area = st.session_state.get("profile_area") or None
    row, listed_as = account.to_frame().T.assign(score=None), "profile"
    if (listing := RankKind.listing(role)) is not None:
        ranked = state.ranking(Scope(area=shown_area), listing.value)
        mine = ranked[(ranked["platform"] == platform) & (ranked["account_id"] == account_id)]
        if not mine.empty:
            row, listed_as = mine, listing.value
    shortlists.add_to_shortlist(row, source="profile", area=shown_area, kind=listed_as)

# A stub (known only from mentions) has no bio, so no list of areas: a missing value.
bio_areas = account["bio_areas"]
areas = [] if bio_areas is None or pd.api.types.is_scalar(bio_areas) else list(bio_areas)
everything = state.posts(Scope(), [(platform, account_id)])
area_counts = pd.Series([a for row in everything["areas"] for a in row]).value_counts()
st.subheader("Therapeutic areas")
st.text(f"From the bio and specialty: {', '.join(state.area_name(a) for a in areas) or 'none'}")
if not area_counts.empty:
    st.bar_chart(
        area_counts.rename(index=state.area_name).rename_axis("area").reset_index(name="posts"),
        x="area",
        y="posts",
        horizontal=True,
    )

kinds = KINDS_BY_ROLE.get(role, ())
busiest = [str(a) for a in area_counts.index[:3]] + [a for a in areas if a not in area_counts]
if (
    kinds
    and not bool(account["is_stub"])
    and st.toggle(
        "Standing in all data and its busiest areas",
        key="profile_standing_on",
        help="Ranks the account in up to four scopes; on a large store a scope not yet "
        "ranked in this session takes several seconds.",
    )
):
    st.subheader("Standing")
    rankings = {
        (a, kind): state.ranking(Scope(area=a or None), kind)
        for a in ["", *busiest[:3]]
        for kind in kinds
    }
    ranks = standing(rankings, platform, account_id)

    if ranks.empty:
        st.info("Not ranked as a candidate in its busiest areas.")
    else:
        st.dataframe(
            ranks.assign(area=[state.area_name(a) for a in ranks["area"]]),
            hide_index=True,
            key="profile_standing",
            # An influencer or organisation ranking has no KOL or DOL score: blank.
            placeholder="",
            column_config={
                "score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f"),
                "kol_score": st.column_config.NumberColumn("KOL", format="%.1f"),
                "dol_score": st.column_config.NumberColumn("DOL", format="%.1f"),
            },
        )

area = st.selectbox(
    "Network and interactions in",
    state.area_options(),
    format_func=state.area_label,
    key="profile_area",
)
scope = Scope(area=area or None)
proj = state.projection(scope)
node = node_position(proj, platform, account_id)
if node is None:
    st.info("This account has no relations in that scope.")
else:
    if role in ("hcp", "researcher"):
        table = state.ranking(scope, "kol")
        mine = table[(table["platform"] == platform) & (table["account_id"] == account_id)]
        if not mine.empty:
            kol, dol_cell = float(mine["kol_score"].iloc[0]), mine["dol_score"].iloc[0]
            dol = float(dol_cell) if pd.notna(dol_cell) else 0.0
            plane = table[["kol_score", "dol_score"]].fillna(0.0)
            threshold = state.settings().science.quadrant_threshold
            where, kol_100, dol_100 = quadrant(
                kol,
                dol,
                kol_best=float(plane["kol_score"].max()),
                dol_best=float(plane["dol_score"].max()),
                threshold=threshold,
                peers=int(mine["n_peer_endorsers"].iloc[0]),
                lay=int(mine["n_lay_endorsers"].iloc[0]),
            )
            axes = st.columns(4)
            axes[0].metric("KOL score (peers)", f"{kol:.1f}")
            axes[1].metric(
                "DOL score (lay reach)",
                f"{dol:.1f}" if pd.notna(dol_cell) else "none",
                help=None
                if pd.notna(dol_cell)
                else "DOL lists hold HCPs only: a researcher has no DOL score.",
            )
            axes[2].metric("Trust", f"{float(mine['trust'].iloc[0]):.2f}")
            axes[3].metric(
                "Quadrant",
                where,
                help=f"The Persons & science rule: a score is high from {threshold:g} "
                "(science.quadrant_threshold) with the area's best at 100; here KOL "
                f"{kol_100:.1f} and DOL {dol_100:.1f} on that scale. KOL: high peer standing; "
                "DOL: high lay reach; both; or emerging. An axis without a single endorser "
                "(peers for KOL, lay accounts for DOL) is never high.",
            )
            plane = plane.assign(who="other candidates")
            plane.loc[mine.index, "who"] = "this account"
            st.vega_lite_chart(
                plane,
                {
                    "mark": {"type": "circle", "opacity": 0.6},
                    "encoding": {
                        "x": {"field": "kol_score", "type": "quantitative", "title": "KOL"},
                        "y": {"field": "dol_score", "type": "quantitative", "title": "DOL"},
                        "color": {
                            "field": "who",
                            "type": "nominal",
                            "scale": {
                                "domain": ["other candidates", "this account"],
                                "range": ["#9fb4c7", "#d62728"],
                            },
                        },
                        "size": {
                            "condition": {"test": "datum.who == 'this account'", "value": 200},
                            "value": 20,
                        },
                    },
                },
                key="profile_quadrant",
            )
            researchers = int(table["dol_score"].isna().sum())
            if researchers:
                st.caption(
                    f"{researchers:,} researcher(s) drawn at DOL 0: they have no DOL score "
                    "(DOL lists hold HCPs only)."
                )
    st.subheader("Ego network")
    ego = ego_projection(proj, node, limit=60)
    result = state.ego_map(ego)
    st.iframe(
        render_html(result.graph, title="Ego network", profile_link="profile?account="), height=480
    )
    incoming, outgoing = st.columns(2)
    incoming.caption("Who interacts with them")
    widgets.interactions(incoming, scope, node)
    outgoing.caption("Whom they interact with")
    widgets.interactions(outgoing, scope, node, incoming=False)

st.subheader("Posts over time")
activity = monthly_activity(everything, dates.covered_days(Scope()))
if activity.empty:
    st.info("No dated posts.")
else:
    widgets.activity_chart(st, activity, key="pf_activity")
    undated = int(everything["created_at"].isna().sum()) if "created_at" in everything else 0
    if undated:
        # Retweets rebuilt from a 2014 file's text carry no time of their own: the chart
        # showed 16 of 21 posts with no word of the other 5.
        st.caption(f"{undated:,} of {len(everything):,} posts have no date and are not drawn.")
if not hidden and not everything.empty:
    st.caption("Latest posts (a repost shows no counts: an export gives it the original's)")
    latest = everything.head(50).copy()
    kind = pd.Series("post", index=latest.index)
    for column, name in (
        ("reply_to_post_id", "reply"),
        ("quote_of_post_id", "quote"),
        ("repost_of_post_id", "repost"),
    ):
        if column in latest:
            kind = kind.mask(latest[column].notna(), name)
    latest["kind"] = kind
    latest.loc[kind == "repost", ["likes", "reposts", "replies"]] = None
    # A public account's posts name the patients it answers: they read as pseudonyms.
    latest["text"] = state.protect_texts(latest["text"].tolist(), latest["platform"].tolist())
    st.dataframe(
        utc_times(
            latest[
                ["created_at", "kind", "text", "likes", "reposts", "replies", "hashtags", "areas"]
            ]
        ),
        hide_index=True,
        # A count the export did not carry (or a repost's) is blank: not Streamlit's grey
        # "None", nor 0 (unknown is not zero); the columns stay numbers, sortable.
        placeholder="",
    )
