"""Hostile and unlucky input that used to lose data or crash (issue "No silent loss, no
crash"): each test failed before its fix. Other cases live beside the code they exercise
(tests/test_json_formats.py, test_rows.py, test_settings.py, test_exports.py, test_ui.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest

from kolmap.errors import InputError, StoreError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths

from .conftest import write


def test_another_applications_duckdb_file_is_not_used_as_a_store(tmp_path):
    """kolmap's tables were silently added beside another application's own."""
    path = tmp_path / "invoices.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match=r"not a kolmap store: it holds other tables \(invoices\)"):
        DuckDBStore(path)
    with duckdb.connect(str(path)) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert tables == [("invoices",)]


def test_a_sqlite_file_named_duckdb_is_named_for_what_it_is(tmp_path):
    """DuckDB tried to download its SQLite extension to open it."""
    path = tmp_path / "old.duckdb"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="a SQLite database, not a kolmap store"):
        DuckDBStore(path)
    (tmp_path / "notes.duckdb").write_text("platform,account_id\nx,1\n")
    with pytest.raises(StoreError, match="not a DuckDB database"):
        DuckDBStore(tmp_path / "notes.duckdb")


def test_a_quarantine_folder_that_is_a_file_is_a_clear_error(store, tmp_path):
    write(tmp_path / "in", "accounts.csv", "platform,account_id,handle\nx,,a\nx,2,b\n")
    blocker = tmp_path / "quarantine"
    blocker.write_text("")
    with pytest.raises(InputError, match="quarantine: not a folder"):
        ingest_paths(store, [tmp_path / "in"], quarantine_dir=blocker, tolerance="5")
    assert store.stats()["accounts"] == 0


def test_an_empty_or_truncated_store_file_is_a_clear_error(tmp_path, sample_store_path):
    (tmp_path / "empty.duckdb").write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty\.duckdb: cannot open the store"):
        DuckDBStore(tmp_path / "empty.duckdb")
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(Path(sample_store_path).read_bytes()[:100_000])
    with pytest.raises(StoreError, match=r"cut\.duckdb: cannot open the store"):
        DuckDBStore(cut)


def test_a_killed_runs_extraction_folder_is_removed_by_the_next_run(store, tmp_path, monkeypatch):
    """kill -9 during a ZIP ingest left the extracted export in the temporary folder for
    good; the next run removes folders whose process is gone, and only those."""
    import os
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f"kolmap-ingest-{dead}-abc"
    (stale / "export").mkdir(parents=True)
    (stale / "export" / "accounts.csv").write_text("private data")
    live = tmp_path / f"kolmap-ingest-{os.getpid()}-xyz"
    live.mkdir()
    write(tmp_path / "in", "accounts.csv", "platform,account_id,handle\nx,1,a\n")
    ingest_paths(store, [tmp_path / "in"], quarantine_dir=tmp_path / "q")
    assert not stale.exists() and live.exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (needs root, as on CI; skipped where mounting is not allowed)."""
    import subprocess

    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_during_ingest_is_a_clear_error_and_commits_nothing(
    small_disk, sample_dir, tmp_path
):
    """T26: a raw DuckDB traceback, sometimes ending in "cannot rollback - no transaction is
    active", and staging files left behind."""
    path = small_disk / "s.duckdb"
    write(tmp_path / "first", "accounts.csv", "platform,account_id,handle\nx,1,a\n")
    with DuckDBStore(path) as store:
        ingest_paths(store, [tmp_path / "first"], quarantine_dir=tmp_path / "q")
        before = store.fingerprint()
    with DuckDBStore(path) as store:
        with pytest.raises(StoreError, match="no space left on the device") as raised:
            ingest_paths(store, [sample_dir], quarantine_dir=tmp_path / "q")
        assert "no transaction is active" not in str(raised.value)
        assert store.fingerprint() == before
    left = sorted(p.name for p in small_disk.iterdir())
    assert left == ["s.duckdb", "s.pseudonym.key"]  # no staging left


def test_a_command_waits_a_moment_for_a_store_another_process_holds(tmp_path, sample_store_path):
    """The app opens the store for every click: a command started meanwhile failed at once
    with "Could not set lock". It now waits up to store.lock_wait seconds."""
    import dataclasses
    import shutil
    import subprocess
    import sys
    import time

    from kolmap.graph import open_store
    from kolmap.settings import Settings

    path = tmp_path / "held.duckdb"
    shutil.copy(sample_store_path, path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('holding', flush=True); time.sleep(1.5)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().startswith("holding")
    impatient = Settings()
    impatient = dataclasses.replace(
        impatient, store=dataclasses.replace(impatient.store, lock_wait=0)
    )
    with pytest.raises(StoreError, match="lock"):
        open_store(path, settings=impatient)
    started = time.monotonic()
    with open_store(path, settings=Settings()) as store:  # waits for the holder to finish
        assert store.stats()["accounts"] > 0
    assert time.monotonic() - started < 10
    holder.wait(timeout=30)


def test_an_ingest_holds_the_store_to_its_own_memory_limit(tmp_path: Path, sample_dir: Path):
    """T17: an ingest's memory is bounded by ``ingest.memory_limit`` whatever the store's own
    limit (4GB by default); the store's limit comes back afterwards, also after a failure."""
    from datetime import UTC, datetime

    from kolmap.graph.store import RunInfo

    def limit(store: DuckDBStore) -> str:
        row = store.db.row("SELECT current_setting('memory_limit')")
        assert row is not None
        return str(row[0])

    run = RunInfo("r1", datetime.now(UTC), ["x"], "test")
    with DuckDBStore(str(tmp_path / "s.duckdb"), memory_limit="2GB") as store:
        own = limit(store)
        with store.ingest(run, memory_limit="256MB"):
            assert limit(store) == "244.1 MiB"  # DuckDB shows 256 MB in MiB
        assert limit(store) == own
        with pytest.raises(RuntimeError), store.ingest(run, memory_limit="300MB"):
            raise RuntimeError("a failed run")
        assert limit(store) == own
        with (
            pytest.raises(StoreError, match="'lots' is not a size"),
            store.ingest(run, memory_limit="lots"),
        ):
            pass
        summary = ingest_paths(store, [sample_dir])
        assert summary.merge["posts"]["added"] > 0 and limit(store) == own


def test_no_duckdb_connection_prints_a_progress_bar(tmp_path: Path):
    """DuckDB prints a progress bar to standard output for any query over two seconds, even
    into a pipe: a CSV or JSON written to standard output would carry it, and the scale
    benchmark's 10M-edge ingest hung on a full pipe of them. Every connection kolmap opens
    has it off: the store's (and its cursors), the read-only one, the fast ingest route's."""
    from kolmap.graph.duckdb.connection import Connection
    from kolmap.ingest.areas import load_taxonomy
    from kolmap.ingest.fast.bulk_csv import BulkReader

    def shown(con) -> bool:
        return bool(con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0])

    path = tmp_path / "s.duckdb"
    with DuckDBStore(str(path)) as store:
        assert not shown(store.db.raw) and not shown(store.db.raw.cursor())
    with DuckDBStore(str(path), read_only=True) as store:
        assert not shown(store.db.raw)
    assert not shown(Connection.memory().raw)
    reader = BulkReader(load_taxonomy())
    try:
        assert not shown(reader.con)
    finally:
        reader.close()
