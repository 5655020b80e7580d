"""A recording stand-in for the ``neo4j`` driver, so the Cypher kolmap sends is tested offline.

``RecordingDriver`` implements the few driver calls :class:`~kolmap.graph.neo4j.driver.Neo4jGraph`
makes (``execute_query``, sessions with ``run`` and ``execute_write``); it records every query
with its parameters and answers from a ``responder(query, params) -> list[dict]`` (the rows
the server would return). The real-server suite (test_neo4j.py, marked ``neo4j``) checks the
same code against Neo4j itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Responder = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


class FakeRecord:
    def __init__(self, row: dict[str, Any]) -> None:
        self._row = row

    def data(self) -> dict[str, Any]:
        return dict(self._row)

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, int):
            return list(self._row.values())[key]
        return self._row[key]

    def values(self) -> list[Any]:
        return list(self._row.values())


class FakeResult:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def __iter__(self) -> Iterator[FakeRecord]:
        return iter(FakeRecord(r) for r in self.rows)

    def single(self) -> FakeRecord | None:
        return FakeRecord(self.rows[0]) if self.rows else None


def count_rows(query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The default answer: a batch query wrote all its rows; anything else returns nothing."""
    if "rows" in params:
        return [{"count(*)": len(params["rows"])}]
    return []


@dataclass
class RecordingDriver:
    responder: Responder = count_rows
    queries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    closed: bool = False

    def _answer(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.queries.append((query, params))
        return self.responder(query, params)

    def execute_query(
        self, query: str, params: dict[str, Any] | None = None, database_: str | None = None
    ) -> tuple[list[FakeRecord], None, list[str]]:
        rows = self._answer(query, dict(params or {}))
        return [FakeRecord(r) for r in rows], None, list(rows[0]) if rows else []

    def session(self, database: str | None = None, fetch_size: int = 1000) -> FakeSession:
        return FakeSession(self)

    def verify_connectivity(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    def cypher(self, containing: str = "") -> list[str]:
        """The queries sent so far that contain ``containing``."""
        return [q for q, _p in self.queries if containing in q]


class FakeSession:
    def __init__(self, driver: RecordingDriver) -> None:
        self.driver = driver

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: str, params: dict[str, Any] | None = None, **kw: Any) -> FakeResult:
        return FakeResult(self.driver._answer(query, {**(params or {}), **kw}))

    def execute_write(self, work: Callable[[Any], Any]) -> Any:
        return work(self)
