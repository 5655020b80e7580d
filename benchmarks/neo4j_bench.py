"""The same graph on both stores: ingest and rank in DuckDB and in Neo4j.

Needs the `make neo4j` servers (it uses the one with GDS). For each size, in fresh child
processes: generate the sample; ingest it into a new DuckDB store and into an emptied Neo4j
database (through the Neo4j store: the merge on the local copy, then everything sent to
Neo4j); rank one area (all five kinds) and all data on each; on Neo4j also as a second user
with no copy: the first ranking of the area and of all data (their projections read from
what the first user kept in the graph) and, apart, the first command that needs the whole
graph (the local copy rebuilt from Neo4j); and write every area's rankings back into Neo4j
with GDS and in-process. Appends a section to docs/benchmarks.md.

    python benchmarks/neo4j_bench.py [--sizes 100k,1M] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # type: ignore[import-not-found]  # noqa: E402  (a sibling script)
from scale import (  # type: ignore[import-not-found]  # noqa: E402  (a sibling script)
    AREA,
    GENERATE_STEP,
    RANK_SCOPE,
    SIZES,
    child,
)

STEP = (
    r"""
import json, os, sys, time
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.mirror import Neo4jMirror
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.settings import ScoringSettings
"""
    + RANK_SCOPE
    + r"""
what, where, folder, work, area = sys.argv[1:6]
settings = ScoringSettings()
out = {}

def rank_both(store):
    for name, scope in (("area", Scope(area=area)), ("all", Scope())):
        _p, _c, projected, ranked = rank_scope(store, scope, settings)
        out[f"{what}_rank_{name}_s"] = projected + ranked

if what == "duckdb":
    with DuckDBStore(where) as store:
        t = time.perf_counter()
        ingest_paths(store, [folder], quarantine_dir=work + "/q1")
        out["duckdb_ingest_s"] = time.perf_counter() - t
        rank_both(store)
elif what == "neo4j":
    with Neo4jGraph.from_uri(where) as g:
        g.clear()
    t = time.perf_counter()
    with Neo4jMirror(Neo4jGraph.from_uri(where), cache_dir=work + "/copy1") as store:
        ingest_paths(store, [folder], quarantine_dir=work + "/q2")
        out["neo4j_ingest_s"] = time.perf_counter() - t
        rank_both(store)
    with Neo4jGraph.from_uri(where) as g:
        out["neo4j_elements"] = sum(g.count().values())
elif what == "neo4j_cold":
    # A second user's first ranking: open, then each scope's projection (read from what the
    # first user kept in the graph), components and five rankings.
    for name, scope in (("area", Scope(area=area)), ("all", Scope())):
        t = time.perf_counter()
        with Neo4jMirror(Neo4jGraph.from_uri(where), cache_dir=work + f"/copy2{name}") as store:
            rank_scope(store, scope, settings)
            out[f"neo4j_second_rank_{name}_s"] = time.perf_counter() - t
            out[f"neo4j_second_copied_{name}"] = store._copy.meta_value("neo4j_version") is not None
    # A command that needs the whole graph (stats): the copy rebuilt from Neo4j.
    t = time.perf_counter()
    with Neo4jMirror(Neo4jGraph.from_uri(where), cache_dir=work + "/copy3") as store:
        store.stats()
        out["neo4j_cold_open_s"] = time.perf_counter() - t
elif what == "send":
    # The pure send rate: the DuckDB store's every table written into an emptied Neo4j.
    from kolmap.graph.neo4j.transfer import to_neo4j
    with DuckDBStore(work + "/bench.duckdb", read_only=True) as store, Neo4jGraph.from_uri(
        where
    ) as g:
        t = time.perf_counter()
        to_neo4j(store.replica, g, replace=True)
        out["send_s"] = time.perf_counter() - t
        out["send_elements"] = sum(g.count().values())
elif what == "scores":
    from kolmap.export.neo4j_scores import publish_scores
    bench = work + "/bench.duckdb"
    with DuckDBStore(bench, read_only=True) as store, Neo4jGraph.from_uri(where) as g:
        for engine in (True, False):
            t = time.perf_counter()
            published = publish_scores(store, g, settings, use_gds=engine)
            out[("gds" if engine else "inprocess") + "_scores_s"] = time.perf_counter() - t
        out["scored"] = published.scored
print(json.dumps(out))
"""
)


def measure(label: str, tmp: Path) -> dict[str, Any]:
    import os

    password = (REPO / ".cache" / "neo4j" / "gds" / "password").read_text().strip()
    os.environ["KOLMAP_NEO4J_PASSWORD"] = password
    uri = "bolt://127.0.0.1:17687"
    work = tmp / label
    work.mkdir()
    made, _ = child(GENERATE_STEP, str(SIZES[label]), str(work / "sample"))
    folder = made["folder"]
    row: dict[str, Any] = {"size": label}
    for what, where in (
        ("duckdb", str(work / "bench.duckdb")),
        ("neo4j", uri),
        ("neo4j_cold", uri),
        ("scores", uri),
        ("send", uri),
    ):
        out, peak = child(STEP, what, where, folder, str(work), AREA)
        row.update(out)
        row[what + "_peak_mb"] = peak
    return row


# The figures before the loading work of the scale issue (2026-11-22, same machine and
# server; the DuckDB ingest then was the row-by-row reader): the baseline the new rows are
# read against.
BEFORE = (
    "Before (2026-11-22, same machine and server; the driver encoding every value in Python, "
    "whole rows sent again for the browsing relationships, seven queries per batch of posts, "
    "one writer; reading back through the driver's per-record dicts):",
    "",
    "| size | Neo4j elements | DuckDB ingest s | Neo4j ingest s | Neo4j / DuckDB ingest "
    "| elements/s (ingest) | Neo4j cold start s | cold start / DuckDB ingest |",
    "|---|---|---|---|---|---|---|---|",
    "| 100k | 327,363 | 6.3 | 115.5 | 18.3× | 2,834 | 23.3 | 3.7× |",
    "| 1M | 3,217,638 | 55.4 | 1056.4 | 19.1× | 3,046 | 217.2 | 3.9× |",
)


# The scale issue's targets for loading and for a second user's first command.
TARGET_ELEMENTS_PER_S = 50_000


def _targets(rows: list[dict[str, Any]]) -> list[str]:
    out = ["Against the targets of the scale issue:", ""]
    for r in rows:
        rate = r["send_elements"] / r["send_s"]
        met = "met" if rate >= TARGET_ELEMENTS_PER_S else "**not met**"
        out.append(
            f"- {r['size']}: send {rate:,.0f} elements/s against {TARGET_ELEMENTS_PER_S:,}: "
            f"{met}; a second user's first ranking (projections kept in the graph) "
            f"{r['neo4j_second_rank_area_s']:.1f} s for one area, "
            f"{r['neo4j_second_rank_all_s']:.1f} s for all data (seconds wanted: "
            f"{'met' if r['neo4j_second_rank_all_s'] < 10 else '**not met**'}); a first "
            f"command that needs the whole graph rebuilds the copy in "
            f"{r['neo4j_cold_open_s']:.0f} s"
        )
    return out


def write_section(rows: list[dict[str, Any]], out: Path) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    head, _sep, rest = text.partition("\n## Neo4j")
    tail = ""
    if rest:  # keep the sections after this one
        _old, sep2, after = rest.partition("\n## ")
        tail = sep2 + after if sep2 else ""
    lines = [
        "",
        "## Neo4j: the same graph on both stores",
        "",
        f"`benchmarks/neo4j_bench.py` on {time.strftime('%Y-%m-%d')}, against the `make neo4j` "
        f"server with GDS (Neo4j 5.26.12 Community, 2 GB heap) on the same machine. Machine: "
        f"{machine()}.",
        "",
        "Ingest into Neo4j is the same merge on the local copy plus sending every node and "
        "relationship to Neo4j. Ranking reads the local copy once it is current. A second "
        "user (or the first after another user wrote) ranks from the projections the first "
        'user kept in the graph for its version ("second user\'s first ranking": open, '
        "projection read, components, five rankings); a command that needs the whole graph "
        'rebuilds the copy from Neo4j ("cold start"). Scores: every area\'s rankings written '
        "back as SCORED relationships, PageRank/Leiden/degree by GDS or in-process.",
        "",
        "Send: the DuckDB store written into an emptied Neo4j database (`to_neo4j`, what "
        "`kolmap export-neo4j` runs), elements (nodes and relationships, the browsing ones "
        "included) per second. The ratios compare with the DuckDB ingest of the same run.",
        "",
        "| size | Neo4j elements | DuckDB ingest s | Neo4j ingest s | Neo4j / DuckDB ingest "
        "| elements/s (ingest) | send s | elements/s (send) | DuckDB rank area / all s "
        "| Neo4j rank area / all s | second user's first ranking area / all s "
        "| Neo4j cold start s | cold start / DuckDB ingest "
        "| scores GDS s | scores in-process s | peak MB DuckDB / Neo4j |",
        "|" + "---|" * 16,
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['neo4j_elements']:,} | {r['duckdb_ingest_s']:.1f} "
            f"| {r['neo4j_ingest_s']:.1f} | {r['neo4j_ingest_s'] / r['duckdb_ingest_s']:.1f}× "
            f"| {r['neo4j_elements'] / r['neo4j_ingest_s']:,.0f} "
            f"| {r['send_s']:.1f} | {r['send_elements'] / r['send_s']:,.0f} "
            f"| {r['duckdb_rank_area_s']:.2f} / "
            f"{r['duckdb_rank_all_s']:.2f} | {r['neo4j_rank_area_s']:.2f} / "
            f"{r['neo4j_rank_all_s']:.2f} | {r['neo4j_second_rank_area_s']:.1f} / "
            f"{r['neo4j_second_rank_all_s']:.1f} | {r['neo4j_cold_open_s']:.1f} "
            f"| {r['neo4j_cold_open_s'] / r['duckdb_ingest_s']:.1f}× "
            f"| {r['gds_scores_s']:.1f} | {r['inprocess_scores_s']:.1f} "
            f"| {r['duckdb_peak_mb']:,.0f} / {r['neo4j_peak_mb']:,.0f} |"
        )
    lines += ["", *_targets(rows), "", *BEFORE, ""]
    out.write_text(head.rstrip("\n") + "\n" + "\n".join(lines) + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--json", default=None)
    parser.add_argument("--from-json", default=None)
    args = parser.parse_args()
    if args.from_json:
        write_section(json.loads(Path(args.from_json).read_text()), Path(args.out))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="kolmap-neo4j-bench-") as tmp:
        for label in args.sizes.split(","):
            rows.append(measure(label, Path(tmp)))
            print(json.dumps(rows[-1]), flush=True)
            if args.json:
                Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    write_section(rows, Path(args.out))


if __name__ == "__main__":
    main()
