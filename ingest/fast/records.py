"""The SQL that turns one canonical file's columns into records, as
:mod:`kolmap.ingest.formats.canonical` parses them and :mod:`kolmap.ingest.enrich` enriches
them: :func:`posts`, :func:`follows`, :func:`accounts`.

Each adds to a :class:`~kolmap.ingest.fast.query.Query` the record columns and the checks
under which SQL decides a row exactly like Python; a row failing a check goes to the
row-by-row parser. Derived lists used several times (a post's hashtags) are computed once,
in stages. Accounts get their bio's areas here; roles are inferred after the merge, from
the merged profiles, by :mod:`kolmap.ingest.roles` (whatever route read them).

>>> from kolmap.ingest.fast.characters import safe_characters
>>> query = Query(safe_characters(), ["platform", "follower_id", "followed_id"])
>>> follows(query)
>>> sorted(query.out)
['followed_id', 'follower_id', 'platform']
"""

from __future__ import annotations

from kolmap.handles import MAX_HANDLE_CHARS, plain_handle_char
from kolmap.ingest.fast.areas import AreaSQL
from kolmap.ingest.fast.query import Query
from kolmap.ingest.fast.sql import char_class, folded_hashtags, mentions, raw_hashtags, sql_fold
from kolmap.ingest.formats.canonical import BOOL_FALSE, BOOL_TRUE

__all__ = ["accounts", "follows", "posts"]

# What ``datetime.fromisoformat`` reads among the times DuckDB casts alike.
_ISO_TIME = (
    r"\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3}|\.\d{6})?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
)


def follows(query: Query) -> None:
    """Follows as :func:`~kolmap.ingest.formats.canonical.parse_follow` makes them."""
    query.platform()
    query.id("follower_id", required=True)
    query.id("followed_id", required=True)
    query.checks.append(f"{query.out['follower_id']} <> {query.out['followed_id']}")


def posts(query: Query, areas: AreaSQL) -> None:
    """Posts as :func:`~kolmap.ingest.formats.canonical.parse_post` and ``enrich`` make
    them."""
    query.platform()
    query.id("post_id", required=True)
    query.id("author_id", required=True)
    _created_at(query, "created_at")
    query.out["text"] = query.get("text")
    for ref in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
        query.id(ref, required=False)
        query.checks.append(f"{query.out[ref]} IS DISTINCT FROM {query.out['post_id']}")
    _counts(query, ("likes", "reposts", "replies"))
    query.out["lang"] = query.get("lang")
    _post_tags(query, areas)
    query.out["reference"] = "NULL::BOOLEAN"


def _post_tags(query: Query, areas: AreaSQL) -> None:
    """A post's mentions, hashtags and areas, as ``enrich`` finds them."""
    text = f"COALESCE({query.get('text')}, '')"
    # Stage 1: the raw matches and the folded text.
    query.let("b_mentions", mentions(text))
    query.let("b_tags", raw_hashtags(text))
    query.let("b_folded", sql_fold(text))
    # Stage 2: folded tags, keyword matches, lower-cased mentions.
    query.then()
    query.let("b_tags_f", folded_hashtags("b_tags"))
    query.let("b_mentions_lc", "list_transform(b_mentions, lambda y: lower(y))")
    query.let("b_words", areas.keyword_matches(query, "b_folded"))
    # Stage 3: each once, in order of first use.
    query.then()
    query.let("b_hashtags", "list_filter(b_tags_f, lambda t, i: list_position(b_tags_f, t) = i)")
    query.let(
        "b_mentions_u",
        "list_filter(b_mentions, lambda x, i: list_position(b_mentions_lc, lower(x)) = i)",
    )
    # Stage 4: congress names and disease stems of the hashtags.
    query.then()
    query.let("b_congress", areas.congress_names(query, "b_hashtags"))
    query.let("b_stems", areas.hashtag_stems(query, "b_hashtags"))
    # A repost's text repeats the original's; its mentions are the original author's.
    query.out["mentions"] = (
        f"CASE WHEN {query.out['repost_of_post_id']} IS NOT NULL THEN []::VARCHAR[] "
        "ELSE b_mentions_u END"
    )
    query.out["hashtags"] = "b_hashtags"
    query.out["areas"] = areas.areas(query, "b_words", "b_stems", "b_congress")


def accounts(query: Query, areas: AreaSQL) -> None:
    """Accounts as :func:`~kolmap.ingest.formats.canonical.parse_account` and ``enrich``
    make them (see :func:`_bio_areas`)."""
    query.platform()
    query.id("account_id", required=True)
    handle = query.get("handle")
    bare = f"CASE WHEN starts_with({handle}, '@') THEN substr({handle}, 2) ELSE {handle} END"
    # Only handles :func:`~kolmap.handles.normalise_handle` leaves as they are finish here
    # (Latin letters, digits, "_.-"); any other goes to the row-by-row parser.
    handle_chars = [c for c in query.safe.chars if plain_handle_char(c)]
    query.checks.append(
        f"({handle} IS NULL OR regexp_full_match({bare}, "
        f"{query.param(f'[{char_class(handle_chars)}]{{1,{MAX_HANDLE_CHARS}}}')}))"
    )
    query.out["handle"] = bare
    query.out["handle_raw"] = "NULL::VARCHAR"
    for column in ("display_name", "bio"):
        query.out[column] = query.get(column)
    _counts(query, ("followers", "following"))
    for column in ("location", "lang", "url", "avatar_url"):
        query.out[column] = query.get(column)
    verified = f"lower({query.get('verified')})"
    known = query.param(sorted(BOOL_TRUE | BOOL_FALSE))
    query.checks.append(f"({verified} IS NULL OR list_contains({known}::VARCHAR[], {verified}))")
    query.out["verified"] = (
        f"CASE WHEN {verified} IS NULL THEN NULL::BOOLEAN "
        f"ELSE list_contains({query.param(sorted(BOOL_TRUE))}::VARCHAR[], {verified}) END"
    )
    _created_at(query, "created_at")
    _bio_areas(query, areas)


def _bio_areas(query: Query, areas: AreaSQL) -> None:
    """The bio's areas as ``enrich`` finds them: keywords, disease and congress hashtags,
    and the area of a named specialty.

    A row is finished here only when its folded bio holds no word character outside
    ASCII, where RE2's ASCII ``\\b`` and ``\\w`` are Python's."""
    bio = query.get("bio")
    # Stage 1: the folded bio and its hashtags.
    query.let("a_bio_f", sql_fold(f"COALESCE({bio}, '')"))
    query.let("a_tags", raw_hashtags(f"COALESCE({bio}, '')"))
    query.then()
    query.let("a_tags_f", folded_hashtags("a_tags"))
    query.let("a_words", areas.keyword_matches(query, "a_bio_f"))
    query.let("a_spec", areas.specialty(query, "a_bio_f"))
    query.then()
    if query.safe.folded_word:
        cls = query.param(f"[{char_class(query.safe.folded_word)}]")
        query.checks.append(f"NOT regexp_matches(a_bio_f, {cls})")
    query.let("a_congress", areas.congress_names(query, "a_tags_f"))
    query.let("a_stems", areas.hashtag_stems(query, "a_tags_f"))
    query.then()
    spec_area = areas.specialty_area(query, "a_spec")
    found = areas.areas(query, "a_words", "a_stems", "a_congress")
    # Nothing is derived for an account with neither bio nor name.
    none = f"{bio} IS NULL AND {query.get('display_name')} IS NULL"
    query.out["bio_areas"] = (
        f"CASE WHEN {none} THEN NULL ELSE list_sort(list_distinct(list_concat({found}, "
        f"CASE WHEN a_spec <> '' THEN [{spec_area}] ELSE []::VARCHAR[] END))) END"
    )
    query.out["reference"] = "NULL::BOOLEAN"


def _counts(query: Query, columns: tuple[str, ...]) -> None:
    """Count columns written as plain digits (any other form goes to Python)."""
    for count in columns:
        value = query.get(count)
        query.checks.append(f"({value} IS NULL OR regexp_full_match({value}, '[0-9]{{1,18}}'))")
        query.out[count] = f"TRY_CAST({value} AS BIGINT)"


def _created_at(query: Query, column: str) -> None:
    """An ISO-8601 time column, as ``parse_post``/``parse_account`` read it."""
    created = query.get(column)
    query.checks.append(
        f"({created} IS NULL OR (regexp_full_match({created}, '{_ISO_TIME}') "
        f"AND TRY_CAST({created} AS TIMESTAMPTZ) IS NOT NULL))"
    )
    query.out[column] = f"TRY_CAST({created} AS TIMESTAMPTZ)"
