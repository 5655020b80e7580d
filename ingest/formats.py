"""The input formats kolmap reads, and how a file's format is recognised.

Formats are tried in order; the first whose sniffer accepts the file reads it. ``--format
NAME`` skips detection. ``kolmap formats`` lists them.

>>> [f.name for f in FORMATS][:1]
['canonical']
"""

from __future__ import annotations

from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.canonical import read_canonical, sniff_canonical
from kolmap.ingest.sources import FormatSpec

__all__ = ["FORMATS", "detect_format", "get_format"]

FORMATS: list[FormatSpec] = [
    FormatSpec(
        "canonical",
        "kolmap's own CSV files: accounts, follows, posts, labels (docs/input-format.md)",
        sniff_canonical,
        read_canonical,
    ),
]
_HEAD_BYTES = 65_536


def get_format(name: str) -> FormatSpec:
    """The format called ``name``; the error lists the known ones."""
    for spec in FORMATS:
        if spec.name == name:
            return spec
    known = ", ".join(f.name for f in FORMATS)
    raise InputError(f"unknown format {name!r}; known formats: {known}")


def detect_format(path: Path) -> FormatSpec | None:
    """The first format that recognises ``path``, or None."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    for spec in FORMATS:
        if spec.sniff(path, head):
            return spec
    return None
