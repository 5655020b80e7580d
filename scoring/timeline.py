"""Rankings over time: a ranking compared with the same ranking in another window, and the
rising stars between two windows (docs/congress.md).

**Comparison.** Each account of the current ranking gets ``previous_rank``,
``rank_change`` (previous rank minus current: positive climbs) and ``score_change``; an
account absent from the earlier ranking is ``new``.

**Rising stars.** Standing can jump on small numbers: an account endorsed twice in the first
window and six times in the second has tripled, and means little. kolmap keeps candidates
with at least ``rising_min_endorsers`` endorsers in the later window and shrinks each growth
toward zero by the evidence behind it, as empirical-Bayes estimates do:
``rise = (score_now − score_before) × n / (n + rising_prior)`` with ``n`` the endorsers in the
later window (an account absent before counts as 0 before). With the default prior of 10, an
account with 10 endorsers keeps half its growth, one with 90 keeps 90%.

>>> now = pd.DataFrame({"platform": ["x", "x"], "account_id": ["1", "2"], "rank": [1, 2],
...                     "score": [80.0, 60.0], "n_endorsers": [40, 30]})
>>> before = pd.DataFrame({"platform": ["x"], "account_id": ["2"], "rank": [1],
...                        "score": [70.0], "n_endorsers": [20]})
>>> columns = ["rank", "previous_rank", "rank_change", "movement"]
>>> compare_rankings(now, before)[columns].values.tolist()
[[1, nan, nan, 'new'], [2, 1.0, -1.0, 'down']]
>>> rising_stars(now, before, min_endorsers=5, prior=10)["account_id"].tolist()
['1']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "RISING_COLUMNS",
    "compare_rankings",
    "movement",
    "post_days",
    "quiet_stretch",
    "rising_stars",
    "split_windows",
]

RISING_COLUMNS = [
    "rank",
    "platform",
    "account_id",
    "handle",
    "display_name",
    "role",
    "specialty",
    "rise",
    "score",
    "previous_score",
    "score_change",
    "previous_rank",
    "current_rank",
    "n_endorsers",
    "previous_endorsers",
    "reasons",
]


def compare_rankings(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """``current`` with ``previous_rank``, ``previous_score``, ``rank_change``,
    ``score_change`` and ``movement`` (``up``, ``down``, ``same``, ``new``) from the same
    ranking in an earlier window (pass both whole: ranks are positions in the full lists)."""
    keys = ["platform", "account_id"]
    before = previous[[*keys, "rank", "score"]].rename(
        columns={"rank": "previous_rank", "score": "previous_score"}
    )
    table = current.merge(before, on=keys, how="left")
    table["rank_change"] = table["previous_rank"] - table["rank"]
    table["score_change"] = np.round(table["score"] - table["previous_score"], 3)
    table["movement"] = movement(table["previous_rank"], table["rank"])
    return table


def movement(previous_rank: pd.Series, rank: pd.Series) -> np.ndarray:
    """``new`` (not ranked before), ``up``, ``down`` or ``same`` for each account, from its
    rank in an earlier window and its rank now (1 is best).

    >>> movement(pd.Series([None, 5, 2, 3]), pd.Series([1, 2, 4, 3])).tolist()
    ['new', 'up', 'down', 'same']
    """
    change = previous_rank - rank
    result: np.ndarray = np.select(
        [previous_rank.isna(), change > 0, change < 0], ["new", "up", "down"], default="same"
    )
    return result


def _reason(row: Mapping[Any, Any]) -> str:
    if pd.notna(row["previous_rank"]):
        moved = (
            f"score {row['previous_score']:.1f} → {row['score']:.1f} (rank "
            f"{int(row['previous_rank'])} → {int(row['current_rank'])})"
        )
    else:
        moved = f"new: score {row['score']:.1f}, rank {int(row['current_rank'])}"
    return f"{moved}; endorsers {row['previous_endorsers']} → {row['n_endorsers']}"


def rising_stars(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    *,
    min_endorsers: int,
    prior: float,
    top: int | None = 20,
) -> pd.DataFrame:
    """The accounts whose standing grew most from ``previous`` to ``current`` (two full
    rankings of one kind and area), growth shrunk by the endorsers behind it; columns
    :data:`RISING_COLUMNS`."""
    table = compare_rankings(current, previous)
    before_n = previous.set_index(["platform", "account_id"])["n_endorsers"]
    index = pd.MultiIndex.from_frame(table[["platform", "account_id"]])
    table["previous_endorsers"] = before_n.reindex(index).fillna(0).astype(int).to_numpy()
    table = table[table["n_endorsers"] >= min_endorsers].copy()
    growth = table["score"] - table["previous_score"].fillna(0.0)
    n = table["n_endorsers"].astype(float)
    table["rise"] = np.round(growth * n / (n + prior), 3)
    table = table[table["rise"] > 0]
    table["current_rank"] = table["rank"]
    for column in ("handle", "display_name", "role", "specialty"):
        if column not in table:
            table[column] = None
    table = table.sort_values(["rise", "account_id"], ascending=[False, True], kind="mergesort")
    if top is not None:
        table = table.head(top)
    table["rank"] = np.arange(1, len(table) + 1)
    table["reasons"] = [_reason(r) for r in table.to_dict("records")]
    return table[RISING_COLUMNS].reset_index(drop=True)


def post_days(created: pd.Series) -> tuple[date, date, date] | None:
    """The days of the first, median and last of post times ``created`` (half the dated
    posts on the median's day or before), or None without a dated post: the span a scope's
    windows cover and where its default earlier and later windows part, so each holds about
    half the posts (the calendar's halves put a store of mostly June 2019 posts into the
    later one, and every account read "new").

    >>> post_days(pd.Series(["2019-06-01T10:00Z", "2019-06-19T08:00Z", "2019-06-20T09:00Z"]))
    (datetime.date(2019, 6, 1), datetime.date(2019, 6, 19), datetime.date(2019, 6, 20))
    >>> post_days(pd.Series([None])) is None
    True
    """
    stamps = pd.to_datetime(created, utc=True).dropna().sort_values()
    if stamps.empty:
        return None
    middle = stamps.iloc[(len(stamps) - 1) // 2]
    return stamps.iloc[0].date(), middle.date(), stamps.iloc[-1].date()


def quiet_stretch(
    created: pd.Series, min_days: int = 730, min_share: float = 0.1
) -> tuple[date, date] | None:
    """The longest stretch of at least ``min_days`` days (two years) without a post among
    post times ``created`` with at least ``min_share`` of the posts on each side: the day of
    the last post before it and of the first after it; None when there is none. A store of a
    2014 hashtag file and a 2018 congress file has one of four years: windows across it
    compare two collections, not one conversation over time. A few old posts quoted at a
    congress leave no such stretch (too few on one side), nor do a congress's two editions
    a year apart (a comparison users make).

    >>> quiet_stretch(pd.Series(["2014-06-01T10:00Z", "2014-06-27T08:00Z", "2018-06-12T09:00Z"]))
    (datetime.date(2014, 6, 27), datetime.date(2018, 6, 12))
    >>> quiet_stretch(pd.Series(["2014-06-01T10:00Z"] + ["2018-06-12T09:00Z"] * 20)) is None
    True
    """
    stamps = pd.to_datetime(created, utc=True).dropna().dt.normalize()
    if stamps.empty:
        return None
    per_day = stamps.value_counts().sort_index()
    before = per_day.cumsum().to_numpy() / len(stamps)  # share up to and with each day
    days = pd.Series(per_day.index)
    gaps = days.diff().dt.days.to_numpy()
    best: tuple[date, date] | None = None
    longest = min_days - 1
    for at in range(1, len(days)):
        share = before[at - 1]
        if gaps[at] > longest and min_share <= share <= 1 - min_share:
            longest = gaps[at]
            best = days.iloc[at - 1].date(), days.iloc[at].date()
    return best


def split_windows(
    first: date, last: date, median: date | None
) -> tuple[tuple[date, date], tuple[date, date]]:
    """The default earlier and later windows of ``first``..``last``: the earlier to the
    median post's day, the later from the next day, so each holds about half the posts
    (the calendar's halves put a store of mostly June 2019 posts into the later one, and
    every account read "new"); the calendar's halves without a median. They do not share a
    day (both include their last day).

    >>> earlier, later = split_windows(date(2014, 2, 4), date(2019, 6, 23), date(2019, 6, 19))
    >>> earlier[1], later[0]
    (datetime.date(2019, 6, 19), datetime.date(2019, 6, 20))
    >>> split_windows(date(2026, 1, 1), date(2026, 1, 11), None)[0]
    (datetime.date(2026, 1, 1), datetime.date(2026, 1, 6))
    """
    if median is None:
        middle = first + (last - first) / 2
    else:
        middle = max(first, min(median, last - timedelta(days=1)))
    return (first, middle), (min(middle + timedelta(days=1), last), last)
