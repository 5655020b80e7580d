"""Capture the README's screenshots: the app on the bundled sample, in Debian's Chromium.

python tools/screenshots.py   # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
PORT = 8617


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).first.click()
    page.get_by_role("option", name=option).first.click()
    page.wait_for_timeout(2500)


def main() -> None:
    from kolmap.cli import app_command
    from kolmap.cli.app import SCIENCE_FILES, sample_science, sample_timeline
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.ingest.pipeline import ingest_paths
    from kolmap.ingest.science.load import import_science

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "sample.duckdb"
        science = sample_science()
        with DuckDBStore(store) as s:
            canonical = [
                REPO / "data" / "samples" / "canonical",
                science / "canonical",
                sample_timeline() / "canonical",
                REPO / "data" / "samples" / "platforms",
            ]
            ingest_paths(s, canonical, quarantine_dir=tmp)
            import_science(s, [science / n for n in SCIENCE_FILES], quarantine_dir=tmp)
        env = {**os.environ, "KOLMAP_STORE": str(store)}
        server = subprocess.Popen(
            app_command(PORT, options=["--client.toolbarMode=minimal"]),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://localhost:{PORT}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                    ],
                )
                page = browser.new_page(viewport={"width": 1440, "height": 960})
                page.goto(f"http://localhost:{PORT}/")
                page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
                page.wait_for_timeout(2500)
                page.screenshot(path=str(OUT / "overview.png"))
                for link, name in (
                    ("Leaderboard", "leaderboard"),
                    ("Network map", "network"),
                    ("Communities", "communities"),
                ):
                    page.get_by_role("link", name=link).click()
                    page.get_by_role("heading", name=link).wait_for(timeout=60_000)
                    page.wait_for_timeout(2000)
                    choose(page, "Therapeutic area", "Oncology")
                    page.wait_for_timeout(3000)
                    page.screenshot(path=str(OUT / f"{name}.png"))
                page.get_by_role("link", name="Persons & science").click()
                page.get_by_role("heading", name="Persons & science").wait_for(timeout=60_000)
                page.wait_for_timeout(2000)
                choose(page, "Area", "Oncology")
                page.wait_for_timeout(4000)
                page.screenshot(path=str(OUT / "persons.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
