"""Privacy by default: private individuals are pseudonymised in every export.

Patients, the public and unidentified accounts (stubs included) are *private individuals*:
exports show them only as a stable keyed pseudonym (``anon-`` + 16 hex digits of
HMAC-SHA256 over ``platform:account_id``), never their id, handle, name or any free text.
HCPs, organisations, brands and media are public actors and are shown as they are.

The key never lives in the database or the repository: it comes from
``KOLMAP_PSEUDONYM_KEY``, else from a key file beside the store (created on first use, mode
600). The same key gives the same pseudonyms across exports, so agencies can join files;
destroying or rotating it makes old pseudonyms unlinkable.

>>> p = pseudonym(b"k", "x", "42")
>>> p, p == pseudonym(b"k", "x", "42"), p == pseudonym(b"other", "x", "42")
('anon-2a9a2f7140f74382', True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from kolmap.graph.store import is_neo4j_uri

__all__ = [
    "PRIVATE_ROLES",
    "load_key",
    "mentioned_handles",
    "private_mask",
    "pseudonym",
    "pseudonymise_accounts",
    "replace_handles",
]

# Columns that could identify a private individual (an exact audience size included).
IDENTIFYING = (
    "display_name",
    "specialty",
    "location",
    "followers",
    "bio",
    "text",
    "person_id",
    "url",
    "role_evidence",
    "employer",
)

PRIVATE_ROLES = frozenset({"patient", "public", "unknown"})
_MENTION = re.compile(r"@([\w.-]+)")
KEY_ENV = "KOLMAP_PSEUDONYM_KEY"


def pseudonym(key: bytes, platform: str, account_id: str) -> str:
    """The stable pseudonym of an account under ``key``."""
    digest = hmac.new(key, f"{platform}:{account_id}".encode(), hashlib.sha256).hexdigest()
    return "anon-" + digest[:16]


def load_key(store_location: str) -> bytes:
    """The pseudonymisation key: ``$KOLMAP_PSEUDONYM_KEY`` or ``<store>.pseudonym.key``."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    if store_location == ":memory:":
        return secrets.token_bytes(32)
    if is_neo4j_uri(store_location):  # the key stays on this machine, never in Neo4j
        digest = hashlib.sha256(store_location.encode("utf-8")).hexdigest()[:16]
        path = Path.home() / ".config" / "kolmap" / f"{digest}.pseudonym.key"
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        base = Path(store_location)
        path = base.with_name(base.stem + ".pseudonym.key")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text("utf-8").strip().encode("utf-8")


def private_mask(roles: pd.Series, is_stub: pd.Series | None = None) -> np.ndarray:
    """True for accounts that must be pseudonymised."""
    mask = np.array(roles.fillna("unknown").astype(str).isin(PRIVATE_ROLES), dtype=bool)
    if is_stub is not None:
        mask = mask | np.array(is_stub.fillna(False), dtype=bool)
    return mask


def replace_handles(text: str, mapping: Mapping[str, str]) -> str:
    """Replace ``@handle`` mentions whose (lower-case) handle is in ``mapping``.

    >>> replace_handles("top endorsers @Anna, @dr_x", {"anna": "anon-1"})
    'top endorsers @anon-1, @dr_x'
    """
    if not mapping:
        return text
    return _MENTION.sub(lambda m: "@" + mapping.get(m.group(1).lower(), m.group(1)), text)


def mentioned_handles(texts: Iterable[str]) -> set[str]:
    """The lower-case handles :func:`replace_handles` would look up in ``texts``.

    >>> sorted(mentioned_handles(["top endorsers @Anna, @dr_x", "none"]))
    ['anna', 'dr_x']
    """
    return {m.lower() for text in texts for m in _MENTION.findall(text)}


def pseudonymise_accounts(frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """A copy of ``frame`` (with platform, account_id and role) where private individuals'
    id and handle become their pseudonym and every identifying column is blanked."""
    out = frame.copy()
    mask = private_mask(out["role"])
    if not mask.any():
        return out
    names = [
        pseudonym(key, str(p), str(a))
        for p, a in zip(out.loc[mask, "platform"], out.loc[mask, "account_id"], strict=True)
    ]
    out.loc[mask, "account_id"] = names
    if "handle" in out:
        out.loc[mask, "handle"] = names
    for column in IDENTIFYING:
        if column in out:
            out.loc[mask, column] = None
    return out
