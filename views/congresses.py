"""Which of a store's hashtags look like a congress's: the Congress page's first choice.

A hashtag is a congress candidate when the taxonomy knows the congress (``#ASCO26``,
``#ESMO``), or when it has the shape of one, a short name and a year (``#SER2019``,
``#AMCA19``), unless the taxonomy reads it as a disease or topic hashtag (``#COVID19``). The
page proposes the two busiest candidates; on a real epidemiology-conference file the
taxonomy's own list found only ``#ASCO19`` and ``#AIDS`` (a post each) and missed the
conference's ``#SER2019`` (4,717 posts). It proposes the busiest candidate and the others
of the same year: a store of an ISMB/ECCB 2017 file and an AMCA 2019 file pre-filled both,
two events two years apart read as one.

A congress's hashtag is an acronym, and people write it so: ``#SER2018`` 74 times and
``#ser2018`` 22 in the real SER 2018 file. A hashtag of that shape that nobody writes in
capitals is a word and a year: a real 2014 #Celiac file, which holds no congress, proposed
``#zombiewalk2014`` (always written in lower case). Given the texts of a tag's posts,
a candidate of shape alone must be written in capitals in at least :data:`ACRONYM_SHARE` of
its uses (``#ser51``, SER's 51st meeting, is in a fifth of them).

>>> from kolmap.ingest.areas import load_taxonomy
>>> tags = ["ser2019", "epitwitter", "covid19", "sper2019", "asco19", "amca19"]
>>> congress_candidates(tags, load_taxonomy())
['ser2019', 'sper2019', 'asco19', 'amca19']
>>> texts = {"zombiewalk2014": ["Join the #zombiewalk2014!"], "sffs14": ["At #SFFS14 today"]}
>>> congress_candidates(["zombiewalk2014", "sffs14"], load_taxonomy(), texts.__getitem__)
['sffs14']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kolmap.ingest.areas import Taxonomy

__all__ = ["ACRONYM_SHARE", "congress_candidates", "same_year_candidates", "written_in_capitals"]

# A short name and a year: two digits, or four from 19xx or 20xx.
_SHAPE = re.compile(r"^[a-z]{2,10}(?:(?:19|20)\d\d|\d\d)$")
_YEAR = re.compile(r"(?:19|20)?(\d\d)$")


# The share of a shape-only candidate's written uses that must be in capitals.
ACRONYM_SHARE = 0.1
# How many shape-only candidates have their texts read, busiest first.
_CHECKED = 8


def written_in_capitals(tag: str, texts: Iterable[str]) -> float | None:
    """The share of the uses of ``#tag`` in ``texts`` whose letters are all capitals (None
    when no text writes it).

    >>> written_in_capitals("ser2018", ["#SER2018 day 1", "#ser2018", "at #SER2018!"])
    0.6666666666666666
    """
    pattern = re.compile(r"#(" + re.escape(tag) + r")(?![\w])", re.IGNORECASE)
    forms = [str(m.group(1)) for text in texts for m in pattern.finditer(str(text or ""))]
    if not forms:
        return None
    return sum(f.upper() == f for f in forms) / len(forms)


def congress_candidates(
    tags: Iterable[str],
    taxonomy: Taxonomy,
    texts_of: Callable[[str], Iterable[str]] | None = None,
) -> list[str]:
    """The congress-like hashtags among ``tags`` (folded, without '#'), in their order
    (pass them busiest first). With ``texts_of`` (the texts of a tag's posts), those of
    shape alone count only when written in capitals often enough (module doc); the texts of
    the first eight are read, and later ones of shape alone are left out."""
    out = []
    checked = 0
    for tag in tags:
        if taxonomy.is_congress_hashtag(tag):
            out.append(tag)
        elif _SHAPE.match(tag) and not taxonomy.tag_hashtags([tag]):
            if texts_of is None:
                out.append(tag)
            elif checked < _CHECKED:
                checked += 1
                share = written_in_capitals(tag, texts_of(tag))
                if share is None or share >= ACRONYM_SHARE:
                    out.append(tag)
    return out


def same_year_candidates(candidates: list[str], most: int = 3) -> list[str]:
    """The first (busiest) candidate and, up to ``most`` in all, the next ones naming the
    same year (``2019`` and ``19`` alike); a first candidate without a year stands alone.

    >>> same_year_candidates(["ismbeccb2017", "amca19", "ismb17", "bosc2017"])
    ['ismbeccb2017', 'ismb17', 'bosc2017']
    >>> same_year_candidates(["ser2019", "sper2019"]), same_year_candidates(["asco", "esmo"])
    (['ser2019', 'sper2019'], ['asco'])
    """
    if not candidates:
        return []
    first = _YEAR.search(candidates[0])
    if first is None:
        return candidates[:1]
    same = [t for t in candidates[1:] if (m := _YEAR.search(t)) and m.group(1) == first.group(1)]
    return [candidates[0], *same][:most]
