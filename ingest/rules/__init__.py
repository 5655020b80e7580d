"""The text rules of ingest, in one place: what a mention and a hashtag look like, how text
is folded for matching (:mod:`.text`), and the therapeutic-area phrase lists
(``taxonomy.toml``, loaded by :mod:`kolmap.ingest.areas`). Role phrases live in
``kolmap/ingest/roles/cues.toml``.

Both routes are built from these same values: the row-by-row route compiles them into
Python regular expressions (:mod:`kolmap.ingest.text`, :mod:`kolmap.ingest.areas`), the
fast route into DuckDB SQL (:mod:`kolmap.ingest.fast`). Nothing is written twice, so the two
cannot drift apart.

>>> from kolmap.ingest.rules.text import LIGATURES
>>> dict(LIGATURES)["œ"]
'oe'
"""
