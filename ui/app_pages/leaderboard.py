"""Leaderboard: rank an area's KOLs, DOLs, influencers or organisations, and explain each rank."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import streamlit as st

from kolmap.export.downloads import export_download, ranking_download
from kolmap.export.exporter import COMPLIANCE_NOTE, FORMATS, TABULAR
from kolmap.scoring.explain import monthly_activity, node_position
from kolmap.scoring.rank import COMPONENTS, RankKind
from kolmap.scoring.timeline import compare_rankings, split_windows
from kolmap.ui import dates, shortlists, state, widgets
from kolmap.views.coverage import (
    coverage_note,
    no_candidates_note,
    role_coverage,
    unendorsed_note,
)
from kolmap.views.display import (
    COMPONENT_WORDS,
    blank_text,
    scope_words,
    score_parts,
    tier_help,
    weighed,
    with_handles,
    without_blank_columns,
)

TIERS = ("global", "national", "regional", "local")


def pick(column: Any, label: str, options: list[str], key: str, plural: str) -> list[str]:
    """A multiselect of ``options``; with nothing to choose it says so, disabled, rather than
    opening on "No results" (a 2014 file gives no account a language)."""
    chosen: list[str] = column.multiselect(
        label,
        options,
        key=key,
        # Short: a disabled box cut "No language in this list" to "…this lis".
        placeholder=f"All {plural}" if options else "None in this list",
        disabled=not options,
    )
    return chosen


st.title("Leaderboard")
scope, kind = widgets.scope_filters("lb")
full = state.ranking(scope, kind)
# The organisation list ranks institutions, brands and media together; a user looking for
# societies or hospitals keeps only those (ranks stay those of the whole list).
kind_roles = [r for r in RankKind(kind).roles if r in set(full["role"])]
extra = st.columns([2, 2, 2, 2, 2, 1] if len(kind_roles) > 1 else [2, 2, 2, 2, 1])
languages = sorted(x for x in full["lang"].dropna().unique() if x)
langs = pick(extra[0], "Language", languages, "lb_lang", "languages")
specialties = sorted(x for x in full["specialty"].dropna().unique() if x)
chosen_specialties = pick(extra[1], "Specialty", specialties, "lb_specialty", "specialties")
tier_names = [t for t in TIERS if t in set(full["tier"])]
chosen_tiers = extra[2].multiselect(
    "Tier",
    tier_names,
    key="lb_tier",
    placeholder="All tiers",
    help=tier_help(state.settings().scoring),
)
place = extra[3].text_input("Location contains", key="lb_location")
chosen_roles: list[str] = []
if len(kind_roles) > 1:
    chosen_roles = extra[4].multiselect(
        "Role", kind_roles, key="lb_role", placeholder="All roles of this list"
    )
top = extra[-1].number_input(
    "Show top", min_value=5, max_value=1000, value=50, step=5, key="lb_top"
)

table = full
if chosen_roles:
    table = table[table["role"].isin(chosen_roles)]
if langs:
    table = table[table["lang"].isin(langs)]
if chosen_specialties:
    table = table[table["specialty"].isin(chosen_specialties)]
if chosen_tiers:
    table = table[table["tier"].isin(chosen_tiers)]
if place:
    table = table[table["location"].fillna("").str.contains(place, case=False, regex=False)]
matching = table
table = table.head(int(top))
first_day, last_day = dates.date_bounds()
compare = st.toggle(
    "Compare with an earlier window",
    key="lb_compare",
    help="Adds each account's rank and score in the earlier window and how they moved "
    "(new: not ranked then).",
)
if compare:
    earlier_days = st.date_input(
        "Earlier window",
        value=split_windows(first_day, last_day, dates.median_day(scope))[0],
        help="At first, up to the day of the median post of these filters (half the posts "
        "then or before), so the comparison has posts on both sides.",
        key="lb_compare_days",
    )
    if isinstance(earlier_days, tuple) and len(earlier_days) == 2:
        earlier = replace(
            scope,
            since=datetime.combine(earlier_days[0], time.min, tzinfo=UTC),
            until=datetime.combine(earlier_days[1] + timedelta(days=1), time.min, tzinfo=UTC),
        )
        table = compare_rankings(table, state.ranking(earlier, kind))
proj = state.projection(scope)
# A network file's accounts without a handle are shown by their id.
shown = with_handles(state.protect(table, proj))

weights = RankKind(kind).weights(state.settings().scoring)
filtered = len(matching) if len(matching) != len(full) else None
st.caption(
    f"{len(full):,} {state.KIND_LABELS[kind]} candidate(s) in {scope_words(scope)}"
    + (f", {filtered:,} matching the filters" if filtered is not None else "")
    + f"; showing {len(shown):,}. Score = 100 × relevance^"
    f"{state.settings().scoring.relevance_exponent:g} × weighted components "
    f"({weighed(weights)}; docs/scoring.md gives each)."
)
if kind in ("kol", "dol") and (note := coverage_note(role_coverage(proj.nodes), kind, len(full))):
    st.warning(note)
if not proj.edges.empty and (alone := unendorsed_note(shown)):
    st.info(alone)
compact = ["rank", "handle", "display_name", "role", "specialty", "score", "tier"]
compact += ["kol_score", "dol_score"] if kind in ("kol", "dol") else []
compact += ["rank_change", "score_change", "movement"] if "movement" in table else []
compact += ["flags", "reasons"]
# A name, specialty or flags column blank on every row only takes the reasons' room.
compact = without_blank_columns(shown, compact)
detailed = st.toggle("All columns", key="lb_all_columns", help="Every score component.")
columns = [
    "rank",
    "handle",
    "display_name",
    "role",
    "specialty",
    "score",
    "tier",
    "kol_score",
    "dol_score",
    "flags",
    "trust",
    "community",
    "relevance",
    *COMPONENTS,
    "n_peer_endorsers",
    "n_lay_endorsers",
    "n_endorsers",
    "posts_in_scope",
    "followers",
    "platform",
]
columns += [c for c in ("previous_rank", "rank_change", "score_change", "movement") if c in table]
picked_row = st.dataframe(
    # A missing specialty or a withheld name is blank, not Streamlit's grey "None".
    blank_text(shown[columns if detailed else compact]),
    hide_index=True,
    key="lb_table",
    on_select="rerun",
    selection_mode="single-row",
    # With the comparison, an account new in this window has no previous rank, Δ rank or
    # Δ score (its movement says new): blank, not Streamlit's grey "None"; still numbers.
    placeholder="",
    column_config=widgets.headed(
        shown,
        {
            "score": st.column_config.ProgressColumn(
                "score", min_value=0, max_value=100, format="%.1f"
            ),
            "relevance": st.column_config.NumberColumn(format="%.2f"),
            # Shares (0..1) with two decimals each: "1" beside "0.6889" read as two scales.
            "trust": st.column_config.NumberColumn(format="%.2f"),
            **{
                c: st.column_config.NumberColumn(COMPONENT_WORDS[c], format="%.2f", help=c)
                for c in COMPONENTS
            },
            "kol_score": st.column_config.NumberColumn("KOL", format="%.1f"),
            "dol_score": st.column_config.NumberColumn("DOL", format="%.1f"),
            # Flags ("role from behaviour (0.73)") read "role fro…" at the default width.
            "flags": st.column_config.TextColumn("flags", width="medium"),
            "reasons": st.column_config.TextColumn(
                "why", width="large", help="Click a row: its full reasons are explained below."
            ),
            "rank_change": st.column_config.NumberColumn("Δ rank", format="%+d"),
            "score_change": st.column_config.NumberColumn("Δ score", format="%+.1f"),
        },
    ),
)

if shown.empty:
    st.info(
        "No candidates match these filters."
        if len(full)
        else no_candidates_note(proj.nodes, kind, scope_words(scope))
    )
    st.stop()

labels = {f"{r['rank']}. {r['handle']}": i for i, r in enumerate(shown.to_dict("records"))}
# A row clicked in the table becomes the account explained below, with its profile link.
selected = picked_row.selection.rows if picked_row is not None else []
fresh = (
    selected and selected[0] < len(labels) and st.session_state.get("_lb_selected") != selected[0]
)
if fresh:
    st.session_state["_lb_selected"] = selected[0]
    st.session_state["lb_explain"] = list(labels)[selected[0]]
st.caption("Click a row to explain it below and open its profile.")
pick_cols = st.columns([4, 1])
if st.session_state.pop("_lb_added", False):  # added: the picker starts empty again
    st.session_state["lb_pick"] = []
picked = pick_cols[0].multiselect("Add to shortlist", list(labels), key="lb_pick")
if pick_cols[1].button("Add", key="lb_add", disabled=not picked):
    rows = table.iloc[[labels[p] for p in picked]]
    st.session_state["_lb_added"] = True
    shortlists.add_to_shortlist(rows, source="leaderboard", area=scope.area, kind=kind)

with st.expander("Export (same files as `kolmap export`)"):
    cols = st.columns([2, 2, 3])
    fmt = cols[0].selectbox(
        "Format",
        list(FORMATS),
        key="lb_fmt",
        help="csv/xlsx: the ranking as shown (with every score component); "
        "gexf/graphml/json/html: the area map",
    )
    delimiter = cols[1].selectbox("CSV delimiter", [",", ";"], key="lb_delim")
    cols[2].caption(COMPLIANCE_NOTE)
    if st.button("Prepare the file", key="lb_export"):
        name = f"kolmap-{kind}-{scope.area or 'all'}.{fmt}"
        if fmt in TABULAR:  # exactly the rows on screen: language and location filters too
            st.session_state["lb_file"] = ranking_download(
                shown,
                fmt,
                name,
                kind=kind,
                scope=scope,
                settings=state.settings().scoring,
                pseudonymised=not state.show_private(),
                narrowed={
                    "language": ",".join(langs),
                    "specialty": ",".join(chosen_specialties),
                    "tier": ",".join(chosen_tiers),
                    "location contains": place,
                },
                delimiter=delimiter,
            )
        else:
            with state.store() as s:
                st.session_state["lb_file"] = export_download(
                    s,
                    scope,
                    kind=kind,
                    fmt=fmt,
                    file_name=name,
                    settings=state.settings().scoring,
                    top=int(top),
                    delimiter=delimiter,
                    privacy=state.privacy(),
                )
    prepared = st.session_state.get("lb_file")
    if prepared:
        widgets.download_button(
            st,
            f"Download {prepared.file_name} ({prepared.rows:,} rows)",
            prepared,
            key="lb_download",
        )

st.subheader("Why this rank")
choice = st.selectbox("Account", list(labels), key="lb_explain")
row = shown.iloc[labels[choice]]
raw = table.iloc[labels[choice]]
node = node_position(proj, str(raw["platform"]), str(raw["account_id"]))
metrics = st.columns(4)
metrics[0].metric("Score", f"{row['score']:.1f}")
metrics[1].metric(
    "Peer endorsers",
    int(row["n_peer_endorsers"]),
    help="Distinct HCPs and researchers who mention, repost, reply to, quote or follow them.",
)
metrics[2].metric(
    "Lay endorsers",
    int(row["n_lay_endorsers"]),
    help="Distinct patients, caregivers and members of the public who endorse them.",
)
total = int(proj.nodes.iloc[node]["posts_total"]) if node is not None else 0
metrics[3].metric(
    "Relevance",
    f"{row['relevance']:.0%}",
    help=f"{int(row['posts_in_scope'])} of {total} posts in scope. Relevance is the larger of "
    "the topic share (with priors) and the volume of on-topic posts (docs/scoring.md), so a "
    "prolific account can reach 100% with part of its posts elsewhere.",
)
st.text(row["reasons"])
widgets.profile_link(
    st, str(raw["platform"]), str(raw["account_id"]), role=raw["role"], area=scope.area
)
left, right = st.columns(2)
with left:
    st.caption(
        "What the score weighs, with each weight: every component as a share of the best "
        "value any candidate of the list has on it (endorser counts by their square roots)"
    )
    st.vega_lite_chart(
        score_parts(row, weights),
        {
            "mark": {"type": "bar"},
            "encoding": {
                # Whole labels ("peer_endorsers ×0.3" was cut to "peer_endorsers ×…").
                "y": {"field": "component", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelLimit": 400}},
                "x": {"field": "value", "type": "quantitative", "title": "share of the best",
                      "scale": {"domain": [0, 1]}},
            },
        },
    )  # fmt: skip
with right:
    st.caption("Trend: posts in scope and engagement per month")
    activity = monthly_activity(
        state.posts(scope, [(str(raw["platform"]), str(raw["account_id"]))]),
        dates.covered_days(scope),
    )
    if activity.empty:
        st.info("No dated posts in scope.")
    else:
        widgets.activity_chart(st, activity, key="lb_activity")
if node is not None:
    st.caption("Who endorses them (strongest first)")
    widgets.interactions(st, scope, node, rows=25, key="lb_endorsers")
