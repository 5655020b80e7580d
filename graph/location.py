"""Where a store is and what belongs to it on this machine: a DuckDB file (or ``:memory:``) or
a Neo4j URI, with its quarantine folder, pseudonymisation key, receipts, app cache and
snapshot; and the digest of kolmap's own code that keeps computed results from being read
back by other code.

>>> StoreLocation("bolt://db.example.org:7687").quarantine_dir().name
'bolt-db.example.org-7687.quarantine'
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_STORE",
    "StoreLocation",
    "is_neo4j_uri",
    "resolve_store_location",
    "source_digest",
]

DEFAULT_STORE = "kolmap.duckdb"

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(location: str) -> bool:
    """True for ``neo4j://`` and ``bolt://`` URIs (with their TLS variants): a Neo4j store.

    >>> is_neo4j_uri("bolt://localhost:7687"), is_neo4j_uri("kolmap.duckdb")
    (True, False)
    """
    return location.startswith(_NEO4J_SCHEMES)


def resolve_store_location(location: str | os.PathLike[str] | None) -> str:
    """``location``, else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``."""
    if location:
        return os.fspath(location)
    return os.environ.get("KOLMAP_STORE") or DEFAULT_STORE


@dataclass(frozen=True)
class StoreLocation:
    """Where a store is: a DuckDB file (or ``:memory:``) or a Neo4j URI, and where the files
    that belong to it live on this machine (its quarantine folder and pseudonymisation key).

    >>> StoreLocation("data/kolmap.duckdb").quarantine_dir()
    PosixPath('data/kolmap.quarantine')
    >>> StoreLocation("data/kolmap.duckdb").key_path()
    PosixPath('data/kolmap.pseudonym.key')
    """

    text: str

    @classmethod
    def resolve(cls, location: str | os.PathLike[str] | StoreLocation | None) -> StoreLocation:
        """``location``, else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``."""
        if isinstance(location, StoreLocation):
            return location
        return cls(resolve_store_location(location))

    @property
    def is_neo4j(self) -> bool:
        return is_neo4j_uri(self.text)

    @property
    def is_memory(self) -> bool:
        return self.text == ":memory:"

    @property
    def path(self) -> Path:
        """The DuckDB file (not for a Neo4j store)."""
        if self.is_neo4j:
            raise ValueError(f"{self.text} is a Neo4j store, not a file")
        return Path(self.text)

    def exists(self) -> bool:
        """Whether there is a store to read: the file exists (a Neo4j server is asked only
        when the store is opened, so a URI always counts)."""
        return self.is_neo4j or self.is_memory or self.path.exists()

    def _slug(self) -> str:
        parts = urlsplit(self.text)
        return f"{parts.scheme.split('+')[0]}-{parts.hostname or 'localhost'}-{parts.port or 7687}"

    def quarantine_dir(self) -> Path:
        """Where rejected rows of ingests into this store are kept: beside the file, or, for
        a Neo4j store, in this machine's kolmap data folder (never under a folder named after
        the URI)."""
        if self.is_neo4j:
            base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
            return base / "kolmap" / f"{self._slug()}.quarantine"
        if self.is_memory:
            return Path("kolmap.quarantine")
        return self.path.with_name(self.path.stem + ".quarantine")

    def receipts_dir(self) -> Path:
        """Where erasure receipts of this store are written: beside the file, or, for a
        Neo4j store, in this machine's kolmap data folder.

        >>> StoreLocation("data/kolmap.duckdb").receipts_dir()
        PosixPath('data/kolmap.receipts')
        """
        quarantine = self.quarantine_dir()
        return quarantine.with_name(quarantine.name.removesuffix(".quarantine") + ".receipts")

    def key_path(self) -> Path | None:
        """The pseudonymisation key file: beside the store file, or, for a Neo4j store, in
        this machine's kolmap config folder (the key never goes to Neo4j); None in memory."""
        if self.is_memory:
            return None
        if self.is_neo4j:
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
            return Path.home() / ".config" / "kolmap" / f"{digest}.pseudonym.key"
        return self.path.with_name(self.path.stem + ".pseudonym.key")

    def cache_dir(self) -> Path | None:
        """Where the app keeps computed scopes of this store (see
        :mod:`kolmap.views.scope_cache`): beside the file, or, for a Neo4j store, in this
        machine's cache folder; None in memory.

        >>> StoreLocation("data/kolmap.duckdb").cache_dir()
        PosixPath('data/kolmap.cache')
        """
        if self.is_memory:
            return None
        if self.is_neo4j:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
            return base / "kolmap" / f"{self._slug()}-{digest}.cache"
        return self.path.with_name(self.path.stem + ".cache")

    def snapshot_path(self) -> Path | None:
        """Where the app keeps a read-only copy of a file store, to answer from while
        another process writes to the store (None for Neo4j and in memory).

        >>> StoreLocation("data/kolmap.duckdb").snapshot_path()
        PosixPath('data/kolmap.cache/snapshot.duckdb')
        """
        if self.is_neo4j or self.is_memory:
            return None
        folder = self.cache_dir()
        return folder / "snapshot.duckdb" if folder is not None else None

    def __str__(self) -> str:
        return self.text


_PACKAGE = Path(__file__).resolve().parent.parent


def source_digest(*parts: str) -> str:
    """A digest of kolmap's own code in ``parts`` (package folders, read recursively, or
    files): results computed by other code are never read back by this one.

    >>> len(source_digest("graph", "model.py"))
    16
    """
    digest = hashlib.sha256()
    for part in parts:
        path = _PACKAGE / part
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(_PACKAGE).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]
