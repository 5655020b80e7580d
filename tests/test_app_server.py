"""`kolmap ui` as a daily tool, started the way a person starts it (issue "The app as a daily
tool"): on a fresh machine (an empty HOME, no ~/.streamlit) it must not stop at Streamlit's
first-run "Email:" prompt, must show no "Deploy" button, must stop its server when it gets a
signal, and every page must open from its own address.

The app is started through ``python -m kolmap.cli ui``; its browser is a stand-in script
(``BROWSER``) that records the address it was asked to open. Pages are checked in Debian's
Chromium driven by Playwright; screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.settings import Settings
from kolmap.views.scope_cache import ScopeCache

from .browser import ARTIFACTS, CHROMIUM, free_port, wait_healthy
from .browser import browser_page as open_browser
from .conftest import write

pytestmark = pytest.mark.slow
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
ACCOUNTS = """platform,account_id,handle,display_name,bio,url,followers
x,1,onco_lead,Dr Lead,Oncologue médical,,5000
x,2,onco_b,Dr B,Oncologue,,900
x,3,onco_c,Dr C,Medical oncologist,,800
"""
POSTS = (
    "platform,post_id,author_id,text\n"
    + "".join(
        f"x,{i},{2 + i % 2},Cancer du sein et immunothérapie @onco_lead #ASCO26\n"
        for i in range(10, 30)
    )
    + "x,50,1,Nouvelles données sur le cancer du sein @onco_c\n"
)
# Each page's address and the heading it shows.
PAGES = {
    "overview": "Overview",
    "leaderboard": "Leaderboard",
    "network": "Network map",
    "profile": "Profile",
    "communities": "Communities",
    "congress": "Congress",
    "shortlist": "Shortlist",
    "ingest": "Ingest",
}


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("app_server")
    write(folder / "in", "accounts.csv", ACCOUNTS)
    write(folder / "in", "posts.csv", POSTS)
    path = folder / "small.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [folder / "in"], quarantine_dir=folder / "q")
    return path


class App:
    """A `kolmap ui` process on a fresh machine: an empty HOME, no terminal to answer."""

    def __init__(self, store: Path, folder: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home = folder / "home"
        home.mkdir()
        self.opened = folder / "opened.txt"
        browser = folder / "browser"
        browser.write_text(f'#!/bin/sh\necho "$1" >> "{self.opened}"\n')
        browser.chmod(0o755)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DISPLAY", "WAYLAND_DISPLAY", "XDG_CONFIG_HOME"}
        }
        env.update(HOME=str(home), BROWSER=str(browser), KOLMAP_PSEUDONYM_KEY="k")
        self.log = folder / "ui.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kolmap.cli", "ui", "--store", str(store),
                 "--port", str(self.port), "--host", "127.0.0.1", *args],
                env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self, timeout: float = 90) -> None:
        wait_healthy(self.url, self.proc, self.output, timeout)

    def stop(self) -> None:
        """Clean up whatever is left: the whole session the test started."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # an orphaned server, if any


@pytest.fixture
def start_app(small_store: Path, tmp_path: Path) -> Iterator:
    apps: list[App] = []

    def start(*args: str) -> App:
        folder = tmp_path / f"app{len(apps)}"
        folder.mkdir()
        app = App(small_store, folder, *args)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.stop()


def test_first_run_does_not_prompt_and_opens_the_browser(start_app):
    """On a fresh machine `make demo` used to stop at Streamlit's "Email:" prompt."""
    app = start_app()
    app.wait_healthy()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not app.opened.exists():
        time.sleep(0.2)
    assert app.opened.exists(), app.output()
    time.sleep(1)
    assert app.opened.read_text().split() == [app.url]  # once, on the app's address
    output = app.output()
    assert "Email" not in output
    assert "gatherUsageStats" not in output  # no telemetry notice: statistics are off
    assert not (Path(app.opened.parent / "home" / ".streamlit" / "credentials.toml")).exists()


def test_no_browser_opens_nothing(start_app):
    app = start_app("--no-browser")
    app.wait_healthy()
    time.sleep(1)
    assert not app.opened.exists()
    assert "Email" not in app.output()


def test_a_store_nobody_scored_is_scored_before_the_app_serves(small_store, tmp_path):
    """A store ingested with --no-warm (or by an older kolmap) made the first page wait 7-8 s
    at 100k accounts for the all-data scope; `kolmap ui` now computes it before serving."""
    scored = tmp_path / "scored.duckdb"
    shutil.copy(small_store, scored)
    with DuckDBStore(scored, read_only=True) as store:
        version = store.version()
    cache = ScopeCache(scored.with_name("scored.cache"), Settings().scoring)
    assert not cache.kept(version, Scope())
    runs = []
    for name in ("first", "again"):
        (tmp_path / name).mkdir()
        app = App(scored, tmp_path / name, "--no-browser")
        try:
            app.wait_healthy()
            runs.append(app.output())
        finally:
            app.stop()
    assert "scoring all data for the app" in runs[0] and "scored all data in" in runs[0], runs[0]
    assert cache.kept(version, Scope())
    assert "scoring all data" not in runs[1], runs[1]  # kept: nothing to do

    unscored = tmp_path / "unscored.duckdb"
    shutil.copy(small_store, unscored)
    (tmp_path / "off").mkdir()
    app = App(unscored, tmp_path / "off", "--no-browser", "--no-warm")
    try:
        app.wait_healthy()
        assert "scoring all data" not in app.output()
    finally:
        app.stop()
    assert not ScopeCache(unscored.with_name("unscored.cache"), Settings().scoring).kept(
        version, Scope()
    )


@pytest.mark.parametrize(
    ("how", "signum"),
    [("process", signal.SIGTERM), ("process", signal.SIGINT), ("group", signal.SIGINT)],
    ids=["SIGTERM", "SIGINT", "ctrl-c"],
)
def test_a_signal_stops_the_server(start_app, how: str, signum: int):
    """`kolmap ui` ran Streamlit with subprocess.call: a SIGTERM left the server running."""
    app = start_app("--no-browser")
    app.wait_healthy()
    if how == "group":  # Ctrl+C in a terminal: the whole foreground group gets SIGINT
        os.killpg(app.proc.pid, signum)
    else:
        app.proc.send_signal(signum)
    app.proc.wait(timeout=15)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not port_is_free(app.port):
        time.sleep(0.1)
    assert port_is_free(app.port), "the Streamlit server outlived `kolmap ui`"
    assert "Traceback" not in app.output(), app.output()


@pytest.fixture(scope="module")
def served(small_store: Path, tmp_path_factory) -> Iterator[str]:
    app = App(small_store, tmp_path_factory.mktemp("served"), "--no-browser")
    try:
        app.wait_healthy()
        yield app.url
    finally:
        app.stop()


@pytest.fixture
def browser_page():
    pytest.importorskip("playwright.sync_api")
    with open_browser(viewport=(1400, 900)) as (page, events):
        yield page, events["page_errors"]


@needs_chromium
def test_the_header_has_no_deploy_button(served, browser_page):
    page, errors = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(served + "/")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "app-server-header.png"))
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.get_by_text("Deploy", exact=True).count() == 0
    assert errors == []


@needs_chromium
@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_opens_from_its_address(served, browser_page, path: str):
    """`/overview` showed "Page not found": Streamlit serves the default page only at /."""
    page, errors = browser_page
    page.goto(f"{served}/{path}")
    page.get_by_role("heading", name=PAGES[path]).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0
    assert page.url.split("?")[0] == f"{served}/{path}"
    assert errors == []


@needs_chromium
def test_the_root_opens_the_overview(served, browser_page):
    """The app root is sent on to /overview, with its query parameters."""
    page, errors = browser_page
    page.goto(served + "/?note=kept")
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    page.wait_for_url(f"{served}/overview?note=kept", timeout=30_000)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Page not found").count() == 0
    assert errors == []


@needs_chromium
def test_a_profile_link_opens_that_account(served, browser_page):
    page, errors = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{served}/profile?account=x:1")
    page.get_by_role("heading", name="Profile").wait_for(timeout=60_000)
    page.get_by_text("Ego network").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "app-server-profile-link.png"))
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("The link names no valid account").count() == 0
    assert page.get_by_role("heading", name="@onco_lead").count() == 1
    assert "account=x" in page.url
    assert errors == []


@needs_chromium
def test_a_filtered_link_opens_the_page_filtered(served, browser_page):
    """Filters live in the address: a copied link or a reload shows the same filtered list."""
    page, errors = browser_page
    page.goto(f"{served}/leaderboard?area=oncology&kind=dol")
    page.get_by_role("heading", name="Leaderboard").wait_for(timeout=60_000)
    page.get_by_text("DOL candidate(s) in oncology").wait_for(timeout=60_000)
    page.reload()
    page.get_by_text("DOL candidate(s) in oncology").wait_for(timeout=60_000)
    assert "area=oncology" in page.url and "kind=dol" in page.url
    assert errors == []


def test_a_server_that_ignores_the_signal_is_killed_after_the_grace(tmp_path):
    """Streamlit's web server waits for every open connection before it stops; a browser
    tab that never let go kept servers alive after SIGTERM (found left over after failed
    browser tests). `kolmap ui` now kills the server when it has not stopped in time."""
    import threading

    from kolmap.cli.app import serve

    stubborn = [sys.executable, "-c", "import signal, time; "
                "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); "
                "time.sleep(600)"]  # fmt: skip
    threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
    started = time.monotonic()
    status = serve(stubborn, dict(os.environ), grace=1.0)
    assert status == 128 + signal.SIGKILL
    assert time.monotonic() - started < 10
