"""Capture every user-visible output of kolmap on one input, to compare two versions of the code.

Drives the ``kolmap`` command line only (the surface that must not change), so the same script
runs against any checkout: ``PYTHONPATH=<checkout's parent> python tools/golden.py ...``.

For the input folder it writes into ``OUT``:

- ``fingerprint.txt``: the store fingerprint without run provenance;
- ``rank/<area>__<kind>.csv``: every ranking (all areas and all data, every kind, all rows);
- ``accounts.csv``: ``kolmap accounts`` (roles, evidence, automation risk);
- ``export/<area>.<fmt>``: every export format for the first two areas, pseudonymised and not
  (XLSX as its cell values, since the zip carries timestamps);
- ``neo4j/``: with ``--neo4j URI`` (password in ``$KOLMAP_NEO4J_PASSWORD``), the graph sent to
  Neo4j and read back (fingerprint of the copy), the published scores read from the server.

Then ``diff -r OUT_BEFORE OUT_AFTER`` shows every difference. Export files name their creation
time in a few places (GEXF ``lastmodifieddate``, the HTML/JSON ``exported_at``); those lines
are normalised.

    python tools/golden.py FOLDER OUT [--neo4j bolt://127.0.0.1:17688] [--areas 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KINDS = ("kol", "dol", "influencer", "organisation", "any")
FORMATS = ("csv", "xlsx", "gexf", "graphml", "json", "html")
# Lines that carry the time of the export rather than its content.
VOLATILE = re.compile(
    r'(lastmodifieddate="[^"]*"|"exported_at": *"[^"]*"|exported_at=[^&"<\s]*'
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?)"
)


def kolmap(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kolmap.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"kolmap {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def python(code: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"python step failed:\n{done.stderr}")
    return done.stdout


FINGERPRINT = r"""
import sys
try:
    from kolmap.graph.duckdb import DuckDBStore
except ImportError:  # before the graph package was split
    from kolmap.graph.duckdb_store import DuckDBStore
with DuckDBStore(sys.argv[1], read_only=True) as store:
    print(store.fingerprint(provenance=False))
"""

XLSX_CELLS = r"""
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
for sheet in book.worksheets:
    print("#", sheet.title)
    for row in sheet.iter_rows(values_only=True):
        print("\t".join("" if v is None else repr(v) for v in row))
"""

SERVER_SCORES = r"""
import os, sys
import neo4j
auth = ("neo4j", os.environ["KOLMAP_NEO4J_PASSWORD"])
driver = neo4j.GraphDatabase.driver(sys.argv[1], auth=auth)
with driver.session() as session:
    rows = session.run(
        "MATCH (a)-[s:SCORED]->(t) RETURN a.platform AS p, a.account_id AS i, t.name AS area, "
        "[k IN keys(s) | k + '=' + toString(s[k])] AS props"
    ).data()
driver.close()
lines = sorted(
    " ".join([str(r["p"]), str(r["i"]), str(r["area"]), *sorted(r["props"])]) for r in rows
)
print("\n".join(lines))
"""


def normalise(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    path.write_text(VOLATILE.sub("<time>", text), encoding="utf-8")


def area_names(env: dict[str, str], store: str) -> list[str]:
    listed = json.loads(kolmap("stats", "--store", store, "--json", env=env))
    return sorted(listed["posts_by_area"])


def capture(folder: Path, out: Path, neo4j_uri: str | None, export_areas: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "rank").mkdir(parents=True)
    (out / "export").mkdir()
    work = Path(tempfile.mkdtemp(prefix="golden-"))
    store = str(work / "golden.duckdb")
    env = {
        **os.environ,
        "KOLMAP_PSEUDONYM_KEY": "golden-fixed-key",
        "KOLMAP_STORE": store,
        "KOLMAP_NEO4J_CACHE": str(work / "neo4j-cache"),  # kolmap before the neo4j settings
        "KOLMAP_NEO4J_CACHE_DIR": str(work / "neo4j-cache"),
    }
    env.pop("KOLMAP_CONFIG", None)
    kolmap("ingest", str(folder), "--store", store, env=env)
    (out / "fingerprint.txt").write_text(python(FINGERPRINT, store, env=env))
    areas = area_names(env, store)
    # Rankings as computed (kolmap rank pseudonymises by default since the views/ step).
    raw = ["--no-pseudonymise"] if "--no-pseudonymise" in kolmap("rank", "--help", env=env) else []
    (out / "areas.txt").write_text("\n".join(areas) + "\n")
    for area in [*areas, None]:
        for kind in KINDS:
            scope = ["--area", area] if area else []
            text = kolmap(
                "rank", *scope, "--kind", kind, "--top", "1000000", "--format", "csv", *raw,
                "--store", store, env=env,
            )  # fmt: skip
            (out / "rank" / f"{area or 'ALL'}__{kind}.csv").write_text(text)
    (out / "accounts.csv").write_text(
        kolmap("accounts", "--format", "csv", "--store", store, env=env)
    )
    for area in areas[:export_areas]:
        for fmt in FORMATS:
            for reveal in (False, True):
                name = f"{area}{'.identified' if reveal else ''}.{fmt}"
                target = work / name
                flags = ["--no-pseudonymise"] if reveal else []
                kolmap(
                    "export", "--area", area, "--kind", "kol", "--format", fmt,
                    "--out", str(target), *flags, "--store", store, env=env,
                )  # fmt: skip
                if fmt == "xlsx":
                    (out / "export" / f"{name}.cells").write_text(
                        python(XLSX_CELLS, str(target), env=env)
                    )
                    normalise(out / "export" / f"{name}.cells")
                else:
                    shutil.copy(target, out / "export" / name)
                    normalise(out / "export" / name)
    if neo4j_uri:
        (out / "neo4j").mkdir()
        kolmap("export-neo4j", neo4j_uri, "--replace", "--store", store, env=env)
        back = str(work / "back.duckdb")
        kolmap("import-neo4j", neo4j_uri, "--store", back, env=env)
        (out / "neo4j" / "round_trip_fingerprint.txt").write_text(
            python(FINGERPRINT, back, env=env)
        )
        (out / "neo4j" / "published_scores.txt").write_text(
            python(SERVER_SCORES, neo4j_uri, env=env)
        )
        # The same graph used as a Neo4j store: its rankings of the first area.
        for kind in KINDS:
            text = kolmap(
                "rank", "--area", areas[0], "--kind", kind, "--top", "1000000",
                "--format", "csv", *raw, "--store", neo4j_uri, env=env,
            )  # fmt: skip
            (out / "neo4j" / f"store_rank_{kind}.csv").write_text(text)
    shutil.rmtree(work)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    with (out / "MANIFEST.tsv").open("w", newline="") as manifest:
        writer = csv.writer(manifest, delimiter="\t")
        for path in files:
            writer.writerow([path.relative_to(out), path.stat().st_size])
    print(f"{out}: {len(files)} files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--neo4j", default=None, help="bolt URI of a scratch Neo4j server")
    parser.add_argument("--areas", type=int, default=2, help="areas to export in every format")
    args = parser.parse_args()
    capture(args.folder, args.out, args.neo4j, args.areas)


if __name__ == "__main__":
    main()
