"""Shared fixtures: real DuckDB files in temporary folders, the bundled sample, known answers."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
REALDATA = REPO.parent / "shared" / "realdata"


def settle() -> None:
    """Wait for the app's background warm-up (scopes computed ahead, thread ``kolmap-warm``)
    to finish."""
    for thread in threading.enumerate():
        if thread.name == "kolmap-warm":
            thread.join(timeout=300)


@pytest.fixture(autouse=True)
def _no_warm_up_outlives_its_test() -> Iterator[None]:
    """A warm-up the app started keeps opening the test's store in its own thread; left
    running, it opened a DuckDB file while the next test set up its own and crashed the
    process (a native segfault, not a test failure). Every test ends once it is done."""
    yield
    settle()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLES / "canonical"


@pytest.fixture(scope="session")
def known_answers() -> dict:
    return json.loads((SAMPLES / "known_answers.json").read_text("utf-8"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DuckDBStore]:
    """A fresh store in a real DuckDB file."""
    with DuckDBStore(tmp_path / "test.duckdb") as s:
        yield s


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """A DuckDB file holding the bundled sample, built once per test session."""
    folder = tmp_path_factory.mktemp("sample_store")
    path = folder / "sample.duckdb"
    with DuckDBStore(path) as s:
        ingest_paths(s, [sample_dir], quarantine_dir=folder / "q")
    return path


@pytest.fixture
def sample_store(sample_store_path: Path, tmp_path: Path) -> Iterator[DuckDBStore]:
    """A private copy of the sample store, so tests may modify it."""
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_store_path, copy)
    with DuckDBStore(copy) as s:
        yield s


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    return REALDATA


@pytest.fixture
def runner(monkeypatch, tmp_path) -> CliRunner:
    """A command-line runner in a fresh working folder, with no store, config or key from
    the environment; the project allows showing identities (--no-pseudonymise)."""
    monkeypatch.chdir(tmp_path)
    for name in ("KOLMAP_STORE", "KOLMAP_CONFIG", "KOLMAP_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KOLMAP_PRIVACY_ALLOW_IDENTITIES", "true")
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    """Run ``kolmap args`` and check its exit code."""
    from kolmap.cli import cli

    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a small input file (helper for tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def ingest_files(store, *paths, **kw):
    """Ingest ``paths`` with a lenient tolerance; quarantine beside the first path."""
    from kolmap.ingest.pipeline import ingest_paths as _ingest

    return _ingest(
        store,
        list(paths),
        quarantine_dir=Path(paths[0]).parent / "q",
        tolerance=kw.pop("tolerance", "50%"),
        **kw,
    )


def relations(store) -> set[tuple[str, str, str]]:
    """Every (source, target, kind) relation in the store."""
    frame = store.sql("SELECT src, dst, kind FROM interactions")
    return set(zip(frame["src"], frame["dst"], frame["kind"], strict=True))


# -- the Neo4j servers of `make neo4j` ---------------------------------------------------------
SERVERS = {"gds": 17687, "plain": 17688}
_RUNNING: dict[str, bool] = {"neo4j": False}  # whether the running test is marked neo4j


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _RUNNING["neo4j"] = item.get_closest_marker("neo4j") is not None


def neo4j_server(name: str) -> dict[str, str]:
    """URI and password of a running `make neo4j` server; skips the test when it is not
    running, or fails it when KOLMAP_REQUIRE_NEO4J=1 (CI)."""
    import os
    import socket

    if not _RUNNING["neo4j"]:
        # `make test` runs the marked tests in their own process, one after another; an
        # unmarked one ran beside them and wrote into the graph a marked one was checking.
        pytest.fail("a test that uses the Neo4j servers must be marked `neo4j`")
    password_file = REPO / ".cache" / "neo4j" / name / "password"
    port = SERVERS[name]
    up = password_file.is_file()
    if up:
        with socket.socket() as probe:
            probe.settimeout(1)
            up = probe.connect_ex(("127.0.0.1", port)) == 0
    if not up:
        if os.environ.get("KOLMAP_REQUIRE_NEO4J") == "1":
            pytest.fail(f"the {name} Neo4j server is not running; `make neo4j` starts it")
        pytest.skip(f"no {name} Neo4j server (run `make neo4j`)")
    return {"uri": f"bolt://127.0.0.1:{port}", "password": password_file.read_text().strip()}


def neo4j_env(name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """:func:`neo4j_server`, with the environment kolmap reads set to reach it (user,
    password, default database) for the test."""
    info = neo4j_server(name)
    monkeypatch.setenv("KOLMAP_NEO4J_USER", "neo4j")
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", info["password"])
    monkeypatch.delenv("KOLMAP_NEO4J_DATABASE", raising=False)
    return info
