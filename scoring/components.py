"""Per-account score components on a projection: the explainable parts of every rank.

All functions are plain: a :class:`~kolmap.graph.store.Projection` and settings in, a
DataFrame aligned with ``projection.nodes`` out. docs/scoring.md gives each formula.

Every endorsement (mention, repost, reply, quote, follow) weighs its type x ``1 + ln(count)``
x the source's ``source_weight`` (its role, stub, bio and audience-quality factors) x the
source's ``trust`` (:mod:`kolmap.scoring.trust`) x its independence (0 between an employer
and its staff). Columns produced:

- ``source_weight``, ``trust``, ``automation_risk``, ``seed``: how much an endorsement from
  the account counts, and why.
- ``relevance``: topic share, ``(posts in scope + bio bonus) / (posts in window + prior)``;
  1 when the scope is the whole graph.
- ``pagerank``: PageRank over all endorsements; random jumps favour trusted, credible,
  on-topic accounts.
- **KOL axis** (standing among peers, HCPs and researchers): ``peer_pagerank`` (PageRank over
  endorsements by peers, jumping to peers only), ``peer_endorsers`` (trust-weighted count of
  distinct peer endorsers), ``n_peer_endorsers``, ``peer_share`` (share of incoming weight
  from peers).
- **DOL axis** (earned reach beyond the peer circle): ``lay_pagerank`` (PageRank over
  endorsements by patients, caregivers and the public, every lay role alike), ``lay_audience``
  (trust-weighted count of distinct lay endorsers), ``n_lay_endorsers``.
- ``audience_pagerank`` / ``audience``: the same over every audience, roles alike (the
  influencer and ``any`` lists); ``endorsers`` / ``n_endorsers``: role-weighted, all sources.
- ``engagement``: ``ln(1 + mean(likes + 2 reposts + replies))`` over in-scope original
  posts, shrunk for accounts with few posts. ``reach``: ``ln(1 + followers)``.
- ``community``: Leiden community in scope; ``ring_share``: the share of its community's
  members flagged for automation (0 in communities under :data:`RING_MIN_SIZE`): from
  :data:`RING_SHARE` on, a possible ring, whose target is flagged with its members.
- ``top_endorser_1`` .. ``_3``: positions of the (up to) three accounts whose endorsements
  weigh most, -1 for none; a ranking's reasons name them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kolmap.errors import ScoringError
from kolmap.graph.store import GraphEngine, Projection
from kolmap.scoring.centrality import FloatArray, IntArray, earned_share, pageranks
from kolmap.scoring.communities import leiden
from kolmap.scoring.trust import independence, prior, seeds, trusted_share
from kolmap.settings import ScoringSettings

__all__ = [
    "LAY_ROLES",
    "PEER_ROLES",
    "RING_MIN_SIZE",
    "RING_SHARE",
    "components_of",
    "compute_components",
    "edge_weights",
    "jump_weights",
    "ring_shares",
    "top_endorsers",
    "weighted_edges",
]

PEER_ROLES = ("hcp", "researcher")
LAY_ROLES = ("patient", "public", "unknown")
# A community of at least RING_MIN_SIZE members of which at least RING_SHARE look automated
# is a possible ring (the Communities page and the rankings' flags say so).
RING_SHARE = 0.5
RING_MIN_SIZE = 5


def ring_shares(community: np.ndarray, flagged: np.ndarray) -> np.ndarray:
    """For each node, the share of its community's members that are ``flagged`` (0 in a
    community of fewer than :data:`RING_MIN_SIZE`).

    >>> ring_shares(np.array([0, 0, 0, 0, 0, 1]), np.array([1, 1, 1, 0, 0, 1], bool)).tolist()
    [0.6, 0.6, 0.6, 0.6, 0.6, 0.0]
    """
    if len(community) == 0:
        return np.zeros(0)
    labels, index = np.unique(community, return_inverse=True)
    size = np.bincount(index, minlength=len(labels))
    share = np.bincount(index, weights=flagged.astype(np.float64), minlength=len(labels)) / size
    result: np.ndarray = np.where(size >= RING_MIN_SIZE, share, 0.0)[index]
    return result


def source_weights(
    nodes: pd.DataFrame, settings: ScoringSettings, *, by_role: bool = True
) -> np.ndarray:
    """How much an endorsement from each account counts before trust (see module doc).

    With ``by_role=False`` every identified role counts the same (the audience view used for
    DOLs and influencers); unidentified accounts keep the ``unknown`` weight, and the stub,
    no-bio and audience-quality factors still apply.
    """
    roles = nodes["role"].astype(str).to_numpy()
    default = settings.role_weights.get("unknown", 0.25)
    if by_role:
        weight = np.array([settings.role_weights.get(r, default) for r in roles], dtype=float)
    else:
        weight = np.where(roles == "unknown", default, 1.0)
    stub = nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    no_bio = ~nodes["has_bio"].fillna(False).to_numpy(dtype=bool)
    weight = np.where(stub, weight * settings.stub_weight, weight)
    weight = np.where(no_bio & ~stub, weight * settings.no_bio_weight, weight)
    followers = nodes["followers"].to_numpy(dtype=np.float64, na_value=np.nan)
    full = np.log1p(max(settings.followers_for_full_weight, 1))
    quality = np.clip(np.log1p(np.nan_to_num(followers, nan=np.inf)) / full, 0.05, 1.0)
    result: np.ndarray = weight * quality
    return result


def relevance(projection: Projection, settings: ScoringSettings) -> np.ndarray:
    """How much each account is about the scope's topic (1 everywhere for an untopical
    scope): its topic share, ``(posts in scope + bio bonus) / (posts in window + prior)``, or
    its volume of on-topic posts over ``relevance_full_posts``, whichever is higher. A KOL of
    two areas, half its posts in each, is fully relevant to both; a star of another area
    with one post here, or a celebrity with one on-topic post among hundreds, is not."""
    nodes = projection.nodes
    if not projection.scope.is_topical:
        return np.ones(len(nodes))
    in_scope = nodes["posts_in_scope"].to_numpy(dtype=np.float64)
    total = nodes["posts_total"].to_numpy(dtype=np.float64)
    bonus = nodes["bio_in_area"].fillna(False).to_numpy(dtype=bool) * settings.bio_area_posts
    share = (in_scope + bonus) / (total + bonus + settings.relevance_prior_posts)
    volume = in_scope / max(settings.relevance_full_posts, 1.0)
    return np.clip(np.maximum(share, volume), 0.0, 1.0)


def _kind_counts(projection: Projection, settings: ScoringSettings) -> np.ndarray:
    """Type weight x ``1 + ln(count)`` of each edge (the source aside)."""
    edges = projection.edges
    kind_w = edges["kind"].map(settings.interaction_weights).fillna(0.0).to_numpy(dtype=np.float64)
    count = edges["count"].to_numpy(dtype=np.float64)
    result: np.ndarray = kind_w * (1.0 + np.log(np.maximum(count, 1.0)))
    return result


def edge_weights(
    projection: Projection, settings: ScoringSettings, src_weight: np.ndarray
) -> np.ndarray:
    """Weight of each projection edge: type weight x (1 + ln count) x ``src_weight[src]``."""
    edges = projection.edges
    if edges.empty:
        return np.zeros(0)
    src = edges["src"].to_numpy(dtype=np.int64)
    result: np.ndarray = _kind_counts(projection, settings) * src_weight[src]
    return result


def jump_weights(
    weights: np.ndarray, relevance: np.ndarray, topic_share: float = 0.75
) -> np.ndarray:
    """Where PageRank's random jump lands: each account's source weight, ``topic_share`` of it
    scaled by its topic relevance (so off-topic accounts still get the rest; the
    ``scoring.topic_jump_share`` setting).

    >>> jump_weights(np.array([1.0, 1.0]), np.array([1.0, 0.0])).tolist()
    [1.0, 0.25]
    """
    result: np.ndarray = weights * (1.0 - topic_share + topic_share * relevance)
    return result


def weighted_edges(
    projection: Projection, settings: ScoringSettings, components: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The projection's edges (``src``, ``dst``, ``kind``, ``count``) with the ``weight`` each
    carries in PageRank, trust and independence included: the table behind "who endorses
    whom, how strongly". ``components`` (of this projection) saves computing trust again.

    >>> from kolmap.graph.store import Scope
    >>> nodes = pd.DataFrame({"role": ["hcp", "patient"], "is_stub": [False, False],
    ...     "has_bio": [True, True], "followers": [5000, 5000], "verified": [False, False],
    ...     "handle": ["a", "b"], "posts_in_scope": [1, 1], "posts_total": [1, 1],
    ...     "original_posts_in_scope": [1, 1], "likes": [0, 0], "reposts": [0, 0],
    ...     "replies": [0, 0]})
    >>> edges = pd.DataFrame({"src": [0], "dst": [1], "kind": ["MENTIONS"], "count": [1]})
    >>> table = weighted_edges(Projection(Scope(), nodes, edges), ScoringSettings())
    >>> table["weight"].round(2).tolist()
    [0.8]
    """
    edges = projection.edges
    comp = components_of(projection, settings, components)
    weight = _trusted_edge_weights(projection, settings, comp)
    return pd.DataFrame(
        {
            "src": edges["src"],
            "dst": edges["dst"],
            "kind": edges["kind"],
            "count": edges["count"],
            "weight": weight,
        }
    )


def _trusted_edge_weights(
    projection: Projection, settings: ScoringSettings, comp: pd.DataFrame
) -> np.ndarray:
    edges = projection.edges
    if edges.empty:
        return np.zeros(0)
    sw = comp["source_weight"].to_numpy(dtype=np.float64) * comp["trust"].to_numpy(np.float64)
    src = edges["src"].to_numpy(dtype=np.int64)
    dst = edges["dst"].to_numpy(dtype=np.int64)
    fair = independence(projection.nodes, src, dst, settings)
    result: np.ndarray = edge_weights(projection, settings, sw) * fair
    return result


def _leiden_by_key(
    nodes: pd.DataFrame,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray,
    settings: ScoringSettings,
    engine: GraphEngine | None = None,
) -> IntArray:
    """Leiden communities that do not depend on the order of ``nodes``: found on the nodes
    sorted by ``platform, account_id`` (the order a store's projection has already), so the
    same graph listed in another order gets the same communities, labels and trust."""
    n = len(nodes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if "account_id" not in nodes or "platform" not in nodes:  # unnamed nodes: as given
        return leiden(
            n, src, dst, weight, seed=settings.seed, resolution=settings.resolution, engine=engine
        )
    keys = (nodes["account_id"].astype(str).to_numpy(), nodes["platform"].astype(str).to_numpy())
    canonical = np.lexsort(keys)  # node positions in key order
    place = np.empty(n, dtype=np.int64)
    place[canonical] = np.arange(n)
    found = leiden(
        n,
        place[src],
        place[dst],
        weight,
        seed=settings.seed,
        resolution=settings.resolution,
        engine=engine,
    )
    return found[place]


def compute_components(
    projection: Projection, settings: ScoringSettings, engine: GraphEngine | None = None
) -> pd.DataFrame:
    """All components for every node of ``projection`` (index aligned with its nodes).

    ``engine`` (a store's :class:`~kolmap.graph.store.GraphEngine`, such as GDS on a Neo4j
    server) runs the six PageRanks and the Leiden run; everything else is computed here
    either way, so the components are the same (tests/test_neo4j_gds_engine.py)."""
    nodes = projection.nodes
    edges = projection.edges
    n = len(nodes)
    out = pd.DataFrame(index=nodes.index)
    src = edges["src"].to_numpy(dtype=np.int64)
    dst = edges["dst"].to_numpy(dtype=np.int64)
    roles = nodes["role"].astype(str).to_numpy()
    stub = nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    sw = source_weights(nodes, settings)
    rel = relevance(projection, settings)
    risk = (
        pd.to_numeric(
            nodes.get("automation_risk", pd.Series(0.0, index=nodes.index)), errors="coerce"
        )
        .fillna(0.0)
        .to_numpy(dtype=np.float64)
    )
    risk_ok = risk < settings.automation_flag
    kinds = _kind_counts(projection, settings) if len(src) else np.zeros(0)
    fair = independence(nodes, src, dst, settings)

    # Communities and trust come from the endorsements before trust.
    base = kinds * (sw * prior(nodes))[src] * fair if len(src) else np.zeros(0)
    community = _leiden_by_key(nodes, src, dst, base, settings, engine)
    is_seed = seeds(nodes, src, dst, community, risk_ok, settings)
    unflagged = pd.DataFrame({"s": src[risk_ok[src]], "d": dst[risk_ok[src]]}).drop_duplicates()
    unflagged_endorsers = np.bincount(unflagged["d"].to_numpy(dtype=np.int64), minlength=n)
    shared = trusted_share(
        n,
        src,
        dst,
        base,
        jump_weights(sw * prior(nodes), rel, settings.topic_jump_share),
        is_seed,
        unflagged_endorsers,
        community,
        share=settings.trust_share,
        leaf=settings.trust_leaf_endorsers,
        damping=settings.damping,
        engine=engine,
    )
    trust = prior(nodes) * shared
    out["source_weight"] = sw
    out["automation_risk"] = np.round(risk, 4)
    out["seed"] = is_seed
    out["trust"] = np.round(trust, 4)
    out["relevance"] = rel

    w = kinds * (sw * trust)[src] * fair if len(src) else np.zeros(0)
    reset = jump_weights(sw * trust, rel, settings.topic_jump_share)
    damping = settings.damping
    peer = np.isin(roles, PEER_ROLES) & ~stub
    from_peer = peer[src] if len(src) else np.zeros(0, dtype=bool)
    aw = source_weights(nodes, settings, by_role=False) * trust
    a_w = kinds * aw[src] * fair if len(src) else np.zeros(0)
    a_reset = jump_weights(aw, rel, settings.topic_jump_share)
    lay = np.isin(roles, LAY_ROLES) & ~stub
    from_lay = lay[src] if len(src) else np.zeros(0, dtype=bool)
    # Four PageRanks over the same edges (those from peers, or from lay accounts, weigh 0 in
    # the runs that leave the others out), so that a server engine receives them once.
    runs = {
        "pagerank": (w, reset),
        "peer_pagerank": (np.where(from_peer, w, 0.0), np.where(peer, reset, 0.0)),
        "audience_pagerank": (a_w, a_reset),
        "lay_pagerank": (np.where(from_lay, a_w, 0.0), a_reset),
    }
    found = pageranks(n, src, dst, list(runs.values()), damping=damping, engine=engine)
    for (column, (weight, jump)), values in zip(runs.items(), found, strict=True):
        out[column] = (
            values
            if column == "pagerank"
            else earned_share(values, src, weight, reset=jump, damping=damping)
        )

    # Distinct endorsers: one vote per (source, target) pair, at the pair's strongest kind.
    kind_w = np.minimum(kinds * fair, 1.0) if len(src) else np.zeros(0)
    pair = (
        pd.DataFrame({"src": src, "dst": dst, "kw": kind_w})
        .groupby(["src", "dst"], as_index=False)
        .agg(kw=("kw", "max"))
    )
    psrc = pair["src"].to_numpy(dtype=np.int64)
    pdst = pair["dst"].to_numpy(dtype=np.int64)
    pkw = pair["kw"].to_numpy(dtype=np.float64)
    vote = (sw * trust)[psrc] * pkw
    a_vote = aw[psrc] * pkw
    p_peer = peer[psrc] if len(psrc) else np.zeros(0, dtype=bool)
    p_lay = lay[psrc] if len(psrc) else np.zeros(0, dtype=bool)
    out["endorsers"] = np.bincount(pdst, weights=vote, minlength=n)
    out["n_endorsers"] = np.bincount(pdst, minlength=n)
    out["audience"] = np.bincount(pdst, weights=a_vote, minlength=n)
    out["peer_endorsers"] = np.bincount(pdst[p_peer], weights=vote[p_peer], minlength=n)
    out["n_peer_endorsers"] = np.bincount(pdst[p_peer], minlength=n)
    out["lay_audience"] = np.bincount(pdst[p_lay], weights=a_vote[p_lay], minlength=n)
    out["n_lay_endorsers"] = np.bincount(pdst[p_lay], minlength=n)
    incoming = np.bincount(dst, weights=w, minlength=n)
    from_peers = np.bincount(dst[from_peer], weights=w[from_peer], minlength=n)
    out["peer_share"] = np.divide(from_peers, incoming, out=np.zeros(n), where=incoming > 0)

    originals = nodes["original_posts_in_scope"].to_numpy(dtype=np.float64)
    interactions = (nodes["likes"] + 2 * nodes["reposts"] + nodes["replies"]).to_numpy(
        dtype=np.float64
    )
    mean = np.divide(interactions, originals, out=np.zeros(n), where=originals > 0)
    shrink = np.minimum(1.0, originals / max(settings.min_posts_for_engagement, 1))
    out["engagement"] = np.log1p(mean) * shrink
    out["reach"] = np.log1p(nodes["followers"].fillna(0).to_numpy(dtype=np.float64))
    out["community"] = community
    out["ring_share"] = np.round(ring_shares(community, ~risk_ok), 4)
    for i, column in enumerate(top_endorsers(n, src, dst, w).T, start=1):
        out[f"top_endorser_{i}"] = column
    return out


def top_endorsers(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, count: int = 3
) -> np.ndarray:
    """For each of ``n`` nodes, the positions of the ``count`` sources whose edges to it
    weigh most in sum (heaviest first, ties by position; -1 where there are fewer, and
    sources whose edges weigh nothing are left out): the names a ranking's reasons give.
    An ``n`` x ``count`` integer array, 24 bytes a node.

    >>> top_endorsers(3, np.array([1, 2, 2, 0]), np.array([0, 0, 0, 1]),
    ...               np.array([1.0, 0.6, 0.6, 2.0]), count=2).tolist()
    [[2, 1], [0, -1], [-1, -1]]
    """
    tops = np.full((n, count), -1, dtype=np.int64)
    keep = weight > 0
    if not keep.any():
        return tops
    summed = (
        pd.DataFrame({"dst": dst[keep], "src": src[keep], "w": weight[keep]})
        .groupby(["dst", "src"], as_index=False)
        .agg(w=("w", "sum"))
        .sort_values(["dst", "w", "src"], ascending=[True, False, True])
    )
    firsts = summed.groupby("dst").head(count)
    nodes = firsts["dst"].to_numpy(dtype=np.int64)
    # Rank within each node's run of rows: position minus the run's first position.
    starts = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]])
    order = np.arange(len(nodes)) - np.repeat(starts, np.diff(np.r_[starts, len(nodes)]))
    tops[nodes, order] = firsts["src"].to_numpy(dtype=np.int64)
    return tops


def components_of(
    projection: Projection, settings: ScoringSettings, known: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The components of ``projection``: ``known`` when the caller already has them (the app
    computes them once per scope, for every page and kind), else :func:`compute_components`.

    Ranking every kind, the map and the congress view read the same components; passing
    them in saves several PageRanks and a Leiden run per call.
    """
    if known is None:
        return compute_components(projection, settings)
    if len(known) != len(projection.nodes):
        raise ScoringError(
            f"components for {len(known)} accounts given for a scope of {len(projection.nodes)}"
        )
    return known
