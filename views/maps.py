"""The area map: the graph a person sees in the app, in Gephi or in the HTML page.

``build_map`` turns a projection into a networkx graph: one node per account kept (the most
influential of the scope, or all), with role, specialty, area, score, influence, community,
colour, size and precomputed layout positions; one edge per pair of accounts with its
dominant relation type, all its types, weight and count. Private individuals appear only as
pseudonyms unless the caller passes ``Privacy.revealed()``; text attributes lose the
characters XML forbids (counted), so every file format can carry them. The layout is seeded
and thread-safe (:func:`~kolmap.scoring.seeding.igraph_seeded`). ``kolmap.export.network``
writes the graph to files.

>>> clean_xml_text("ok\\x00 \\x0c fine\\ud800"), xml_illegal_count("a\\x01b\\x02")
('ok  fine', 2)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from kolmap.graph.store import Projection
from kolmap.scoring.components import components_of, weighted_edges
from kolmap.scoring.rank import RankKind, rank
from kolmap.scoring.seeding import igraph_seeded
from kolmap.settings import ScoringSettings
from kolmap.views.communities import COMMUNITY_MIN_SIZE
from kolmap.views.privacy import Privacy, private_mask

__all__ = [
    "COMMUNITY_COLOURS",
    "OTHER_COMMUNITIES",
    "ROLE_COLOURS",
    "MapResult",
    "build_map",
    "clean_xml_text",
    "community_colour",
    "listed_communities",
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
# Community colours: the communities are numbered by size in the scope (0 the largest), so the
# largest ones get these 21 distinct colours (Sasha Trubetskoy's "20 distinct colours" without
# beige, grey, white and black, plus three of Kenneth Kelly's; any two are at least 25 apart in
# CIELAB) and every smaller community shares OTHER_COMMUNITIES, a grey none of them uses (nor
# the role colours). A repeating palette would paint unrelated communities alike. So do the
# communities too small for the Communities page (under COMMUNITY_MIN_SIZE accounts in the
# scope): a colour and a number of their own would name a community the page does not list.
COMMUNITY_COLOURS = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#ffe119",
    "#469990",
    "#9a6324",
    "#800000",
    "#808000",
    "#000075",
    "#bfef45",
    "#c71585",
    "#0067a5",
    "#875692",
    "#fabed4",
    "#dcbeff",
    "#aaffc3",
    "#ffd8b1",
)
OTHER_COMMUNITIES = "#bdbdbd"
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
    privacy: Privacy | None = None,
    seed: int = 42,
    components: pd.DataFrame | None = None,
) -> MapResult:
    """Build the map of the ``top`` most influential accounts (all if None).

    ``privacy`` None protects private individuals with a throwaway key; pass the store's
    :class:`Privacy` for stable pseudonyms, or ``Privacy.revealed()`` to show them.
    ``components`` are those of ``projection`` when the caller has them already.
    Node size follows ``size_by``: ``influence`` (PageRank in the scope, every account) or
    ``score`` (the ranking's score; accounts that are not candidates of ``kind`` stay small).
    """
    if size_by not in ("influence", "score"):
        raise ValueError(f"size_by must be influence or score, got {size_by!r}")
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    privacy = privacy if privacy is not None else Privacy.ephemeral()
    comp = components_of(projection, settings, components)
    ranking = rank(projection, kind, settings, components=comp)
    scores = {
        (str(p), str(a)): float(v)
        for p, a, v in zip(
            ranking["platform"], ranking["account_id"], ranking["score"], strict=True
        )
    }
    order = np.argsort(-comp["pagerank"].to_numpy(), kind="stable")
    keep = np.sort(order if top is None else order[:top])
    position = {int(old): new for new, old in enumerate(keep)}
    listed = listed_communities(comp["community"])
    frame = weighted_edges(projection, settings, comp)
    frame = frame[frame["src"].isin(position) & frame["dst"].isin(position)]
    xy = _layout(
        len(keep),
        frame["src"].map(position).to_numpy(),
        frame["dst"].map(position).to_numpy(),
        seed,
    )
    nodes = projection.nodes
    private = (
        private_mask(nodes["role"], nodes["is_stub"])
        if privacy.protects
        else np.zeros(len(nodes), dtype=bool)
    )
    pagerank = comp["pagerank"].to_numpy()
    peak = float(pagerank[keep].max()) if len(keep) else 1.0
    area = projection.scope.area or "all"
    graph = nx.DiGraph(
        area=area,
        kind=kind.value,
        scope=projection.scope.describe(),
        listed_communities=listed,
    )
    ids: dict[int, str] = {}
    removed = 0
    for new, old in enumerate(keep):
        row = nodes.iloc[old]
        platform, account_id = str(row["platform"]), str(row["account_id"])
        influence = 100.0 * pagerank[old] / peak if peak > 0 else 0.0
        community = int(comp["community"].iloc[old])
        score = scores.get((platform, account_id), 0.0)
        attrs = _identity(row, privacy if private[old] else None)
        attrs.update(
            role=str(row["role"]),
            area=area,
            score=round(score, 3),
            influence=round(influence, 3),
            community=community,
            colour=_colour(str(row["role"]), community, colour_by, listed),
            size=round(5 + 45 * (influence if size_by == "influence" else score) / 100, 2),
            x=round(float(xy[new, 0]), 2),
            y=round(float(xy[new, 1]), 2),
        )
        for name, value in list(attrs.items()):
            if isinstance(value, str):
                removed += xml_illegal_count(value)
                attrs[name] = clean_xml_text(value)
        ids[int(old)] = node_id = attrs.pop("id")
        graph.add_node(node_id, **attrs)
    _add_edges(graph, frame, ids)
    return MapResult(graph, removed, int(private[keep].sum()))


def _identity(row: pd.Series, privacy: Privacy | None) -> dict[str, Any]:
    """The node id and identifying attributes: a pseudonym only (``privacy`` given), or the
    account as it is."""
    platform, account_id = str(row["platform"]), str(row["account_id"])
    if privacy is not None:
        label = privacy.pseudonym(platform, account_id)
        return {"id": label, "label": label, "platform": platform, "identity": "pseudonym"}
    attrs: dict[str, Any] = {
        "id": f"{platform}:{account_id}",
        "label": str(row["handle"]) if _present(row["handle"]) else account_id,
        "platform": platform,
        "account_id": account_id,
        "identity": "named",
    }
    for column in ("handle", "display_name", "specialty"):
        if _present(row[column]):
            attrs[column] = str(row[column])
    if _present(row["followers"]):
        attrs["followers"] = int(row["followers"])
    return attrs


def listed_communities(community: pd.Series | np.ndarray) -> int:
    """How many communities of a scope (each account's community number) have at least
    :data:`~kolmap.views.communities.COMMUNITY_MIN_SIZE` accounts: the ones the Communities
    page lists, numbered 0 to this count minus one (communities are numbered by decreasing
    size, :mod:`kolmap.scoring.communities`).

    >>> listed_communities(np.array([0, 0, 0, 1, 1, 1, 2, 3]))
    2
    """
    sizes = pd.Series(np.asarray(community)).value_counts()
    return int((sizes >= COMMUNITY_MIN_SIZE).sum())


def community_colour(community: int, listed: int | None = None) -> str:
    """The colour of ``community``: its own for the largest ones, a shared grey after them
    and, given ``listed`` (:func:`listed_communities`), for those too small to be listed.

    >>> community_colour(0), community_colour(len(COMMUNITY_COLOURS)) == OTHER_COMMUNITIES
    ('#e6194b', True)
    >>> community_colour(5, listed=5) == OTHER_COMMUNITIES
    True
    """
    own = len(COMMUNITY_COLOURS) if listed is None else min(listed, len(COMMUNITY_COLOURS))
    return COMMUNITY_COLOURS[community] if 0 <= community < own else OTHER_COMMUNITIES


def _colour(role: str, community: int, colour_by: str, listed: int | None = None) -> str:
    if colour_by == "role":
        return ROLE_COLOURS.get(role, ROLE_COLOURS["unknown"])
    return community_colour(community, listed)


def _add_edges(graph: nx.DiGraph, frame: pd.DataFrame, ids: dict[int, str]) -> None:
    """One edge per pair of kept accounts: its strongest relation type first."""
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


# Components larger than this are laid out by _multilevel_layout: DrL took minutes on 50,000
# nodes (5 min on the benchmark machine), the multilevel layout takes seconds. Smaller
# components keep the layout they always had, so their maps do not change.
LARGE_LAYOUT = 5000


def _multilevel_layout(sub: ig.Graph, seed: int) -> np.ndarray:
    """A fast layout of a large connected graph, in two levels (seeded by the caller's
    :func:`igraph_seeded` block and ``seed``).

    The graph's Louvain communities are contracted into one node each and that small graph is
    laid out (Fruchterman-Reingold, its edges weighted by the edges between communities); every
    account starts at its community's place, spread by the community's size, and a short
    grid-accelerated Fruchterman-Reingold over the whole graph, cool from the start so that the
    communities stay apart, settles each account among its neighbours.
    """
    n = sub.vcount()
    membership = np.asarray(sub.community_multilevel().membership)
    k = int(membership.max()) + 1
    sizes = np.bincount(membership, minlength=k).astype(np.float64)
    rng = np.random.default_rng(seed)
    if k > 1:
        quotient = sub.copy()
        quotient.es["weight"] = 1.0
        quotient.contract_vertices(membership.tolist())
        quotient.simplify(loops=True, combine_edges={"weight": "sum"})
        centre = np.asarray(
            quotient.layout_fruchterman_reingold(weights="weight", niter=500).coords,
            dtype=np.float64,
        )
        centre = _pull_in(centre, sizes)
    else:
        centre = np.zeros((1, 2))
    # Spread: the whole graph over about sqrt(n) units, each community over sqrt(its size).
    start = centre[membership] * np.sqrt(n) * 1.5
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.sqrt(sizes[membership]) * 0.5 * np.sqrt(rng.uniform(0, 1, n))
    start += np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None]
    layout = sub.layout_fruchterman_reingold(
        seed=start.tolist(), niter=100, start_temp=np.sqrt(n) / 50, grid="grid"
    )
    return _pull_in(np.asarray(layout.coords, dtype=np.float64), np.ones(n))


def _pull_in(xy: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``xy`` centred on its weighted median, scaled to about ±1 for the bulk (98 % of the
    weight), points further out pulled in logarithmically: a few loosely attached accounts
    must not push the rest of a large map into a corner."""
    centre = np.array([_weighted_quantile(xy[:, d], weight, 0.5) for d in (0, 1)])
    xy = xy - centre
    r = np.hypot(xy[:, 0], xy[:, 1])
    bulk = max(_weighted_quantile(r, weight, 0.98), 1e-9)
    far = r > bulk
    scale = np.ones_like(r)
    scale[far] = bulk * (1 + 0.25 * np.log(r[far] / bulk)) / r[far]
    out: np.ndarray = xy * scale[:, None] / bulk
    return out


def _weighted_quantile(values: np.ndarray, weight: np.ndarray, q: float) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weight[order])
    at = int(np.searchsorted(cumulative, q * cumulative[-1]))
    return float(values[order][min(at, len(values) - 1)])


def _layout(n: int, src: np.ndarray, dst: np.ndarray, seed: int) -> np.ndarray:
    """Seeded positions scaled to about ±1000.

    Each connected component gets its own force-directed layout (Fruchterman-Reingold; DrL
    above 3,000 nodes; :func:`_multilevel_layout` above :data:`LARGE_LAYOUT`), scaled by the
    square root of its size, and the components are packed in rows, largest first, so a few
    isolated accounts cannot squeeze the main network.
    """
    if n == 0:
        return np.zeros((0, 2))
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)), directed=False)
    coords = np.zeros((n, 2))
    pieces = []
    with igraph_seeded(seed):
        for members in sorted(graph.connected_components(), key=lambda c: (-len(c), c[0])):
            if len(members) == 1:
                local = np.zeros((1, 2))
            else:
                sub = graph.subgraph(members)
                if len(members) > LARGE_LAYOUT:
                    local = _multilevel_layout(sub, seed)
                else:
                    layout = (
                        sub.layout_drl()
                        if len(members) > 3000
                        else sub.layout_fruchterman_reingold(niter=500)
                    )
                    local = np.asarray(layout.coords, dtype=np.float64)
                local -= local.min(axis=0)
                local /= max(float(local.max()), 1e-9)
            pieces.append((members, local * np.sqrt(len(members))))
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
