"""Per-account score components on a projection: the explainable parts of every rank.

All functions are plain: a :class:`~kolmap.graph.store.Projection` and settings in, a
DataFrame aligned with ``projection.nodes`` out. docs/scoring.md gives each formula.

Columns produced:

- ``source_weight``: how much an endorsement *from* this account counts: role weight, times
  the stub and no-bio multipliers, times an audience-quality factor for accounts with almost
  no followers. Throwaway accounts weigh little.
- ``relevance``: topic share, ``(posts in scope + bio bonus) / (posts in window + prior)``;
  1 when the scope is the whole graph.
- ``pagerank``: PageRank over all relations in scope, each edge weighted by type, by the
  source's weight and by ``1 + ln(count)``; random jumps favour credible, on-topic accounts.
- ``peer_pagerank``: the same over relations whose source is an HCP (peer standing).
- ``audience_pagerank`` / ``audience``: the same PageRank and endorser count with every role
  weighing the same: reach across all audiences (patients, public, peers) that is earned.
- ``endorsers`` / ``hcp_endorsers``: weighted count of distinct accounts (HCPs) pointing at
  the account; ``n_endorsers`` / ``n_hcp_endorsers`` are the plain counts.
- ``hcp_share``: share of incoming edge weight that comes from HCPs.
- ``engagement``: ``ln(1 + mean(likes + 2 reposts + replies))`` over in-scope original
  posts, shrunk for accounts with few posts.
- ``reach``: ``ln(1 + followers)``.
- ``community``: Leiden community in scope.
- ``top_endorser_1`` .. ``_3``: positions of the (up to) three accounts whose edges to this
  one weigh most, -1 for none; a ranking's reasons name them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kolmap.errors import ScoringError
from kolmap.graph.store import Projection
from kolmap.scoring.centrality import pagerank
from kolmap.scoring.communities import leiden
from kolmap.settings import ScoringSettings

__all__ = [
    "components_of",
    "compute_components",
    "edge_weights",
    "jump_weights",
    "top_endorsers",
    "weighted_edges",
]


def source_weights(
    nodes: pd.DataFrame, settings: ScoringSettings, *, by_role: bool = True
) -> np.ndarray:
    """How much an endorsement from each account counts (see module docstring).

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
    """Topic share of each account in the scope (1 everywhere for an untopical scope)."""
    nodes = projection.nodes
    if not projection.scope.is_topical:
        return np.ones(len(nodes))
    in_scope = nodes["posts_in_scope"].to_numpy(dtype=np.float64)
    total = nodes["posts_total"].to_numpy(dtype=np.float64)
    bonus = nodes["bio_in_area"].fillna(False).to_numpy(dtype=bool) * settings.bio_area_posts
    value = (in_scope + bonus) / (total + bonus + settings.relevance_prior_posts)
    return np.clip(value, 0.0, 1.0)


def edge_weights(
    projection: Projection, settings: ScoringSettings, src_weight: np.ndarray
) -> np.ndarray:
    """Weight of each projection edge: type weight x source weight x (1 + ln count)."""
    edges = projection.edges
    if edges.empty:
        return np.zeros(0)
    kind_w = edges["kind"].map(settings.interaction_weights).fillna(0.0).to_numpy(dtype=np.float64)
    count = edges["count"].to_numpy(dtype=np.float64)
    src = edges["src"].to_numpy(dtype=np.int64)
    result: np.ndarray = kind_w * src_weight[src] * (1.0 + np.log(np.maximum(count, 1.0)))
    return result


def weighted_edges(projection: Projection, settings: ScoringSettings) -> pd.DataFrame:
    """The projection's edges (``src``, ``dst``, ``kind``, ``count``) with the ``weight`` each
    carries in PageRank: the table behind "who endorses whom, how strongly".

    >>> from kolmap.graph.store import Scope
    >>> nodes = pd.DataFrame({"role": ["hcp", "patient"], "is_stub": [False, False],
    ...     "has_bio": [True, True], "followers": [5000, 5000]})
    >>> edges = pd.DataFrame({"src": [0], "dst": [1], "kind": ["MENTIONS"], "count": [1]})
    >>> table = weighted_edges(Projection(Scope(), nodes, edges), ScoringSettings())
    >>> table["weight"].round(2).tolist()
    [0.8]
    """
    edges = projection.edges
    weight = edge_weights(projection, settings, source_weights(projection.nodes, settings))
    return pd.DataFrame(
        {
            "src": edges["src"],
            "dst": edges["dst"],
            "kind": edges["kind"],
            "count": edges["count"],
            "weight": weight,
        }
    )


def jump_weights(weights: np.ndarray, relevance: np.ndarray) -> np.ndarray:
    """Where PageRank's random jump lands: each account's source weight, three quarters of it
    scaled by its topic relevance (so off-topic accounts still get a quarter).

    >>> jump_weights(np.array([1.0, 1.0]), np.array([1.0, 0.0])).tolist()
    [1.0, 0.25]
    """
    result: np.ndarray = weights * (0.25 + 0.75 * relevance)
    return result


def compute_components(projection: Projection, settings: ScoringSettings) -> pd.DataFrame:
    """All components for every node of ``projection`` (index aligned with its nodes)."""
    nodes = projection.nodes
    edges = projection.edges
    n = len(nodes)
    out = pd.DataFrame(index=nodes.index)
    sw = source_weights(nodes, settings)
    rel = relevance(projection, settings)
    out["source_weight"] = sw
    out["relevance"] = rel
    src = edges["src"].to_numpy(dtype=np.int64)
    dst = edges["dst"].to_numpy(dtype=np.int64)
    w = edge_weights(projection, settings, sw)
    reset = jump_weights(sw, rel)
    out["pagerank"] = pagerank(n, src, dst, w, reset=reset, damping=settings.damping)
    is_hcp = (nodes["role"].astype(str) == "hcp").to_numpy() & ~nodes["is_stub"].fillna(
        False
    ).to_numpy(dtype=bool)
    peer = is_hcp[src] if len(src) else np.zeros(0, dtype=bool)
    out["peer_pagerank"] = pagerank(
        n,
        src[peer],
        dst[peer],
        w[peer],
        reset=np.where(is_hcp, reset, 0.0),
        damping=settings.damping,
    )
    aw = source_weights(nodes, settings, by_role=False)
    a_edge = edge_weights(projection, settings, aw)
    a_reset = jump_weights(aw, rel)
    out["audience_pagerank"] = pagerank(
        n, src, dst, a_edge, reset=a_reset, damping=settings.damping
    )
    # Distinct endorsers: one vote per (source, target) pair, at the pair's strongest kind.
    kind_only = w / np.maximum(sw[src], 1e-12) if len(src) else np.zeros(0)
    pair = (
        pd.DataFrame({"src": src, "dst": dst, "kw": kind_only})
        .groupby(["src", "dst"], as_index=False)
        .agg(kw=("kw", "max"))
    )
    psrc = pair["src"].to_numpy(dtype=np.int64)
    pdst = pair["dst"].to_numpy(dtype=np.int64)
    vote = sw[psrc] * np.minimum(pair["kw"].to_numpy(dtype=np.float64), 1.0)
    out["endorsers"] = np.bincount(pdst, weights=vote, minlength=n)
    a_vote = aw[psrc] * np.minimum(pair["kw"].to_numpy(dtype=np.float64), 1.0)
    out["audience"] = np.bincount(pdst, weights=a_vote, minlength=n)
    out["n_endorsers"] = np.bincount(pdst, minlength=n)
    hcp_pair = is_hcp[psrc] if len(psrc) else np.zeros(0, dtype=bool)
    out["hcp_endorsers"] = np.bincount(pdst[hcp_pair], weights=vote[hcp_pair], minlength=n)
    out["n_hcp_endorsers"] = np.bincount(pdst[hcp_pair], minlength=n)
    incoming = np.bincount(dst, weights=w, minlength=n)
    from_hcp = np.bincount(dst[peer], weights=w[peer], minlength=n) if len(dst) else np.zeros(n)
    out["hcp_share"] = np.divide(from_hcp, incoming, out=np.zeros(n), where=incoming > 0)
    originals = nodes["original_posts_in_scope"].to_numpy(dtype=np.float64)
    interactions = (nodes["likes"] + 2 * nodes["reposts"] + nodes["replies"]).to_numpy(
        dtype=np.float64
    )
    mean = np.divide(interactions, originals, out=np.zeros(n), where=originals > 0)
    shrink = np.minimum(1.0, originals / max(settings.min_posts_for_engagement, 1))
    out["engagement"] = np.log1p(mean) * shrink
    out["reach"] = np.log1p(nodes["followers"].fillna(0).to_numpy(dtype=np.float64))
    out["community"] = leiden(n, src, dst, w, seed=settings.seed, resolution=settings.resolution)
    for i, column in enumerate(top_endorsers(n, src, dst, w).T, start=1):
        out[f"top_endorser_{i}"] = column
    return out


def top_endorsers(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, count: int = 3
) -> np.ndarray:
    """For each of ``n`` nodes, the positions of the ``count`` sources whose edges to it
    weigh most in sum (heaviest first, ties by position; -1 where there are fewer): the
    names a ranking's reasons give. An ``n`` x ``count`` integer array, 24 bytes a node.

    >>> top_endorsers(3, np.array([1, 2, 2, 0]), np.array([0, 0, 0, 1]),
    ...               np.array([1.0, 0.6, 0.6, 2.0]), count=2).tolist()
    [[2, 1], [0, -1], [-1, -1]]
    """
    tops = np.full((n, count), -1, dtype=np.int64)
    if not len(src):
        return tops
    summed = (
        pd.DataFrame({"dst": dst, "src": src, "w": weight})
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
    them in saves three PageRanks and a Leiden run per call.
    """
    if known is None:
        return compute_components(projection, settings)
    if len(known) != len(projection.nodes):
        raise ScoringError(
            f"components for {len(known)} accounts given for a scope of {len(projection.nodes)}"
        )
    return known
