"""Persons: which accounts, authors, investigators and congress speakers are one person.

Each **identity** (an account ``x:123``; an author ``author:orcid:…``; an investigator
``trial:name:…``; a speaker ``congress:name:…``) is read into a name, towns, a specialty's
area, activity areas, an ORCID, URLs and handles. Identities whose names may match (same
family name and first initial, compatible given names) are compared, and each piece of
evidence adds its log-odds (``science.link_weights``): the same ORCID, the same URL or a
profile citing the other's handle, the same town, the same specialty, shared areas; a
different town or specialty takes away. A link's confidence is the logistic of the sum, and
a name alone stays below review, so namesakes never merge on name alone.

Links at or above ``science.merge_threshold`` merge; those from ``science.review_threshold``
wait for review. A user's decisions (``kolmap persons review``, ``persons.csv``, a label's
person id) win: ``same`` merges, ``different`` keeps apart (that is how a merge is undone).
Merging is greedy, most confident first, and refuses to join two groups holding different
ORCIDs, different specialties, or two accounts on one platform (a chain of weak links could
otherwise join namesakes); such a link is shown as ``blocked``.

>>> ids = identities_frame([
...     {"identity": "x:1", "kind": "account", "name": "Dr Claire Dubois", "platform": "x",
...      "text": "Rhumatologue au CHU de Bordeaux", "specialty": "rhumatologue"},
...     {"identity": "author:orcid:0", "kind": "author", "name": "Dubois, Claire",
...      "place": "Department of Rheumatology, CHU de Bordeaux, Bordeaux, France"}])
>>> result = link_persons(ids, load_taxonomy())
>>> result.links[["status", "confidence"]].to_dict("records")
[{'status': 'merged', 'confidence': 0.9707}]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pandas as pd

from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.science.names import name_key, normalise_orcid, person_name, place_of
from kolmap.ingest.text import fold
from kolmap.settings import ScienceSettings

__all__ = ["IDENTITY_KINDS", "PersonLinks", "identities_frame", "link_persons", "person_id_of"]

# Identity kinds and the prefix of their identity string (accounts use ``platform:id``).
IDENTITY_KINDS = {"author": "author:", "investigator": "trial:", "speaker": "congress:"}
_URL_RE = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,}(?:/[^\s,;)]*)?)", re.I)
_GENERIC_HOSTS = {
    "t.co",
    "bit.ly",
    "linktr.ee",
    "twitter.com",
    "x.com",
    "bsky.app",
    "linkedin.com",
    "instagram.com",
    "youtube.com",
    "tiktok.com",
    "orcid.org",
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "facebook.com",
    "threads.net",
}
_HANDLE_RE = re.compile(r"@([\w.-]{3,60})")
_DEPARTMENT_RE = re.compile(
    r"\b(?:department|departement|dept|service|division|unit|unite|clinic|pole|section)\s+"
    r"(?:of|de|d'|du)?\s*"
    r"((?:[a-z'-]+\s?){1,3})"
)


def _urls(text: str) -> set[str]:
    """Specific URLs (a path beyond a generic host) cited in ``text``."""
    found = set()
    for match in _URL_RE.finditer(text or ""):
        url = match.group(1).lower().rstrip("/.")
        host, _, path = url.partition("/")
        if host in _GENERIC_HOSTS and not (host == "linktr.ee" and path):
            continue
        if "." in host and (path or host.count(".") >= 1):
            found.add(url)
    return found


def identities_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame of identities from plain rows: ``identity, kind, name`` (as written),
    ``text`` (bio, location or affiliations: where towns and departments are read),
    ``place`` (a location or an affiliation: where the towns every text is searched for
    come from),
    optional ``platform``, ``handle``, ``url``, ``orcid``, ``specialty``, ``areas``,
    ``person_id`` (a user's), ``label`` (what to show)."""
    columns = [
        "identity",
        "kind",
        "name",
        "text",
        "place",
        "platform",
        "handle",
        "url",
        "orcid",
        "specialty",
        "areas",
        "person_id",
        "label",
    ]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    return frame.drop_duplicates("identity").reset_index(drop=True)


@dataclass
class _Identity:
    identity: str
    kind: str
    platform: str | None
    given: str
    family: str
    orcid: str | None
    towns: set[str]
    institutions: set[str]
    specialty: str | None
    areas: set[str]
    urls: set[str]
    handle: str | None
    cited: set[str]
    person_id: str | None


@dataclass(frozen=True)
class PersonLinks:
    """The result of linking: ``links`` (``identity_a, identity_b, confidence, status,
    evidence``; status ``merged``, ``review``, ``confirmed``, ``rejected`` or ``blocked``)
    and ``members`` (``person_id, identity, kind, label``; every identity, one person each)."""

    links: pd.DataFrame
    members: pd.DataFrame


def person_id_of(identities: Sequence[str], user_ids: Sequence[str] = ()) -> str:
    """A person's id: the user's when one names it, else ``person:`` and the first of its
    identities in sorted order (an account before a science identity when there is one)."""
    if user_ids:
        return sorted(user_ids)[0]
    accounts = sorted(i for i in identities if not i.startswith(tuple(IDENTITY_KINDS.values())))
    return "person:" + (accounts[0] if accounts else sorted(identities)[0])


def _specialty_area(text: str, specialty: str | None, taxonomy: Taxonomy) -> str | None:
    for source in (specialty or "", text):
        found = taxonomy.specialty_of(source)
        if found:
            return found[0]
    for match in _DEPARTMENT_RE.finditer(fold(text)):
        areas = taxonomy.tag_text(match.group(1))
        if len(areas) == 1:
            return next(iter(areas))
    if specialty:
        areas = taxonomy.tag_text(specialty)
        if len(areas) == 1:
            return next(iter(areas))
    return None


_WORD = re.compile(r"[a-z][a-z'-]{4,}")
_COMMON = {
    "department", "hospital", "university", "universite", "institute", "institut", "center",
    "centre", "clinic", "clinique", "medical", "medicine", "medecine", "research", "recherche",
    "service", "division", "school", "faculty", "college", "health", "sante", "sciences",
    "science", "national", "general", "regional", "hopital", "hospitalier", "universitaire",
    "university's", "unite", "laboratory", "laboratoire", "foundation", "fondation", "group",
    "france", "states", "united", "kingdom", "saint", "street", "avenue", "boulevard", "cedex",
    "email", "electronic", "address", "program", "programme", "internal", "public",
}  # fmt: skip


def _institution_words(frame: pd.DataFrame, towns: set[str], taxonomy: Taxonomy) -> set[str]:
    """Words that name an institution ("pontchaillou", "roussy"): the distinctive words of
    the affiliations and locations (five letters or more, not a town, a generic word, or a
    word of a therapeutic area), seen in at most 2% of them (three at least)."""
    places = [fold(p) for p in frame["place"].dropna().astype(str) if p]
    counts: dict[str, int] = {}
    for place in places:
        for word in set(_WORD.findall(place)):
            counts[word] = counts.get(word, 0) + 1
    limit = max(3, int(0.02 * len(places)))
    return {
        word
        for word, n in counts.items()
        if n <= limit
        and word not in _COMMON
        and word not in towns
        and not taxonomy.tag_text(word)
        and not taxonomy.specialty_of(word)
    }


def _prepare(frame: pd.DataFrame, taxonomy: Taxonomy) -> list[_Identity]:
    texts = (
        frame["text"].fillna("").astype(str) + " | " + frame["place"].fillna("").astype(str)
    ).tolist()
    # Towns: every town a location or an affiliation names, looked up in every text.
    vocabulary = {place_of(p) for p in frame["place"].dropna().astype(str)}
    vocabulary = {v for v in vocabulary if len(v) >= 3}
    town_re = (
        re.compile(
            r"(?<!\w)("
            + "|".join(re.escape(v) for v in sorted(vocabulary, key=len, reverse=True))
            + r")(?!\w)"
        )
        if vocabulary
        else None
    )
    institution_words = _institution_words(frame, vocabulary, taxonomy)
    out = []
    for raw, text in zip(frame.to_dict("records"), texts, strict=True):
        row = {k: (None if _missing(v) else v) for k, v in raw.items()}
        name = person_name(row["name"])
        if name is None:
            continue
        folded = fold(text)
        towns = set(town_re.findall(folded)) if town_re else set()
        institutions = set(_WORD.findall(folded)) & institution_words
        areas: Any = row["areas"]
        if areas is not None and hasattr(areas, "tolist"):
            areas = areas.tolist()
        area_set = {str(a) for a in areas} if isinstance(areas, (list, tuple, set)) else set()
        cited = {h.lower().rstrip(".") for h in _HANDLE_RE.findall(text)}
        url_text = f"{row.get('url') or ''} {text}"
        orcid = normalise_orcid(row.get("orcid")) or normalise_orcid(url_text)
        out.append(
            _Identity(
                identity=str(row["identity"]),
                kind=str(row["kind"]),
                platform=row.get("platform") or None,
                given=name[0],
                family=name[1],
                orcid=orcid,
                towns=towns,
                institutions=institutions,
                specialty=_specialty_area(text, row.get("specialty"), taxonomy),
                areas=area_set,
                urls=_urls(url_text),
                handle=(str(row["handle"]).lower() if row.get("handle") else None),
                cited=cited,
                person_id=row.get("person_id") or None,
            )
        )
    return out


def _missing(value: Any) -> bool:
    """None, NaN or an empty string (a frame's missing cell)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return isinstance(value, float) and math.isnan(value)


def _given_match(a: str, b: str) -> str | None:
    """``same_name`` when the first given names agree, ``initial_only`` when one side has
    only an initial that agrees, None when they differ."""
    first_a, first_b = (a.split() or [""])[0], (b.split() or [""])[0]
    if not first_a or not first_b or first_a[0] != first_b[0]:
        return None
    if first_a == first_b:
        return "same_name"
    if len(first_a) <= 2 or len(first_b) <= 2:
        return "initial_only"
    return None


def _evidence(a: _Identity, b: _Identity, w: Mapping[str, float]) -> tuple[float, list[str]]:
    """The log-odds that ``a`` and ``b`` are one person, and why."""
    name = _given_match(a.given, b.given)
    if name is None or a.family != b.family:
        return -math.inf, []
    total, why = w[name], [f"name: {a.given.title()} {a.family.title()}"]
    if a.orcid and b.orcid:
        if a.orcid == b.orcid:
            return total + w["orcid"], [*why, f"ORCID {a.orcid}"]
        return total + w["other_orcid"], [*why, "different ORCIDs"]
    if a.towns and b.towns:
        shared = a.towns & b.towns
        if shared:
            total += w["same_town"]
            why.append(f"town: {sorted(shared)[0].title()}")
        else:
            total += w["other_town"]
            why.append(f"different towns ({min(a.towns)} / {min(b.towns)})")
    if a.institutions & b.institutions:
        total += w["same_institution"]
        why.append(f"institution: {sorted(a.institutions & b.institutions)[0].title()}")
    if a.specialty and b.specialty:
        if a.specialty == b.specialty:
            total += w["same_specialty"]
            why.append(f"specialty: {a.specialty}")
        else:
            total += w["other_specialty"]
            why.append(f"different specialties ({a.specialty} / {b.specialty})")
    elif a.areas and b.areas:
        shared_areas = a.areas & b.areas
        if shared_areas:
            total += w["shared_area"]
            why.append(f"both in {', '.join(sorted(shared_areas)[:2])}")
        else:
            total += w["no_shared_area"]
            why.append("no area in common")
    if a.platform and a.platform == b.platform:
        total += w["same_platform"]
        why.append(f"two accounts on {a.platform}")
    if a.urls & b.urls:
        total += w["same_url"]
        why.append(f"same URL {sorted(a.urls & b.urls)[0]}")
    if (a.handle and a.handle in b.cited) or (b.handle and b.handle in a.cited):
        total += w["cites_handle"]
        why.append("a profile cites the other's handle")
    elif (
        a.handle
        and b.handle
        and a.platform != b.platform
        and a.handle == b.handle
        and len(a.handle) >= 6
    ):
        total += w["same_handle"]
        why.append(f"same handle @{a.handle}")
    return total, why


class _Groups:
    """Union-find over identities, each group remembering what may not meet in one person."""

    def __init__(self, items: Sequence[_Identity]) -> None:
        self.parent = {i.identity: i.identity for i in items}
        self.members = {i.identity: [i] for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def conflict(self, a: str, b: str, apart: set[tuple[str, str]]) -> str | None:
        ga, gb = self.members[self.find(a)], self.members[self.find(b)]
        if any(
            (min(x.identity, y.identity), max(x.identity, y.identity)) in apart
            for x in ga
            for y in gb
        ):
            return "a user said these are different people"
        orcids = {i.orcid for i in ga + gb if i.orcid}
        if len(orcids) > 1:
            return "different ORCIDs"
        specialties = {i.specialty for i in ga + gb if i.specialty}
        if len(specialties) > 1:
            return "different specialties"
        platforms = [i.platform for i in ga + gb if i.platform]
        if len(platforms) != len(set(platforms)):
            return "two accounts on one platform"
        return None

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.members[ra] += self.members.pop(rb)


def link_persons(
    identities: pd.DataFrame,
    taxonomy: Taxonomy | None = None,
    settings: ScienceSettings | None = None,
    decisions: pd.DataFrame | None = None,
) -> PersonLinks:
    """Link ``identities`` (:func:`identities_frame`) into persons, with the user's
    ``decisions`` (``identity_a, identity_b, decision``) winning over inference."""
    taxonomy = taxonomy or load_taxonomy()
    settings = settings or ScienceSettings()
    items = _prepare(identities, taxonomy)
    by_id = {i.identity: i for i in items}
    decided: dict[tuple[str, str], str] = {}
    if decisions is not None and not decisions.empty:
        for first, second, choice in zip(
            decisions["identity_a"].astype(str),
            decisions["identity_b"].astype(str),
            decisions["decision"].astype(str),
            strict=True,
        ):
            decided[(min(first, second), max(first, second))] = choice
    blocks: dict[str, list[_Identity]] = {}
    for item in items:
        blocks.setdefault(name_key(item.given, item.family), []).append(item)
    logit_review = _logit(settings.review_threshold)
    candidates = []
    for block in blocks.values():
        for a, b in combinations(sorted(block, key=lambda i: i.identity), 2):
            score, why = _evidence(a, b, settings.link_weights)
            pair = (a.identity, b.identity)
            if score >= logit_review or pair in decided:
                confidence = 1 / (1 + math.exp(-score)) if score > -math.inf else 0.0
                candidates.append((pair, round(confidence, 4), "; ".join(why)))
    # Users' same-person decisions between identities of different blocks, and label ids.
    seen = {pair for pair, _c, _w in candidates}
    for pair, _decision in decided.items():
        if pair not in seen and pair[0] in by_id and pair[1] in by_id:
            candidates.append((pair, 0.0, "user decision"))
    groups = _Groups(items)
    apart = {pair for pair, d in decided.items() if d == "different"}
    status: dict[tuple[str, str], str] = {}
    # User decisions first, then the most confident links.
    for pair, _conf, _why in sorted(candidates, key=lambda c: (c[0] not in decided, -c[1], c[0])):
        verdict = decided.get(pair)
        if verdict == "different":
            status[pair] = "rejected"
        elif verdict == "same":
            groups.union(*pair)
            status[pair] = "confirmed"
        elif _conf >= settings.merge_threshold:
            if groups.find(pair[0]) == groups.find(pair[1]):
                status[pair] = "merged"
            elif groups.conflict(pair[0], pair[1], apart) is None:
                groups.union(*pair)
                status[pair] = "merged"
            else:
                status[pair] = "blocked"
        else:
            status[pair] = "review"
    # Identities a user gave one person id (labels, persons.csv) are one person.
    by_user: dict[str, list[str]] = {}
    for item in items:
        if item.person_id:
            by_user.setdefault(item.person_id, []).append(item.identity)
    for ids in by_user.values():
        for other in ids[1:]:
            groups.union(ids[0], other)
    links = pd.DataFrame(
        [
            {
                "identity_a": p[0],
                "identity_b": p[1],
                "confidence": c,
                "status": status[p],
                "evidence": w,
            }
            for p, c, w in candidates
        ],
        columns=["identity_a", "identity_b", "confidence", "status", "evidence"],
    ).sort_values(["status", "confidence", "identity_a"], ascending=[True, False, True])
    labels = dict(
        zip(identities["identity"], identities["label"].fillna(identities["name"]), strict=True)
    )
    rows = []
    for root, members in groups.members.items():
        ids = [m.identity for m in members]
        pid = person_id_of(ids, [m.person_id for m in members if m.person_id])
        rows += [
            {
                "person_id": pid,
                "identity": m.identity,
                "kind": m.kind,
                "label": labels.get(m.identity),
            }
            for m in members
        ]
        del root
    # Identities without a personal name are persons of their own.
    named = set(by_id)
    for record in identities.to_dict("records"):
        identity = str(record["identity"])
        if identity not in named:
            user = record.get("person_id")
            rows.append(
                {
                    "person_id": person_id_of([identity], [] if _missing(user) else [str(user)]),
                    "identity": identity,
                    "kind": record["kind"],
                    "label": labels.get(identity),
                }
            )
    members_frame = pd.DataFrame(rows, columns=["person_id", "identity", "kind", "label"])
    return PersonLinks(
        links.reset_index(drop=True),
        members_frame.sort_values(["person_id", "identity"]).reset_index(drop=True),
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
