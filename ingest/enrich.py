"""Derive what a record does not carry: account roles and areas, post mentions, hashtags and
areas. Applied to every record whatever its source format, so all sources are treated alike.

>>> from kolmap.ingest.areas import load_taxonomy
>>> post = enrich("posts", {"text": "Merci @DrX #ASCO26", "repost_of_post_id": None},
...               load_taxonomy())
>>> post["mentions"], post["hashtags"], post["areas"]
(['DrX'], ['asco26'], ['oncology'])
"""

from __future__ import annotations

from typing import Any

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.classify import classify
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
    if "inferred_role" in record:
        return
    bio, name = record.get("bio"), record.get("display_name")
    if bio is None and name is None:
        record.update(
            inferred_role=None,
            role_evidence=None,
            role_confidence=None,
            inferred_specialty=None,
            bio_areas=None,
        )
        return
    found = classify(
        bio,
        name,
        handle=record.get("handle"),
        followers=record.get("followers"),
        following=record.get("following"),
        taxonomy=taxonomy,
    )
    areas = set(taxonomy.tag_text(bio or ""))
    areas |= set(taxonomy.tag_hashtags(extract_hashtags(bio or "")))
    if found.specialty_area:
        areas.add(found.specialty_area)
    record.update(
        inferred_role=found.role.value,
        role_evidence=found.evidence or None,
        role_confidence=found.confidence,
        inferred_specialty=found.specialty,
        bio_areas=sorted(areas),
    )


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
