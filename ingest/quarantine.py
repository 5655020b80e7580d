"""Quarantine files: the rows a run rejected, with file, line, reason and raw text.

A run streams its rejected rows to a temporary file in the store's quarantine folder and
moves it into place (``<run id>.csv``) when it ends. Rows that name an opted-out account
(checked against the store's suppression list when the file is closed) and, after an
erasure, rows that name the erased account keep their file and line but lose their reason
and raw text (:data:`BLANK`), so that the quarantine never holds a removed person in clear.

>>> import tempfile, pathlib
>>> q = Quarantine(pathlib.Path(tempfile.mkdtemp()), "r1")
>>> q.add(Rejected("posts.csv", 3, "likes must be a count", "x;9;@ann_b;many"))
>>> path = q.close(suppressed=lambda names: {n for n in names if n == "ann_b"})
>>> pathlib.Path(path).read_text().splitlines()[1]
'r1,posts.csv,3,[erased],[erased]'
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kolmap.ingest.io.rows import Rejected

__all__ = ["BLANK", "Quarantine", "blank_rows", "names_in"]

BLANK = "[erased]"
HEADER = ["run_id", "file", "line", "reason", "raw"]
_NAME = re.compile(r"[\w.\-]{1,100}")


def names_in(text: str) -> set[str]:
    """The words of ``text`` that could be an account id or handle (``@`` dropped).

    >>> sorted(names_in("x,42,@Ann_B,hello world"))
    ['42', 'Ann_B', 'hello', 'world', 'x']
    """
    return set(_NAME.findall(text))


def blank_rows(path: Path, names: Callable[[Sequence[str]], set[str]]) -> int:
    """Blank the reason and raw text of the rows of the quarantine file ``path`` that hold
    one of the names ``names`` picks among their words; returns how many. The file is
    rewritten through a temporary file (and left untouched when no row is blanked)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    body = [row for row in rows[1:] if len(row) >= len(HEADER)]
    words = sorted({w for row in body for w in names_in(row[3] + " " + row[4])})
    picked = {w.lower() for w in names(words)} if words else set()
    hits = 0
    for row in body:
        if picked & {w.lower() for w in names_in(row[3] + " " + row[4])}:
            row[3] = row[4] = BLANK
            hits += 1
    if hits:
        partial = path.with_name(path.name + ".part")
        with partial.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
        os.replace(partial, path)
    return hits


class Quarantine:
    """Rejected rows, streamed to a temporary file and moved into place when the run ends."""

    def __init__(self, folder: Path, run_id: str) -> None:
        self.folder = folder
        self.run_id = run_id
        self.count = 0
        self._tmp: Any = None
        self._writer: Any = None
        self._final: str | None = None

    def add(self, item: Rejected) -> None:
        if self._tmp is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in close())
                "w", encoding="utf-8", newline="", dir=self.folder, suffix=".part", delete=False
            )
            self._writer = csv.writer(self._tmp)
            self._writer.writerow(HEADER)
        self._writer.writerow([self.run_id, item.file, item.line, item.reason, item.raw])
        self.count += 1

    def close(self, suppressed: Callable[[Sequence[str]], set[str]] | None = None) -> str | None:
        """Move the file into place; rows naming an account ``suppressed`` picks (the
        store's check of its suppression list) are blanked first. Returns its path."""
        if self._tmp is not None and self._final is None:
            self._tmp.close()
            if suppressed is not None:
                blank_rows(Path(self._tmp.name), suppressed)
            final = self.folder / f"{self.run_id}.csv"
            os.replace(self._tmp.name, final)
            self._final = str(final)
        return self._final
