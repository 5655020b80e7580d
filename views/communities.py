"""What a community is called and whether it looks like a ring, from its members.

A community (Leiden, :mod:`kolmap.scoring.communities`) gets a name a person can read: its
members' main role, their most common specialty when most share one, and its top hashtags
("medical oncologist HCPs · #BCSM #ASCO26"), leaving out those most communities share (on a
congress file, the congress's own hashtag named every community alike). It is flagged as a
possible coordinated ring when most of its members look automated (co-timed actions, shared
templates, throwaway profiles: docs/roles.md), the signature of the rings of throwaway
accounts in the adversarial world. Low trust alone is no sign: small honest groups
(patients' circles) often have none.

>>> community_name({"hcp": 12, "patient": 2}, {"medical oncologist": 8}, ["#BCSM", "#ASCO26"])
'medical oncologist HCPs · #BCSM #ASCO26'
>>> community_name({"patient": 3, "hcp": 3}, {}, [])
'mixed: HCPs and patients'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kolmap.scoring.components import RING_MIN_SIZE, RING_SHARE

__all__ = ["COMMUNITY_MIN_SIZE", "community_name", "describe_communities"]

# The communities worth a name: those of at least this many accounts in the scope. The
# Communities page lists only these, and so do a congress's communities and the map's
# legend; smaller ones (an account or two Leiden left on their own) are not shown as such.
COMMUNITY_MIN_SIZE = 3

_PLURAL = {
    "hcp": "HCPs",
    "researcher": "researchers",
    "patient": "patients",
    "public": "members of the public",
    "organisation": "organisations",
    "brand": "brands",
    "media": "media",
    "unknown": "unidentified accounts",
}


def community_name(
    roles: Mapping[str, int], specialties: Mapping[str, int], hashtags: Sequence[str]
) -> str:
    """A readable name from role counts, specialty counts and the top hashtags."""
    ranked = sorted(roles.items(), key=lambda item: (-item[1], item[0]))
    total = sum(roles.values())
    if not ranked or total == 0:
        return "empty"
    main, count = ranked[0]
    if count * 2 <= total and len(ranked) > 1:
        words = f"mixed: {_PLURAL.get(main, main)} and {_PLURAL.get(ranked[1][0], ranked[1][0])}"
    else:
        words = _PLURAL.get(main, main)
        if specialties:
            specialty, times = max(specialties.items(), key=lambda item: (item[1], item[0]))
            if times >= 3 and times * 2 >= count:
                words = f"{specialty} {words}"
    tags = " ".join(list(hashtags)[:2])
    return f"{words} · {tags}" if tags else words


def describe_communities(
    summary: pd.DataFrame,
    nodes: pd.DataFrame,
    components: pd.DataFrame,
    *,
    automation_flag: float,
) -> pd.DataFrame:
    """``community``, ``name`` and ``ring`` (a reason, or "") for each row of a community
    summary (:func:`kolmap.scoring.explain.community_summary`) of the same projection."""
    community = components["community"].to_numpy()
    roles = nodes["role"].astype(str).to_numpy()
    specialty = nodes["specialty"].fillna("").astype(str).str.strip().str.lower().to_numpy()
    risk = components["automation_risk"].fillna(0).to_numpy(dtype=np.float64)
    # A hashtag among the top ones of most communities (a congress's own, on a congress
    # file) tells none of them apart: names use the others when there are any.
    seen = Counter(t for tags in summary["top_hashtags"] for t in set(tags))
    common = {t for t, n in seen.items() if len(summary) >= 3 and n * 2 > len(summary)}
    rows = []
    for label, tags in zip(summary["community"], summary["top_hashtags"], strict=True):
        members = np.flatnonzero(community == label)
        named = community_name(
            Counter(roles[members].tolist()),
            Counter(s for s in specialty[members].tolist() if s),
            [t for t in tags if t not in common] or list(tags),
        )
        rows.append(
            {
                "community": int(label),
                "name": named,
                "ring": _ring(risk, members, automation_flag),
            }
        )
    # Communities the words cannot tell apart (three "unidentified accounts · #ismbeccb
    # #ismb2017" on a congress file) are numbered in the summary's order: "… (2)", "… (3)".
    times: Counter[str] = Counter()
    for row in rows:
        name = str(row["name"])
        times[name] += 1
        if times[name] > 1:
            row["name"] = f"{name} ({times[name]})"
    return pd.DataFrame(rows, columns=["community", "name", "ring"])


def _ring(risk: np.ndarray, members: np.ndarray, flag: float) -> str:
    if len(members) < RING_MIN_SIZE:
        return ""
    automated = float((risk[members] >= flag).mean())
    if automated >= RING_SHARE:
        return f"possible ring: {automated:.0%} of members look automated"
    return ""
