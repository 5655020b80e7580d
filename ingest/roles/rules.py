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
    "TIE_ORDER",
    "RuleHits",
    "cue_phrases",
    "informative",
    "name_text",
    "rule_hits",
]

CUES = Path(__file__).with_name("cues.toml")
# The roles the text can name, in the order that breaks ties between equal scores: a
# person's self-description before the institution it works at, a company last.
TIE_ORDER = ("hcp", "researcher", "media", "patient", "organisation", "brand")
ROLES = (*TIE_ORDER, "public", "unknown")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Where a handle splits into words: before a capital that follows a small letter, and before
# digits. Not inside a run of capitals ("RNAcentral" is not "RN Acentral", nor "MDAnderson"
# "MD Anderson": read so, the credential rules found a nurse and a physician in them).
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)")
_BIO_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})")
# Bios that say nothing about who writes them, whatever their length.
_EMPTY_PHRASES = re.compile(
    r"\b(views (are )?(my )?own|opinions (are )?(my )?own|avis perso\w*|rt\s*(!=|≠|is not|"
    r"n'est pas)\s*\w+|tweets (are )?(my )?own|he/him|she/her|they/them|il/lui|elle/la)\b"
)


@dataclass(frozen=True)
class _Rule:
    role: str
    where: str  # "bio", "name", "display", "both", "raw" or "family"
    weight: float
    pattern: re.Pattern[str]


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


@cache
def _rules() -> tuple[tuple[_Rule, ...], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = tomllib.loads(CUES.read_text("utf-8"))
    exclude_raw = re.compile("|".join(f"(?:{p})" for p in data["exclude_raw"]))
    rules = []
    for spec in data["rule"]:
        if "pattern" in spec:
            body = spec["pattern"]
        else:
            ending = r"(?:s|x|es)?" if spec.get("plural") else ""
            words = sorted({fold(p) for p in spec["phrases"]}, key=len, reverse=True)
            body = r"(?<![\w])(" + "|".join(re.escape(w) for w in words) + ")" + ending
            body += r"(?![\w])"
        rules.append(_Rule(spec["role"], spec["where"], float(spec["weight"]), re.compile(body)))
    excluded = sorted({fold(p) for p in data["exclude"]}, key=len, reverse=True)
    exclude = re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(p) for p in excluded)
        + r")|"
        + "|".join(f"(?:{p})" for p in data["exclude_audience"])
    )
    names = sorted({fold(n) for n in data["employers"]["names"]}, key=len, reverse=True)
    employers = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    return tuple(rules), exclude, exclude_raw, employers


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
    split = _CAMEL.sub(" ", (handle or "").replace("_", " ").replace(".", " "))
    return fold(" ".join(filter(None, [display_name, split])))


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
def _matches(place: str, text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """``(rule index, sorted evidence)`` of the rules of ``place`` (``bio``, ``name`` or
    ``raw``) that match ``text``. Cached: bios and names repeat across accounts."""
    rules = _rules()[0]
    if not _any_cue(place).search(text):
        return ()
    label = {"raw": "profile", "display": "name"}.get(place, place)
    out = []
    for i, rule in enumerate(rules):
        if rule.where == "family" or place not in _PLACES[rule.where]:
            continue
        found = [_matched(m) for m in rule.pattern.finditer(text)]
        if found:
            out.append((i, tuple(sorted({f"{label}:{f}" for f in found}))))
    return tuple(out)


@cache
def _voices() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A person's voice, and an institution's (``person_voice``, ``institution_voice``)."""
    data = tomllib.loads(CUES.read_text("utf-8"))
    return re.compile(data["person_voice"]), re.compile(data["institution_voice"])


@cache
def _any_cue(place: str) -> re.Pattern[str]:
    """One pattern matching wherever any rule of ``place`` could: most names and many bios
    hold no cue at all, and one search says so."""
    rules = _rules()[0]
    bodies = [r.pattern.pattern for r in rules if r.where != "family" and place in _PLACES[r.where]]
    return re.compile("|".join(f"(?:{b})" for b in bodies))


# Where each rule looks ("both": the bio and the name).
_PLACES = {
    "bio": ("bio",),
    "name": ("name",),
    "display": ("display",),
    "both": ("bio", "name"),
    "raw": ("raw",),
}


def rule_hits(
    bio: str | None,
    display_name: str | None,
    handle: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> RuleHits:
    """Apply every rule of ``cues.toml`` to one profile (see the module docstring)."""
    rules, exclude, exclude_raw, employers = _rules()
    research_word = next(r.pattern for r in rules if r.role == "researcher")
    bio_f = exclude.sub(" ", fold(bio or ""))
    name_f = exclude.sub(" ", name_text(display_name, handle))
    raw = exclude_raw.sub(
        " ", " | ".join([bio or "", display_name or "", _CAMEL.sub(" ", handle or "")])
    )
    hits = RuleHits(informative=informative(bio))
    family = [rule for rule in rules if rule.where == "family"]
    found_by_rule: dict[int, list[str]] = {}
    display_f = exclude.sub(" ", fold(display_name or ""))
    for place, text in (("bio", bio_f), ("name", name_f), ("display", display_f), ("raw", raw)):
        for i, found in _matches(place, text):
            found_by_rule.setdefault(i, []).extend(found)
    for i in sorted(found_by_rule):
        rule, matched = rules[i], sorted(set(found_by_rule[i]))
        if rule.role == "industry":
            (hits.industry if rule.weight >= 4 else hits.industry_weak).extend(matched)
            continue
        hits.scores[rule.role] = max(hits.scores.get(rule.role, 0.0), rule.weight)
        hits.evidence.setdefault(rule.role, []).extend(matched)
    voices = _voices()
    if voices[0].search(bio_f) and not voices[1].search(bio_f):
        for role in ("organisation", "brand"):
            if role in hits.scores:
                hits.scores[role] = min(hits.scores[role], 2.0)
    if taxonomy is not None:
        hits.specialty = taxonomy.specialty_of(bio or "")
        research = hits.specialty is not None and research_word.fullmatch(hits.specialty[1])
        if hits.specialty is not None and "hcp" not in hits.scores and not research:
            hits.scores["hcp"] = 5.0
            hits.evidence["hcp"] = [f"bio:{hits.specialty[1]}"]
        strong = max(hits.scores.values(), default=0.0) >= 4.0
        words = re.findall(r"[\w-]+", bio_f)
        if not strong and bio_f and (taxonomy.tag_text(bio_f) or taxonomy.tag_hashtags(words)):
            for rule in family:
                words = sorted({f"bio:{m.group(1)}" for m in rule.pattern.finditer(bio_f)})
                if words:
                    hits.scores[rule.role] = max(hits.scores.get(rule.role, 0.0), rule.weight)
                    hits.evidence.setdefault(rule.role, []).extend(words)
    if hits.industry or hits.industry_weak:
        named = employers.search(bio_f)
        handle_match = _BIO_HANDLE.search(bio or "")
        if named is not None:
            hits.employer = named.group(1)
            hits.industry_weak.append(f"bio:{named.group(1)}")
        elif handle_match is not None:
            hits.employer = "@" + handle_match.group(1)
    return hits
