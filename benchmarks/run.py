"""kolmap benchmarks: ingest and ranking on generated samples, against a networkx baseline.

Each measured step runs in its own child process, so its wall time and peak memory are its
own. Figures are also given as ratios against a baseline run in this same script on the same
data: a straightforward networkx pipeline (pandas read of the edge list, DiGraph, PageRank,
Louvain). Results go to docs/benchmarks.md.

    python benchmarks/run.py [--sizes 1,2.2] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

KOLMAP_STEP = r"""
import json, sys, time
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.scoring.rank import rank, RankKind
folder, store_path, edges_out = sys.argv[1:4]
out = {}
t = time.perf_counter()
with DuckDBStore(store_path) as store:
    summary = ingest_paths(store, [folder], quarantine_dir=store_path + ".q")
    out["ingest_s"] = time.perf_counter() - t
    out["accounts"] = summary.merge["accounts"]["added"]
    out["posts"] = summary.merge["posts"]["added"]
    out["follows"] = summary.merge["follows"]["added"]
    t = time.perf_counter()
    projection = store.projection(Scope(area="oncology"))
    out["project_area_s"] = time.perf_counter() - t
    t = time.perf_counter()
    for kind in RankKind:
        rank(projection, kind)
    out["rank_area_all_kinds_s"] = time.perf_counter() - t
    t = time.perf_counter()
    everything = store.projection(Scope())
    rank(everything, "kol")
    out["project_and_rank_all_s"] = time.perf_counter() - t
    out["edges_all"] = len(everything.edges)
    e = everything.edges
    e.assign(w=1.0)[["src", "dst"]].to_csv(edges_out, index=False)
print(json.dumps(out))
"""

BASELINE_STEP = r"""
import json, sys, time
import networkx as nx
import pandas as pd
t = time.perf_counter()
edges = pd.read_csv(sys.argv[1])
g = nx.DiGraph()
for s, d in zip(edges["src"].tolist(), edges["dst"].tolist()):
    if g.has_edge(s, d):
        g[s][d]["weight"] += 1.0
    else:
        g.add_edge(s, d, weight=1.0)
pr = nx.pagerank(g, weight="weight")
communities = nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=42)
print(json.dumps({"baseline_s": time.perf_counter() - t, "communities": len(communities)}))
"""


def run_child(code: str, *args: str) -> tuple[dict[str, Any], float]:
    """Run ``code`` in a fresh interpreter; return its JSON output and peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(proc.stdout.strip().splitlines()[-1]), max(peak, before) / 1024


def machine() -> str:
    import duckdb
    import igraph
    import networkx

    cpu = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {cpu} cores, {mem:.0f} GiB; Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}, igraph "
        f"{igraph.__version__}, networkx {networkx.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,2.2", help="generator scales to measure")
    parser.add_argument("--out", default=str(HERE.parent / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--ui-accounts",
        type=int,
        default=100_000,
        help="accounts for the app's page benchmark (0 skips it)",
    )
    parser.add_argument(
        "--ui-baseline-ref",
        help="a git commit the app's page benchmark measures first (before/after, same run)",
    )
    args = parser.parse_args()
    from kolmap.data.samples.generate import generate, write_sample

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in [float(s) for s in args.sizes.split(",")]:
            folder = write_sample(generate(seed=11, scale=scale), Path(tmp) / f"s{scale}")
            store = str(Path(tmp) / f"s{scale}.duckdb")
            edges = str(Path(tmp) / f"s{scale}-edges.csv")
            ours, _ = run_child(KOLMAP_STEP, str(folder), store, edges)
            base, _ = run_child(BASELINE_STEP, edges)
            ours_peak = _peak_of(KOLMAP_STEP, str(folder), store + "2", edges + "2")
            base_peak = _peak_of(BASELINE_STEP, edges)
            rows.append(
                {
                    "scale": scale,
                    **ours,
                    **base,
                    "peak_mb": ours_peak,
                    "baseline_peak_mb": base_peak,
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    ui = None
    if args.ui_accounts:
        extra = ["--baseline-ref", args.ui_baseline_ref] if args.ui_baseline_ref else []
        proc = subprocess.run(
            [
                sys.executable,
                str(HERE / "ui_bench.py"),
                "--accounts",
                str(args.ui_accounts),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        ui = json.loads(proc.stdout.strip().splitlines()[-1])
        print(json.dumps(ui), flush=True)
    write_report(rows, Path(args.out), ui)


def _peak_of(code: str, *args: str) -> float:
    """Peak RSS of one child, measured with /usr/bin/time-like wait4 accounting."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def write_report(rows: list[dict[str, Any]], out: Path, ui: dict[str, Any] | None) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`benchmarks/run.py`) on " + time.strftime("%Y-%m-%d") + ".",
        "",
        "Machine: " + machine() + ".",
        "",
        "Each step runs in a fresh process on data from the sample generator (seed 11). The",
        "baseline is a straightforward networkx pipeline run by the same script on the same",
        "edges (the all-data projection kolmap built): pandas `read_csv`, a weighted `DiGraph`,",
        "`pagerank` and `louvain_communities`. A ratio above 1 means kolmap is faster.",
        "",
        "| accounts | posts | follows | edges (all) | ingest s | area projection s | "
        "rank 4 kinds, 1 area s | project + rank all data s | peak MB | baseline s | "
        "baseline peak MB | speed-up vs baseline (project + rank all) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["baseline_s"] / r["project_and_rank_all_s"]
        lines.append(
            f"| {r['accounts']:,} | {r['posts']:,} | {r['follows']:,} | {r['edges_all']:,} | "
            f"{r['ingest_s']:.2f} | {r['project_area_s']:.2f} | {r['rank_area_all_kinds_s']:.2f}"
            f" | {r['project_and_rank_all_s']:.2f} | {r['peak_mb']:.0f} | {r['baseline_s']:.2f}"
            f" | {r['baseline_peak_mb']:.0f} | {ratio:.1f}× |"
        )
    lines += [
        "",
        "Ingest covers parsing, validation, role inference, area tagging and the transactional",
        "merge into a fresh DuckDB file. The networkx baseline does less work than kolmap's",
        "ranking (one PageRank and Louvain; kolmap runs three personalised PageRanks, Leiden and",
        "all score components), so the ratio understates the difference per unit of work.",
        "The 100k/1M/10M-edge benchmark against networkx and an array-level floor is the Scale",
        "section below.",
        "",
    ]
    if ui:
        lines += ui_section(ui)
    out.write_text("\n".join(lines) + _other_sections(out), "utf-8")


UI_STEPS = (
    ("first_load_s", "first load (nothing computed yet, on disk either)"),
    ("restart_first_load_s", "first load after a restart (scopes on disk)"),
    ("cached_s", "same page again (cached)"),
    ("new_area_first_s", "Leaderboard: a new area (oncology), first time"),
    ("new_area_cached_s", "Leaderboard: that area again"),
    ("back_to_all_s", "Leaderboard: back to all data"),
)


def ui_section(ui: dict[str, Any]) -> list[str]:
    """The app's pages on a large store (``ui_bench.py``), before/after when it has both."""
    before = (ui.get("baseline") or {}).get("pages")
    ingest = f" (ingested in {ui['ingest_s']:.0f} s)" if ui.get("ingest_s") else ""
    lines = [
        "## The app's pages on a large store",
        "",
        f"{ui['accounts']:,} accounts and {ui['posts']:,} posts{ingest}, every page run under "
        "Streamlit's AppTest (`benchmarks/ui_bench.py`). Before each page's first load every "
        "cache is emptied, the computed scopes on disk too, as if the store had just been "
        "ingested and this were the first page opened; once the app's background warm-up "
        "is done, the in-memory caches are emptied again and the page reloaded, as after a "
        "restart of the app (its scopes read from disk, docs/ui.md); the page then runs "
        "again (cached). Peak MB: the process's peak resident size during the first load, "
        "above what it held before. Target: every first load ≤ 3 s, every cached run ≤ 1 s.",
        "",
    ]
    if before:
        lines += [
            f"Before: kolmap at `{ui['baseline']['ref']}`, measured first in the same run on "
            "the same store (`--baseline-ref`); speed-up = before / after.",
            "",
            "| page | step | before s | after s | speed-up | before peak MB | after peak MB |",
            "|---|---|---|---|---|---|---|",
        ]
    else:
        lines += ["| page | step | seconds | peak MB |", "|---|---|---|---|"]
    for page, row in ui["pages"].items():
        if not isinstance(row, dict):
            continue
        for key, label in UI_STEPS:
            if key not in row:
                continue
            peak = f"{row['peak_mb_above_start']:.0f}" if key == "first_load_s" else ""
            # Before the scopes were kept on disk, a restarted app computed everything again:
            # its first load after a restart was its first load.
            was_key = key
            if before and page in before and key not in before[page]:
                was_key = "first_load_s" if key == "restart_first_load_s" else key
            if before and page in before and was_key in before[page]:
                was = before[page]
                was_peak = f"{was['peak_mb_above_start']:.0f}" if key == "first_load_s" else ""
                lines.append(
                    f"| {page} | {label} | {was[was_key]:.2f} | {row[key]:.2f} | "
                    f"{was[was_key] / max(row[key], 1e-3):.1f}× | {was_peak} | {peak} |"
                )
            elif before:
                lines.append(f"| {page} | {label} | — | {row[key]:.2f} | | | {peak} |")
            else:
                lines.append(f"| {page} | {label} | {row[key]:.2f} | {peak} |")
    return [*lines, ""]


_OWN_SECTIONS = ("The app's leaderboard on a large store", "The app's pages on a large store")


def _other_sections(out: Path) -> str:
    """The sections of ``out`` this script does not write (the ingest breakdown, Scale,
    Neo4j), kept in their order after its own."""
    if not out.exists():
        return ""
    _preamble, *sections = out.read_text("utf-8").split("\n## ")
    kept = [s for s in sections if not s.startswith(_OWN_SECTIONS)]
    return "".join("\n## " + s.rstrip("\n") + "\n" for s in kept)


if __name__ == "__main__":
    main()
