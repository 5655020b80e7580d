"""Reports written as files (the rising stars, a congress, share of voice, the scientific
ranking, the quadrant): CSV or XLSX by the file's suffix, written atomically and re-read
before they are put in place, formulas neutralised, an ``about`` sheet (XLSX), and logged in
the store's export log with the accounts they show, like every other export.

>>> import tempfile, pathlib, pandas as pd
>>> from kolmap.graph.duckdb import DuckDBStore
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with DuckDBStore(folder / "s.duckdb") as store:
...     export_report(store, pd.DataFrame({"a": ["=1+1"]}), what="t", out=folder / "t.csv",
...                   filters={}, pseudonymised=True)[1]
1
>>> (folder / "t.csv").read_text("utf-8-sig").splitlines()[1]
"'=1+1"
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kolmap import __version__
from kolmap.errors import KolmapError
from kolmap.export.exporter import COMPLIANCE_NOTE, log_export, table_members, write_table
from kolmap.graph.store import GraphStore

__all__ = ["export_report"]


def export_report(
    store: GraphStore,
    table: pd.DataFrame,
    *,
    what: str,
    out: Path,
    filters: dict[str, Any],
    pseudonymised: bool,
    members: Sequence[tuple[str, str]] | None = None,
) -> tuple[str, int]:
    """Write ``table`` to ``out`` (``.csv`` or ``.xlsx``) and log it; returns its SHA-256 and
    rows. ``members`` are the accounts it shows (default: its platform and account_id)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise KolmapError(f"{out}: a report is written as .csv or .xlsx")
    fmt = suffix.lstrip(".")
    about = {
        "what": what,
        "rows": len(table),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "kolmap version": __version__,
        "private individuals": "pseudonymised" if pseudonymised else "shown (explicitly requested)",
        "compliance": COMPLIANCE_NOTE,
    }
    digest, _removed = write_table(out, table, fmt, about=about, sheet="report")
    log_export(
        store,
        fmt=fmt,
        path=out,
        filters=filters,
        rows=len(table),
        sha256=digest,
        pseudonymised=pseudonymised,
        members=table_members(table) if members is None else members,
    )
    return digest, len(table)
