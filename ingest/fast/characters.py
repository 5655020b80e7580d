"""The characters the fast route handles: those on which DuckDB and Python agree.

A row is finished in SQL only when its text is made of these characters; any other row goes
to the row-by-row parser. Which characters qualify is not assumed but asked of DuckDB once
per process, character by character (see :func:`safe_characters`), so a DuckDB upgrade that
folds or lower-cases a character differently only sends more rows to Python.

>>> safe = safe_characters()
>>> "a" in safe.chars, " " in safe.whitespace
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import duckdb

from kolmap.ingest.fast.sql import WORD, sql_fold
from kolmap.ingest.text import fold
from kolmap.sqltext import quiet

__all__ = ["SafeCharacters", "safe_characters", "starts_and_ends_a_word"]

# Characters considered for the SQL route: printable ASCII and tab, Latin letters with their
# accents, general punctuation, currency, letterlike symbols, arrows, dingbats, emoji.
_CANDIDATE_RANGES = (
    (0x09, 0x09),
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20C0),
    (0x2100, 0x214F),
    (0x2190, 0x2BFF),
    (0xFE0F, 0xFE0F),
    (0x1F000, 0x1FAFF),
)
# What Python's regular expressions call a word character and a digit (the rules' \w, \d).
_PY_WORD = re.compile(r"\w")
_PY_DIGIT = re.compile(r"\d")


def starts_and_ends_a_word(phrase: str) -> bool:
    """Whether ``phrase`` is ASCII, begins and ends with a word character and holds no "_":
    then RE2's ASCII ``\\b`` around it stands exactly for Python's look-arounds.

    >>> starts_and_ends_a_word("covid-19"), starts_and_ends_a_word("c++")
    (True, False)
    """
    return (
        phrase.isascii()
        and bool(_PY_WORD.match(phrase[0]))
        and bool(_PY_WORD.match(phrase[-1]))
        and "_" not in phrase
    )


@dataclass(frozen=True)
class SafeCharacters:
    """The characters the SQL route handles, and the classes built from them."""

    chars: str
    whitespace: str  # what Python's str.strip() removes among them
    folded_word: str  # non-ASCII word characters that folding can produce


@cache
def safe_characters() -> SafeCharacters:
    """Candidate characters on which DuckDB and Python agree for everything the SQL route
    does with text: folding (ligatures, accents, case), lower-casing, word characters for
    hashtag, mention and keyword boundaries, and digits. Decided once per process, by asking DuckDB.

    >>> chars = safe_characters().chars
    >>> "é" in chars, "#" in chars, "\\u0301" in chars
    (True, True, False)
    """
    candidates = [chr(c) for a, b in _CANDIDATE_RANGES for c in range(a, b + 1)]
    folded = {c: fold(c) for c in candidates}
    probe = sorted(set(candidates) | {ch for f in folded.values() for ch in f})
    con = quiet(duckdb.connect())
    try:
        rows = con.execute(
            f"""SELECT c, {sql_fold("c")}, regexp_full_match(c, '[{WORD}]'), lower(c)
                FROM unnest(?::VARCHAR[]) AS t(c)""",
            [probe],
        ).fetchall()
    finally:
        con.close()
    sql = {c: (fold_, word, lower) for c, fold_, word, lower in rows}

    def agrees(c: str) -> bool:
        _fold, word, lower = sql[c]
        return (
            bool(_PY_WORD.match(c)) == word
            and (c.isdigit() or bool(_PY_DIGIT.match(c))) == (c in "0123456789")
            and unicodedata.combining(c) == 0
            and lower == c.lower()  # platforms and mentions: lower-cased, not folded
        )

    safe = [
        c
        for c in candidates
        if agrees(c) and sql[c][0] == folded[c] and all(agrees(ch) for ch in folded[c])
    ]
    word_out = sorted(
        {ch for c in safe for ch in folded[c] if not ch.isascii() and _PY_WORD.match(ch)}
    )
    whitespace = {c for c in safe if c.isspace()}
    return SafeCharacters(
        chars="".join(safe),
        whitespace="".join(sorted(whitespace)),
        folded_word="".join(word_out),
    )
