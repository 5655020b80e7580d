"""The running app in a real browser (Debian's Chromium driven by Playwright).

The store holds accounts whose names and bios are script-injection attempts (T21 in
../shared/research/reliability.md). The test walks the app as a person would, hovers the
map's nodes to open their tooltips, and fails on any JavaScript dialog or console error.
Screenshots go to ``artifacts/`` (kept by CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kolmap.export.exporter import export
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths

from .browser import ARTIFACTS, CHROMIUM, free_port, served, wait_healthy
from .browser import browser_page as open_browser
from .conftest import write

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
ACCOUNTS = f"""platform,account_id,handle,display_name,bio,url,followers
x,1,onco_lead,"{PAYLOAD}",Oncologue médical {SCRIPT},javascript:alert(3),5000
x,2,onco_b,"{SCRIPT}",Oncologue,javascript:alert(4),900
x,3,onco_c,Dr Safe,Oncologue médical,,800
x,4,onco_d,Dr Other,Medical oncologist,,700
x,5,onco_e,Dr Fifth,Oncologist,,600
"""
POSTS = (
    "platform,post_id,author_id,text\n"
    + "".join(
        f"x,{i},{2 + i % 4},Cancer du sein et immunothérapie @onco_lead @onco_b #ASCO26\n"
        for i in range(10, 40)
    )
    + "x,50,1,Nouvelles données sur le cancer du sein @onco_c\n"
)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    write(folder / "in", "accounts.csv", ACCOUNTS)
    write(folder / "in", "posts.csv", POSTS)
    path = folder / "xss.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [folder / "in"], quarantine_dir=folder / "q")
    return path


@pytest.fixture(scope="module")
def server(hostile_store: Path) -> Iterator[str]:
    with served(hostile_store) as url:
        yield url


@pytest.fixture
def browser_page():
    with open_browser() as opened:
        yield opened


def hover_every_node(page, frame) -> list[str]:
    """Move the mouse over each node of the vis-network map; return the tooltips seen."""
    box = (
        page.locator("iframe").first.bounding_box()
        if frame is not page.main_frame
        else {"x": 0, "y": 0}
    )
    ids = frame.evaluate("window.kolmapMap.nodes.getIds()")
    tips = []
    for node_id in ids:
        point = frame.evaluate(
            "id => { const n = window.kolmapMap.network;"
            " return n.canvasToDOM(n.getPosition(id)); }",
            node_id,
        )
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(250)
        tip = frame.locator("div.vis-tooltip")
        if tip.count() and tip.first.is_visible():
            tips.append(tip.first.inner_text())
    return tips


def test_app_renders_the_map_and_never_runs_social_text(server, browser_page):
    page, events = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name="Leaderboard").click()
    page.get_by_role("heading", name="Leaderboard").wait_for(timeout=60_000)
    page.get_by_text("Why this rank").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "ui-leaderboard.png"))

    page.get_by_role("link", name="Network map").click()
    page.get_by_role("heading", name="Network map").wait_for(timeout=60_000)
    iframe = page.locator("iframe").first
    iframe.wait_for(timeout=60_000)
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    frame.locator("canvas").first.wait_for(timeout=60_000)
    frame.wait_for_function("window.kolmapMap && window.kolmapMap.nodes.length > 0")
    assert frame.evaluate("window.kolmapMap.nodes.length") == 5
    tips = hover_every_node(page, frame)
    assert any(PAYLOAD in tip for tip in tips), tips  # shown as text, not as an element
    assert frame.locator("img[src='x']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "ui-network.png"))

    page.get_by_role("link", name="Profile").click()
    page.get_by_role("heading", name="Profile").wait_for(timeout=60_000)
    page.get_by_label("Find an account (handle, name or id)").fill("onco_lead")
    page.keyboard.press("Enter")
    page.get_by_text("Ego network").wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    assert page.get_by_text(PAYLOAD).count() >= 1  # the name is displayed literally
    page.screenshot(path=str(ARTIFACTS / "ui-profile.png"))

    assert events["dialogs"] == []
    assert events["errors"] == []


def test_a_file_downloaded_from_the_app_is_in_the_export_log(server, hostile_store, browser_page):
    """Downloads used to skip the export log that docs/exports.md promises."""
    page, events = browser_page
    page.goto(server + "/")
    # The root sends the browser on to the Overview: a click before that lands can be lost.
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name="Network map").click()
    page.get_by_role("heading", name="Network map").wait_for(timeout=60_000)
    button = page.get_by_role("button", name="Download for Gephi (GEXF)")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename == "kolmap-map.gexf"
    # Off to another page at once: the log was written when the click ran on the page's next
    # run, which this cut short (the file saved, no line in the log: a real-store check).
    page.get_by_role("link", name="Leaderboard").click()
    deadline = time.monotonic() + 30
    paths: list[str] = []
    while time.monotonic() < deadline and "download:kolmap-map.gexf" not in paths:
        time.sleep(0.5)
        try:
            with DuckDBStore(hostile_store, read_only=True) as store:
                paths = store.export_log()["path"].tolist()
        except Exception:  # the app may hold the file for a moment
            continue
    assert "download:kolmap-map.gexf" in paths
    assert events["errors"] == []


@pytest.mark.neo4j
def test_a_saved_view_opens_its_page_with_its_filters(server, browser_page):
    """Save the leaderboard with its filters under a (hostile) name, open it from the
    sidebar: the same page, the same filters in the address, the name shown as text."""
    page, events = browser_page
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(server + "/leaderboard?area=oncology&kind=dol")
    page.get_by_role("heading", name="Leaderboard").wait_for(timeout=60_000)
    page.get_by_text("Save or delete a view").click()
    name = f"DOLs {PAYLOAD}"
    page.get_by_label("Name", exact=True).fill(name)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save this view").click()
    link = page.get_by_role("link", name=name)
    link.wait_for(timeout=60_000)
    assert "area=oncology" in (link.get_attribute("href") or "")
    page.goto(server + "/overview")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name="Leaderboard").wait_for(timeout=60_000)
    page.wait_for_url("**/leaderboard?*", timeout=60_000)
    assert "area=oncology" in page.url and "kind=dol" in page.url
    page.get_by_text("DOL candidate(s) in oncology").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "ui-saved-view.png"))
    assert page.locator("img[src='x']").count() == 0
    assert events["dialogs"] == [] and events["page_errors"] == []
    # Opened at a page's address, Streamlit's client first probes <page>/_stcore/health and
    # host-config (404) before the root's: its own requests, the only failures allowed.
    assert all(e.startswith("Failed to load resource") for e in events["errors"]), events
    assert all("/_stcore/" in url for url in failed), failed


@pytest.mark.neo4j
def test_kolmap_ui_serves_a_neo4j_store(tmp_path, browser_page, monkeypatch):
    """`kolmap ui --store bolt://…` used to stop at "no store here yet"."""
    from kolmap.graph.neo4j.driver import Neo4jGraph

    from .conftest import neo4j_server

    info = neo4j_server("plain")
    env = {
        **os.environ,
        "KOLMAP_NEO4J_PASSWORD": info["password"],
        "KOLMAP_NEO4J_CACHE_DIR": str(tmp_path / "copies"),
        "KOLMAP_PSEUDONYM_KEY": "k",
    }
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", info["password"])
    with Neo4jGraph.from_uri(info["uri"]) as graph:
        graph.clear()
    write(tmp_path / "in", "accounts.csv", ACCOUNTS)
    write(tmp_path / "in", "posts.csv", POSTS)
    kolmap = [sys.executable, "-m", "kolmap.cli"]
    subprocess.run([*kolmap, "ingest", str(tmp_path / "in"), "--store", info["uri"]],
                   env=env, check=True, capture_output=True)  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [*kolmap, "ui", "--store", info["uri"], "--port", str(port), "--host", "127.0.0.1",
         "--no-browser"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc, lambda: proc.stdout.read().decode() if proc.stdout else "", 90)
        page, events = browser_page
        page.goto(url + "/")
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        page.get_by_text(info["uri"]).first.wait_for(timeout=30_000)  # the sidebar's store
        page.get_by_role("link", name="Leaderboard").click()
        page.get_by_text("Why this rank").wait_for(timeout=60_000)
        assert page.get_by_text("onco_c").count() >= 1
        assert events["errors"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        with Neo4jGraph.from_uri(info["uri"]) as graph:
            graph.clear()


def test_exported_html_map_is_inert(hostile_store, tmp_path, browser_page):
    page, events = browser_page
    out = tmp_path / "map.html"
    with DuckDBStore(hostile_store) as store:
        export(store, Scope(area="oncology"), kind="kol", fmt="html", out=out)
    page.goto(out.as_uri())
    page.wait_for_function("window.kolmapMap && window.kolmapMap.nodes.length > 0")
    tips = hover_every_node(page, page.main_frame)
    assert any(SCRIPT in tip for tip in tips), tips
    page.locator("#search").fill("onco_lead")
    page.locator("#search").press("Enter")
    page.wait_for_timeout(500)
    details = page.locator("#details").inner_text()
    assert PAYLOAD in details  # the panel shows the name as text
    assert page.locator("#details img").count() == 0
    assert events["dialogs"] == [] and events["errors"] == []
