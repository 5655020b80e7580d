"""How much of a scope the roles could read: the warning a ranking owes its reader when
most accounts have no role.

A KOL or DOL list ranks only the accounts read as HCPs or researchers. When an export
carries no bios (the older rtweet layouts, network files, Topsy's handle-only authors), most
accounts stay ``unknown`` and the lists fill with the few whose name says "Dr" or "MD": on
the ISMB/ECCB 2017 file, 1,718 of 1,781 accounts had no role and the KOL and DOL top tens
were the same ten names. The lists are not wrong about those accounts, but a reader who
does not know that 96% of the conversation could not be read would take them for the
field's leaders. :func:`role_coverage` counts, :func:`coverage_note` words the warning.

A list can also rank accounts that nobody in the scope endorses (no mention, reply, repost,
quote or follow from another account): on the real 2014 #BleedingDisorders file, the
hematology KOL list was two accounts, both endorsed by nobody, their ranks resting on how
much they posted on the topic and their followers. :func:`unendorsed_note` says so.

>>> nodes = pd.DataFrame({"role": ["unknown"] * 8 + ["hcp", "researcher"],
...     "is_stub": [False] * 10, "has_bio": [False] * 8 + [True, True]})
>>> role_coverage(nodes)
RoleCoverage(accounts=10, unknown=8, unknown_without_bio=8, peers=2, hcps=1)
>>> coverage_note(role_coverage(nodes))[:74]
'8 of 10 accounts (80%) have no role, 8 of them because the export carries '
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kolmap.scoring.components import PEER_ROLES
from kolmap.scoring.rank import RankKind

__all__ = [
    "UNREAD_SHARE",
    "RoleCoverage",
    "coverage_note",
    "no_candidates_note",
    "no_rising_note",
    "role_coverage",
    "stretch_note",
    "unendorsed_note",
]

# The roles each list of people ranks, in words.
_ROLE_WORDS = {"kol": "HCPs or researchers", "dol": "HCPs"}

# From this share of accounts without a role, a ranking says so.
UNREAD_SHARE = 0.5


@dataclass(frozen=True)
class RoleCoverage:
    """Counts over a scope's accounts known by more than a mention (stubs left out)."""

    accounts: int
    unknown: int
    unknown_without_bio: int
    peers: int
    hcps: int

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.accounts if self.accounts else 0.0


def role_coverage(nodes: pd.DataFrame) -> RoleCoverage:
    """Count the accounts of a projection's ``nodes`` (``role``, ``is_stub``, ``has_bio``)
    whose role is unknown, how many of those have no bio, and how many are peers."""
    if nodes.empty:
        return RoleCoverage(0, 0, 0, 0, 0)
    known = ~nodes["is_stub"].fillna(False).astype(bool)
    roles = nodes.loc[known, "role"].astype(str)
    no_bio = ~nodes.loc[known, "has_bio"].fillna(False).astype(bool)
    unknown = roles == "unknown"
    return RoleCoverage(
        accounts=int(known.sum()),
        unknown=int(unknown.sum()),
        unknown_without_bio=int((unknown & no_bio).sum()),
        peers=int(roles.isin(PEER_ROLES).sum()),
        hcps=int((roles == "hcp").sum()),
    )


def coverage_note(
    coverage: RoleCoverage, kind: str = "kol", candidates: int | None = None
) -> str | None:
    """The warning for a KOL or DOL list (``kind``) of ``candidates`` accounts (default: the
    scope's accounts of the roles it ranks), or None when at most :data:`UNREAD_SHARE` of
    the accounts have no role. It names the roles the list ranks: HCPs and researchers for
    KOLs, HCPs for DOLs."""
    if coverage.accounts == 0 or coverage.unknown_share <= UNREAD_SHARE:
        return None
    ranked = (
        candidates
        if candidates is not None
        else (coverage.hcps if kind == "dol" else coverage.peers)
    )
    why = (
        f", {coverage.unknown_without_bio:,} of them because the export carries no bio"
        if coverage.unknown_without_bio
        else ""
    )
    return (
        f"{coverage.unknown:,} of {coverage.accounts:,} accounts "
        f"({coverage.unknown_share:.0%}) have no role{why}: {RankKind(kind).name} lists rank "
        f"only the {ranked:,} accounts read as {_ROLE_WORDS.get(kind, 'HCPs or researchers')}. "
        "Ingest their profiles (an "
        "account list) or label accounts (`kolmap label`) to rank the others, or rank every "
        "account whatever its role with the `any` kind."
    )


def no_candidates_note(nodes: pd.DataFrame, kind: str, where: str) -> str:
    """Why a ranking of ``kind`` in a scope (``where``, in words) holds nobody: the roles
    the list ranks and which roles the scope's accounts (``nodes``: ``role``, ``is_stub``)
    have instead. "No candidates match these filters" beside no filter set hid that a DOL
    list ranks HCPs only (a real congress file's neurology posts were all researchers').

    >>> nodes = pd.DataFrame({"role": ["researcher", "researcher", "public"],
    ...                       "is_stub": [False, False, False]})
    >>> print(no_candidates_note(nodes, "dol", "neurology"))  # doctest: +NORMALIZE_WHITESPACE
    No DOL candidates in neurology: a DOL list ranks HCPs only, and none of the 3 accounts
    here is one (researcher 2, public 1).
    """
    kind_ = RankKind.parse(kind)
    known = nodes[~nodes["is_stub"].fillna(False).astype(bool)] if len(nodes) else nodes
    if known.empty:
        return f"No {kind_.name} candidates in {where}: it holds no account."
    counts = known["role"].astype(str).value_counts()
    ranked = " or ".join(_ROLE_NAMES.get(r, r) for r in kind_.roles)
    have = int(counts[counts.index.isin(kind_.roles)].sum())
    if have:
        return (
            f"No {kind_.name} candidates in {where}: its {have:,} {ranked} neither post nor "
            "are endorsed here, or are industry staff (left out unless asked)."
        )
    roles = ", ".join(f"{role} {n:,}" for role, n in counts.items())
    return (
        f"No {kind_.name} candidates in {where}: a {kind_.name} list ranks {ranked} only, "
        f"and none of the {len(known):,} accounts here is one ({roles})."
    )


_ROLE_NAMES = {
    "hcp": "HCPs",
    "researcher": "researchers",
    "patient": "patients",
    "public": "the public",
    "organisation": "organisations",
    "brand": "brands",
    "media": "media",
    "unknown": "accounts of unknown role",
}


def unendorsed_note(table: pd.DataFrame) -> str | None:
    """The notice for a ranking (``n_endorsers`` per row) holding accounts that no other
    account of the scope endorses, or None when every one is endorsed.

    >>> unendorsed_note(pd.DataFrame({"n_endorsers": [0, 3]}))[:71]
    'No other account in this scope endorses 1 of the 2 accounts listed (no '
    >>> unendorsed_note(pd.DataFrame({"n_endorsers": [0, 0]}))[:69]
    'No other account in this scope endorses either of the accounts listed'
    >>> unendorsed_note(pd.DataFrame({"n_endorsers": [2, 3]})) is None
    True
    """
    if table.empty or "n_endorsers" not in table:
        return None
    alone = int((pd.to_numeric(table["n_endorsers"], errors="coerce").fillna(0) == 0).sum())
    if not alone:
        return None
    listed = len(table)
    ways = "(no mention, reply, repost, quote or follow)"
    if alone < listed:
        return (
            f"No other account in this scope endorses {alone:,} of the {listed:,} accounts "
            f"listed {ways}: a rank without endorsements rests on topic relevance, reach and "
            "engagement alone."
        )
    which = {1: "the account listed", 2: "either of the accounts listed"}.get(
        listed, f"any of the {listed:,} accounts listed"
    )
    whose = "its rank rests" if listed == 1 else "their ranks rest"
    return (
        f"No other account in this scope endorses {which} {ways}: {whose} on topic "
        "relevance, reach and engagement alone."
    )


def no_rising_note(later: pd.DataFrame, min_endorsers: int, where: str) -> str:
    """Why a list of rising stars is empty, from the ranking of the later window (with
    ``n_endorsers``): no account had the endorsers a rising star needs, or none of those
    that had them rose.

    >>> no_rising_note(pd.DataFrame({"n_endorsers": [1, 2]}), 5, "oncology")[:56]
    'No account of oncology has the 5 endorsers a rising star'
    >>> no_rising_note(pd.DataFrame({"n_endorsers": [6, 2]}), 5, "oncology")
    'The one account of oncology with 5 or more endorsers in the later window did not rise.'
    """
    endorsed = pd.to_numeric(later.get("n_endorsers", pd.Series(dtype=float)), errors="coerce")
    candidates = int((endorsed >= min_endorsers).sum())
    if candidates == 0:
        return (
            f"No account of {where} has the {min_endorsers} endorsers a rising star needs in "
            "the later window (setting scoring.rising_min_endorsers)."
        )
    if candidates == 1:
        return (
            f"The one account of {where} with {min_endorsers} or more endorsers in the later "
            "window did not rise."
        )
    return (
        f"None of the {candidates:,} accounts of {where} with {min_endorsers} or more "
        "endorsers in the later window rose."
    )


def stretch_note(
    stretch: tuple[date, date] | None, earlier: tuple[date, date], later: tuple[date, date]
) -> str | None:
    """What to say when the windows span a long stretch without posts between two
    collections (:func:`~kolmap.scoring.timeline.quiet_stretch`): they compare across it,
    and most accounts of the later one read as new (a 2014 file and a 2018 one: "endorsers
    0 → 803"). None otherwise.

    >>> earlier = (date(2014, 6, 1), date(2014, 6, 27))
    >>> later = (date(2014, 6, 28), date(2018, 9, 9))
    >>> stretch_note((date(2014, 6, 27), date(2018, 6, 12)), earlier, later)[:59]
    'No post from 2014-06-27 to 2018-06-12 (1,446 days): the win'
    >>> stretch_note(None, earlier, later)
    """
    if stretch is None or not (earlier[0] <= stretch[0] and stretch[1] <= later[1]):
        return None
    days = (stretch[1] - stretch[0]).days
    return (
        f"No post from {stretch[0]:%Y-%m-%d} to {stretch[1]:%Y-%m-%d} ({days:,} days): the "
        "windows compare two collections years apart, not one conversation over time, so "
        "most accounts of the later one read as new. Choose windows on one side of it."
    )
