"""A topical scope's projection from the rows Neo4j holds for it, without a copy of the graph.

A user whose local copy is behind the graph, ranking an area (or hashtags) nobody ranked at
this version, used to rebuild the whole copy first (minutes and gigabytes on a large graph).
:func:`scoped_projection` instead asks the server for the rows the scope's projection reads,
found from the scope's own posts through the graph's indexes and relationships
(:func:`remote_coi` does the same for the declared payments rankings show):

1. the scope's posts: those about the area (``ABOUT``) and carrying one of the hashtags
   (``TAGGED``), and the posts that reply to, repost or quote one of them, in the time window
   and on the platforms;
2. the posts they point at, their mentions, the accounts they involve (authors, targets'
   authors, the mentioned) and the accounts whose bio names the area;
3. those accounts' labels, follows and posts in the window (for their post totals), and
   the area and hashtag marks of every post read and of the posts they point at;

loads them into an in-memory DuckDB store and runs the very projection the embedded store
runs (:func:`kolmap.graph.duckdb.project.project`). Every row that projection reads for the
scope is among them, and extra rows change nothing in it, so the result is the same frames
(tests/test_neo4j_scoped.py compares them with the whole store's, scope by scope).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from typing import Any

import pandas as pd

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.driver import Neo4jGraph, times_as_text
from kolmap.graph.neo4j.maps import (
    NODE_MAPS,
    POINTERS,
    REL_MAPS,
    RelMap,
    check_name,
    rel_end_columns,
)
from kolmap.graph.store import Projection, Scope
from kolmap.tables import TABLE, TRANSFER_TABLES

__all__ = ["remote_coi", "scoped_projection", "scoped_rows"]

_POINTERS = tuple(column for _kind, column, _index in POINTERS)
_REL = {m.table: m for m in REL_MAPS}
# The post filters of the scope (platforms, time window) on the post bound to `p`.
_WINDOW = (
    "($platforms IS NULL OR p.platform IN $platforms) "
    "AND ($since IS NULL OR p.created_at >= datetime($since)) "
    "AND ($until IS NULL OR p.created_at < datetime($until))"
)
_POST_ROW = f"p {{.*{times_as_text('p', 'posts')}}} AS row"


def _marked(scope: Scope) -> str:
    """Cypher binding ``m`` to each post the scope marks (area and hashtags)."""
    tagged = "EXISTS { (m)-[:TAGGED]->(h:Hashtag) WHERE h.tag IN $tags }"
    if scope.area:
        where = f" WHERE {tagged}" if scope.hashtags else ""
        return f"MATCH (:TherapeuticArea {{area_id: $area}})<-[:ABOUT]-(m:Post){where}"
    return "MATCH (h:Hashtag)<-[:TAGGED]-(m:Post) WHERE h.tag IN $tags"


def _scoped_posts_query(scope: Scope) -> str:
    pointing = "".join(
        f" UNION MATCH (p:Post {{platform: m.platform, {check_name(c)}: m.post_id}}) RETURN p"
        for c in _POINTERS
    )
    return (
        f"{_marked(scope)} WITH DISTINCT m "
        f"CALL (m) {{ RETURN m AS p{pointing} }} "
        f"WITH DISTINCT p WHERE {_WINDOW} RETURN {_POST_ROW}"
    )


def _rel_rows(
    graph: Neo4jGraph,
    m: RelMap,
    starts: Iterable[tuple[str, str]],
    end_where: str = "",
    **params: Any,
) -> Iterator[dict[str, Any]]:
    """Rows of ``m.table`` whose start node has one of the ``starts`` keys (platform, id)."""
    (start_label, start_cols), end_label = m.start, m.end[0]
    match = ", ".join(f"{check_name(p)}: k[{i}]" for i, p in enumerate(start_cols))
    mapped = "".join(
        f", {check_name(c)}: {var}.{check_name(p)}" for var, p, c in rel_end_columns(m)
    )
    query = (
        f"UNWIND $keys AS k MATCH (s:{check_name(start_label)} {{{match}}})"
        f"-[r:{check_name(m.type)}]->(e:{check_name(end_label)}) {end_where} "
        f"RETURN r {{.*{times_as_text('r', m.table)}{mapped}}} AS row"
    )
    yield from graph.read_rows(query, keys=[list(k) for k in starts], **params)


def _nodes(graph: Neo4jGraph, label: str, table: str, keys: Iterable[tuple[str, str]]) -> list[Any]:
    key = TABLE[table].key
    match = ", ".join(f"{check_name(p)}: k[{i}]" for i, p in enumerate(key))
    query = (
        f"UNWIND $keys AS k MATCH (n:{check_name(label)} {{{match}}}) "
        f"RETURN n {{.*{times_as_text('n', table)}}} AS row"
    )
    return list(graph.read_rows(query, keys=[list(k) for k in keys]))


def scoped_rows(graph: Neo4jGraph, scope: Scope) -> dict[str, Iterable[dict[str, Any]]]:
    """The rows of each table the projection of the topical ``scope`` reads (see module
    doc), one per key. The posts, follows and marks (the bulk of them) are streamed: read
    from Neo4j as the store loads them, in table order (:data:`~kolmap.tables.TRANSFER_TABLES`:
    the marks are those of the posts loaded before them), never all held at once."""
    if not scope.is_topical:
        raise ValueError("only a topical scope (an area or hashtags) is read by its posts")
    window = {
        "platforms": list(scope.platforms) or None,
        "since": scope.since.isoformat() if scope.since else None,
        "until": scope.until.isoformat() if scope.until else None,
    }
    marks = {"area": scope.area, "tags": list(scope.hashtags)}
    scoped = list(graph.read_rows(_scoped_posts_query(scope), **window, **marks))
    pointed = {(p["platform"], p[c]) for p in scoped for c in _POINTERS if p.get(c)}
    first = _unique("posts", [*scoped, *_nodes(graph, "Post", "posts", pointed)])
    mentions = list(_rel_rows(graph, _REL["post_mentions"], _keys(scoped, "post_id")))
    involved = {(p["platform"], p["author_id"]) for p in first}
    involved |= {(r["platform"], r["account_id"]) for r in mentions}
    if scope.area:
        named = "MATCH (n:Account) WHERE $area IN n.bio_areas RETURN n.platform, n.account_id"
        involved |= {(platform, account) for platform, account in graph.run_values(named, **marks)}
    accounts = _nodes(graph, "Account", "accounts", involved)
    keys = {(a["platform"], a["account_id"]) for a in accounts}
    read: set[tuple[str, str]] = set()  # the posts loaded, and the posts they point at

    def posts() -> Iterator[dict[str, Any]]:
        own = graph.read_rows(
            "UNWIND $keys AS k MATCH (:Account {platform: k[0], account_id: k[1]})-[:POSTED]->"
            f"(p:Post) WHERE {_WINDOW} RETURN {_POST_ROW}",
            keys=[list(k) for k in keys],
            **window,
        )
        seen = _keys(first, "post_id")
        for post in chain(first, (p for p in own if (p["platform"], p["post_id"]) not in seen)):
            read.add((post["platform"], post["post_id"]))
            read.update((post["platform"], post[c]) for c in _POINTERS if post.get(c))
            yield post

    def follows() -> Iterator[dict[str, Any]]:
        for row in _rel_rows(graph, _REL["follows"], keys):
            if (row["platform"], row["followed_id"]) in keys:
                yield row

    def marked(table: str, where: str) -> Iterator[dict[str, Any]]:
        yield from _rel_rows(graph, _REL[table], read, where, **marks)

    tables: dict[str, Iterable[dict[str, Any]]] = {
        "accounts": accounts,
        "labels": _nodes(graph, "Label", "labels", keys),
        "posts": posts(),
        "follows": follows(),
        "post_mentions": _unique("post_mentions", mentions),
        "post_areas": marked("post_areas", "WHERE e.area_id = $area") if scope.area else [],
        "post_hashtags": marked("post_hashtags", "WHERE e.tag IN $tags") if scope.hashtags else [],
    }
    return tables


def scoped_projection(graph: Neo4jGraph, scope: Scope) -> Projection:
    """The topical ``scope``'s projection from the rows Neo4j holds for it (module doc)."""
    with _holding(scoped_rows(graph, scope)) as store:
        return store.projection(scope)


def remote_coi(graph: Neo4jGraph) -> pd.DataFrame:
    """Declared payments per account (what rankings show beside each account) from the two
    small tables they are read from (registry ids and payments), not from a copy."""
    tables = {m.table: graph.read_nodes(m) for m in NODE_MAPS if m.table in _COI_TABLES}
    with _holding(tables) as store:
        return store.coi()


@contextmanager
def _holding(tables: Mapping[str, Iterable[dict[str, Any]]]) -> Iterator[DuckDBStore]:
    """An in-memory store loaded with ``tables``, in table order (so streamed marks come
    after the posts whose ids they need)."""
    with DuckDBStore(":memory:") as store:
        store.replica.load_rows({t: tables[t] for t in TRANSFER_TABLES if t in tables})
        yield store


_COI_TABLES = ("registry_ids", "transparency")


def _keys(rows: Iterable[dict[str, Any]], column: str) -> set[tuple[str, str]]:
    return {(r["platform"], r[column]) for r in rows}


def _unique(table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per key of ``table`` (the same row read twice, by two routes)."""
    key = TABLE[table].key
    return list({tuple(r.get(c) for c in key): r for r in rows}.values())
