"""The input formats kolmap reads, and how a file's format is recognised.

One module per source format, each declaring its :class:`~kolmap.ingest.formats.spec.
FormatSpec` (``FORMAT``; :mod:`.networks` declares three). :data:`BUILTIN` is the registry:
the built-in formats in detection order, tried in turn; the first whose sniffer accepts a
file reads it, so a stricter format must come before a looser one that would also accept
its files. Flat exports follow, one format per column map (:func:`.flat.profile_formats`:
``column_maps.toml`` plus the user's file named by the ``ingest.column_maps`` setting).
``--format NAME`` skips detection; ``kolmap formats`` lists them all.

>>> [f.name for f in all_formats()][:4]
['canonical', 'x-archive', 'x-api', 'jetstream']
"""

from __future__ import annotations

from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.formats import (
    bluesky,
    canonical,
    flat,
    jetstream,
    labelled_bios,
    linkedin,
    meta,
    networks,
    reddit,
    x_api,
    x_archive,
    youtube,
    zeeschuimer,
)
from kolmap.ingest.formats.spec import FormatSpec

__all__ = ["BUILTIN", "all_formats", "detect_format", "get_format"]

_HEAD_BYTES = 65_536

BUILTIN: tuple[FormatSpec, ...] = (
    canonical.FORMAT,
    x_archive.FORMAT,
    x_api.FORMAT,
    jetstream.FORMAT,  # before bluesky: each event names a DID, as a profile does
    bluesky.FORMAT,
    meta.FORMAT,
    linkedin.FORMAT,
    youtube.FORMAT,
    reddit.FORMAT,
    zeeschuimer.FORMAT,
    networks.GRAPHML,
    networks.GML,
    labelled_bios.FORMAT,
    networks.EDGE_LIST,  # any file whose lines are two or three numbers
)


def all_formats(column_maps: str | Path | None = None) -> list[FormatSpec]:
    """Every format, in detection order."""
    return [*BUILTIN, *flat.profile_formats(column_maps)]


def get_format(name: str, formats: list[FormatSpec] | None = None) -> FormatSpec:
    """The format called ``name``; the error lists the known ones."""
    formats = formats or all_formats()
    for spec in formats:
        if spec.name == name:
            return spec
    known = ", ".join(f.name for f in formats)
    raise InputError(f"unknown format {name!r}; known formats: {known}")


def detect_format(path: Path, formats: list[FormatSpec] | None = None) -> FormatSpec | None:
    """The first format that recognises ``path``, or None."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    for spec in formats or all_formats():
        if spec.sniff(path, head):
            return spec
    return None
