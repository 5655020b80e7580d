"""The taxonomy compiled into DuckDB SQL: keywords, specialties, disease and congress
hashtags, found as :class:`~kolmap.ingest.areas.Taxonomy` finds them in Python.

Both are built from the same taxonomy and the same rules (the plural endings and the
congress year of :mod:`kolmap.ingest.rules.text`). RE2's ``\\b`` is ASCII: it stands for
Python's look-arounds only around phrases that are ASCII and begin and end with a word
character, so a taxonomy with other phrases keeps the files it would tag on the row-by-row
route (:meth:`AreaSQL.supports`).

>>> longest_phrase_of(["nurse", "nurses", "nurs"], ("", "s", "es"))["nurses"]
'nurses'
>>> longest_phrase_of(["nurse", "nurs"], ("", "s", "es"))["nurses"]
'nurse'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.fast.characters import SafeCharacters, starts_and_ends_a_word
from kolmap.ingest.fast.query import Query
from kolmap.ingest.fast.sql import char_class, re2_escape
from kolmap.ingest.rules.text import (
    CONGRESS_YEAR,
    HASHTAG_AFFIX_MIN_CHARS,
    KEYWORD_ENDINGS,
    disease_hashtag_pattern,
    optional_ending,
)
from kolmap.ingest.text import longest_first

__all__ = ["AreaSQL", "longest_phrase_of"]


class AreaSQL:
    """SQL for the areas one taxonomy gives a text, within one :class:`Query`."""

    def __init__(self, taxonomy: Taxonomy, safe: SafeCharacters) -> None:
        self.taxonomy = taxonomy
        self.safe = safe

    def supports(self, kind: str) -> bool:
        """Whether every phrase the SQL would look for in a ``kind`` file's text can be
        matched exactly in RE2: the keywords for posts and accounts, and the specialties for
        accounts (see :func:`~kolmap.ingest.fast.characters.starts_and_ends_a_word`)."""
        words = list(self.taxonomy.keyword_areas()) if kind != "follows" else []
        if kind == "accounts":
            words += self.taxonomy.specialty_areas()
        return all(starts_and_ends_a_word(k) for k in words)

    def specialty(self, query: Query, folded: str) -> str:
        """SQL for the first specialty named in ``folded`` text, or '' (as ``specialty_of``)."""
        names = list(self.taxonomy.specialty_areas())
        if not names:
            return "''"
        body = "|".join(re2_escape(k) for k in longest_first(names))
        pattern = query.param(r"\b(" + body + ")" + optional_ending() + r"\b")
        return f"regexp_extract({folded}, {pattern}, 1)"

    def specialty_area(self, query: Query, specialty: str) -> str:
        """SQL for the area of ``specialty`` (a column :meth:`specialty` gave)."""
        return query.lookup(specialty, self.taxonomy.specialty_areas())

    def keyword_matches(self, query: Query, folded: str) -> str:
        """SQL for the taxonomy keywords found in ``folded`` text, as ``tag_text`` finds
        them (whole words, longest first, an optional plural ending), each as the text it
        matched: :meth:`areas` knows the keyword behind each possible match (see
        :func:`longest_phrase_of`), and RE2 finds whole matches three times faster than
        it captures a group.

        RE2's \\b stands for Python's look-arounds because every keyword begins and ends
        with a word character (see :meth:`supports`); non-ASCII word characters of the
        folded text become "_" (never in a keyword), so that RE2's ASCII \\b sees the same
        boundaries as Python's Unicode ones."""
        keywords = longest_first(list(self.taxonomy.keyword_areas()))
        if not keywords:
            return "[]::VARCHAR[]"
        body = "|".join(re2_escape(k) for k in keywords)
        if self.safe.folded_word:
            cls = query.param(f"[{char_class(self.safe.folded_word)}]")
            folded = f"regexp_replace({folded}, {cls}, '_', 'g')"
        pattern = query.param(r"\b(?:" + body + ")" + optional_ending() + r"\b")
        return f"regexp_extract_all({folded}, {pattern})"

    def congress_names(self, query: Query, hashtags: str) -> str:
        """SQL for the congress name (or '') each of ``hashtags`` names, with or without
        a year (as the taxonomy's congress pattern)."""
        names = longest_first(self.taxonomy.congress_areas())
        if not names:
            return "[]::VARCHAR[]"
        pattern = "^(" + "|".join(re2_escape(n) for n in names) + f")({CONGRESS_YEAR})?$"
        return f"list_transform({hashtags}, lambda t: regexp_extract(t, {query.param(pattern)}, 1))"

    def hashtag_stems(self, query: Query, hashtags: str) -> str:
        """SQL for the one-word stems that ``hashtags`` name, as
        :meth:`~kolmap.ingest.areas.Taxonomy.hashtag_stem`: the short stems, which match
        only as they are, by lookup; the others by the same pattern in RE2, run over the
        hashtags joined with spaces (see ``spaced`` in
        :func:`~kolmap.ingest.rules.text.disease_hashtag_pattern`) and only for posts that
        have hashtags."""
        tax = self.taxonomy
        stems = tax.hashtag_stem_areas()
        pattern = disease_hashtag_pattern(
            stems, tax.hashtag_heads, re2_escape, spaced=True, short=False
        )
        if pattern is None:
            return "[]::VARCHAR[]"
        p = query.param(pattern)
        short = query.param(sorted(s for s in stems if len(s) < HASHTAG_AFFIX_MIN_CHARS))
        joined = f"(' ' || array_to_string({hashtags}, '  ') || ' ')"
        found = ", ".join(f"regexp_extract_all({joined}, {p}, {g})" for g in (1, 2))
        return (
            f"CASE WHEN len({hashtags}) = 0 THEN []::VARCHAR[] ELSE list_concat("
            f"list_filter({hashtags}, lambda t: list_contains({short}::VARCHAR[], t)), "
            f"list_filter(list_concat({found}), lambda s: s <> '')) END"
        )

    def areas(self, query: Query, words: str, stems: str, congress_names: str) -> str:
        """SQL for the sorted area ids of a text: its keywords, disease hashtags (their
        stems, from :meth:`hashtag_stems`) and congress hashtags (as ``tag_text`` and
        ``tag_hashtags``)."""
        tax = self.taxonomy
        keyword_of = longest_phrase_of(tax.keyword_areas(), ("", *KEYWORD_ENDINGS))
        keywords = {match: tax.keyword_areas()[k] for match, k in keyword_of.items()}
        found = [
            _lookup(query, listed, mapping)
            for listed, mapping in (
                (words, keywords),
                (stems, tax.hashtag_stem_areas()),
                (congress_names, tax.congress_areas()),
            )
            if mapping
        ]
        if not found:
            return "[]::VARCHAR[]"
        return f"list_sort(list_distinct(list_concat({', '.join(found)})))"


def longest_phrase_of(phrases: Iterable[str], endings: Sequence[str]) -> dict[str, str]:
    """Each text a phrase with one of its ``endings`` can match, and the phrase that gives
    it: the longest that can, which is the one a longest-first alternation tried first."""
    phrase_of: dict[str, str] = {}
    for phrase in phrases:
        for ending in endings:
            if len(phrase) > len(phrase_of.get(phrase + ending, "")):
                phrase_of[phrase + ending] = phrase
    return phrase_of


def _lookup(query: Query, listed: str, mapping: Mapping[str, set[str]]) -> str:
    """SQL for the areas that the strings of list ``listed`` point to in ``mapping``. The
    lookup scans the mapping's keys, so the empty strings (a hashtag that names nothing) are
    left out first."""
    areas = query.lookup("w", {k: sorted(v) for k, v in mapping.items()}, "VARCHAR[]")
    return (
        f"flatten(list_filter(list_transform(list_filter({listed}, lambda w: w <> ''), "
        f"lambda w: {areas}), lambda a: a IS NOT NULL))"
    )
