"""Serving an erasure or opt-out request everywhere kolmap keeps data, with a receipt.

``kolmap erase`` and ``kolmap suppress`` (and the app) call :func:`erase_everywhere`, which
goes beyond the store's own rows (``GraphStore.erase`` / ``suppress``: the account, its
posts, relations, labels, shortlist entries and saved views; its handle in other people's
posts and bios; the text other people's reposts copied from it):

1. the store's files: the embedded store rewrites its file, so the erased rows are gone from
   its bytes and not only from its tables; Neo4j is checkpointed (``GraphStore.compact``);
2. quarantine files: a rejected row that names the account (its id or handle) keeps its
   place and line number, but its reason and raw text become ``[erased]``;
3. the app's computed scopes and read-only copy beside the store (``kolmap.cache/``), and
   temporary folders left by killed runs;
4. past exports that showed the account (by id, or by its pseudonym) are listed, for the
   user to recall or delete: kolmap cannot reach files it handed over;
5. a receipt (JSON: what was removed, where, when, by whom, naming the account by keyed
   hashes only) is written beside the store, and the audit trail records it.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with DuckDBStore(folder / "s.duckdb") as store:
...     receipt = erase_everywhere(store, folder / "s.duckdb", [AccountKey("x", "42")])
>>> receipt["action"], sorted(receipt["removed"])[:2], pathlib.Path(receipt["path"]).exists()
('erase', ['accounts', 'bios_redacted'], True)
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap import __version__
from kolmap.graph.keys import load_key
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import GraphStore, current_actor, stamped_id
from kolmap.ingest.pipeline import remove_stale_workdirs
from kolmap.ingest.quarantine import blank_rows, names_in
from kolmap.model import AccountKey
from kolmap.views.privacy import pseudonym

__all__ = ["erase_everywhere", "redact_quarantine", "subject_report"]


def erase_everywhere(
    store: GraphStore,
    location: str | os.PathLike[str] | StoreLocation,
    keys: Sequence[AccountKey],
    *,
    suppress: bool = False,
    key: bytes | None = None,
) -> dict[str, Any]:
    """Erase (or, with ``suppress``, opt out) ``keys`` everywhere (see the module doc);
    returns the receipt, also written to its file (``receipt["path"]``)."""
    where = StoreLocation.resolve(location)
    secret = key if key is not None else load_key(where)
    found = store.accounts(list(keys))
    needles = {k.account_id for k in keys} | {
        str(h) for h in found.get("handle", []) if isinstance(h, str) and h
    }
    aliases = [AccountKey(k.platform, pseudonym(secret, k.platform, k.account_id)) for k in keys]
    shown = [*keys, *aliases]
    exports = store.exports_holding(shown)
    subjects = store.subject_hashes(list(keys))
    removed = store.suppress(list(keys)) if suppress else store.erase(list(keys))
    places: dict[str, Any] = {"store": store.compact()}
    places["quarantine_rows_redacted"] = redact_quarantine(where.quarantine_dir(), needles)
    places["app_cache_files_removed"] = _remove_tree(where.cache_dir())
    places["temporary_folders_removed"] = len(remove_stale_workdirs())
    now = datetime.now(UTC)
    receipt_id = stamped_id(now)
    receipt: dict[str, Any] = {
        "receipt_id": receipt_id,
        "action": "suppress" if suppress else "erase",
        "at": now.isoformat(),
        "by": current_actor(),
        "store": str(where.text),
        "subjects": subjects,
        "removed": removed,
        "places": places,
        "exports_to_recall": [
            {
                "export_id": str(row["export_id"]),
                "exported_at": str(row["exported_at"]),
                "format": str(row["format"]),
                "path": str(row["path"]),
            }
            for row in exports.to_dict(orient="records")
        ],
        "not_reached": [
            "files handed over in past exports (listed in exports_to_recall)",
            "backups and copies of the store made outside kolmap",
        ],
        "kolmap_version": __version__,
    }
    folder = where.receipts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{receipt['action']}-{receipt_id}.json"
    receipt["path"] = str(path.resolve())
    _write_json(path, receipt)
    store.record_audit(
        "receipt",
        {"receipt_id": receipt_id, "action": receipt["action"], "subjects": subjects,
         "path": receipt["path"], "exports_to_recall": len(receipt["exports_to_recall"])},
    )  # fmt: skip
    return receipt


def subject_report(
    store: GraphStore,
    location: str | os.PathLike[str] | StoreLocation,
    key: AccountKey,
    *,
    secret: bytes | None = None,
) -> dict[str, Any]:
    """Everything kolmap holds on one account, for an access request: its rows in every
    table (:data:`~kolmap.graph.duckdb.suppressions.HELD` lists them), the files they came
    from, the exports that showed it (by id or pseudonym), whether it is suppressed, and
    the quarantined rows that name it. The request itself is audited."""
    where = StoreLocation.resolve(location)
    secret = secret if secret is not None else load_key(where)
    held = store.subject(key)
    records = {
        table: json.loads(frame.to_json(orient="records", date_format="iso"))
        for table, frame in held.items()
    }
    sources = sorted(
        {str(s) for frame in held.values() if "source_file" in frame for s in frame["source_file"]
         if isinstance(s, str)}
    )  # fmt: skip
    alias = AccountKey(key.platform, pseudonym(secret, key.platform, key.account_id))
    exports = store.exports_holding([key, alias])
    handles = {str(h) for h in held["accounts"].get("handle", []) if isinstance(h, str)}
    quarantined = _quarantined_rows(where.quarantine_dir(), {key.account_id, *handles})
    report = {
        "subject": key.label,
        "pseudonym": alias.account_id,
        "suppressed": bool(store.suppressed_names([key.account_id])),
        "held": records,
        "sources": sources,
        "exports": json.loads(exports.to_json(orient="records", date_format="iso")),
        "quarantined_rows": quarantined,
        "at": datetime.now(UTC).isoformat(),
        "kolmap_version": __version__,
    }
    store.record_audit("access", {"subjects": store.subject_hashes([key])})
    return report


def _quarantined_rows(folder: Path, needles: set[str]) -> list[dict[str, str]]:
    if not folder.is_dir():
        return []
    wanted = {n.lower().lstrip("@") for n in needles}
    found = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                words = names_in(f"{row.get('reason', '')} {row.get('raw', '')}")
                if wanted & {w.lower() for w in words}:
                    found.append({"quarantine": path.name, **row})
    return found


def redact_quarantine(folder: Path, needles: set[str]) -> int:
    """Blank the reason and raw text of every quarantined row in ``folder`` that names one
    of ``needles`` (ids and handles, as whole words, in any case); returns how many rows.

    >>> import tempfile, pathlib
    >>> q = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (q / "r.csv").write_text("run_id,file,line,reason,raw\\nr,a.csv,3,bad,x;42;@Ann\\n")
    >>> redact_quarantine(q, {"ann"}), (q / "r.csv").read_text().splitlines()[1]
    (1, 'r,a.csv,3,[erased],[erased]')
    """
    if not folder.is_dir() or not needles:
        return 0
    wanted = {n.lower().lstrip("@") for n in needles}
    return sum(
        blank_rows(path, lambda words: {w for w in words if w.lower() in wanted})
        for path in sorted(folder.rglob("*.csv"))
    )


def _remove_tree(folder: Path | None) -> int:
    """Delete ``folder`` (the app's caches, rebuilt on the next visit); files removed."""
    if folder is None or not folder.exists():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return count


def _write_json(path: Path, value: Any) -> None:
    fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(value, fh, indent=2, default=str)
    os.replace(partial, path)
