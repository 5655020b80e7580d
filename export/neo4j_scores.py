"""Rankings written back into Neo4j, so Bloom, Browser and Cypher users see them.

For every area of the store and every ranking kind, each ranked account gets a ``SCORED``
relationship to the area's ``TherapeuticArea`` node with its rank, score, components and
reasons. The area's PageRank, community and degree are computed by the Graph Data Science
plugin when the server has it (on the area's weighted endorsement graph, written as
``ENDORSES {area, weight}`` relationships), else in-process with igraph; either way they are
written as ``pagerank``, ``community`` and ``degree`` on the same ``SCORED`` relationships,
with ``algorithms`` saying which ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.gds import gds_scores
from kolmap.graph.store import GraphStore, Scope
from kolmap.scoring.centrality import pagerank
from kolmap.scoring.communities import leiden
from kolmap.scoring.components import compute_components, weighted_edges
from kolmap.scoring.rank import RankKind, rank
from kolmap.settings import ScoringSettings

__all__ = ["PublishedScores", "publish_scores"]

_KEEP = (
    "rank",
    "score",
    "relevance",
    "n_endorsers",
    "n_peer_endorsers",
    "kol_score",
    "dol_score",
    "trust",
    "reasons",
)


@dataclass(frozen=True)
class PublishedScores:
    """What :func:`publish_scores` wrote: SCORED relationships, and which engine computed
    PageRank, communities and degree (``"gds"`` or ``"in-process"``)."""

    scored: int
    algorithms: str
    areas: int


def publish_scores(
    store: GraphStore,
    graph: Neo4jGraph,
    settings: ScoringSettings | None = None,
    *,
    use_gds: bool | None = None,
) -> PublishedScores:
    """Rank every area of ``store`` and write the results into ``graph`` (see module doc).

    ``use_gds`` forces the engine; by default GDS is used when the server has it.
    """
    settings = settings or ScoringSettings()
    gds = graph.has_gds() if use_gds is None else use_gds
    areas = list(store.areas())
    scored = 0
    for area in sorted(areas):
        projection = store.projection(Scope(area=area))
        if projection.nodes.empty:
            continue
        parts = compute_components(projection, settings)
        nodes = projection.nodes
        endorsements = (
            weighted_edges(projection, settings, parts)
            .groupby(["src", "dst"], as_index=False)
            .agg(weight=("weight", "sum"))
        )
        endorsements = endorsements.loc[
            (endorsements["weight"] > 0) & (endorsements["src"] != endorsements["dst"])
        ]
        if gds:
            platforms = nodes["platform"].tolist()
            ids = nodes["account_id"].tolist()
            pairs = zip(
                endorsements["src"].tolist(),
                endorsements["dst"].tolist(),
                endorsements["weight"].tolist(),
                strict=True,
            )
            algo = gds_scores(
                graph,
                area,
                [
                    {"platform": platforms[s], "src": ids[s], "dst": ids[d], "weight": w}
                    for s, d, w in pairs
                    if platforms[s] == platforms[d]
                ],
                damping=settings.damping,
                seed=settings.seed,
            )
        else:
            algo = _in_process(nodes, endorsements, settings)
        rows: list[dict[str, Any]] = []
        for kind in RankKind:
            table = rank(projection, kind, settings, components=parts)
            for record in table.to_dict(orient="records"):
                key = (record["platform"], record["account_id"])
                pagerank, community, degree = algo.get(key, (0.0, -1, 0))
                rows.append(
                    {
                        "platform": record["platform"],
                        "account_id": record["account_id"],
                        "area": area,
                        "kind": kind.value,
                        **{k: _plain(record[k]) for k in _KEEP},
                        "pagerank": pagerank,
                        "community": community,
                        "degree": degree,
                        "algorithms": "gds" if gds else "in-process",
                    }
                )
        scored += graph.write_scores(rows)
    return PublishedScores(scored, "gds" if gds else "in-process", len(areas))


def _in_process(
    nodes: Any, endorsements: Any, settings: ScoringSettings
) -> dict[tuple[str, str], tuple[float, int, int]]:
    """What :func:`~kolmap.graph.neo4j.gds.gds_scores` computes, with kolmap's igraph
    functions: plain weighted PageRank, Leiden community and degree (distinct endorsers), for
    the accounts with at least one endorsement in or out (GDS projects only those)."""
    n = len(nodes)
    src = endorsements["src"].to_numpy(dtype=np.int64)
    dst = endorsements["dst"].to_numpy(dtype=np.int64)
    weight = endorsements["weight"].to_numpy(dtype=np.float64)
    ranks = pagerank(n, src, dst, weight, damping=settings.damping)
    groups = leiden(n, src, dst, weight, seed=settings.seed, resolution=settings.resolution)
    degree = np.bincount(dst, minlength=n)
    linked = np.zeros(n, dtype=bool)
    linked[src] = True
    linked[dst] = True
    total = float(ranks[linked].sum()) or 1.0
    keys = list(zip(nodes["platform"].tolist(), nodes["account_id"].tolist(), strict=True))
    return {
        keys[i]: (float(ranks[i]) / total, int(groups[i]), int(degree[i]))
        for i in np.flatnonzero(linked)
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
