"""LinkedIn ``Connections.csv`` ("Get a copy of your data"): a "Notes:" preamble of varying
length, then ``First Name, Last Name, URL, Email Address, Company, Position, Connected On``.

Each connection becomes an account keyed by its public profile id (from the URL), named, with
"Position, Company" as its bio so its role can be inferred. E-mail addresses are never read
into kolmap. Connections are mutual: with ``--owner`` (the exporting member's profile id) each
one becomes a follow in both directions; without it only the accounts are kept.

>>> profile_id("https://www.linkedin.com/in/jane-doe-12ab/"), profile_id("")
('jane-doe-12ab', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError, parse_follow, raw_row
from kolmap.ingest.formats.records import account
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.rows import Header, Rejected, Row, open_lines, parse_rows

__all__ = ["FORMAT", "profile_id", "read_linkedin", "sniff_linkedin"]

_HEADER = re.compile(r"^\ufeff?\s*first name\s*,\s*last name\s*,\s*url", re.IGNORECASE)
_PROFILE = re.compile(r"linkedin\.com/in/([^/?#]+)", re.IGNORECASE)


def profile_id(url: str) -> str:
    """The public profile id in a LinkedIn profile URL ('' when there is none)."""
    found = _PROFILE.search(url or "")
    return found.group(1).lower() if found else ""


def sniff_linkedin(path: Path, head: bytes) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    text = head.decode("utf-8-sig", "replace")
    return any(_HEADER.match(line) for line in text.splitlines()[:20])


def read_linkedin(path: Path, options: ReadOptions) -> Iterator[Item]:
    name = str(path)
    lines = open_lines(path, options.encoding)
    skipped = 0
    for line in lines:
        if _HEADER.match(line):
            break
        skipped += 1
    else:
        raise InputError(f"{name}: no 'First Name,Last Name,URL,...' header found")
    body = [line]
    owner = options.owner
    for item in parse_rows(chain(body, lines), name):
        if isinstance(item, Header):
            continue
        if isinstance(item, Rejected):
            yield Rejected(name, item.line + skipped, item.reason, item.raw)
            continue
        assert isinstance(item, Row)
        line_number = item.line + skipped
        values = {k: v for k, v in item.values.items() if k != "email address"}
        try:
            pid = profile_id(values.get("url", ""))
            if not pid:
                raise RowError("no profile URL (the member hides it); nothing to key on")
            bio = ", ".join(
                v
                for v in (values.get("position", "").strip(), values.get("company", "").strip())
                if v
            )
            display = " ".join(
                v
                for v in (values.get("first name", "").strip(), values.get("last name", "").strip())
                if v
            )
            records = [
                (
                    "accounts",
                    account(
                        "linkedin", pid, pid, display_name=display, bio=bio, url=values.get("url")
                    ),
                )
            ]
            if owner:
                me = owner.lower()
                records.append(("accounts", account("linkedin", me, me, reference=True)))
                for a, b in ((me, pid), (pid, me)):
                    records.append(
                        (
                            "follows",
                            parse_follow(
                                {"platform": "linkedin", "follower_id": a, "followed_id": b}
                            ),
                        )
                    )
            yield Parsed(line_number, records)
        except RowError as err:
            yield Rejected(name, line_number, str(err), raw_row(values))


FORMAT = FormatSpec(
    "linkedin",
    "LinkedIn Connections.csv (Notes preamble; e-mails never read)",
    sniff_linkedin,
    read_linkedin,
)
