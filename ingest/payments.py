"""Importing transparency files (``kolmap transparency import``): each file read, checked
and written in one transaction, its rejected rows in the store's quarantine folder.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> p = folder / "declaration_avantage_2021.csv"
>>> _ = p.write_text("ligne_identifiant;denomination_sociale;identifiant_type;"
...     "benef_identifiant_valeur;avant_montant_ttc;avant_date_signature;avant_nature\\n"
...     "A1;Exemplar SAS;RPPS;10101010101;1 234,56;14/03/2021;REPAS\\n")
>>> with DuckDBStore(folder / "s.duckdb") as store:
...     import_payments(store, [p], quarantine_dir=folder / "q")[0]["added"]
1
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.errors import RejectedRowsError
from kolmap.graph.store import GraphStore, stamped_id
from kolmap.ingest.formats.spec import Parsed
from kolmap.ingest.formats.transparency import read_transparency
from kolmap.ingest.pipeline import parse_tolerance
from kolmap.ingest.quarantine import Quarantine

__all__ = ["import_payments"]


def import_payments(
    store: GraphStore,
    paths: Sequence[str | os.PathLike[str]],
    *,
    quarantine_dir: str | os.PathLike[str],
    tolerance: str = "0",
) -> list[dict[str, Any]]:
    """Read each transparency file and write its payments; one summary per file (rows
    read, quarantined, added, replaced, deleted, quarantine file). A file with more rejected
    rows than ``tolerance`` writes nothing (:class:`RejectedRowsError`)."""
    summaries = []
    for raw in paths:
        path = Path(raw)
        run_id = stamped_id(datetime.now(UTC))
        quarantine = Quarantine(Path(quarantine_dir), run_id)
        records: list[dict[str, Any]] = []
        read = 0
        try:
            for item in read_transparency(path):
                read += 1
                if isinstance(item, Parsed):
                    for _kind, record in item.records:
                        records.append({**record, "source_line": item.line})
                else:
                    quarantine.add(item)
            allowed = parse_tolerance(tolerance, read)
            if quarantine.count > allowed:
                qpath = quarantine.close()
                raise RejectedRowsError(
                    f"{path}: {quarantine.count} of {read} rows were rejected, more than the "
                    f"tolerance of {allowed} ({tolerance}); nothing was written. Rejected rows "
                    f"and reasons: {qpath}",
                    qpath,
                )
            counts = store.add_payments(records, str(path)) if records else {}
        finally:
            qpath = quarantine.close()
        summaries.append(
            {
                "file": str(path),
                "rows_read": read,
                "quarantined": quarantine.count,
                **counts,
                "quarantine_file": qpath,
            }
        )
    return summaries
