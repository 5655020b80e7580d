"""Invented people and institutions for the synthetic worlds: names, handles, places and bios.

Every name is built from made-up syllables; bios follow the styles real health accounts use
(a full specialty, a title or grade only, an institution only, shorthand, nothing, or
something unrelated). ``|`` separates the phrases of each pool.

>>> import random
>>> rng = random.Random(1)
>>> bio = hcp_bio(rng, "cardiology", "fr", "full", "physician")
>>> bool(bio) and hcp_bio(rng, "cardiology", "fr", "empty", "physician")
''
"""

from __future__ import annotations

import random

__all__ = [
    "BIO_STYLES",
    "ascii_lower",
    "caregiver_bio",
    "first_name",
    "handle_base",
    "hcp_bio",
    "institution",
    "location",
    "patient_bio",
    "public_bio",
    "researcher_bio",
    "specialty",
    "surname",
    "town",
]


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


_SYL = _pool("va|ren|ko|del|mi|ro|sa|lu|tor|bel|ni|za|qui|mar|tes|lo|vek|du|ran|fel|po|gra|shi|mon")
_FIRST = {
    "fr": _pool(
        "Camille|Léa|Hugo|Chloé|Louis|Manon|Jules|Inès|Théo|Zoé|Noé|Élise|Rémi|Anaïs|Loïc|Maëlle|"
        "Benoît|Céline|Margaux|Arthur|Sophie|Yanis|Clémence|Mathis|Héloïse|Bastien|Lina|Gaël"
    ),
    "en": _pool(
        "Alex|Jordan|Morgan|Taylor|Riley|Casey|Jamie|Avery|Quinn|Harper|Rowan|Emerson|Skyler|"
        "Reese|Dakota|Kendall|Priya|Omar|Grace|Nadia|Ethan|Maya|Owen|Leah|Samir|Chloe|Ben|Aisha"
    ),
}
_TOWN_FR = (
    _pool("Mont|Val|Saint-|Beau|Roche|Fontaine-|Ker|Ville"),
    _pool("morel|larès|brune|vance|delis|lamont|tavel|nerac"),
)
_TOWN_EN = (
    _pool("Kes|Wil|Brae|Hol|Stan|Mar|Thorn|Elm"),
    _pool("mere|bridge|vale|worth|ford|stead|haven|combe"),
)
_LOCATION = {
    "fr": _pool(
        "Paris|Lyon|Marseille|Bordeaux|Lille|Nantes|Toulouse|Montréal|Bruxelles|Genève|France|||||||"
    ),
    "en": _pool(
        "London|Boston, MA|Toronto|Manchester, UK|Sydney|Dublin|New York|Chicago|USA|UK|||||||"
    ),
}


def surname(rng: random.Random) -> str:
    return "".join(rng.choice(_SYL) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def first_name(rng: random.Random, lang: str) -> str:
    return rng.choice(_FIRST[lang])


def town(rng: random.Random, lang: str) -> str:
    heads, tails = _TOWN_FR if lang == "fr" else _TOWN_EN
    head, tail = rng.choice(heads), rng.choice(tails)
    return head + (tail.capitalize() if head.endswith("-") else tail)


def location(rng: random.Random, lang: str) -> str:
    return rng.choice(_LOCATION[lang])


def institution(rng: random.Random, lang: str, kind: str = "hospital") -> str:
    """An invented hospital, university or institute."""
    place = town(rng, lang)
    if lang == "fr":
        return {
            "hospital": f"CHU de {place}",
            "university": f"Université de {place}",
            "institute": f"Institut {surname(rng)}",
        }[kind]
    return {
        "hospital": f"{place} General Hospital",
        "university": f"{place} University",
        "institute": f"{surname(rng)} Institute",
    }[kind]


def handle_base(
    rng: random.Random, first: str, last: str, hint: str = "", doctor: bool = False
) -> str:
    """A handle stem the way people pick them: names, initials, a specialty hint, and ``dr``
    for doctors only."""
    first = ascii_lower(first)
    last = last.lower()
    pattern = rng.randrange(6)
    if pattern == 0 and doctor:
        return f"dr{last}"
    if pattern == 1:
        return f"{first}_{last}"
    if pattern == 2:
        return f"{first[0]}{last}"
    if pattern == 3 and hint:
        return f"{last}_{hint}"
    if pattern in (0, 4):
        return f"{first}{last}"
    return f"{first}{last[:3]}"


def ascii_lower(text: str) -> str:
    return text.lower().translate(_ASCII)


_ASCII = str.maketrans("éèëêïîôöàâçüû", "eeeeiiooaacuu")

BIO_STYLES = ("full", "title", "institution", "shorthand", "empty", "uninformative")

# Full specialties per area: physicians / nurses / pharmacists / GPs, (fr, en).
_SPECIALTY = {
    "oncology": {
        "physician": (
            _pool("Oncologue médical|Oncologue radiothérapeute|Onco-hématologue|Cancérologue"),
            _pool("Medical oncologist|Radiation oncologist|Surgical oncologist|Oncologist"),
        ),
        "nurse": (
            _pool("Infirmière en oncologie|IDE en cancérologie"),
            _pool("Oncology nurse specialist|Cancer nurse navigator"),
        ),
        "pharmacist": (_pool("Pharmacien en oncologie"), _pool("Oncology pharmacist, BCOP")),
    },
    "diabetes": {
        "physician": (
            _pool("Diabétologue|Endocrinologue|Endocrinologue-diabétologue"),
            _pool("Endocrinologist|Diabetologist|Consultant endocrinologist"),
        ),
        "nurse": (
            _pool("Infirmière en diabétologie|IDE éducation thérapeutique diabète"),
            _pool("Diabetes educator, RN|Diabetes specialist nurse"),
        ),
        "pharmacist": (
            _pool("Pharmacienne, suivi du diabète"),
            _pool("Clinical pharmacist, diabetes clinic"),
        ),
    },
    "cardiology": {
        "physician": (
            _pool("Cardiologue|Cardiologue interventionnel|Rythmologue|Chirurgien cardiaque"),
            _pool("Cardiologist|Interventional cardiologist|Electrophysiologist|Cardiac surgeon"),
        ),
        "nurse": (
            _pool("Infirmière en cardiologie|IDE salle de cathétérisme"),
            _pool("Cardiac nurse|Heart failure nurse specialist"),
        ),
        "pharmacist": (_pool("Pharmacien, cardiologie"), _pool("Cardiology pharmacist")),
    },
}
_INTEREST = {
    "oncology": (
        _pool("Cancer du sein|Cancer du poumon|Essais précoces|Immuno-oncologie|Mélanome"),
        _pool("Breast cancer|Lung cancer|Early-phase trials|Immuno-oncology|Melanoma|GI cancers"),
    ),
    "diabetes": (
        _pool("Diabète de type 1|Technologies du diabète|Obésité|Pied diabétique"),
        _pool("Type 1 diabetes|Diabetes tech|Obesity medicine|Diabetic kidney disease"),
    ),
    "cardiology": (
        _pool("Insuffisance cardiaque|Imagerie cardiaque|Rythmologie|Prévention cardiovasculaire"),
        _pool("Heart failure|Cardiac imaging|Arrhythmia|Preventive cardiology|Women in cardiology"),
    ),
}
# Titles and grades without a specialty, per job: (fr, en).
_TITLE = {
    "senior": (
        _pool("PU-PH, {hosp}|Chef de service|Professeur de médecine, {uni}|PU-PH"),
        _pool("Professor of Medicine, {uni}|Consultant physician|FRCP|Chair of Medicine, {uni}"),
    ),
    "physician": (
        _pool(
            "PU-PH, {hosp}|Chef de service, {hosp}|PH|CCA|Interne|Chef de clinique|"
            "Médecin au {hosp}|Praticien hospitalier, {hosp}|Médecin. Enseignant. {uni}"
        ),
        _pool(
            "Consultant physician|Consultant|Registrar|Attending physician, {hosp}|Fellow|PGY-2|"
            "Resident|FRCP|Associate Professor of Medicine, {uni}|MD, FRCP|Attending|MD"
        ),
    ),
    "gp": (_pool("Médecin|Docteur en médecine|MG, maître de stage"), _pool("MD|MBBS, MRCGP|DO")),
    "nurse": (_pool("IDE|IPA|Cadre de santé|IDE, {hosp}"), _pool("RN|RN, BSN|NP|Nurse, {hosp}")),
    "pharmacist": (_pool("Pharmacien hospitalier|PharmD|Pharmacienne"), _pool("PharmD|Pharmacist")),
    "allied": (_pool("Kiné|Sage-femme|Diététicienne"), _pool("Physiotherapist|Midwife|RD")),
}
# Shorthand: a specialist's own (KOLs, DOLs), a nurse's, a trainee's; then generic or
# other-area ones that ordinary HCPs use too.
_SHORTHAND = {
    "oncology": {
        "senior": (
            _pool("onco|radiothé|onco-gyn"),
            _pool("heme/onc doc|Gyn-Onc|rad onc|breast onc"),
        ),
        "nurse": (_pool("IDE onco"), _pool("onc nurse|chemo nurse")),
        "junior": (_pool("interne onco"), _pool("onc fellow|heme/onc fellow")),
    },
    "diabetes": {
        "senior": (_pool("endoc|diabéto"), _pool("T1D doc|endo|diabetes doc")),
        "nurse": (_pool("IDE ETP"), _pool("diabetes RN|CDCES")),
        "junior": (_pool("interne endoc"), _pool("endo fellow")),
    },
    "cardiology": {
        "senior": (_pool("cardio|rythmo"), _pool("EP cardiologist|HF doc|echo nerd|cath lab doc")),
        "nurse": (_pool("IDE cardio"), _pool("cath lab nurse|cardiac RN")),
        "junior": (_pool("interne cardio"), _pool("cardio fellow")),
    },
}
_SHORTHAND_ANY = (_pool("MG|IDE|interne|PH"), _pool("ID doc|Gyn-Ob|GP|FM doc|MD"))
_UNINFORMATIVE = (
    _pool(
        "Papa. Vélo. Café.|Maman, rando, jardin|Avis personnels|Lecteur, marcheur|🇫🇷|"
        "Ici pour apprendre|Bretagne ❤️"
    ),
    _pool(
        "Dad. Runner. Coffee.|Opinions my own|Books & bikes|Living the dream|Here for the science|"
        "Dog person 🐕|Tea > coffee"
    ),
)


def specialty(rng: random.Random, area: str, lang: str, job: str = "physician") -> str:
    """A specialty as written in bios (``Cardiologue``, ``Oncology nurse specialist``...)."""
    if job == "gp":
        return "Médecin généraliste" if lang == "fr" else "GP"
    return rng.choice(_SPECIALTY[area][job][0 if lang == "fr" else 1])


def _fill(rng: random.Random, text: str, lang: str) -> str:
    if "{hosp}" in text:
        text = text.replace("{hosp}", institution(rng, lang, "hospital"))
    if "{uni}" in text:
        text = text.replace("{uni}", institution(rng, lang, "university"))
    return text


def hcp_bio(
    rng: random.Random, area: str, lang: str, style: str, job: str, senior: bool = False
) -> str:
    """A clinician's bio in ``style`` (one of BIO_STYLES); ``job`` is physician, gp, nurse,
    pharmacist or allied (physios, midwives: title only); ``senior`` bios (KOLs, DOLs) carry
    grades and institutions and never another area's shorthand."""
    fr = lang == "fr"
    if style == "empty":
        return ""
    if style == "uninformative":
        return rng.choice(_UNINFORMATIVE[0 if fr else 1])
    if style == "institution":
        kind = rng.choice(("hospital", "hospital", "institute", "university"))
        return (
            institution(rng, lang, kind)
            if rng.random() < 0.7
            else "@" + institution(rng, lang, kind).replace(" ", "")[:15]
        )
    if style == "shorthand":
        if job in ("gp", "pharmacist", "allied") or (not senior and rng.random() < 0.3):
            return rng.choice(_SHORTHAND_ANY[0 if fr else 1])
        kind = (
            "nurse" if job == "nurse" else "senior" if senior else rng.choice(("senior", "junior"))
        )
        return rng.choice(_SHORTHAND[area][kind][0 if fr else 1])
    if style == "title" or job == "allied":
        pick = rng.choice(_TITLE["senior" if senior else job][0 if fr else 1])
        return _fill(rng, pick, lang)
    # full
    if job == "gp":
        spec = "Médecin généraliste" if fr else "GP"
        extra = rng.choice(_INTEREST[area][0 if fr else 1]).lower()
        return f"{spec}, intérêt pour : {extra}" if fr else f"{spec} with an interest in {extra}"
    spec = rng.choice(_SPECIALTY[area][job][0 if fr else 1])
    interest = rng.choice(_INTEREST[area][0 if fr else 1])
    if senior:
        grade = (
            rng.choice(("PU-PH", "MD PhD", "PH"))
            if fr
            else rng.choice(("MD PhD", "MD, FRCP", "MD"))
        )
        inst = institution(rng, lang, rng.choice(("hospital", "university")))
        return f"{spec}, {grade}. {interest}. {inst}"
    tail = rng.choice(
        ("Avis personnels.", "", "Enseignement.", "Recherche clinique.")
        if fr
        else ("Views my own.", "", "Teaching.", "Clinical trials.")
    )
    return f"{spec} | {interest}. {tail}".strip()


_RESEARCHER = (
    _pool(
        "Épidémiologiste|Biostatisticienne|Doctorante en biologie du {topic}|Post-doc, {topic}|"
        "Maître de conférences en épidémiologie, {uni}|Chercheuse, labo {lab}, {topic}|"
        "Data scientist santé"
    ),
    _pool(
        "Epidemiologist · {topic} cohorts|Biostatistician | trials|PhD student, {topic} @ {uni}|"
        "Postdoc in {topic} biology|Associate Professor of Epidemiology, {uni}|"
        "Research fellow, {topic} outcomes|Health data scientist"
    ),
)
_RESEARCH_TOPIC = {
    "oncology": ("cancer", "cancer"),
    "diabetes": ("diabète", "diabetes"),
    "cardiology": ("cardiovasculaire", "cardiovascular"),
}


def researcher_bio(rng: random.Random, area: str, lang: str, editor_journal: str = "") -> str:
    """Bios of epidemiologists, statisticians, students and postdocs."""
    if editor_journal:
        return f"Professor of Public Health · Associate Editor, {editor_journal}"
    fr = lang == "fr"
    if rng.random() < 0.12:
        return ""
    text = rng.choice(_RESEARCHER[0 if fr else 1]).replace(
        "{topic}", _RESEARCH_TOPIC[area][0 if fr else 1]
    )
    return _fill(rng, text, lang).replace("{lab}", surname(rng))


_PATIENT = {
    "oncology": (
        _pool(
            "Survivante d'un cancer du sein 🎗️|Mélanome en rémission|"
            "Cancer du poumon, EGFR+, je témoigne|"
            "Métastatique et toujours là|En chimio depuis mars, je partage|"
            "Cancer colorectal 2022, suivi"
        ),
        _pool(
            "Living with metastatic breast cancer · mom of 2 · #BCSM|Lung cancer survivor, EGFR+|"
            "Stage IV, still here|Melanoma survivor, wear sunscreen|Colorectal cancer at 38 #CRCSM|"
            "Cancer patient, one scan at a time"
        ),
    ),
    "diabetes": (
        _pool(
            "DT1 depuis mes 12 ans|Diabétique type 2, je partage mon quotidien|"
            "Sous pompe à insuline depuis 2019|Diabète de type 1 et sportive"
        ),
        _pool(
            "T1D since 1998|T2D, walking it off|Type 1 diabetic, pump + CGM|"
            "Living with type 2 diabetes|#T1D and marathons"
        ),
    ),
    "cardiology": (
        _pool(
            "Infarctus à 44 ans, réadaptation cardiaque et rebond|Fibrillation atriale et moi|"
            "Insuffisant cardiaque, greffé en 2021|Porteur de pacemaker"
        ),
        _pool(
            "Heart attack survivor at 42|AFib & me|Heart failure, still hiking|Pacemaker life|"
            "Congenital heart disease, 2 surgeries"
        ),
    ),
}
_VAGUE = (
    _pool(
        "Un jour à la fois|Maman de 3 loulous|Battante 💪|Je vis, je lis, je marche|Combattante|"
        "Nouveau départ"
    ),
    _pool(
        "One day at a time|Spoonie 🥄|Trying my best|Warrior 💪|Grateful for every day|Just a mum|"
        "Still standing"
    ),
)
_CAREGIVER = {
    "oncology": (
        _pool("Aidante de mon mari, cancer du poumon|Fille d'une maman en chimio"),
        _pool("Caregiver to my wife, breast cancer|My son's cancer journey"),
    ),
    "diabetes": (
        _pool("maman d'un enfant diabétique|Papa d'une DT1 de 6 ans"),
        _pool("T1D mum of a 7-year-old|T1D dad, night checks expert"),
    ),
    "cardiology": (
        _pool("Maman d'un petit cœur réparé|Aidant de mon père, insuffisance cardiaque"),
        _pool("heart mom 💙|Caregiver to my dad (heart failure)"),
    ),
}
_CARE_VAGUE = (
    _pool("Maman, aidante|Aidante. Fatiguée. Reconnaissante.|Maman de deux"),
    _pool("Caregiver. Tired. Grateful.|Proud mum|Mum of two, coffee of ten"),
)


def patient_bio(
    rng: random.Random, area: str, lang: str, states_condition: bool
) -> tuple[str, str]:
    """A patient's bio and its style (``full`` names the condition; ``vague``, ``empty``, ...)."""
    fr = 0 if lang == "fr" else 1
    if states_condition:
        return rng.choice(_PATIENT[area][fr]), "full"
    pick = rng.random()
    if pick < 0.35:
        return "", "empty"
    if pick < 0.75:
        return rng.choice(_VAGUE[fr]), "vague"
    return rng.choice(_UNINFORMATIVE[fr]), "uninformative"


def caregiver_bio(
    rng: random.Random, area: str, lang: str, states_condition: bool
) -> tuple[str, str]:
    fr = 0 if lang == "fr" else 1
    if states_condition:
        return rng.choice(_CAREGIVER[area][fr]), "full"
    if rng.random() < 0.3:
        return "", "empty"
    return rng.choice(_CARE_VAGUE[fr]), "vague"


_PUBLIC = (
    _pool(
        "Fan de foot et de séries|Photographe amateur|Prof des écoles|Cuisine, voyages|"
        "Lyonnais exilé|"
        "Supporter du PSG ⚽|Jardinier du dimanche|Musique, cinéma|Étudiante en droit|"
        "Je râle donc je suis"
    ),
    _pool(
        "Runner, foodie|Dev by day|Dog mom|Coffee, books, travel|Gamer|Music is life 🎶|Teacher|"
        "Proud Yorkshireman|Student|Just here for the memes|Hiker ⛰️|Engineer, dad, cyclist"
    ),
)


def public_bio(rng: random.Random, lang: str) -> tuple[str, str]:
    if rng.random() < 0.25:
        return "", "empty"
    return rng.choice(_PUBLIC[0 if lang == "fr" else 1]), "everyday"
