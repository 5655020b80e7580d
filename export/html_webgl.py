"""The large-map page: sigma.js (WebGL) with graphology, inlined, for maps of thousands of nodes.

:func:`~kolmap.export.html_map.render_html` uses it above
:data:`~kolmap.export.html_map.WEBGL_THRESHOLD` nodes; vis-network (an SVG-like canvas with a
DOM item per node) cannot lay out or draw tens of thousands of nodes, sigma.js draws them with
WebGL. Positions still come from kolmap (:func:`~kolmap.views.maps.build_map`); the page only
draws them.

The same rules as the small page hold: social data never becomes markup. The data travels as
JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped; node
labels are drawn by sigma on a canvas (``fillText``), and the hover tooltip, the details panel,
the legend and the search matches are filled with ``textContent``.

The JSON is compact (columns rather than one object per node, strings that repeat stored once,
coordinates rounded to 0.1 on a ±1000 layout): about 10 % of what the small page's format takes
for the same map. Its shape, ``compact_data``'s output:

- ``ids``: node ids (``0`` where the id is the label), ``names``: labels, ``x``, ``y``,
  ``size`` (the map's 5–50 scale), ``group``: index into the legend entries, ``colour``: index
  into ``colours``;
- ``cols``: the details-panel attributes, each ``{"k": name}`` plus ``"c"`` (one value for
  every node), or ``"t"`` (a table of strings) and ``"i"`` (an index per node, -1 when
  missing), or ``"v"`` (a value per node, ``null`` when missing, ``0`` for a string equal to
  the label);
- ``edges``: ``[source, target, relations, ...]`` flattened (node indices and an index into
  ``relations``, the comma-joined relation types of the pair), ``weights`` and ``counts``.

>>> g = nx.DiGraph()
>>> g.add_node("x:1", label="a<b", role="hcp", area="onco", x=1.04, y=-2, size=5, colour="#1f77b4")
>>> g.add_node("x:2", label="c", role="hcp", area="onco", x=3, y=4, size=50, colour="#1f77b4")
>>> g.add_edge("x:1", "x:2", relation="mention", relations="follow,mention", weight=2, count=3)
>>> data = compact_data(g)
>>> data["names"], data["x"], data["edges"], data["relations"], data["types"]
(['a<b', 'c'], [1.0, 3.0], [0, 1, 0], ['follow,mention'], ['follow', 'mention'])
>>> [c for c in data["cols"] if c["k"] == "area"]
[{'k': 'area', 'c': 'onco'}]
>>> "a<b" in render_webgl_html(g, title="t"), "a\\\\u003cb" in render_webgl_html(g, title="t")
(False, True)
"""

from __future__ import annotations

import html
import re
from importlib import resources
from typing import Any

import networkx as nx

from kolmap.export.html_map import legend, script_json

__all__ = ["RELATION_TYPES", "compact_data", "render_webgl_html"]

# The relation types in the order the edge filter lists them; others found on a map follow.
RELATION_TYPES = ("follow", "mention", "repost", "reply", "quote")
_NOT_DETAILS = ("x", "y", "colour")
_MARKER = re.compile("@(TITLE|DATA|GRAPHOLOGY|SIGMA|SCRIPT)@")
_TABLE_LIMIT = 4096  # a string column with at most this many distinct values becomes a table


def _asset(name: str, *, script: bool = True) -> str:
    """A file of ``assets/``; a ``script`` cannot close the ``<script>`` element holding it."""
    text = resources.files("kolmap.export").joinpath(f"assets/{name}").read_text("utf-8")
    return text.replace("</script", "<\\/script") if script else text


def compact_data(graph: nx.DiGraph, profile_link: str | None = None) -> dict[str, Any]:
    """The map as the WebGL page reads it (see the module's documentation)."""
    mode, groups, entries = legend(graph)
    group_index = {e["key"]: i for i, e in enumerate(entries)}
    index: dict[Any, int] = {}
    ids: list[Any] = []
    names: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    sizes: list[float] = []
    group: list[int] = []
    colour: list[int] = []
    colours: dict[str, int] = {}
    keys: dict[str, None] = {}
    for i, (node_id, attrs) in enumerate(graph.nodes(data=True)):
        index[node_id] = i
        name = str(attrs.get("label", node_id))
        names.append(name)
        ids.append(0 if str(node_id) == name else str(node_id))
        xs.append(round(float(attrs.get("x", 0)), 1))
        ys.append(round(float(attrs.get("y", 0)), 1))
        sizes.append(round(float(attrs.get("size", 10)), 1))
        group.append(group_index[groups[str(node_id)]])
        colour.append(colours.setdefault(str(attrs.get("colour", "#999999")), len(colours)))
        keys.update(dict.fromkeys(k for k in attrs if k not in _NOT_DETAILS))
    nodes = list(graph.nodes(data=True))
    cols = [_column(key, [a.get(key) for _n, a in nodes], names) for key in keys]
    relations: dict[str, int] = {}
    flat: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    for u, v, attrs in graph.edges(data=True):
        rel = str(attrs.get("relations", attrs.get("relation", "")))
        flat += (index[u], index[v], relations.setdefault(rel, len(relations)))
        weights.append(round(float(attrs.get("weight", 1.0)), 3))
        counts.append(int(attrs.get("count", 1)))
    found = {t for combo in relations for t in combo.split(",") if t}
    types = [t for t in RELATION_TYPES if t in found] + sorted(found - set(RELATION_TYPES))
    return {
        "ids": ids,
        "names": names,
        "x": xs,
        "y": ys,
        "size": sizes,
        "group": group,
        "colour": colour,
        "colours": list(colours),
        "cols": cols,
        "edges": flat,
        "weights": weights,
        "counts": counts,
        "relations": list(relations),
        "types": types,
        "legend": {"mode": mode, "entries": entries},
        "profile": profile_link,
    }


def _column(key: str, values: list[Any], names: list[str]) -> dict[str, Any]:
    """One details attribute, stored the smallest of the ways the page reads."""
    present = [v for v in values if v is not None]
    if present and len(present) == len(values) and all(v == present[0] for v in present):
        return {"k": key, "c": present[0]}
    if present and all(isinstance(v, str) for v in present):
        table = list(dict.fromkeys(present))
        if len(table) <= _TABLE_LIMIT and len(table) * 4 <= len(values):
            where = {s: i for i, s in enumerate(table)}
            return {"k": key, "t": table, "i": [-1 if v is None else where[v] for v in values]}
        return {
            "k": key,
            "ref": 1,
            "v": [0 if v is not None and v == n else v for v, n in zip(values, names, strict=True)],
        }
    return {"k": key, "v": values}


def render_webgl_html(graph: nx.DiGraph, *, title: str, profile_link: str | None = None) -> str:
    """The WebGL page as one string (vendored sigma.js and graphology inlined)."""
    parts = {
        "TITLE": html.escape(title),
        "DATA": script_json(compact_data(graph, profile_link)),
        "GRAPHOLOGY": _asset("graphology.umd.min.js"),
        "SIGMA": _asset("sigma.min.js"),
        "SCRIPT": _asset("kolmap-webgl.js"),
    }
    # One pass over the template's markers, so nothing inserted can be taken for a marker.
    pieces = _MARKER.split(_asset("kolmap-webgl.html", script=False))
    return "".join(parts[p] if i % 2 else p for i, p in enumerate(pieces))
