"""``make test``: the whole suite in two processes at once, so that it takes about half as long.

The tests marked ``neo4j`` share the two servers of ``make neo4j`` (they empty their databases
and restart them), so they run in one process, one after another. The others run beside them
on two pytest-xdist workers: they share nothing (each has its own temporary folders, free
ports and sample store). pytest-xdist's own grouping (``--dist loadgroup`` with an
``xdist_group`` mark) would do this in one process, but under pytest 9.2 it groups nothing
(xdist 3.8 renames a test's node id through an attribute pytest no longer reads); two
processes need no grouping at all.

The Neo4j half's output goes to ``.build/test-neo4j.log`` and is printed when both halves are
done; the exit code is the worse of the two. Options are passed to both halves::

    python tools/run_tests.py [pytest options...]

A plain ``pytest`` still runs everything in one process, one test after another.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOG = REPO / ".build" / "test-neo4j.log"
WORKERS = "2"
NO_TESTS = 5  # pytest's exit code when a selection holds no test


def main(args: list[str]) -> int:
    """Run both halves with ``args``; the worse exit code."""
    LOG.parent.mkdir(parents=True, exist_ok=True)
    pytest = [sys.executable, "-m", "pytest"]
    with LOG.open("wb") as log:
        servers = subprocess.Popen(
            [*pytest, "-m", "neo4j", "-p", "no:xdist", *args],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            print(f"Neo4j tests: one process, output in {LOG} (printed at the end)", flush=True)
            rest = subprocess.call([*pytest, "-m", "not neo4j", "-n", WORKERS, *args], cwd=REPO)
            servers_code = servers.wait()
        except BaseException:
            servers.kill()
            raise
    print("\n========== the Neo4j tests (one process) ==========", flush=True)
    sys.stdout.buffer.write(LOG.read_bytes())
    sys.stdout.flush()
    codes = [code for code in (rest, servers_code) if code != NO_TESTS] or [NO_TESTS]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
