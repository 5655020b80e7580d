"""Results computed from one version of a Neo4j graph, kept in the graph for its other users.

Ranking needs a scope's projection (its accounts and their relations, as plain tables), and
building one needs the whole graph in a local copy: minutes for the first command of a
second user at a million relations. So the first kolmap that computes a projection from a
version of the graph writes it into the graph as ``KolmapShared`` nodes, keyed by that
version, the scope and a digest of the code that computes it; another user's kolmap at the
same version reads it back (a few megabytes) instead of copying the graph
(:meth:`~kolmap.graph.neo4j.mirror.Neo4jMirror.projection`; docs/neo4j.md).

- A result is written only while the graph is still at the version it was computed from,
  in one transaction, so a reader finds all of it or nothing.
- Every write through kolmap (an ingest, an erasure, a suppression) removes the results of
  other versions: what was erased does not survive in them.
- The frames travel as Parquet (exact dtypes back), in parts of at most 4 MB.

>>> shared_key("v-1", "projection", {"area": "oncology"})[:23]
'v-1|projection|{"area":'
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from kolmap.graph.location import source_digest
from kolmap.graph.neo4j.driver import Neo4jGraph

__all__ = ["LABEL", "drop_other_versions", "is_kept", "read_frames", "shared_key", "write_frames"]

LABEL = "KolmapShared"
_PART_BYTES = 4 << 20


@cache
def _code_digest() -> str:
    """A digest of the code behind projections (``graph/``, ``model.py``, ``tables.py``):
    results computed by other code are never read back."""
    return source_digest("graph", "model.py", "tables.py")


def shared_key(version: str, what: str, scope: Mapping[str, Any] | None) -> str:
    """The key of result ``what`` of ``scope`` (its fields) at graph ``version``."""
    text = json.dumps(dict(scope or {}), default=str, sort_keys=True)
    return f"{version}|{what}|{text}|{_code_digest()}"


def is_kept(graph: Neo4jGraph, key: str) -> bool:
    """Whether a result is kept under ``key`` (so that it need not be sent again)."""
    return bool(graph.run(f"MATCH (r:{LABEL} {{key: $key}}) RETURN 1 AS found LIMIT 1", key=key))


def read_frames(graph: Neo4jGraph, key: str) -> dict[str, pd.DataFrame] | None:
    """The frames kept under ``key``, or None when there are none (or not all parts)."""
    rows = graph.run_values(
        f"MATCH (r:{LABEL} {{key: $key}}) "
        "RETURN r.frame AS frame, r.parts AS parts, r.data AS data ORDER BY frame, r.part",
        key=key,
    )
    if not rows:
        return None
    chunks: dict[str, list[bytes]] = {}
    expected: dict[str, int] = {}
    for frame, parts, data in rows:
        chunks.setdefault(str(frame), []).append(bytes(data))
        expected[str(frame)] = int(parts)
    if any(len(chunks[name]) != expected[name] for name in chunks):
        return None
    return {name: pd.read_parquet(io.BytesIO(b"".join(parts))) for name, parts in chunks.items()}


def write_frames(
    graph: Neo4jGraph, key: str, version: str, frames: Mapping[str, pd.DataFrame]
) -> bool:
    """Keep ``frames`` under ``key`` if the graph is still at ``version`` (one transaction:
    all parts or none); whether they were written. A key already kept is left as it is."""
    rows = []
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
        parts = [data[i : i + _PART_BYTES] for i in range(0, len(data), _PART_BYTES)] or [b""]
        rows += [
            {"frame": name, "part": i, "parts": len(parts), "data": part}
            for i, part in enumerate(parts)
        ]
    record = graph.write_single(
        "MATCH (m:KolmapMeta {key: 'graph'}) WHERE m.version = $version "
        f"OPTIONAL MATCH (old:{LABEL} {{key: $key}}) "
        "WITH m, count(old) AS kept WHERE kept = 0 "
        "UNWIND $rows AS row "
        f"CREATE (r:{LABEL} {{key: $key, version: $version, frame: row.frame, "
        "part: row.part, parts: row.parts, data: row.data}) "
        "RETURN count(r) AS written",
        key=key,
        version=version,
        rows=rows,
    )
    return bool(record and record["written"])


def drop_other_versions(graph: Neo4jGraph, version: str | None) -> int:
    """Remove every kept result not computed from ``version`` (all of them for None); how
    many nodes went."""
    return graph.run_batched(
        f"MATCH (r:{LABEL}) WHERE $version IS NULL OR r.version <> $version "
        "CALL (r) { DELETE r } IN TRANSACTIONS OF 100 ROWS RETURN count(*) AS n",
        version=version,
    )
