"""PageRank, Leiden communities and degree computed on the server by Graph Data Science.

The one algorithm module outside ``kolmap.scoring``, by necessity: GDS runs inside Neo4j,
through the driver.

- :class:`GdsEngine` is the :class:`~kolmap.graph.store.GraphEngine` a Neo4j store offers
  when the server has GDS: ranking (:func:`kolmap.scoring.components.compute_components`)
  hands it the six PageRanks and the Leiden run of every scope. It sends the edges as a GDS
  Cypher aggregation projection (an in-memory graph; nothing is written to the database),
  once for the PageRanks that share them (the trust propagation's two, then the rankings'
  four), runs each algorithm on one thread and reads back one value per account.
- :func:`gds_scores` computes the PageRank, Leiden and degree that ``kolmap
  publish-scores`` writes beside the rankings, from ``ENDORSES`` relationships.

Tests check both give kolmap's own igraph results (tests/test_neo4j_gds_engine.py,
tests/test_neo4j_scores.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from kolmap.graph.neo4j.driver import Neo4jGraph

__all__ = ["GdsEngine", "gds_scores", "server_engine"]

# PageRank runs to this change per node or less (GDS's default, 1e-7, stops at 20 passes and
# long before igraph's PRPACK, which solves exactly); and for at most this many passes.
_TOLERANCE = 1e-13
_MAX_ITERATIONS = 10_000


class GdsEngine:
    """PageRank and Leiden by GDS on the Neo4j server of ``graph`` (module doc).

    GDS 2.13's personalised PageRank jumps to a set of source nodes alike, with no weight
    for each; kolmap's jumps are weighted (trust, credibility, topic). So the projection
    holds one more node per run, its *jump node*, with an edge to every account weighing its
    jump, and PageRank jumps to it alone: what reaches the accounts is, at every pass, ``d`` times
    the weighted jump, so their values are ``d`` times the weighted PageRank's. GDS loses
    the rank of dangling nodes where igraph hands it to the jump; both jump by the same
    weights, so the two differ by one factor, and scaling to sum 1 gives igraph's values
    (to 1e-9 of the largest, tests/test_neo4j_gds_engine.py).

    >>> GdsEngine.__name__
    'GdsEngine'
    """

    def __init__(self, graph: Neo4jGraph, version: str) -> None:
        self.graph = graph
        self.name = f"GDS {version} on {graph.uri}"

    @contextmanager
    def _projected(
        self, n: int, src: np.ndarray, dst: np.ndarray, weights: Mapping[str, np.ndarray],
        config: Mapping[str, Any],
    ) -> Iterator[str]:  # fmt: skip
        """An in-memory GDS graph of nodes ``0..n-1`` (every one, those without an edge too)
        and the edges ``src -> dst`` with one property per entry of ``weights`` (its name and
        a value per edge), dropped on leaving; its name is unique, so users do not collide.
        The columns go to the driver as numpy arrays, which it packs value by value: as
        Python lists they took four times the memory (a boxed number each), and the client
        held 614 MB instead of 307 MB ranking all data at 1M edges."""
        name = f"kolmap-{uuid.uuid4().hex}"
        # The property names are kolmap's own (w0, w1, ...), never data; the values are
        # parameters.
        properties = ", ".join(f"{key}: $weights.{key}[k]" for key in weights)
        self.graph.run(
            "CALL () { UNWIND range(0, $n - 1) AS i RETURN i AS s, null AS t, null AS p "
            "UNION ALL UNWIND range(0, size($src) - 1) AS k "
            f"RETURN $src[k] AS s, $dst[k] AS t, {{{properties}}} AS p }} "
            "WITH gds.graph.project($name, s, t, {relationshipProperties: "
            "CASE WHEN t IS NULL THEN null ELSE p END}, $config) AS g "
            "RETURN g.nodeCount AS nodes",
            n=n,
            src=src,
            dst=dst,
            weights=dict(weights),
            name=name,
            config=dict(config),
        )
        try:
            yield name
        finally:
            self._drop(name)

    def _drop(self, name: str) -> None:
        self.graph.run("CALL gds.graph.drop($name, false) YIELD graphName", name=name)

    def _values(self, call: str, name: str, size: int, **params: Any) -> np.ndarray:
        values = np.zeros(size)
        for node, value in self.graph.run_values(
            f"CALL {call} RETURN nodeId, value", name=name, **params
        ):
            if 0 <= node < size:
                values[node] = value
        return values

    def pageranks(
        self, n: int, src: Any, dst: Any, weights: Any, resets: Sequence[Any], *, damping: float
    ) -> list[np.ndarray]:
        """The runs' edges are projected once, with one weight property per run (``w0``,
        ``w1``, ...); each run has its own jump node (``n + run``) whose edges carry the
        run's jump weights in the same property. For each run GDS filters, on the server,
        the edges weighing more than 0 in its property (the others are not in that run:
        the other runs' jump edges among them), and runs PageRank jumping to its jump node."""
        columns = np.asarray(weights, dtype=np.float64).reshape(len(src), len(resets))
        sources = [np.asarray(src, dtype=np.int64)]
        targets = [np.asarray(dst, dtype=np.int64)]
        blocks = [columns]
        for run, reset in enumerate(resets):
            jump = np.ones(n) if reset is None else np.asarray(reset, dtype=np.float64)
            to = np.flatnonzero(jump > 0)
            block = np.zeros((len(to), len(resets)))
            block[:, run] = jump[to]
            sources.append(np.full(len(to), n + run, dtype=np.int64))
            targets.append(to)
            blocks.append(block)
        every = np.concatenate(blocks)
        keys = [f"w{run}" for run in range(len(resets))]
        found: list[np.ndarray] = []
        with self._projected(
            n + len(resets),
            np.concatenate(sources),
            np.concatenate(targets),
            {key: np.ascontiguousarray(every[:, run]) for run, key in enumerate(keys)},
            {},
        ) as projected:
            for run, key in enumerate(keys):
                name = f"{projected}-{key}"
                self.graph.run(
                    "CALL gds.graph.filter($name, $projected, '*', $predicate) "
                    "YIELD graphName RETURN graphName",
                    name=name,
                    projected=projected,
                    predicate=f"r.{key} > 0.0",
                )
                try:
                    values = self._values(
                        "gds.pageRank.stream($name, {relationshipWeightProperty: $key, "
                        "dampingFactor: $damping, sourceNodes: [$source], "
                        "tolerance: $tolerance, maxIterations: $passes, concurrency: 1}) "
                        "YIELD nodeId, score AS value",
                        name,
                        n,
                        key=key,
                        damping=damping,
                        source=n + run,
                        tolerance=_TOLERANCE,
                        passes=_MAX_ITERATIONS,
                    )
                finally:
                    self._drop(name)
                total = float(values.sum())
                found.append(values / total if total > 0 else values)
        return found

    def leiden(
        self, n: int, src: Any, dst: Any, weight: Any, *, seed: int, resolution: float
    ) -> np.ndarray:
        if len(src) == 0:  # no edges: every node alone (GDS refuses a graph without any)
            return np.arange(n, dtype=np.int64)
        undirected = {"undirectedRelationshipTypes": ["*"]}
        s, d, w = _columns(src, dst, weight)
        with self._projected(n, s, d, {"weight": w}, undirected) as name:
            values = self._values(
                "gds.leiden.stream($name, {relationshipWeightProperty: 'weight', "
                "gamma: $resolution, randomSeed: $seed, concurrency: 1}) "
                "YIELD nodeId, communityId AS value",
                name,
                n,
                resolution=resolution,
                seed=seed,
            )
        return values.astype(np.int64)


def server_engine(graph: Neo4jGraph, wanted: bool = True) -> tuple[GdsEngine | None, str]:
    """The engine of ``graph``'s server and a sentence for the user: GDS when the server has
    it and ``wanted`` (the ``neo4j.server_algorithms`` setting), else None (this process)
    and why."""
    if not wanted:
        return None, "Graph algorithms run in this process (neo4j.server_algorithms is off)."
    found = graph.run_values("RETURN gds.version()") if graph.has_gds() else []
    if not found:
        return None, (
            "The Neo4j server has no Graph Data Science plugin: PageRank and Leiden run in "
            "this process, on the scope's projection."
        )
    engine = GdsEngine(graph, str(found[0][0]))
    return engine, f"PageRank and Leiden computed by {engine.name}."


def _columns(src: Any, dst: Any, weight: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges as three arrays, as the driver sends them."""
    return (
        np.asarray(src, dtype=np.int64),
        np.asarray(dst, dtype=np.int64),
        np.asarray(weight, dtype=np.float64),
    )


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
