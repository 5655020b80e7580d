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
RoleCoverage(accounts=10, unknown=8, unknown_without_bio=8, peers=2)
>>> coverage_note(role_coverage(nodes))[:74]
'8 of 10 accounts (80%) have no role, 8 of them because the export carries '
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kolmap.scoring.components import PEER_ROLES

__all__ = ["UNREAD_SHARE", "RoleCoverage", "coverage_note", "role_coverage", "unendorsed_note"]

# From this share of accounts without a role, a ranking says so.
UNREAD_SHARE = 0.5


@dataclass(frozen=True)
class RoleCoverage:
    """Counts over a scope's accounts known by more than a mention (stubs left out)."""

    accounts: int
    unknown: int
    unknown_without_bio: int
    peers: int

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.accounts if self.accounts else 0.0


def role_coverage(nodes: pd.DataFrame) -> RoleCoverage:
    """Count the accounts of a projection's ``nodes`` (``role``, ``is_stub``, ``has_bio``)
    whose role is unknown, how many of those have no bio, and how many are peers."""
    if nodes.empty:
        return RoleCoverage(0, 0, 0, 0)
    known = ~nodes["is_stub"].fillna(False).astype(bool)
    roles = nodes.loc[known, "role"].astype(str)
    no_bio = ~nodes.loc[known, "has_bio"].fillna(False).astype(bool)
    unknown = roles == "unknown"
    return RoleCoverage(
        accounts=int(known.sum()),
        unknown=int(unknown.sum()),
        unknown_without_bio=int((unknown & no_bio).sum()),
        peers=int(roles.isin(PEER_ROLES).sum()),
    )


def coverage_note(coverage: RoleCoverage) -> str | None:
    """The warning for a KOL or DOL list, or None when at most :data:`UNREAD_SHARE` of the
    accounts have no role."""
    if coverage.accounts == 0 or coverage.unknown_share <= UNREAD_SHARE:
        return None
    why = (
        f", {coverage.unknown_without_bio:,} of them because the export carries no bio"
        if coverage.unknown_without_bio
        else ""
    )
    return (
        f"{coverage.unknown:,} of {coverage.accounts:,} accounts "
        f"({coverage.unknown_share:.0%}) have no role{why}: KOL and DOL lists rank only the "
        f"{coverage.peers:,} accounts read as HCPs or researchers. Ingest their profiles (an "
        "account list) or label accounts (`kolmap label`) to rank the others, or rank every "
        "account whatever its role with the `any` kind."
    )


def unendorsed_note(table: pd.DataFrame) -> str | None:
    """The notice for a ranking (``n_endorsers`` per row) holding accounts that no other
    account of the scope endorses, or None when every one is endorsed.

    >>> unendorsed_note(pd.DataFrame({"n_endorsers": [0, 3]}))[:62]
    '1 of the 2 accounts listed is endorsed by no other account in '
    >>> unendorsed_note(pd.DataFrame({"n_endorsers": [2, 3]})) is None
    True
    """
    if table.empty or "n_endorsers" not in table:
        return None
    alone = int((pd.to_numeric(table["n_endorsers"], errors="coerce").fillna(0) == 0).sum())
    if not alone:
        return None
    listed = len(table)
    subject = (
        f"{alone:,} of the {listed:,} accounts listed is"
        if alone == 1
        else f"{alone:,} of the {listed:,} accounts listed are"
    )
    if alone == listed:
        subject = "The account listed is" if listed == 1 else f"All {listed:,} accounts listed are"
    return (
        f"{subject} endorsed by no other account in this scope (no mention, reply, repost, "
        "quote or follow): a rank without endorsements rests on topic relevance, reach and "
        "engagement alone."
    )
