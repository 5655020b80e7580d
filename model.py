"""The core data model: node kinds, relation kinds, roles and the columns of each record.

kolmap's property graph (docs/data-model.md draws it) has accounts, posts, labels, hashtags,
therapeutic areas and persons as nodes. The relations between accounts are
:class:`Interaction` values (FOLLOWS, and those derived from posts: MENTIONS, REPOSTS,
REPLIES_TO, QUOTES; INTERACTS for imported ones); the other relations of the graph, as Neo4j
stores them, are :class:`Relation` values.

The columns of each canonical record are declared here; every table a store keeps, and the
fields each record kind's ingest writer accepts, in :mod:`kolmap.tables`.

>>> Role.parse("HCP")
<Role.HCP: 'hcp'>
>>> AccountKey("x", "42").label
'x:42'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kolmap.handles import MAX_HANDLE_CHARS, normalise_handle

__all__ = [
    "ACCOUNT_COLUMNS",
    "AFFILIATIONS",
    "EDGE_COLUMNS",
    "FOLLOW_COLUMNS",
    "INDUSTRY",
    "LABEL_COLUMNS",
    "MAX_HANDLE_CHARS",
    "PLATFORM_ALIASES",
    "POST_COLUMNS",
    "RETWEET_ORIGINAL_PREFIX",
    "SUPPRESSION_PREFIX",
    "AccountKey",
    "Interaction",
    "Relation",
    "Role",
    "normalise_handle",
    "normalise_platform",
    "stub_id_for_handle",
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


# The id prefix of a retweeted original known only from ``RT @user: text`` (a hash of the
# author and text follows): the readers make such ids, the merge folds one into the author's
# own post of that text once the store holds it.
RETWEET_ORIGINAL_PREFIX = "rt:"

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


class Relation(StrEnum):
    """The graph's relations besides those between accounts (:class:`Interaction`), with
    the names Neo4j stores them under (docs/neo4j.md)."""

    POSTED = "POSTED"  # Account -> Post
    TAGGED = "TAGGED"  # Post -> Hashtag
    ABOUT = "ABOUT"  # Post -> TherapeuticArea
    LABELS = "LABELS"  # Label -> Account (a user's correction of an account)
    SAME_PERSON = "SAME_PERSON"  # Label -> Person (accounts of one person)
    SCORED = "SCORED"  # Account -> TherapeuticArea (a published ranking)
    AUTHORED = "AUTHORED"  # Author -> Work (from the authorships)
    CO_AUTHOR = "CO_AUTHOR"  # Author -> Author (shared works, with count and years)


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
# A platform name (both routes of ingest check it).
PLATFORM_PATTERN = r"[a-z0-9][a-z0-9_.-]{0,31}"
_PLATFORM_RE = re.compile(f"^{PLATFORM_PATTERN}$")


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


def stub_id_for_handle(handle: str) -> str:
    """The synthetic id of a stub account known only by a mentioned handle.

    Real ids never start with ``@``, so stubs cannot collide with them; when the real
    account arrives, the stub is merged into it.

    >>> stub_id_for_handle("DrMartin")
    '@drmartin'
    """
    return "@" + handle.lower()


SUPPRESSION_PREFIX = "kolmap-suppression:"
"""Stores remember an opted-out account only as ``sha256(prefix || platform || ':' || id)``
(and its handle as ``sha256(prefix || 'handle:' || platform || ':' || handle)``)."""


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
    "avatar_url",
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
