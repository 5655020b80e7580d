"""The days a scope's posts cover, for the pages' date filters, charts and windows.

Each answer comes from the store through :mod:`kolmap.ui.state` and is cached per store
version and scope, as every other read of the app is.

>>> from kolmap.scoring.timeline import split_windows
>>> from datetime import date
>>> split_windows(date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 4))[1]
(datetime.date(2026, 1, 5), datetime.date(2026, 1, 11))
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from kolmap.graph import Scope
from kolmap.scoring import timeline
from kolmap.ui.state import scope_from_key, scope_key_of, stats, store, version

__all__ = ["covered_days", "date_bounds", "median_day", "post_days", "quiet_stretch"]


@st.cache_data(show_spinner=False, max_entries=32)
def _post_days(
    version_key: str, scope_key: str
) -> tuple[tuple[date, date, date] | None, tuple[date, date] | None]:
    with store() as s:
        created = s.posts(scope_from_key(scope_key))["created_at"]
    return timeline.post_days(created), timeline.quiet_stretch(created)


def post_days(scope: Scope) -> tuple[date, date, date] | None:
    """The days of the first, median and last post of ``scope``
    (:func:`~kolmap.scoring.timeline.post_days`), or None without dated posts."""
    return _post_days(version(), scope_key_of(scope))[0]


def quiet_stretch(scope: Scope) -> tuple[date, date] | None:
    """The longest stretch of two years or more without a post in ``scope``
    (:func:`~kolmap.scoring.timeline.quiet_stretch`), or None."""
    return _post_days(version(), scope_key_of(scope))[1]


def median_day(scope: Scope) -> date | None:
    """The day of the median post of ``scope`` (half its dated posts on it or before), or
    None without dated posts: where the default earlier and later windows part."""
    days = post_days(scope)
    return None if days is None else days[1]


def covered_days(scope: Scope) -> tuple[date, date]:
    """The first and last day the data covers in ``scope``: the store's first and last post,
    within the scope's window when it has one (what makes a month of a chart partial)."""
    first, last = date_bounds()
    if scope.since is not None:
        first = max(first, scope.since.date())
    if scope.until is not None:
        last = min(last, (scope.until - timedelta(microseconds=1)).date())
    return first, last


def date_bounds() -> tuple[date, date]:
    data = stats()
    first, last = data["first_post"], data["last_post"]
    if not first or not last:
        today = date.today()
        return today, today
    return (datetime.fromisoformat(str(first)).date(), datetime.fromisoformat(str(last)).date())
