"""Privacy by default: private individuals are pseudonymised wherever they are shown.

Patients, the public and unidentified accounts (stubs included) are *private individuals*:
exports show them only as a stable keyed pseudonym (``anon-`` + 16 hex digits of
HMAC-SHA256 over ``platform:account_id``), never their id, handle, name or any free text.
HCPs, organisations, brands and media are public actors and are shown as they are.

The key never lives in the database or the repository: it comes from
``KOLMAP_PSEUDONYM_KEY``, else from the ``privacy.key_file`` setting, else from a key file
beside the store (created on first use, mode 600). The same key gives the same pseudonyms
across exports, so agencies can join files; destroying or rotating it makes old pseudonyms
unlinkable.

:class:`Privacy` is what callers hold: built for a store it protects; only
``Privacy.revealed()`` (an explicit, logged choice in the CLI and the app) shows identities.
A caller that passes no privacy at all gets :meth:`Privacy.ephemeral`, which protects with a
throwaway key, so forgetting it can never reveal anyone.

>>> p = pseudonym(b"k", "x", "42")
>>> p, p == pseudonym(b"k", "x", "42"), p == pseudonym(b"other", "x", "42")
('anon-2a9a2f7140f74382', True, False)
>>> shown = Privacy(b"k")
>>> shown.identity("x", "42", "patient", "anna"), shown.identity("x", "7", "hcp", "dr_b")
('anon-2a9a2f7140f74382', '@dr_b')
>>> Privacy.revealed().identity("x", "42", "patient", "anna")
'@anna'
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kolmap.graph.keys import load_key
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import Projection
from kolmap.settings import PrivacySettings

__all__ = [
    "PRIVATE_ROLES",
    "Privacy",
    "load_key",
    "mentioned_handles",
    "private_mask",
    "pseudonym",
    "pseudonymise_accounts",
    "pseudonymise_ranking",
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
    "avatar_url",
    "role_evidence",
    "employer",
)

PRIVATE_ROLES = frozenset({"patient", "public", "unknown"})
_MENTION = re.compile(r"@([\w.-]+)")


def pseudonym(key: bytes, platform: str, account_id: str) -> str:
    """The stable pseudonym of an account under ``key``."""
    digest = hmac.new(key, f"{platform}:{account_id}".encode(), hashlib.sha256).hexdigest()
    return "anon-" + digest[:16]


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


def pseudonymise_ranking(table: pd.DataFrame, projection: Projection, key: bytes) -> pd.DataFrame:
    """Replace private individuals' ids, handles and names by pseudonyms, also in ``reasons``
    (only the handles the reasons name are looked up: a scope holds thousands of accounts),
    and add an ``identity`` column before ``role``: ``pseudonym``, or ``named`` for an
    account shown by its own name (it said "public" beside role "hcp" before December 2026,
    and "public" is also a role)."""
    nodes = projection.nodes
    names = nodes["handle"].fillna(nodes["account_id"]).astype(str).str.lower()
    named = names.isin(mentioned_handles(str(r) for r in table["reasons"])).to_numpy()
    private_nodes = nodes[private_mask(nodes["role"], nodes["is_stub"]) & named]
    mapping = {
        str(h).lower(): pseudonym(key, str(p), str(a))
        for h, p, a in zip(
            private_nodes["handle"].fillna(private_nodes["account_id"]),
            private_nodes["platform"],
            private_nodes["account_id"],
            strict=True,
        )
    }
    mask = private_mask(table["role"])
    out = pseudonymise_accounts(table, key)
    out["reasons"] = [replace_handles(str(r), mapping) for r in out["reasons"]]
    out.insert(
        list(out.columns).index("role"), "identity", ["pseudonym" if m else "named" for m in mask]
    )
    return out


@dataclass(frozen=True)
class Privacy:
    """How private individuals are shown: pseudonymised under ``key``, or revealed when
    ``key`` is None (which only :meth:`revealed` should build)."""

    key: bytes | None

    @classmethod
    def for_store(
        cls,
        location: str | StoreLocation,
        settings: PrivacySettings | None = None,
        *,
        reveal: bool = False,
    ) -> Privacy:
        """Protection with the store's key, or identities shown if ``reveal`` is asked for."""
        return cls.revealed() if reveal else cls(load_key(location, settings))

    @classmethod
    def revealed(cls) -> Privacy:
        """Identities shown: an explicit choice that needs a documented legal basis."""
        return cls(None)

    @classmethod
    def ephemeral(cls) -> Privacy:
        """Protection with a throwaway key: the default when a caller gives none."""
        return cls(secrets.token_bytes(32))

    @property
    def protects(self) -> bool:
        return self.key is not None

    def is_private(self, role: Any, is_stub: bool = False) -> bool:
        """Whether an account with this role is shown as a pseudonym (never when revealed):
        :func:`private_mask` for one account, cheap enough to name thousands of them."""
        if self.key is None:
            return False
        return bool(is_stub) or (str(role) if not pd.isna(role) else "unknown") in PRIVATE_ROLES

    def hidden(self, roles: pd.Series, is_stub: pd.Series | None = None) -> np.ndarray:
        """:meth:`is_private` for a column of accounts at once."""
        if self.key is None:
            return np.zeros(len(roles), dtype=bool)
        return private_mask(roles, is_stub)

    def mentions(
        self, texts: Sequence[Any], platforms: Sequence[Any], accounts: pd.DataFrame
    ) -> list[str]:
        """``texts`` (posts quoted on a page, each of its ``platforms``) with the ``@handle``
        of every private individual they mention replaced by the pseudonym: a public
        account's post quoted word for word named the patients it answered (browser check on
        a real store). ``accounts`` (platform, account_id, handle, role, is_stub) are the
        mentioned accounts, as :func:`mentioned_handles` finds them; a handle not among them
        stays as written.

        >>> guard = Privacy(b"k")
        >>> accounts = pd.DataFrame({"platform": ["x", "x"], "account_id": ["1", "2"],
        ...     "handle": ["Ann", "dr_b"], "role": ["patient", "hcp"], "is_stub": [False, False]})
        >>> text = guard.mentions(["thanks @ann and @dr_b"], ["x"], accounts)[0]
        >>> text.startswith("thanks @anon-"), text.endswith("and @dr_b")
        (True, True)
        """
        out = ["" if t is None or t != t else str(t) for t in texts]
        if self.key is None or accounts.empty:
            return out
        private = accounts[self.hidden(accounts["role"], accounts.get("is_stub"))]
        names: dict[str, dict[str, str]] = {}
        for platform, account_id, handle in zip(
            private["platform"], private["account_id"], private["handle"], strict=True
        ):
            if isinstance(handle, str) and handle:
                names.setdefault(str(platform), {})[handle.lower()] = self.pseudonym(
                    str(platform), str(account_id)
                )
        return [
            replace_handles(text, names.get(str(platform), {}))
            for text, platform in zip(out, platforms, strict=True)
        ]

    def pseudonym(self, platform: str, account_id: str) -> str:
        if self.key is None:
            raise ValueError("identities are revealed: there is no pseudonym key")
        return pseudonym(self.key, platform, account_id)

    def find(self, accounts: pd.DataFrame, name: str) -> pd.DataFrame:
        """The rows of ``accounts`` (platform, account_id, role, is_stub) shown as the
        pseudonym ``name``: how a link that names a private individual by pseudonym finds
        them again (empty when identities are revealed, or for no such account)."""
        if self.key is None or accounts.empty:
            return accounts.iloc[0:0]
        hidden = accounts[self.hidden(accounts["role"], accounts.get("is_stub"))]
        names = [
            pseudonym(self.key, str(p), str(a))
            for p, a in zip(hidden["platform"], hidden["account_id"], strict=True)
        ]
        return hidden[[n == name for n in names]]

    def visible(self, accounts: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``accounts`` shown under their own name: a search over names and
        handles must not match a private individual's hidden ones, or it would tell which
        pseudonym is whose."""
        if self.key is None or accounts.empty:
            return accounts
        return accounts[~self.hidden(accounts["role"], accounts.get("is_stub"))]

    def identity(self, platform: str, account_id: str, role: Any, handle: Any) -> str:
        """How an account is named: its pseudonym, ``@handle``, or its id."""
        if self.is_private(role):
            return self.pseudonym(platform, account_id)
        return "@" + str(handle) if isinstance(handle, str) and handle else account_id

    def accounts(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` (platform, account_id, role …) with private individuals pseudonymised."""
        if self.key is None or frame.empty:
            return frame
        return pseudonymise_accounts(frame, self.key)

    def ranking(self, table: pd.DataFrame, projection: Projection) -> pd.DataFrame:
        """A ranking with private individuals pseudonymised, their handles in reasons too."""
        if self.key is None or table.empty or "reasons" not in table.columns:
            return table
        return pseudonymise_ranking(table, projection, self.key)
