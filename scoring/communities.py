"""Communities on plain arrays: Leiden (modularity) with a fixed seed, via igraph.

The result is reproducible: the same graph and seed give the same membership, and
communities are numbered by decreasing size (ties by their smallest member).

>>> import numpy as np
>>> src = np.array([0, 1, 2, 3, 4, 5, 2]); dst = np.array([1, 2, 0, 4, 5, 3, 3])
>>> leiden(6, src, dst, np.ones(7), seed=1).tolist()
[0, 0, 0, 1, 1, 1]
"""

from __future__ import annotations

import igraph as ig
import numpy as np

from kolmap.graph.store import GraphEngine
from kolmap.scoring.centrality import FloatArray, IntArray, aggregate_edges, edge_pairs
from kolmap.scoring.seeding import igraph_seeded

__all__ = ["leiden"]


def leiden(
    n: int,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray,
    *,
    seed: int,
    resolution: float = 1.0,
    engine: GraphEngine | None = None,
) -> IntArray:
    """Community id of each of ``n`` nodes; edges are treated as undirected. ``engine``
    runs Leiden elsewhere (a Neo4j server's GDS) on the same edges; by default igraph."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lo = np.minimum(src, dst)
    hi = np.maximum(src, dst)
    keep = lo != hi
    s, d, w = aggregate_edges(lo[keep], hi[keep], weight[keep])
    if engine is not None:
        found = engine.leiden(n, s, d, w, seed=seed, resolution=resolution)
        return _renumber(np.asarray(found, dtype=np.int64))
    graph = ig.Graph(n=n, edges=edge_pairs(s, d), directed=False)
    with igraph_seeded(seed):
        parts = graph.community_leiden(
            objective_function="modularity",
            weights=w.tolist() if len(w) else None,
            resolution=resolution,
            n_iterations=-1,
        )
    return _renumber(np.asarray(parts.membership, dtype=np.int64))


def _renumber(membership: IntArray) -> IntArray:
    labels, inverse, counts = np.unique(membership, return_inverse=True, return_counts=True)
    first = np.full(len(labels), len(membership), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(membership)))
    order = sorted(range(len(labels)), key=lambda i: (-counts[i], first[i]))
    new_id = np.empty(len(labels), dtype=np.int64)
    new_id[order] = np.arange(len(labels))
    return new_id[inverse]
