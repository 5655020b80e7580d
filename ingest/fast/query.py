"""One file's bulk query, built up column by column: the record columns, the checks that
decide whether a row is finished in SQL, and the parameters.

>>> from kolmap.ingest.fast.characters import safe_characters
>>> query = Query(safe_characters(), ["platform", "follower_id"])
>>> query.id("follower_id", required=True)
>>> query.out["follower_id"], query.checks[-1]
('s1', "(s1 IS NOT NULL AND (NOT starts_with(s1, '@') AND length(s1) <= 300))")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kolmap.ingest.fast.characters import SafeCharacters
from kolmap.ingest.fast.sql import char_class
from kolmap.ingest.formats.canonical import MAX_ID_CHARS
from kolmap.model import PLATFORM_ALIASES, PLATFORM_PATTERN

__all__ = ["Query"]


class Query:
    """One file's bulk query: record columns ``r_<name>`` (``out``), the checks that decide
    the SQL route (``fast``) and the parameters. Intermediate columns are computed in
    stages (``let``, ``then``), each a projection over the previous one, so that a value
    used many times (a post's hashtags) is computed once."""

    def __init__(self, safe: SafeCharacters, header: Sequence[str]) -> None:
        self.safe = safe
        self.header = list(header)
        self.params: list[Any] = []
        self.out: dict[str, str] = {}
        self.checks: list[str] = []
        whitespace = self.param(safe.whitespace)
        allowed = self.param(f"[{char_class(safe.chars)}]*")
        self.stripped: dict[str, str] = {}
        self.stages: list[list[tuple[str, str]]] = [[], []]
        for i, name in enumerate(header):
            self.stripped[name] = f"s{i}"
            # trim() only when an end is white: a third of its cost on this common case.
            ends = (
                f"contains({whitespace}, left(c{i}, 1)) OR contains({whitespace}, right(c{i}, 1))"
            )
            stripped = f"CASE WHEN {ends} THEN trim(c{i}, {whitespace}) ELSE c{i} END"
            self.stages[0].append((f"s{i}", f"NULLIF({stripped}, '')"))
        every = ", ".join(f"c{i}" for i in range(len(header)))
        self.checks.append(f"regexp_full_match(concat({every}), {allowed})")

    def let(self, name: str, expr: str) -> None:
        """Define column ``name`` in the current stage (it may use earlier stages)."""
        self.stages[-1].append((name, expr))

    def then(self) -> None:
        """Start a new stage."""
        self.stages.append([])

    def sql(self, source: str) -> str:
        """The whole query over ``source``: the raw columns, ``r_*`` and ``fast``."""
        raw = ", ".join(f"c{i}" for i in range(len(self.header)))
        if not self.out:
            return f"SELECT {raw}, FALSE AS fast FROM {source}"
        inner = source
        for stage in self.stages:
            if stage:
                defs = ", ".join(f"{expr} AS {name}" for name, expr in stage)
                inner = f"(SELECT *, {defs} FROM {inner})"
        columns = ", ".join(f"{expr} AS r_{name}" for name, expr in self.out.items())
        return (
            f"SELECT {raw}, {columns}, ({' AND '.join(self.checks)}) IS TRUE AS fast FROM {inner}"
        )

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def lookup(self, key: str, mapping: Mapping[str, Any], sql_type: str = "VARCHAR") -> str:
        """SQL for ``mapping[key]`` (NULL for a key it lacks), the mapping passed as two
        parameter lists; ``sql_type`` is the SQL type of its values."""
        keys = sorted(mapping)
        values = self.param([mapping[k] for k in keys])
        return (
            f"list_extract({values}::{sql_type}[], "
            f"list_position({self.param(keys)}::VARCHAR[], {key}))"
        )

    def get(self, name: str) -> str:
        """A column's value as Python's parser sees it: stripped, empty as NULL."""
        return self.stripped.get(name, "NULL::VARCHAR")

    def platform(self) -> None:
        """As :func:`kolmap.model.normalise_platform`."""
        lowered = f"lower({self.get('platform')})"
        platform = f"COALESCE({self.lookup(lowered, PLATFORM_ALIASES)}, {lowered})"
        self.checks.append(
            f"regexp_full_match(COALESCE({platform}, ''), {self.param(PLATFORM_PATTERN)})"
        )
        self.out["platform"] = platform

    def id(self, name: str, *, required: bool) -> None:
        """A platform id: not a handle (``@``), at most MAX_ID_CHARS characters."""
        expr = self.get(name)
        test = f"(NOT starts_with({expr}, '@') AND length({expr}) <= {MAX_ID_CHARS})"
        self.checks.append(
            f"({expr} IS NOT NULL AND {test})" if required else f"({expr} IS NULL OR {test})"
        )
        self.out[name] = expr
