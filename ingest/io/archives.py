"""ZIP input, read safely: every member is checked before anything is extracted.

Refused, with the offending member named: absolute paths, ``..`` components, links, archives
nested inside the archive, more than ``max_members`` members, more than ``max_bytes``
uncompressed, or a member that expands more than ``max_ratio`` times (a zip bomb). Accepted
archives are extracted into a temporary folder that the caller removes.

>>> safe_name("data/tweets.js"), safe_name("../evil.txt"), safe_name("/etc/passwd")
(True, False, False)
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from kolmap.errors import InputError

__all__ = ["extract_safely", "safe_name"]

MAX_BYTES = 4 * 1024**3
MAX_RATIO = 200
MAX_MEMBERS = 100_000
_NESTED = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")


def safe_name(name: str) -> bool:
    """A member name that stays inside the extraction folder."""
    if not name or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
        return False
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return ".." not in parts


def extract_safely(
    path: Path,
    target: Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_ratio: int = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
    shown_as: str | None = None,
) -> Path:
    """Check every member of ``path``, then extract it into a new folder under ``target``;
    return the folder. Errors name the archive as ``shown_as`` (default: its path)."""
    name = shown_as or str(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise InputError(f"{name}: not a readable ZIP archive ({err})") from None
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise InputError(f"{name}: {len(members):,} members, more than {max_members:,}")
        total = 0
        for member in members:
            if not safe_name(member.filename):
                raise InputError(
                    f"{name}: member {member.filename!r} would be written outside "
                    "the extraction folder; refused"
                )
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InputError(f"{name}: member {member.filename!r} is a link; refused")
            if member.filename.lower().endswith(_NESTED):
                raise InputError(
                    f"{name}: member {member.filename!r} is an archive inside the "
                    "archive; extract it first (nested archives are refused)"
                )
            total += member.file_size
            if total > max_bytes:
                raise InputError(f"{name}: more than {max_bytes:,} bytes once extracted; refused")
            if member.file_size > 1_000_000 and member.file_size > max_ratio * max(
                member.compress_size, 1
            ):
                raise InputError(
                    f"{name}: member {member.filename!r} expands "
                    f"{member.file_size // max(member.compress_size, 1):,} times "
                    "(a zip bomb?); refused"
                )
        # A folder of its own: two archives with the same name (jan/export.zip and
        # feb/export.zip) would otherwise overwrite each other's members.
        folder = Path(tempfile.mkdtemp(prefix=f"{path.stem}-", dir=target))
        for member in members:
            if member.is_dir():
                continue
            destination = folder / PurePosixPath(member.filename.replace("\\", "/"))
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as out:
                written = 0
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    if written > member.file_size:
                        raise InputError(
                            f"{name}: member {member.filename!r} is larger than "
                            "its header says; refused"
                        )
                    out.write(chunk)
    return folder
