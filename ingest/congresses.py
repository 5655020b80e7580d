"""The congress registry: each congress once, with its hashtag bases (and FR/EN forms), the
therapeutic areas it belongs to, and the editions whose dates and city are known.

The built-in registry is ``ingest/rules/congresses.toml``; a user's file of the same layout
(setting ``ingest.congresses``) completes a congress of the same id (more hashtags, forms,
editions) or adds new ones. The taxonomy takes its congress names from here, so a congress
hashtag tags its posts with the congress's areas.

A hashtag is a congress's when it is one of its bases or forms, alone or followed by a year
(``ASCO``, ``ASCO26``, ``ASCO2026``, ``ASCO_2026``), compared case- and accent-insensitively.

>>> registry = load_registry()
>>> registry.find("asco").name
'ASCO Annual Meeting'
>>> registry.find("ASCO").edition(2026).start.isoformat()
'2026-05-29'
>>> sorted(registry.find("SER").hashtags_for(2019))
['episer19', 'episer2019', 'ser19', 'ser2019']
>>> registry.find("asco").year_of("ASCO_2026"), registry.find("asco").year_of("ESMO26")
(2026, None)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from kolmap.errors import ConfigError
from kolmap.ingest.text import fold
from kolmap.settings import read_toml

__all__ = ["Congress", "Edition", "Registry", "load_registry"]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_YEAR_RE = re.compile(r"^_?((?:19|20)\d\d|\d\d)$")


@dataclass(frozen=True)
class Edition:
    """One year's congress: dates (inclusive) and city, when known."""

    year: int
    start: date | None = None
    end: date | None = None
    city: str | None = None


@dataclass(frozen=True)
class Congress:
    """A congress: id, name, hashtag bases and forms, areas, known editions."""

    id: str
    name: str
    hashtags: tuple[str, ...]
    forms: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    editions: Mapping[int, Edition] = field(default_factory=dict)

    @property
    def bases(self) -> list[str]:
        """Every base and form, folded, without '#'."""
        return list(dict.fromkeys(fold(t).lstrip("#") for t in (*self.hashtags, *self.forms)))

    def hashtags_for(self, year: int | None = None) -> set[str]:
        """The folded hashtags of an edition (``ser2019``, ``ser19``), or the bases alone."""
        if year is None:
            return set(self.bases)
        return {f"{b}{y}" for b in self.bases for y in (str(year), f"{year % 100:02d}")}

    def year_of(self, tag: str) -> int | bool | None:
        """The year a hashtag names (``ASCO26`` → 2026), True for a base without a year, None
        when it is not this congress's. Two digits past next year are no year but the
        edition's number (``#SER51``, SER's 51st meeting, in 2018: it was offered as a
        2051 edition): such a hashtag belongs to the congress, as a base does, and each
        edition takes its posts dated in the edition's time.

        >>> ser = load_registry().congresses["ser"]
        >>> ser.year_of("SER2019"), ser.year_of("ser19"), ser.year_of("ser51"), ser.year_of("epi")
        (2019, 2019, True, None)
        """
        text = fold(tag).lstrip("#")
        for base in sorted(self.bases, key=len, reverse=True):
            if text == base:
                return True
            if text.startswith(base):
                m = _YEAR_RE.match(text[len(base) :])
                if m:
                    year = int(m.group(1))
                    if year > 1900:
                        return year
                    return 2000 + year if 2000 + year <= date.today().year + 1 else True
        return None

    def edition(self, year: int) -> Edition:
        """The edition of ``year`` (an edition without dates when the registry has none)."""
        return self.editions.get(year, Edition(year))


@dataclass(frozen=True)
class Registry:
    """The congresses by id."""

    congresses: Mapping[str, Congress]

    def find(self, name: str) -> Congress:
        """A congress by id, name or hashtag (``asco``, ``ASCO Annual Meeting``,
        ``#ASCO26``); a :class:`ConfigError` lists the known ids otherwise."""
        key = fold(name).strip().lstrip("#")
        for congress in self.congresses.values():
            if key in (congress.id, fold(congress.name)) or congress.year_of(key) is not None:
                return congress
        known = ", ".join(sorted(self.congresses))
        raise ConfigError(
            f"no congress {name!r} in the registry; known: {known} (add yours with a file, "
            "setting ingest.congresses; docs/congress.md)"
        )

    def of_hashtag(self, tag: str) -> tuple[Congress, int | bool] | None:
        """The congress a hashtag names, with its year (True: no year), or None."""
        for congress in self.congresses.values():
            year = congress.year_of(tag)
            if year is not None:
                return congress, year
        return None

    def names_by_area(self) -> dict[str, list[str]]:
        """Area id -> the hashtag bases of its congresses (what the taxonomy matches)."""
        out: dict[str, list[str]] = {}
        for congress in self.congresses.values():
            for area in congress.areas:
                out.setdefault(area, []).extend(congress.bases)
        return out


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip("#") for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _parse(data: Mapping[str, Any], source: str) -> dict[str, Congress]:
    table = data.get("congresses")
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: expected a [congresses.<id>] table for each congress")
    out = {}
    for cid, spec in table.items():
        where = f"{source}: [congresses.{cid}]"
        if not _ID_RE.match(cid) or not isinstance(spec, Mapping):
            raise ConfigError(f"{where}: an id of lower-case letters, digits and dashes")
        unknown = set(spec) - {"name", "hashtags", "forms", "areas", "editions"}
        if unknown:
            raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
        editions = {}
        for i, raw in enumerate(spec.get("editions", []), start=1):
            if not isinstance(raw, Mapping) or not isinstance(raw.get("year"), int):
                raise ConfigError(f"{where} edition {i}: needs a year")
            edition = Edition(
                raw["year"],
                _date(raw.get("start"), f"{where} edition {i} start"),
                _date(raw.get("end"), f"{where} edition {i} end"),
                raw.get("city"),
            )
            if (edition.start is None) != (edition.end is None) or (
                edition.start and edition.end and edition.end < edition.start
            ):
                raise ConfigError(f"{where} edition {i}: start and end, the end not before")
            editions[edition.year] = edition
        out[cid] = Congress(
            id=cid,
            name=str(spec.get("name", cid)),
            hashtags=_strings(spec.get("hashtags", []), f"{where} hashtags"),
            forms=_strings(spec.get("forms", []), f"{where} forms"),
            areas=_strings(spec.get("areas", []), f"{where} areas") if spec.get("areas") else (),
            editions=editions,
        )
    return out


def _merge(base: Congress, more: Congress) -> Congress:
    def joined(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*a, *b]))

    return replace(
        base,
        name=more.name if more.name != more.id else base.name,
        hashtags=joined(base.hashtags, more.hashtags),
        forms=joined(base.forms, more.forms),
        areas=joined(base.areas, more.areas),
        editions={**base.editions, **more.editions},
    )


def load_registry(extra: str | Path | None = None) -> Registry:
    """The built-in registry, completed by the TOML file ``extra`` when given."""
    text = resources.files("kolmap.ingest.rules").joinpath("congresses.toml").read_text("utf-8")
    congresses = _parse(tomllib.loads(text), "built-in congress registry")
    if extra:
        for cid, congress in _parse(read_toml(extra, "congress registry"), str(extra)).items():
            congresses[cid] = _merge(congresses[cid], congress) if cid in congresses else congress
    return Registry(congresses)
