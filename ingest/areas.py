"""Therapeutic-area taxonomy: load it, extend it, and tag texts and hashtags with areas.

The built-in taxonomy (``kolmap/ingest/rules/taxonomy.toml``) maps FR/EN keywords, disease
hashtags, congress hashtags and HCP specialties to area ids. Users extend it with a TOML file
of the same layout (lists are appended; new areas are added).

>>> tax = load_taxonomy()
>>> sorted(tax.tag_text("Nouvelle étude sur le cancer du sein métastatique"))
['oncology']
>>> sorted(tax.tag_hashtags(["ASCO26", "T1D", "random"]))
['diabetes', 'oncology']
>>> tax.specialty_of("Oncologue médical, CHU de Lyon")
('oncology', 'oncologue medical')
>>> tax.specialty_of("GI doc, mom of 3")  # shorthand, shown by the specialty's name
('gastroenterology', 'gastroenterologist')
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kolmap.errors import ConfigError
from kolmap.ingest.congresses import load_registry
from kolmap.ingest.rules.text import CONGRESS_YEAR, disease_hashtag_pattern, optional_ending
from kolmap.ingest.text import fold
from kolmap.settings import IngestSettings, read_toml

__all__ = ["REQUIRED_AREAS", "Area", "Taxonomy", "load_taxonomy", "taxonomy_for"]

REQUIRED_AREAS = (
    "oncology",
    "hematology",
    "diabetes",
    "cardiology",
    "neurology",
    "immunology",
    "respiratory",
    "infectious-disease",
    "mental-health",
    "rare-disease",
    "dermatology",
    "gastroenterology",
)
_LIST_KEYS = ("keywords", "hashtags", "hashtag_heads", "congresses", "specialties")
_SHORTHAND = "specialty_shorthand"
_AREA_ID_RE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


@dataclass
class Area:
    """One therapeutic area and the words that point to it."""

    id: str
    name: str
    name_fr: str = ""
    keywords: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    hashtag_heads: list[str] = field(default_factory=list)
    congresses: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    # Shorthand for a specialty (matched as the specialties are) -> the specialty's name, as
    # the account's specialty is shown and filtered: "gi doc" is a gastroenterologist.
    specialty_shorthand: dict[str, str] = field(default_factory=dict)


class Taxonomy:
    """Compiled matchers for a set of areas."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self.areas: dict[str, Area] = {a.id: a for a in areas}
        self._keyword_areas: dict[str, set[str]] = {}
        self._stem_areas: dict[str, set[str]] = {}
        heads: set[str] = set()
        self._specialties: dict[str, str] = {}
        self._specialty_names: dict[str, str] = {}
        congress_parts: list[tuple[str, str]] = []
        for area in self.areas.values():
            for word in area.keywords:
                self._keyword_areas.setdefault(fold(word).strip(), set()).add(area.id)
            # A disease hashtag names an area by one of its hashtags or keywords as one word.
            for stem in [*area.hashtags, *area.keywords, *area.hashtag_heads]:
                one = one_word(stem)
                if one:
                    self._stem_areas.setdefault(one, set()).add(area.id)
            heads.update(filter(None, map(one_word, area.hashtag_heads)))
            for name in area.congresses:
                congress_parts.append((fold(name).lstrip("#"), area.id))
            for spec in area.specialties:
                self._specialties[fold(spec).strip()] = area.id
            for short, name in area.specialty_shorthand.items():
                self._specialties[fold(short).strip()] = area.id
                self._specialty_names[fold(short).strip()] = fold(name).strip()
        self.hashtag_heads = frozenset(heads)
        pattern = disease_hashtag_pattern(self._stem_areas, heads, re.escape)
        self._hashtag_re = re.compile(pattern) if pattern else None
        self._keyword_re = _word_alternation(self._keyword_areas)
        self._specialty_re = _word_alternation(self._specialties)
        self._congress_areas: dict[str, set[str]] = {}
        for name, area_id in congress_parts:
            self._congress_areas.setdefault(name, set()).add(area_id)
        names = sorted(self._congress_areas, key=len, reverse=True)
        self._congress_re = (
            re.compile("^(" + "|".join(re.escape(n) for n in names) + f")({CONGRESS_YEAR})?$")
            if names
            else None
        )

    @property
    def digest(self) -> str:
        """A short hash of everything the taxonomy matches: text roles read specialties and
        areas from it, so stored ones are recomputed when a user's taxonomy file changes.

        >>> load_taxonomy().digest == load_taxonomy().digest
        True
        """
        parts = sorted(
            (a.id, key, tuple(sorted(getattr(a, key)))) for a in self.areas.values()
            for key in _LIST_KEYS
        )  # fmt: skip
        parts += sorted((a.id, _SHORTHAND, tuple(sorted(a.specialty_shorthand.items())))
                        for a in self.areas.values())  # fmt: skip
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    @property
    def ids(self) -> list[str]:
        return list(self.areas)

    def tag_text(self, text: str) -> dict[str, str]:
        """Areas whose keywords occur in ``text``, each with the first matching word."""
        found: dict[str, str] = {}
        if not text or self._keyword_re is None:
            return found
        for match in self._keyword_re.finditer(fold(text)):
            word = match.group(1)
            for area_id in self._keyword_areas[word]:
                found.setdefault(area_id, word)
        return found

    def tag_hashtags(self, tags: Iterable[str]) -> dict[str, str]:
        """Areas pointed to by disease or congress hashtags, each with the first matching tag.

        >>> sorted(load_taxonomy().tag_hashtags(["PancreaticCancer", "CeliacAwareness"]))
        ['gastroenterology', 'oncology']
        """
        found: dict[str, str] = {}
        for tag in tags:
            key = fold(tag).lstrip("#")
            areas = set(self._stem_areas.get(self.hashtag_stem(key), ()))
            if self._congress_re is not None:
                m = self._congress_re.match(key)
                if m:
                    areas |= self._congress_areas[m.group(1)]
            for area_id in sorted(areas):
                found.setdefault(area_id, "#" + tag)
        return found

    def keyword_areas(self) -> Mapping[str, set[str]]:
        """Folded keyword -> the areas it points to (what :meth:`tag_text` matches)."""
        return self._keyword_areas

    def hashtag_stem(self, folded: str) -> str:
        """The one-word stem a folded hashtag (no ``#``) names, or '' (see
        :func:`~kolmap.ingest.rules.text.disease_hashtag_pattern`).

        >>> load_taxonomy().hashtag_stem("worldcancerday")
        'cancer'
        """
        return _stem(self._hashtag_re, folded) if self._hashtag_re is not None else ""

    def hashtag_stem_areas(self) -> Mapping[str, set[str]]:
        """One-word stem -> its areas (what :meth:`hashtag_stem` finds points to these)."""
        return self._stem_areas

    def congress_areas(self) -> Mapping[str, set[str]]:
        """Folded congress name (no year) -> its areas (used by :meth:`tag_hashtags`)."""
        return self._congress_areas

    def specialty_areas(self) -> Mapping[str, str]:
        """Folded specialty -> its area (what :meth:`specialty_of` matches)."""
        return self._specialties

    def is_congress_hashtag(self, tag: str) -> bool:
        """True when ``tag`` names a known congress (with or without a year)."""
        return bool(self._congress_re and self._congress_re.match(fold(tag).lstrip("#")))

    def specialty_of(self, text: str) -> tuple[str, str] | None:
        """``(area id, specialty)`` for the first HCP specialty named in ``text``: the words
        matched (folded), or the specialty's name for a shorthand."""
        if not text or self._specialty_re is None:
            return None
        match = self._specialty_re.search(fold(text))
        if match is None:
            return None
        word = match.group(1)
        return self._specialties[word], self._specialty_names.get(word, word)


def one_word(phrase: str) -> str:
    """A taxonomy word as a hashtag writes it: folded, without spaces, hyphens, apostrophes
    or ``#`` ('' when something else is left, which no hashtag can hold).

    >>> one_word("Crohn's disease"), one_word("#T1D"), one_word("e. coli")
    ('crohnsdisease', 't1d', '')
    """
    word = re.sub(r"[\s'-]+", "", fold(phrase).lstrip("#"))
    return word if re.fullmatch(r"\w+", word) else ""


@lru_cache(maxsize=1 << 16)
def _stem(pattern: re.Pattern[str], folded: str) -> str:
    match = pattern.match(folded)
    return "".join(filter(None, match.groups())) if match else ""


def _word_alternation(words: Mapping[str, Any]) -> re.Pattern[str] | None:
    """One regex matching any of ``words`` as whole words, longest first, plural tolerant."""
    if not words:
        return None
    parts = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in parts)
    return re.compile(r"(?<![\w])(" + body + ")" + optional_ending() + r"(?![\w])")


def load_taxonomy(
    extra: str | Path | None = None, congresses: str | Path | None = None
) -> Taxonomy:
    """The built-in taxonomy, merged with the TOML file ``extra`` when given; each area's
    congresses come from the congress registry (completed by the file ``congresses``)."""
    builtin = resources.files("kolmap.ingest.rules").joinpath("taxonomy.toml").read_text("utf-8")
    areas = _parse(tomllib.loads(builtin), "built-in taxonomy")
    for area_id, names in load_registry(congresses).names_by_area().items():
        if area_id in areas:
            areas[area_id].congresses.extend(names)
    if extra:
        for area in _parse(read_toml(extra, "taxonomy"), str(extra)).values():
            if area.id in areas:
                base = areas[area.id]
                for key in _LIST_KEYS:
                    getattr(base, key).extend(getattr(area, key))
                base.specialty_shorthand.update(area.specialty_shorthand)
            else:
                areas[area.id] = area
    return Taxonomy(areas.values())


def taxonomy_for(settings: IngestSettings) -> Taxonomy:
    """The taxonomy a project's settings name (``ingest.taxonomy``, ``ingest.congresses``)."""
    return load_taxonomy(settings.taxonomy or None, settings.congresses or None)


def _parse(data: Mapping[str, Any], source: str) -> dict[str, Area]:
    table = data.get("areas")
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: expected an [areas.<id>] table for each area")
    areas: dict[str, Area] = {}
    for area_id, spec in table.items():
        if not _AREA_ID_RE.match(area_id):
            raise ConfigError(f"{source}: area id {area_id!r} must be lower-case words and dashes")
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{source}: [areas.{area_id}] must be a table")
        unknown = set(spec) - {"name", "name_fr", _SHORTHAND, *_LIST_KEYS}
        if unknown:
            raise ConfigError(f"{source}: [areas.{area_id}] has unknown keys {sorted(unknown)}")
        lists: dict[str, list[str]] = {}
        for key in _LIST_KEYS:
            value = spec.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: [areas.{area_id}] {key} must be a list of strings")
            blank = [i for i, v in enumerate(value, start=1) if not v.strip(" #@")]
            if blank:
                # An empty keyword matched every post (row reader) or crashed the bulk reader.
                raise ConfigError(
                    f"{source}: [areas.{area_id}] {key}: entry {blank[0]} is empty; "
                    "every word must have at least one letter or digit"
                )
            lists[key] = list(value)
        shorthand = spec.get(_SHORTHAND, {})
        if not isinstance(shorthand, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
            for k, v in shorthand.items()
        ):
            raise ConfigError(
                f"{source}: [areas.{area_id}] {_SHORTHAND} must map shorthand to a specialty's "
                'name, both words ({ "gi doc" = "gastroenterologist" })'
            )
        areas[area_id] = Area(
            id=area_id,
            name=str(spec.get("name", area_id)),
            name_fr=str(spec.get("name_fr", "")),
            specialty_shorthand=dict(shorthand),
            **lists,
        )
    return areas
