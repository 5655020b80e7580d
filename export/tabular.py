"""Tables to CSV, XLSX and JSON that are safe to open in a spreadsheet.

Social data is untrusted: a display name such as ``=HYPERLINK(...)`` would run as a formula
in Excel or LibreOffice. In CSV every text cell that starts with ``= + - @``, a tab or a
carriage return is prefixed with ``'`` (OWASP's advice). In XLSX such cells are written as
typed text with Excel's "quote prefix" flag, so the sheet shows exactly the original text and
never evaluates it. Numbers are left alone.

>>> neutralise("=1+1"), neutralise("-2"), neutralise("Dr Roux"), neutralise(-2)
("'=1+1", "'-2", 'Dr Roux', -2)
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import IO, Any

import pandas as pd

__all__ = ["is_formula_like", "neutralise", "to_csv_text", "to_json_text", "write_xlsx"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(_TRIGGERS)


# Characters XML 1.0 (so XLSX) cannot hold: control characters (openpyxl refuses them too),
# the non-characters U+FFFE and U+FFFF, and lone surrogates (real exports carry "\ud800").
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``."""
    return "'" + value if is_formula_like(value) else value


def to_csv_text(
    frame: pd.DataFrame, *, delimiter: str = ",", bom: bool = False, decimal: str = "."
) -> str:
    """CSV text of ``frame`` with formula-like text cells neutralised.

    ``decimal=","`` writes numbers the French way (``0,85``), as French Excel expects with
    ``;`` as the delimiter.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if bom else "\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if _missing(v) else _csv_cell(_plain(v), decimal) for v in row])
    return buffer.getvalue()


def _csv_cell(value: Any, decimal: str) -> Any:
    if isinstance(value, float) and decimal != ".":
        return repr(value).replace(".", decimal)
    return neutralise(value)


def to_json_text(frame: pd.DataFrame) -> str:
    """JSON array of records (missing values as null)."""
    records = [
        {k: (None if _missing(v) else _plain(v)) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=2, default=str)


def write_xlsx(
    fh: IO[bytes],
    frame: pd.DataFrame,
    *,
    sheet: str = "ranking",
    about: Mapping[str, Any] | None = None,
) -> int:
    """An XLSX workbook: ``frame`` on one sheet (header frozen, filters on), ``about`` on a
    second sheet (what the file holds and how it was made).

    Control characters that XLSX cannot hold are removed; returns how many.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    removed = 0

    def clean(value: Any) -> Any:
        nonlocal removed
        if isinstance(value, str):
            fixed, count = XML_ILLEGAL.subn("", value)
            removed += count
            return fixed
        return value

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for col, name in enumerate(frame.columns, start=1):
        _cell(ws, 1, col, clean(str(name)))
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        for col, value in enumerate(row, start=1):
            if not _missing(value):
                _cell(ws, r, col, clean(_plain(value)))
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for col, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(10, len(str(name)) + 2))
    if about:
        info = book.create_sheet("about")
        for r, (key, value) in enumerate(about.items(), start=1):
            _cell(info, r, 1, str(key))
            _cell(info, r, 2, value if isinstance(value, (int, float)) else clean(str(value)))
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 100
    book.save(fh)
    return removed


def _cell(ws: Any, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if is_formula_like(value):
            cell.quotePrefix = True


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    """A value openpyxl can write: numpy scalars as Python ones, times with a zone as UTC
    without one (Excel has no time zones; the column name or about sheet says UTC).

    >>> _plain(pd.Timestamp("2026-03-01 10:00", tz="Europe/Paris"))
    datetime.datetime(2026, 3, 1, 9, 0)
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        return pd.Timestamp(value).tz_convert("UTC").tz_localize(None).to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
