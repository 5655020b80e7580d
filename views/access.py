"""Who may see what in the app: roles, their rights, and the accounts that sign in.

Three roles: a ``viewer`` reads the pages; an ``analyst`` also downloads, edits shortlists and
labels, and ingests; an ``admin`` also reveals private individuals' identities (patients,
the public) and their posts, each time recorded in the audit trail. Users are kept in the
store (``kolmap users add NAME --role R``) with a salted PBKDF2 hash of their password;
when a store has users, the app asks who you are before any page. A store without users
is a single-user setup: its app is ``admin`` for whoever runs it on this machine
(``kolmap ui`` binds to localhost by default) and ``viewer`` when it is served to a network.

>>> salt, digest = hash_password("s3cret passphrase")
>>> verify("s3cret passphrase", salt, digest), verify("guess", salt, digest)
(True, False)
>>> may_reveal("analyst"), may_reveal("admin"), role_without_users("0.0.0.0")
(False, True, 'viewer')
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = [
    "ROLES",
    "hash_password",
    "may_change",
    "may_reveal",
    "role_without_users",
    "verify",
]

ROLES = ("viewer", "analyst", "admin")
_ITERATIONS = 240_000
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "")


def hash_password(password: str, salt: str | None = None) -> tuple[str, str]:
    """``(salt, hash)`` in hex: PBKDF2-HMAC-SHA256 of ``password`` under a random salt."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), _ITERATIONS)
    return salt, digest.hex()


def verify(password: str, salt: str, digest: str) -> bool:
    """Whether ``password`` is the one hashed into ``digest`` (constant-time)."""
    return hmac.compare_digest(hash_password(password, salt)[1], digest)


def may_reveal(role: str | None) -> bool:
    """Whether ``role`` may reveal private individuals' identities and posts."""
    return role == "admin"


def may_change(role: str | None) -> bool:
    """Whether ``role`` may download, edit shortlists and labels, and ingest."""
    return role in ("analyst", "admin")


def role_without_users(host: str) -> str:
    """The role of a store without users: ``admin`` on this machine, ``viewer`` when served
    to a network (``host`` is where ``kolmap ui`` listens)."""
    return "admin" if host in _LOCAL_HOSTS else "viewer"
