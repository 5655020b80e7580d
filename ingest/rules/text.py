"""Every text rule the two ingest routes share, as plain values.

:mod:`kolmap.ingest.text` and :mod:`kolmap.ingest.areas` compile these into Python regular
expressions; :mod:`kolmap.ingest.fast.sql` compiles the same values into DuckDB SQL (RE2,
which has no look-behind: there a mention is a match after the start or after a character
that may precede one). Patterns here therefore use only syntax that Python's ``re`` and RE2
read alike, and the "not after" sets are plain punctuation, written as they go inside a
character class.

>>> import re
>>> re.findall(mention_pattern(), "Hi @DrX, @alice.bsky.social. me@mail.org")
['DrX', 'alice.bsky.social']
>>> re.findall(hashtag_pattern(), "#ASCO26 &#39; a#b")
['ASCO26']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = [
    "CONGRESS_YEAR",
    "HASHTAG_AFFIX_MIN_CHARS",
    "HASHTAG_MAX_CHARS",
    "HASHTAG_NOT_AFTER",
    "HASHTAG_PREFIXES",
    "HASHTAG_SUFFIXES",
    "KEYWORD_ENDINGS",
    "LIGATURES",
    "MENTION_HANDLE",
    "MENTION_NOT_AFTER",
    "TRUNCATION_MARK",
    "disease_hashtag_pattern",
    "hashtag_pattern",
    "mention_pattern",
    "optional_ending",
    "truncated_tail_pattern",
]

# Expanded by folding, after accents are stripped and the text lower-cased (so that FR and EN
# spellings compare: "cœur" and "coeur").
LIGATURES: tuple[tuple[str, str], ...] = (
    ("œ", "oe"),
    ("Œ", "oe"),
    ("æ", "ae"),
    ("Æ", "ae"),
    ("ß", "ss"),
    ("’", "'"),
)

# A mention is "@" and a handle, where the "@" follows neither a word character nor one of
# MENTION_NOT_AFTER (so e-mail addresses and URLs are not mentions). Handles may hold dots
# and hyphens (Bluesky) but never end with one, so a sentence's full stop is not part of it.
MENTION_NOT_AFTER = "@/"
MENTION_HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?"

# A hashtag is "#" and a run of word characters (its first HASHTAG_MAX_CHARS), where the "#"
# follows neither a word character nor one of HASHTAG_NOT_AFTER ("&#39;" is an HTML entity).
# All-digit tags ("#1") are not hashtags.
HASHTAG_NOT_AFTER = "#&/"
HASHTAG_MAX_CHARS = 139

# Area keywords and specialties match whole words, with an optional plural ending.
KEYWORD_ENDINGS = ("s", "x")

# A congress hashtag is the congress name with an optional year: #ASCO, #ASCO26, #ASCO2026.
CONGRESS_YEAR = r"(?:19|20)?\d\d"

# A disease hashtag is a taxonomy hashtag or keyword written as one word (#BreastCancer for
# "breast cancer"), with an optional plural ending, and around it at most one of the words
# campaigns and communities put before (#WorldCancerDay, #StopTB) or after it
# (#CeliacAwareness, #CancerSurvivors, #LupusChat, #bcsm: "social media"). An area's
# ``hashtag_heads`` (#PancreaticCancer, #Type1Diabetes) may follow any qualifier.
HASHTAG_PREFIXES = (
    "world", "national", "global", "stop", "end", "fight", "beat", "cure", "kick", "defeat",
    "team", "beyond", "living", "life", "my", "our", "no", "anti", "know", "talk", "ask",
    "journee", "mois", "contre", "vaincre",
)  # fmt: skip
HASHTAG_SUFFIXES = (
    "awareness", "aware", "month", "day", "days", "week", "chat", "sm", "hour", "survivor",
    "survivors", "warrior", "warriors", "research", "support", "care", "free", "talk", "talks",
    "news", "prevention", "treatment", "cure", "facts", "community", "patient", "patients",
    "mom", "mum", "moms", "mums", "dad", "kids", "life", "family", "sucks", "stinks", "uk",
    "us", "fr", "tips", "info", "mondiale", "journee", "mois",
)  # fmt: skip


def mention_pattern() -> str:
    """The Python regular expression of a mention candidate; group 1 is the handle with the
    word characters that run on after it. A candidate is a mention only if it is a whole
    handle (:data:`MENTION_HANDLE`): "@DRMARTİN" (a dotted capital I) or a handle longer than
    100 characters is nobody's mention, rather than the mention of "DRMART" or of the first
    100 characters.

    >>> import re
    >>> [h for h in re.findall(mention_pattern(), "@DRMARTİN and @DrMartin")
    ...  if re.fullmatch(MENTION_HANDLE, h)]
    ['DrMartin']
    """
    return rf"(?<![\w{MENTION_NOT_AFTER}])@({MENTION_HANDLE}\w*)"


# Text a platform cut short (the classic API's retweets of long tweets, Topsy's exports) ends
# with TRUNCATION_MARK, often inside a hashtag or a handle, and sometimes a link to the whole
# post after it: "#celi…" is no hashtag and "@jane_r…" nobody's handle, so the word the mark
# cuts is read as neither (a real #Celiac file held 237 such fragments: "c", "ce", "cel"...).
TRUNCATION_MARK = "\u2026"


def truncated_tail_pattern(word: str = r"\w") -> str:
    r"""The regular expression of a hashtag or handle cut by :data:`TRUNCATION_MARK` at the end
    of a text (with the link after it, if any); ``word`` is the word class (Python's ``\w``;
    the SQL route passes its own). Whitespace is written out, as Python and RE2 differ on
    ``\s``.

    >>> import re
    >>> re.sub(truncated_tail_pattern(), "", "RT @a: gluten free #celiac #gf #cel\u2026")
    'RT @a: gluten free #celiac #gf '
    >>> re.sub(truncated_tail_pattern(), "", "see @jane_r\u2026 https://t.co/x1")
    'see '
    """
    return rf"[#@][{word}.-]*{TRUNCATION_MARK}(?:[ \t]+https?://[^ \t\r\n]+)?[ \t\r\n]*$"


def hashtag_pattern() -> str:
    """The Python regular expression of a hashtag; group 1 is the tag without ``#``."""
    return rf"(?<![\w{HASHTAG_NOT_AFTER}])#(\w{{1,{HASHTAG_MAX_CHARS}}})"


# Shorter one-word forms (#HIV, #T1D, #SEP) are abbreviations that other words also take
# ("#docs", "#sept"): they match only as they are.
HASHTAG_AFFIX_MIN_CHARS = 4


def disease_hashtag_pattern(
    stems: Iterable[str],
    heads: Iterable[str],
    escape: Callable[[str], str],
    *,
    spaced: bool = False,
    short: bool = True,
) -> str | None:
    """One anchored pattern for a folded hashtag (no ``#``) naming a disease: its groups 1,
    2 or 3 hold the one-word stem or head it names (see HASHTAG_PREFIXES), the longest
    where several could. ``escape`` is the
    dialect's escaping (Python's or RE2's); both read the pattern alike. ``spaced``: the
    pattern finds each hashtag of a string that holds them with a space before and after
    each (RE2 then compiles it once for a whole column, where anchored it compiles it again
    for each block of rows inside a list function, which costs seconds at a million posts).
    Without ``short``, the short stems (matched only as they are: a plain lookup does that)
    are left out and the pattern's groups are 1 (stems) and 2 (heads).

    >>> import re
    >>> stems = ["cancer", "bloodcancer", "hiv"]
    >>> p = re.compile(disease_hashtag_pattern(stems, ["cancer"], re.escape))
    >>> [m and "".join(filter(None, m.groups())) for m in map(p.match, ["worldcancerday",
    ...     "pancreaticcancer", "cancersurvivors", "endbloodcancer", "hiv", "hivs", "can"])]
    ['cancer', 'cancer', 'cancer', 'bloodcancer', 'hiv', None, None]
    """
    stems, heads = sorted(set(stems)), sorted(set(heads))
    if not stems and not heads:
        return None
    # After a qualifier, the longest stem that ends with a head: #DeleteBloodCancer names
    # "bloodcancer" (hematology), not only "cancer".
    heads += [s for s in stems if s not in heads and s.endswith(tuple(heads))]

    def alternation(words: Iterable[str]) -> str:
        # Longest first: the first alternative that matches is the longest stem.
        return "|".join(escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "$^"

    ending, prefix = optional_ending(), alternation(HASHTAG_PREFIXES)
    suffix = "(?:_?(?:" + alternation(HASHTAG_SUFFIXES) + "))?"
    longer = [s for s in stems if len(s) >= HASHTAG_AFFIX_MIN_CHARS]
    shorter = [s for s in stems if len(s) < HASHTAG_AFFIX_MIN_CHARS]
    start, end, char = (" ", " ", "[^ ]") if spaced else ("^", "$", ".")
    exact = f"|({alternation(shorter)})" if short else ""
    return (
        f"{start}(?:(?:(?:{prefix})_?)?({alternation(longer)}){ending}{suffix}{exact}"
        f"|{char}+?({alternation(heads)}){ending}{suffix}){end}"
    )


def optional_ending() -> str:
    """The optional plural ending of a keyword, for either regular expression dialect.

    >>> optional_ending()
    '(?:s|x)?'
    """
    return "(?:" + "|".join(KEYWORD_ENDINGS) + ")?"
