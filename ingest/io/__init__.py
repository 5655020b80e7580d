"""Generic reading, whatever the format: delimited rows with line numbers and strict decoding
(:mod:`.rows`), JSON and JSON Lines streamed with positions (:mod:`.jsonio`), and ZIP
archives checked before anything is extracted (:mod:`.archives`).

Nothing here knows what a record is; :mod:`kolmap.ingest.formats` turns what these read
into records.

>>> from kolmap.ingest.io.rows import parse_rows
>>> [type(item).__name__ for item in parse_rows(["a,b\\n", "1,2\\n"], "t.csv")]
['Header', 'Row']
"""
