"""Trust: how much an account's endorsements count, from the accounts the data gives reason
to trust.

A group of accounts that endorse one another confers next to nothing unless trusted
accounts endorse it, however credible each member looks on its own. kolmap measures this
with TrustRank (Gyöngyi, Garcia-Molina and Pedersen, VLDB 2004) and the relative "spam
mass" of Gyöngyi et al. (VLDB 2006):

1. **Prior**: ``(1 - automation_risk)^2`` (coordination signals, derived at ingest).
2. **Seeds**: accounts whose role is sure (a label, or text confidence of at least
   ``trust_seed_confidence``), not flagged as automated, not industry, and endorsed from
   outside their own community (Leiden) by at least ``trust_seed_outside_endorsers``
   unflagged accounts, or verified. A ring's members are endorsed only from inside it.
3. **Leaves**: accounts endorsed by fewer than ``trust_leaf_endorsers`` unflagged accounts
   are judged on their own record (most of an audience is never endorsed by anyone): trusted
   share 1. Trust starts at the seeds and at the leaves of open communities: one that holds a
   seed, or whose members are mostly leaves (an account and its audience). A community whose
   members mostly endorse one another and that no outside account vouches for (a ring) is
   closed: its silent members start nothing.
4. **Trusted share**: PageRank with every account's jump, against PageRank with the jump of
   the seeds and leaves only (the same jump values, so the second is part of the first): the
   share of an account's PageRank that comes from trusted starts, compared with their share
   of all jump (what an account would get if trust were spread evenly) times
   ``trust_share``: at that level or above the account keeps all its trust, and it loses a
   third for each factor of ten below (``1 + log10(relative) / 3``, from 0 to 1). An honest
   crowd that mostly endorses itself keeps most; a ring whose members endorse only one
   another, a thousandth or less of the even spread, keeps nothing.

``trust = prior x trusted share``. It multiplies the weight of every endorsement an account
gives, and the random jumps it receives. Industry: an endorsement between an account and its
employer, or between two staff of one employer, is not independent and counts nothing; any
other endorsement by industry staff counts ``industry_source_weight``.

>>> import numpy as np
>>> n = 6  # 0..2 an honest triangle endorsed by seed 5; 3, 4 a ring pushing 2
>>> src = np.array([5, 5, 0, 1, 3, 4, 3, 4]); dst = np.array([0, 1, 2, 2, 4, 3, 2, 2])
>>> endorsers = np.array([1, 1, 4, 1, 1, 0])
>>> community = np.array([0, 0, 0, 1, 1, 0])
>>> trusted = trusted_share(n, src, dst, np.ones(8), np.ones(n),
...     np.array([False] * 5 + [True]), endorsers, community, share=0.5, leaf=1)
>>> trusted.round(2).tolist()
[1.0, 1.0, 1.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kolmap.graph.store import GraphEngine
from kolmap.scoring.centrality import pageranks
from kolmap.settings import ScoringSettings

__all__ = ["independence", "prior", "seeds", "trusted_share"]


def prior(nodes: pd.DataFrame) -> np.ndarray:
    """``(1 - automation_risk)^2`` (1 where the risk is unknown): a flagged account (risk
    0.5) counts a quarter, one at 0.8 a twenty-fifth.

    >>> prior(pd.DataFrame({"automation_risk": [0.0, 0.5, None]})).tolist()
    [1.0, 0.25, 1.0]
    """
    if "automation_risk" not in nodes:
        return np.ones(len(nodes))
    risk = pd.to_numeric(nodes["automation_risk"], errors="coerce").fillna(0.0)
    return np.asarray(np.clip(1.0 - risk.to_numpy(dtype=np.float64), 0.0, 1.0) ** 2)


def _industry(nodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per node: is industry, its employer handle (lower case, no @), its own handle."""
    n = len(nodes)
    if "affiliation" not in nodes:
        return np.zeros(n, dtype=bool), np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    industry = (nodes["affiliation"].fillna("") == "industry").to_numpy()
    employer = nodes["employer"].fillna("").astype(str).str.lstrip("@").str.lower().to_numpy()
    handle = nodes["handle"].fillna("").astype(str).str.lower().to_numpy()
    return industry, employer, handle


def independence(
    nodes: pd.DataFrame, src: np.ndarray, dst: np.ndarray, settings: ScoringSettings
) -> np.ndarray:
    """Per edge: 0 between an account and its employer or two staff of one employer,
    ``industry_source_weight`` for other endorsements by industry staff, else 1."""
    if len(src) == 0:
        return np.ones(0)
    industry, employer, handle = _industry(nodes)
    if not industry.any():
        return np.ones(len(src))
    s_emp, d_emp = employer[src], employer[dst]
    own = (industry[src] & (s_emp != "") & (s_emp == handle[dst])) | (
        industry[dst] & (d_emp != "") & (d_emp == handle[src])
    )
    colleagues = industry[src] & industry[dst] & (s_emp != "") & (s_emp == d_emp)
    factor = np.where(industry[src], settings.industry_source_weight, 1.0)
    return np.asarray(np.where(own | colleagues, 0.0, factor))


def seeds(
    nodes: pd.DataFrame,
    src: np.ndarray,
    dst: np.ndarray,
    community: np.ndarray,
    risk_ok: np.ndarray,
    settings: ScoringSettings,
) -> np.ndarray:
    """Which accounts seed trust (see module doc)."""
    n = len(nodes)
    stub = nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    source = nodes.get("role_source", pd.Series([None] * n)).fillna("").astype(str).to_numpy()
    confidence = pd.to_numeric(
        nodes.get("role_confidence", pd.Series([np.nan] * n)), errors="coerce"
    ).to_numpy(dtype=np.float64)
    sure = (source == "label") | (
        (source == "text") & (np.nan_to_num(confidence) >= settings.trust_seed_confidence)
    )
    industry, _employer, _handle = _industry(nodes)
    candidate = sure & risk_ok & ~stub & ~industry & (nodes["role"].astype(str) != "unknown")
    if len(src):
        outside = (community[src] != community[dst]) & risk_ok[src] & (src != dst)
        pairs = pd.DataFrame({"s": src[outside], "d": dst[outside]}).drop_duplicates()
        from_outside = np.bincount(pairs["d"].to_numpy(dtype=np.int64), minlength=n)
    else:
        from_outside = np.zeros(n, dtype=np.int64)
    verified = nodes["verified"].fillna(False).to_numpy(dtype=bool)
    vouched = (from_outside >= settings.trust_seed_outside_endorsers) | verified
    vouched |= source == "label"
    return np.asarray(candidate & vouched)


def trusted_share(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    jump: np.ndarray,
    is_seed: np.ndarray,
    endorsers: np.ndarray,
    community: np.ndarray,
    *,
    share: float,
    leaf: int,
    damping: float = 0.85,
    engine: GraphEngine | None = None,
) -> np.ndarray:
    """Each account's trusted share in 0..1 (see module doc, steps 3 and 4): ``jump`` is
    every account's random-jump weight, ``endorsers`` its distinct unflagged endorsers,
    ``community`` its community label; ``engine`` computes the two PageRanks elsewhere."""
    judged = endorsers >= leaf
    # Trust starts at the seeds and at the accounts judged on their own record (the leaves)
    # of communities that hold a seed: an ordinary HCP endorsed by a crowd of ordinary HCPs is
    # trusted through them, while a group that no outside account vouches for (a ring, its
    # silent members included) starts none.
    # A community vouches for its silent members when it holds a seed, or when it is an
    # account and its audience (most members endorsed by fewer than ``leaf`` accounts); a
    # group whose members mostly endorse one another, with no seed, is closed.
    labels, inverse = np.unique(community, return_inverse=True)
    members = np.bincount(inverse, minlength=len(labels))
    endorsed = np.bincount(inverse, weights=judged.astype(np.float64), minlength=len(labels))
    open_group = (endorsed / np.maximum(members, 1)) <= 0.5
    open_group |= np.isin(labels, community[is_seed])
    seed_jump = np.where(is_seed | (~judged & open_group[inverse]), jump, 0.0)
    total, seeded = float(jump.sum()), float(seed_jump.sum())
    if n == 0 or total <= 0 or seeded <= 0:
        return np.ones(n)  # nobody to trust from: every account on its own record
    everyone, from_seeds = pageranks(
        n, src, dst, [(weight, jump), (weight, seed_jump)], damping=damping, engine=engine
    )
    ratio = np.divide(seeded * from_seeds, total * everyone, out=np.zeros(n), where=everyone > 0)
    expected = seeded / total
    # A third of the trust is lost for each factor of ten below the even spread (times
    # ``share``): a tenth keeps two thirds, a thousandth or less keeps nothing. Honest crowds
    # that mostly endorse one another fall a little; rings fall to nothing.
    relative = np.maximum(ratio / max(share * expected, 1e-12), 1e-12)
    value = np.clip(1.0 + np.log10(relative) / 3.0, 0.0, 1.0)
    return np.asarray(np.where(judged, value, 1.0))
