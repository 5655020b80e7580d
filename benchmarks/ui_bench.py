"""How fast every page of the app answers on a large store: first load, then cached.

Generates a sample of about ``--accounts`` accounts (default 100,000, about 800,000 posts),
ingests it, then runs the app's pages under Streamlit's AppTest, one after the other. Before
each page's first load every cache is emptied, on disk too (as when the store has just been
ingested and this is the first page opened), so a page's first load includes everything it
computes, while the app's background warm-up computes the common scopes beside it. Then, once
the warm-up is done, the in-memory caches are emptied again and the page reloaded (as after a
restart of the app: ``restart_first_load_s``, scopes read from disk); then run again
(cached). The Leaderboard also switches to a new area (oncology), runs it again and goes
back to all data. Peak memory is the process's peak resident size during
that page (the kernel's high-water mark, reset before each page), above what the process
held before. Prints JSON; ``run.py`` folds it into docs/benchmarks.md.

    python benchmarks/ui_bench.py [--accounts 100000] [--store FILE] [--pages overview,...]

``--store FILE`` reuses (or, if missing, writes) an ingested store, to repeat measurements
without generating the sample again. ``--baseline-ref REF`` first measures the same pages on
the same store with kolmap as committed at ``REF`` (``git archive``, in a child process), so
before and after come from one run on one machine; the answer then has both, and ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGES = ("overview", "leaderboard", "network", "communities", "congress", "profile")


def build_store(accounts: int, store_path: Path, work: Path) -> dict[str, Any]:
    """Generate and ingest the sample into ``store_path``; its size and ingest time."""
    from kolmap.data.samples.generate import generate, write_sample
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.ingest.pipeline import ingest_paths

    folder = write_sample(generate(seed=21, scale=accounts / 2640), work / "big")
    started = time.perf_counter()
    with DuckDBStore(store_path) as store:
        summary = ingest_paths(store, [folder], quarantine_dir=work / "q")
    return {
        "ingest_s": time.perf_counter() - started,
        "accounts": summary.merge["accounts"]["added"],
        "posts": summary.merge["posts"]["added"],
    }


def _rss_mb() -> tuple[float, float]:
    """(current, peak since the last reset) resident size in MB."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak, peak


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # Linux: "5" resets the peak (VmHWM) to the current size
        Path("/proc/self/clear_refs").write_text("5")


def _settle() -> None:
    """Wait for the app's background warm-up (scopes computed ahead) to finish."""
    for thread in threading.enumerate():
        if thread.name == "kolmap-warm":
            thread.join()


def _clear_caches() -> None:
    import gc

    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    gc.collect()


def measure_pages(store_path: Path, pages: tuple[str, ...]) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    import kolmap
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.graph.location import StoreLocation
    from kolmap.graph.store import Scope
    from kolmap.scoring.rank import rank

    app = Path(kolmap.__file__).resolve().parent / "ui" / "app.py"  # the kolmap imported
    os.environ["KOLMAP_STORE"] = str(store_path)
    at = AppTest.from_file(str(app), default_timeout=900)
    at.run()  # the app's first run (Overview), only to have a session; not measured

    def timed(action: Callable[[], Any]) -> float:
        started = time.perf_counter()
        action()
        assert not at.exception, [e.value for e in at.exception]
        return round(time.perf_counter() - started, 3)

    location = StoreLocation(str(store_path))
    disk = location.cache_dir() if hasattr(location, "cache_dir") else None

    def forget_scopes() -> None:
        """As if the store had just been ingested: no scope computed yet, on disk either."""
        _settle()
        if disk is not None:
            shutil.rmtree(disk, ignore_errors=True)

    out: dict[str, Any] = {}
    for page in pages:
        forget_scopes()
        _clear_caches()
        at.query_params.clear()
        if page == "profile":  # the all-data KOL leader, opened by its link
            with DuckDBStore(store_path) as s:
                top = rank(s.projection(Scope()), "kol").iloc[0]
            at.query_params["account"] = f"{top['platform']}:{top['account_id']}"
            _clear_caches()
        at.switch_page(f"app_pages/{page}.py")
        before, _ = _rss_mb()
        _reset_peak()
        row: dict[str, Any] = {"first_load_s": timed(at.run)}
        if disk is not None:  # the app restarted: every in-memory cache empty, scopes on disk
            _settle()
            _clear_caches()
            row["restart_first_load_s"] = timed(at.run)
        row["cached_s"] = timed(at.run)
        if page == "leaderboard":
            row["new_area_first_s"] = timed(
                lambda: at.selectbox(key="lb_area").set_value("oncology").run()
            )
            row["new_area_cached_s"] = timed(at.run)
            row["back_to_all_s"] = timed(lambda: at.selectbox(key="lb_area").set_value("").run())
        _current, peak = _rss_mb()
        row["peak_mb_above_start"] = round(max(peak - before, 0.0), 1)
        out[page] = row
        print(json.dumps({page: row}), flush=True)
    out["process_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def measure(
    accounts: int, store: str | None = None, pages: tuple[str, ...] = PAGES
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(store) if store else Path(tmp) / "big.duckdb"
        if not store_path.exists():
            out.update(build_store(accounts, store_path, Path(tmp)))
        else:
            from kolmap.graph.duckdb import DuckDBStore

            with DuckDBStore(store_path) as s:
                data = s.stats()
            out.update(accounts=data["accounts"], posts=data["posts"], ingest_s=None)
        out["pages"] = measure_pages(store_path, pages)
    return out


def baseline(ref: str, store: Path, pages: tuple[str, ...]) -> dict[str, Any]:
    """The same measurement with kolmap as committed at ``ref``, in a child process."""
    here = Path(__file__).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "kolmap"
        tree.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(here.parent.parent), "archive", ref], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        args = ["--store", str(store), "--pages", ",".join(pages)]
        proc = subprocess.run(
            [sys.executable, str(here), *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": tmp},
        )
        if proc.returncode:
            raise SystemExit(f"the baseline run failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])["pages"]
    return result


def ratios(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, float]]:
    """before / after for every timing (above 1: faster now)."""
    return {
        page: {
            key: round(value / max(after[page][key], 1e-3), 1)
            for key, value in row.items()
            if key.endswith("_s") and page in after
        }
        for page, row in before.items()
        if isinstance(row, dict) and page in after
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--store", help="an ingested store to reuse (written if missing)")
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to measure, in order")
    parser.add_argument("--baseline-ref", help="a git commit to measure first, for before/after")
    args = parser.parse_args()
    pages = tuple(p for p in args.pages.split(",") if p)
    if not args.baseline_ref:
        print(json.dumps(measure(args.accounts, args.store, pages)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "big.duckdb"
        built = build_store(args.accounts, store, Path(tmp)) if not store.exists() else {}
        before = baseline(args.baseline_ref, store, pages)
        out = measure(args.accounts, str(store), pages)
    out.update({k: v for k, v in built.items() if k == "ingest_s"})
    out["baseline"] = {"ref": args.baseline_ref, "pages": before}
    out["speedup"] = ratios(before, out["pages"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
