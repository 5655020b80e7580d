"""The store's secret key: it keys the pseudonyms of exports and the app, and the hashes of
the suppression list, and it never goes into the store itself.

It is ``$KOLMAP_PSEUDONYM_KEY``, the ``privacy.key_file`` setting, or the store's own key
file (:meth:`~kolmap.graph.store.StoreLocation.key_path`: beside a DuckDB file, in this
machine's config folder for a Neo4j store), created on first use. A team sharing one Neo4j
graph shares one key (the variable or the file): a store refuses to ingest or suppress with
a key other than the one its suppression list was made with.

>>> import tempfile, pathlib
>>> store = pathlib.Path(tempfile.mkdtemp()) / "k.duckdb"
>>> load_key(str(store)) == load_key(str(store)), store.with_suffix(".pseudonym.key").exists()
(True, True)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kolmap.graph.location import StoreLocation
from kolmap.settings import PrivacySettings

__all__ = ["KEY_ENV", "load_key"]

KEY_ENV = "KOLMAP_PSEUDONYM_KEY"


def load_key(store_location: str | StoreLocation, settings: PrivacySettings | None = None) -> bytes:
    """The key of the store at ``store_location`` (see the module doc); a store in memory
    gets a key of its own for this process."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    location = StoreLocation.resolve(store_location)
    configured = settings.key_file if settings is not None else ""
    path = Path(configured).expanduser() if configured else location.key_path()
    if path is None:  # an in-memory store: a key for this process only
        return secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text("utf-8").strip().encode("utf-8")
