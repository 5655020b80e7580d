"""How fast the leaderboard answers on a large store: first load, then cached per filter.

Generates a sample of about ``--accounts`` accounts (default 100,000), ingests it, then runs
the app's Leaderboard page under Streamlit's AppTest: the first load (nothing cached), the
same filter again, a new filter (oncology), and that filter again. Prints JSON; ``run.py``
folds it into docs/benchmarks.md.

    python benchmarks/ui_bench.py [--accounts 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parent.parent / "ui" / "app.py"


def measure(accounts: int) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    from kolmap.data.samples.generate import generate, write_sample
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.ingest.pipeline import ingest_paths

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        scale = accounts / 2640
        folder = write_sample(generate(seed=21, scale=scale), Path(tmp) / "big")
        store_path = Path(tmp) / "big.duckdb"
        started = time.perf_counter()
        with DuckDBStore(store_path) as store:
            summary = ingest_paths(store, [folder], quarantine_dir=Path(tmp) / "q")
        out["ingest_s"] = time.perf_counter() - started
        out["accounts"] = summary.merge["accounts"]["added"]
        out["posts"] = summary.merge["posts"]["added"]
        os.environ["KOLMAP_STORE"] = str(store_path)
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.run()
        at.switch_page("app_pages/leaderboard.py")

        def timed(action: Any) -> float:
            started = time.perf_counter()
            action()
            assert not at.exception, [e.value for e in at.exception]
            return time.perf_counter() - started

        out["first_load_s"] = timed(at.run)
        out["same_filter_s"] = timed(at.run)
        out["new_filter_first_s"] = timed(
            lambda: at.selectbox(key="lb_area").set_value("oncology").run()
        )
        out["new_filter_again_s"] = timed(at.run)
        out["back_to_first_filter_s"] = timed(
            lambda: at.selectbox(key="lb_area").set_value("").run()
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    args = parser.parse_args()
    print(json.dumps(measure(args.accounts)))


if __name__ == "__main__":
    main()
