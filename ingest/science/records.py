"""The scientific records every reader produces, built in one place so that each source keys
them alike.

- ``works``: one article or preprint, keyed ``pmid:…`` when it has a PMID, else ``doi:…``,
  else the source's id, so that the same article read from PubMed and from OpenAlex is one
  work;
- ``authorships``: an author at a position of a work (first, middle, last), with the author's
  key (:func:`~kolmap.ingest.science.names.author_key`), name, ORCID and affiliation;
- ``trials`` and ``trial_officials``: a registered trial and its overall officials;
- ``congress_roles``: a person's role in a congress session (chair, speaker, faculty,
  poster).

Each record carries ``area_text`` (the words its therapeutic areas are read from); the
importer replaces it with ``areas``.

>>> w = work(source="pubmed", pmid="101", doi="10.1/X", title="T", journal="J",
...          published_on=None, pub_types=[], mesh=["Lupus Nephritis"], keywords=[])
>>> w["work_key"], w["area_text"]
('pmid:101', 'T | Lupus Nephritis')
>>> [r["position"] for _, r in authorship("pmid:101", [
...     {"family_name": "Roy", "given_name": "Ana", "orcid": None, "affiliation": None},
...     {"family_name": "Li", "given_name": "Wei", "orcid": None, "affiliation": None}])]
['first', 'last']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kolmap.ingest.science.names import author_key

__all__ = ["authorship", "congress_role", "position_of", "trial", "trial_official", "work"]


def _clean(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def work(
    *,
    source: str,
    pmid: str | None,
    doi: str | None,
    title: str,
    journal: str,
    published_on: datetime | None,
    pub_types: Sequence[str],
    mesh: Sequence[str],
    keywords: Sequence[str],
    openalex_id: str | None = None,
) -> dict[str, Any]:
    doi = doi.strip().lower().removeprefix("https://doi.org/") if doi else None
    if pmid:
        key = f"pmid:{pmid}"
    elif doi:
        key = f"doi:{doi}"
    elif openalex_id:
        key = f"openalex:{openalex_id}"
    else:
        raise ValueError("no PMID, DOI or source id")
    mesh = _clean(mesh)
    return {
        "work_key": key,
        "source": source,
        "pmid": pmid or None,
        "doi": doi or None,
        "openalex_id": openalex_id,
        "title": title.strip() or None,
        "journal": journal.strip() or None,
        "published_on": published_on,
        "pub_types": _clean(pub_types),
        "mesh": mesh,
        "area_text": " | ".join(_clean([title, *mesh, *keywords])),
    }


def position_of(index: int, count: int) -> str:
    """``first``, ``last`` or ``middle`` (a sole author is ``first``)."""
    if index == 0:
        return "first"
    return "last" if index == count - 1 else "middle"


def authorship(
    work_key: str, authors: Sequence[dict[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """The authorship records of a work from its authors in order (``family_name``,
    ``given_name``, ``orcid``, ``affiliation``, optionally ``source_id``)."""
    if not authors:
        raise ValueError("no named author")
    out = []
    for i, a in enumerate(authors):
        key = author_key(
            a["family_name"],
            a["given_name"] or "",
            orcid=a.get("orcid"),
            affiliation=a.get("affiliation"),
            source_id=a.get("source_id"),
        )
        out.append(
            (
                "authorships",
                {
                    "work_key": work_key,
                    "position": position_of(i, len(authors)),
                    "author_rank": i + 1,
                    "author_count": len(authors),
                    "author_key": key,
                    "family_name": a["family_name"].strip(),
                    "given_name": (a["given_name"] or "").strip() or None,
                    "orcid": a.get("orcid"),
                    "affiliation": a.get("affiliation"),
                },
            )
        )
    return out


def trial(
    *,
    trial_id: str,
    title: str,
    phase: str | None,
    status: str | None,
    sponsor: str | None,
    sponsor_class: str | None,
    conditions: Sequence[str],
    started_on: datetime | None,
    mesh: Sequence[str] = (),
) -> dict[str, Any]:
    conditions = _clean(conditions)
    return {
        "trial_id": trial_id,
        "title": title.strip() or None,
        "phase": phase,
        "status": status,
        "sponsor": sponsor,
        "sponsor_class": sponsor_class,
        "conditions": conditions,
        "started_on": started_on,
        "area_text": " | ".join(_clean([title, *conditions, *mesh])),
    }


def trial_official(
    trial_id: str, index: int, family: str, given: str, role: str | None, affiliation: str | None
) -> dict[str, Any]:
    return {
        "trial_id": trial_id,
        "author_rank": index + 1,
        "official_key": author_key(family, given, orcid=None, affiliation=affiliation),
        "family_name": family,
        "given_name": given or None,
        "official_role": role,
        "affiliation": affiliation,
    }


def congress_role(
    *,
    congress: str,
    session: str,
    role: str,
    family: str,
    given: str,
    affiliation: str | None,
    orcid: str | None,
    held_on: datetime | None,
) -> dict[str, Any]:
    facts = "|".join([congress, session, role, family, given, str(held_on or "")]).lower()
    return {
        "entry_key": hashlib.sha256(facts.encode("utf-8")).hexdigest()[:20],
        "congress": congress,
        "session": session or None,
        "congress_role": role,
        "speaker_key": author_key(family, given, orcid=orcid, affiliation=affiliation),
        "family_name": family,
        "given_name": given or None,
        "affiliation": affiliation,
        "orcid": orcid,
        "held_on": held_on,
        "area_text": " | ".join(_clean([congress, session])),
    }
