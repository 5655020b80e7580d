"""Tables to CSV/JSON text that is safe to open in a spreadsheet.

Social data is untrusted: a display name such as ``=HYPERLINK(...)`` would run as a formula
in Excel or LibreOffice. Every text cell that starts with ``= + - @``, a tab or a carriage
return is prefixed with ``'`` (OWASP's advice), so spreadsheets show it as literal text.
Numbers are left alone.

>>> neutralise("=1+1"), neutralise("-2"), neutralise("Dr Roux")
("'=1+1", "'-2", 'Dr Roux')
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pandas as pd

__all__ = ["neutralise", "to_csv_text", "to_json_text"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def to_csv_text(frame: pd.DataFrame, *, delimiter: str = ",", bom: bool = False) -> str:
    """CSV text of ``frame`` with formula-like text cells neutralised."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(["" if _missing(v) else neutralise(v) for v in row])
    return buffer.getvalue()


def to_json_text(frame: pd.DataFrame) -> str:
    """JSON array of records (missing values as null)."""
    records = [
        {k: (None if _missing(v) else _plain(v)) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value
