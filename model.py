"""The core data model: node kinds, relation kinds, roles and the columns of each record.

kolmap's property graph has these nodes and relations (see docs/data-model.md):

- ``Person`` -[HAS_ACCOUNT]-> ``Account`` (one person may hold accounts on several platforms)
- ``Account`` -[FOLLOWS]-> ``Account``
- ``Account`` -[MENTIONS | REPOSTS | REPLIES_TO | QUOTES]-> ``Account`` (interactions, derived
  from posts; each carries a count, first/last time and the posts behind it)
- ``Account`` -[POSTED]-> ``Post`` -[TAGGED]-> ``Hashtag``
- ``Post`` / ``Account`` -[IN_AREA]-> ``TherapeuticArea``

Records travel between ``ingest`` and the stores as columnar batches whose columns are
declared here, so that every store reads and writes the same shape.

>>> Role.parse("HCP")
<Role.HCP: 'hcp'>
>>> AccountKey("x", "42").label
'x:42'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ACCOUNT_COLUMNS",
    "AFFILIATIONS",
    "EDGE_COLUMNS",
    "FOLLOW_COLUMNS",
    "INDUSTRY",
    "LABEL_COLUMNS",
    "PLATFORM_ALIASES",
    "POST_COLUMNS",
    "AccountKey",
    "Interaction",
    "Role",
    "handle_suppression_hash",
    "normalise_handle",
    "normalise_platform",
    "stub_id_for_handle",
    "suppression_hash",
]


class Role(StrEnum):
    """What kind of actor an account is (docs/roles.md defines each).

    ``hcp``: clinically trained health professionals; ``researcher``: health and life
    scientists and academics without a clinical credential; ``patient``: patients, caregivers
    and individual advocates; ``organisation``: institutions, societies, associations, public
    bodies; ``brand``: companies and products; ``media``: outlets, journals, journalists;
    ``public``: other individuals; ``unknown``: nothing to tell from.
    """

    HCP = "hcp"
    RESEARCHER = "researcher"
    PATIENT = "patient"
    ORGANISATION = "organisation"
    BRAND = "brand"
    MEDIA = "media"
    PUBLIC = "public"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str) -> Role:
        """Read a role name case-insensitively; accepts a few common synonyms."""
        text = value.strip().lower()
        text = _ROLE_SYNONYMS.get(text, text)
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role {value!r}; expected one of {allowed}") from None


_ROLE_SYNONYMS = {
    "doctor": "hcp",
    "physician": "hcp",
    "nurse": "hcp",
    "scientist": "researcher",
    "academic": "researcher",
    "epidemiologist": "researcher",
    "caregiver": "patient",
    "advocate": "patient",
    "patient advocate": "patient",
    "organization": "organisation",
    "institution": "organisation",
    "society": "organisation",
    "company": "brand",
    "pharma": "brand",
}


INDUSTRY = "industry"
AFFILIATIONS = (INDUSTRY, "none")
"""Affiliations an account can carry beside its role: ``industry`` (employee or paid partner
of a pharma, medtech or health company); ``none`` in a label says "checked, not industry"."""


class Interaction(StrEnum):
    """Relations between accounts. All but FOLLOWS are derived from posts."""

    FOLLOWS = "FOLLOWS"
    MENTIONS = "MENTIONS"
    REPOSTS = "REPOSTS"
    REPLIES_TO = "REPLIES_TO"
    QUOTES = "QUOTES"
    INTERACTS = "INTERACTS"  # an imported relation of unknown type (emails, contacts...)


@dataclass(frozen=True, order=True)
class AccountKey:
    """Accounts are unique per (platform, platform id)."""

    platform: str
    account_id: str

    @property
    def label(self) -> str:
        return f"{self.platform}:{self.account_id}"

    @classmethod
    def parse(cls, text: str) -> AccountKey:
        """Read ``platform:account_id`` (the form the CLI and exports use)."""
        platform, sep, account_id = text.partition(":")
        if not sep or not platform or not account_id:
            raise ValueError(f"expected platform:account_id, got {text!r}")
        return cls(normalise_platform(platform), account_id)


PLATFORM_ALIASES = {
    "twitter": "x",
    "x.com": "x",
    "bsky": "bluesky",
    "ig": "instagram",
    "fb": "facebook",
    "li": "linkedin",
}
_PLATFORM_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")


def normalise_platform(value: str) -> str:
    """Lower-case a platform name and map aliases (``Twitter`` -> ``x``).

    >>> normalise_platform(" Twitter ")
    'x'
    """
    text = value.strip().lower()
    text = PLATFORM_ALIASES.get(text, text)
    if not _PLATFORM_RE.match(text):
        raise ValueError(f"invalid platform name {value!r}")
    return text


_HANDLE_RE = re.compile(r"^[^\s@]{1,100}$")


def normalise_handle(value: str) -> str:
    """Strip a leading ``@`` and whitespace; handles keep their case for display.

    Comparisons use ``handle.lower()``: handles are case-insensitive per platform.

    >>> normalise_handle(" @DrMartin ")
    'DrMartin'
    """
    text = value.strip()
    if text.startswith("@"):
        text = text[1:]
    if not _HANDLE_RE.match(text):
        raise ValueError(f"invalid handle {value!r}")
    return text


def stub_id_for_handle(handle: str) -> str:
    """The synthetic id of a stub account known only by a mentioned handle.

    Real ids never start with ``@``, so stubs cannot collide with them; when the real
    account arrives, the stub is merged into it.

    >>> stub_id_for_handle("DrMartin")
    '@drmartin'
    """
    return "@" + handle.lower()


SUPPRESSION_PREFIX = "kolmap-suppression:"


def handle_suppression_hash(platform: str, handle: str) -> str:
    """Hash of an opted-out account's handle, so mentions of it are dropped too."""
    text = f"{SUPPRESSION_PREFIX}handle:{platform}:{handle.lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def suppression_hash(platform: str, account_id: str) -> str:
    """The only form in which an opted-out account is remembered (SHA-256, no name, no bio).

    Stores compute the same value in SQL (``sha256(prefix || platform || ':' || id)``).

    >>> suppression_hash("x", "42")[:12]
    '4c7933f0d5f7'
    """
    text = f"{SUPPRESSION_PREFIX}{platform}:{account_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Columns of each canonical record, in file order. Only the first ids are required.
ACCOUNT_COLUMNS = (
    "platform",
    "account_id",
    "handle",
    "display_name",
    "bio",
    "followers",
    "following",
    "location",
    "lang",
    "url",
    "verified",
    "created_at",
)
FOLLOW_COLUMNS = ("platform", "follower_id", "followed_id")
POST_COLUMNS = (
    "platform",
    "post_id",
    "author_id",
    "created_at",
    "text",
    "reply_to_post_id",
    "repost_of_post_id",
    "quote_of_post_id",
    "likes",
    "reposts",
    "replies",
    "lang",
)
LABEL_COLUMNS = (
    "platform",
    "account_id",
    "role",
    "specialty",
    "person_id",
    "affiliation",
    "employer",
)
# Relations imported as such (network files, edge tables), not derived from posts.
EDGE_COLUMNS = ("platform", "src_id", "dst_id", "kind", "count", "first_at", "last_at")
