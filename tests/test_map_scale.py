"""Maps at scale: which page a map gets, the WebGL page's compact data, the large layout and the
HTML export's limits. (The WebGL page in a browser: test_browser_webgl.py.)"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from kolmap.errors import KolmapError
from kolmap.export import exporter
from kolmap.export.html_map import WEBGL_THRESHOLD, render_html
from kolmap.export.html_webgl import compact_data
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.views import maps
from kolmap.views.maps import ROLE_COLOURS, community_colour

RELATIONS = ("follow", "mention", "repost", "reply", "quote")
PAYLOAD = "<img src=x onerror=alert(1)>"


def synthetic_map(
    n: int, m: int, *, seed: int = 7, colour_by: str = "community", names: tuple[str, ...] = ()
) -> nx.DiGraph:
    """A map shaped like build_map's: clustered communities (sizes falling off like a
    power law), influence skewed, 80 % of the relations inside a community. ``names`` replace
    the first nodes' handles."""
    rnd = random.Random(seed)
    graph = nx.DiGraph(area="oncology")
    k = max(1, n // 200)
    centres = [(rnd.uniform(-900, 900), rnd.uniform(-900, 900)) for _ in range(k)]
    community: list[int] = []
    members: dict[int, list[int]] = {}
    roles = list(ROLE_COLOURS)
    for i in range(n):
        c = min(int(rnd.paretovariate(1.2)) - 1, k - 1)
        community.append(c)
        members.setdefault(c, []).append(i)
        influence = 100.0 if i == 0 else round(100 * rnd.random() ** 8, 3)
        role = roles[i % len(roles)]
        name = names[i] if i < len(names) else f"acct_{i}"
        graph.add_node(
            f"x:{i}",
            label=name,
            platform="x",
            account_id=str(i),
            identity="named",
            handle=name,
            display_name=f"Account {i}",
            role=role,
            area="oncology",
            score=round(rnd.random() * 100, 3),
            influence=influence,
            community=c,
            colour=community_colour(c) if colour_by == "community" else ROLE_COLOURS[role],
            size=round(5 + 45 * influence / 100, 2),
            x=round(centres[c][0] + rnd.gauss(0, 50), 2),
            y=round(centres[c][1] + rnd.gauss(0, 50), 2),
        )
    added = 0
    while added < m:
        u = rnd.randrange(n)
        v = rnd.choice(members[community[u]]) if rnd.random() < 0.8 else rnd.randrange(n)
        if u == v or graph.has_edge(f"x:{u}", f"x:{v}"):
            continue
        added += 1
        kinds = sorted(set(rnd.choices(RELATIONS, weights=[5, 3, 2, 1, 1], k=rnd.randint(1, 2))))
        graph.add_edge(
            f"x:{u}",
            f"x:{v}",
            relation=kinds[0],
            relations=",".join(kinds),
            weight=round(rnd.random() * 3, 4),
            count=rnd.randint(1, 5),
        )
    return graph


def decode(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The details of every node, read back as the page reads them."""
    out = []
    for i, name in enumerate(data["names"]):
        attrs: dict[str, Any] = {}
        for col in data["cols"]:
            if "c" in col:
                attrs[col["k"]] = col["c"]
            elif "t" in col:
                if col["i"][i] >= 0:
                    attrs[col["k"]] = col["t"][col["i"][i]]
            elif col["v"][i] is not None:
                attrs[col["k"]] = name if col.get("ref") and col["v"][i] == 0 else col["v"][i]
        out.append(attrs)
    return out


def page_data(page: str) -> dict[str, Any]:
    start = page.index('id="graph-data">') + len('id="graph-data">')
    return dict(json.loads(page[start : page.index("</script>", start)]))


def test_large_maps_get_the_webgl_page_and_small_ones_vis_network():
    small = synthetic_map(WEBGL_THRESHOLD, 10)
    large = synthetic_map(WEBGL_THRESHOLD + 1, 10)
    assert "new vis.Network" in render_html(small, title="t")
    page = render_html(large, title="t")
    assert "new Sigma(graph" in page and "vis.Network" not in page
    assert "new Sigma(graph" in render_html(small, title="t", renderer="webgl")
    assert "new vis.Network" in render_html(large, title="t", renderer="vis")
    with pytest.raises(ValueError):
        render_html(small, title="t", renderer="svg")


def test_webgl_page_is_offline_and_keeps_untrusted_text_out_of_markup():
    graph = synthetic_map(50, 100, names=(PAYLOAD, "</script><script>alert(2)</script>"))
    page = render_html(graph, title="<b>title</b>", renderer="webgl")
    assert PAYLOAD not in page and "</script><script>alert(2)" not in page
    assert "<b>title</b>" not in page and "&lt;b&gt;title&lt;/b&gt;" in page
    assert "http://" not in page.split('id="graph-data"')[0]  # no CDN, nothing fetched
    assert "src=" not in page.split("<script", 1)[0]
    assert page_data(page)["names"][:2] == [PAYLOAD, "</script><script>alert(2)</script>"]


def test_compact_data_reads_back_every_attribute():
    graph = synthetic_map(300, 900)
    graph.nodes["x:5"].pop("display_name")  # a missing value
    data = compact_data(graph, "profile?account=")
    nodes = list(graph.nodes(data=True))
    for i, ((node_id, attrs), got) in enumerate(zip(nodes, decode(data), strict=True)):
        want = {k: v for k, v in attrs.items() if k not in ("x", "y", "colour")}
        assert got == want
        assert (data["ids"][i] or data["names"][i]) == node_id
        assert data["colours"][data["colour"][i]] == attrs["colour"]
        assert abs(data["x"][i] - attrs["x"]) <= 0.051
    edges = list(graph.edges(data=True))
    assert len(data["edges"]) == 3 * len(edges)
    for j, (u, v, attrs) in enumerate(edges[:50]):
        s, t, r = data["edges"][3 * j : 3 * j + 3]
        assert (f"x:{s}", f"x:{t}") == (u, v)
        assert data["relations"][r] == attrs["relations"]
    assert data["types"] == list(RELATIONS)


def test_webgl_json_is_much_smaller_than_the_vis_networks():
    graph = synthetic_map(3000, 12000)
    webgl = len(json.dumps(compact_data(graph)))
    vis = render_html(graph, title="t", renderer="vis")
    vis_json = len(page_data(vis)["nodes"].__repr__()) + len(page_data(vis)["edges"].__repr__())
    assert webgl < vis_json / 3


def test_large_layout_is_seeded_fast_and_spread():
    rng = np.random.default_rng(3)
    n, m = 12_000, 48_000
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, 200, m)) % n  # one component, local structure
    first = maps._layout(n, src, dst, 42)
    again = maps._layout(n, src, dst, 42)
    assert n > maps.LARGE_LAYOUT
    assert np.array_equal(first, again)
    assert np.isfinite(first).all() and np.abs(first).max() <= 1000.0 + 1e-9
    # Not a hairball in one spot: the bulk of the nodes covers a good part of the square.
    spread = np.percentile(first, 90, axis=0) - np.percentile(first, 10, axis=0)
    assert (spread > 300).all()


def test_html_export_limits(sample_store_path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(exporter, "HTML_MAX_NODES", 10)
    with DuckDBStore(sample_store_path, read_only=True) as store:
        with pytest.raises(KolmapError, match="more than a browser draws smoothly"):
            exporter.export(store, Scope(), kind="kol", fmt="html", out=tmp_path / "m.html")
        with pytest.raises(KolmapError, match="renderer"):
            exporter.export(
                store, Scope(), kind="kol", fmt="html", out=tmp_path / "m.html", renderer="x"
            )
        result = exporter.export(
            store,
            Scope(),
            kind="kol",
            fmt="html",
            out=tmp_path / "m.html",
            top=10,
            renderer="webgl",
            log=False,
        )
    assert result.rows == 10
    assert "new Sigma(graph" in (tmp_path / "m.html").read_text("utf-8")
