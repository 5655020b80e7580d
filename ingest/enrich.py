"""Derive what a record does not carry: the areas of an account's bio, a post's mentions,
hashtags and areas. Applied to every record whatever its source format, so all sources are
treated alike.

>>> from kolmap.ingest.areas import load_taxonomy
>>> post = enrich("posts", {"text": "Merci @DrX #ASCO26", "repost_of_post_id": None},
...               load_taxonomy())
>>> post["mentions"], post["hashtags"], post["areas"]
(['DrX'], ['asco26'], ['oncology'])
"""

from __future__ import annotations

from typing import Any

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.text import extract_hashtags, extract_mentions, fold

__all__ = ["enrich"]


def enrich(kind: str, record: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """Fill the derived fields of one record in place and return it."""
    if kind == "accounts":
        _account(record, taxonomy)
    elif kind == "posts":
        _post(record, taxonomy)
    return record


def _account(record: dict[str, Any], taxonomy: Taxonomy) -> None:
    """The areas a bio names: keywords, disease and congress hashtags, a specialty's area.
    Roles are inferred after the merge, from whole profiles (:mod:`kolmap.ingest.roles`)."""
    if "bio_areas" in record:
        return
    bio = record.get("bio")
    if bio is None and record.get("display_name") is None:
        record["bio_areas"] = None
        return
    areas = set(taxonomy.tag_text(bio or ""))
    areas |= set(taxonomy.tag_hashtags(extract_hashtags(bio or "")))
    specialty = taxonomy.specialty_of(bio or "")
    if specialty is not None:
        areas.add(specialty[0])
    record["bio_areas"] = sorted(areas)


def _post(record: dict[str, Any], taxonomy: Taxonomy) -> None:
    text = record.get("text") or ""
    tags = extract_hashtags(text)
    given_tags = record.get("hashtags") or []
    is_repost = record.get("repost_of_post_id") is not None
    # A repost's text repeats the original's; its mentions are the original author's.
    mentions = [] if is_repost else extract_mentions(text)
    given = [] if is_repost else list(record.get("mentions") or [])
    seen = {m.lower() for m in given}
    record["mentions"] = given + [m for m in mentions if m.lower() not in seen]
    folded = list(dict.fromkeys([fold(t.lstrip("#")) for t in [*given_tags, *tags] if t]))
    record["hashtags"] = folded
    areas = set(taxonomy.tag_text(text)) | set(taxonomy.tag_hashtags(folded))
    record["areas"] = sorted(areas)
