"""The network map in a real browser (Debian's Chromium driven by Playwright).

The store is the bundled sample plus two accounts whose names are script-injection attempts.
The tests walk the app as a person would: search the map, open a profile from it (the map runs
in Streamlit's sandboxed iframe, which may not navigate the app by itself), open a profile from
a profile's ego network, colour by community and read the legend; and they search a standalone
export for exact, ranked and missing accounts. Any JavaScript dialog or console error fails.
Screenshots go to ``artifacts/`` (kept by CI); the server and the page come from
``tests/browser.py``.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kolmap.export.exporter import export
from kolmap.export.html_map import legend
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.views.maps import COMMUNITY_COLOURS, OTHER_COMMUNITIES, ROLE_COLOURS, community_colour

from .browser import ARTIFACTS, CHROMIUM, served
from .browser import browser_page as open_browser
from .conftest import SAMPLES, write

playwright = pytest.importorskip("playwright.sync_api")


def in_browser(test):
    """Mark a test as slow and skip it where Debian's chromium is missing."""
    test = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")(test)
    return pytest.mark.slow(test)


PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
# "quinn" is an exact handle, small next to the sample's dr_quinn_* accounts; quinn_fan only
# matches in part. Both talk to dr_quinn_poza, so they are on the map.
HOSTILE_ACCOUNTS = f"""platform,account_id,handle,display_name,bio,followers
x,900001,quinn,"{PAYLOAD}",Oncologue {SCRIPT},12
x,900002,quinn_fan,"{SCRIPT}",Medical oncologist,3
"""
HOSTILE_POSTS = "platform,post_id,author_id,text\n" + "".join(
    f"x,{9_000_000 + i},{900001 + i % 2},Cancer du sein @dr_quinn_poza @quinn_fan @quinn\n"
    for i in range(6)
)
TOP = "dr_quinn_poza"  # the sample's most influential dr_quinn_* (known answer)
TOP_ID = "x:100080"


@pytest.fixture(scope="module")
def map_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("map")
    write(folder / "extra", "accounts.csv", HOSTILE_ACCOUNTS)
    write(folder / "extra", "posts.csv", HOSTILE_POSTS)
    path = folder / "map.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [SAMPLES / "canonical", folder / "extra"], quarantine_dir=folder / "q")
    return path


@pytest.fixture(scope="module")
def server(map_store: Path) -> Iterator[str]:
    with served(map_store) as url:
        yield url


@pytest.fixture
def browser_page():
    with open_browser() as opened:
        yield opened


def map_frame(page, *, legend_title: str | None = None):
    """The map's frame once vis-network has drawn it (and its legend says ``legend_title``)."""
    iframe = page.locator("iframe").first
    iframe.wait_for(timeout=60_000)
    deadline = time.monotonic() + 60
    while True:
        frame = page.locator("iframe").first.element_handle().content_frame()
        try:
            assert frame is not None
            frame.wait_for_function(
                "window.kolmapMap && window.kolmapMap.nodes.length > 0", timeout=5_000
            )
            if legend_title is None or legend_title in frame.locator("#legend-title").inner_text():
                return frame
        except Exception:  # the iframe is replaced while Streamlit reruns
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"the map's legend never said {legend_title!r}")
        page.wait_for_timeout(500)


def open_network_map(page, server: str):
    page.goto(server + "/")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name="Network map").click()
    page.get_by_role("heading", name="Network map").wait_for(timeout=60_000)
    return map_frame(page)


def wait_for_profile(page, handle: str) -> None:
    page.get_by_role("heading", name="Profile").wait_for(timeout=60_000)
    page.get_by_role("heading", name=re.compile(re.escape(handle))).first.wait_for(timeout=60_000)


def matches(frame) -> list[str]:
    return frame.locator("#matches button").all_inner_texts()


def test_community_palette_is_distinct_and_apart_from_roles():
    """A repeating 10-colour palette painted unrelated communities alike."""
    assert len(COMMUNITY_COLOURS) >= 20 and len(set(COMMUNITY_COLOURS)) == len(COMMUNITY_COLOURS)
    assert OTHER_COMMUNITIES not in COMMUNITY_COLOURS
    assert not set(COMMUNITY_COLOURS) & set(ROLE_COLOURS.values())
    assert OTHER_COMMUNITIES not in ROLE_COLOURS.values()

    def lab(colour: str) -> tuple[float, float, float]:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
        xyz = [
            (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047,
            0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2],
            (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883,
        ]
        f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    gap = min(
        sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5
        for a, b in itertools.combinations(COMMUNITY_COLOURS, 2)
    )
    assert gap >= 25  # CIE76: clearly different side by side
    assert [community_colour(c) for c in range(30)] == [
        *COMMUNITY_COLOURS,
        *[OTHER_COMMUNITIES] * (30 - len(COMMUNITY_COLOURS)),
    ]


def test_legend_follows_the_colouring():
    graph = nx.DiGraph()
    for i, community in enumerate([0, 0, 1, 25, 30]):
        graph.add_node(f"n{i}", role="hcp", community=community, colour=community_colour(community))
    mode, groups, entries = legend(graph)
    assert mode == "community"
    assert [e["key"] for e in entries] == ["0", "1", "other"]
    assert [e["count"] for e in entries] == [2, 1, 2]
    assert entries[-1]["label"] == "other / small communities (2) · 2 accounts"
    for node, role in zip(graph.nodes, ["hcp", "hcp", "patient", "media", "hcp"], strict=True):
        graph.nodes[node].update(role=role, colour=ROLE_COLOURS[role])
    mode, groups, entries = legend(graph)
    assert mode == "role" and groups["n2"] == "patient"
    assert [(e["key"], e["colour"], e["count"]) for e in entries] == [
        ("hcp", ROLE_COLOURS["hcp"], 3),
        ("patient", ROLE_COLOURS["patient"], 1),
        ("media", ROLE_COLOURS["media"], 1),
    ]


@in_browser
def test_search_ranks_lists_and_escapes_matches(map_store, tmp_path, browser_page):
    """The search used to open the first partial match in file order, list nothing and stay
    silent when nothing matched."""
    page, events = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    out = tmp_path / "map.html"
    with DuckDBStore(map_store) as store:
        export(store, Scope(), kind="kol", fmt="html", out=out, all_nodes=True)
    page.goto(out.as_uri())
    page.wait_for_function("window.kolmapMap && window.kolmapMap.nodes.length > 0")
    search = page.locator("#search")

    search.fill("dr_quinn")
    found = matches(page)
    assert found[0].startswith(TOP + " ")
    sizes = page.evaluate(
        "() => window.kolmapMap.nodes.get().filter(n => String(n.name).startsWith('dr_quinn'))"
        ".map(n => [n.name, n.size])"
    )
    assert len(found) == min(len(sizes), 8) >= 3
    size_of = dict(sizes)
    shown = [size_of[f.split(" ")[0]] for f in found]
    assert shown == sorted(shown, reverse=True)  # largest first (equal sizes in any order)
    assert min(shown) >= sorted(size_of.values(), reverse=True)[len(found) - 1]
    search.press("Enter")
    page.wait_for_timeout(300)
    assert TOP in page.locator("#details").inner_text()
    assert page.locator("#matches button.current").inner_text().startswith(TOP)

    search.fill("quinn")  # the exact handle first, though small; the hostile names as text
    found = matches(page)
    assert found[0].startswith(f"quinn — {PAYLOAD}")
    assert found[1].startswith(TOP + " ")
    page.locator("#matches button").nth(1).click()  # a listed match opens on click
    page.wait_for_timeout(300)
    assert TOP in page.locator("#details").inner_text()

    search.fill("alert(")  # display names are searched too, and listed as text
    assert sorted(matches(page)) == [f"quinn — {PAYLOAD}, hcp", f"quinn_fan — {SCRIPT}, hcp"]
    assert page.locator("#matches img, #matches script, aside img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "map-search-matches.png"))

    search.fill("no-such-account-zq")
    assert page.locator("#matches button").count() == 0
    assert "no account matches" in page.locator("#search-status").inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / "map-search-none.png"))
    assert page.get_by_role("link", name="Open profile").count() == 0  # no app: no link
    assert events["dialogs"] == [] and events["errors"] == []


@in_browser
def test_open_profile_from_the_network_map(server, browser_page):
    """ "Open profile" did nothing: the iframe's sandbox forbids navigating the app."""
    page, events = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    frame = open_network_map(page, server)
    frame.locator("#search").fill("dr_quinn")
    assert matches(frame)[0].startswith(TOP + " ")
    frame.locator("#search").press("Enter")
    link = frame.get_by_role("link", name="Open profile")
    link.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "ui-map-search.png"))
    page.evaluate("window.kolmapSameSession = true")
    link.click()
    wait_for_profile(page, TOP)
    assert "account=" + TOP_ID.replace(":", "%3A") in page.url
    assert page.evaluate("window.kolmapSameSession === true")  # no reload: the session stays
    page.get_by_text("Ego network").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "ui-map-open-profile.png"))
    assert events["dialogs"] == [] and events["errors"] == []


@in_browser
def test_open_profile_from_the_ego_network(server, browser_page):
    """A click on a neighbour in the ego network opens its profile, even after a search."""
    page, events = browser_page
    page.goto(server + "/")
    # The root sends the browser on to the Overview: a click before that lands can be lost.
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("heading", name="Profile").wait_for(timeout=60_000)
    page.get_by_label("Find an account (handle, name or id)").fill(TOP)
    page.keyboard.press("Enter")
    page.get_by_text("Ego network").wait_for(timeout=60_000)
    frame = map_frame(page)
    neighbour = frame.evaluate(
        "me => window.kolmapMap.nodes.get().filter("
        "  n => n.details.identity === 'named' && n.id !== me"
        ").sort((a, b) => b.size - a.size)[0]",
        TOP_ID,
    )
    assert neighbour is not None
    page.locator("iframe").first.scroll_into_view_if_needed()
    box = page.locator("iframe").first.bounding_box()
    frame.evaluate(
        "id => window.kolmapMap.network.focus(id, { scale: 2, animation: false })", neighbour["id"]
    )
    point = frame.evaluate(
        "id => { const n = window.kolmapMap.network; return n.canvasToDOM(n.getPosition(id)); }",
        neighbour["id"],
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    frame.locator("#details").get_by_text(neighbour["name"], exact=True).first.wait_for(
        timeout=10_000
    )
    frame.get_by_role("link", name="Open profile").click()
    wait_for_profile(page, neighbour["name"])
    assert "account=" + neighbour["id"].replace(":", "%3A") in page.url
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "ui-ego-open-profile.png"))
    assert events["dialogs"] == [] and events["errors"] == []


@in_browser
def test_colour_by_community_has_a_matching_legend(server, browser_page):
    """The legend kept showing role colours, and ten colours repeated across communities."""
    page, events = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    open_network_map(page, server)
    page.get_by_role("radiogroup", name="Colour by").get_by_text("community").click()
    frame = map_frame(page, legend_title="Communities")
    entries = frame.evaluate(
        "() => Array.from(document.querySelectorAll('#legend label')).map(l => ({"
        "  key: l.querySelector('input').value, colour: l.dataset.colour, text: l.textContent }))"
    )
    nodes = frame.evaluate(
        "() => window.kolmapMap.nodes.get().map(n => ({ colour: n.color, group: n.group,"
        "  community: n.details.community }))"
    )
    by_key = {e["key"]: e for e in entries}
    assert {e["colour"] for e in entries} == {n["colour"] for n in nodes}
    for node in nodes:
        # Communities too small for the Communities page share the grey of the others.
        own = OTHER_COMMUNITIES if node["group"] == "other" else community_colour(node["community"])
        assert by_key[node["group"]]["colour"] == node["colour"] == own
    numbered = [e for e in entries if e["key"] != "other"]
    assert len(numbered) >= 10  # the sample has more communities than the old palette
    assert len({e["colour"] for e in numbered}) == len(numbered)
    for entry in numbered:
        count = sum(n["group"] == entry["key"] for n in nodes)
        assert entry["text"].startswith(f"community {entry['key']} · {count} account")
    assert not any(role in e["text"] for e in entries for role in ("hcp", "patient"))
    # Every entry is read whole: "other / small communities (11) · 15 accounts" was cut to
    # "… · 15…" in the 300-pixel panel.
    cut = frame.evaluate(
        "() => Array.from(document.querySelectorAll('#legend label'))"
        "  .filter(l => l.scrollWidth > l.clientWidth).map(l => l.textContent)"
    )
    assert cut == []
    page.screenshot(path=str(ARTIFACTS / "ui-map-community.png"))

    biggest = max(numbered, key=lambda e: sum(n["group"] == e["key"] for n in nodes))
    before = frame.evaluate("window.kolmapMap.view.length")
    frame.locator(f"#legend input[value='{biggest['key']}']").uncheck()
    after = frame.evaluate("window.kolmapMap.view.length")
    assert before - after == sum(n["group"] == biggest["key"] for n in nodes)
    assert events["dialogs"] == [] and events["errors"] == []


@in_browser
def test_open_profile_from_a_leaderboard_row(server, browser_page):
    """A row clicked in the leaderboard becomes the account explained below it, and its
    "Open profile" link opens that account's profile (once, a row only selected a cell)."""
    page, events = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name="Leaderboard").click()
    page.get_by_text("Click a row to explain it below").wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    assert box is not None
    # The row markers are the grid's first column; rows are 35 px under a 35 px header.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 2 * 35 + 17)
    # The account picker below the table now names row 3 (its value is an input's).
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Account")
    picker.locator("input").first.wait_for(timeout=60_000)
    page.wait_for_function(
        r"""() => [...document.querySelectorAll('[data-testid="stSelectbox"] input')]
                 .some(i => /^3\. /.test(i.value || i.getAttribute('aria-label') || ''))""",
        timeout=60_000,
    )
    value = picker.locator("input").first
    text = value.input_value() or value.get_attribute("aria-label") or ""
    handle = re.search(r"3\. (\S+)", text).group(1)
    page.get_by_role("heading", name="Why this rank").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "ui-leaderboard-row.png"))
    page.get_by_role("link", name="Open profile").click()
    wait_for_profile(page, handle)
    assert "account=x%3A" in page.url
    page.screenshot(path=str(ARTIFACTS / "ui-leaderboard-open-profile.png"))
    assert events["dialogs"] == [] and events["errors"] == []
