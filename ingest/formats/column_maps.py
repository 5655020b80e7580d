"""Column maps: the flat layouts kolmap knows, and which one fits a header.

A column map (a *profile*) names the columns that identify a layout (``match``) and, for each
field kolmap reads, the columns that may hold it, first found wins. The built-in maps are
``column_maps.toml`` beside this module; users add their tool's layout with the
``ingest.column_maps`` setting (same shape; a map of the same name replaces the built-in).
:mod:`kolmap.ingest.formats.flat` reads the rows.

>>> profile = choose_profile(["status_id", "Screen Name", "text", "lang"], load_profiles())
>>> profile.name, profile.present({"text", "lang"})["text"]
('rtweet', 'text')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kolmap.errors import ConfigError
from kolmap.settings import read_toml

__all__ = ["Profile", "choose_profile", "load_profiles", "normalise_column"]


@dataclass(frozen=True)
class Profile:
    """One flat layout: how to recognise it and where each field lives."""

    name: str
    description: str
    match: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]
    platform: str | None = None
    fields: frozenset[str] = field(default_factory=frozenset)
    # The layout's post texts are HTML-escaped as Twitter serves them (``&amp;``, ``&lt;``).
    escaped_text: bool = False

    def present(self, header: set[str]) -> dict[str, str]:
        """Field -> the first of its columns that the header has."""
        found = {}
        for name, candidates in self.columns.items():
            for column in candidates:
                if column in header:
                    found[name] = column
                    break
        return found


def normalise_column(name: str) -> str:
    """Compare column names case-insensitively, with spaces, dots and dashes as ``_``.

    >>> normalise_column(" Full Text "), normalise_column("extra_author_attributes.name")
    ('full_text', 'extra_author_attributes_name')
    """
    return re.sub(r"[\s.\-/:]+", "_", name.replace("\ufeff", "").strip().lower()).strip("_")


def load_profiles(extra: str | Path | None = None) -> list[Profile]:
    """The built-in column maps, plus those in ``extra`` (same layout; same names replace)."""
    text = resources.files("kolmap.ingest.formats").joinpath("column_maps.toml").read_text("utf-8")
    profiles = _parse_profiles(tomllib.loads(text), "built-in column maps")
    if extra:
        profiles.update(_parse_profiles(read_toml(extra, "column maps"), str(extra)))
    return list(profiles.values())


def _parse_profiles(data: Mapping[str, Any], source: str) -> dict[str, Profile]:
    table = data.get("profiles")
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: expected [profiles.<name>] tables")
    out = {}
    for name, spec in table.items():
        if not isinstance(spec, Mapping) or not isinstance(spec.get("match"), list):
            raise ConfigError(f"{source}: [profiles.{name}] needs a match list")
        columns = spec.get("columns", {})
        if not isinstance(columns, Mapping) or not all(
            isinstance(v, list) for v in columns.values()
        ):
            raise ConfigError(f"{source}: [profiles.{name}.columns] values must be lists")
        unknown = set(columns) - _FIELDS
        if unknown:
            raise ConfigError(f"{source}: [profiles.{name}] unknown fields {sorted(unknown)}")
        out[name] = Profile(
            name=name,
            description=str(spec.get("description", name)),
            match=tuple(normalise_column(c) for c in spec["match"]),
            columns={k: tuple(normalise_column(c) for c in v) for k, v in columns.items()},
            platform=spec.get("platform"),
            fields=frozenset(columns),
            escaped_text=bool(spec.get("escaped_text", False)),
        )
    return out


_FIELDS = frozenset(
    [
        "post_id",
        "created_at",
        "text",
        "lang",
        "likes",
        "reposts",
        "replies",
        "post_url",
        "platform",
        "author_id",
        "handle",
        "display_name",
        "bio",
        "followers",
        "following",
        "location",
        "profile_url",
        "avatar_url",
        "verified",
        "account_created_at",
        "reply_to_post_id",
        "reply_to_author_id",
        "reply_to_handle",
        "repost_of_post_id",
        "is_repost",
        "repost_author_id",
        "repost_handle",
        "repost_text",
        "repost_created_at",
        "repost_display_name",
        "repost_bio",
        "repost_followers",
        "repost_following",
        "repost_location",
        "repost_verified",
        "repost_likes",
        "repost_reposts",
        "quote_of_post_id",
        "quoted_author_id",
        "quoted_handle",
        "quoted_text",
        "quoted_display_name",
        "quoted_bio",
        "quoted_followers",
        "quoted_following",
        "quoted_location",
        "quoted_verified",
        "quoted_created_at",
        "quoted_likes",
        "quoted_reposts",
        "mention_handles",
        "mention_ids",
        "hashtags",
    ]
)


def choose_profile(header: list[str], profiles: list[Profile]) -> Profile | None:
    """The profile whose ``match`` columns are all present, with most fields found."""
    names = {normalise_column(h) for h in header}
    fitting = [p for p in profiles if set(p.match) <= names]
    if not fitting:
        return None
    return max(fitting, key=lambda p: len(p.present(names)))
