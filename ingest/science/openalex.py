"""OpenAlex works and authors: saved API responses (``{"meta": …, "results": [...]}``), a JSON
array or one object, or a snapshot slice (JSON Lines, one entity per line, optionally
gzip-compressed).

A **work** gives a work record (keyed by its PMID or DOI when it has one, so that it meets
the same article read from PubMed) and its authorships (the author's ORCID, else the
OpenAlex author id, names its key); MeSH descriptors, keywords and topics feed its areas.
An **author** gives an author profile: name, ORCID, last known institution, counts of works
and citations, h-index. Anything else is rejected with its line or index.

>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "works.json"
>>> _ = p.write_text(json.dumps({"results": [{"id": "https://openalex.org/W1",
...     "title": "Asthma", "publication_date": "2024-01-02",
...     "authorships": [{"author_position": "first", "author": {
...         "id": "https://openalex.org/A9", "display_name": "Ana Roy", "orcid": None},
...         "raw_affiliation_strings": ["Univ Lyon, Lyon, France"]}]}]}))
>>> [r["author_key"] for item in read_openalex(p) for k, r in item.records if k == "authorships"]
['openalex:A9']
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.rows import Rejected
from kolmap.ingest.science.names import normalise_orcid, person_name
from kolmap.ingest.science.records import authorship, work

__all__ = ["read_openalex", "sniff_openalex"]


def sniff_openalex(path: Path, head: bytes) -> bool:
    if path.suffix == ".gz":
        try:
            with gzip.open(path, "rb") as fh:
                head = fh.read(65_536)
        except OSError:
            return False
    return b"openalex.org/W" in head or b"openalex.org/A" in head


def _short(url: str | None) -> str | None:
    return url.rstrip("/").rsplit("/", 1)[-1] if url else None


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _work(entity: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    ids = entity.get("ids") or {}
    pmid = _short(ids.get("pmid"))
    authors = []
    for a in entity.get("authorships") or []:
        person = a.get("author") or {}
        name = person_name(person.get("display_name") or a.get("raw_author_name"))
        if name is None:
            continue
        affiliation = next(iter(a.get("raw_affiliation_strings") or []), None) or next(
            (i.get("display_name") for i in a.get("institutions") or [] if i.get("display_name")),
            None,
        )
        author_id = _short(person.get("id"))
        authors.append(
            {
                "family_name": name[1].title(),
                "given_name": name[0].title(),
                "orcid": normalise_orcid(person.get("orcid")),
                "affiliation": affiliation,
                "source_id": f"openalex:{author_id}" if author_id else None,
            }
        )
    topics = [t.get("display_name", "") for t in entity.get("topics") or []]
    keywords = [k.get("display_name", "") for k in entity.get("keywords") or []]
    record = work(
        source="openalex",
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=entity.get("doi"),
        title=entity.get("title") or entity.get("display_name") or "",
        journal=((entity.get("primary_location") or {}).get("source") or {}).get("display_name")
        or "",
        published_on=_date(entity.get("publication_date")),
        pub_types=[entity["type"]] if entity.get("type") else [],
        mesh=[m.get("descriptor_name", "") for m in entity.get("mesh") or []],
        keywords=[*keywords, *topics],
        openalex_id=_short(entity.get("id")),
    )
    return [("works", record), *authorship(record["work_key"], authors)]


def _author(entity: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    name = person_name(entity.get("display_name"))
    if name is None:
        raise ValueError(f"author name {entity.get('display_name')!r} is not a person's name")
    orcid = normalise_orcid(entity.get("orcid"))
    author_id = _short(entity.get("id"))
    institution = next(
        (i.get("display_name") for i in entity.get("last_known_institutions") or []), None
    )
    stats = entity.get("summary_stats") or {}
    return [
        (
            "author_profiles",
            {
                "author_key": f"orcid:{orcid}" if orcid else f"openalex:{author_id}",
                "family_name": name[1].title(),
                "given_name": name[0].title(),
                "orcid": orcid,
                "affiliation": institution,
                "works_count": entity.get("works_count"),
                "cited_by_count": entity.get("cited_by_count"),
                "h_index": stats.get("h_index"),
            },
        )
    ]


def _entity(entity: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(entity, dict):
        raise ValueError("not an OpenAlex object")
    ident = str(entity.get("id") or "")
    if "openalex.org/W" in ident:
        return _work(entity)
    if "openalex.org/A" in ident:
        return _author(entity)
    raise ValueError(f"id {ident[:60]!r} is neither a work (W…) nor an author (A…)")


def read_openalex(path: Path) -> Iterator[Item]:
    """Each work or author of an OpenAlex file, or a rejection naming its line (JSON Lines)
    or index (``results[i]``)."""
    name = str(path)
    opener: Any = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as fh:
            first = fh.read(1)
            while first.isspace():
                first = fh.read(1)
            fh.seek(0)
            text_lines = path.suffix in (".jsonl", ".gz") or (
                first == "{" and _looks_like_lines(path, opener)
            )
            if text_lines:
                for line, raw in enumerate(fh, start=1):
                    if not raw.strip():
                        continue
                    try:
                        obj = json.loads(raw)
                    except ValueError as err:
                        yield Rejected(name, line, f"line {line}: not JSON ({err})", raw[:10_000])
                        continue
                    yield from _items(name, line, obj)
                return
            data = json.load(fh)
    except json.JSONDecodeError as err:
        raise InputError(f"{name} line {err.lineno}: not valid JSON ({err.msg})") from None
    except (UnicodeDecodeError, OSError) as err:
        raise InputError(f"{name}: cannot read it as UTF-8 JSON ({err})") from None
    yield from _items(name, None, data)


def _items(name: str, line: int | None, data: Any) -> Iterator[Item]:
    """The entities of one parsed JSON value (a results page, a list or one entity); each
    bad one is rejected alone, named by its line and index."""
    entities = data.get("results") if isinstance(data, dict) and "results" in data else data
    if isinstance(entities, dict):
        entities = [entities]
    if not isinstance(entities, list):
        raise InputError(f"{name}: expected OpenAlex results, a list or one object")
    for index, entity in enumerate(entities):
        where = line if line is not None else index + 1
        place = (
            f"line {line}"
            if line is not None and len(entities) == 1
            else (f"line {line} results[{index}]" if line is not None else f"results[{index}]")
        )
        try:
            yield Parsed(where, _entity(entity))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            yield Rejected(name, where, f"{place}: {err}", json.dumps(entity)[:10_000])


def _looks_like_lines(path: Path, opener: Any) -> bool:
    """A file whose first line is a whole JSON object is JSON Lines."""
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        first = fh.readline()
    try:
        json.loads(first)
    except ValueError:
        return False
    return True
