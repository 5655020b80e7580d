"""What ranking on a Neo4j server with Graph Data Science needs at 1M to 1B edges: the heap
GDS itself estimates for kolmap's projections and algorithms.

Past what one machine here can generate and run, the sizes in docs/scale.md come from the
engine's own arithmetic rather than a guess: GDS's ``estimate`` mode computes, from a node
and relationship count alone (a "fictive graph"), the heap that projecting the graph and
running an algorithm on it takes. This asks the `make neo4j` server with GDS for the
projection kolmap makes of an area (directed, weighted endorsements), PageRank on it, and
Leiden on its undirected twin (relationships stored twice), with accounts in the proportion
of kolmap's generated worlds (144,431 accounts for 974,700 edges), and rewrites the table
between the markers of docs/scale.md.

    python benchmarks/gds_estimate.py [--out docs/scale.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # type: ignore[import-not-found]  # noqa: E402  (a sibling script)

ACCOUNTS_PER_EDGE = 144_431 / 974_700  # the 1M world of benchmarks/scale.py
SIZES = {"1M": 10**6, "10M": 10**7, "100M": 10**8, "1B": 10**9}
BEGIN, END = "<!-- gds-estimate:begin -->", "<!-- gds-estimate:end -->"

_FICTIVE = "{nodeCount: $nodes, relationshipCount: $rels, nodeProjection: '*', "
_PROJECT = (
    "CALL gds.graph.project.estimate('*', {R: {type: '*', properties: 'weight'%s}}, "
    "{nodeCount: $nodes, relationshipCount: $rels}) YIELD bytesMax RETURN bytesMax"
)
# What kolmap's GDS step holds (graph/neo4j/gds.py): the area's weighted endorsements
# projected twice (directed for PageRank and degree, undirected for Leiden), and one
# algorithm at a time. An algorithm's estimate on a fictive graph includes a graph of its
# own; only its "algorithm" part is counted.
PROJECTIONS = {
    "directed projection": _PROJECT % "",
    "undirected projection": _PROJECT % ", orientation: 'UNDIRECTED'",
}
ALGORITHMS = {
    "PageRank": (
        f"CALL gds.pageRank.stream.estimate({_FICTIVE}relationshipProjection: '*'}}, {{}}) "
        "YIELD mapView RETURN mapView"
    ),
    "Leiden": (
        f"CALL gds.leiden.stream.estimate({_FICTIVE}relationshipProjection: "
        "{R: {type: '*', orientation: 'UNDIRECTED'}}}, {}) YIELD mapView RETURN mapView"
    ),
}
_UNITS = {"Bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def upper_bytes(usage: str) -> int:
    """The upper end of a GDS memory range (``[27 GiB ... 66 GiB]`` or ``3405 MiB``).

    >>> upper_bytes("[27 GiB ... 66 GiB]") == 66 * 2**30, upper_bytes("40 Bytes")
    (True, 40)
    """
    value, unit = usage.strip("[]").split("...")[-1].split()
    return int(float(value) * _UNITS[unit])


def estimate(graph: Any) -> list[dict[str, Any]]:
    rows = []
    for label, rels in SIZES.items():
        nodes = round(rels * ACCOUNTS_PER_EDGE)
        row: dict[str, Any] = {"size": label, "edges": rels, "accounts": nodes}
        for name, query in PROJECTIONS.items():
            row[name] = graph.run(query, nodes=nodes, rels=rels)[0]["bytesMax"]
        for name, query in ALGORITHMS.items():
            parts = graph.run(query, nodes=nodes, rels=rels)[0]["mapView"]["components"]
            row[name] = upper_bytes(
                next(c for c in parts if c["name"] == "algorithm")["memoryUsage"]
            )
        row["total"] = sum(row[n] for n in PROJECTIONS) + max(row[n] for n in ALGORITHMS)
        rows.append(row)
    return rows


def _gib(value: int) -> str:
    return f"{value / 2**30:,.2f}" if value < 10 * 2**30 else f"{value / 2**30:,.0f}"


def table(rows: list[dict[str, Any]], version: str) -> str:
    names = [*PROJECTIONS, *ALGORITHMS, "total"]
    lines = [
        f"`benchmarks/gds_estimate.py` on {time.strftime('%Y-%m-%d')}, GDS {version} "
        f"(estimate mode, fictive graphs; upper ends of GDS's ranges, GiB). Machine: "
        f"{machine()}.",
        "",
        "| edges | accounts | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for r in rows:
        cells = " | ".join(_gib(r[n]) for n in names)
        lines.append(f"| {r['size']} | {r['accounts']:,} | {cells} |")
    lines += [
        "",
        "Total: both projections (kolmap holds them together) plus the larger algorithm (they "
        "run one after the other). The projections' figures are their peak while loading.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "docs" / "scale.md"))
    args = parser.parse_args()
    from kolmap.graph.neo4j.driver import Neo4jGraph

    password = (REPO / ".cache" / "neo4j" / "gds" / "password").read_text().strip()
    os.environ.setdefault("KOLMAP_NEO4J_PASSWORD", password)
    with Neo4jGraph.from_uri("bolt://127.0.0.1:17687", password=password) as graph:
        version = graph.run("RETURN gds.version() AS v")[0]["v"]
        text = table(estimate(graph), version)
    out = Path(args.out)
    doc = out.read_text(encoding="utf-8")
    head, _begin, rest = doc.partition(BEGIN)
    _old, _end, tail = rest.partition(END)
    if not _begin or not _end:
        raise SystemExit(f"{out}: no {BEGIN} ... {END} block to fill")
    out.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
