"""The text rules of :mod:`kolmap.ingest.rules.text`, compiled into DuckDB SQL.

Each function returns an SQL expression doing what :mod:`kolmap.ingest.text` does in Python,
built from the same rule values (the ligature table, the mention and hashtag patterns), so
the two routes cannot drift apart. DuckDB's regular expressions are RE2's: no look-behind,
so a mention or hashtag is matched after the start of the text or after a character that may
precede it, and captured; and ``\\w`` is ASCII, so Python's ``\\w`` is written :data:`WORD`
(the two agree on the characters the fast route handles, see
:func:`~kolmap.ingest.fast.characters.safe_characters`).

>>> sql_fold("t")[:60]
'lower(strip_accents(replace(replace(replace(replace(replace('
"""

from __future__ import annotations

from collections.abc import Sequence

from kolmap.ingest.rules.text import (
    HASHTAG_MAX_CHARS,
    HASHTAG_NOT_AFTER,
    LIGATURES,
    MENTION_HANDLE,
    MENTION_NOT_AFTER,
    truncated_tail_pattern,
)
from kolmap.ingest.text import code_point_ranges
from kolmap.sqltext import sql_string

__all__ = [
    "WORD",
    "char_class",
    "folded_hashtags",
    "mentions",
    "raw_hashtags",
    "re2_escape",
    "sql_fold",
    "whole_words",
]

WORD = r"\p{L}\p{N}_"  # Python's \w on the safe characters (checked in safe_characters)


def char_class(chars: Sequence[str]) -> str:
    """An RE2 character class body listing ``chars`` as code-point ranges.

    >>> char_class("abcx")
    '\\\\x{61}-\\\\x{63}\\\\x{78}'
    """
    return "".join(
        f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in code_point_ranges(chars)
    )


def re2_escape(text: str) -> str:
    """``text`` as a literal in an RE2 pattern (ASCII punctuation escaped).

    >>> re2_escape("covid-19")
    'covid\\\\-19'
    """
    return "".join("\\" + c if not c.isalnum() and c != " " and c.isascii() else c for c in text)


def sql_fold(expr: str) -> str:
    """SQL for :func:`kolmap.ingest.text.fold` of ``expr`` (exact on safe characters):
    strip accents, lower-case, then expand the ligatures of
    :data:`~kolmap.ingest.rules.text.LIGATURES` (none of which is changed by the first two)."""
    for old, new in LIGATURES:
        expr = f"replace({expr}, {sql_string(old)}, {sql_string(new)})"
    return f"lower(strip_accents({expr}))"


def mentions(text: str) -> str:
    """SQL for the handles mentioned in ``text``, in order, repeats included (as
    :func:`~kolmap.ingest.text.extract_mentions` finds them before keeping each once)."""
    pattern = f"(?:^|[^{WORD}{MENTION_NOT_AFTER}])@({MENTION_HANDLE}[{WORD}]*)"
    return (
        f"list_filter(regexp_extract_all({whole_words(text)}, {sql_string(pattern)}, 1), "
        f"lambda h: regexp_full_match(h, {sql_string(MENTION_HANDLE)}))"
    )


def raw_hashtags(text: str) -> str:
    """SQL for the hashtags of ``text`` as :func:`~kolmap.ingest.text.extract_hashtags` finds
    them, each run of word characters whole (see :func:`folded_hashtags`)."""
    pattern = f"(?:^|[^{WORD}{HASHTAG_NOT_AFTER}])#([{WORD}]+)"
    return f"regexp_extract_all({whole_words(text)}, {sql_string(pattern)}, 1)"


def whole_words(text: str) -> str:
    """SQL for ``text`` without the hashtag or handle a platform's truncation cut at its end,
    as :func:`kolmap.ingest.text.extract_hashtags` and ``extract_mentions`` read it."""
    return f"regexp_replace({text}, {sql_string(truncated_tail_pattern(WORD))}, '')"


def folded_hashtags(raw: str) -> str:
    """SQL for the hashtags ``raw`` (from :func:`raw_hashtags`) folded, all-digit tags left
    out. Python's pattern takes the first ``HASHTAG_MAX_CHARS`` word characters of a longer
    run; RE2 is far slower with a bounded repeat of a Unicode class, so the run is taken whole
    and cut here."""
    return (
        f"list_transform(list_filter(list_transform({raw}, "
        f"lambda t: left(t, {HASHTAG_MAX_CHARS})), "
        f"lambda t: NOT regexp_full_match(t, '[0-9]+')), lambda t: {sql_fold('t')})"
    )
