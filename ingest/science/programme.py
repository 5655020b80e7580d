"""Congress programme CSV: who chairs, speaks, teaches or shows a poster at which session.

Columns (header names are case-insensitive): ``congress``, ``session``, ``role`` (``chair``,
``speaker``, ``faculty``, ``poster``; French ``modérateur``, ``orateur``, ``président`` are
read too), ``person`` (a full name, or ``family_name`` and ``given_name``), ``affiliation``,
``date`` (``YYYY-MM-DD`` or ``DD/MM/YYYY``); optional ``orcid``. Comma- or
semicolon-separated. A row without a congress, a
person's name or a known role is rejected with its line and reason.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "programme.csv"
>>> _ = p.write_text("congress,session,role,person,affiliation,date\\n"
...     "EULAR 2026,Lupus,chair,Pr Claire Dubois,\\"CHU, Bordeaux\\",2026-06-11\\n")
>>> [r["speaker_key"] for item in read_programme(p) for _, r in item.records]
['name:dubois|c|bordeaux']
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.rows import Header, Rejected, Row, open_lines, parse_rows
from kolmap.ingest.science.names import normalise_orcid, person_name
from kolmap.ingest.science.records import congress_role
from kolmap.ingest.text import fold

__all__ = ["ROLES", "read_programme", "sniff_programme"]

# Each congress role and the words a programme writes it with.
ROLES: dict[str, tuple[str, ...]] = {
    "chair": (
        "chair",
        "co-chair",
        "chairperson",
        "moderator",
        "moderateur",
        "president",
        "presidente",
        "session chair",
        "co-moderateur",
    ),
    "speaker": (
        "speaker",
        "orateur",
        "oratrice",
        "presenter",
        "keynote",
        "invited speaker",
        "lecturer",
        "panelist",
        "panelliste",
        "intervenant",
        "intervenante",
    ),
    "faculty": ("faculty", "teacher", "enseignant", "discussant", "expert", "tutor"),
    "poster": ("poster", "abstract", "e-poster", "presenting author", "communication affichee"),
}
_ROLE_OF = {fold(word): role for role, words in ROLES.items() for word in words}
_REQUIRED = ("congress", "role")


def sniff_programme(head: bytes) -> bool:
    first = fold(head.split(b"\n", 1)[0].decode("utf-8", "ignore"))
    names = {c.strip().strip('"') for c in first.replace(";", ",").split(",")}
    return {"congress", "role"} <= names and ("person" in names or "family_name" in names)


def _date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(f"date {text!r} is neither YYYY-MM-DD nor DD/MM/YYYY")


def _row(values: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    congress = values.get("congress", "").strip()
    if not congress:
        raise ValueError("no congress")
    role_text = fold(values.get("role", "")).strip()
    role = _ROLE_OF.get(role_text)
    if role is None:
        raise ValueError(f"role {values.get('role')!r} is not one of {', '.join(ROLES)}")
    if values.get("family_name", "").strip():
        family = values["family_name"].strip()
        given = values.get("given_name", "").strip()
    else:
        name = person_name(values.get("person"))
        if name is None:
            raise ValueError(f"person {values.get('person', '')!r} is not a full name")
        given, family = name[0].title(), name[1].title()
    record = congress_role(
        congress=congress,
        session=values.get("session", "").strip(),
        role=role,
        family=family,
        given=given,
        affiliation=values.get("affiliation", "").strip() or None,
        orcid=normalise_orcid(values.get("orcid")),
        held_on=_date(values.get("date", "")),
    )
    return [("congress_roles", record)]


def read_programme(path: Path) -> Iterator[Item]:
    """Each row of a congress programme as a congress role, or a rejection naming its line."""
    name = str(path)
    header: list[str] = []
    with path.open("rb") as fh:
        first = fh.readline()
    delimiter = ";" if first.count(b";") > first.count(b",") else ","
    for item in parse_rows(open_lines(path, "auto"), name, delimiter=delimiter):
        if isinstance(item, Header):
            header = item.header
            missing = [c for c in _REQUIRED if c not in header]
            if missing or not ({"person", "family_name"} & set(header)):
                raise InputError(
                    f"{name} line {item.line}: a congress programme needs the columns "
                    "congress, session, role, person (or family_name, given_name), "
                    f"affiliation, date; missing: {', '.join(missing) or 'person'}"
                )
        elif isinstance(item, Row):
            try:
                yield Parsed(item.line, _row(item.values))
            except ValueError as err:
                raw = ",".join(item.values.get(c, "") for c in header)
                yield Rejected(name, item.line, str(err), raw)
        else:
            yield item
