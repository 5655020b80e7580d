"""Transparent FR/EN rules for roles and industry affiliation, read from ``cues.toml``.

A role's score is the weight of its strongest rule whose phrases occur in the folded bio or
name (display name plus the handle split into words); every matched phrase is evidence.
Weights encode precedence: a self-description as a clinician (5) outweighs a research title
(4), which outweighs a media word (2-4); an institution speaking of itself (4.5-6) outweighs
the words a person uses about where they work (2). ``industry`` rules mark an affiliation
rather than a role, and a named company (``[employers]``) or an ``@handle`` in an industry
bio gives the employer. The rules are one
of the three sources :mod:`kolmap.ingest.roles.text` combines (with a model and behaviour).

>>> hits = rule_hits("Consultant cardiologist. MSL @Veralis. Views my own", "Dr Ana Vel")
>>> hits.best(), hits.industry, hits.employer
('hcp', ['bio:msl'], '@Veralis')
>>> rule_hits("Oncology nurse, working at Roche", "").employer
'roche'

>>> rule_hits("Doctors Without Borders official account", "").best()
'organisation'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.text import fold

__all__ = [
    "ROLES",
    "RULES_SOURCE",
    "TIE_ORDER",
    "RuleHits",
    "cue_phrases",
    "informative",
    "name_text",
    "names_an_area",
    "rule_hits",
]

CUES = Path(__file__).with_name("cues.toml")
# This module: with the cues, what a profile's rule hits depend on (cached results and the
# role model are keyed by both, so a change to either recomputes them).
RULES_SOURCE = Path(__file__)
# The roles the text can name, in the order that breaks ties between equal scores: a
# person's self-description before the institution it works at, a company last.
TIE_ORDER = ("hcp", "researcher", "media", "patient", "organisation", "brand")
ROLES = (*TIE_ORDER, "public", "unknown")
_WORD = re.compile(r"[^\W\d_]{2,}")
# A cue held in the past counts this much less (see :func:`_in_the_past`).
PAST_DISCOUNT = 0.5
_PAST_WORD = re.compile(r"former|retired|\bex|ancien|retraite")
_PAST_TITLE = re.compile(
    r"(?<![\w])(?:former|formerly|retired|ex|ancien|ancienne|retraite|retraitee)[\s-]+"
    r"(?:(?!(?:and|with|who|now|living|turned|but|et|avec)(?![\w]))[^\s|,.;:•·&/()!?]+\s*){1,6}"
)
_NON_WORD = re.compile(r"[^\w]+")
_NAME_OPENING_MD = re.compile(r"^\s*M[Dd]\.?\s+(?=[A-Z])")
_BARE_ACRONYM = re.compile(r"\s*[A-Z][A-Z.]{0,5}\s*")
# Where a handle splits into words: before a capital that follows a small letter, and before
# digits. Not inside a run of capitals ("RNAcentral" is not "RN Acentral", nor "MDAnderson"
# "MD Anderson": read so, the credential rules found a nurse and a physician in them).
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)")
_HANDLE_PH = re.compile(r"\bPH\b")
# A run of word characters: the tokens the phrase rules' first words are looked up among.
_TOKEN = re.compile(r"\w+")
# The words of a bio that may be hashtags (written without their '#').
_HASHTAG_WORD = re.compile(r"[\w-]+")
_BIO_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})")
# Bios that say nothing about who writes them, whatever their length.
_EMPTY_PHRASES = re.compile(
    r"\b(views (are )?(my )?own|opinions (are )?(my )?own|avis perso\w*|rt\s*(!=|≠|is not|"
    r"n'est pas)\s*\w+|tweets (are )?(my )?own|speaking for myself( only)?|"
    r"he/him|she/her|they/them|il/lui|elle/la)\b"
)


@dataclass(frozen=True)
class _CueWords:
    r"""The ``\w+`` tokens a text holds wherever one of some phrases matches (see
    :func:`_cue_words`)."""

    first: frozenset[str]  # the first word of a match
    alone: frozenset[str]  # the first words that are a whole phrase
    others: dict[str, tuple[frozenset[str], ...]]  # first word -> other words of a phrase

    def complete(self, tokens: set[str]) -> bool:
        """Whether ``tokens`` hold all the words of one of the phrases (a cheaper first
        check, ``first.isdisjoint(tokens)``, rules out most texts)."""
        if not self.alone.isdisjoint(tokens):
            return True
        for word in self.first.intersection(tokens):
            for rest in self.others.get(word, ()):
                if rest <= tokens:
                    return True
        return False

    def may_match(self, tokens: set[str]) -> bool:
        """False when none of the phrases can occur in a text of these tokens."""
        return not self.first.isdisjoint(tokens) and self.complete(tokens)


@dataclass(frozen=True)
class _Rule:
    role: str
    where: str  # "bio", "name", "display", "both", "raw", "name_raw" or "family"
    weight: float
    pattern: re.Pattern[str]
    words: _CueWords | None = None  # a rule of phrases: the words a text needs to match it


@dataclass
class RuleHits:
    """What the rules found in one profile: a score and evidence per role, the industry
    evidence (``industry``: enough on its own; ``industry_weak``: only with a named
    employer) and employer, and the specialty (area, phrase) a bio names."""

    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    industry: list[str] = field(default_factory=list)
    industry_weak: list[str] = field(default_factory=list)
    employer: str | None = None
    specialty: tuple[str, str] | None = None
    informative: bool = False

    def best(self) -> str:
        """The role with the highest score (ties by :data:`TIE_ORDER`), else ``public`` for
        an informative bio and ``unknown`` for none."""
        if self.scores:
            top = max(self.scores.values())
            return next(r for r in TIE_ORDER if self.scores.get(r) == top)
        return "public" if self.informative else "unknown"


@dataclass(frozen=True)
class _Cues:
    """``cues.toml`` compiled once."""

    rules: tuple[_Rule, ...]
    by_place: dict[str, tuple[tuple[int, _Rule], ...]]  # (index, rule) of each place's rules
    family: tuple[_Rule, ...]
    research_word: re.Pattern[str]  # the first researcher bio rule: a specialty that is research
    exclude: re.Pattern[str]  # the excluded phrases, and the audience an account serves
    exclude_words: _CueWords | None  # the words a text needs for an excluded phrase
    exclude_audience: re.Pattern[str]  # ``exclude`` where no excluded phrase can occur
    exclude_raw: re.Pattern[str]
    employers: re.Pattern[str]
    company: re.Pattern[str]  # a company named by its trade, in the raw bio
    person_voice: re.Pattern[str]
    institution_voice: re.Pattern[str]


def _cue_words(phrases: list[str], plural: bool) -> _CueWords | None:
    r"""The ``\w+`` tokens a text holds where one of ``phrases`` matches as a whole word
    (with a plural ending when ``plural``).

    A match starts after no word character and ends before none, and the phrase's other
    characters are matched as written, so each run of word characters in the phrase is a
    token of the text; only the last run may carry the plural ending (its variants are
    first words when it is the only run, and it is left out of the other words). ``None``
    when a phrase holds no word character (no token to look for).

    >>> sorted(_cue_words(["heme/onc", "#ad"], plural=True).alone)
    ['ad', 'ades', 'ads', 'adx', 'heme']
    >>> _cue_words(["i have", "i've had"], plural=False).others["i"] == ({"have"}, {"ve", "had"})
    True
    >>> _cue_words(["lost my", "lost"], plural=False).others  # "lost" alone is enough
    {}
    """
    alone: set[str] = set()
    others: dict[str, list[frozenset[str]]] = {}
    for phrase in phrases:
        runs = _TOKEN.findall(phrase)
        if not runs:
            return None
        first, *rest = runs
        if plural and phrase.endswith(runs[-1]):
            # The last run may be followed by the plural ending.
            if not rest:
                alone.update(first + end for end in ("s", "x", "es"))
            else:
                rest.pop()
        if rest:
            others.setdefault(first, []).append(frozenset(rest))
        else:
            alone.add(first)
    return _CueWords(
        frozenset(alone | set(others)),
        frozenset(alone),
        {word: tuple(rests) for word, rests in others.items() if word not in alone},
    )


@cache
def _rules() -> _Cues:
    data = tomllib.loads(CUES.read_text("utf-8"))
    exclude_raw = re.compile("|".join(f"(?:{p})" for p in data["exclude_raw"]))
    rules = []
    for spec in data["rule"]:
        role, where, weight = spec["role"], spec["where"], float(spec["weight"])
        if "pattern" in spec:
            rules.append(_Rule(role, where, weight, re.compile(spec["pattern"])))
            continue
        ending = r"(?:s|x|es)?" if spec.get("plural") else ""
        words = sorted({fold(p) for p in spec["phrases"]}, key=len, reverse=True)
        body = r"(?<![\w])(" + "|".join(re.escape(w) for w in words) + ")" + ending
        body += r"(?![\w])"
        cue_words = _cue_words(words, bool(spec.get("plural")))
        rules.append(_Rule(role, where, weight, re.compile(body), cue_words))
    excluded = sorted({fold(p) for p in data["exclude"]}, key=len, reverse=True)
    audience = "|".join(f"(?:{p})" for p in data["exclude_audience"])
    exclude = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(p) for p in excluded) + r")|" + audience
    )
    names = sorted({fold(n) for n in data["employers"]["names"]}, key=len, reverse=True)
    employers = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    by_place = {
        place: tuple(
            (i, r) for i, r in enumerate(rules) if r.where != "family" and place in _PLACES[r.where]
        )
        for place in ("bio", "name", "display", "raw", "name_raw")
    }
    return _Cues(
        rules=tuple(rules),
        by_place=by_place,
        family=tuple(r for r in rules if r.where == "family"),
        research_word=next(r.pattern for r in rules if r.role == "researcher" and r.where == "bio"),
        exclude=exclude,
        exclude_words=_cue_words(excluded, plural=False),
        exclude_audience=re.compile(audience),
        exclude_raw=exclude_raw,
        employers=employers,
        company=re.compile(data["employers"]["company_pattern"]),
        person_voice=re.compile(data["person_voice"]),
        institution_voice=re.compile(data["institution_voice"]),
    )


def paid_partnership_tags() -> tuple[str, ...]:
    """Hashtags that disclose a paid partnership (folded, without '#').

    >>> "sponsorise" in paid_partnership_tags()
    True
    """
    data = tomllib.loads(CUES.read_text("utf-8"))
    return tuple(fold(t) for t in data["paid_partnership"]["tags"])


def cue_phrases() -> list[str]:
    """Every phrase of every rule (for tests that build tricky bios from them)."""
    data = tomllib.loads(CUES.read_text("utf-8"))
    return sorted({p for spec in data["rule"] for p in spec.get("phrases", [])})


def name_text(display_name: str | None, handle: str | None) -> str:
    """The display name and the handle split into words (``DrAnaVel_MD`` -> ``Dr Ana Vel
    MD``), folded: where name rules look.

    >>> name_text("Ana", "DrAnaVel_MD")
    'ana dr ana vel md'
    """
    split = handle_words((handle or "").replace("_", " ").replace(".", " "), display_name)
    return fold(" ".join(filter(None, [_display(display_name), split])))


def _display(display_name: str | None) -> str:
    """The display name as the name rules read it: "MD" opening it is part of a name ("MD
    Anderson", a cancer centre; "Md." for Mohammad), not a degree, which follows the name;
    and a name that is one short run of capitals ("MD", "PH", "NP": a network file's node
    named after a state, a country, a party) is an acronym, no credential without a name.

    >>> _display("MD Anderson Leukemia"), _display("PH"), _display("Jane Roe, MD")
    ('Anderson Leukemia', '', 'Jane Roe, MD')
    """
    if _BARE_ACRONYM.fullmatch(display_name or ""):
        return ""
    return _NAME_OPENING_MD.sub("", display_name or "")


def handle_words(handle: str, display_name: str | None) -> str:
    """A handle split where its case changes (``tomleblancMD`` -> ``tomleblanc MD``), unless
    the display name writes it as one word: then it is a name (``WebMD``, whose "MD" is no
    degree).

    >>> handle_words("tomleblancMD", "Thomas LeBlanc"), handle_words("WebMD", "WebMD")
    ('tomleblanc MD', 'WebMD')
    >>> handle_words("TuftsPH", "Tufts Public Health")
    'Tufts '

    """
    if handle and handle.casefold() in _NON_WORD.split((display_name or "").casefold()):
        return handle
    # "PH" split from a handle is public health ("TuftsPH"), not the French grade.
    return _HANDLE_PH.sub("", _CAMEL.sub(" ", handle))


def _matched(match: re.Match[str]) -> str:
    """The phrase a rule matched: its first group that took part, else the whole match."""
    return next((g for g in match.groups() if g), match.group(0)).strip()


@lru_cache(maxsize=1 << 16)
def informative(bio: str | None) -> bool:
    """Whether a bio says something about its writer: three words once the stock
    disclaimers ("views my own", pronouns) are taken out.

    >>> informative("Views my own 🌸"), informative("Runner, dad, coffee lover")
    (False, True)
    """
    text = _EMPTY_PHRASES.sub(" ", fold(bio or ""))
    return len(_WORD.findall(text)) >= 3


@lru_cache(maxsize=1 << 16)
def _matches(place: str, text: str) -> tuple[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """``text`` with its look-alikes blanked out (``exclude``; the ``raw`` place's bio
    part comes without its ``exclude_raw`` look-alikes, see :func:`_raw_bio`), and the
    ``(rule index, sorted evidence)`` of the rules of ``place`` (``bio``, ``name``,
    ``display`` or ``raw``) that match it. Cached: bios and names repeat across accounts.

    A rule of phrases runs only when the text holds the words of one of its phrases: most
    texts lack most rules' words, and set operations on the text's words say so."""
    cues = _rules()
    tokens: set[str] | None = None
    if place not in _AS_WRITTEN:  # the raw text's look-alikes are out of its bio part already
        tokens = set(_TOKEN.findall(text))
        if cues.exclude_words is None or cues.exclude_words.may_match(tokens):
            blanked = cues.exclude.sub(" ", text)
        else:
            # No excluded phrase occurs: the audience part of ``exclude`` alone does the same.
            blanked = cues.exclude_audience.sub(" ", text)
        if blanked != text:
            text, tokens = blanked, None
    label = {"raw": "profile", "display": "name", "name_raw": "name"}.get(place, place)
    out = []
    for i, rule in cues.by_place[place]:
        words = rule.words
        if words is None:
            # A pattern: one search says whether it matches at all (most often not).
            if rule.pattern.search(text) is None:
                continue
            found = [_matched(m) for m in rule.pattern.finditer(text)]
        else:
            if tokens is None:
                tokens = set(_TOKEN.findall(text))
            if words.first.isdisjoint(tokens) or not words.complete(tokens):
                continue
            # Phrases: the only group is the phrase matched, never empty.
            found = [phrase.strip() for phrase in rule.pattern.findall(text)]
        if found:
            out.append((i, tuple(sorted({f"{label}:{f}" for f in found}))))
    return text, tuple(out)


@lru_cache(maxsize=1 << 16)
def _raw_bio(bio: str) -> str:
    """The bio as the raw rules read it: its case-sensitive look-alikes (``exclude_raw``: a
    US state after a city, a credential denied) blanked out."""
    return _rules().exclude_raw.sub(" ", bio)


# Places whose text is read as written (case matters): no folding, no folded look-alikes.
_AS_WRITTEN = ("raw", "name_raw")

# Where each rule looks ("both": the bio and the name).
_PLACES = {
    "bio": ("bio",),
    "name": ("name",),
    "display": ("display",),
    "both": ("bio", "name"),
    "raw": ("raw",),
    "name_raw": ("name_raw",),
}


def rule_hits(
    bio: str | None,
    display_name: str | None,
    handle: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> RuleHits:
    """Apply every rule of ``cues.toml`` to one profile (see the module docstring)."""
    cues = _rules()
    hits = RuleHits(informative=informative(bio))
    found_by_rule: dict[int, list[str]] = {}
    bio_f = ""
    for place, text in (
        ("bio", fold(bio or "")),
        ("name", name_text(display_name, handle)),
        ("display", fold(display_name or "")),
        # Look-alikes in the bio only: "Jane Roe, MD" as a display name is no US state.
        (
            "raw",
            " | ".join(
                [
                    _raw_bio(bio or ""),
                    _display(display_name),
                    handle_words(handle or "", display_name),
                ]
            ),
        ),
        # The name as written, without the bio: an acronym in capitals ("CHU de Bordeaux")
        # names an institution, the same letters as a surname ("Mei-Lin Chu") do not.
        (
            "name_raw",
            " | ".join([_display(display_name), handle or ""]),
        ),
    ):
        text, matches = _matches(place, text)
        if place == "bio":
            bio_f = text
        for i, found in matches:
            found_by_rule.setdefault(i, []).extend(found)
    titles = past_titles(bio_f) if _PAST_WORD.search(bio_f) else []
    for i in sorted(found_by_rule):
        rule, matched = cues.rules[i], sorted(set(found_by_rule[i]))
        past = bool(titles) and all(_in_the_past(bio_f, m, titles) for m in matched)
        if rule.role == "industry":
            if not past:  # a former pharma executive works there no more
                (hits.industry if rule.weight >= 4 else hits.industry_weak).extend(matched)
            continue
        # A past position still says who the account is (a retired physician is an HCP), but
        # what it is now wins a tie: "former professor living with Crohn's" is a patient.
        weight = rule.weight - PAST_DISCOUNT if past else rule.weight
        hits.scores[rule.role] = max(hits.scores.get(rule.role, 0.0), weight)
        hits.evidence.setdefault(rule.role, []).extend(matched)
    institutional = [role for role in ("organisation", "brand") if role in hits.scores]
    if institutional and _person_voice(cues, bio_f):
        for role in institutional:
            hits.scores[role] = min(hits.scores[role], 2.0)
    if taxonomy is not None:
        hits.specialty = taxonomy.specialty_of(bio or "")
        research = hits.specialty is not None and cues.research_word.fullmatch(hits.specialty[1])
        if hits.specialty is not None and "hcp" not in hits.scores and not research:
            hits.scores["hcp"] = 5.0
            hits.evidence["hcp"] = [f"bio:{hits.specialty[1]}"]
        strong = max(hits.scores.values(), default=0.0) >= 4.0
        if not strong and bio_f:
            # Family words first: the bio rarely holds one, and then naming an area (the
            # slower question) does not matter.
            family = [(rule, _family_words(rule, bio_f)) for rule in cues.family]
            if any(words for _, words in family) and _names_an_area(bio_f, taxonomy):
                for rule, words in family:
                    if words:
                        hits.scores[rule.role] = max(hits.scores.get(rule.role, 0.0), rule.weight)
                        hits.evidence.setdefault(rule.role, []).extend(words)
    if hits.industry or hits.industry_weak:
        named = cues.employers.search(bio_f)
        company = None if named is not None else cues.company.search(bio or "")
        handle_match = _BIO_HANDLE.search(bio or "")
        if named is not None:
            hits.employer = named.group(1)
            hits.industry_weak.append(f"bio:{named.group(1)}")
        elif company is not None:
            hits.employer = fold(company.group(1))
            hits.industry_weak.append(f"bio:{hits.employer}")
        elif handle_match is not None:
            hits.employer = "@" + handle_match.group(1)
    return hits


def _in_the_past(bio_f: str, evidence: str, titles: list[tuple[int, int]]) -> bool:
    """Whether a bio cue (``bio:<phrase>``) names a position held before: every time it
    occurs, it is inside one of the ``titles`` of :func:`past_titles`.

    >>> bio = "a former college professor living with crohn's"
    >>> _in_the_past(bio, "bio:professor", past_titles(bio))
    True
    >>> _in_the_past(bio, "bio:living with", past_titles(bio))
    False
    >>> bio = "professor, former dean"
    >>> _in_the_past(bio, "bio:professor", past_titles(bio))
    False
    """
    if not titles or not evidence.startswith("bio:"):
        return False
    found = [m.span() for m in _phrase_pattern(evidence[4:]).finditer(bio_f)]
    return bool(found) and all(any(a <= s and e <= b for a, b in titles) for s, e in found)


def past_titles(bio_f: str) -> list[tuple[int, int]]:
    """Spans of the folded bio that name a position held before: a title that "former",
    "retired" or "ex-" (FR "ancien", "retraité") opens, up to the next punctuation or a word
    that starts something else ("and", "with", "now", "living"...)."""
    return [m.span() for m in _PAST_TITLE.finditer(bio_f)]


@lru_cache(maxsize=1 << 12)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])")


def _person_voice(cues: _Cues, bio_f: str) -> bool:
    """Whether the folded bio speaks as a person and not as an institution too."""
    return bool(cues.person_voice.search(bio_f)) and not cues.institution_voice.search(bio_f)


def _family_words(rule: _Rule, bio_f: str) -> list[str]:
    """The evidence of a ``family`` rule in the folded bio, sorted."""
    return sorted({f"bio:{m.group(1)}" for m in rule.pattern.finditer(bio_f)})


def names_an_area(bio: str | None, taxonomy: Taxonomy) -> bool:
    """Whether a bio names a therapeutic area (a condition, a specialty's field, a disease
    hashtag): what makes a family or a patient word about health.

    >>> from kolmap.ingest.areas import load_taxonomy
    >>> tax = load_taxonomy()
    >>> names_an_area("Mom of 3, T1D warrior", tax), names_an_area("Mom of 3", tax)
    (True, False)
    """
    return _names_an_area(fold(bio or ""), taxonomy)


def _names_an_area(bio_f: str, taxonomy: Taxonomy) -> bool:
    """Whether the folded bio names a therapeutic area: a keyword, or a word that is a disease
    or congress hashtag (what ``tag_text`` of the bio or ``tag_hashtags`` of its words find)."""
    if taxonomy.tag_text(bio_f):
        return True
    return any(_is_area_hashtag(taxonomy, word) for word in set(_HASHTAG_WORD.findall(bio_f)))


@lru_cache(maxsize=1 << 16)
def _is_area_hashtag(taxonomy: Taxonomy, word: str) -> bool:
    """Whether ``word`` is a disease or congress hashtag of ``taxonomy``. Cached: the words of
    bios repeat far more than the bios do."""
    return bool(taxonomy.tag_hashtags([word]))
