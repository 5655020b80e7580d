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
