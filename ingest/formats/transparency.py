"""Transparency files: US Open Payments general payments and France's Transparence Santé
declarations, read into payment records keyed by the recipient's registry number only.

kolmap keeps, of each declared payment: its source and record id, the recipient's registry
(``npi``, ``profile_id``, ``rpps``, ``adeli``) and number, the payer, the amount in cents and
its currency, its nature, dates, program year, whether it is disputed, and the source's
licence. Names and addresses are never kept: a payment reaches an account only through a
registry number the user links to it (``kolmap transparency link``), never by name.

- **Open Payments** (CMS): ``OP_DTL_GNRL_PGYR<year>_*.csv``, comma-separated; PY2021+
  columns (``Covered_Recipient_NPI``, ``Covered_Recipient_Profile_ID``) and the older
  ``Physician_Profile_ID`` ones; ``Change_Type`` ``DELETED`` rows remove a record, and so
  does every row of the removed/deleted records file (``Record_ID`` with ``Change_Type``,
  ``Payment_Type`` or ``Program_Year``, no amount).
- **Transparence Santé** (legacy Etalab export): ``declaration_avantage_*.csv``,
  ``declaration_convention_*.csv``, ``declaration_remuneration_*.csv``, ``;``-separated,
  amounts in euros (``1 234,56`` or ``1234.56``), dates ``dd/mm/yyyy``; the registry is
  ``identifiant_type`` (RPPS, ADELI) with ``benef_identifiant_valeur``.

A row without a usable registry number or amount is rejected with its line and reason.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "OP_DTL_GNRL_PGYR2023_P01302025.csv"
>>> _ = p.write_text("Record_ID,Change_Type,Covered_Recipient_NPI,"
...     "Applicable_Manufacturer_or_Applicable_GPO_Making_Payment_Name,"
...     "Total_Amount_of_Payment_USDollars,Date_of_Payment,Program_Year,"
...     "Nature_of_Payment_or_Transfer_of_Value\\n"
...     "901,NEW,1234567893,Exemplar Inc,150.25,03/14/2023,2023,Food and Beverage\\n")
>>> [r.records[0][1]["amount_cents"] for r in read_transparency(p)]
[15025]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.rows import Rejected

__all__ = ["LICENCES", "detect_source", "read_transparency"]

LICENCES = {
    "open_payments": "cms-open-payments (public domain)",
    "transparence_sante": "transparence-sante-reuse (transparency only; no marketing use)",
}
_TS_AMOUNT = ("avant_montant_ttc", "conv_montant_ttc", "remu_montant_ttc")
_TS_DATE = ("avant_date_signature", "conv_date_signature", "remu_date")
_TS_NATURE = ("avant_nature", "conv_objet")


def detect_source(header: list[str]) -> str | None:
    """``open_payments``, ``transparence_sante`` or None for a header row."""
    names = {h.strip() for h in header}
    if "Record_ID" in names and "Total_Amount_of_Payment_USDollars" in names:
        return "open_payments"
    if "Record_ID" in names and names & {"Change_Type", "Payment_Type", "Program_Year"}:
        return "open_payments_removed"
    if "benef_identifiant_valeur" in names and names & set(_TS_AMOUNT):
        return "transparence_sante"
    return None


def _amount(text: str) -> int:
    cleaned = re.sub(r"[\s\u00a0\u202f€$]", "", text or "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(f"amount {text!r} is not a number") from None
    if value < 0:
        raise RowError(f"amount {text!r} is negative")
    return int((value * 100).quantize(Decimal(1)))


def _date(text: str, day_first: bool) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d") if day_first else ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:10], pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise RowError(f"date {text!r} is not a date")


def _open_payments(row: dict[str, str]) -> dict[str, Any]:
    record_id = (row.get("Record_ID") or "").strip()
    if not record_id:
        raise RowError("no Record_ID")
    npi = (row.get("Covered_Recipient_NPI") or "").strip()
    profile = (
        row.get("Covered_Recipient_Profile_ID") or row.get("Physician_Profile_ID") or ""
    ).strip()
    registry, registry_id = ("npi", npi) if npi else ("profile_id", profile)
    if not registry_id:
        raise RowError("no recipient NPI or profile id (payments are linked by number only)")
    deleted = (row.get("Change_Type") or "").strip().upper() == "DELETED"
    payer = row.get("Applicable_Manufacturer_or_Applicable_GPO_Making_Payment_Name") or row.get(
        "Submitting_Applicable_Manufacturer_or_Applicable_GPO_Name"
    )
    return {
        "record_key": f"open_payments:{record_id}",
        "source": "open_payments",
        "record_id": record_id,
        "registry": registry,
        "registry_id": registry_id,
        "payer": (payer or "").strip() or None,
        "amount_cents": 0 if deleted else _amount(row.get("Total_Amount_of_Payment_USDollars", "")),
        "currency": "USD",
        "nature": (row.get("Nature_of_Payment_or_Transfer_of_Value") or "").strip() or None,
        "paid_on": _date(row.get("Date_of_Payment", ""), day_first=False),
        "program_year": (row.get("Program_Year") or "").strip() or None,
        "published_on": _date(row.get("Payment_Publication_Date", ""), day_first=False),
        "disputed": (row.get("Dispute_Status_for_Publication") or "").strip().lower() == "yes",
        "licence": LICENCES["open_payments"],
        "deleted": deleted,
    }


def _open_payments_removed(row: dict[str, str]) -> dict[str, Any]:
    """A row of the removed/deleted records file (PY2016+): the payment leaves the store."""
    record_id = (row.get("Record_ID") or "").strip()
    if not record_id:
        raise RowError("no Record_ID")
    return {
        "record_key": f"open_payments:{record_id}",
        "source": "open_payments",
        "record_id": record_id,
        "deleted": True,
    }


def _transparence_sante(row: dict[str, str]) -> dict[str, Any]:
    line_id = (row.get("ligne_identifiant") or "").strip()
    if not line_id:
        raise RowError("no ligne_identifiant")
    kind = (row.get("identifiant_type") or row.get("benef_identifiant_type_code") or "").strip()
    registry = kind.lower()
    registry_id = (row.get("benef_identifiant_valeur") or "").strip()
    if registry not in ("rpps", "adeli") or not registry_id:
        raise RowError(
            f"no RPPS or ADELI number (identifiant_type {kind!r}); payments are linked by "
            "number only"
        )
    amount_column = next((c for c in _TS_AMOUNT if (row.get(c) or "").strip()), None)
    if amount_column is None:
        raise RowError("no amount")
    date_column = next((c for c in _TS_DATE if (row.get(c) or "").strip()), "")
    nature_column = next((c for c in _TS_NATURE if (row.get(c) or "").strip()), "")
    return {
        "record_key": f"transparence_sante:{line_id}",
        "source": "transparence_sante",
        "record_id": line_id,
        "registry": registry,
        "registry_id": registry_id,
        "payer": (row.get("denomination_sociale") or "").strip() or None,
        "amount_cents": _amount(row[amount_column]),
        "currency": "EUR",
        "nature": (row.get(nature_column) or "").strip() or None if nature_column else None,
        "paid_on": _date(row.get(date_column, ""), day_first=True) if date_column else None,
        "program_year": (row.get("semestre") or "").strip() or None,
        "published_on": None,
        "disputed": False,
        "licence": LICENCES["transparence_sante"],
        "deleted": False,
    }


def read_transparency(path: Path) -> Iterator[Item]:
    """Each row of an Open Payments or Transparence Santé file as a parsed record (kind
    ``transparency``) or a rejection naming its line; a file of neither kind is an
    :class:`InputError` naming it."""
    name = str(path)
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as fh:
        head = fh.readline()
        delimiter = ";" if head.count(";") > head.count(",") else ","
        fh.seek(0)
        rows = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(rows)
        except StopIteration:
            raise InputError(f"{name}: empty file") from None
        source = detect_source(header)
        if source is None:
            raise InputError(
                f"{name} line 1: neither an Open Payments general-payments file (Record_ID, "
                "Total_Amount_of_Payment_USDollars) nor a Transparence Santé declaration "
                "(benef_identifiant_valeur and an amount column) nor an Open Payments "
                "removed/deleted records file (Record_ID)"
            )
        parse = {
            "open_payments": _open_payments,
            "open_payments_removed": _open_payments_removed,
            "transparence_sante": _transparence_sante,
        }[source]
        names = [h.strip() for h in header]
        for line, values in enumerate(rows, start=2):
            if not any(v.strip() for v in values):
                continue
            raw = delimiter.join(values)
            if len(values) != len(names):
                reason = f"{len(values)} fields where the header has {len(names)}"
                yield Rejected(name, line, reason, raw)
                continue
            try:
                yield Parsed(line, [("transparency", parse(dict(zip(names, values, strict=True))))])
            except RowError as err:
                yield Rejected(name, line, str(err), raw)
