"""Share of voice: how much of an area's conversation about a set of competing brands each
brand holds, who drives it, and how much of it comes from health professionals, per period.

A **mention** is an original post, reply or quote whose own text names the brand (reposts
carry no words of their own; they count in the brand's ``engagement`` through the reposts of
its mentions). For each area, period and brand: ``mentions``, ``authors``, ``share`` (the
brand's mentions over all the listed brands' mentions in that area and period, in percent),
``hcp_mentions`` and ``hcp_share`` (percent of the brand's mentions written by HCPs and
researchers), ``engagement`` (likes, reposts and replies of its mentions). Drivers are the
accounts with the most mentions of a brand, ties broken by engagement (callers pseudonymise
private individuals among them, :class:`~kolmap.views.privacy.Privacy`). A post naming two
brands counts for both.

>>> posts = pd.DataFrame({"platform": ["x"] * 3, "post_id": ["1", "2", "3"],
...     "author_id": ["a", "b", "a"], "created_at": pd.to_datetime(["2026-01-05"] * 3, utc=True),
...     "text": ["Onkavir works", "Tremlida and onkavir", "nothing"], "likes": [1, 2, 3],
...     "reposts": [0, 0, 0], "replies": [0, 0, 0], "areas": [["oncology"]] * 3,
...     "repost_of_post_id": [None] * 3})
>>> from kolmap.ingest.brands import Brand, BrandMatcher
>>> matcher = BrandMatcher([Brand("Onkavir", "A", ()), Brand("Tremlida", "B", ())])
>>> roles = pd.DataFrame({"platform": ["x", "x"], "account_id": ["a", "b"],
...                       "role": ["hcp", "patient"], "handle": ["a", "b"]})
>>> sov = share_of_voice(posts, roles, matcher, period="all")
>>> sov.shares[["brand", "mentions", "share", "hcp_share"]].values.tolist()
[['Onkavir', 2, 66.7, 50.0], ['Tremlida', 1, 33.3, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kolmap.ingest.brands import BrandMatcher

__all__ = ["PERIODS", "ShareOfVoice", "mentions_of", "share_of_voice"]

PERIODS = {"all": None, "month": "M", "quarter": "Q", "week": "W"}
_PEERS = ("hcp", "researcher")
SHARE_COLUMNS = ["area", "period", "brand", "company", "mentions", "authors", "share",
                 "hcp_mentions", "hcp_share", "engagement"]  # fmt: skip


@dataclass(frozen=True)
class ShareOfVoice:
    """``shares`` (one row per area, period and brand) and ``drivers`` (the accounts behind
    each brand's voice, per area)."""

    shares: pd.DataFrame
    drivers: pd.DataFrame


def mentions_of(posts: pd.DataFrame, matcher: BrandMatcher) -> pd.DataFrame:
    """One row per post and brand it names (reposts excluded)."""
    own = posts[posts["repost_of_post_id"].isna()] if "repost_of_post_id" in posts else posts
    found = pd.Series([matcher.brands_in(t) for t in own["text"].tolist()], index=own.index)
    rows = own.assign(brand=found).explode("brand").dropna(subset=["brand"])
    return rows.reset_index(drop=True)


def share_of_voice(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    matcher: BrandMatcher,
    *,
    period: str = "month",
    area: str | None = None,
    top_drivers: int = 5,
) -> ShareOfVoice:
    """Share of voice of ``matcher``'s brands in ``posts`` (a store's posts with text, areas
    and engagement), by area (``area`` alone when given) and ``period`` (a key of
    :data:`PERIODS`); ``accounts`` give each author's role and handle."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    mentions = mentions_of(posts, matcher)
    company = {b.brand: b.company for b in matcher.brands}
    if mentions.empty:
        return ShareOfVoice(pd.DataFrame(columns=SHARE_COLUMNS), pd.DataFrame())
    roles = accounts.set_index(["platform", "account_id"])
    index = pd.MultiIndex.from_frame(mentions[["platform", "author_id"]])
    mentions["role"] = roles["role"].reindex(index).fillna("unknown").to_numpy()
    mentions["handle"] = roles["handle"].reindex(index).to_numpy()
    mentions["engagement"] = (
        mentions[["likes", "reposts", "replies"]].fillna(0).sum(axis=1).astype(int)
    )
    freq = PERIODS[period]
    stamps = pd.to_datetime(mentions["created_at"], utc=True)
    mentions["period"] = (
        "all" if freq is None else stamps.dt.tz_localize(None).dt.to_period(freq).astype(str)
    )
    mentions["area"] = mentions["areas"].map(
        lambda a: list(a) if a is not None and len(a) else ["(no area)"]
    )
    mentions = mentions.explode("area")
    if area is not None:
        mentions = mentions[mentions["area"] == area]
    mentions["peer"] = mentions["role"].isin(_PEERS)
    grouped = mentions.groupby(["area", "period", "brand"])
    shares = grouped.agg(
        mentions=("post_id", "nunique"),
        authors=("author_id", "nunique"),
        hcp_mentions=("peer", "sum"),
        engagement=("engagement", "sum"),
    ).reset_index()
    totals = shares.groupby(["area", "period"])["mentions"].transform("sum")
    shares["share"] = np.round(100.0 * shares["mentions"] / totals, 1)
    shares["hcp_share"] = np.round(100.0 * shares["hcp_mentions"] / shares["mentions"], 1)
    shares["company"] = shares["brand"].map(company)
    shares = shares.sort_values(["area", "period", "mentions", "brand"],
                                ascending=[True, True, False, True])[SHARE_COLUMNS]  # fmt: skip
    by_author = (
        mentions.groupby(["area", "brand", "platform", "author_id"])
        .agg(mentions=("post_id", "nunique"), engagement=("engagement", "sum"),
             role=("role", "first"), handle=("handle", "first"))
        .reset_index()
        .sort_values(["area", "brand", "mentions", "engagement", "author_id"],
                     ascending=[True, True, False, False, True])
    )  # fmt: skip
    drivers = by_author.groupby(["area", "brand"]).head(top_drivers).copy()
    drivers["rank"] = drivers.groupby(["area", "brand"]).cumcount() + 1
    drivers = drivers.rename(columns={"author_id": "account_id"})
    columns = ["area", "brand", "rank", "platform", "account_id", "handle", "role", "mentions",
               "engagement"]  # fmt: skip
    return ShareOfVoice(shares.reset_index(drop=True), drivers[columns].reset_index(drop=True))
