"""Scale benchmark: kolmap on 100k, 1M and 10M-edge samples against two baselines.

For each size the sample generator writes canonical CSV files (accounts, posts, follows).
Every measured step then runs in a fresh child process, so its wall time and peak memory
(``wait4``) are its own:

- ``ingest``: ``kolmap ingest`` of the folder into a new DuckDB store;
- ``rank``: projection and ranking of one area (all five kinds, score components computed
  once), of all data, and of every area in turn; exports (ranking CSV and a GEXF map of the
  area); it also writes the weighted edges and the PageRank reset vector kolmap used for its
  all-data ``pagerank`` component, for the baselines;
- baseline (a), ``networkx``: pandas ``read_csv`` of those edges, a weighted ``DiGraph``,
  ``pagerank`` (same weights, reset and damping) and ``louvain_communities``;
- baseline (b), the floor: pyarrow CSV read, an igraph graph from the arrays, PRPACK
  personalised PageRank and Leiden with kolmap's settings: the same arithmetic with nothing
  else around it.

Agreement: Spearman correlation of kolmap's PageRank with networkx's on networkx's top
1,000 accounts. The results are appended to docs/benchmarks.md (section "Scale").

    python benchmarks/scale.py [--sizes 100k,1M,10M] [--out docs/benchmarks.md]
        [--baseline-timeout 1800] [--samples DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import machine  # type: ignore[import-not-found]  # noqa: E402  (a sibling script)

# Generator scale that gives about this many follow + interaction edges (all data).
SIZES = {"100k": 5.6, "1M": 56.0, "10M": 560.0}
AREA = "oncology"

GENERATE_STEP = r"""
import json, sys, time
from pathlib import Path
from kolmap.data.samples.generate import generate, write_sample
t = time.perf_counter()
folder = write_sample(generate(seed=11, scale=float(sys.argv[1])), Path(sys.argv[2]))
print(json.dumps({"generate_s": time.perf_counter() - t, "folder": str(folder)}))
"""

INGEST_STEP = r"""
import json, sys, time
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.settings import Settings
folder, store_path = sys.argv[1:3]
t = time.perf_counter()
# As `kolmap ingest` opens it: with the store.memory_limit setting (default 4GB).
with DuckDBStore(store_path, memory_limit=Settings().store.memory_limit) as store:
    summary = ingest_paths(store, [folder], quarantine_dir=store_path + ".q")
    seconds = time.perf_counter() - t
    stats = store.stats()
print(json.dumps({"ingest_s": seconds, "accounts": stats["accounts"], "posts": stats["posts"],
                  "follows": stats["follows"], "rows_read": summary.rows_read}))
"""

# One new account and its post ingested into the store of a size: what a team's daily file
# costs once the store is large (the derivation reads the whole store; the texts' hashes
# and the text roles are kept, so only the new ones are computed).
SMALL_INGEST_STEP = r"""
import json, sys, time
from pathlib import Path
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.settings import Settings
store_path, work = sys.argv[1:3]
folder = Path(work) / "one-post"
folder.mkdir()
(folder / "accounts.csv").write_text(
    "platform,account_id,handle,display_name,bio\n"
    "x,bench-new-1,bench_new_onc,Bench New,Oncologist at a regional cancer centre\n", "utf-8")
(folder / "posts.csv").write_text(
    "platform,post_id,author_id,created_at,text\n"
    "x,bench-new-p1,bench-new-1,2026-03-01T10:00:00Z,New data on #breastcancer today\n",
    "utf-8")
t = time.perf_counter()
with DuckDBStore(store_path, memory_limit=Settings().store.memory_limit) as store:
    ingest_paths(store, [folder], quarantine_dir=store_path + ".q1")
print(json.dumps({"small_ingest_s": time.perf_counter() - t}))
"""

# Child code shared with neo4j_bench.py: project a scope, then rank all five kinds with the
# score components computed once; returns the projection, its components and both times.
RANK_SCOPE = r"""
from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import RankKind, rank

def rank_scope(store, scope, settings):
    t = time.perf_counter()
    projection = store.projection(scope)
    projected = time.perf_counter()
    parts = compute_components(projection, settings)
    for kind in RankKind:
        rank(projection, kind, settings, components=parts)
    return projection, parts, projected - t, time.perf_counter() - projected
"""

RANK_STEP = (
    r"""
import json, sys, time
import numpy as np
from kolmap.export.exporter import export
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.areas import load_taxonomy
from kolmap.scoring.components import jump_weights, weighted_edges
from kolmap.settings import ScoringSettings, Settings
"""
    + RANK_SCOPE
    + r"""
store_path, area, work = sys.argv[1:4]
settings = ScoringSettings()
out = {}
with DuckDBStore(store_path, memory_limit=Settings().store.memory_limit) as store:
    scoped = Scope(area=area)
    _p, _c, out["project_area_s"], out["rank_area_s"] = rank_scope(store, scoped, settings)
    everything, parts_all, out["project_all_s"], out["rank_all_s"] = rank_scope(
        store, Scope(), settings
    )
    out["edges_all"] = len(everything.edges)
    out["nodes_all"] = len(everything.nodes)
    t = time.perf_counter()
    areas = sorted(load_taxonomy().areas)
    for each in areas:
        scoped = store.projection(Scope(area=each))
        rank(scoped, "kol", settings)
    out["all_areas_s"] = time.perf_counter() - t
    out["areas"] = len(areas)
    t = time.perf_counter()
    export(store, Scope(area=area), kind="kol", fmt="csv", out=work + "/kol.csv")
    export(store, Scope(area=area), kind="kol", fmt="gexf", out=work + "/map.gexf")
    out["export_s"] = time.perf_counter() - t
    # What kolmap's all-data `pagerank` component ran on, for the baselines.
    weighted_edges(everything, settings, parts_all)[["src", "dst", "weight"]].to_csv(
        work + "/edges.csv", index=False
    )
    reset = jump_weights(
        parts_all["source_weight"].to_numpy() * parts_all["trust"].to_numpy(),
        parts_all["relevance"].to_numpy(),
    )
    np.save(work + "/reset.npy", reset)
    np.save(work + "/kolmap_pr.npy", parts_all["pagerank"].to_numpy())
print(json.dumps(out))
"""
)

NETWORKX_STEP = r"""
import json, sys, time
import networkx as nx
import numpy as np
import pandas as pd
work, damping, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
reset = np.load(work + "/reset.npy")
t = time.perf_counter()
edges = pd.read_csv(work + "/edges.csv")
g = nx.DiGraph()
g.add_nodes_from(range(len(reset)))
for s, d, w in zip(edges["src"].tolist(), edges["dst"].tolist(), edges["weight"].tolist()):
    if g.has_edge(s, d):
        g[s][d]["weight"] += w
    else:
        g.add_edge(s, d, weight=w)
personal = {i: float(v) for i, v in enumerate(reset)}
pr = nx.pagerank(g, alpha=damping, personalization=personal, weight="weight")
pagerank_s = time.perf_counter() - t
communities = nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=seed)
seconds = time.perf_counter() - t
np.save(work + "/networkx_pr.npy", np.array([pr[i] for i in range(len(reset))]))
# networkx stops when the L1 change is below n * 1e-6: loose on 100k+ nodes. The oracle for
# agreement is the same call run to convergence (not timed).
exact = nx.pagerank(g, alpha=damping, personalization=personal, weight="weight", tol=1e-13,
                    max_iter=10_000)
np.save(work + "/networkx_exact_pr.npy", np.array([exact[i] for i in range(len(reset))]))
print(json.dumps({"networkx_s": seconds, "networkx_pagerank_s": pagerank_s,
                  "networkx_communities": len(communities)}))
"""

FLOOR_STEP = r"""
import json, random, sys, time
import igraph as ig
import numpy as np
import pyarrow.csv as pacsv
work = sys.argv[1]
damping, seed, resolution = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
reset = np.load(work + "/reset.npy")
t = time.perf_counter()
table = pacsv.read_csv(work + "/edges.csv")
src = table["src"].to_numpy()
dst = table["dst"].to_numpy()
w = table["weight"].to_numpy()
g = ig.Graph(n=len(reset), edges=np.column_stack([src, dst]).tolist(), directed=True)
g.es["weight"] = w
g.simplify(combine_edges="sum")
pr = g.personalized_pagerank(damping=damping, reset=reset.tolist(), weights="weight",
                             implementation="prpack")
u = g.as_undirected(combine_edges="sum")
u.simplify(combine_edges="sum")
ig.set_random_number_generator(random.Random(seed))
parts = u.community_leiden(objective_function="modularity", weights="weight",
                           resolution=resolution, n_iterations=-1)
print(json.dumps({"floor_s": time.perf_counter() - t, "floor_communities": len(parts)}))
"""

# The same two baselines started from the input files kolmap ingests (the generated CSVs),
# so that they do the whole job that `ingest + rank` does, minus what only kolmap does
# (validation and quarantine, role inference, area tags, provenance, per-area scopes). Edges:
# follows, and a post's author to the author of the post it replies to, reposts or quotes and
# to the accounts it mentions (by handle; reposts repeat the original's mentions, so none),
# counted per pair; plain PageRank and modularity communities on them.
NETWORKX_FILES_STEP = r"""
import json, sys, time
import networkx as nx
import pandas as pd
folder, damping, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
accounts = pd.read_csv(folder + "/accounts.csv", dtype=str,
                       usecols=["platform", "account_id", "handle"])
posts = pd.read_csv(folder + "/posts.csv", dtype=str,
                    usecols=["platform", "post_id", "author_id", "text", "reply_to_post_id",
                             "repost_of_post_id", "quote_of_post_id"])
follows = pd.read_csv(folder + "/follows.csv", dtype=str)

def key(frame, col):
    return frame["platform"] + ":" + frame[col]

posts["src"] = key(posts, "author_id")
author_of = dict(zip(key(posts, "post_id"), posts["src"]))
pieces = [pd.DataFrame({"src": key(follows, "follower_id"), "dst": key(follows, "followed_id")})]
for col in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
    linked = posts[posts[col].notna()]
    pieces.append(pd.DataFrame({"src": linked["src"],
                                "dst": key(linked, col).map(author_of)}).dropna())
accounts = accounts[accounts["handle"].notna()]
by_handle = dict(zip(accounts["platform"] + ":" + accounts["handle"].str.lstrip("@").str.lower(),
                     key(accounts, "account_id")))
own = posts[posts["repost_of_post_id"].isna() & posts["text"].notna()]
mentions = own.assign(handle=own["text"].str.findall(
    r"(?<![\w@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?)")).explode("handle")
mentions = mentions[mentions["handle"].notna()]
mentions["dst"] = (mentions["platform"] + ":" + mentions["handle"].str.lower()).map(by_handle)
pieces.append(mentions[["src", "dst"]].dropna())
edges = pd.concat(pieces)
edges = edges[edges["src"] != edges["dst"]]
weights = edges.groupby(["src", "dst"]).size().reset_index(name="weight")
g = nx.DiGraph()
g.add_weighted_edges_from(weights.itertuples(index=False, name=None))
pr = nx.pagerank(g, alpha=damping, weight="weight")
communities = nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=seed)
print(json.dumps({"networkx_files_s": time.perf_counter() - t,
                  "networkx_files_edges": len(weights),
                  "networkx_files_communities": len(communities)}))
"""

FLOOR_FILES_STEP = r"""
import json, random, sys, time
import duckdb
import igraph as ig
folder, damping, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
resolution = float(sys.argv[4])
t = time.perf_counter()
con = duckdb.connect()
for name in ("accounts", "posts", "follows"):
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv('{folder}/{name}.csv', "
                "all_varchar=true)")
con.execute(r'''CREATE TABLE e AS
WITH p AS (SELECT platform, post_id, author_id, text, reply_to_post_id AS r,
                  repost_of_post_id AS s, quote_of_post_id AS q FROM posts),
links AS (
  SELECT platform, follower_id AS src, followed_id AS dst FROM follows
  UNION ALL SELECT a.platform, a.author_id, b.author_id FROM p a JOIN p b
    ON b.platform = a.platform AND b.post_id = a.r
  UNION ALL SELECT a.platform, a.author_id, b.author_id FROM p a JOIN p b
    ON b.platform = a.platform AND b.post_id = a.s
  UNION ALL SELECT a.platform, a.author_id, b.author_id FROM p a JOIN p b
    ON b.platform = a.platform AND b.post_id = a.q
  UNION ALL SELECT m.platform, m.author_id, ac.account_id FROM (
      SELECT platform, author_id, lower(unnest(regexp_extract_all(text,
        '(?:^|[^\pL\pN_@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?)', 1))) AS h
      FROM p WHERE s IS NULL) m
    JOIN accounts ac ON ac.platform = m.platform AND lower(ltrim(ac.handle, '@')) = m.h)
SELECT platform || ':' || src AS src, platform || ':' || dst AS dst, count(*) AS w
FROM links WHERE src <> dst GROUP BY ALL''')
con.execute('''CREATE TABLE ids AS SELECT n, (row_number() OVER ()) - 1 AS i
               FROM (SELECT src AS n FROM e UNION SELECT dst FROM e)''')
arrays = con.execute('''SELECT s.i AS a, d.i AS b, e.w AS w FROM e JOIN ids s ON s.n = e.src
                        JOIN ids d ON d.n = e.dst''').fetchnumpy()
count = con.execute("SELECT count(*) FROM ids").fetchone()[0]
g = ig.Graph(n=count, edges=list(zip(arrays["a"].tolist(), arrays["b"].tolist())),
             directed=True)
g.es["weight"] = arrays["w"].tolist()
pr = g.pagerank(damping=damping, weights="weight", implementation="prpack")
u = g.as_undirected(combine_edges="sum")
ig.set_random_number_generator(random.Random(seed))
parts = u.community_leiden(objective_function="modularity", weights="weight",
                           resolution=resolution, n_iterations=-1)
print(json.dumps({"floor_files_s": time.perf_counter() - t, "floor_files_edges": len(g.es),
                  "floor_files_communities": len(parts)}))
"""


def child(code: str, *args: str, timeout: float | None = None) -> tuple[dict[str, Any], float]:
    """Run ``code`` in a fresh interpreter: its JSON output and its own peak RSS in MB.

    A child that runs past ``timeout`` is killed and reported as ``{"timed_out": seconds}``.
    """
    # Its output goes to files, not pipes: a parent that reads a pipe only at the end hangs
    # with a child that fills it (64 KB), as the 10M-edge ingest did with DuckDB's
    # progress bars.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err)
        started = time.monotonic()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                proc.kill()
                _pid, _status, usage = os.wait4(proc.pid, 0)
                return {"timed_out": timeout}, usage.ru_maxrss / 1024
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark step failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def spearman_top(work: Path, oracle: str, top: int = 1000) -> float:
    """Spearman correlation of kolmap's and networkx's PageRank on networkx's top ``top``."""
    import numpy as np
    from scipy.stats import spearmanr

    ours = np.load(work / "kolmap_pr.npy")
    theirs = np.load(work / f"{oracle}.npy")
    best = np.argsort(-theirs)[:top]
    return float(spearmanr(ours[best], theirs[best]).statistic)


def generated(label: str, scale: float, work: Path, samples: Path | None) -> dict[str, Any]:
    """The generated sample of a size: ``{"folder", "generate_s"}``. With ``samples``, kept
    there and used again by the next run at the same scale (the 10M sample takes minutes
    and 11 GB to generate; the generator is seeded, so its files are the same)."""
    kept = samples / label if samples is not None else None
    note = kept / "made.json" if kept is not None else None
    if note is not None and note.exists():
        made: dict[str, Any] = json.loads(note.read_text(encoding="utf-8"))
        if made.get("scale") == scale and Path(made["folder"]).is_dir():
            return made
    # Generated in a child too: a child's peak RSS starts at its parent's size when forked,
    # so the parent must stay small for the children's peaks to be their own.
    if kept is not None:
        kept.mkdir(parents=True, exist_ok=True)
    made, _peak = child(GENERATE_STEP, str(scale), str((kept or work) / "sample"))
    if note is not None:
        note.write_text(json.dumps({**made, "scale": scale}), encoding="utf-8")
    return made


def measure(
    label: str, scale: float, tmp: Path, timeout: float, samples: Path | None = None
) -> dict[str, Any]:
    from kolmap.settings import ScoringSettings

    settings = ScoringSettings()
    work = tmp / label
    work.mkdir()
    made = generated(label, scale, work, samples)
    folder = Path(made["folder"])
    row: dict[str, Any] = {"size": label, "scale": scale, "generate_s": made["generate_s"]}
    store = str(work / "bench.duckdb")
    ingest, row["ingest_peak_mb"] = child(INGEST_STEP, str(folder), store)
    row.update(ingest)
    ranked, row["rank_peak_mb"] = child(RANK_STEP, store, AREA, str(work))
    row.update(ranked)
    small, row["small_ingest_peak_mb"] = child(SMALL_INGEST_STEP, store, str(work))
    row.update(small)
    knobs = (str(settings.damping), str(settings.seed))
    floor, row["floor_peak_mb"] = child(FLOOR_STEP, str(work), *knobs, str(settings.resolution))
    row.update(floor)
    nx_out, row["networkx_peak_mb"] = child(NETWORKX_STEP, str(work), *knobs, timeout=timeout)
    row.update(nx_out)
    files = str(folder)
    floor_files, row["floor_files_peak_mb"] = child(
        FLOOR_FILES_STEP, files, *knobs, str(settings.resolution)
    )
    row.update(floor_files)
    nx_files, row["networkx_files_peak_mb"] = child(
        NETWORKX_FILES_STEP, files, *knobs, timeout=timeout
    )
    row.update({"networkx_files_timed_out": True} if "timed_out" in nx_files else nx_files)
    if "timed_out" not in nx_out:
        row["spearman_top1000"] = spearman_top(work, "networkx_exact_pr")
        row["spearman_top1000_default_tol"] = spearman_top(work, "networkx_pr")
    row["peak_mb"] = max(row["ingest_peak_mb"], row["rank_peak_mb"])
    return row


def write_section(rows: list[dict[str, Any]], out: Path, timeout: float) -> None:
    """Replace the "Scale" section of ``out`` (or append it) with a table of ``rows``."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    head, _sep, rest = text.partition("\n## Scale")
    _old, next_heading, after = rest.partition("\n## ")
    tail = next_heading + after if next_heading else ""  # sections after this one stay
    lines = [
        "",
        "## Scale: 100k, 1M and 10M edges against networkx and the array floor",
        "",
        f"`benchmarks/scale.py` (part of `make bench`) on {time.strftime('%Y-%m-%d')}. "
        f"Machine: {machine()}.",
        "",
        "Edges are follows plus interactions (reposts, quotes, mentions, replies) of the "
        "all-data projection; posts grow in proportion. Each step runs in a fresh process; "
        "peak is its own maximum resident memory. Baseline (a) is a straightforward networkx "
        "pipeline and (b) the floor (pyarrow + igraph), both on the weighted edge list kolmap "
        "ranked, so they do no parsing, validation, role inference or area tagging. A ratio "
        "is baseline time / kolmap time: above 1, kolmap is faster. Spearman compares "
        "kolmap's PageRank with networkx's on networkx's top 1,000, networkx run to "
        "convergence (in brackets: with its default tolerance, n × 1e-6 in L1, which stops "
        "early on large graphs).",
        "",
        "| edges | accounts | posts | ingest s | area: project + rank 5 kinds s | all data: "
        "project + rank 5 kinds s | every area (kol) s | export s | peak MB | networkx s "
        "| networkx peak MB | floor s | floor peak MB | ingest + rank one area vs networkx "
        "| vs floor | all data rank vs networkx | vs floor | Spearman top 1,000 |",
        "|" + "---|" * 19,
    ]
    for r in rows:
        area = r["project_area_s"] + r["rank_area_s"]
        whole = r["project_all_s"] + r["rank_all_s"]
        first = r["ingest_s"] + area
        nx_s = r.get("networkx_s")
        nx_cell = f"{nx_s:.1f}" if nx_s else f"> {timeout:.0f} (stopped)"
        lines.append(
            f"| {r['edges_all']:,} | {r['accounts']:,} | {r['posts']:,} | {r['ingest_s']:.1f} "
            f"| {area:.2f} | {whole:.2f} | {r['all_areas_s']:.1f} | {r['export_s']:.2f} "
            f"| {r['peak_mb']:,.0f} | {nx_cell} | {r['networkx_peak_mb']:,.0f} "
            f"| {r['floor_s']:.2f} | {r['floor_peak_mb']:,.0f} "
            f"| {_ratio(nx_s, first)} | {_ratio(r['floor_s'], first)} "
            f"| {_ratio(nx_s, whole)} | {_ratio(r['floor_s'], whole)} "
            + (
                f"| {r['spearman_top1000']:.4f} ({r['spearman_top1000_default_tol']:.3f}) |"
                if "spearman_top1000" in r
                else "| n/a |"
            )
        )
    lines += [
        "",
        "The same baselines started from the input files kolmap ingests (the generated "
        "accounts, posts and follows CSVs): they read them (pandas; DuckDB for the floor), "
        "derive the follow, reply, repost, quote and mention edges, count them per pair, "
        "then run PageRank and Louvain (networkx) or PRPACK PageRank and Leiden (igraph). "
        "They still skip what only kolmap does: validation and quarantine, role inference, "
        "area tags, provenance and per-area scopes.",
        "",
        "| edges | kolmap ingest + rank one area s | networkx from files s | peak MB "
        "| floor from files s | peak MB | edges they ranked | vs networkx | vs floor |",
        "|" + "---|" * 9,
    ]
    for r in rows:
        first = r["ingest_s"] + r["project_area_s"] + r["rank_area_s"]
        nx_s = r.get("networkx_files_s")
        lines.append(
            f"| {r['edges_all']:,} | {first:.1f} "
            f"| {f'{nx_s:.1f}' if nx_s else f'> {timeout:.0f} (stopped)'} "
            f"| {r['networkx_files_peak_mb']:,.0f} | {r['floor_files_s']:.2f} "
            f"| {r['floor_files_peak_mb']:,.0f} | {r['floor_files_edges']:,} "
            f"| {_ratio(nx_s, first)} | {_ratio(r['floor_files_s'], first)} |"
        )
    lines += [
        "",
        "One new account with one post ingested into the store of each size, "
        "against the ingest that filled it:",
        "",
    ]
    lines += [
        f"- {r['edges_all']:,} edges: {r['small_ingest_s']:.1f} s "
        f"({r['small_ingest_s'] / r['ingest_s']:.0%} of the {r['ingest_s']:.1f} s ingest), "
        f"peak {r['small_ingest_peak_mb']:,.0f} MB"
        for r in rows
        if "small_ingest_s" in r
    ]
    lines += [f"\nNote on {r['size']}: {r['note']}" for r in rows if r.get("note")]
    lines += ["", "Targets of the scale issue, checked against the rows above:", ""]
    lines += [f"- {line}" for line in _targets(rows)]
    lines += [
        "",
        "Where the time goes: ranking stays within a small factor of the floor (the floor "
        "runs the same igraph PageRank and Leiden once; kolmap adds two more personalised "
        "PageRanks, the endorser counts, five composite rankings and their reasons). Ingest "
        "reads canonical accounts, posts and follows in bulk (one DuckDB query per file, "
        "`ingest/fast/`, role inference included; the same records as the row-by-row "
        "reader); what remains is that query's regular expressions (hashtags, mentions, "
        "keywords, role phrases), staging into the disk-backed staging database that keeps "
        "memory bounded, and the transactional merge (deduplication, stubs for unknown "
        "authors and mentioned handles, sub-records). The breakdown per file is in the "
        "section above.",
        "",
        "The floor from the files is not steady: most of its time is Leiden run to "
        "convergence, whose number of passes depends on the order in which DuckDB's "
        "parallel joins hand out the edges, so the same script took between 4.3 s and 11 s "
        "at 1M edges on this machine from one run to the next. The floor on kolmap's edge "
        "list gets its edges sorted and varies little; it is the one to hold kolmap to.",
        "",
    ]
    out.write_text(head.rstrip("\n") + "\n" + "\n".join(lines) + tail, encoding="utf-8")


def _targets(rows: list[dict[str, Any]]) -> list[str]:
    """One line per target: what it asks, what was measured, met or not."""
    found = []
    by_size = {r["size"]: r for r in rows}
    one = by_size.get("1M")
    if one:
        first = one["ingest_s"] + one["project_area_s"] + one["rank_area_s"]
        nx_s = one.get("networkx_s")
        for label, nx_time in (
            ("on kolmap's edge list", nx_s),
            ("from the files", one.get("networkx_files_s")),
        ):
            if nx_time:
                ratio = nx_time / first
                found.append(
                    f"1M edges, ingest + rank of one area at least 10× faster than networkx "
                    f"({label}): {ratio:.2f}× ({first:.1f} s against {nx_time:.1f} s): "
                    + ("met" if ratio >= 10 else "**not met**")
                )
        for label, floor_time in (
            ("on kolmap's edge list", one["floor_s"]),
            ("from the files", one["floor_files_s"]),
        ):
            floor = floor_time / first
            found.append(
                f"1M edges, within 2× of the floor ({label}): kolmap takes {1 / floor:.1f}× "
                f"the floor's time ({first:.1f} s against {floor_time:.1f} s): "
                + ("met" if floor >= 0.5 else "**not met**")
            )
        whole = one["project_all_s"] + one["rank_all_s"]
        found.append(
            f"(ranking alone, all data at 1M edges: {whole:.1f} s, "
            f"{one['floor_s'] / whole:.2f}× the floor's speed"
            + (f", {nx_s / whole:.1f}× networkx's)" if nx_s else ")")
        )
    ten = by_size.get("10M")
    if ten:
        found.append(
            f"10M edges completes with peak memory under 8 GB: completed, peak "
            f"{ten['peak_mb']:,.0f} MB: " + ("met" if ten["peak_mb"] < 8192 else "**not met**")
        )
    for r in rows:
        rho = r.get("spearman_top1000")
        if rho is not None:
            found.append(
                f"{r['size']}: Spearman ≥ 0.99 with networkx on the top 1,000 PageRank: "
                f"{rho:.4f}: " + ("met" if rho >= 0.99 else "**not met**")
            )
        else:
            found.append(f"{r['size']}: networkx did not finish; no agreement figure")
    return found


def _ratio(baseline: float | None, ours: float) -> str:
    return f"{baseline / ours:.2f}×" if baseline else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100k,1M,10M", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--out", default=str(HERE.parent / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--baseline-timeout",
        type=float,
        default=1800,
        help="seconds the networkx baseline may run before it is stopped",
    )
    parser.add_argument("--json", default=None, help="also write the raw rows to this file")
    parser.add_argument(
        "--samples",
        default=None,
        help="keep the generated samples in this folder and use them again (same scale)",
    )
    parser.add_argument(
        "--from-json", default=None, help="write the report from rows saved by --json"
    )
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        write_section(saved, Path(args.out), args.baseline_timeout)
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="kolmap-scale-") as tmp:
        for label in args.sizes.split(","):
            samples = Path(args.samples) if args.samples else None
            rows.append(measure(label, SIZES[label], Path(tmp), args.baseline_timeout, samples))
            print(json.dumps(rows[-1]), flush=True)
            if args.json:
                Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    write_section(rows, Path(args.out), args.baseline_timeout)


if __name__ == "__main__":
    main()
