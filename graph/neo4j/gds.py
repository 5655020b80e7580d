"""PageRank, Leiden communities and degree computed on the server by Graph Data Science.

The one algorithm module outside ``kolmap.scoring``, by necessity: GDS runs inside Neo4j,
through the driver. :func:`kolmap.export.neo4j_scores.publish_scores` uses it when the
server has the plugin, and kolmap's own igraph functions otherwise; a test checks both give
the same results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kolmap.graph.neo4j.driver import Neo4jGraph

__all__ = ["gds_scores"]


def gds_scores(
    graph: Neo4jGraph,
    area: str,
    endorsements: Sequence[Mapping[str, Any]],
    *,
    damping: float,
    seed: int,
) -> dict[tuple[str, str], tuple[float, int, int]]:
    """PageRank, Leiden community and degree of the accounts of one area, computed by the
    Graph Data Science plugin on the area's endorsement graph.

    ``endorsements`` (``platform, src, dst, weight``, one per account pair) replace the
    area's ``ENDORSES`` relationships; GDS projects them (directed for PageRank and for
    degree, counted as distinct endorsers; undirected for Leiden), streams the results
    and drops its in-memory graphs. PageRank is scaled to sum to 1, as kolmap's does.
    """
    graph.run_batched(
        "MATCH ()-[r:ENDORSES {area: $area}]->() CALL (r) { DELETE r } "
        "IN TRANSACTIONS OF 10000 ROWS RETURN count(*)",
        area=area,
    )
    if not endorsements:
        return {}  # GDS projects nothing from no relationships
    query = (
        "UNWIND $rows AS row "
        "MATCH (s:Account {platform: row.platform, account_id: row.src}) "
        "MATCH (t:Account {platform: row.platform, account_id: row.dst}) "
        "MERGE (s)-[r:ENDORSES {area: row.area}]->(t) SET r.weight = row.weight "
        "RETURN count(*)"
    )
    rows = ({**e, "area": area} for e in endorsements)
    for batch in graph.batches(rows):
        graph.write_batch(query, batch)
    directed, undirected = f"kolmap-{area}-directed", f"kolmap-{area}-undirected"
    project = (
        "MATCH (s:Account)-[r:ENDORSES {area: $area}]->(t:Account) "
        "WITH gds.graph.project($name, s, t, {relationshipProperties: r {.weight}}, "
        "$config) AS g RETURN g.nodeCount AS nodes"
    )
    # Each algorithm: its streaming call (yielding nodeId and `value`), the graph it runs
    # on, and which slot of (pagerank, community, degree) it fills. PageRank and Leiden run on
    # one thread: parallel sums add in a different order each run (see scoring.centrality).
    algorithms = (
        (
            "gds.pageRank.stream($name, {relationshipWeightProperty: 'weight', "
            "dampingFactor: $damping, concurrency: 1}) YIELD nodeId, score AS value",
            directed,
            0,
        ),
        (
            "gds.leiden.stream($name, {relationshipWeightProperty: 'weight', "
            "randomSeed: $seed, concurrency: 1}) YIELD nodeId, communityId AS value",
            undirected,
            1,
        ),
        (
            "gds.degree.stream($name, {orientation: 'REVERSE'}) YIELD nodeId, score AS value",
            directed,
            2,
        ),
    )
    results: dict[tuple[str, str], list[Any]] = {}
    for name in (directed, undirected):
        graph.run("CALL gds.graph.drop($name, false) YIELD graphName", name=name)
    try:
        graph.run(project, area=area, name=directed, config={})
        graph.run(
            project, area=area, name=undirected, config={"undirectedRelationshipTypes": ["*"]}
        )
        for call, name, slot in algorithms:
            for row in graph.run(
                f"CALL {call} WITH gds.util.asNode(nodeId) AS node, value "
                "RETURN node.platform AS platform, node.account_id AS account_id, value",
                name=name,
                damping=damping,
                seed=seed,
            ):
                found = results.setdefault((row["platform"], row["account_id"]), [0.0, -1, 0])
                found[slot] = row["value"]
    finally:
        for name in (directed, undirected):
            graph.run("CALL gds.graph.drop($name, false) YIELD graphName", name=name)
    total = sum(v[0] for v in results.values()) or 1.0
    return {k: (float(v[0]) / total, int(v[1]), int(v[2])) for k, v in results.items()}
