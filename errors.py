"""One small exception hierarchy for kolmap.

The library raises these; only the edges (the ``kolmap`` command, the UI) turn them into
messages for people. Every message says what was expected, what came, and where.

>>> try:
...     raise InputError("follows.csv line 14: expected follower_id, got nothing")
... except KolmapError as err:
...     print(err)
follows.csv line 14: expected follower_id, got nothing
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "InputError",
    "KolmapError",
    "RejectedRowsError",
    "ScoringError",
    "StoreError",
    "StoreLockedError",
    "StoreVersionError",
]


class KolmapError(Exception):
    """Base class: anything kolmap raises on purpose derives from it."""


class ConfigError(KolmapError):
    """A setting, a taxonomy file or a command-line option is invalid."""


class InputError(KolmapError):
    """An input file cannot be read as a whole (encoding, header, structure).

    Raised before anything is committed: the store is left as it was.
    """


class RejectedRowsError(InputError):
    """More rows were rejected than the tolerance allows; nothing was committed.

    The rejected rows are still written to the quarantine file named in the message.
    """

    def __init__(self, message: str, quarantine_path: str | None = None) -> None:
        super().__init__(message)
        self.quarantine_path = quarantine_path


class StoreError(KolmapError):
    """The store cannot be opened, read or written (locked, corrupt, unreachable)."""


class StoreVersionError(StoreError):
    """The store was written by a kolmap of another schema version: re-ingest (a cache of
    a Neo4j graph is rebuilt from the graph instead)."""


class StoreLockedError(StoreError):
    """Another process holds the store's file (DuckDB lets one process write, and then
    nobody else open it): a command may wait for it, the app reads its copy instead."""


class ScoringError(KolmapError):
    """A ranking request cannot be answered (unknown area, empty selection, bad weights)."""
