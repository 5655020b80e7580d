"""The fast route for large canonical CSV files: DuckDB reads, checks and enriches them in
bulk (:mod:`.bulk_csv`), the rows SQL cannot decide are parsed by worker processes
(:mod:`.parallel_rows`), and reading runs one batch ahead of staging (:mod:`.prefetch`).

The SQL is compiled from :mod:`kolmap.ingest.rules` and the taxonomy, the same rules the
row-by-row route applies in Python, so the two routes cannot drift apart. Apart from the
DuckDB store, this is the only code that imports ``duckdb``.

>>> from kolmap.ingest.fast.bulk_csv import BULK_KINDS
>>> BULK_KINDS
('posts', 'follows', 'accounts')
"""
