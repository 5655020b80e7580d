"""The property graph's stores behind one typed interface (see docs/data-model.md).

:func:`open_store` opens the store a :class:`StoreLocation` names: a path opens the embedded
DuckDB store (:mod:`kolmap.graph.duckdb`), a ``neo4j://`` or ``bolt://`` URI the Neo4j store
(:mod:`kolmap.graph.neo4j`). Both satisfy :class:`GraphStore`.

>>> with open_store(":memory:") as store:
...     store.stats()["accounts"]
0
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from kolmap.graph.location import StoreLocation
from kolmap.graph.store import GraphEngine, GraphStore, IngestWriter, Projection, RunInfo, Scope
from kolmap.settings import Settings, load_settings

__all__ = [
    "GraphStore",
    "IngestWriter",
    "Projection",
    "RunInfo",
    "Scope",
    "StoreLocation",
    "open_engine",
    "open_store",
]


def open_store(
    location: str | os.PathLike[str] | StoreLocation | None = None,
    *,
    read_only: bool = False,
    settings: Settings | None = None,
) -> GraphStore:
    """Open the store at ``location`` (else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``).

    A path opens the embedded DuckDB store (created on first use; ``read_only`` refuses a
    missing file). A Neo4j URI opens the Neo4j store; its user, database and cache folder
    come from ``settings.neo4j``, the password from ``KOLMAP_NEO4J_PASSWORD``. Without
    ``settings``, they are read as the command line reads them (:func:`load_settings`).
    """
    where = StoreLocation.resolve(location)
    settings = settings if settings is not None else load_settings()
    if where.is_neo4j:
        from kolmap.graph.neo4j.mirror import Neo4jMirror

        return Neo4jMirror.open(where, settings)
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.graph.keys import load_key

    return DuckDBStore(
        where.text,
        read_only=read_only,
        memory_limit=settings.store.memory_limit,
        lock_wait=settings.store.lock_wait,
        key=load_key(where, settings.privacy),
    )


@contextmanager
def open_engine(
    location: str | os.PathLike[str] | StoreLocation | None = None,
    *,
    settings: Settings | None = None,
) -> Iterator[tuple[GraphEngine | None, str]]:
    """The graph engine of the store at ``location`` for the block, with a sentence about
    it (as :func:`kolmap.graph.store.engine_of` gives for an open store): GDS on a Neo4j
    server that has it, over a connection of its own (the app computes a scope while other
    pages read the store); ``(None, "")`` for the embedded store, which opens nothing.
    """
    where = StoreLocation.resolve(location)
    if not where.is_neo4j:
        yield None, ""
        return
    from kolmap.graph.neo4j.driver import Neo4jGraph
    from kolmap.graph.neo4j.gds import server_engine

    settings = settings if settings is not None else load_settings()
    graph = Neo4jGraph.from_uri(
        where.text, user=settings.neo4j.user, database=settings.neo4j.database
    )
    try:
        yield server_engine(graph, settings.neo4j.server_algorithms)
    finally:
        graph.close()
