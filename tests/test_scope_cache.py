"""The app's computed scopes on disk: read back exactly, never stale, computed once."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Projection, Scope
from kolmap.model import AccountKey
from kolmap.scoring.components import compute_components
from kolmap.settings import ScoringSettings
from kolmap.views import scope_cache
from kolmap.views.scope_cache import ScopeCache


class Loads:
    """A projection loader over a real store that counts its calls."""

    def __init__(self, store: DuckDBStore) -> None:
        self.store = store
        self.calls: list[Scope] = []
        self.lock = threading.Lock()

    def __call__(self, scope: Scope) -> Projection:
        with self.lock:
            self.calls.append(scope)
            return self.store.projection(scope)


def test_projection_and_components_come_back_identical(sample_store, tmp_path: Path) -> None:
    settings = ScoringSettings()
    loads = Loads(sample_store)
    version = sample_store.version()
    scope = Scope(area="oncology")
    first = ScopeCache(tmp_path / "c", settings)
    proj = first.projection(version, scope, lambda: loads(scope))
    parts = first.components(version, scope, lambda: proj)
    # A new process (a restarted app) reads them from disk, without the store.
    again = ScopeCache(tmp_path / "c", settings)
    read = again.projection(version, scope, lambda: loads(scope))
    read_parts = again.components(version, scope, lambda: pytest.fail("recomputed"))
    assert len(loads.calls) == 1
    pd.testing.assert_frame_equal(read.nodes, proj.nodes)
    pd.testing.assert_frame_equal(read.edges, proj.edges)
    pd.testing.assert_frame_equal(read_parts, compute_components(proj, settings))
    pd.testing.assert_frame_equal(read_parts, parts)
    assert read.scope == scope


def test_a_new_store_version_scope_or_setting_is_computed_again(
    sample_store, tmp_path: Path
) -> None:
    loads = Loads(sample_store)
    cache = ScopeCache(tmp_path / "c", ScoringSettings())
    version = sample_store.version()
    cache.projection(version, Scope(), lambda: loads(Scope()))
    cache.projection(version, Scope(area="oncology"), lambda: loads(Scope(area="oncology")))
    assert len(loads.calls) == 2
    nodes = sample_store.projection(Scope()).nodes
    sample_store.suppress([AccountKey(nodes["platform"][0], nodes["account_id"][0])])
    newer = sample_store.version()
    assert newer != version
    cache.projection(newer, Scope(), lambda: loads(Scope()))
    assert len(loads.calls) == 3
    # Only the current version's results are kept.
    assert len(list((tmp_path / "c").iterdir())) == 1
    other = ScopeCache(tmp_path / "c", ScoringSettings(damping=0.7))
    other.components(newer, Scope(), lambda: loads(Scope()))
    assert len(loads.calls) == 4


def test_a_damaged_file_is_computed_again(sample_store, tmp_path: Path) -> None:
    loads = Loads(sample_store)
    cache = ScopeCache(tmp_path / "c", ScoringSettings())
    version = sample_store.version()
    cache.projection(version, Scope(), lambda: loads(Scope()))
    for path in (tmp_path / "c").rglob("nodes.parquet"):
        path.write_bytes(b"not parquet")
    proj = cache.projection(version, Scope(), lambda: loads(Scope()))
    assert len(loads.calls) == 2 and not proj.nodes.empty


def test_a_page_asking_for_a_scope_being_warmed_waits_for_it(sample_store, tmp_path: Path) -> None:
    loads = Loads(sample_store)
    cache = ScopeCache(tmp_path / "c", ScoringSettings())
    version = sample_store.version()
    scopes = [Scope(), Scope(area="oncology"), Scope(area="cardiology")]
    thread = cache.warm(version, scopes, loads)
    page = cache.components(
        version, Scope(), lambda: cache.projection(version, Scope(), lambda: loads(Scope()))
    )
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert sorted(s.area or "" for s in loads.calls) == ["", "cardiology", "oncology"]
    assert not page.empty


def test_a_later_warm_up_stops_an_earlier_one(sample_store, tmp_path: Path) -> None:
    cache = ScopeCache(tmp_path / "c", ScoringSettings())
    version = sample_store.version()
    started = threading.Event()
    release = threading.Event()
    seen: list[Scope] = []

    def slow(scope: Scope) -> Projection:
        seen.append(scope)
        started.set()
        release.wait(timeout=60)
        return sample_store.projection(scope)

    first = cache.warm(version, [Scope(), Scope(area="oncology")], slow)
    started.wait(timeout=60)
    cache.warm(version, [], slow).join(timeout=60)
    release.set()
    first.join(timeout=120)
    assert [s.area for s in seen] == [None]


def test_no_more_than_keep_scopes_stay_on_disk(
    sample_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scope_cache, "KEEP", 2)
    loads = Loads(sample_store)
    cache = ScopeCache(tmp_path / "c", ScoringSettings())
    version = sample_store.version()
    for area in ("oncology", "cardiology", "diabetes"):
        cache.projection(version, Scope(area=area), lambda a=area: loads(Scope(area=a)))
    assert len(list((tmp_path / "c").iterdir())) == 2
