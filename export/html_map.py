"""A standalone, offline, interactive HTML map of an area (vis-network inlined).

The page needs no network: the vis-network library is embedded from ``assets/``. Social data
never becomes markup: nodes and edges travel as JSON inside a ``<script type="application/json">``
block (with ``<``, ``>`` and ``&`` escaped), tooltips are plain strings (vis-network shows them
as text), and the details panel is filled with ``textContent``. Layout positions come
precomputed, so the page opens instantly even for thousands of nodes.

>>> page = render_html(__import__("networkx").DiGraph(), title="<b>t</b>")
>>> "<b>t</b>" in page, "&lt;b&gt;t&lt;/b&gt;" in page
(False, True)
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

import networkx as nx

from kolmap.views.maps import ROLE_COLOURS

__all__ = ["render_html"]


_LABELLED = 50  # the most influential accounts carry a label; the rest show it on hover


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(graph: nx.DiGraph, *, title: str, profile_link: str | None = None) -> str:
    """The whole page as one string.

    ``profile_link`` (for the app) adds an "Open profile" link to the details panel of
    accounts shown by name: ``profile_link`` + the URL-encoded ``platform:account_id``.
    """
    library = (
        resources.files("kolmap.export").joinpath("assets/vis-network.min.js").read_text("utf-8")
    )
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
                "role": attrs.get("role", "unknown"),
                "details": {k: v for k, v in attrs.items() if k not in ("x", "y", "colour")},
            }
        )
    edges = [
        {
            "from": u,
            "to": v,
            "value": attrs.get("weight", 1.0),
            "title": f"{attrs.get('types', '')} × {attrs.get('count', 1)}",
        }
        for u, v, attrs in graph.edges(data=True)
    ]
    data = {"nodes": nodes, "edges": edges, "roles": ROLE_COLOURS, "profile": profile_link}
    return _TEMPLATE.format(
        title=html.escape(title),
        library=library.replace("</script", "<\\/script"),
        data=_script_json(data),
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
  input[type=search] {{ width: 100%; box-sizing: border-box; padding: 6px; margin: 6px 0; }}
  .legend label {{ display: block; }}
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
  <input id="search" type="search" placeholder="Find an account…" aria-label="Find an account">
  <div class="legend" id="legend"></div>
  <dl id="details"></dl>
  <p class="note">Node size: influence in the scope. Private individuals are shown as
  pseudonyms. Made with kolmap.</p>
</aside>
<script type="application/json" id="graph-data">{data}</script>
<script>{library}</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var hidden = {{}};
  var nodes = new vis.DataSet(data.nodes.map(function (n) {{
    return {{ id: n.id, label: n.label, name: n.name, title: n.title, x: n.x, y: n.y, size: n.size,
             color: n.color, role: n.role, details: n.details, shape: "dot" }};
  }}));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {{
    return {{ id: i, from: e.from, to: e.to, value: e.value, title: e.title,
             arrows: "to", color: {{ opacity: 0.35 }} }};
  }}));
  var view = new vis.DataView(nodes, {{ filter: function (n) {{ return !hidden[n.role]; }} }});
  var network = new vis.Network(document.getElementById("map"), {{ nodes: view, edges: edges }}, {{
    physics: false, interaction: {{ hover: true, tooltipDelay: 120 }},
    nodes: {{ font: {{ size: 12 }} }}, edges: {{ smooth: false, scaling: {{ min: 1, max: 6 }} }}
  }});
  network.fit({{ animation: false }});
  var legend = document.getElementById("legend");
  Object.keys(data.roles).forEach(function (role) {{
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () {{ hidden[role] = !box.checked; view.refresh(); }});
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = data.roles[role];
    label.appendChild(box); label.appendChild(swatch);
    label.appendChild(document.createTextNode(role));
    legend.appendChild(label);
  }});
  var details = document.getElementById("details");
  function show(id) {{
    details.replaceChildren();
    var n = nodes.get(id);
    if (!n) return;
    Object.keys(n.details).forEach(function (k) {{
      var dt = document.createElement("dt"); dt.textContent = k;
      var dd = document.createElement("dd"); dd.textContent = String(n.details[k]);
      details.appendChild(dt); details.appendChild(dd);
    }});
    if (data.profile && n.details.identity === "public") {{
      var link = document.createElement("a");
      link.href = data.profile + encodeURIComponent(n.id);
      link.target = "_top";
      link.textContent = "Open profile";
      details.appendChild(link);
    }}
  }}
  network.on("click", function (p) {{ if (p.nodes.length) show(p.nodes[0]); }});
  document.getElementById("search").addEventListener("change", function (ev) {{
    var q = ev.target.value.trim().toLowerCase();
    if (!q) return;
    var hit = nodes.get({{ filter: function (n) {{
      return String(n.name).toLowerCase().indexOf(q) >= 0;
    }} }})[0];
    if (hit) {{
      network.selectNodes([hit.id]); network.focus(hit.id, {{ scale: 1.5 }}); show(hit.id);
    }}
  }});
  window.kolmapMap = {{ network: network, nodes: nodes }};
}})();
</script>
</body>
</html>
"""
