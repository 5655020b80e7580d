"""The scientific side of a person: publications, trials and congress roles, read from files
the user downloads (kolmap never fetches them at test time; ``kolmap fetch-pubmed`` is the
one explicit network command).

:data:`SCIENCE_FORMATS` lists the readers in detection order; :func:`read_science` reads a
file with the first that recognises it. docs/science.md describes each format.

>>> [name for name, _sniff, _read in SCIENCE_FORMATS]
['pubmed-xml', 'medline-nbib', 'clinicaltrials-v2', 'openalex', 'congress-programme']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import Item
from kolmap.ingest.science.openalex import read_openalex, sniff_openalex
from kolmap.ingest.science.programme import read_programme, sniff_programme
from kolmap.ingest.science.pubmed import (
    read_nbib,
    read_pubmed_xml,
    sniff_nbib,
    sniff_pubmed_xml,
)
from kolmap.ingest.science.trials import read_trials, sniff_trials

__all__ = ["SCIENCE_FORMATS", "detect_science_format", "read_science"]

_HEAD = 65_536
SCIENCE_FORMATS: tuple[
    tuple[str, Callable[[Path, bytes], bool], Callable[[Path], Iterator[Item]]], ...
] = (
    ("pubmed-xml", lambda _p, head: sniff_pubmed_xml(head), read_pubmed_xml),
    ("medline-nbib", lambda _p, head: sniff_nbib(head), read_nbib),
    ("clinicaltrials-v2", lambda _p, head: sniff_trials(head), read_trials),
    ("openalex", sniff_openalex, read_openalex),
    ("congress-programme", lambda _p, head: sniff_programme(head), read_programme),
)


def detect_science_format(path: Path, name: str | None = None) -> str:
    """The name of the format of ``path`` (``name`` forces one); an :class:`InputError`
    naming the file and the known formats when none recognises it."""
    known = [n for n, _s, _r in SCIENCE_FORMATS]
    if name is not None:
        if name not in known:
            raise InputError(f"unknown scientific format {name!r}; known: {', '.join(known)}")
        return name
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    for fmt, sniff, _read in SCIENCE_FORMATS:
        if sniff(path, head):
            return fmt
    raise InputError(
        f"{path}: not a scientific file kolmap reads (expected one of {', '.join(known)}; "
        "see docs/science.md)"
    )


def read_science(path: Path, fmt: str | None = None) -> Iterator[Item]:
    """The parsed rows and rejections of one scientific file."""
    name = detect_science_format(path, fmt)
    reader = next(read for n, _s, read in SCIENCE_FORMATS if n == name)
    return reader(path)
