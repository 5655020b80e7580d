"""The embedded DuckDB store (:class:`DuckDBStore`), the default backend.

Modules: :mod:`.connection` (the one statement funnel), :mod:`.schema` (DDL generated from
the model), :mod:`.stage` and :mod:`.merge` (an ingest run), :mod:`.derive` (the run's
derivation reads and writes), :mod:`.project` (projections), :mod:`.suppressions`,
:mod:`.stats`, :mod:`.replica` (rows for copies and mirrors) and :mod:`.store`.
"""

from kolmap.graph.duckdb.store import DuckDBStore, remove_database_files

__all__ = ["DuckDBStore", "remove_database_files"]
