"""SQL text that cannot be a parameter: the one rule for writing a string as an SQL literal.

Both the DuckDB store (``ATTACH`` paths, ``COPY … TO`` files, settings) and the fast ingest
route (rule values compiled into SQL expressions) need it, and neither may import the other,
so it lives here, below both.

>>> sql_string("it's")
"'it''s'"
"""

from __future__ import annotations

__all__ = ["sql_string"]


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal (single quotes, inner quotes doubled), for the
    places a statement cannot take a parameter. Everything else is parameterised."""
    return "'" + text.replace("'", "''") + "'"
