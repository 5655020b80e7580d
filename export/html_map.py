"""A standalone, offline, interactive HTML map of an area (vis-network inlined).

The page needs no network: the vis-network library is embedded from ``assets/``. Social data
never becomes markup: nodes and edges travel as JSON inside a ``<script type="application/json">``
block (with ``<``, ``>`` and ``&`` escaped), tooltips are plain strings (vis-network shows them
as text), and the details panel, the legend and the search matches are filled with
``textContent``. Layout positions come precomputed, so the page opens instantly even for
thousands of nodes.

The legend follows the colouring :func:`~kolmap.views.maps.build_map` chose (read back from the
node colours): one entry per role, or per community (the largest ones in their own colours,
the rest, and those too small for the Communities page, as "other / small communities"), each
with its number of accounts; unticking an entry hides its nodes. The search box lists the
matching accounts, an exact name first and then the largest nodes, and says so when none
matches.

In the app the page runs in Streamlit's sandboxed ``srcdoc`` iframe, which may not navigate the
app's window. "Open profile" therefore moves the app the way its back and forward buttons do
(``history.pushState`` then a ``popstate`` event in the app's window, reachable because the
iframe is same-origin); where that window is out of reach the link opens a new tab instead.

>>> page = render_html(__import__("networkx").DiGraph(), title="<b>t</b>")
>>> "<b>t</b>" in page, "&lt;b&gt;t&lt;/b&gt;" in page
(False, True)
"""

from __future__ import annotations

import html
import json
from collections import Counter
from importlib import resources
from typing import Any

import networkx as nx

from kolmap.views.maps import COMMUNITY_COLOURS, ROLE_COLOURS, community_colour

__all__ = ["WEBGL_THRESHOLD", "legend", "render_html", "script_json"]


# Maps with more nodes than this use the WebGL page (sigma.js, :mod:`kolmap.export.html_webgl`):
# vis-network draws a few thousand nodes smoothly, not tens of thousands. (5,000 keeps the
# bundled sample's all-accounts map, about 3,000, on the vis-network page it always had.)
WEBGL_THRESHOLD = 5000
RENDERERS = ("auto", "vis", "webgl")
_LABELLED = 50  # the most influential accounts carry a label; the rest show it on hover
_OTHER = "other"


def script_json(data: Any) -> str:
    """``data`` as JSON that cannot close the ``<script>`` element holding it."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _role_colour(role: str) -> str:
    return ROLE_COLOURS.get(role, ROLE_COLOURS["unknown"])


def _listed(graph: nx.DiGraph) -> int | None:
    """How many communities have a colour and an entry of their own beside the palette's
    limit (:func:`~kolmap.views.maps.listed_communities`, kept by ``build_map``)."""
    listed = graph.graph.get("listed_communities")
    return int(listed) if listed is not None else None


def _colour_mode(graph: nx.DiGraph) -> str:
    """``community`` when every node wears its community's colour, else ``role``."""
    nodes = list(graph.nodes(data=True))
    listed = _listed(graph)
    by_community = nodes and all(
        isinstance(a.get("community"), int)
        and a.get("colour") == community_colour(a["community"], listed)
        and a.get("colour") != _role_colour(str(a.get("role", "unknown")))
        for _n, a in nodes
    )
    return "community" if by_community else "role"


def legend(graph: nx.DiGraph) -> tuple[str, dict[str, str], list[dict[str, Any]]]:
    """The colouring mode, each node's legend group and the legend entries.

    An entry has the group ``key``, its ``colour``, a ``label`` and the ``count`` of accounts on
    the map: roles in :data:`ROLE_COLOURS` order, or communities by number (their size rank in
    the scope), the ones past the palette and those too small for the Communities page (the
    graph's ``listed_communities``) merged into one "other / small communities" entry.

    >>> g = nx.DiGraph(listed_communities=30)
    >>> g.add_node("a", role="hcp", community=0, colour=community_colour(0, 30))
    >>> g.add_node("b", role="hcp", community=40, colour=community_colour(40, 30))
    >>> mode, groups, entries = legend(g)
    >>> mode, groups
    ('community', {'a': '0', 'b': 'other'})
    >>> [e["label"] for e in entries]
    ['community 0 · 1 account', 'other / small communities (1) · 1 account']
    """
    mode = _colour_mode(graph)
    listed = _listed(graph)
    own = len(COMMUNITY_COLOURS) if listed is None else min(listed, len(COMMUNITY_COLOURS))
    groups: dict[str, str] = {}
    colours: dict[str, str] = {}
    for node_id, attrs in graph.nodes(data=True):
        if mode == "community":
            community = int(attrs["community"])
            key = str(community) if 0 <= community < own else _OTHER
            colours[key] = community_colour(community, listed)
        else:
            key = str(attrs.get("role", "unknown"))
            colours[key] = _role_colour(key)
        groups[str(node_id)] = key
    counts = Counter(groups.values())
    if mode == "community":
        order = sorted((k for k in counts if k != _OTHER), key=int)
        order += [_OTHER] if _OTHER in counts else []
        others = len(
            {a["community"] for n, a in graph.nodes(data=True) if groups[str(n)] == _OTHER}
        )
        names = {k: f"community {k}" for k in order}
        names[_OTHER] = f"other / small communities ({others})"
    else:
        order = [r for r in ROLE_COLOURS if r in counts]
        order += sorted(r for r in counts if r not in ROLE_COLOURS)
        names = {k: k for k in order}
    entries = [
        {
            "key": key,
            "colour": colours[key],
            "label": f"{names[key]} · {counts[key]:,} account{'s' if counts[key] != 1 else ''}",
            "count": counts[key],
        }
        for key in order
    ]
    return mode, groups, entries


def render_html(
    graph: nx.DiGraph, *, title: str, profile_link: str | None = None, renderer: str = "auto"
) -> str:
    """The whole page as one string.

    ``profile_link`` (for the app) adds an "Open profile" link to the details panel of
    accounts shown by name: ``profile_link`` + the URL-encoded ``platform:account_id``.
    ``renderer``: ``vis`` (vis-network), ``webgl`` (sigma.js) or ``auto``, WebGL above
    :data:`WEBGL_THRESHOLD` nodes.
    """
    if renderer not in RENDERERS:
        raise ValueError(f"renderer must be one of {', '.join(RENDERERS)}, got {renderer!r}")
    if renderer == "webgl" or (renderer == "auto" and graph.number_of_nodes() > WEBGL_THRESHOLD):
        from kolmap.export.html_webgl import render_webgl_html

        return render_webgl_html(graph, title=title, profile_link=profile_link)
    library = (
        resources.files("kolmap.export").joinpath("assets/vis-network.min.js").read_text("utf-8")
    )
    mode, groups, entries = legend(graph)
    nodes = []
    sizes = sorted((attrs.get("size", 0) for _n, attrs in graph.nodes(data=True)), reverse=True)
    label_from = sizes[min(len(sizes), _LABELLED) - 1] if sizes else 0
    for node_id, attrs in graph.nodes(data=True):
        tooltip = "\n".join(
            f"{k}: {attrs[k]}"
            for k in (
                "label",
                "display_name",
                "role",
                "specialty",
                "score",
                "influence",
                "community",
                "followers",
            )
            if k in attrs
        )
        nodes.append(
            {
                "id": node_id,
                "label": attrs.get("label", node_id) if attrs.get("size", 0) >= label_from else "",
                "name": attrs.get("label", node_id),
                "title": tooltip,
                "x": attrs.get("x", 0),
                "y": attrs.get("y", 0),
                "size": attrs.get("size", 10),
                "color": attrs.get("colour", "#999999"),
                "group": groups[str(node_id)],
                "details": {k: v for k, v in attrs.items() if k not in ("x", "y", "colour")},
            }
        )
    edges = [
        {
            "from": u,
            "to": v,
            "value": attrs.get("weight", 1.0),
            "title": f"{attrs.get('relations', '')} × {attrs.get('count', 1)}",
        }
        for u, v, attrs in graph.edges(data=True)
    ]
    data = {
        "nodes": nodes,
        "edges": edges,
        "legend": {"mode": mode, "entries": entries},
        "profile": profile_link,
    }
    return _TEMPLATE.format(
        title=html.escape(title),
        library=library.replace("</script", "<\\/script"),
        data=script_json(data),
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';
               img-src data:">
<title>{title}</title>
<style>
  body {{ margin: 0; font: 14px system-ui, sans-serif; display: flex; height: 100vh; }}
  #map {{ flex: 1; background: #fcfcfc; }}
  aside {{ width: 300px; padding: 12px; border-left: 1px solid #ddd; overflow: auto; }}
  h1 {{ font-size: 16px; margin: 0 0 8px; }}
  h2 {{ font-size: 13px; margin: 10px 0 4px; color: #444; }}
  input[type=search] {{ width: 100%; box-sizing: border-box; padding: 6px; margin: 6px 0 2px; }}
  #matches {{ list-style: none; margin: 0; padding: 0; }}
  #matches button {{ width: 100%; text-align: left; border: 0; background: none; padding: 3px 4px;
                     font: inherit; cursor: pointer; overflow: hidden; text-overflow: ellipsis;
                     white-space: nowrap; }}
  #matches button:hover, #matches button.current {{ background: #eef3fb; }}
  #search-status {{ margin: 2px 0 6px; }}
  .legend label {{ display: block; padding-left: 16px; text-indent: -16px;
                   overflow-wrap: anywhere; }}
  .swatch {{ display: inline-block; width: 10px; height: 10px; border-radius: 5px;
             margin-right: 6px; }}
  dl {{ margin: 8px 0; }} dt {{ font-weight: 600; }}
  dd {{ margin: 0 0 6px; word-break: break-word; }}
  .note {{ color: #666; font-size: 12px; }}
</style>
</head>
<body>
<div id="map"></div>
<aside>
  <h1>{title}</h1>
  <input id="search" type="search" placeholder="Find an account…" aria-label="Find an account"
         autocomplete="off">
  <p class="note" id="search-status" role="status"></p>
  <ol id="matches" aria-label="Matching accounts"></ol>
  <h2 id="legend-title"></h2>
  <div class="legend" id="legend"></div>
  <dl id="details"></dl>
  <p class="note">Node size: influence in the scope (or the score, if chosen). Private
  individuals are shown as pseudonyms. Made with kolmap.</p>
</aside>
<script type="application/json" id="graph-data">{data}</script>
<script>{library}</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var hidden = {{}};
  var boxes = {{}};
  var nodes = new vis.DataSet(data.nodes.map(function (n) {{
    return {{ id: n.id, label: n.label, name: n.name, title: n.title, x: n.x, y: n.y, size: n.size,
             color: n.color, group: n.group, details: n.details, shape: "dot" }};
  }}));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {{
    return {{ id: i, from: e.from, to: e.to, value: e.value, title: e.title,
             arrows: "to", color: {{ opacity: 0.35 }} }};
  }}));
  var view = new vis.DataView(nodes, {{ filter: function (n) {{ return !hidden[n.group]; }} }});
  var network = new vis.Network(document.getElementById("map"), {{ nodes: view, edges: edges }}, {{
    physics: false, interaction: {{ hover: true, tooltipDelay: 120 }},
    // Labels on a light box (where they overlap, the one drawn last stays readable), and the
    // selected or hovered account's label larger, drawn over its neighbours'.
    nodes: {{ font: {{ size: 12, background: "rgba(255,255,255,0.8)" }},
             chosen: {{ label: function (v) {{ v.size = 16; }} }} }},
    edges: {{ smooth: false, scaling: {{ min: 1, max: 6 }} }}
  }});
  network.fit({{ animation: false }});

  // Legend: the groups the nodes are coloured by; unticking one hides its nodes.
  var legend = document.getElementById("legend");
  document.getElementById("legend-title").textContent =
    data.legend.mode === "community" ? "Communities (0: the largest in the scope)" : "Roles";
  data.legend.entries.forEach(function (entry) {{
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = entry.key;
    box.addEventListener("change", function () {{
      hidden[entry.key] = !box.checked; view.refresh();
    }});
    boxes[entry.key] = box;
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = entry.colour;
    label.dataset.colour = entry.colour;
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(document.createTextNode(entry.label));
    legend.appendChild(label);
  }});

  // "Open profile": the app's window when it is reachable (same origin), else a new tab.
  function openInApp(url) {{
    try {{
      var app = window.parent;
      if (!app || app === window) return false;
      var target = new URL(url, app.location.href);
      if (target.origin !== app.location.origin) return false;
      app.history.pushState(null, "", target.href);
      app.dispatchEvent(new app.PopStateEvent("popstate", {{ state: null }}));
      return true;
    }} catch (err) {{
      return false;
    }}
  }}
  function profileLink(n) {{
    var link = document.createElement("a");
    link.href = data.profile + encodeURIComponent(n.id);
    link.target = "_blank"; link.rel = "noopener";
    link.textContent = "Open profile";
    link.addEventListener("click", function (ev) {{
      if (openInApp(link.href)) ev.preventDefault();
    }});
    return link;
  }}

  var details = document.getElementById("details");
  function show(id) {{
    details.replaceChildren();
    var n = nodes.get(id);
    if (!n) return;
    if (data.profile && n.details.identity === "named") details.appendChild(profileLink(n));
    Object.keys(n.details).forEach(function (k) {{
      var dt = document.createElement("dt"); dt.textContent = k;
      var dd = document.createElement("dd"); dd.textContent = String(n.details[k]);
      details.appendChild(dt); details.appendChild(dd);
    }});
  }}
  function select(id) {{
    var n = nodes.get(id);
    if (!n) return;
    if (hidden[n.group]) {{  // a match in a group the legend hides: show the group again
      hidden[n.group] = false; boxes[n.group].checked = true; view.refresh();
    }}
    network.selectNodes([id]); network.focus(id, {{ scale: 1.5 }}); show(id);
    Array.prototype.forEach.call(matchList.children, function (item) {{
      item.firstChild.classList.toggle("current", item.dataset.id === String(id));
    }});
  }}
  network.on("click", function (p) {{ if (p.nodes.length) show(p.nodes[0]); }});

  // Search: an exact name, handle or display name first, then the largest matching nodes.
  var SHOWN = 8;
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var matchList = document.getElementById("matches");
  function lower(value) {{ return value == null ? "" : String(value).toLowerCase(); }}
  function matches(q) {{
    var exact = [], partial = [];
    nodes.forEach(function (n) {{
      var names = [n.name, n.details.handle, n.details.display_name].map(lower);
      if (names.indexOf(q) >= 0) exact.push(n);
      else if (names.some(function (s) {{ return s.indexOf(q) >= 0; }})) partial.push(n);
    }});
    function larger(a, b) {{
      return (b.size - a.size) || ((b.details.influence || 0) - (a.details.influence || 0)) ||
        ((b.details.score || 0) - (a.details.score || 0)) ||
        (lower(a.name) < lower(b.name) ? -1 : lower(a.name) > lower(b.name) ? 1 : 0);
    }}
    return exact.sort(larger).concat(partial.sort(larger));
  }}
  var found = [];
  function list() {{
    var q = search.value.trim().toLowerCase();
    matchList.replaceChildren();
    found = q ? matches(q) : [];
    if (!q) {{ status.textContent = ""; return; }}
    if (!found.length) {{
      status.textContent = "No account matches \u201c" + search.value.trim() + "\u201d.";
      return;
    }}
    status.textContent = found.length === 1 ? "1 account matches:" : found.length +
      " accounts match" + (found.length > SHOWN ? ", the " + SHOWN + " largest:" : ":");
    found.slice(0, SHOWN).forEach(function (n) {{
      var item = document.createElement("li");
      item.dataset.id = String(n.id);
      var button = document.createElement("button");
      button.type = "button";
      var extra = [n.details.display_name, n.details.role].filter(function (v) {{ return v; }});
      button.textContent = String(n.name) + (extra.length ? " \u2014 " + extra.join(", ") : "");
      button.title = button.textContent;
      button.addEventListener("click", function () {{ select(n.id); }});
      item.appendChild(button);
      matchList.appendChild(item);
    }});
  }}
  search.addEventListener("input", list);
  search.addEventListener("keydown", function (ev) {{
    if (ev.key !== "Enter") return;
    list();
    if (found.length) select(found[0].id);
  }});
  window.kolmapMap = {{ network: network, nodes: nodes, view: view }};
}})();
</script>
</body>
</html>
"""
