"""Explanations behind a rank: who endorses an account, what a community is, how activity moves.

Plain functions over a projection, its components and post tables; the UI and exports lay
them out, they compute nothing themselves.

>>> monthly_activity(__import__("pandas").DataFrame(
...     {"created_at": __import__("pandas").to_datetime(["2026-01-03", "2026-01-20", "2026-03-01"],
...      utc=True), "likes": [1, 2, 3], "reposts": [0, 1, 0], "replies": [0, 0, 1]}
... ))["posts"].tolist()
[2, 0, 1]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from kolmap.graph.store import Projection
from kolmap.scoring.components import PEER_ROLES, weighted_edges
from kolmap.settings import ScoringSettings

__all__ = [
    "MENTIONED_ONLY",
    "community_hashtags",
    "community_summary",
    "ego_projection",
    "endorsers_of",
    "monthly_activity",
    "node_position",
]

# What a community's roles call its members known only from mentions (stubs, no profile).
MENTIONED_ONLY = "mentioned only"


def node_position(projection: Projection, platform: str, account_id: str) -> int | None:
    """Row position of an account in ``projection.nodes``, or None if it is not in scope."""
    nodes = projection.nodes
    hit = np.flatnonzero(
        (nodes["platform"].to_numpy() == platform) & (nodes["account_id"].to_numpy() == account_id)
    )
    return int(hit[0]) if len(hit) else None


def endorsers_of(
    projection: Projection,
    node: int,
    settings: ScoringSettings,
    *,
    incoming: bool = True,
    components: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Accounts pointing at ``node`` (or, with ``incoming=False``, that it points at): one
    row per account with its role, relation types, count and weight (trust included),
    strongest first. ``components`` of ``projection`` save computing trust again."""
    nodes = projection.nodes
    edges = projection.edges
    if edges.empty:
        return pd.DataFrame(
            columns=[
                "platform",
                "account_id",
                "handle",
                "display_name",
                "role",
                "relations",
                "count",
                "weight",
            ]
        )
    frame = weighted_edges(projection, settings, components)
    this, other = ("dst", "src") if incoming else ("src", "dst")
    frame = frame.loc[frame[this] == node]
    grouped = frame.groupby(other).agg(
        relations=("kind", lambda k: ",".join(sorted(set(k)))),
        count=("count", "sum"),
        weight=("weight", "sum"),
    )
    grouped = grouped.sort_values(["weight", "count"], ascending=False)
    people = nodes.iloc[grouped.index.to_numpy()][
        ["platform", "account_id", "handle", "display_name", "role"]
    ].reset_index(drop=True)
    people["relations"] = grouped["relations"].to_numpy()
    people["count"] = grouped["count"].to_numpy()
    people["weight"] = np.round(grouped["weight"].to_numpy(), 4)
    return people


def community_summary(
    projection: Projection,
    components: pd.DataFrame,
    posts: pd.DataFrame | None = None,
    *,
    members_shown: int = 10,
    hashtags_shown: int = 8,
    hashtags: Mapping[int, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per community: size, roles, leading members (by PageRank) and top hashtags.

    ``posts`` (from ``store.posts(scope)``) gives the hashtags; without it they are empty.
    ``hashtags`` (each community's most used tags, most used first, as
    :func:`community_hashtags` gives them) saves reading the posts: the same answer.
    """
    nodes = projection.nodes
    community = components["community"].to_numpy()
    pagerank = components["pagerank"].to_numpy()
    platform = nodes["platform"].to_numpy(dtype=object)
    account = nodes["account_id"].to_numpy(dtype=object)
    handle = nodes["handle"].to_numpy(dtype=object)
    # Accounts known only from mentions have no profile, so no role: counted as such, not
    # as "unknown" (a community of 371 "unknown" held 100 unidentified profiles).
    stub = nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    role = np.where(stub, MENTIONED_ONLY, nodes["role"].to_numpy(dtype=object))
    peer = nodes["role"].isin(PEER_ROLES).to_numpy(dtype=bool)
    if hashtags is None:
        hashtags = _counted_hashtags(platform, account, community, posts, hashtags_shown)
    # Each community's members in their order in the projection (as a groupby gives them),
    # then by decreasing PageRank with the very sort a frame's sort_values would use.
    order = np.argsort(community, kind="stable")
    labels, starts = np.unique(community[order], return_index=True)
    ends = np.r_[starts[1:], len(order)] if len(order) else starts
    rows = []
    for label, start, end in zip(labels.tolist(), starts.tolist(), ends.tolist(), strict=True):
        members = order[start:end]
        members = members[_descending(pagerank[members])]
        top = members[:members_shown]
        rows.append(
            {
                "community": int(label),
                "size": len(members),
                "roles": ", ".join(f"{r} {n}" for r, n in _role_counts(role[members])),
                "peer_share": round(float(peer[members].mean()), 3),
                "leaders": [
                    (str(p), str(a), str(h) if isinstance(h, str) else str(a))
                    for p, a, h in zip(platform[top], account[top], handle[top], strict=True)
                ],
                "top_hashtags": ["#" + t for t in hashtags.get(int(label), ())][:hashtags_shown],
                "influence": round(float(pagerank[members].sum()), 4),
            }
        )
    columns = ["community", "size", "roles", "peer_share", "leaders", "top_hashtags", "influence"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["size", "community"], ascending=[False, True], ignore_index=True
    )


def _descending(values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` from largest to smallest, missing ones last, ties exactly as
    ``DataFrame.sort_values(ascending=False)`` leaves them (pandas' ``nargsort``: the
    reversed values, a quicksort, reversed back).

    >>> _descending(np.array([0.5, 0.9, 0.5, np.nan, 0.1])).tolist()
    [1, 0, 2, 4, 3]
    """
    missing = np.isnan(values)
    positions = np.arange(len(values))
    kept = values[~missing][::-1]
    kept_positions = positions[~missing][::-1]
    order = kept_positions[kept.argsort(kind="quicksort")][::-1]
    return np.concatenate([order, positions[missing]])


def _role_counts(roles: np.ndarray) -> list[tuple[str, int]]:
    """Roles and their counts, most frequent first, ties in order of first appearance (as
    ``value_counts`` orders them)."""
    counts: dict[str, int] = {}
    for r in roles.tolist():
        if isinstance(r, str):  # value_counts leaves missing values out
            counts[r] = counts.get(r, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def _counted_hashtags(
    platform: np.ndarray,
    account: np.ndarray,
    community: np.ndarray,
    posts: pd.DataFrame | None,
    shown: int,
) -> dict[int, list[str]]:
    """Each community's ``shown`` most used hashtags in ``posts``, counted in their order."""
    tags: dict[int, Counter[str]] = {}
    if posts is not None and not posts.empty:
        where = dict(zip(zip(platform, account, strict=True), community, strict=True))
        for p, author, tags_of_post in zip(
            posts["platform"], posts["author_id"], posts["hashtags"], strict=True
        ):
            found = where.get((p, author))
            if found is not None and len(tags_of_post):
                tags.setdefault(int(found), Counter()).update(tags_of_post)
    return {c: [t for t, _n in counter.most_common(shown)] for c, counter in tags.items()}


def community_hashtags(uses: pd.DataFrame) -> dict[int, list[str]]:
    """Each community's top hashtags from ``group, tag, uses`` rows, most used first (what
    :meth:`~kolmap.graph.store.GraphStore.top_hashtags_by_group` answers)."""
    out: dict[int, list[str]] = {}
    for group, tag in zip(uses["group"].tolist(), uses["tag"].tolist(), strict=True):
        out.setdefault(int(group), []).append(str(tag))
    return out


def monthly_activity(posts: pd.DataFrame, covered: tuple[date, date] | None = None) -> pd.DataFrame:
    """Posts and engagement received per calendar month (months without posts included),
    and whether each month is ``partial``: the data (``covered``, its first and last day)
    starts after the month's first day or ends before its last, so its counts are not a
    month's (a file that ends on 1 July shows July with a day's posts; read as a month, that
    is a collapse that never happened).

    Reposts count as the account's activity but bring it no engagement: the likes and
    reposts an export gives a repost are the original post's (as in ranking, where only
    original posts earn engagement).

    >>> posts = pd.DataFrame({"created_at": pd.to_datetime(["2014-06-03", "2014-07-01"],
    ...     utc=True), "likes": [4, 0], "reposts": [0, 0], "replies": [0, 0]})
    >>> monthly_activity(posts, (date(2014, 2, 1), date(2014, 7, 1)))["partial"].tolist()
    [False, True]
    """
    if posts.empty or posts["created_at"].isna().all():
        return pd.DataFrame(columns=["month", "posts", "engagement", "partial"])
    frame = posts.dropna(subset=["created_at"]).copy()
    frame["month"] = frame["created_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    frame["engagement"] = frame[["likes", "reposts", "replies"]].fillna(0).sum(axis=1)
    if "repost_of_post_id" in frame:
        frame.loc[frame["repost_of_post_id"].notna(), "engagement"] = 0
    grouped = frame.groupby("month").agg(posts=("month", "size"), engagement=("engagement", "sum"))
    full = pd.period_range(grouped.index.min(), grouped.index.max(), freq="M")
    grouped = grouped.reindex(full, fill_value=0)
    partial = np.zeros(len(full), dtype=bool)
    if covered is not None:
        first, last = (pd.Timestamp(day) for day in covered)
        starts, ends = full.start_time.normalize(), full.end_time.normalize()
        # The month the data starts in after its first day, or ends in before its last.
        partial = ((starts < first) & (first <= ends)) | ((starts <= last) & (last < ends))
        partial = np.asarray(partial, dtype=bool)
    grouped["partial"] = partial
    grouped.index = full.to_timestamp()
    return grouped.rename_axis("month").reset_index()


def ego_projection(projection: Projection, node: int, *, limit: int = 60) -> Projection:
    """The account and its direct neighbours (the ``limit`` with the most relations to it),
    with the relations among them, as a smaller projection."""
    edges = projection.edges
    touching = edges.loc[(edges["src"] == node) | (edges["dst"] == node)]
    other = np.where(
        touching["src"].to_numpy() == node, touching["dst"].to_numpy(), touching["src"].to_numpy()
    )
    strength = pd.Series(touching["count"].to_numpy(), index=other).groupby(level=0).sum()
    keep = [node, *strength.sort_values(ascending=False).index[:limit].tolist()]
    keep = sorted({int(k) for k in keep})
    position = {old: new for new, old in enumerate(keep)}
    sub = edges.loc[edges["src"].isin(position) & edges["dst"].isin(position)].copy()
    sub["src"] = sub["src"].map(position)
    sub["dst"] = sub["dst"].map(position)
    return Projection(
        projection.scope,
        projection.nodes.iloc[keep].reset_index(drop=True),
        sub.reset_index(drop=True),
    )
