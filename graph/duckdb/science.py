"""The scientific record and person decisions in the embedded store (docs/science.md).

A work replaces the earlier work of the same key with all its authorships (the last file read
wins, whole), a trial its officials likewise; author profiles and congress roles replace
by key. Person decisions are a user's word on two identities (same person, or not), kept
once per pair in a canonical order.

>>> from kolmap.graph.duckdb.schema import SCHEMA_SQL
>>> db = Connection.memory(); db.execute(SCHEMA_SQL)
>>> add_science(db, {"trials": [{"trial_id": "NCT01", "source_line": 1}]}, "t.json")
{'trials': 1}
>>> science_tables(db)["trials"]["trial_id"].tolist()
['NCT01']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.schema import arrow_schema
from kolmap.graph.store import current_actor
from kolmap.tables import SCIENCE_TABLES, TABLE

__all__ = ["add_science", "decide_persons", "person_decisions", "science_tables"]

# Each record kind, and the child kind its rows own (replaced with it).
_OWNED = {"works": ("authorships", "work_key"), "trials": ("trial_officials", "trial_id")}
_ORDER = ("works", "authorships", "author_profiles", "trials", "trial_officials", "congress_roles")


def _arrow(kind: str, rows: Sequence[Mapping[str, Any]], source_file: str) -> pa.Table:
    columns = list(TABLE[kind].columns)
    return pa.Table.from_pylist(
        [{c: ({**r, "source_file": source_file}).get(c) for c in columns} for r in rows],
        schema=arrow_schema(columns),
    )


def add_science(
    db: Connection, records: Mapping[str, Sequence[Mapping[str, Any]]], source_file: str
) -> dict[str, int]:
    """Write the scientific records of one file (call inside a transaction); counts rows
    written per kind."""
    counts: dict[str, int] = {}
    for kind in _ORDER:
        rows = records.get(kind) or []
        if not rows:
            continue
        table = TABLE[kind]
        key = table.key
        with db.registered("_new", _arrow(kind, rows, source_file)):
            match = " AND ".join(f"t.{k} = n.{k}" for k in key)
            db.execute(f"DELETE FROM {kind} t USING _new n WHERE {match}")
            if kind in _OWNED:
                child, column = _OWNED[kind]
                db.execute(f"DELETE FROM {child} WHERE {column} IN (SELECT {column} FROM _new)")
            columns = ", ".join(table.columns)
            counts[kind] = db.scalar(
                f"INSERT INTO {kind} SELECT DISTINCT ON ({', '.join(key)}) {columns} FROM _new"
            )
    return counts


def science_tables(db: Connection) -> dict[str, pd.DataFrame]:
    """Every scientific table and the person decisions, whole and in key order (they are
    small beside the social graph: a few thousand works per area)."""
    return {
        name: db.frame(f"SELECT * FROM {name} ORDER BY {', '.join(TABLE[name].key)}")
        for name in SCIENCE_TABLES
    }


def person_decisions(db: Connection) -> pd.DataFrame:
    """The user's decisions on person links, oldest first."""
    return db.frame("SELECT * FROM person_decisions ORDER BY decided_at, identity_a, identity_b")


def decide_persons(
    db: Connection,
    pairs: Sequence[tuple[str, str]],
    decision: str,
    *,
    note: str = "",
    source: str = "review",
) -> int:
    """Record that each pair of identities is the ``same`` person, or ``different``
    (replacing an earlier decision on the pair); returns how many pairs."""
    if decision not in ("same", "different"):
        raise ValueError(f"decision must be 'same' or 'different', not {decision!r}")
    now = datetime.now(UTC)
    actor = current_actor()
    rows = [
        {
            "identity_a": min(a, b),
            "identity_b": max(a, b),
            "decision": decision,
            "actor": actor,
            "decided_at": now,
            "note": note or None,
            "source": source,
        }
        for a, b in pairs
        if a != b
    ]
    if not rows:
        return 0
    columns = list(TABLE["person_decisions"].columns)
    table = pa.Table.from_pylist(rows, schema=arrow_schema(columns))
    with db.registered("_dec", table):
        db.execute(
            "DELETE FROM person_decisions t USING _dec n "
            "WHERE t.identity_a = n.identity_a AND t.identity_b = n.identity_b"
        )
        return db.scalar(
            "INSERT INTO person_decisions SELECT DISTINCT ON (identity_a, identity_b) * FROM _dec"
        )
