"""Overview: what is in the store, and the last ingest with its quarantine count."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from kolmap.ui import state
from kolmap.views.display import moment

st.title("Overview")
data = state.stats()
if not data["accounts"]:
    st.info(
        "The store is empty. Load files on the **Ingest** page, or run "
        "`kolmap demo` / `kolmap ingest FOLDER` from a terminal."
    )
    st.stop()

cols = st.columns(5)
cols[0].metric("Accounts", f"{data['accounts']:,}")
cols[1].metric("Posts", f"{data['posts']:,}")
cols[2].metric("Follows", f"{data['follows']:,}")
cols[3].metric("Interactions", f"{sum(data['interactions'].values()):,}")
cols[4].metric(
    "Stub accounts",
    f"{data['stub_accounts']:,}",
    help="Known only from a mention or an id; completed when their profile arrives.",
)
span = (
    f"Posts from {moment(data['first_post'])} to {moment(data['last_post'])}"
    if data["first_post"] and data["last_post"]
    else "No dated posts"
)
st.caption(
    f"{span} · {data['persons']:,} people · {data['hashtags']:,} hashtags · "
    f"{data['labels']:,} user-verified labels"
)


def bars(title: str, counts: dict[str, int], column: str) -> None:
    st.caption(title)
    frame = pd.DataFrame({column: list(counts), "count": list(counts.values())})
    st.bar_chart(frame, x=column, y="count", horizontal=True)


# Two rows of two: the area charts side by side (stacked in a third column, they left a
# blank as tall as one of them under the first two).
left, right = st.columns(2)
with left:
    bars("Accounts by platform", data["by_platform"], "platform")
with right:
    bars("Accounts by role", data["by_role"], "role")
left, right = st.columns(2)
with left:
    bars("Accounts posting in each therapeutic area", data["accounts_by_area"], "area")
with right:
    bars("Posts by therapeutic area", data["posts_by_area"], "area")

st.subheader("Relations")
st.dataframe(
    pd.DataFrame(
        {"relation": list(data["interactions"]), "count": list(data["interactions"].values())}
    ),
    hide_index=True,
    # Thousands separated, as the metrics above them are (4779 beside 12,166).
    column_config={"count": st.column_config.NumberColumn(format="localized")},
)


def _count(n: int, noun: str) -> str:
    """``1 row``, ``12,166 rows``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


st.subheader("Ingest runs")
last = data["last_run"]
if last:
    summary = last["summary"]
    q = summary.get("quarantined", 0)
    message = (
        f"Last run {last['run_id']} at {moment(last['finished_at'])}: "
        f"{_count(summary.get('rows_read', 0), 'row')} read, {q:,} quarantined."
    )
    (st.warning if q else st.success)(message)
with state.store() as s:
    runs = s.runs()
rows = []
for run in runs.to_dict(orient="records"):
    summary = json.loads(run["summary"])
    merge = summary.get("merge", {})
    rows.append(
        {
            "run": run["run_id"],
            "finished": moment(run["finished_at"]),
            "rows read": summary.get("rows_read", 0),
            "quarantined": summary.get("quarantined", 0),
            "accounts added": merge.get("accounts", {}).get("added", 0),
            "posts added": merge.get("posts", {}).get("added", 0),
            "inputs": ", ".join(json.loads(run["inputs"])),
        }
    )
counts = ("rows read", "quarantined", "accounts added", "posts added")
st.dataframe(
    pd.DataFrame(rows),
    hide_index=True,
    column_config={c: st.column_config.NumberColumn(format="localized") for c in counts},
)
