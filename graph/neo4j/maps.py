"""How kolmap's tables map onto a Neo4j property graph (docs/neo4j.md), with no driver.

- nodes (:data:`NODE_MAPS`): ``Account``, ``Post``, ``Label``, ``TherapeuticArea``,
  ``Suppression``, ``IngestRun``, ``Export``, keyed by their table's key in
  :data:`kolmap.tables.TABLES`; plus ``Hashtag`` and ``Person``, which exist through
  relationships;
- relationships (:data:`REL_MAPS`): ``FOLLOWS``, ``INTERACTS`` (imported relations, with their
  ``kind``), ``MENTIONS`` (post to account), ``TAGGED`` (post to hashtag), ``ABOUT`` (post to
  area); and, for browsing in Bloom or Browser, ``POSTED``, ``REPLIES_TO``, ``REPOSTS``,
  ``QUOTES``, ``LABELS`` and ``SAME_PERSON`` (:data:`DERIVED`), made from node properties and
  never read back. ``SCORED`` (account to area) holds published rankings.

Labels, relationship types and property keys are spliced into Cypher (it cannot take them as
parameters); they come only from these maps and pass :func:`check_name`.

>>> node_pattern("n", NODE_MAPS[1])
'(n:Account {platform: row.platform, account_id: row.account_id})'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kolmap.model import Interaction, Relation
from kolmap.tables import TABLE

__all__ = [
    "DERIVED",
    "FIRST_LOAD_DERIVED",
    "INDEXES",
    "KOLMAP_LABELS",
    "NODE_MAPS",
    "POINTERS",
    "REL_MAPS",
    "NodeMap",
    "RelMap",
    "check_name",
    "derived_columns",
    "node_pattern",
    "rel_end_columns",
    "rel_key",
    "rel_pattern",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class NodeMap:
    """Rows of ``table`` as nodes labelled ``label``, identified by the ``key`` properties."""

    table: str
    label: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class RelMap:
    """Rows of ``table`` as ``type`` relationships between two existing nodes.

    ``start`` and ``end`` give each end's label and ``{node property: row column}``;
    ``key`` names relationship properties that tell parallel relationships apart;
    ``make_end`` creates the end node when missing (hashtags exist only through posts).
    """

    table: str
    type: str
    start: tuple[str, Mapping[str, str]]
    end: tuple[str, Mapping[str, str]]
    key: tuple[str, ...] = ()
    make_end: bool = False
    rest: Mapping[str, str] = field(default_factory=dict)


def _node_map(table: str, label: str) -> NodeMap:
    return NodeMap(table, label, TABLE[table].key)


_POST = {"platform": "platform", "post_id": "post_id"}
NODE_MAPS = (
    _node_map("areas", "TherapeuticArea"),
    _node_map("accounts", "Account"),
    _node_map("posts", "Post"),
    _node_map("labels", "Label"),
    _node_map("suppressions", "Suppression"),
    _node_map("ingest_runs", "IngestRun"),
    _node_map("exports", "Export"),
    _node_map("shortlists", "ShortlistEntry"),
    _node_map("shortlist_events", "ShortlistEvent"),
    _node_map("saved_views", "SavedView"),
    _node_map("audit_log", "AuditEvent"),
    _node_map("export_members", "ExportMember"),
    _node_map("area_activity", "AreaActivity"),
    _node_map("pv_queue", "SafetyItem"),
    _node_map("transparency", "DeclaredPayment"),
    _node_map("registry_ids", "RegistryId"),
    _node_map("app_users", "AppUser"),
    _node_map("works", "Work"),
    _node_map("authorships", "Authorship"),
    _node_map("author_profiles", "AuthorProfile"),
    _node_map("trials", "Trial"),
    _node_map("trial_officials", "TrialOfficial"),
    _node_map("congress_roles", "CongressRole"),
    _node_map("person_decisions", "PersonDecision"),
)
REL_MAPS = (
    RelMap(
        "follows",
        Interaction.FOLLOWS.value,
        ("Account", {"platform": "platform", "account_id": "follower_id"}),
        ("Account", {"platform": "platform", "account_id": "followed_id"}),
    ),
    RelMap(
        "edges",
        Interaction.INTERACTS.value,
        ("Account", {"platform": "platform", "account_id": "src_id"}),
        ("Account", {"platform": "platform", "account_id": "dst_id"}),
        key=("kind",),
    ),
    RelMap(
        "post_mentions",
        Interaction.MENTIONS.value,
        ("Post", _POST),
        ("Account", {"platform": "platform", "account_id": "account_id"}),
    ),
    RelMap(
        "post_hashtags",
        Relation.TAGGED.value,
        ("Post", _POST),
        ("Hashtag", {"tag": "tag"}),
        make_end=True,
    ),
    RelMap(
        "post_areas",
        Relation.ABOUT.value,
        ("Post", _POST),
        ("TherapeuticArea", {"area_id": "area"}),
    ),
)
# Post properties that point at another post, with the relationship each becomes (and the
# name of the index that finds the posts pointing at one).
POINTERS = (
    (Interaction.REPLIES_TO.value, "reply_to_post_id", "reply"),
    (Interaction.REPOSTS.value, "repost_of_post_id", "repost"),
    (Interaction.QUOTES.value, "quote_of_post_id", "quote"),
)
_THESE_POSTS = "UNWIND $rows AS row MATCH (p:Post {platform: row.platform, post_id: row.post_id}) "
_POSTED, _LABELS, _SAME = Relation.POSTED.value, Relation.LABELS.value, Relation.SAME_PERSON.value
_POINTER_TYPES = "|".join(rel for rel, _prop, _index in POINTERS)
_AUTHORED = f"""UNWIND $rows AS row
    MATCH (w:Work {{work_key: row.work_key}})
    WITH DISTINCT w
    OPTIONAL MATCH (w)<-[old:{Relation.AUTHORED.value}]-() DELETE old
    WITH DISTINCT w
    MATCH (s:Authorship {{work_key: w.work_key}})
    MERGE (a:Author {{author_key: s.author_key}})
    MERGE (a)-[r:{Relation.AUTHORED.value} {{author_rank: s.author_rank}}]->(w)
    SET r.position = s.position RETURN count(*)"""
_CO_AUTHOR = f"""UNWIND $rows AS row
    MATCH (a:Author {{author_key: row.author_key}})
    WITH DISTINCT a
    OPTIONAL MATCH (a)-[old:{Relation.CO_AUTHOR.value}]-() DELETE old
    WITH DISTINCT a
    MATCH (a)-[:{Relation.AUTHORED.value}]->(w:Work)<-[:{Relation.AUTHORED.value}]-(b:Author)
    WHERE b <> a
    WITH a, b, count(DISTINCT w) AS n, min(w.published_on.year) AS first_year,
         max(w.published_on.year) AS last_year
    WITH CASE WHEN a.author_key < b.author_key THEN [a, b] ELSE [b, a] END AS ends, n,
         first_year, last_year
    WITH ends[0] AS x, ends[1] AS y, n, first_year, last_year
    MERGE (x)-[r:{Relation.CO_AUTHOR.value}]->(y)
    SET r.count = n, r.first_year = first_year, r.last_year = last_year RETURN count(*)"""


def _posts_derived(*, first_load: bool) -> str:
    """The browsing relationships of a batch of posts, in one query (each part a unit
    subquery run for every post; seven queries per batch took twice as long, each finding
    the batch's posts again): the posts' old pointers and POSTED go, then POSTED from the
    author, what these posts point at, and the posts written earlier that point at these
    ones. On a ``first_load`` (no post was in the graph before this run) nothing is there to
    delete and every post pointed at is written in the same run, so the pointers from the
    posts' own side are all there is to make: three times faster."""
    old = (
        f"""CALL (p) {{ MATCH (p)-[old:{_POINTER_TYPES}]->() DELETE old }}
           CALL (p) {{ MATCH (p)<-[old:{_POSTED}]-() DELETE old }}
           """
        if not first_load
        else ""
    )
    earlier = (
        ""
        if first_load
        else "".join(
            f"CALL (p) {{ MATCH (q:Post {{platform: p.platform, {prop}: p.post_id}}) "
            f"MERGE (q)-[:{rel}]->(p) }}\n"
            for rel, prop, _index in POINTERS
        )
    )
    return (
        _THESE_POSTS
        + old
        + f"""CALL (p) {{
             MATCH (a:Account {{platform: p.platform, account_id: p.author_id}})
             MERGE (a)-[:{_POSTED}]->(p) }}
           """
        + "".join(
            f"CALL (p) {{ MATCH (q:Post {{platform: p.platform, post_id: p.{prop}}}) "
            f"MERGE (p)-[:{rel}]->(q) }}\n"
            for rel, prop, _index in POINTERS
        )
        + earlier
        + "RETURN count(*)"
    )


# Relationships derived from node properties, for browsing; never read back. Each runs for
# the rows of its table that were written, so an update keeps them current.
DERIVED: dict[str, tuple[str, ...]] = {
    "posts": (_posts_derived(first_load=False),),
    # (A post's author always exists when the post is written, as a stub at least, so POSTED
    # is made from the post's side only.)
    "accounts": (
        f"""UNWIND $rows AS row
           MATCH (a:Account {{platform: row.platform, account_id: row.account_id}})
           MATCH (l:Label {{platform: a.platform, account_id: a.account_id}})
           MERGE (l)-[:{_LABELS}]->(a) RETURN count(*)""",
    ),
    "labels": (
        f"""UNWIND $rows AS row
           MATCH (l:Label {{platform: row.platform, account_id: row.account_id}})
           OPTIONAL MATCH (l)-[old:{_LABELS}|{_SAME}]->() DELETE old
           WITH DISTINCT l
           OPTIONAL MATCH (a:Account {{platform: l.platform, account_id: l.account_id}})
           FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (l)-[:{_LABELS}]->(a))
           WITH l WHERE l.person_id IS NOT NULL
           MERGE (p:Person {{person_id: l.person_id}})
           MERGE (l)-[:{_SAME}]->(p) RETURN count(*)""",
    ),
    # Authors exist through their authorships: a work's AUTHORED relationships are rebuilt
    # from its Authorship nodes whenever the work or one of them is written, and each
    # author's CO_AUTHOR relationships (shared works, first and last year) after that.
    "works": (_AUTHORED,),
    "authorships": (_AUTHORED, _CO_AUTHOR),
}
# Lookups the derived relationships and the version check make.
INDEXES = (
    *(
        f"CREATE INDEX kolmap_post_{index} IF NOT EXISTS FOR (n:Post) ON (n.platform, n.{prop})"
        for _rel, prop, index in POINTERS
    ),
    "CREATE CONSTRAINT kolmap_meta_key IF NOT EXISTS FOR (n:KolmapMeta) REQUIRE n.key IS UNIQUE",
    "CREATE INDEX kolmap_authorship_work IF NOT EXISTS FOR (n:Authorship) ON (n.work_key)",
    # Results kept for other users (graph/neo4j/shared.py): one node per part.
    "CREATE CONSTRAINT kolmap_shared_key IF NOT EXISTS "
    "FOR (n:KolmapShared) REQUIRE (n.key, n.frame, n.part) IS UNIQUE",
)
# The same on a first load into a graph with no posts (see _posts_derived).
FIRST_LOAD_DERIVED = {**DERIVED, "posts": (_posts_derived(first_load=True),)}
KOLMAP_LABELS = (
    *(m.label for m in NODE_MAPS),
    "Hashtag",
    "Person",
    "Author",
    "KolmapMeta",
    "KolmapShared",
)


def derived_columns(table: str) -> tuple[str, ...]:
    """The columns of a ``table`` row that its :data:`DERIVED` queries read (``row.<name>``):
    all that is sent to derive them, rather than the whole row again.

    >>> derived_columns("posts")
    ('platform', 'post_id')
    """
    found = re.findall(r"\brow\.(\w+)", " ".join(DERIVED.get(table, ())))
    return tuple(dict.fromkeys(found))


def check_name(name: str) -> str:
    """A label, type or key about to be spliced into Cypher: only identifiers.

    >>> check_name("Account")
    'Account'
    """
    if not _NAME.match(name):
        raise ValueError(f"not a Cypher identifier: {name!r}")
    return name


def row_map(properties: Mapping[str, str]) -> str:
    """A Cypher map of properties from ``row`` columns: ``{platform: row.platform, …}``."""
    pairs = ", ".join(f"{check_name(p)}: row.{check_name(c)}" for p, c in properties.items())
    return "{" + pairs + "}"


def node_pattern(var: str, m: NodeMap) -> str:
    """``(n:Label {key: row.key, …})``: the node of ``m`` a row names."""
    return f"({var}:{check_name(m.label)} {row_map({k: k for k in m.key})})"


def rel_pattern(m: RelMap) -> tuple[str, str, str]:
    """The start node ``(s …)``, relationship ``[r …]`` and end node ``(e …)`` a row of
    ``m.table`` names."""
    (start_label, start_cols), (end_label, end_cols) = m.start, m.end
    key = f" {row_map({k: k for k in m.key})}" if m.key else ""
    return (
        f"(s:{check_name(start_label)} {row_map(start_cols)})",
        f"[r:{check_name(m.type)}{key}]",
        f"(e:{check_name(end_label)} {row_map(end_cols)})",
    )


def rel_end_columns(m: RelMap) -> list[tuple[str, str, str]]:
    """``(end, node property, row column)`` for the columns of a ``m.table`` row that its
    end nodes hold (``end`` is ``s`` or ``e``; a column both ends share, the platform, once).

    >>> [(end, column) for end, _prop, column in rel_end_columns(REL_MAPS[0])]
    [('s', 'platform'), ('s', 'follower_id'), ('e', 'followed_id')]
    """
    (_start, start_cols), (_end, end_cols) = m.start, m.end
    ends = [("s", p, c) for p, c in start_cols.items()]
    return ends + [("e", p, c) for p, c in end_cols.items() if c not in start_cols.values()]


def rel_key(m: RelMap) -> list[str]:
    """The row columns that identify one relationship of ``m``."""
    return list(dict.fromkeys([*m.start[1].values(), *m.end[1].values(), *m.key]))
