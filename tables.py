"""Every table a store keeps, declared once: columns in order, types, keys, required columns.

The DuckDB DDL (:mod:`kolmap.graph.duckdb.schema`), the staging Arrow schemas of an ingest run
and the Neo4j node keys (:mod:`kolmap.graph.neo4j.maps`) are generated from :data:`TABLES`;
what each record kind's ingest writer accepts is :data:`RECORD_FIELDS`. The record columns
themselves (``ACCOUNT_COLUMNS`` ...) are in :mod:`kolmap.model`.

>>> TABLE["follows"].key
('platform', 'follower_id', 'followed_id')
>>> column_type("followers")
<ColumnType.INT: 'int'>
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kolmap.model import ACCOUNT_COLUMNS, EDGE_COLUMNS, FOLLOW_COLUMNS, LABEL_COLUMNS, POST_COLUMNS

__all__ = [
    "COLUMN_TYPES",
    "GRAPH_TABLES",
    "RECORD_FIELDS",
    "SCIENCE_TABLES",
    "TABLE",
    "TABLES",
    "TRANSFER_TABLES",
    "ColumnType",
    "Table",
    "column_type",
]


# -- the stored tables ------------------------------------------------------------------------
class ColumnType(StrEnum):
    """The type of a stored column (each store maps it to its own)."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    TIME = "time"  # an instant, UTC
    TEXT_LIST = "text[]"
    JSON = "json"


# Every column that is not text, by name: a name has one type in every table.
COLUMN_TYPES: dict[str, ColumnType] = {
    **dict.fromkeys(
        (
            "followers",
            "following",
            "likes",
            "reposts",
            "replies",
            "source_line",
            "count",
            "rows",
            "post_count",
            "authors",
            "amount_cents",
            "author_rank",
            "author_count",
            "works_count",
            "cited_by_count",
            "h_index",
            "text_hash",
            "norm_hash",
            "text_len",
            "norm_len",
        ),
        ColumnType.INT,
    ),
    **dict.fromkeys(
        ("role_confidence", "automation_risk", "confidence", "score"), ColumnType.FLOAT
    ),
    **dict.fromkeys(
        ("verified", "is_stub", "reference", "pseudonymised", "informative", "disputed"),
        ColumnType.BOOL,
    ),
    **dict.fromkeys(
        (
            "created_at",
            "started_at",
            "finished_at",
            "added_at",
            "exported_at",
            "updated_at",
            "event_at",
            "first_at",
            "last_at",
            "month",
            "detected_at",
            "posted_at",
            "status_at",
            "paid_on",
            "published_on",
            "started_on",
            "held_on",
            "decided_at",
        ),
        ColumnType.TIME,
    ),
    **dict.fromkeys(
        ("bio_areas", "mentions", "hashtags", "areas", "pub_types", "mesh", "conditions"),
        ColumnType.TEXT_LIST,
    ),
    **dict.fromkeys(
        ("inputs", "summary", "filters", "params", "facts", "criteria"), ColumnType.JSON
    ),
}


def column_type(name: str) -> ColumnType:
    """The type of column ``name``.

    >>> column_type("followers"), column_type("handle")
    (<ColumnType.INT: 'int'>, <ColumnType.TEXT: 'text'>)
    """
    return COLUMN_TYPES.get(name, ColumnType.TEXT)


@dataclass(frozen=True)
class Table:
    """A stored table: its columns in order, the columns that identify a row (``key``) and
    those that may not be empty (``required``)."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: tuple[str, ...] = ()


_PROVENANCE = ("source_file", "source_line")
_RUNS = ("run_id", "updated_run_id")
TABLES: tuple[Table, ...] = (
    Table("meta", ("key", "value"), key=("key",)),
    Table(
        "ingest_runs",
        (
            "run_id",
            "started_at",
            "finished_at",
            "status",
            "kolmap_version",
            "inputs",
            "summary",
        ),
        key=("run_id",),
    ),
    Table("areas", ("area_id", "name"), key=("area_id",)),
    Table("suppressions", ("hash", "added_at", "scope"), key=("hash",)),
    # The append-only audit trail: ingests (failed and interrupted ones too), exports, label
    # changes, erasures, suppressions, by whom and when; details name accounts only by keyed
    # hashes (docs/compliance.md).
    Table("audit_log", ("event_id", "event_at", "actor", "action", "facts"), key=("event_id",)),
    # Which accounts each export carried, as keyed hashes of the (platform, id) it showed (a
    # pseudonym for a private individual): an erasure lists the exports that held the person.
    Table("export_members", ("export_id", "hash"), key=("export_id", "hash")),
    # The pharmacovigilance queue: posts that may report an adverse event, as they were when
    # found (a legal duty: kept through erasure and retention purges, never exported for
    # marketing). The reporter is a pseudonym; ``criteria`` says which of the four minimum
    # criteria of a valid report seem present.
    Table(
        "pv_queue",
        (
            "item_id",
            "detected_at",
            "platform",
            "post_id",
            "permalink",
            "posted_at",
            "reporter",
            "product",
            "reactions",
            "text",
            "criteria",
            "assessment",
            "status",
            "status_by",
            "status_at",
            "note",
        ),
        key=("item_id",),
    ),
    # Declared payments to health professionals (Open Payments, Transparence Santé), keyed
    # by the recipient's registry number: no name, no address (docs/compliance.md).
    Table(
        "transparency",
        (
            "record_key",
            "source",
            "record_id",
            "registry",
            "registry_id",
            "payer",
            "amount_cents",
            "currency",
            "nature",
            "paid_on",
            "program_year",
            "published_on",
            "disputed",
            "licence",
            *_PROVENANCE,
        ),
        key=("record_key",),
    ),
    # The registry numbers (NPI, RPPS...) a user links to an account: the only way a
    # declared payment reaches an account.
    Table(
        "registry_ids",
        ("platform", "account_id", "registry", "registry_id", "added_at"),
        key=("platform", "account_id", "registry"),
    ),
    # What a retention purge keeps of the posts it removes: counts per area, month and the
    # authors' role (no account, no text).
    Table(
        "area_activity",
        ("area", "month", "role", "post_count", "authors", "likes", "reposts"),
        key=("area", "month", "role"),
    ),
    # The scientific record (docs/science.md): works and their authors, author profiles,
    # registered trials and their overall officials, congress roles; each row with the file
    # and line it came from.
    Table(
        "works",
        (
            "work_key",
            "source",
            "pmid",
            "doi",
            "openalex_id",
            "title",
            "journal",
            "published_on",
            "pub_types",
            "mesh",
            "areas",
            *_PROVENANCE,
        ),
        key=("work_key",),
        required=("work_key",),
    ),
    Table(
        "authorships",
        (
            "work_key",
            "author_rank",
            "position",
            "author_count",
            "author_key",
            "family_name",
            "given_name",
            "orcid",
            "affiliation",
            *_PROVENANCE,
        ),
        key=("work_key", "author_rank"),
        required=("work_key", "author_rank", "author_key"),
    ),
    Table(
        "author_profiles",
        (
            "author_key",
            "family_name",
            "given_name",
            "orcid",
            "affiliation",
            "works_count",
            "cited_by_count",
            "h_index",
            *_PROVENANCE,
        ),
        key=("author_key",),
        required=("author_key",),
    ),
    Table(
        "trials",
        (
            "trial_id",
            "title",
            "phase",
            "status",
            "sponsor",
            "sponsor_class",
            "conditions",
            "areas",
            "started_on",
            *_PROVENANCE,
        ),
        key=("trial_id",),
        required=("trial_id",),
    ),
    Table(
        "trial_officials",
        (
            "trial_id",
            "author_rank",
            "official_key",
            "family_name",
            "given_name",
            "official_role",
            "affiliation",
            *_PROVENANCE,
        ),
        key=("trial_id", "author_rank"),
        required=("trial_id", "author_rank", "official_key"),
    ),
    Table(
        "congress_roles",
        (
            "entry_key",
            "congress",
            "session",
            "congress_role",
            "speaker_key",
            "family_name",
            "given_name",
            "affiliation",
            "orcid",
            "held_on",
            "areas",
            *_PROVENANCE,
        ),
        key=("entry_key",),
        required=("entry_key", "speaker_key"),
    ),
    # A user's decisions on person links: two identities (``x:123``, ``author:orcid:…``) are
    # the same person, or are not (a rejected or undone link). They win over inference.
    Table(
        "person_decisions",
        ("identity_a", "identity_b", "decision", "actor", "decided_at", "note", "source"),
        key=("identity_a", "identity_b"),
        required=("identity_a", "identity_b", "decision"),
    ),
    # Saved shortlists: one row per account on a named list (a copy of what it was added
    # as, so the list reads the same after a re-ingest), and the trail of every change.
    Table(
        "shortlists",
        (
            "shortlist",
            "platform",
            "account_id",
            "handle",
            "display_name",
            "role",
            "specialty",
            "area",
            "kind",
            "score",
            "added_from",
            "note",
            "status",
            "owner",
            "added_at",
            "updated_at",
        ),
        key=("shortlist", "platform", "account_id"),
    ),
    Table(
        "shortlist_events",
        (
            "event_id",
            "event_at",
            "shortlist",
            "platform",
            "account_id",
            "action",
            "detail",
            "owner",
        ),
        key=("event_id",),
    ),
    # The app's users: a role and a salted PBKDF2 hash of the password (views/access.py).
    Table(
        "app_users",
        ("name", "role", "salt", "password_hash", "created_at"),
        key=("name",),
    ),
    # Saved views of the app: a page and its filters (the address's parameters), by name.
    Table("saved_views", ("name", "page", "params", "owner", "updated_at"), key=("name",)),
    Table(
        "exports",
        (
            "export_id",
            "exported_at",
            "format",
            "path",
            "filters",
            "rows",
            "sha256",
            "pseudonymised",
            "kolmap_version",
        ),
        key=("export_id",),
    ),
    Table(
        "accounts",
        (
            *ACCOUNT_COLUMNS[:3],
            "handle_lc",
            "handle_raw",
            *ACCOUNT_COLUMNS[3:],
            "is_stub",
            "bio_areas",
            "inferred_role",
            "role_confidence",
            "role_evidence",
            "role_source",
            "inferred_specialty",
            "affiliation",
            "employer",
            "automation_risk",
            "automation_evidence",
            "bio_withheld",
            *_PROVENANCE,
            *_RUNS,
        ),
        key=("platform", "account_id"),
        required=("platform", "account_id", "is_stub"),
    ),
    Table(
        "labels",
        (*LABEL_COLUMNS, *_PROVENANCE, *_RUNS),
        key=("platform", "account_id"),
        required=("platform", "account_id"),
    ),
    # Each original post's text, normalised and hashed once (derived, rebuilt from the posts
    # when missing): what the template signal compares (graph/duckdb/derive.py).
    Table(
        "text_hashes",
        ("platform", "post_id", "author_id", "text_hash", "text_len", "norm_hash", "norm_len"),
        key=("platform", "post_id"),
        required=("platform", "post_id", "author_id"),
    ),
    Table(
        "text_roles",
        (
            "platform",
            "account_id",
            "profile_hash",
            "role",
            "confidence",
            "evidence",
            "specialty",
            "specialty_area",
            "affiliation",
            "employer",
            "informative",
        ),
        key=("platform", "account_id"),
        required=("platform", "account_id"),
    ),
    Table(
        "follows",
        (*FOLLOW_COLUMNS, *_PROVENANCE, "run_id"),
        key=FOLLOW_COLUMNS,
        required=FOLLOW_COLUMNS,
    ),
    Table(
        "posts",
        (*POST_COLUMNS, *_PROVENANCE, *_RUNS),
        key=("platform", "post_id"),
        required=("platform", "post_id", "author_id"),
    ),
    Table(
        "edges",
        (*EDGE_COLUMNS, *_PROVENANCE, *_RUNS),
        key=("platform", "src_id", "dst_id", "kind"),
        required=("platform", "src_id", "dst_id", "kind"),
    ),
    *(
        Table(name, ("platform", "post_id", column), key=("platform", "post_id", column),
              required=("platform", "post_id", column))
        for name, column in (
            ("post_mentions", "account_id"),
            ("post_hashtags", "tag"),
            ("post_areas", "area"),
        )
    ),
)  # fmt: skip
TABLE: dict[str, Table] = {t.name: t for t in TABLES}

# The scientific record and the person decisions (docs/science.md).
SCIENCE_TABLES = (
    "works",
    "authorships",
    "author_profiles",
    "trials",
    "trial_officials",
    "congress_roles",
    "person_decisions",
)
# The tables whose rows are a store's contents (what moves between a DuckDB and a Neo4j
# store), and those that make up the graph itself (what a store's fingerprint covers).
TRANSFER_TABLES = (
    "areas",
    "accounts",
    "labels",
    "posts",
    "follows",
    "edges",
    "post_mentions",
    "post_hashtags",
    "post_areas",
    "suppressions",
    "ingest_runs",
    "exports",
    "shortlists",
    "shortlist_events",
    "saved_views",
    "audit_log",
    "export_members",
    "area_activity",
    "pv_queue",
    "transparency",
    "registry_ids",
    "app_users",
    *SCIENCE_TABLES,
)
GRAPH_TABLES = (
    "edges",
    "accounts",
    "labels",
    "follows",
    "posts",
    "post_mentions",
    "post_hashtags",
    "post_areas",
    "areas",
)

# Fields of each record kind a store's ingest writer accepts (unknown keys are an error): the
# canonical columns, what ingest derives from them, and provenance. ``reference`` marks a
# record known only from another row (the original inside a retweet, a reply's target): it
# fills gaps but never overrides what the post's or account's own row says.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": (*ACCOUNT_COLUMNS, "handle_raw", "bio_areas", "reference", *_PROVENANCE),
    "follows": (*FOLLOW_COLUMNS, *_PROVENANCE),
    "posts": (*POST_COLUMNS, "mentions", "hashtags", "areas", "reference", *_PROVENANCE),
    "labels": (*LABEL_COLUMNS, *_PROVENANCE),
    "edges": (*EDGE_COLUMNS, *_PROVENANCE),
}
