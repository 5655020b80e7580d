"""Hand-checked classifier sheets: headerless TSV rows ``verdict, tag, handle, bio``.

This is the layout of the evaluation sheet of JuanFF's healthcare Twitter user classifier
(``Pass``/``Fail``, the classifier's tag, the X handle, the profile description), and of any
sheet where a person checked an automatic tag. Each row becomes an X account keyed by its
handle, with its bio (kolmap infers its role as usual). When the person confirmed the tag
(``Pass``) and the tag names one of kolmap's roles (:data:`TAG_ROLES`), it is also kept as a
user-verified label, which outranks inference; ``Fail`` rows and tags with no role equivalent
(``Generic``, ``Academia``, ``Interested in healthcare``, ``Medical business``) give no label.

>>> TAG_ROLES["Doctor"], TAG_ROLES["News source"]
('hcp', 'media')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from kolmap.ingest.formats.canonical import RowError
from kolmap.ingest.formats.records import account
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.rows import Rejected, open_lines

__all__ = ["FORMAT", "TAG_ROLES", "read_labelled_bios", "sniff_labelled_bios"]

TAG_ROLES = {
    "Doctor": "hcp",
    "Professional": "hcp",
    "Institution": "organisation",
    "Association": "organisation",
    "Healthcare initiative": "organisation",
    "News source": "media",
    "Publishing source": "media",
}
_VERDICTS = ("Pass", "Fail")
_HANDLE = re.compile(r"^@?[A-Za-z0-9_]{1,50}$")
_FIELDS = 4


def sniff_labelled_bios(path: Path, head: bytes) -> bool:
    """A ``.tsv``/``.txt`` file whose lines start ``Pass<TAB>`` or ``Fail<TAB>`` and have four
    tab-separated fields."""
    if path.suffix.lower() not in (".tsv", ".txt"):
        return False
    lines = [line for line in head.decode("utf-8-sig", "replace").splitlines()[:20] if line]
    if len(lines) > 1:
        lines = lines[:-1]  # the head may cut the last line short
    return bool(lines) and all(
        line.split("\t", 1)[0] in _VERDICTS and line.count("\t") == _FIELDS - 1 for line in lines
    )


def read_labelled_bios(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Yield one account (and, for confirmed tags, one label) per row; a row that is not
    ``verdict, tag, handle, bio`` is rejected with the reason."""
    name = str(path)
    platform = options.platform or "x"
    rows = csv.reader(open_lines(path, options.encoding), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, fields in enumerate(rows, start=1):
        raw = "\t".join(fields)
        if not fields or not raw.strip():
            continue
        if len(fields) != _FIELDS:
            reason = (
                f"expected 4 tab-separated fields (verdict, tag, handle, bio), not {len(fields)}"
            )
            yield Rejected(name, number, reason, raw)
            continue
        verdict, tag, handle, bio = (f.strip() for f in fields)
        if verdict not in _VERDICTS:
            yield Rejected(name, number, f"verdict must be Pass or Fail, got {verdict!r}", raw)
            continue
        if not _HANDLE.match(handle):
            yield Rejected(name, number, f"not an X handle: {handle!r}", raw)
            continue
        handle = handle.lstrip("@")
        account_id = "@" + handle.lower()
        try:
            records = [("accounts", account(platform, account_id, handle, bio=bio or None))]
        except RowError as err:
            yield Rejected(name, number, str(err), raw)
            continue
        role = TAG_ROLES.get(tag)
        if verdict == "Pass" and role is not None:
            records.append(
                (
                    "labels",
                    {
                        "platform": platform,
                        "account_id": account_id,
                        "role": role,
                        "specialty": None,
                        "person_id": None,
                    },
                )
            )
        yield Parsed(number, records)


FORMAT = FormatSpec(
    "labelled-bios",
    "Hand-checked classifier sheet: headerless TSV 'Pass/Fail, tag, handle, bio' "
    "(confirmed tags become labels)",
    sniff_labelled_bios,
    read_labelled_bios,
)
