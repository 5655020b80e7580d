"""Map benchmark: an HTML map of ~50,000 accounts and ~200,000 relations, built and opened.

The sample generator writes a store of about 50,000 accounts (``--scale``); then, each step in
a fresh child process:

- ``ingest``: the folder into a new DuckDB store (the yardstick: the map's build and write are
  given as a ratio to it);
- ``map``: ``kolmap.export.exporter.export`` of the HTML map of every account
  (``all_nodes``, what ``kolmap export --format html --all-nodes`` runs), with the layout and
  the page timed on their own; file size;
- ``browser``: the file opened in headless Chromium (Debian's, SwiftShader WebGL): time until
  sigma's first frame is on screen (the page's ``firstRenderMs``, from navigation start), then
  a mouse-drag pan of one second, frames counted with ``requestAnimationFrame``.

Results are printed as JSON and, with ``--out``, written to the "Maps" section of
docs/benchmarks.md.

    python benchmarks/map_bench.py [--scale 17] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import machine  # type: ignore[import-not-found]  # noqa: E402  (a sibling script)

GENERATE = r"""
import json, sys
from pathlib import Path
from kolmap.data.samples.generate import generate, write_sample
print(json.dumps({"folder": str(write_sample(generate(seed=11, scale=float(sys.argv[1])),
                                             Path(sys.argv[2])))}))
"""

INGEST = r"""
import json, sys, time
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
t = time.perf_counter()
with DuckDBStore(sys.argv[2]) as store:
    summary = ingest_paths(store, [sys.argv[1]], quarantine_dir=sys.argv[2] + ".q")
print(json.dumps({"ingest_s": time.perf_counter() - t,
                  "accounts": summary.merge["accounts"]["added"]}))
"""

MAP = r"""
import json, sys, time
import kolmap.export.html_map as html_map
import kolmap.views.maps as maps
from kolmap.export.exporter import export
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
timed = {"layout_s": 0.0, "page_s": 0.0}
def timing(name, fn):
    def wrapped(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            timed[name] += time.perf_counter() - t
    return wrapped
maps._layout = timing("layout_s", maps._layout)
html_map.render_html = timing("page_s", html_map.render_html)
import kolmap.export.exporter as exporter
exporter.render_html = html_map.render_html
t = time.perf_counter()
with DuckDBStore(sys.argv[1], read_only=True) as store:
    result = export(store, Scope(), kind="kol", fmt="html", out=sys.argv[2], all_nodes=True,
                    log=False)
out = {"map_s": time.perf_counter() - t, "nodes": result.rows, "edges": result.edges, **timed}
print(json.dumps(out))
"""

BROWSER_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def child(code: str, *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def browse(page_path: Path, shot: Path | None) -> dict[str, Any]:
    """First render and a one-second pan of the page in headless Chromium."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        started = time.perf_counter()
        page.goto(page_path.as_uri(), timeout=180_000)
        while not page.evaluate(
            "() => !!(window.kolmapMap && (window.kolmapMap.visible.firstRenderMs !== null"
            " || window.kolmapMap.visible.error))"
        ):
            time.sleep(0.02)
            if time.perf_counter() - started > 180:
                raise SystemExit(f"the page did not render in 180 s: {errors}")
        wall = time.perf_counter() - started
        state = page.evaluate("() => window.kolmapMap.visible")
        page.wait_for_timeout(1500)  # the k-core numbers, computed after the first frame
        page.evaluate(
            "() => { window.kolmapFrames = []; const tick = (t) => {"
            " window.kolmapFrames.push(t); if (window.kolmapFrames.length < 100000)"
            " requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"
        )
        page.mouse.move(500, 450)
        page.mouse.down()
        steps = 60
        for i in range(steps):
            page.mouse.move(500 + 300 * (i + 1) / steps, 450 + 100 * (i + 1) / steps)
            page.wait_for_timeout(1000 / steps)
        page.mouse.up()
        frames = page.evaluate("() => window.kolmapFrames.slice()")
        if shot:
            page.wait_for_timeout(300)
            page.screenshot(path=str(shot))
        browser.close()
    gaps = [b - a for a, b in itertools.pairwise(frames)]
    span = (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else 0.0
    return {
        "first_render_s": state["firstRenderMs"] / 1000 if state["firstRenderMs"] else None,
        "loaded_wall_s": wall,
        "webgl_error": state.get("error"),
        "pan_fps": (len(frames) - 1) / span if span else 0.0,
        "pan_longest_frame_ms": max(gaps) if gaps else None,
        "page_errors": errors,
        "page_timings_ms": state.get("timings"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=17.0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--shot", type=Path, help="a screenshot after the pan")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kolmap-mapbench-") as tmp:
        folder = child(GENERATE, str(args.scale), tmp)["folder"]
        store = str(Path(tmp) / "store.duckdb")
        result: dict[str, Any] = {"scale": args.scale, **child(INGEST, folder, store)}
        page_path = Path(tmp) / "map.html"
        result.update(child(MAP, store, str(page_path)))
        result["html_mb"] = page_path.stat().st_size / 1e6
        result["map_vs_ingest"] = result["map_s"] / result["ingest_s"]
        result.update(browse(page_path, args.shot))
    print(json.dumps(result, indent=1))
    if args.out:
        write_section(args.out, result)


def write_section(path: Path, r: dict[str, Any]) -> None:
    """Replace (or add) the "Maps" section of docs/benchmarks.md."""
    fps = f"{r['pan_fps']:.0f} fps, longest frame {r['pan_longest_frame_ms']:.0f} ms"
    head = (
        "accounts",
        "relations on the map",
        "ingest s",
        "map export s",
        "of which layout s",
        "page s",
        "export / ingest",
        "HTML MB",
        "first render s",
        "pan",
    )
    row = (
        f"{r['nodes']:,}",
        f"{r['edges']:,}",
        f"{r['ingest_s']:.1f}",
        f"{r['map_s']:.1f}",
        f"{r['layout_s']:.1f}",
        f"{r['page_s']:.1f}",
        f"{r['map_vs_ingest']:.2f}×",
        f"{r['html_mb']:.1f}",
        f"{r['first_render_s']:.2f}",
        fps,
    )
    table = "\n".join(
        "| " + " | ".join(cells) + " |" for cells in (head, ("---",) * len(head), row)
    )
    section = f"""## Maps: an HTML map of 50,000 accounts

`benchmarks/map_bench.py --scale {r["scale"]:g}` on {time.strftime("%Y-%m-%d")}. {machine()}
Headless Chromium (Debian's, software WebGL: SwiftShader, no GPU).

The generated store is ingested, then `export(..., fmt="html", all_nodes=True)` (what
`kolmap export --format html --all-nodes` runs) maps every account: ranking, layout
(multilevel above 5,000 nodes), the WebGL page, the atomic write and re-read.

{table}

Before (the issue "The app as a daily tool"): `kolmap export --format html --top 45000` on a
45k-account store took 6 min 14 s and wrote a 67 MB vis-network page that could not lay it
out; DrL alone took 5 min on 50,000 nodes and 200,000 edges on this machine.
"""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"## Maps: an HTML map of 50,000 accounts\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(lambda _m: section.rstrip("\n"), text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    path.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
