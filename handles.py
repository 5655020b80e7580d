"""Handles as platforms compare them: one spelling per account, the raw form kept beside it.

A handle read from an export may carry what a person cannot see: fullwidth letters
(``ｄｒｍａｒｔｉｎ``), zero-width spaces, bidi controls (an RTL override turns ``drmar\\u202etin``
into what looks like another name), or a letter of another script that looks Latin (the
Cyrillic ``а`` in ``drmаrtin``). Left as they are, each is a separate account that displays
exactly like the real one. :func:`normalise_handle` is the one rule both ingest routes apply:

1. strip whitespace and a leading ``@``;
2. Unicode NFKC (fullwidth and other compatibility forms become their plain letters);
3. drop invisible format characters (Unicode category ``Cf``: zero-width spaces and joiners,
   bidi marks, embeddings, overrides and isolates, the word joiner, the BOM, soft hyphens);
4. refuse what no platform allows in a handle: whitespace, ``@``, any character that is not a
   letter, a combining mark, a digit, ``_``, ``.``, ``-`` or ``·`` (so ``drmartin/../x`` and
   ``<script>`` are not handles), more than :data:`MAX_HANDLE_CHARS` characters;
5. refuse a handle that mixes Latin, Cyrillic and Greek letters: no platform user picks such a
   handle except to look like someone else.

Comparisons use the lower-cased handle (platforms treat handles case-insensitively); the
store keeps the handle as displayed and, when the rule changed it, the raw form
(``handle_raw``) for provenance.

>>> normalise_handle("@ＤｒＭａｒｔｉｎ")
'DrMartin'
>>> normalise_handle("drmartin\\u200b")
'drmartin'
>>> normalise_handle("drm\\u0430rtin")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: invalid handle 'drmаrtin': it mixes Latin and Cyrillic letters ...
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "HANDLE_PUNCTUATION",
    "MAX_HANDLE_CHARS",
    "handle_char_allowed",
    "normalise_handle",
    "plain_handle_char",
]

MAX_HANDLE_CHARS = 100
"""The longest handle kept (both routes of ingest check it)."""

HANDLE_PUNCTUATION = "_.-·"
"""The only characters besides letters, marks and digits that a handle may hold."""

# Scripts whose letters look alike: a handle may use one of them, not several.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def handle_char_allowed(char: str) -> bool:
    """Whether ``char`` may stand in a normalised handle (rule 4, one character).

    >>> handle_char_allowed("é"), handle_char_allowed("/"), handle_char_allowed("_")
    (True, False, True)
    """
    if char in HANDLE_PUNCTUATION:
        return True
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


def plain_handle_char(char: str) -> bool:
    """Whether :func:`normalise_handle` keeps ``char`` as it is in any handle: an ASCII
    letter or digit, ``_.-``, or a Latin letter already in NFKC form. The fast ingest route
    finishes in SQL only handles made of these.

    >>> plain_handle_char("é"), plain_handle_char("ｄ"), plain_handle_char("а")
    (True, False, False)
    """
    return (
        handle_char_allowed(char)
        and unicodedata.normalize("NFKC", char) == char
        and (char.isascii() or _script(char) == "LATIN")
    )


def _script(char: str) -> str | None:
    """The confusable script of a letter (``LATIN``, ``CYRILLIC``, ``GREEK``), else None."""
    if not unicodedata.category(char).startswith("L"):
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    return first if first in _CONFUSABLE_SCRIPTS else None


def normalise_handle(value: str) -> str:
    """The handle of ``value`` under the module's rule; :class:`ValueError` names the
    problem when ``value`` cannot be a handle.

    >>> normalise_handle(" @DrMartin ")
    'DrMartin'
    """
    text = value.strip()
    if text.startswith("@"):
        text = text[1:]
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    if not text:
        raise ValueError(f"invalid handle {value!r}: it is empty")
    if len(text) > MAX_HANDLE_CHARS:
        raise ValueError(
            f"invalid handle {value[:40]!r}...: {len(text)} characters (limit {MAX_HANDLE_CHARS})"
        )
    for char in text:
        if not handle_char_allowed(char):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            raise ValueError(f"invalid handle {value!r}: {char!r} ({name}) is not allowed")
    scripts: dict[str, str] = {}
    for char in text:
        script = _script(char)
        if script is not None:
            scripts.setdefault(script, char)
    if len(scripts) > 1:
        names = sorted(scripts, key=lambda s: _CONFUSABLE_SCRIPTS.index(s))
        odd = scripts[names[-1]]
        raise ValueError(
            f"invalid handle {value!r}: it mixes {' and '.join(n.title() for n in names)} "
            f"letters ({odd!r} is {unicodedata.name(odd)}), the way a look-alike of another "
            "handle does"
        )
    return text
