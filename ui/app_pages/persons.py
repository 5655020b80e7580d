"""Persons & science: the KOL × DOL × science quadrant of an area, persons ranked by their
scientific record, and the review queue of person links (accept or reject a link; undo a
merge). docs/science.md explains the sources, the matching and the scores."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from kolmap import __version__
from kolmap.export.downloads import table_download
from kolmap.export.exporter import COMPLIANCE_NOTE
from kolmap.scoring.science import QUADRANT_GROUPS, SCIENCE_COMPONENTS
from kolmap.ui import access, science, state, widgets
from kolmap.views.display import blank_text

st.title("Persons & science")
if all(frame.empty for name, frame in science.tables().items() if name != "person_decisions"):
    st.info(
        "No scientific record yet: `kolmap science import` reads PubMed XML or .nbib, OpenAlex, "
        "ClinicalTrials.gov v2 and congress programme files (docs/science.md)."
    )
    # Each section below would only say the same again (no science axis, no ranking, no
    # links to review).
    st.stop()
areas = state.area_options()
# The area lives in the address (?area=oncology) as on the other pages: a link, a saved view
# or a reload opens the same area.
widgets.from_address(
    "persons",
    ("area",),
    lambda address: widgets.choose_area_and_kind("persons", address, areas, with_kind=False),
)
area = st.selectbox("Area", areas, format_func=state.area_label, key="persons_area")
widgets.to_address("persons", ("area",), area=area or None)
threshold = state.settings().science.quadrant_threshold

st.subheader("KOL × DOL × science")
table = science.quadrant_of(area)
if table.empty:
    st.info("Nobody with a scientific record or a KOL/DOL score in this scope.")
elif not (table["science_score"].fillna(0) > 0).any():
    # Everyone at 0 on one axis is no quadrant: it would file every voice as digital-only.
    st.info(
        "Nobody in this scope has a scientific record (publications, trials or congress "
        "roles), so the quadrant has no science axis to place anyone on. `kolmap science "
        "import` adds one (docs/science.md); the Leaderboard ranks the digital standing."
    )
else:
    groups = list(QUADRANT_GROUPS.values())
    counts = table["group"].value_counts()
    for col, group in zip(st.columns(4), groups, strict=True):
        col.metric(group.capitalize(), int(counts.get(group, 0)))
    st.vega_lite_chart(
        table,
        {
            "layer": [
                {
                    "mark": {"type": "circle", "opacity": 0.7, "size": 70},
                    "encoding": {
                        "x": {"field": "digital_score", "type": "quantitative",
                              "title": "Digital standing (best of KOL and DOL, area best = 100)"},
                        "y": {"field": "science_score", "type": "quantitative",
                              "title": "Scientific score (area best = 100)"},
                        "color": {"field": "group", "type": "nominal",
                                  "scale": {"domain": groups}},
                        "tooltip": [{"field": "name"}, {"field": "group"},
                                    {"field": "science_score"}, {"field": "digital_score"}],
                    },
                },
                {"mark": {"type": "rule", "strokeDash": [4, 4], "color": "#888"},
                 "encoding": {"x": {"datum": threshold}}},
                {"mark": {"type": "rule", "strokeDash": [4, 4], "color": "#888"},
                 "encoding": {"y": {"datum": threshold}}},
            ],
        },
        key="persons_quadrant",
    )  # fmt: skip
    st.caption(
        f"High on an axis from {threshold:g} (setting science.quadrant_threshold). "
        "Digital standing: the better of the KOL and DOL scores of the person's best account."
    )
    chosen = st.multiselect("Groups", groups, key="persons_groups", placeholder="All groups")
    shown = table[table["group"].isin(chosen)] if chosen else table
    # The scores here are rescaled (the area's best at 100), the Leaderboard's are not: the
    # same person may show 94.9 there and 100 here, so the labels say which scale this is.
    rescaled = "(area best = 100)"
    st.dataframe(
        # A researcher's DOL score (none: DOL lists hold HCPs) and a missing name are blank,
        # not Streamlit's grey "None".
        blank_text(shown),
        hide_index=True,
        key="persons_table",
        placeholder="",
        column_config={
            "science_score": st.column_config.NumberColumn(f"Science {rescaled}", format="%.1f"),
            "kol_score": st.column_config.NumberColumn(f"KOL {rescaled}", format="%.1f"),
            "dol_score": st.column_config.NumberColumn(f"DOL {rescaled}", format="%.1f"),
            "digital_score": st.column_config.NumberColumn(f"Digital {rescaled}", format="%.1f"),
        },
    )
    st.caption(
        "KOL and DOL here are the Leaderboard's scores of the person's best account, rescaled "
        "so the area's best is 100 (the Leaderboard does not rescale: its best may read less); "
        "the downloads keep the column names kol_score, dol_score."
    )
    about = {
        "what": f"kolmap KOL × DOL × science quadrant, {area or 'all data'}",
        "rows": len(shown),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "kolmap version": __version__,
        "compliance": COMPLIANCE_NOTE,
    }
    for col, fmt in zip(st.columns(3), ("csv", "xlsx"), strict=False):
        download = table_download(
            shown,
            fmt,
            f"kolmap-quadrant-{area or 'all'}.{fmt}",
            about=about,
            filters={"area": area or "all", "groups": chosen, "rows": len(shown)},
            pseudonymised=True,
            sheet="quadrant",
        )
        widgets.download_button(col, f"Download {fmt.upper()}", download, key=f"persons_{fmt}")

st.subheader("Scientific ranking")
ranked = science.science_of(area)
if ranked.empty:
    st.info("No publication, trial or congress role in this area.")
else:
    st.dataframe(
        ranked.head(50)[["rank", "name", "score", *SCIENCE_COMPONENTS, "n_works", "n_lead",
                         "n_trials", "n_congress", "reasons"]],
        hide_index=True,
        column_config={"score": st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                format="%.1f")},
        key="persons_science",
    )  # fmt: skip

st.subheader("Person links to review")
found = science.links()
person_of = dict(zip(found.members["identity"], found.members["person_id"], strict=True))
queue = found.links[
    found.links["status"].isin(["review", "blocked"])
    & (found.links["identity_a"].map(person_of) != found.links["identity_b"].map(person_of))
]
merged = found.links[found.links["status"].isin(["merged", "confirmed"])]
if queue.empty:
    st.info("Nothing waits for review.")
else:
    st.dataframe(queue, hide_index=True, key="persons_queue")
if not state.may_change():
    st.caption("Analysts and admins accept or reject links.")
else:
    options: dict[str, tuple[str, str]] = {
        f"{r['identity_a']} ~ {r['identity_b']} ({r['status']}, {r['confidence']:.2f})": (
            str(r["identity_a"]),
            str(r["identity_b"]),
        )
        for r in pd.concat([queue, merged]).to_dict("records")
    }
    if options:
        pick = st.selectbox("Link", list(options), key="persons_link")
        note = st.text_input("Note", key="persons_note")
        same, different = st.columns(2)
        for button, decision, text in (
            (same, "same", "Same person"),
            (different, "different", "Different people (undo a merge)"),
        ):
            if button.button(text, key=f"persons_{decision}"):
                with state.store() as s:
                    s.decide_persons([options[pick]], decision, note=note)
                state.notify(f"Recorded: {text.lower()} — {pick}")
                st.rerun()
who = st.session_state.get(access.USER_KEY) or state.owner()
st.caption(f"Decisions are kept with who made them ({who}) and when; they win over inference.")
