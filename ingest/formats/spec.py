"""What every input format produces: parsed rows holding records of any kind, or rejections.

A format module turns one file into a stream of :class:`Parsed` rows (each with the records
it yields: an account, a post, a follow, a label, in the canonical shape) and
:class:`~kolmap.ingest.io.rows.Rejected` rows. The pipeline counts rows, quarantines rejections,
enriches accounts and posts the same way whatever the source, and batches records by kind.
Each format module declares its :class:`FormatSpec` (how to recognise a file, how to read it),
and :mod:`kolmap.ingest.formats` lists them in detection order.

>>> item = Parsed(3, [("accounts", {"platform": "x", "account_id": "1"})])
>>> item.line, item.repairs
(3, [])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kolmap.ingest.io.rows import Rejected

__all__ = ["FormatSpec", "Item", "Parsed", "ReadOptions"]


@dataclass
class Parsed:
    """One source row (or JSON object) and the records it gives; ``repairs`` names fixes made
    on the way (for example ``"mojibake"`` or ``"retweet-from-text"``), counted in the summary."""

    line: int
    records: list[tuple[str, dict[str, Any]]]
    repairs: list[str] = field(default_factory=list)


Item = Parsed | Rejected


@dataclass(frozen=True)
class ReadOptions:
    """How to read: encoding, cell size limit, and the platform and owner for exports that do
    not say them."""

    encoding: str = "auto"
    max_field_chars: int = 1_000_000
    platform: str | None = None
    owner: str | None = None  # the exporting account, for exports that do not name it


@dataclass(frozen=True)
class FormatSpec:
    """A named input format: how to recognise a file and how to read it."""

    name: str
    description: str
    sniff: Callable[[Path, bytes], bool]
    read: Callable[[Path, ReadOptions], Iterator[Item]]
    # The columns of a file that the format does not read (reported in the run summary).
    unused: Callable[[Path, ReadOptions], list[str]] | None = None
