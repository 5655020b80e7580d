"""Which of a store's hashtags look like a congress's: the Congress page's first choice.

A hashtag is a congress candidate when the taxonomy knows the congress (``#ASCO26``,
``#ESMO``), or when it has the shape of one, a short name and a year (``#SER2019``,
``#AMCA19``), unless the taxonomy reads it as a disease or topic hashtag (``#COVID19``). The
page proposes the two busiest candidates; on a real epidemiology-conference file the
taxonomy's own list found only ``#ASCO19`` and ``#AIDS`` (a post each) and missed the
conference's ``#SER2019`` (4,717 posts). It proposes the busiest candidate and the others
of the same year: a store of an ISMB/ECCB 2017 file and an AMCA 2019 file pre-filled both,
two events two years apart read as one.

>>> from kolmap.ingest.areas import load_taxonomy
>>> tags = ["ser2019", "epitwitter", "covid19", "sper2019", "asco19", "amca19"]
>>> congress_candidates(tags, load_taxonomy())
['ser2019', 'sper2019', 'asco19', 'amca19']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kolmap.ingest.areas import Taxonomy

__all__ = ["congress_candidates", "same_year_candidates"]

# A short name and a year: two digits, or four from 19xx or 20xx.
_SHAPE = re.compile(r"^[a-z]{2,10}(?:(?:19|20)\d\d|\d\d)$")
_YEAR = re.compile(r"(?:19|20)?(\d\d)$")


def congress_candidates(tags: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """The congress-like hashtags among ``tags`` (folded, without '#'), in their order
    (pass them busiest first)."""
    out = []
    for tag in tags:
        if taxonomy.is_congress_hashtag(tag) or (
            _SHAPE.match(tag) and not taxonomy.tag_hashtags([tag])
        ):
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
