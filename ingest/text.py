"""Pull mentions and hashtags out of post text, and fold text for matching.

Pure functions over strings; no I/O. They apply the rules of :mod:`kolmap.ingest.rules.text`
(the fast route compiles the same rules into SQL).

>>> extract_mentions("Great talk by @DrMartin and @alice.bsky.social! cc me@mail.org")
['DrMartin', 'alice.bsky.social']
>>> extract_hashtags("Back from #ASCO26 #BCSM #1 #ASCO26")
['ASCO26', 'BCSM']
>>> fold("Diabétologue CŒUR")
'diabetologue coeur'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kolmap.ingest.rules.text import (
    LIGATURES,
    MENTION_HANDLE,
    TRUNCATION_MARK,
    hashtag_pattern,
    mention_pattern,
    truncated_tail_pattern,
)

__all__ = [
    "code_point_ranges",
    "extract_hashtags",
    "extract_mentions",
    "fold",
    "longest_first",
    "unescape_tweet_text",
]

# The rules themselves live in kolmap.ingest.rules.text, shared with the fast route.
_MENTION_RE = re.compile(mention_pattern())
_HANDLE_RE = re.compile(MENTION_HANDLE)
_HASHTAG_RE = re.compile(hashtag_pattern())
_TRUNCATED_TAIL_RE = re.compile(truncated_tail_pattern())
_LIGATURES = str.maketrans(dict(LIGATURES))
# Any ligature: folding translates only the texts that hold one (translating is slow).
_LIGATURE_RE = re.compile("|".join(re.escape(source) for source, _ in LIGATURES))


# Twitter's APIs (v1.1 and v2), its archives and the tools built on them (rtweet, Topsy,
# twarc, Zeeschuimer) give tweet text with exactly these three characters HTML-escaped.
_TWEET_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_TWEET_ENTITY_RE = re.compile("|".join(_TWEET_ENTITIES))


def unescape_tweet_text(text: str | None) -> str | None:
    """Tweet text as written: Twitter escapes ``&``, ``<`` and ``>`` in the text it serves
    (not in bios or names), which would otherwise show as ``&amp;`` on every page and export.
    One pass, so an escaped entity (``&amp;lt;``) comes back as the text its author typed.

    >>> unescape_tweet_text("Screen &amp; treat: HbA1c &lt;7% &gt; 50% &amp;lt;")
    'Screen & treat: HbA1c <7% > 50% &lt;'
    """
    if not text or "&" not in text:
        return text
    return _TWEET_ENTITY_RE.sub(lambda m: _TWEET_ENTITIES[m.group(0)], text)


def code_point_ranges(chars: Iterable[str]) -> list[tuple[int, int]]:
    """``chars`` as sorted runs of consecutive code points, for compact character classes.

    >>> code_point_ranges("cabx")
    [(97, 99), (120, 120)]
    """
    ranges: list[list[int]] = []
    for c in sorted({ord(ch) for ch in chars}):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return [(a, b) for a, b in ranges]


def _combining_class(low: int, high: int) -> re.Pattern[str]:
    marks = (chr(c) for c in range(low, high) if unicodedata.combining(chr(c)))
    parts = (
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
        for a, b in code_point_ranges(marks)
    )
    return re.compile("[" + "".join(parts) + "]")


# Every combining mark (accents and the like) below U+20000, where all of them live, as
# character classes: removing them with a regex pass is what made folding fast. Those of the
# Basic Multilingual Plane make one class (a table lookup per character); those above it
# another, looked for only in the rare texts with a character there (a class that holds both
# tries each range above it in turn, for every character of every text).
_COMBINING_RE = _combining_class(0, 0x10000)
_ASTRAL_COMBINING_RE = _combining_class(0x10000, 0x20000)
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def longest_first(phrases: Iterable[str]) -> list[str]:
    """The order in which an alternation tries phrases, so the longest wins where several
    match.

    >>> longest_first(["dr", "dr."])
    ['dr.', 'dr']
    """
    return sorted(phrases, key=len, reverse=True)


def _whole_words(text: str) -> str:
    """``text`` without the hashtag or handle a platform's truncation cut at its end (see
    :func:`~kolmap.ingest.rules.text.truncated_tail_pattern`)."""
    return _TRUNCATED_TAIL_RE.sub("", text) if TRUNCATION_MARK in text else text


def extract_mentions(text: str) -> list[str]:
    """Handles mentioned in ``text``, in order, each once (case of first use kept); a handle
    cut short by the platform ("@jane_r…" ending the text) is nobody's.

    >>> extract_mentions("RT @DrX: thanks @alice and @jane_r\u2026")
    ['DrX', 'alice']
    """
    seen: dict[str, str] = {}
    for match in _MENTION_RE.finditer(_whole_words(text)):
        handle = match.group(1)
        if _HANDLE_RE.fullmatch(handle):
            seen.setdefault(handle.lower(), handle)
    return list(seen.values())


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in ``text`` without '#', in order, each once; all-digit tags are skipped, and
    so is a tag cut short by the platform ("#cel…" ending the text).

    >>> extract_hashtags("Tips for #celiac kids #glutenfree #cel\u2026")
    ['celiac', 'glutenfree']
    """
    seen: dict[str, str] = {}
    for match in _HASHTAG_RE.finditer(_whole_words(text)):
        tag = match.group(1)
        if tag.isdigit():
            continue
        seen.setdefault(fold(tag), tag)
    return list(seen.values())


def fold(text: str) -> str:
    """Lower-case, expand ligatures and strip accents, so that FR and EN spellings compare."""
    if text.isascii():
        return text.lower()
    # Ligatures are expanded last: decomposition can reveal one (Ǽ is Æ and an accent) and
    # lower-casing can make one (ẞ is ß), and folding twice must give what folding once gave.
    stripped = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    if _ASTRAL_RE.search(stripped):
        stripped = _ASTRAL_COMBINING_RE.sub("", stripped)
    lowered = stripped.lower()
    return lowered.translate(_LIGATURES) if _LIGATURE_RE.search(lowered) else lowered
