"""Values as the app shows them: instants without a UTC offset's digits, filters in words,
an event's details as text. Plain functions over plain values; exports keep the raw values.

>>> from datetime import UTC, datetime
>>> moment(datetime(2026, 1, 5, 0, 28, 11, 490004, tzinfo=UTC))
'2026-01-05 00:28 UTC'
>>> moment("2026-12-02 08:09:01.490004+00")
'2026-12-02 08:09 UTC'
>>> details('{"from": "leaderboard", "note": "ASCO"}')
'from: leaderboard; note: ASCO'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pandas as pd

from kolmap.graph.store import Scope
from kolmap.settings import ScoringSettings

__all__ = [
    "COMPONENT_WORDS",
    "accounts_words",
    "blank_text",
    "details",
    "missing",
    "moment",
    "posts_count",
    "scope_words",
    "score_parts",
    "tier_help",
    "utc_times",
    "weighed",
]


def missing(value: Any) -> bool:
    """Whether a cell holds nothing: None, NaN, NaT or pandas' NA (a text is never missing).

    >>> missing(None), missing(float("nan")), missing(pd.NA), missing(""), missing(0)
    (True, True, True, False, False)
    """
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def accounts_words(nodes: pd.DataFrame) -> str:
    """How many accounts a scope holds, saying how many are stubs, as the Overview counts
    them apart (its "Accounts" leave out the stubs the map's scope holds: 3,332 there, 3,969
    on the map of the same store, with nothing to say why).

    >>> accounts_words(pd.DataFrame({"is_stub": [False, False, True]}))
    '3 accounts (2 with a profile, 1 known only from a mention or an id)'
    >>> accounts_words(pd.DataFrame({"is_stub": [False]}))
    '1 account'
    """
    stubs = int(nodes["is_stub"].fillna(False).astype(bool).sum()) if len(nodes) else 0
    total = f"{len(nodes):,} account{'' if len(nodes) == 1 else 's'}"
    if not stubs:
        return total
    known = len(nodes) - stubs
    return f"{total} ({known:,} with a profile, {stubs:,} known only from a mention or an id)"


def tier_help(settings: ScoringSettings) -> str:
    """What the tiers mean, from the settings that make them: a share of the list and a
    least reach (the help said only the shares, so a #1 shown "national" and a #8 "national"
    after a #5 "regional" looked wrong; the #5 had too few endorsers).

    >>> tier_help(ScoringSettings())[:74]
    'global: top 1% of this list with 25+ endorsers, national: top 5% with 10+,'
    """
    least = settings.tier_min_endorsers
    parts = []
    for i, (name, share) in enumerate(sorted(settings.tier_shares.items(), key=lambda x: x[1])):
        need = int(least.get(name, 0))
        part = f"{name}: top {share:.0%}" + (" of this list" if i == 0 else "")
        if need:
            part += f" with {need}+" + (" endorsers" if i == 0 else "")
        parts.append(part)
    return (
        ", ".join(parts) + ", local: the rest (an account short of a tier's endorsers falls to "
        "the next; settings scoring.tier_shares, scoring.tier_min_endorsers)."
    )


def moment(value: Any) -> str:
    """An instant as ``YYYY-MM-DD HH:MM UTC`` ("—" when there is none)."""
    if missing(value):
        return "—"
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def utc_times(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its time-zone-aware columns as naive UTC times (a table then shows
    ``2026-01-05 00:28:11``, still sorted as times, instead of ``…+00:00``).

    >>> t = pd.DataFrame({"at": pd.to_datetime(["2026-01-05 00:28:11+00:00"])})
    >>> str(utc_times(t)["at"].iloc[0])
    '2026-01-05 00:28:11'
    """
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def blank_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the missing cells of its text columns empty: a table then shows a
    blank for a missing specialty or a withheld name, not Streamlit's grey "None". Number
    columns keep their missing values (an unknown count is not zero, and a number column
    stays sortable): a table with unknown counts is drawn with ``placeholder=""``, which
    shows every missing cell blank.

    >>> blank_text(pd.DataFrame({"name": ["Ana", None], "n": [1.0, None]})).to_dict("list")
    {'name': ['Ana', ''], 'n': [1.0, nan]}
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


# Headers of tables whose column names read as code ("display_name"); the data keeps its
# names (downloads, tests), only the header on screen changes.
COLUMN_WORDS = {
    "display_name": "name",
    "posts_in_scope": "posts in scope",
    "previous_score": "previous score",
    "previous_rank": "previous rank",
    "account_id": "account id",
}


def with_handles(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each missing handle shown as the account's id: a network file's nodes
    (an edge list, a GraphML without names) have ids only, and their rows showed no one.

    >>> rows = pd.DataFrame({"account_id": ["1157", "9"], "handle": [None, "dr_a"]})
    >>> with_handles(rows)["handle"].tolist()
    ['1157', 'dr_a']
    """
    if "handle" not in frame or "account_id" not in frame:
        return frame
    missing = frame["handle"].isna() | frame["handle"].astype("string").str.strip().eq("")
    if not missing.any():
        return frame
    return frame.assign(handle=frame["handle"].where(~missing, frame["account_id"]))


# Columns a ranking table leaves out when they are blank on every row shown: a 2014 file
# carries no display names, an organisation list no specialty, most lists no flag.
OPTIONAL_COLUMNS = ("display_name", "specialty", "flags")


def without_blank_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """``columns`` less those of :data:`OPTIONAL_COLUMNS` blank (missing or empty text) on
    every row of ``frame``: the room goes to the columns that say something.

    >>> rows = pd.DataFrame({"handle": ["a", "b"], "display_name": [None, " "], "flags": ["", "x"]})
    >>> without_blank_columns(rows, ["handle", "display_name", "flags"])
    ['handle', 'flags']
    """
    return [
        c
        for c in columns
        if c not in OPTIONAL_COLUMNS
        or c not in frame
        or frame[c].astype("string").fillna("").str.strip().ne("").any()
    ]


def posts_count(count: int) -> str:
    """A number of posts in words ("1 post" read "1 posts" on the area picker).

    >>> posts_count(1), posts_count(1234)
    ('1 post', '1,234 posts')
    """
    return f"{count:,} post" + ("" if count == 1 else "s")


def scope_words(scope: Scope) -> str:
    """A scope in words, its time window by the days it includes.

    >>> from datetime import UTC, datetime
    >>> scope_words(Scope(area="oncology", platforms=("x",),
    ...     since=datetime(2026, 3, 1, tzinfo=UTC), until=datetime(2026, 10, 1, tzinfo=UTC)))
    'oncology · x · 2026-03-01 to 2026-09-30'
    """
    parts = [scope.area or "all areas"]
    if scope.hashtags:
        parts.append(" ".join("#" + h for h in scope.hashtags))
    if scope.platforms:
        parts.append(", ".join(scope.platforms))
    if scope.since or scope.until:
        start = scope.since.date().isoformat() if scope.since else "the start"
        end = (scope.until - timedelta(microseconds=1)).date().isoformat() if scope.until else "now"
        parts.append(f"{start} to {end}")
    return " · ".join(parts) if (scope.area or len(parts) > 1) else "all data"


def details(value: Any) -> str:
    """An event's details (a JSON object) as ``key: value`` pairs; other text as it is."""
    if missing(value):
        return ""
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(parsed, dict):
        return "; ".join(f"{key}: {item}" for key, item in parsed.items())
    return str(value)


# The score components in words, for people (docs/scoring.md gives each formula); exports
# and settings keep the names.
COMPONENT_WORDS = {
    "pagerank": "influence",
    "peer_pagerank": "standing among peers",
    "peer_endorsers": "peer endorsers",
    "lay_pagerank": "standing beyond peers",
    "lay_audience": "lay endorsers",
    "audience_pagerank": "standing across audiences",
    "audience": "audience",
    "endorsers": "endorsers",
    "engagement": "engagement",
    "reach": "followers",
}


def weighed(weights: Mapping[str, float]) -> str:
    """A score's weights in words: a caption "peer_pagerank 0.5, …" read as code.

    >>> weighed({"peer_pagerank": 0.5, "engagement": 0.1})
    'standing among peers 0.5, engagement 0.1'
    """
    return ", ".join(f"{COMPONENT_WORDS.get(k, k)} {v:g}" for k, v in weights.items())


def score_parts(row: pd.Series | Mapping[str, Any], weights: Mapping[str, float]) -> pd.DataFrame:
    """The components a list's score weighs, for one ranked row: ``component`` (named with
    its weight) and ``value`` (its share of the best value of the list's candidates on that
    component, 0..1).
    Components the list does not weigh are left out: a chart of all ten showed, for a DOL,
    peer standing that counts nothing in its score.

    >>> parts = score_parts({"lay_audience": 0.8, "reach": 0.5, "pagerank": 0.9},
    ...                     {"lay_audience": 0.35, "reach": 0.15, "pagerank": 0.0})
    >>> parts["component"].tolist(), parts["value"].tolist()
    (['lay endorsers ×0.35', 'followers ×0.15'], [0.8, 0.5])
    """
    kept = [name for name, weight in weights.items() if weight > 0 and name in row]
    return pd.DataFrame(
        {
            "component": [f"{COMPONENT_WORDS.get(name, name)} ×{weights[name]:g}" for name in kept],
            "value": [float(row[name]) for name in kept],
        }
    )
