"""Congress view: who drove the conversation before, during and after an event.

A congress is a set of hashtags and the event's dates. Each phase (the ``margin`` days before,
the event itself, the ``margin`` days after) is its own scope; in each, every account is
scored on the same footing (``drivers``), and the non-commercial view drops brands, media,
industry staff and accounts flagged as automated, as the congress-tweet literature
recommends when separating scientific from commercial voices.

>>> [p.name for p in congress_phases(__import__("datetime").date(2026, 5, 29),
...                                  __import__("datetime").date(2026, 6, 2))]
['before', 'during', 'after']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from kolmap.graph.store import Projection, Scope
from kolmap.scoring.components import components_of
from kolmap.settings import ScoringSettings

__all__ = [
    "COMMERCIAL_ROLES",
    "Phase",
    "congress_phases",
    "daily_volume",
    "drivers",
    "peak_days",
]

COMMERCIAL_ROLES = ("brand", "media")


@dataclass(frozen=True)
class Phase:
    """A named time window around a congress."""

    name: str
    since: datetime
    until: datetime

    def scope(self, hashtags: tuple[str, ...], platforms: tuple[str, ...] = ()) -> Scope:
        return Scope(hashtags=hashtags, platforms=platforms, since=self.since, until=self.until)


def congress_phases(first_day: date, last_day: date, *, margin: int = 14) -> list[Phase]:
    """Before (``margin`` days), during (first to last day, inclusive) and after."""
    if last_day < first_day:
        raise ValueError("the congress ends before it starts")
    start = datetime.combine(first_day, time.min, tzinfo=UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC)
    return [
        Phase("before", start - timedelta(days=margin), start),
        Phase("during", start, end),
        Phase("after", end, end + timedelta(days=margin)),
    ]


def drivers(
    projection: Projection,
    settings: ScoringSettings,
    *,
    top: int = 20,
    non_commercial: bool = False,
    components: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every active, non-stub account ranked on one footing:
    ``100 x (0.5 pagerank + 0.3 audience + 0.2 engagement)``, each scaled to the leader."""
    nodes = projection.nodes
    columns = [
        "rank",
        "platform",
        "account_id",
        "handle",
        "display_name",
        "role",
        "score",
        "posts_in_scope",
        "n_endorsers",
    ]
    if nodes.empty:
        return pd.DataFrame(columns=columns)
    comp = components_of(projection, settings, components)
    active = (nodes["posts_in_scope"].to_numpy() > 0) | (comp["n_endorsers"].to_numpy() > 0)
    keep = active & ~nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    if non_commercial:
        keep &= ~nodes["role"].astype(str).isin(COMMERCIAL_ROLES).to_numpy()
        if "affiliation" in nodes:
            keep &= nodes["affiliation"].fillna("").astype(str).to_numpy() != "industry"
        risk = comp["automation_risk"].fillna(0).to_numpy(dtype=np.float64)
        keep &= risk < settings.automation_flag
    idx = np.flatnonzero(keep)
    if len(idx) == 0:
        return pd.DataFrame(columns=columns)
    score = np.zeros(len(idx))
    for name, weight in settings.congress_weights.items():
        values = comp[name].to_numpy(dtype=np.float64)[idx]
        values = np.sqrt(values) if name == "audience" else values
        peak = float(values.max())
        score += weight * (values / peak if peak > 0 else 0.0)
    table = nodes.iloc[idx][
        ["platform", "account_id", "handle", "display_name", "role", "posts_in_scope"]
    ].copy()
    table["n_endorsers"] = comp["n_endorsers"].to_numpy()[idx]
    table["score"] = np.round(100 * score / sum(settings.congress_weights.values()), 3)
    table = table.sort_values(
        ["score", "handle", "account_id"], ascending=[False, True, True], kind="mergesort"
    ).head(top)
    table["rank"] = np.arange(1, len(table) + 1)
    return table[columns].reset_index(drop=True)


def daily_volume(created_at: pd.Series, phases: list[Phase]) -> pd.DataFrame:
    """Posts per day (``day``, ``posts``, ``phase``) over the phases, days without posts
    included, for a timeline with before / during / after bands.

    >>> import datetime as dt
    >>> ph = congress_phases(dt.date(2026, 6, 2), dt.date(2026, 6, 2), margin=1)
    >>> times = pd.Series(pd.to_datetime(["2026-06-01T10:00Z", "2026-06-02T09:00Z",
    ...                                   "2026-06-02T18:00Z"]))
    >>> daily_volume(times, ph)[["posts", "phase"]].values.tolist()
    [[1, 'before'], [2, 'during'], [0, 'after']]
    """
    start, end = phases[0].since, phases[-1].until
    days = pd.date_range(start, end - timedelta(days=1), freq="D", tz=UTC)
    stamps = pd.to_datetime(created_at, utc=True).dropna()
    counts = stamps.dt.floor("D").value_counts()
    frame = pd.DataFrame({"day": days, "posts": [int(counts.get(d, 0)) for d in days]})
    frame["phase"] = ""
    for phase in phases:
        inside = (frame["day"] >= phase.since) & (frame["day"] < phase.until)
        frame.loc[inside, "phase"] = phase.name
    return frame


def peak_days(created_at: pd.Series, length: int = 4) -> tuple[date, date] | None:
    """The ``length`` consecutive days with the most posts (the likely congress days), or
    None without dated posts.

    >>> times = pd.Series(pd.to_datetime(["2026-06-0%dT12:00Z" % d for d in (1, 5, 6, 6, 7)]))
    >>> peak_days(times, length=3)
    (datetime.date(2026, 6, 5), datetime.date(2026, 6, 7))
    """
    stamps = pd.to_datetime(created_at, utc=True).dropna()
    if stamps.empty:
        return None
    per_day = stamps.dt.floor("D").value_counts().sort_index()
    days = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D", tz=UTC)
    counts = per_day.reindex(days, fill_value=0)
    window = counts.rolling(length, min_periods=1).sum().to_numpy()
    last = int(np.argmax(window))  # the first best window ends here
    first = max(0, last - length + 1)
    return days[first].date(), days[last].date()
