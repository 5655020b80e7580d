"""Whether the publisher's PageRank repeats exactly: compute it twice on one store, compare.

For every area of the store, builds the endorsement graph the Neo4j score publisher uses
(:func:`kolmap.export.neo4j_scores._in_process`, the in-process fallback for servers without
GDS) and computes its PageRank ``--runs`` times in this process. Prints, per area, the number
of accounts whose PageRank differs between runs and the largest relative difference. Before
PRPACK was held to one OpenMP thread, a 100k-account store gave up to 2·10⁻¹¹ (see
docs/architecture.md); now every figure should be 0.

    python tools/pagerank_repeat.py STORE.duckdb [--runs 2]
"""

from __future__ import annotations

import argparse

import numpy as np

from kolmap import open_store
from kolmap.export.neo4j_scores import _in_process
from kolmap.graph.store import Scope
from kolmap.scoring.components import compute_components, weighted_edges
from kolmap.settings import ScoringSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    settings = ScoringSettings()
    with open_store(args.store, read_only=True) as store:
        for area in sorted(store.areas()):
            projection = store.projection(Scope(area=area))
            if projection.nodes.empty:
                continue
            parts = compute_components(projection, settings)
            edges = (
                weighted_edges(projection, settings, parts)
                .groupby(["src", "dst"], as_index=False)
                .agg(weight=("weight", "sum"))
            )
            edges = edges.loc[(edges["weight"] > 0) & (edges["src"] != edges["dst"])]
            runs = [_in_process(projection.nodes, edges, settings) for _ in range(args.runs)]
            keys = sorted(runs[0])
            first = np.array([runs[0][k][0] for k in keys])
            worst, differing = 0.0, 0
            for other in runs[1:]:
                values = np.array([other[k][0] for k in keys])
                differing = max(differing, int((values != first).sum()))
                rel = np.abs(values - first) / np.maximum(np.abs(first), 1e-300)
                worst = max(worst, float(rel.max(initial=0.0)))
            print(f"{area}: {len(keys)} accounts, {differing} differ, max relative {worst:.3g}")


if __name__ == "__main__":
    main()
