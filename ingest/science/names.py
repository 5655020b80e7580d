"""People's names and places as the scientific sources and social profiles write them.

One rule each, shared by the readers (an author's key) and the person linker (which names
may be the same person):

- :func:`person_name` reads a display name ("Pr Claire Dubois, MD 🇫🇷", "Dubois, Claire",
  "DUBOIS Claire") into given and family names, dropping titles, degrees and emoji;
- :func:`name_key` is the blocking key of a name: folded family name and first initial;
- :func:`place_of` finds the town in an affiliation ("Service de rhumatologie, CHU de
  Bordeaux, 33000 Bordeaux, France" gives ``bordeaux``);
- :func:`author_key` identifies an author: ORCID when known, else the source's own author id,
  else name and town (two namesakes in different towns stay two authors).

>>> person_name("Pr. Claire DUBOIS, MD, PhD 🇫🇷")
('claire', 'dubois')
>>> person_name("Dubois, Claire")
('claire', 'dubois')
>>> name_key("Claire", "Dubois")
'dubois|c'
>>> place_of("Service de rhumatologie, CHU de Bordeaux, 33000 Bordeaux, France.")
'bordeaux'
>>> author_key("Dubois", "Claire", orcid=None, affiliation="Hôpital Pontchaillou, Rennes, France")
'name:dubois|c|rennes'
"""

from __future__ import annotations

import re

from kolmap.ingest.text import fold

__all__ = [
    "ORCID_RE",
    "author_key",
    "name_key",
    "normalise_orcid",
    "person_name",
    "place_of",
]

ORCID_RE = re.compile(r"(?<![\d])(\d{4}-\d{4}-\d{4}-\d{3}[\dX])(?![\d])", re.IGNORECASE)
# Titles, grades and degrees that sit around a name (folded, no dots).
_TITLES = {
    "dr",
    "drs",
    "doctor",
    "docteur",
    "pr",
    "prof",
    "professor",
    "professeur",
    "mr",
    "mrs",
    "ms",
    "mme",
    "mlle",
    "m",
    "md",
    "phd",
    "mph",
    "msc",
    "bsc",
    "rn",
    "np",
    "pa",
    "pharmd",
    "do",
    "mbbs",
    "mbchb",
    "frcp",
    "frcpc",
    "frcs",
    "facp",
    "facc",
    "fesc",
    "mrcp",
    "dphil",
    "hdr",
    "ma",
    "ba",
    "jr",
    "sr",
    "facs",
    "faan",
    "dnp",
    "fnp",
    "crnp",
    "iii",
    "ii",
}
_NAME_PARTICLES = {"de", "du", "da", "di", "van", "von", "der", "le", "la", "del", "dos", "des"}
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words of an affiliation that are never its town.
_NOT_PLACES = {
    "france",
    "usa",
    "us",
    "united states",
    "uk",
    "united kingdom",
    "england",
    "germany",
    "italy",
    "spain",
    "canada",
    "belgium",
    "switzerland",
    "netherlands",
    "australia",
    "japan",
    "china",
    "sweden",
    "denmark",
    "norway",
    "finland",
    "austria",
    "portugal",
    "ireland",
    "scotland",
    "wales",
    "brazil",
    "india",
    "israel",
    "deutschland",
    "espana",
    "italia",
    "cedex",
    "electronic address",
}
_INSTITUTION_WORDS = re.compile(
    r"\b(department|dept|service|division|unit|unite|hospital|hopital|hospitalier|chu|chru|"
    r"university|universite|universitat|universita|institute|institut|center|centre|"
    r"school|faculty|faculte|laboratory|laboratoire|inserm|cnrs|clinic|clinique|college|"
    r"foundation|fondation|research|recherche|medical|medicine|medecine|sciences?|team|"
    r"program|programme|pole|ap-hp|aphp|assistance|street|road|avenue|rue|bd|boulevard)\b"
)


def person_name(text: str | None) -> tuple[str, str] | None:
    """``(given, family)`` folded, or None when ``text`` holds no two-word personal name.

    "Family, Given" and "FAMILY Given" (the family name in capitals) are read as such; else
    the last word (with its particles: "van der Berg") is the family name.
    """
    if not text:
        return None
    raw = text.split("|")[0].split("·")[0].split("(")[0]
    if "," in raw:
        family_part, _, given_part = raw.partition(",")
        given_words = _words(given_part)
        family_words = _words(family_part)
        if family_words and given_words:
            return " ".join(given_words), " ".join(family_words)
        raw = family_part
    words = list(_WORD_RE.findall(raw))
    words = [w for w in words if fold(w).replace("'", "") not in _TITLES]
    if len(words) < 2:
        return None
    capitals = [w for w in words if w.isupper() and len(w) > 1]
    if capitals and len(capitals) < len(words) and words[0] in capitals:
        family = [w for w in words if w in capitals]
        given = [w for w in words if w not in capitals]
        return fold(" ".join(given)), fold(" ".join(family))
    cut = len(words) - 1
    while cut > 1 and fold(words[cut - 1]) in _NAME_PARTICLES:
        cut -= 1
    if len(words[-1]) < 2:
        return None  # "Rowan P": an initial is no family name
    return fold(" ".join(words[:cut])), fold(" ".join(words[cut:]))


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORD_RE.findall(text) if fold(w).replace("'", "") not in _TITLES]


def name_key(given: str, family: str) -> str:
    """The blocking key of a name: folded family name and first initial ("dubois|c")."""
    family_folded = " ".join(_WORD_RE.findall(fold(family)))
    given_folded = fold(given).strip()
    return f"{family_folded}|{given_folded[:1]}"


def place_of(affiliation: str | None) -> str:
    """The town of an affiliation ("" when none is found): the last comma-separated part
    before the country that is not an institution, postal code and e-mail removed."""
    if not affiliation:
        return ""
    text = fold(affiliation.split(";")[0])
    text = re.sub(r"\S+@\S+", "", text)
    text = re.sub(r"electronic address:?", "", text)
    parts = [p.strip(" .") for p in text.split(",")]
    for part in reversed(parts):
        part = re.sub(r"\b[a-z]{0,2}-?\d[\d\s-]*\b", " ", part)  # postal codes
        part = " ".join(part.split())
        if not part or part in _NOT_PLACES or _INSTITUTION_WORDS.search(part):
            continue
        if len(part) > 40 or len(part.split()) > 3:
            continue
        return part
    return ""


def normalise_orcid(value: str | None) -> str | None:
    """The bare ORCID iD in ``value`` (a URL or an iD), upper-case check digit; else None.

    >>> normalise_orcid("https://orcid.org/0000-0002-1825-009x")
    '0000-0002-1825-009X'
    """
    if not value:
        return None
    match = ORCID_RE.search(value)
    return match.group(1).upper() if match else None


def author_key(
    family: str,
    given: str,
    *,
    orcid: str | None,
    affiliation: str | None,
    source_id: str | None = None,
) -> str:
    """The key of one author across works: ``orcid:…``, else the source's author id
    (``openalex:A…``), else ``name:<family>|<initial>|<town>``."""
    if orcid:
        return f"orcid:{orcid}"
    if source_id:
        return source_id
    return f"name:{name_key(given, family)}|{place_of(affiliation)}"
