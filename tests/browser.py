"""What the browser tests share: Debian's Chromium, a free port, a served app, a page whose
dialogs and errors are recorded.

The app is served the way `kolmap ui` serves it (:func:`kolmap.cli.app_command`), from this
checkout; pages run in Chromium through Playwright. Screenshots go to :data:`ARTIFACTS`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kolmap
from kolmap.cli import app_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    """Whether the Streamlit server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return bool(response.read() == b"ok")
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen[bytes], output: Any, timeout: float) -> None:
    """Wait until the server answers; fail with its output (``output()``) if it stops or
    does not answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(url):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    if proc.poll() is None:
        proc.kill()
    raise AssertionError(f"the app did not answer {url}/_stcore/health:\n{output()}")


@contextmanager
def served(store: Path, *, timeout: float = 60) -> Iterator[str]:
    """The app on ``store`` (pseudonym key ``k``), its URL while the block runs."""
    port = free_port()
    here = str(Path(kolmap.__file__).resolve().parent.parent)  # this checkout's kolmap
    env = {
        **os.environ,
        "KOLMAP_STORE": str(store),
        "KOLMAP_PSEUDONYM_KEY": "k",
        "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.Popen(
        app_command(port, "127.0.0.1", options=["--client.toolbarMode=minimal"]),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, lambda: proc.stdout.read().decode() if proc.stdout else "", timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # Never leave a server behind (they were found alive hours later); the test
            # reports it. `kolmap ui` itself kills a server that outlives its grace.
            proc.kill()
            proc.wait(timeout=20)
            raise AssertionError("the app server did not stop within 20 s of SIGTERM") from None


IDLE = (
    "() => !document.querySelector('[data-stale=true]') "
    "&& !document.querySelector('[data-testid=stStatusWidgetRunningIcon]')"
)


def wait_idle(page: Any, timeout: float = 120_000) -> None:
    """Wait until the app's script run is over: while Streamlit reruns a page it marks the
    elements of the run before ``data-stale``, and drops or replaces each as the run goes
    (its running icon is hidden in this app's header). A fixed wait after choosing an area
    read the page of the area before, still computing, on a machine busy with two test
    processes (the Trends test's rising stars, in CI)."""
    for _ in range(2):  # idle twice, half a second apart: a rerun has started and ended
        page.wait_for_timeout(500)
        page.wait_for_function(IDLE, timeout=timeout)


@contextmanager
def browser_page(
    args: Sequence[str] = BROWSER_ARGS, viewport: tuple[int, int] = (1500, 1000)
) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """A Chromium page and what it reported: ``dialogs`` (dismissed), ``page_errors``
    (uncaught exceptions) and ``errors`` (those and console errors)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(args))
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        events: dict[str, list[str]] = {"dialogs": [], "errors": [], "page_errors": []}

        def on_dialog(dialog: Any) -> None:
            events["dialogs"].append(dialog.message)
            dialog.dismiss()

        def on_page_error(error: Any) -> None:
            events["errors"].append(str(error))
            events["page_errors"].append(str(error))

        page.on("dialog", on_dialog)
        page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", on_page_error)
        try:
            yield page, events
        finally:
            browser.close()
