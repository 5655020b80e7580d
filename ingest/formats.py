"""The input formats kolmap reads, and how a file's format is recognised.

Formats are tried in order; the first whose sniffer accepts the file reads it. ``--format
NAME`` skips detection. ``kolmap formats`` lists them. Flat exports get one format per column
map (``column_maps.toml`` plus the user's file named by the ``ingest.column_maps`` setting).

>>> [f.name for f in all_formats()][:4]
['canonical', 'x-archive', 'x-api', 'bluesky']
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.bluesky import read_bluesky, sniff_bluesky
from kolmap.ingest.canonical import read_canonical, sniff_canonical
from kolmap.ingest.flat import (
    Profile,
    choose_profile,
    header_of,
    load_profiles,
    read_flat,
    sniff_flat,
)
from kolmap.ingest.labelled_bios import read_labelled_bios, sniff_labelled_bios
from kolmap.ingest.linkedin import read_linkedin, sniff_linkedin
from kolmap.ingest.meta import read_meta, sniff_meta
from kolmap.ingest.networks import (
    read_edge_list,
    read_gml,
    read_graphml,
    sniff_edge_list,
    sniff_gml,
    sniff_graphml,
)
from kolmap.ingest.sources import FormatSpec, Item, ReadOptions
from kolmap.ingest.x_api import read_x_api, sniff_x_api
from kolmap.ingest.x_archive import read_x_archive, sniff_x_archive

__all__ = ["all_formats", "detect_format", "get_format"]

_HEAD_BYTES = 65_536


def all_formats(column_maps: str | Path | None = None) -> list[FormatSpec]:
    """Every format, in detection order."""
    profiles = load_profiles(column_maps)
    specs = [
        FormatSpec(
            "canonical",
            "kolmap's own CSV files: accounts, follows, posts, labels (docs/input-format.md)",
            sniff_canonical,
            read_canonical,
        ),
        FormatSpec(
            "x-archive",
            "X personal archive: data/*.js (tweets, follower, following, account, profile)",
            sniff_x_archive,
            read_x_archive,
        ),
        FormatSpec(
            "x-api",
            "X API v2 responses or v1.1 tweet objects, JSON or JSON Lines",
            sniff_x_api,
            read_x_api,
        ),
        FormatSpec(
            "bluesky",
            "Bluesky AppView JSON: getProfile(s), getFollows/getFollowers, "
            "getAuthorFeed, searchPosts",
            sniff_bluesky,
            read_bluesky,
        ),
        FormatSpec(
            "instagram",
            "Instagram/Facebook 'Download your information' followers and following JSON",
            sniff_meta,
            read_meta,
        ),
        FormatSpec(
            "linkedin",
            "LinkedIn Connections.csv (Notes preamble; e-mails never read)",
            sniff_linkedin,
            read_linkedin,
        ),
        FormatSpec(
            "graphml",
            "GraphML network (nodes as accounts, edges as relations)",
            sniff_graphml,
            read_graphml,
        ),
        FormatSpec(
            "gml", "GML network (nodes as accounts, edges as relations)", sniff_gml, read_gml
        ),
        FormatSpec(
            "labelled-bios",
            "Hand-checked classifier sheet: headerless TSV 'Pass/Fail, tag, handle, bio' "
            "(confirmed tags become labels)",
            sniff_labelled_bios,
            read_labelled_bios,
        ),
        FormatSpec(
            "edge-list",
            "Plain edge or contact list ('source target' or 'time source "
            "target'), with optional node-name and role sidecar files",
            sniff_edge_list,
            read_edge_list,
        ),
    ]
    for profile in profiles:
        specs.append(
            FormatSpec(
                profile.name,
                profile.description,
                partial(_sniff_profile, profile=profile, profiles=profiles),
                partial(_read_profile, profile=profile),
            )
        )
    return specs


def _sniff_profile(path: Path, head: bytes, *, profile: Profile, profiles: list[Profile]) -> bool:
    """This profile is the best fit among all column maps."""
    if not sniff_flat(path, head, profiles):
        return False
    return choose_profile(header_of(path, head), profiles) == profile


def _read_profile(path: Path, options: ReadOptions, *, profile: Profile) -> Iterator[Item]:
    return read_flat(path, options, profiles=[profile])


def get_format(name: str, formats: list[FormatSpec] | None = None) -> FormatSpec:
    """The format called ``name``; the error lists the known ones."""
    formats = formats or all_formats()
    for spec in formats:
        if spec.name == name:
            return spec
    known = ", ".join(f.name for f in formats)
    raise InputError(f"unknown format {name!r}; known formats: {known}")


def detect_format(path: Path, formats: list[FormatSpec] | None = None) -> FormatSpec | None:
    """The first format that recognises ``path``, or None."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    for spec in formats or all_formats():
        if spec.sniff(path, head):
            return spec
    return None
