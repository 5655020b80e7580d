"""The area map as a graph file: GEXF (Gephi), GraphML and JSON node-link.

``build_map`` turns a projection into a networkx graph ready for Gephi: one node per account
kept (the most influential of the scope, or all), with role, specialty, area, score,
influence, community, colour, size and precomputed layout positions; one edge per pair of
accounts with its dominant relation type, all its types, weight and count. Private
individuals appear only as pseudonyms. ``write_graph`` writes it after
characters that XML forbids were removed (and counted), and ``check_graph_file`` re-parses
the file before it is put in place.

>>> clean_xml_text("ok\\x00 \\x0c fine\\ud800"), xml_illegal_count("a\\x01b\\x02")
('ok  fine', 2)
"""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from kolmap.export.privacy import private_mask, pseudonym
from kolmap.graph.store import Projection
from kolmap.scoring.components import components_of, weighted_edges
from kolmap.scoring.rank import RankKind, rank
from kolmap.settings import ScoringSettings

__all__ = [
    "ROLE_COLOURS",
    "MapResult",
    "build_map",
    "clean_xml_text",
    "graph_bytes",
    "xml_illegal_count",
]

ROLE_COLOURS = {
    "hcp": "#1f77b4",
    "researcher": "#17becf",
    "patient": "#ff7f0e",
    "organisation": "#2ca02c",
    "brand": "#d62728",
    "media": "#9467bd",
    "public": "#7f7f7f",
    "unknown": "#c7c7c7",
}
_COMMUNITY_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]
_XML_ILLEGAL = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (controls, lone surrogates, U+FFFE)."""
    return _XML_ILLEGAL.sub("", text)


def xml_illegal_count(text: str) -> int:
    return len(_XML_ILLEGAL.findall(text))


@dataclass
class MapResult:
    """The graph to export and what was done to make it safe."""

    graph: nx.DiGraph
    removed_characters: int
    pseudonymised: int


def build_map(
    projection: Projection,
    kind: RankKind | str,
    settings: ScoringSettings,
    *,
    top: int | None = 500,
    colour_by: str = "role",
    size_by: str = "influence",
    key: bytes | None = None,
    seed: int = 42,
    components: pd.DataFrame | None = None,
) -> MapResult:
    """Build the export graph; ``key=None`` keeps private individuals' identities.

    ``components`` are those of ``projection`` when the caller has them already.

    Node size follows ``size_by``: ``influence`` (PageRank in the scope, every account) or
    ``score`` (the ranking's score; accounts that are not candidates of ``kind`` stay small).
    """
    if size_by not in ("influence", "score"):
        raise ValueError(f"size_by must be influence or score, got {size_by!r}")
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    nodes = projection.nodes
    comp = components_of(projection, settings, components)
    ranking = rank(projection, kind, settings, components=comp)
    scores = {
        (str(p), str(a)): float(v)
        for p, a, v in zip(
            ranking["platform"], ranking["account_id"], ranking["score"], strict=True
        )
    }
    order = np.argsort(-comp["pagerank"].to_numpy(), kind="stable")
    keep = order if top is None else order[:top]
    keep = np.sort(keep)
    position = {int(old): new for new, old in enumerate(keep)}
    frame = weighted_edges(projection, settings, comp)
    frame = frame[frame["src"].isin(position) & frame["dst"].isin(position)]
    xy = _layout(
        len(keep),
        frame["src"].map(position).to_numpy(),
        frame["dst"].map(position).to_numpy(),
        seed,
    )
    private = (
        private_mask(nodes["role"], nodes["is_stub"])
        if key is not None
        else np.zeros(len(nodes), dtype=bool)
    )
    pagerank = comp["pagerank"].to_numpy()
    peak = float(pagerank[keep].max()) if len(keep) else 1.0
    area = projection.scope.area or "all"
    graph = nx.DiGraph(area=area, kind=kind.value, scope=projection.scope.describe())
    ids: dict[int, str] = {}
    removed = 0
    for new, old in enumerate(keep):
        row = nodes.iloc[old]
        platform, account_id = str(row["platform"]), str(row["account_id"])
        influence = 100.0 * pagerank[old] / peak if peak > 0 else 0.0
        community = int(comp["community"].iloc[old])
        colour = (
            ROLE_COLOURS.get(str(row["role"]), ROLE_COLOURS["unknown"])
            if colour_by == "role"
            else _COMMUNITY_COLOURS[community % len(_COMMUNITY_COLOURS)]
        )
        if private[old]:
            assert key is not None
            node_id = label = pseudonym(key, platform, account_id)
            attrs: dict[str, Any] = {"label": label, "platform": platform, "identity": "pseudonym"}
        else:
            node_id = f"{platform}:{account_id}"
            label = str(row["handle"]) if _present(row["handle"]) else account_id
            attrs = {
                "label": label,
                "platform": platform,
                "account_id": account_id,
                "identity": "public",
            }
            for column in ("handle", "display_name", "specialty"):
                if _present(row[column]):
                    attrs[column] = str(row[column])
            if _present(row["followers"]):
                attrs["followers"] = int(row["followers"])
        attrs.update(
            role=str(row["role"]),
            area=area,
            score=round(scores.get((platform, account_id), 0.0), 3),
            influence=round(influence, 3),
            community=community,
            colour=colour,
            size=round(
                5
                + 45
                * (influence if size_by == "influence" else scores.get((platform, account_id), 0.0))
                / 100,
                2,
            ),
            x=round(float(xy[new, 0]), 2),
            y=round(float(xy[new, 1]), 2),
        )
        for name, value in list(attrs.items()):
            if isinstance(value, str):
                removed += xml_illegal_count(value)
                attrs[name] = clean_xml_text(value)
        ids[int(old)] = node_id
        graph.add_node(node_id, **attrs)
    per_kind = frame.groupby(["src", "dst", "kind"], as_index=False).agg(
        w=("weight", "sum"), count=("count", "sum")
    )
    per_kind = per_kind.sort_values(
        ["src", "dst", "w", "kind"], ascending=[True, True, False, True]
    )
    for src, dst, kinds, weights, counts in _pairs(per_kind):
        graph.add_edge(
            ids[src],
            ids[dst],
            relation=kinds[0],  # "type" is reserved in GEXF (directed/undirected)
            relations=",".join(sorted(kinds)),
            weight=round(sum(weights), 4),
            count=sum(counts),
        )
    return MapResult(graph, removed, int(private[keep].sum()))


def _pairs(frame: pd.DataFrame) -> list[tuple[int, int, list[str], list[float], list[int]]]:
    """Group sorted (src, dst, kind) rows into one entry per pair, strongest kind first."""
    out: list[tuple[int, int, list[str], list[float], list[int]]] = []
    for src, dst, kind, w, count in zip(
        frame["src"].tolist(),
        frame["dst"].tolist(),
        frame["kind"].tolist(),
        frame["w"].tolist(),
        frame["count"].tolist(),
        strict=True,
    ):
        if out and out[-1][0] == src and out[-1][1] == dst:
            out[-1][2].append(str(kind))
            out[-1][3].append(float(w))
            out[-1][4].append(int(count))
        else:
            out.append((int(src), int(dst), [str(kind)], [float(w)], [int(count)]))
    return out


def _present(value: Any) -> bool:
    return (
        value is not None
        and value is not pd.NA
        and not (isinstance(value, float) and np.isnan(value))
        and str(value) != ""
    )


def _layout(n: int, src: np.ndarray, dst: np.ndarray, seed: int) -> np.ndarray:
    """Seeded positions scaled to about ±1000.

    Each connected component gets its own force-directed layout (Fruchterman-Reingold; DrL
    above 3,000 nodes), scaled by the square root of its size, and the components are packed
    in rows, largest first, so a few isolated accounts cannot squeeze the main network.
    """
    if n == 0:
        return np.zeros((0, 2))
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)), directed=False)
    coords = np.zeros((n, 2))
    pieces = []
    ig.set_random_number_generator(random.Random(seed))
    try:
        for members in sorted(graph.connected_components(), key=lambda c: (-len(c), c[0])):
            if len(members) == 1:
                local = np.zeros((1, 2))
            else:
                sub = graph.subgraph(members)
                layout = (
                    sub.layout_drl()
                    if len(members) > 3000
                    else sub.layout_fruchterman_reingold(niter=500)
                )
                local = np.asarray(layout.coords, dtype=np.float64)
                local -= local.min(axis=0)
                local /= max(float(local.max()), 1e-9)
            pieces.append((members, local * np.sqrt(len(members))))
    finally:
        ig.set_random_number_generator(random)
    row_width = max(np.sqrt(n) * 1.5, max(float(p[1][:, 0].max()) for p in pieces) + 1)
    x = y = row_height = 0.0
    for members, local in pieces:
        width = float(local[:, 0].max()) + 1.0
        height = float(local[:, 1].max()) + 1.0
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        coords[members] = local + np.array([x, y])
        x += width
        row_height = max(row_height, height)
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    span = float(np.abs(coords).max()) or 1.0
    return coords / span * 1000.0


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
