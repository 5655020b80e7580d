"""Declared payments and registry links in the embedded store, and the conflict-of-interest
view that joins them (see :mod:`kolmap.ingest.formats.transparency`).

A payment reaches an account only through a registry number the user linked to it; the
view never changes a score, and what shows it is decided above (the ``privacy.purpose``
setting keeps it out of brand and marketing work).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from kolmap.graph.duckdb import audit
from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.duckdb.schema import arrow_schema
from kolmap.tables import TABLE

__all__ = ["add_payments", "coi", "link_registry"]


def add_payments(
    db: Connection, records: Sequence[dict[str, Any]], source_file: str
) -> dict[str, int]:
    """Upsert payment records (each carries ``source_line``); a ``deleted`` record removes
    its payment. Counts added, replaced and deleted (call inside a transaction)."""
    columns = list(TABLE["transparency"].columns)
    rows = [{**r, "source_file": source_file} for r in records]
    table = pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} for r in rows], schema=arrow_schema(columns)
    )
    gone = pa.table({"record_key": [r["record_key"] for r in rows if r.get("deleted")]})
    with db.registered("_pay", table), db.registered("_gone", gone):
        deleted = db.scalar(
            "DELETE FROM transparency WHERE record_key IN (SELECT record_key FROM _gone)"
        )
        replaced = db.scalar(
            """DELETE FROM transparency WHERE record_key IN (SELECT record_key FROM _pay
               WHERE record_key NOT IN (SELECT record_key FROM _gone))"""
        )
        added = db.scalar(
            f"""INSERT INTO transparency SELECT DISTINCT ON (record_key) {", ".join(columns)}
                FROM _pay WHERE record_key NOT IN (SELECT record_key FROM _gone)"""
        )
    return {"added": added - replaced, "replaced": replaced, "deleted": deleted}


def link_registry(db: Connection, links: Sequence[tuple[str, str, str, str]]) -> int:
    """Link accounts to registry numbers: ``(platform, account_id, registry, registry_id)``,
    replacing an account's earlier number in that registry; audited. Returns how many."""
    table = pa.table(
        {
            "platform": [p for p, _, _, _ in links],
            "account_id": [a for _, a, _, _ in links],
            "registry": [r.lower() for _, _, r, _ in links],
            "registry_id": [i for _, _, _, i in links],
        }
    )
    with db.registered("_links", table):
        db.execute(
            """DELETE FROM registry_ids t USING _links n WHERE t.platform = n.platform
               AND t.account_id = n.account_id AND t.registry = n.registry"""
        )
        count = db.scalar(
            "INSERT INTO registry_ids SELECT DISTINCT platform, account_id, registry, "
            "registry_id, ? FROM _links",
            [datetime.now(UTC)],
        )
    audit.record(db, "registry-link", {"links": count})
    return count


def coi(db: Connection) -> pd.DataFrame:
    """Per linked account and currency: the declared total, the number of payments, the
    payers, the years, the sources and licences, and how many are disputed."""
    return db.frame(
        """SELECT r.platform, r.account_id, t.currency,
                  sum(t.amount_cents) AS amount_cents, count(*) AS payments,
                  string_agg(DISTINCT t.payer, '; ' ORDER BY t.payer) AS payers,
                  string_agg(DISTINCT COALESCE(t.program_year,
                             strftime(t.paid_on, '%Y')), ', ' ORDER BY 1) AS years,
                  string_agg(DISTINCT t.source, ', ') AS sources,
                  string_agg(DISTINCT t.licence, '; ') AS licences,
                  count(*) FILTER (WHERE t.disputed) AS disputed
           FROM registry_ids r JOIN transparency t
             ON t.registry = r.registry AND t.registry_id = r.registry_id
           GROUP BY ALL ORDER BY 1, 2, 3"""
    )
