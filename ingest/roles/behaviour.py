"""Roles and industry ties from behaviour, for accounts whose profile says too little.

An account whose text leaves it ``unknown`` or ``public`` becomes an ``hcp`` (or a
``researcher``) when peers vouch for it and it talks shop: at least ``behaviour_min_peers``
distinct peer endorsers (HCPs and researchers by label or confident text, not flagged as
automated), a peer share of at least ``behaviour_peer_share`` among its identified
endorsers, and at least half of its original posts (from ``behaviour_min_posts``) in
therapeutic areas. Its confidence grows with the number of peers and their share but stays
below what a clear bio gives (at most ``behaviour_max_confidence``). An account with no bio,
followed by very many and following almost none, is read as an institution.

Industry ties seen in behaviour: posts tagged as paid partnerships (#ad, #partenariat...)
that mention one brand account, or a two-way amplification with a brand account that gives
a large share of the account's endorsement; an ``@handle`` employer named in a bio counts
when that handle is a brand account.

>>> import numpy as np, pandas as pd
>>> nodes = pd.DataFrame({"text_role": ["unknown"] + ["hcp"] * 6, "has_bio": [False] * 7,
...     "text_confidence": [0.4] + [0.95] * 6, "label_role": [None] * 7,
...     "followers": [800] * 7, "following": [300] * 7})
>>> edges = pd.DataFrame({"src": [1, 2, 3, 4, 5, 6], "dst": [0] * 6,
...     "kind": ["MENTIONS"] * 6, "count": [2] * 6})
>>> posts = pd.DataFrame({"originals": [20] + [5] * 6, "on_topic": [16] + [4] * 6,
...     "top_area": ["oncology"] + ["oncology"] * 6})
>>> found = behaviour_roles(nodes, edges, posts, np.zeros(7), RoleSettings())
>>> found.loc[0, "role"], found.loc[0, "evidence"][:60]
('hcp', 'behaviour: 6 of 6 identified endorsers are HCPs or researche')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kolmap.settings import RoleSettings

__all__ = ["PEERS", "behaviour_roles", "industry_ties", "institution_like"]

PEERS = ("hcp", "researcher")
_NOT_IDENTIFIED = ("unknown",)


def known_roles(nodes: pd.DataFrame, settings: RoleSettings) -> np.ndarray:
    """Each account's role as an endorser: its label, else its text role when confident
    enough (``behaviour_endorser_confidence``), else ``unknown``."""
    text = nodes["text_role"].astype(str).to_numpy()
    confident = nodes["text_confidence"].to_numpy(dtype=np.float64) >= (
        settings.behaviour_endorser_confidence
    )
    roles = np.where(confident, text, "unknown")
    labels = nodes["label_role"]
    labelled = labels.notna().to_numpy()
    roles = np.where(labelled, labels.fillna("").astype(str).to_numpy(), roles)
    return np.asarray(roles, dtype=object)


def institution_like(nodes: pd.DataFrame, settings: RoleSettings) -> np.ndarray:
    """Followed by very many while following almost none (``roles.institution_*`` settings)."""
    followers = pd.to_numeric(nodes["followers"], errors="coerce").to_numpy(dtype=np.float64)
    following = pd.to_numeric(nodes["following"], errors="coerce").to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        result = (followers >= settings.institution_min_followers) & (
            following * settings.institution_follower_ratio < followers
        )
    return np.asarray(np.nan_to_num(result, nan=0.0), dtype=bool)


def behaviour_roles(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    posts: pd.DataFrame,
    risk: np.ndarray,
    settings: RoleSettings,
    flag: float = 0.5,
) -> pd.DataFrame:
    """For every node: ``role`` (``None`` where behaviour says nothing), ``confidence`` and
    ``evidence``. ``posts`` holds ``originals``, ``on_topic`` and ``top_area`` per node;
    accounts with a ``risk`` of ``flag`` or more neither vouch nor get a role this way."""
    n = len(nodes)
    roles = known_roles(nodes, settings)
    found_role: list[str | None] = [None] * n
    found_confidence = np.zeros(n)
    found_evidence = [""] * n
    if n == 0:
        return pd.DataFrame({"role": found_role, "confidence": found_confidence,
                             "evidence": found_evidence})  # fmt: skip
    src = edges["src"].to_numpy(dtype=np.int64) if len(edges) else np.zeros(0, np.int64)
    dst = edges["dst"].to_numpy(dtype=np.int64) if len(edges) else np.zeros(0, np.int64)
    trusted = risk[src] < flag if len(src) else np.zeros(0, bool)
    pairs = pd.DataFrame({"src": src[trusted], "dst": dst[trusted]}).drop_duplicates()
    p_src = pairs["src"].to_numpy(dtype=np.int64)
    p_dst = pairs["dst"].to_numpy(dtype=np.int64)
    endorser_roles = roles[p_src] if len(p_src) else np.zeros(0, dtype=object)
    identified = ~np.isin(endorser_roles, _NOT_IDENTIFIED)
    n_identified = np.bincount(p_dst[identified], minlength=n)
    counts = {role: np.bincount(p_dst[endorser_roles == role], minlength=n) for role in PEERS}
    peers = counts["hcp"] + counts["researcher"]
    share = np.divide(peers, n_identified, out=np.zeros(n), where=n_identified > 0)
    originals = posts["originals"].to_numpy(dtype=np.float64)
    on_topic = posts["on_topic"].to_numpy(dtype=np.float64)
    topical = np.divide(on_topic, originals, out=np.zeros(n), where=originals > 0)
    shop = (originals >= settings.behaviour_min_posts) & (topical >= 0.5)
    eligible = np.isin(nodes["text_role"].astype(str).to_numpy(), ("unknown", "public"))
    eligible &= nodes["label_role"].isna().to_numpy()
    eligible &= risk < flag
    vouched = (peers >= settings.behaviour_min_peers) & (share >= settings.behaviour_peer_share)
    strongly = (peers >= 2 * settings.behaviour_min_peers) & (share >= 0.6)
    chosen = eligible & vouched & (shop | strongly)
    top_area = posts["top_area"].fillna("").astype(str).to_numpy()
    for i in np.flatnonzero(chosen):
        role = "researcher" if counts["researcher"][i] > counts["hcp"][i] else "hcp"
        strength = min(1.0, peers[i] / (4.0 * settings.behaviour_min_peers)) * share[i]
        confidence = 0.5 + (settings.behaviour_max_confidence - 0.5) * strength
        where = f" ({top_area[i]})" if top_area[i] else ""
        evidence = (
            f"behaviour: {int(peers[i])} of {int(n_identified[i])} identified endorsers are "
            f"HCPs or researchers; {int(on_topic[i])} of {int(originals[i])} posts in "
            f"therapeutic areas{where}"
        )
        found_role[i], found_confidence[i], found_evidence[i] = role, round(confidence, 4), evidence
    institutions = np.flatnonzero(
        np.isin(nodes["text_role"].astype(str).to_numpy(), ("unknown",))
        & nodes["label_role"].isna().to_numpy()
        & ~nodes["has_bio"].fillna(False).to_numpy(dtype=bool)
        & institution_like(nodes, settings)
        & ~chosen
    )
    for i in institutions:
        found_role[i], found_confidence[i] = "organisation", 0.55
        found_evidence[i] = "behaviour: followed by many, follows few"
    return pd.DataFrame(
        {"role": found_role, "confidence": found_confidence, "evidence": found_evidence}
    )


def industry_ties(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    paid: pd.DataFrame,
    roles: np.ndarray,
    settings: RoleSettings,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Industry ties seen in behaviour: ``(is_industry, employer position or -1, evidence)``
    per node. ``paid`` holds ``src, dst, posts`` (node positions): paid-partnership posts
    of ``src`` that mention ``dst``; ``roles`` are the accounts' roles so far."""
    n = len(nodes)
    flagged = np.zeros(n, dtype=bool)
    employer = np.full(n, -1, dtype=np.int64)
    evidence = [""] * n
    is_brand = roles == "brand"
    person = np.isin(roles, ("hcp", "researcher", "patient", "public", "media", "unknown"))
    if len(paid):
        ads = paid[is_brand[paid["dst"].to_numpy(dtype=np.int64)]]
        ads = ads[ads["posts"] >= settings.industry_min_paid_posts]
        for row in ads.sort_values(["src", "posts"], ascending=[True, False]).itertuples():
            i = int(row.src)
            if person[i] and not flagged[i]:
                flagged[i] = True
                employer[i] = int(row.dst)
                evidence[i] = f"behaviour: {int(row.posts)} paid-partnership posts mention a brand"
    acts = edges[edges["kind"] != "FOLLOWS"] if len(edges) else edges
    if len(acts):
        pairs = acts.groupby(["src", "dst"], as_index=False).agg(count=("count", "sum"))
        received = pairs.groupby("dst")["count"].sum()
        out_of_brand = pairs[
            is_brand[pairs["src"].to_numpy(dtype=np.int64)]
            & person[pairs["dst"].to_numpy(dtype=np.int64)]
            & (pairs["count"] >= 5)
        ]
        backs = pairs.rename(columns={"src": "dst", "dst": "src", "count": "back"})
        found = out_of_brand.merge(backs, on=["src", "dst"], how="inner")
        found = found.assign(share=found["count"] / received.reindex(found["dst"]).to_numpy())
        found = found[
            (found["back"] >= 3) & (found["share"] >= settings.industry_amplification_share)
        ].sort_values(["dst", "share"], ascending=[True, False])
        for row in found.drop_duplicates("dst").itertuples():
            d = int(row.dst)
            if flagged[d]:
                continue
            flagged[d] = True
            employer[d] = int(row.src)
            evidence[d] = (
                f"behaviour: a brand gives {float(row.share):.0%} of its endorsement and it "
                f"endorses the brand back ({int(row.back)} times)"
            )
    return flagged, employer, evidence
