"""Exports of the scientific axis: the scientific ranking and the KOL × DOL × science
quadrant as CSV or XLSX, written and logged like every other export (formulas neutralised,
re-read before they are put in place, the accounts they name recorded in the export log).

They name persons: health professionals and researchers by their public scientific record
(private individuals never become persons, docs/science.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kolmap import __version__
from kolmap.export.exporter import COMPLIANCE_NOTE, log_export, write_table
from kolmap.graph.store import GraphStore
from kolmap.model import AccountKey
from kolmap.views.persons import IDENTITY_KINDS

__all__ = ["export_persons_table"]


def _accounts_of(table: pd.DataFrame, members: pd.DataFrame) -> list[tuple[str, str]]:
    """The accounts of the persons ``table`` lists (for the export log)."""
    shown = members[members["person_id"].isin(set(table["person_id"]))]
    science = tuple(IDENTITY_KINDS.values())
    keys = [AccountKey.parse(i) for i in shown["identity"] if not str(i).startswith(science)]
    return [(k.platform, k.account_id) for k in keys]


def export_persons_table(
    store: GraphStore,
    table: pd.DataFrame,
    members: pd.DataFrame,
    *,
    what: str,
    fmt: str,
    out: Path,
    filters: dict[str, Any],
) -> tuple[str, int]:
    """Write ``table`` (a scientific ranking or a quadrant, with ``person_id``) to ``out``
    as ``fmt`` (csv or xlsx) and log it; returns its SHA-256 and rows."""
    about = {
        "what": what,
        "rows": len(table),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "kolmap version": __version__,
        "method": "docs/science.md",
        "compliance": COMPLIANCE_NOTE,
    }
    digest, _removed = write_table(out, table, fmt, about=about, sheet="persons")
    log_export(
        store,
        fmt=fmt,
        path=out,
        filters=filters,
        rows=len(table),
        sha256=digest,
        pseudonymised=True,
        members=_accounts_of(table, members),
    )
    return digest, len(table)
