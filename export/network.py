"""The area map as a graph file: GEXF (Gephi), GraphML and JSON node-link.

``graph_bytes`` serialises a map built by :func:`kolmap.views.maps.build_map` (GEXF carries
colour, size and position as viz attributes; GraphML carries the colour as r, g, b);
``check_graph_file`` re-parses a written file before it is put in place.

>>> import networkx as nx
>>> g = nx.DiGraph(); g.add_node("a", colour="#1f77b4", size=5.0, x=0.0, y=0.0)
>>> b"<gexf" in graph_bytes(g, "gexf")
True
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import networkx as nx

__all__ = ["check_graph_file", "graph_bytes", "write_graph"]


def graph_bytes(graph: nx.DiGraph, fmt: str) -> bytes:
    """Serialise the map as ``gexf``, ``graphml`` or ``json`` (node-link)."""
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "gexf":
        with_viz = graph.copy()
        for _node, attrs in with_viz.nodes(data=True):
            r, g, b = (int(attrs["colour"][i : i + 2], 16) for i in (1, 3, 5))
            attrs["viz"] = {
                "color": {"r": r, "g": g, "b": b, "a": 1.0},
                "size": attrs["size"],
                "position": {"x": attrs["x"], "y": attrs["y"], "z": 0.0},
            }
        nx.write_gexf(with_viz, buffer, version="1.2draft")
    elif fmt == "graphml":
        plain = graph.copy()
        for _node, attrs in plain.nodes(data=True):
            attrs["r"], attrs["g"], attrs["b"] = (
                int(attrs["colour"][i : i + 2], 16) for i in (1, 3, 5)
            )
        nx.write_graphml(plain, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return buffer.getvalue()


def check_graph_file(path: Path, fmt: str, expected: Mapping[str, int]) -> None:
    """Re-parse a written graph file; raise if it is not well-formed or lost nodes/edges."""
    if fmt == "json":
        data = json.loads(path.read_text("utf-8"))
        got = {"nodes": len(data["nodes"]), "edges": len(data["links"])}
    else:
        ElementTree.parse(path)
        g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        got = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    if got != dict(expected):
        raise ValueError(f"{path.name}: re-read {got}, wrote {dict(expected)}")


def write_graph(fh: IO[bytes], graph: nx.DiGraph, fmt: str) -> None:
    fh.write(graph_bytes(graph, fmt))
