"""Exports of the scientific axis: the scientific ranking and the KOL × DOL × science
quadrant (:func:`~kolmap.export.reports.export_report`), logged with the accounts of the
persons they list.

They name persons: health professionals and researchers by their public scientific record
(private individuals never become persons, docs/science.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from kolmap.export.reports import export_report
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
    out: Path,
    filters: dict[str, Any],
) -> tuple[str, int]:
    """Write ``table`` (with ``person_id``) to ``out`` (.csv or .xlsx) and log it."""
    return export_report(
        store,
        table,
        what=what,
        out=out,
        filters=filters,
        pseudonymised=True,
        members=_accounts_of(table, members),
    )
