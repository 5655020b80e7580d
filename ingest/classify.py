"""Infer an account's role (HCP, patient, organisation, brand, media, public) from its profile.

A transparent rule scorer over FR and EN cues: each role has weighted phrases matched on the
folded bio and display name; the highest total wins, ties go to the more specific role. The
result carries the matched phrases as evidence so that every label can be checked, and a
user-verified label (``labels.csv``) always wins over the inference.

Signals used: words in the bio (self-description: "Oncologue médical", "Breast cancer survivor",
"Compte officiel"), the display name ("Dr", "Hôpital", "Pharma"), and follow behaviour for
accounts with no words to go on (an account followed by very many and following almost none
is an institution or a public figure, not a private individual).

>>> classify("Oncologue médical au CHU de Lyon. MD PhD", "Dr Camille Roux").role
<Role.HCP: 'hcp'>
>>> classify("Breast cancer survivor & patient advocate", "Anna").role
<Role.PATIENT: 'patient'>
>>> classify("Compte officiel du laboratoire pharmaceutique Exemplar", "Exemplar France").role
<Role.BRAND: 'brand'>
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.text import fold
from kolmap.model import Role

__all__ = ["Classification", "Rule", "classify", "rules"]


@dataclass(frozen=True)
class Classification:
    """An inferred role with the phrases that led to it."""

    role: Role
    evidence: str
    confidence: str
    specialty: str | None = None
    specialty_area: str | None = None


# (role, weight, phrases): phrases are folded (lower case, no accents); '\b' word edges apply.
def _words(text: str) -> list[str]:
    """Phrases separated by ``|`` (compact to read and to extend)."""
    return [w.strip() for w in text.split("|") if w.strip()]


# Affiliation words: in a bio they say where someone works, in a name what the account is.
_ORG_WORDS = _words(
    "hospital | hopital | chu | clinic | clinique | university | universite | institut | "
    "institute | society | societe | association | foundation | fondation | federation | "
    "network | reseau | college | academy | ligue | alliance | agency | agence | ministry | "
    "ministere"
)

_BIO_RULES: list[tuple[Role, int, list[str]]] = [
    (
        Role.HCP,
        4,
        _words(
            "md | m.d | mbbs | frcp | facp | physician | doctor of medicine | medecin | docteur "
            "en medecine | oncologist | oncologue | hematologist | hematologue | cardiologist | "
            "cardiologue | diabetologist | diabetologue | endocrinologist | endocrinologue | "
            "neurologist | neurologue | pulmonologist | pneumologue | dermatologist | "
            "dermatologue | gastroenterologist | gastro-enterologue | gastroenterologue | "
            "psychiatrist | psychiatre | infectiologue | rheumatologist | rhumatologue | surgeon "
            "| chirurgien | chirurgienne | nurse | infirmier | infirmiere | ipa | pharmacist | "
            "pharmacien | pharmacienne | radiologist | radiologue | pediatrician | pediatre | "
            "general practitioner | medecin generaliste | gp | internist | interniste | chef de "
            "clinique | praticien hospitalier | pu-ph | mcu-ph | interne en medecine | midwife | "
            "sage-femme | geneticist | geneticien | neurosurgeon | neurochirurgien | "
            "epidemiologist | virologist | hepatologist | hepatologue | allergist | "
            "radiotherapeute | cancerologue | medical oncologist | resident physician | md phd | "
            "md, phd | nurse practitioner | registered nurse | rn"
            # Other clinical professions and grades (FR/EN).
            " | doctor | medical doctor | dentist | dentiste | chirurgien-dentiste | "
            "physiotherapist | physio | physical therapist | kinesitherapeute | kine | "
            "orthophoniste | speech therapist | nephrologist | nephrologue | urologist | urologue "
            "| anesthesiologist | anaesthetist | anesthesiste | gynecologist | gynecologue | "
            "obstetrician | ophthalmologist | ophtalmologue | pathologist | intensivist | "
            "reanimateur | urgentiste | emergency physician | psychotherapist | psychotherapeute "
            "| registrar | specialist registrar | chief resident | director of nursing | cadre de "
            "sante | peds | paediatrician | doctor of osteopathy | osteopathe"
        ),
    ),
    (
        Role.PATIENT,
        4,
        _words(
            "survivor | survivante | survivant | patient advocate | patiente | patiente experte | "
            "patient expert | patient partenaire | living with | vis avec | vivre avec | je vis "
            "avec | atteinte de | atteint de | diagnosed with | diagnostiquee | diagnostique en | "
            "caregiver | aidante | aidant | spoonie | warrior | my journey with | mon combat | "
            "t1d since | type 1 since | mum of a | mom of a | maman d'un | maman d'une | parent "
            "of a child with | patient advocacy | e-patient | epatient | thriver | previvor | en "
            "remission | in remission | cancer fighter"
        ),
    ),
    (
        Role.ORGANISATION,
        4,
        _words(
            "society of | societe francaise | societe de | association of | association francaise "
            "| federation of | foundation for | official account | compte officiel | institute of "
            "| college of | academy of | alliance for | we are a | nous sommes une | nous sommes "
            "un"
        ),
    ),
    (
        Role.ORGANISATION,
        2,
        _ORG_WORDS
        + _words(
            "centre hospitalier | academie | research center | research centre | centre de "
            "recherche | charity | nonprofit | non-profit | ngo | ong | we are | nous sommes "
            "| our mission | notre mission | department of | service de | unit | unite | "
            "coalition | registry"
        ),
    ),
    (
        Role.BRAND,
        4,
        _words(
            "laboratoire pharmaceutique | pharmaceutical company | biopharmaceutical | biopharma "
            "| biotech company | medtech | medical device | dispositifs medicaux | healthcare "
            "company | our medicines | nos medicaments | prescribing information | for us "
            "healthcare professionals | intended for | mentions legales | terms of use | "
            "community guidelines | pharma company | entreprise de sante | groupe pharmaceutique "
            "| pharmaceutical group"
        ),
    ),
    (Role.BRAND, 2, _words("pharma | laboratoires | laboratories | inc | ltd | gmbh | plc")),
    (
        Role.MEDIA,
        3,
        _words(
            "journal | news | magazine | medias | media | actualite | actualites | redaction | "
            "newsletter | podcast | journalist | journaliste | reporter | editor | editeur | "
            "redacteur | redactrice | presse | press | tv | radio | broadcast | publication | "
            "revue | le quotidien"
        ),
    ),
]
# Family words say "patient or caregiver" only next to a disease word (checked in classify).
_FAMILY_RULE: list[tuple[Role, int, list[str]]] = [
    (
        Role.PATIENT,
        2,
        _words(
            "patient | maman | mom | mum | dad | papa | mother | father | mere | pere | wife | "
            "husband | epouse | mari | fille | fils"
        ),
    ),
]
_NAME_RULES: list[tuple[Role, int, list[str]]] = [
    (Role.HCP, 2, _words("dr | dr. | pr | pr. | prof | prof. | docteur | professeur")),
    (Role.ORGANISATION, 4, _ORG_WORDS + _words("centre | center")),
    (
        Role.BRAND,
        4,
        _words(
            "pharma | laboratoires | laboratories | therapeutics | biotech | inc | ltd | gmbh | "
            "plc | medtech"
        ),
    ),
    (
        Role.MEDIA,
        4,
        _words(
            "news | journal | magazine | tv | radio | press | presse | media | medias | times | "
            "post | tribune | quotidien | mag"
        ),
    ),
]
# When totals tie, the more specific role wins.
PRIORITY = [Role.BRAND, Role.MEDIA, Role.ORGANISATION, Role.HCP, Role.PATIENT, Role.PUBLIC]


def _compile(rules: list[tuple[Role, int, list[str]]]) -> list[tuple[Role, int, re.Pattern[str]]]:
    return [(role, weight, re.compile(phrase_pattern(phrases))) for role, weight, phrases in rules]


def phrase_pattern(phrases: list[str]) -> str:
    """The regex of a phrase rule: any of ``phrases`` as whole words, longest first, with
    an optional plural ending; group 1 is the phrase."""
    body = "|".join(re.escape(p) for p in longest_first(phrases))
    return r"(?<![\w])(" + body + r")(?:s|x|es)?(?![\w])"


def longest_first(phrases: list[str]) -> list[str]:
    """The order in which a rule tries its phrases (the longest wins where several match)."""
    return sorted(phrases, key=len, reverse=True)


# Clinical training grades written around a specialty: "Cardiology Fellow", "PGY-2". The
# body is valid in Python's re and in RE2 alike (the bulk reader matches it in SQL).
GRADE_PATTERN = (
    r"\w+olog(?:y|ie) (?:fellow|resident|registrar|nurse)|pgy-?\d|"
    r"(?:internal medicine|surgery|surgical|medical) resident|interne des hopitaux"
)
_BIO = _compile(_BIO_RULES)
_BIO.append((Role.HCP, 4, re.compile(r"(?<![\w])(" + GRADE_PATTERN + r")(?![\w])")))
_FAMILY = _compile(_FAMILY_RULE)
_NAME = _compile(_NAME_RULES)


@dataclass(frozen=True)
class Rule:
    """One scoring rule as data, for a reader that applies the rules elsewhere (the bulk
    CSV reader does it in SQL): where it looks, the role it adds ``weight`` to, and its
    phrases (matched as :func:`phrase_pattern` does) or, for the grade rule, a regex body
    matched as whole words without plurals."""

    where: str  # "bio", "name" or "family" (the bio, only when nothing else matched)
    role: Role
    weight: int
    phrases: tuple[str, ...] = ()
    pattern: str | None = None


def rules() -> list[Rule]:
    """Every rule in the order :func:`classify` applies them (which orders the evidence)."""
    out = [Rule("bio", r, w, tuple(p)) for r, w, p in _BIO_RULES]
    out.append(Rule("bio", Role.HCP, 4, pattern=GRADE_PATTERN))
    out += [Rule("name", r, w, tuple(p)) for r, w, p in _NAME_RULES]
    out += [Rule("family", r, w, tuple(p)) for r, w, p in _FAMILY_RULE]
    return out


# The evidence of the roles given without a phrase, and the follow counts that make an
# account look institutional (followed by at least this many, following fewer than
# followers / INSTITUTION_RATIO).
BEHAVIOUR_EVIDENCE = "behaviour:followed by many, follows few"
PUBLIC_EVIDENCE = "bio:no professional or patient cue"
INSTITUTION_FOLLOWERS = 50_000
INSTITUTION_RATIO = 200


def classify(
    bio: str | None,
    display_name: str | None,
    *,
    handle: str | None = None,
    followers: int | None = None,
    following: int | None = None,
    taxonomy: Taxonomy | None = None,
) -> Classification:
    """Infer the role of one account; see the module docstring for the signals used."""
    scores: dict[Role, int] = {}
    evidence: dict[Role, list[str]] = {}
    bio_f = fold(bio or "")
    name_f = fold(" ".join(filter(None, [display_name, (handle or "").replace("_", " ")])))
    _score(bio_f, _BIO, "bio", scores, evidence)
    _score(name_f, _NAME, "name", scores, evidence)

    if taxonomy is not None and bio_f and not scores and taxonomy.tag_text(bio_f):
        _score(bio_f, _FAMILY, "bio", scores, evidence)

    specialty = taxonomy.specialty_of(bio or "") if taxonomy is not None else None
    if specialty is not None and Role.HCP not in scores:
        scores[Role.HCP] = 4
        evidence[Role.HCP] = [f"bio:{specialty[1]}"]

    if not scores:
        if _looks_institutional(followers, following):
            return Classification(Role.ORGANISATION, BEHAVIOUR_EVIDENCE, "low")
        if bio_f.strip():
            return Classification(Role.PUBLIC, PUBLIC_EVIDENCE, "low")
        return Classification(Role.UNKNOWN, "", "low")

    best = max(scores.values())
    role = next(r for r in PRIORITY if scores.get(r) == best)
    confidence = "high" if best >= 4 else "medium" if best >= 2 else "low"
    spec_name = spec_area = None
    if role is Role.HCP and specialty is not None:
        spec_area, spec_name = specialty
    return Classification(role, "; ".join(evidence[role]), confidence, spec_name, spec_area)


def _score(
    text: str,
    rules: list[tuple[Role, int, re.Pattern[str]]],
    where: str,
    scores: dict[Role, int],
    evidence: dict[Role, list[str]],
) -> None:
    """Add each matching rule's weight once, however many of its phrases occur.

    So affiliation words ("at a university hospital") cannot outvote a self-description
    ("Cardiologist"); only the strong organisation phrases ("society of") weigh as much.
    """
    if not text:
        return
    for role, weight, pattern in rules:
        hits = sorted({m.group(1) for m in pattern.finditer(text)})
        if hits:
            scores[role] = scores.get(role, 0) + weight
            evidence.setdefault(role, []).extend(f"{where}:{h}" for h in hits)


def _looks_institutional(followers: int | None, following: int | None) -> bool:
    if followers is None or following is None:
        return False
    return followers >= INSTITUTION_FOLLOWERS and following * INSTITUTION_RATIO < followers
