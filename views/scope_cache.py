"""A scope's projection and score components, kept on disk per store version.

Computing a scope is the slow part of every page of the app: at 100,000 accounts the
all-data projection takes about 2 s of SQL and its components (PageRanks, Leiden) about 5 s,
while reading both back from Parquet takes about 0.5 s. So the app keeps them in a folder
beside the store (:meth:`~kolmap.graph.store.StoreLocation.cache_dir`), one file set per
scope, under a key made of the store's version (which changes with every ingest run, label
or suppression), the scope, the scoring settings and a digest of the code that computes them
(``scoring/`` and ``graph/``): any change to one of them is a new key, so a stale result is
never read. Files of other keys of older store versions are removed when a new one is
written, and at most :data:`KEEP` scopes are kept.

Results are exactly what the computation returns (Parquet keeps pandas' dtypes), and
:meth:`ScopeCache.warm` computes the scopes a user opens first (all data, then each area) in a
background thread when the app starts. One lock per key makes a page that asks for a scope
being warmed wait for it rather than compute it twice.

>>> import tempfile
>>> from kolmap.graph.store import Projection, Scope
>>> nodes = pd.DataFrame({"platform": ["x"], "account_id": ["1"]})
>>> edges = pd.DataFrame({"src": [0], "dst": [0]})
>>> cache = ScopeCache(Path(tempfile.mkdtemp()), ScoringSettings())
>>> calls = []
>>> def load():
...     calls.append(1)
...     return Projection(Scope(), nodes, edges)
>>> first = cache.projection("v1", Scope(), load)
>>> again = cache.projection("v1", Scope(), load)
>>> len(calls), again.nodes.equals(first.nodes)
(1, True)
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path

import pandas as pd

from kolmap.graph.location import source_digest
from kolmap.graph.store import GraphEngine, Projection, Scope
from kolmap.scoring.components import compute_components
from kolmap.settings import ScoringSettings

__all__ = ["KEEP", "ScopeCache", "code_digest"]

# Scopes kept on disk (the least recently read is removed first): about 16 MB each at 100k
# accounts (projection nodes 3 MB, edges 7.5 MB, components 6 MB), so about 400 MB at most.
KEEP = 24


@cache
def code_digest() -> str:
    """A digest of the code behind projections and components (``scoring/``, ``graph/``, the
    record and table declarations): results computed by other code are never read back.

    >>> len(code_digest())
    16
    """
    return source_digest("scoring", "graph", "model.py", "tables.py")


EngineOpener = Callable[[], AbstractContextManager[tuple[GraphEngine | None, str]]]


class ScopeCache:
    """Projections and components of scopes in ``folder`` (see the module docstring).
    ``engine`` opens the store's graph engine for one computation (GDS on a Neo4j server,
    :func:`kolmap.graph.open_engine`); without it, components are computed in-process."""

    def __init__(
        self, folder: Path, settings: ScoringSettings, engine: EngineOpener | None = None
    ) -> None:
        self.folder = folder
        self.settings = settings
        self._engine = engine
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._generation = 0

    def _key(self, version: str, scope: Scope, what: str) -> str:
        text = json.dumps(
            {
                "scope": dataclasses.asdict(scope),
                "settings": dataclasses.asdict(self.settings),
                "code": code_digest(),
                "what": what,
            },
            default=str,
            sort_keys=True,
        )
        return f"{_safe(version)}-{hashlib.sha256(text.encode()).hexdigest()[:24]}"

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def projection(self, version: str, scope: Scope, load: Callable[[], Projection]) -> Projection:
        """The projection of ``scope`` at store ``version``: read from disk, else ``load()``
        and kept."""
        key = self._key(version, scope, "projection")
        with self._lock(key):
            frames = self._read(key, ("nodes", "edges"))
            if frames is not None:
                return Projection(scope, frames[0], frames[1])
            projection = load()
            self._write(version, key, {"nodes": projection.nodes, "edges": projection.edges})
            return projection

    def components(
        self, version: str, scope: Scope, projection: Callable[[], Projection]
    ) -> pd.DataFrame:
        """The score components of ``scope`` at ``version``, read from disk, else computed
        from ``projection()`` (the caller's, usually itself cached) and kept."""
        key = self._key(version, scope, "components")
        with self._lock(key):
            frames = self._read(key, ("components",))
            if frames is not None:
                return frames[0]
            if self._engine is None:
                parts = compute_components(projection(), self.settings)
            else:
                with self._engine() as (engine, _note):
                    parts = compute_components(projection(), self.settings, engine)
            self._write(version, key, {"components": parts})
            return parts

    def warm(
        self, version: str, scopes: Iterable[Scope], load: Callable[[Scope], Projection]
    ) -> threading.Thread:
        """Compute the projection and components of ``scopes`` in a background thread, in
        order. A later call stops an earlier warm-up at its next scope (the store changed);
        a failure stops it quietly (the page that needs the scope computes it again and
        shows the error)."""
        with self._guard:
            self._generation += 1
            generation = self._generation

        def run() -> None:
            for scope in scopes:
                if self._generation != generation:
                    return
                try:
                    self.fill(version, scope, load)
                except Exception:  # the page that asks for it reports the error
                    return

        thread = threading.Thread(target=run, name="kolmap-warm", daemon=True)
        thread.start()
        return thread

    def kept(self, version: str, scope: Scope) -> bool:
        """Whether the projection and components of ``scope`` at ``version`` are on disk."""
        folder = self.folder
        return all(
            (folder / self._key(version, scope, what) / f"{name}.parquet").exists()
            for what, name in (("projection", "nodes"), ("projection", "edges"),
                               ("components", "components"))
        )  # fmt: skip

    def fill(self, version: str, scope: Scope, load: Callable[[Scope], Projection]) -> None:
        """Compute and keep ``scope`` now, unless it is on disk already (what the warm-up
        does for each scope, and ``kolmap ingest`` for all data)."""

        def projection() -> Projection:
            return self.projection(version, scope, lambda: load(scope))

        self.components(version, scope, projection)

    def _read(self, key: str, names: tuple[str, ...]) -> list[pd.DataFrame] | None:
        folder = self.folder / key
        paths = [folder / f"{name}.parquet" for name in names]
        if not all(path.exists() for path in paths):
            return None
        try:
            frames = [pd.read_parquet(path) for path in paths]
        except (OSError, ValueError):
            return None  # a damaged file: computed again and rewritten
        with contextlib.suppress(OSError):  # kept as recently used (unless just pruned)
            os.utime(folder)
        return frames

    def _write(self, version: str, key: str, frames: dict[str, pd.DataFrame]) -> None:
        """Write ``frames`` under ``key`` atomically (a folder renamed into place); a folder
        that cannot be written only costs the speed-up."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=self.folder))
            for name, frame in frames.items():
                frame.to_parquet(staging / f"{name}.parquet", index=False)
            target = self.folder / key
            if target.exists():
                shutil.rmtree(staging, ignore_errors=True)
            else:
                staging.rename(target)
            self._prune(version)
        except OSError:
            return

    def _prune(self, version: str) -> None:
        """Remove results of other store versions, and the oldest beyond :data:`KEEP`."""
        current = _safe(version) + "-"
        entries = [p for p in self.folder.iterdir() if p.is_dir()]
        for path in entries:
            if path.name.startswith(".writing-") or path.name.startswith(current):
                continue
            shutil.rmtree(path, ignore_errors=True)
        kept = sorted(
            (p for p in self.folder.iterdir() if p.is_dir() and p.name.startswith(current)),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for path in kept[KEEP:]:
            shutil.rmtree(path, ignore_errors=True)


def _safe(version: str) -> str:
    """A store version as a file-name part."""
    return hashlib.sha256(version.encode()).hexdigest()[:16]
