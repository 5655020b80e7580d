"""Peak memory of ingest on huge inputs (reliability case T17), against a tenth of the input.

Two generated inputs, each ingested in its own child process whose peak RSS is measured:

- one X API v2 response as a **single JSON object** (``data`` tweets, ``includes.users``,
  ``includes.tweets``), the shape a paginating script concatenates into one file;
- a canonical folder whose ``posts.csv`` is the big file (with its ``accounts.csv``).

Each is also ingested at a tenth of the size in the same script: the budget is that the peak
stays under ``--budget-mb`` (1,536 MB by default; docs/reliability.md) and grows far slower
than the input (the ratio column). Results go to docs/benchmarks.md.

    python benchmarks/memory_bench.py [--mb 200] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
from pathlib import Path
from typing import Any

from kolmap.benchmarks.scale import child

INGEST = r"""
import json, sys, time
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.settings import load_settings
path, store_path = sys.argv[1:3]
settings = load_settings()  # as the command line runs it: store.memory_limit applies
t = time.perf_counter()
with DuckDBStore(store_path, memory_limit=settings.store.memory_limit) as store:
    summary = ingest_paths(store, [path], quarantine_dir=store_path + ".q")
print(json.dumps({"ingest_s": time.perf_counter() - t,
                  "posts": summary.merge["posts"]["added"],
                  "accounts": summary.merge["accounts"]["added"]}))
"""

_WORDS = [
    *[
        "patients",
        "trial",
        "oncology",
        "cancer",
        "immunotherapy",
        "dose",
        "cohort",
        "survival",
        "data",
        "results",
    ],
    *[
        "congress",
        "poster",
        "abstract",
        "cardiology",
        "heart",
        "failure",
        "diabetes",
        "insulin",
        "study",
    ],
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def write_x_page(path: Path, megabytes: float, seed: int = 7) -> int:
    """One X API v2 response object of about ``megabytes`` MB; returns the tweet count."""
    rng = random.Random(seed)
    users = max(50, int(megabytes * 60))
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"data": [')
        written, count = 0, 0
        while written < megabytes * 0.85e6:
            author = rng.randrange(users)
            other = rng.randrange(users)
            tweet: dict[str, Any] = {
                "id": str(10**15 + count),
                "author_id": str(1000 + author),
                "created_at": f"2026-0{1 + count % 9}-1{count % 9}T10:00:00.000Z",
                "text": f"@user{other} " + _text(rng, 30) + " #ASCO26",
                "lang": "en",
                "public_metrics": {
                    "like_count": count % 17,
                    "retweet_count": count % 5,
                    "reply_count": 0,
                    "quote_count": 0,
                },
                "entities": {
                    "mentions": [
                        {"start": 0, "end": 9, "username": f"user{other}", "id": str(1000 + other)}
                    ],
                    "hashtags": [{"start": 0, "end": 7, "tag": "ASCO26"}],
                },
            }
            if count % 10 == 3:
                tweet["referenced_tweets"] = [{"type": "quoted", "id": str(9 * 10**15 + count)}]
            line = ("," if count else "") + json.dumps(tweet)
            fh.write(line)
            written += len(line)
            count += 1
        fh.write('], "includes": {"users": [')
        for user in range(users):
            fh.write(
                ("," if user else "")
                + json.dumps(
                    {
                        "id": str(1000 + user),
                        "username": f"user{user}",
                        "name": f"User {user}",
                        "description": "Oncologist. " + _text(rng, 12),
                        "public_metrics": {"followers_count": user * 3, "following_count": 100},
                    }
                )
            )
        fh.write('], "tweets": [')
        quoted = [i for i in range(count) if i % 10 == 3]
        for n, i in enumerate(quoted):
            fh.write(
                ("," if n else "")
                + json.dumps(
                    {
                        "id": str(9 * 10**15 + i),
                        "author_id": str(1000 + i % users),
                        "text": _text(rng, 20),
                        "created_at": "2025-12-01T09:00:00.000Z",
                    }
                )
            )
        fh.write(f'], "users": []}}, "meta": {{"result_count": {count}}}}}')
    return count


def write_posts_folder(folder: Path, megabytes: float, seed: int = 7) -> int:
    """A canonical folder whose posts.csv is about ``megabytes`` MB; returns its rows."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    users = max(50, int(megabytes * 60))
    with (folder / "accounts.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["platform", "account_id", "handle", "display_name", "bio", "followers"])
        for user in range(users):
            bio = "Oncologist. " + _text(rng, 12)
            out.writerow(["x", 1000 + user, f"user{user}", f"User {user}", bio, user * 3])
    rows, written = 0, 0
    with (folder / "posts.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["platform", "post_id", "author_id", "created_at", "text", "likes"])
        while written < megabytes * 1e6:
            text = f"@user{rng.randrange(users)} " + _text(rng, 25) + " #ASCO26"
            row = [
                "x",
                10**15 + rows,
                1000 + rng.randrange(users),
                f"2026-0{1 + rows % 9}-1{rows % 9}T10:00:00Z",
                text,
                rows % 17,
            ]
            out.writerow(row)
            written += 60 + len(text)
            rows += 1
    return rows


def measure(kind: str, megabytes: float, tmp: Path) -> dict[str, Any]:
    work = tmp / f"{kind}-{megabytes:g}"
    work.mkdir()
    if kind == "x_api_object":
        target = work / "page.json"
        write_x_page(target, megabytes)
        size = target.stat().st_size
    else:
        target = work / "canonical"
        write_posts_folder(target, megabytes)
        size = (target / "posts.csv").stat().st_size
    out, peak = child(INGEST, str(target), str(work / "store.duckdb"))
    return {"input": kind, "file_mb": size / 1e6, "peak_mb": peak, **out}


def write_section(rows: list[dict[str, Any]], budget: float, out: Path) -> None:
    lines = [
        "## Memory on huge inputs (T17)",
        "",
        "`python benchmarks/memory_bench.py` — peak RSS of one `ingest` child process on a "
        "generated input and on a tenth of it (the baseline, same script); budget "
        f"{budget:,.0f} MB.",
        "",
        "| input | file MB | posts | ingest s | peak RSS MB | peak / baseline | in budget |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    base: dict[str, float] = {}
    for row in rows:
        base.setdefault(row["input"], row["peak_mb"])
        ratio = row["peak_mb"] / base[row["input"]]
        lines.append(
            f"| {row['input']} | {row['file_mb']:,.0f} | {row['posts']:,} | "
            f"{row['ingest_s']:.1f} | {row['peak_mb']:,.0f} | {ratio:.2f} | "
            f"{'yes' if row['peak_mb'] <= budget else '**no**'} |"
        )
    section = "\n".join(lines) + "\n"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    start = text.find("## Memory on huge inputs (T17)")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--budget-mb", type=float, default=1536.0)
    parser.add_argument("--inputs", default="x_api_object,posts_csv")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.inputs.split(","):
            for megabytes in (args.mb / 10, args.mb):
                row = measure(kind, megabytes, Path(tmp))
                print(json.dumps(row), flush=True)
                rows.append(row)
    if args.out:
        write_section(rows, args.budget_mb, args.out)


if __name__ == "__main__":
    main()
