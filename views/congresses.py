"""Which of a store's hashtags look like a congress's: the Congress page's first choice.

A hashtag is a congress candidate when the taxonomy knows the congress (``#ASCO26``,
``#ESMO``), or when it has the shape of one, a short name and a year (``#SER2019``,
``#AMCA19``), unless the taxonomy reads it as a disease or topic hashtag (``#COVID19``). The
page proposes the two busiest candidates; on a real epidemiology-conference file the
taxonomy's own list found only ``#ASCO19`` and ``#AIDS`` (a post each) and missed the
conference's ``#SER2019`` (4,717 posts).

>>> from kolmap.ingest.areas import load_taxonomy
>>> tags = ["ser2019", "epitwitter", "covid19", "sper2019", "asco19", "amca19"]
>>> congress_candidates(tags, load_taxonomy())
['ser2019', 'sper2019', 'asco19', 'amca19']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kolmap.ingest.areas import Taxonomy

__all__ = ["congress_candidates"]

# A short name and a year: two digits, or four from 19xx or 20xx.
_SHAPE = re.compile(r"^[a-z]{2,10}(?:(?:19|20)\d\d|\d\d)$")


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
