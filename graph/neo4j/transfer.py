"""Move a kolmap graph between a store and a Neo4j database.

``to_neo4j`` writes every table of a store (its :class:`~kolmap.graph.store.Replica`) into
Neo4j (constraints first, then nodes, then relationships, then the browsing relationships)
and checks that every row arrived; ``from_neo4j`` reads them back into a new, empty store. A
store that goes there and back is the same store (equal fingerprints).
"""

from __future__ import annotations

from typing import Any

from kolmap.errors import StoreError
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.maps import DERIVED, NODE_MAPS, REL_MAPS
from kolmap.graph.store import Replica
from kolmap.tables import TRANSFER_TABLES

__all__ = ["from_neo4j", "to_neo4j"]


def to_neo4j(store: Replica, graph: Neo4jGraph, *, replace: bool = False) -> dict[str, int]:
    """Write the rows of ``store`` into ``graph``; returns rows written per table.

    The target must hold no kolmap data unless ``replace`` (then the old kolmap graph is
    deleted first: an account erased since the last move must not survive in Neo4j). Fails
    with :class:`StoreError` if a relationship's end node is missing.
    """
    graph.ensure_schema()
    if not graph.is_empty():
        if not replace:
            raise StoreError(
                f"{graph.uri}: database {graph.database!r} already holds a kolmap graph; "
                "give --replace to overwrite it"
            )
        graph.clear()
    written: dict[str, int] = {}
    for node_map in NODE_MAPS:
        written[node_map.table] = graph.write_nodes(node_map, store.table_rows(node_map.table))
    for rel_map in REL_MAPS:
        expected = store.row_count(rel_map.table)
        done = graph.write_relationships(rel_map, store.table_rows(rel_map.table))
        if done != expected:
            raise StoreError(
                f"{graph.uri}: {expected - done} of {expected} {rel_map.table} rows found no "
                "end node in Neo4j; the store is inconsistent (run `kolmap stats`)"
            )
        written[rel_map.table] = done
    for table in DERIVED:  # the graph held no post before: a first load
        graph.write_derived(table, store.table_rows(table), first_load=True)
    return written


def from_neo4j(graph: Neo4jGraph, store: Replica) -> dict[str, int]:
    """Read the kolmap graph in ``graph`` into the empty ``store`` (one transaction)."""
    tables: dict[str, Any] = {}
    for node_map in NODE_MAPS:
        tables[node_map.table] = graph.read_nodes(node_map)
    for rel_map in REL_MAPS:
        tables[rel_map.table] = graph.read_relationships(rel_map)
    ordered = {t: tables[t] for t in TRANSFER_TABLES}
    return store.load_rows(ordered)
