"""Instagram (and Facebook) "Download your information" JSON: followers and following.

Entries carry ``string_list_data`` (``value`` = username, ``href`` = profile link,
``timestamp``). The owner comes from ``personal_information.json`` in the export (searched
beside and above the file) or ``--owner``. Meta writes UTF-8 bytes as ``\\u00XX`` escapes, so
"Benoît" arrives as "BenoÃ®t": names are repaired exactly (Latin-1 round trip) and counted.

>>> repair_mojibake("Beno\\u00c3\\u00aet"), repair_mojibake("Benoît"), repair_mojibake("abc")
(('Benoît', True), ('Benoît', False), ('abc', False))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError, parse_follow
from kolmap.ingest.formats.records import account
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.jsonio import json_units, peek_json
from kolmap.ingest.io.rows import Rejected

__all__ = ["FORMAT", "read_meta", "repair_mojibake", "sniff_meta"]

_LISTS = {
    "relationships_following": "following",
    "relationships_followers": "followers",
    "following_v3": "following",
    "followers_v2": "followers",
}


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo Meta's escaping of UTF-8 bytes as Latin-1 characters, when that is what it is."""
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False
    return fixed, fixed != text


def _direction(path: Path, value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key, direction in _LISTS.items():
            if key in value:
                return direction
        return None
    if (
        isinstance(value, list)
        and value
        and isinstance(value[0], Mapping)
        and ("string_list_data" in value[0])
    ):
        return "following" if "following" in path.name.lower() else "followers"
    return None


def sniff_meta(path: Path, head: bytes) -> bool:
    if path.suffix.lower() != ".json":
        return False
    unit = peek_json(path, head)
    if isinstance(unit, Mapping) and "string_list_data" in unit:
        return True
    return _direction(path, unit) is not None


@lru_cache(maxsize=16)
def _owner_from_export(folder: Path) -> str | None:
    for base in (folder, folder.parent, folder.parent.parent):
        for candidate in (
            base / "personal_information.json",
            base / "personal_information" / "personal_information.json",
        ):
            if candidate.exists():
                for unit in json_units(candidate):
                    if isinstance(unit, Rejected):
                        continue
                    users = (unit[1] or {}).get("profile_user") or []
                    for user in users:
                        name = ((user.get("string_map_data") or {}).get("Username") or {}).get(
                            "value"
                        )
                        if name:
                            return str(name)
    return None


def _platform(path: Path, options: ReadOptions) -> str:
    if options.platform:
        return options.platform
    return "facebook" if "facebook" in str(path).lower() else "instagram"


def read_meta(path: Path, options: ReadOptions) -> Iterator[Item]:
    name = str(path)
    owner = options.owner or _owner_from_export(path.parent)
    if not owner:
        raise InputError(
            f"{name}: this export does not name its owner; add the export's "
            "personal_information.json or pass --owner USERNAME"
        )
    platform = _platform(path, options)
    me = "@" + owner.lstrip("@").lower()
    for unit in json_units(path):
        if isinstance(unit, Rejected):
            yield unit
            continue
        position, value = unit
        direction = _direction(path, value if isinstance(value, (list, Mapping)) else None)
        entries: list[Any]
        if isinstance(value, Mapping) and direction:
            entries = next(value[k] for k in _LISTS if k in value)
        elif isinstance(value, Mapping):
            entries = [value]
            direction = "following" if "following" in path.name.lower() else "followers"
        else:
            entries = list(value or [])
        for entry in entries:
            try:
                yield _entry(entry, platform, me, owner, direction or "followers", position)
            except RowError as err:
                yield Rejected(name, position, str(err), str(entry)[:10_000])


def _entry(
    entry: Mapping[str, Any], platform: str, me: str, owner: str, direction: str, position: int
) -> Parsed:
    data = (entry.get("string_list_data") or [{}])[0]
    username = str(data.get("value") or "").strip()
    href = str(data.get("href") or "")
    if not username and href:
        username = href.rstrip("/").rsplit("/", 1)[-1]
    if not username:
        raise RowError("entry without a username or profile link")
    repairs = []
    username, fixed = repair_mojibake(username)
    if fixed:
        repairs.append("mojibake")
    other = "@" + username.lower()
    follower, followed = (other, me) if direction == "followers" else (me, other)
    follow = parse_follow(
        {"platform": platform, "follower_id": follower, "followed_id": followed}, handle_ids=True
    )
    return Parsed(
        position,
        [
            ("accounts", account(platform, me, owner, reference=True)),
            ("accounts", account(platform, other, username, url=href)),
            ("follows", follow),
        ],
        repairs,
    )


FORMAT = FormatSpec(
    "instagram",
    "Instagram/Facebook 'Download your information' followers and following JSON",
    sniff_meta,
    read_meta,
)
