"""Post texts for the synthetic worlds, in French and English, by register and therapeutic area.

A register is the way a kind of account writes: ``pro`` (trial results, guidelines, congress
takeaways), ``research``, ``explainer`` (myths and prevention for lay readers), ``lay``
(patients' own lives), one per kind of organisation (``society``, ``public_body``,
``patient_association``, ``hospital``, ``org``), ``media``, ``off`` (everyday life) and a few
for the traps (the industry's and the rings' texts are in ``_cast``). On-topic texts use the
keywords and hashtags of ingest/rules/taxonomy.toml; templates are filled from pools so that no two
accounts read alike.

>>> import random
>>> text = original(random.Random(3), "pro", "cardiology", "en")
>>> len(text) > 20
True
"""

from __future__ import annotations

import hashlib
import random
from datetime import date

__all__ = [
    "AREAS",
    "CONGRESSES",
    "fill",
    "hashtag",
    "mention",
    "original",
    "personal",
    "quote",
    "reply",
]

AREAS = ("oncology", "diabetes", "cardiology")


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


# Congress hashtags and their first day (all inside the 2026 window).
CONGRESSES: dict[str, tuple[tuple[str, date], ...]] = {
    "oncology": (
        ("AACR26", date(2026, 4, 17)),
        ("ESTRO26", date(2026, 5, 8)),
        ("ASCO26", date(2026, 5, 29)),
        ("WCLC26", date(2026, 9, 5)),
        ("ESMO26", date(2026, 10, 16)),
    ),
    "diabetes": (
        ("ATTD2026", date(2026, 3, 11)),
        ("SFD2026", date(2026, 3, 24)),
        ("ADA2026", date(2026, 6, 19)),
        ("EASD2026", date(2026, 9, 28)),
    ),
    "cardiology": (
        ("ACC26", date(2026, 3, 28)),
        ("HFA2026", date(2026, 5, 16)),
        ("EuroPCR2026", date(2026, 5, 19)),
        ("ESC2026", date(2026, 8, 28)),
        ("TCT2026", date(2026, 10, 24)),
    ),
}

# Per area: (fr, en) pools. Every topic phrase holds a taxonomy keyword of its area.
_TOPIC = {
    "oncology": (
        _pool(
            "cancer du sein HER2-low|cancer du sein métastatique|cancer du poumon EGFR+|mélanome|"
            "cancer de la prostate|cancer colorectal|biopsie liquide|chimiothérapie adjuvante|"
            "radiothérapie hypofractionnée|immuno-oncologie|sarcome|carcinome hépatocellulaire"
        ),
        _pool(
            "HER2-low breast cancer|metastatic breast cancer|EGFR-mutant lung cancer|melanoma|"
            "prostate cancer|colorectal cancer|liquid biopsy|adjuvant chemotherapy|"
            "hypofractionated radiotherapy|immuno-oncology|glioblastoma|CAR-T in solid tumors"
        ),
    ),
    "diabetes": (
        _pool(
            "diabète de type 1|diabète de type 2|pompe à insuline|boucle fermée et insuline|"
            "capteurs CGM|objectifs d'HbA1c|analogues du GLP-1|obésité|diabète gestationnel|"
            "titration de l'insuline"
        ),
        _pool(
            "type 1 diabetes|type 2 diabetes|insulin pumps|automated insulin delivery|CGM|"
            "HbA1c targets|GLP-1 agonists|obesity|gestational diabetes|insulin titration"
        ),
    ),
    "cardiology": (
        _pool(
            "insuffisance cardiaque|fibrillation atriale|hypertension|infarctus|maladie coronaire|"
            "cholestérol|TAVI|échocardiographie|réadaptation cardiaque|prévention cardiovasculaire"
        ),
        _pool(
            "heart failure|atrial fibrillation|hypertension|myocardial infarction|coronary disease|"
            "cholesterol lowering|TAVI|echocardiography|cardiac rehab|cardiovascular prevention"
        ),
    ),
}
_LAY = {
    "oncology": (
        _pool(
            "dépistage du cancer du sein|effets de la chimio|cancer et alimentation|"
            "mélanome et soleil|cancer colorectal"
        ),
        _pool(
            "breast cancer screening|chemo side effects|cancer and diet|melanoma and sun|"
            "colorectal cancer screening"
        ),
    ),
    "diabetes": (
        _pool("diabète de type 2|l'insuline|la glycémie|le diabète chez l'enfant|HbA1c"),
        _pool("type 2 diabetes|insulin|glycemia|diabetes in kids|HbA1c"),
    ),
    "cardiology": (
        _pool(
            "crise cardiaque|hypertension|cholestérol|fibrillation atriale|insuffisance cardiaque"
        ),
        _pool("heart attack symptoms|hypertension|cholesterol|atrial fibrillation|heart failure"),
    ),
}
_FINDING = {
    "oncology": (
        _pool(
            "SG maintenue à 5 ans|HR de SSP à 0,64|clairance de l'ADNtc prédictive|pCR +14 points|"
            "aucun nouveau signal de tolérance|désescalade sûre"
        ),
        _pool(
            "OS benefit held at 5 years|PFS HR 0.64|ctDNA clearance predicted response|"
            "pCR up 14 points|no new safety signal|de-escalation looked safe"
        ),
    ),
    "diabetes": (
        _pool(
            "temps dans la cible +11 %|HbA1c −0,9 %|moins d'hypoglycémies sévères|"
            "−12 % de poids à 68 semaines|protection rénale"
        ),
        _pool(
            "time in range up 11%|HbA1c down 0.9%|fewer severe hypos|12% weight loss at 68 weeks|"
            "renal outcomes improved"
        ),
    ),
    "cardiology": (
        _pool(
            "MACE −17 %|moins d'hospitalisations|LDL −55 %|bénéfice chez le sujet âgé|"
            "charge de FA divisée par deux"
        ),
        _pool(
            "MACE down 17%|fewer hospitalisations|LDL down 55%|benefit in the elderly|"
            "AF burden halved"
        ),
    ),
}
_TRIAL = {
    "oncology": _pool("TIDEMARK-2|LUMEN-7|PALVEN|ORSEA-1|VESPER-3|KALDRA"),
    "diabetes": _pool("GLYDE-1|SUCRALINE|BASTION-2|MIRELLE-T1|ORVENA"),
    "cardiology": _pool("CORVANT|ARDENT-HF|PULSARIS|LIMNER-AF|VALTERRA"),
}
_TAG = {
    "oncology": (
        _pool("OncoTwitter|oncology|BCSM|LCSM|MedEd_Onc|GYNCSM|CRCSM|oncologie|immunotherapy"),
        _pool(
            "cancer|BreastCancer|CancerDuSein|cancerchat|BCSM|LungCancer|AYACSM|ProstateCancer|"
            "melanoma"
        ),
    ),
    "diabetes": (
        _pool("DiabetesTwitter|diabetes|T1D|T2D|WeAreNotWaiting|diabete"),
        _pool("T1D|T2D|diabetes|DOC|DSMA|insulin4all|Type1Diabetes|DiabetesCommunity|diabète"),
    ),
    "cardiology": (
        _pool("CardioTwitter|cardiology|HeartFailure|AFib|EchoFirst|WomenInHeart|cardiologie"),
        _pool("HeartHealth|CVD|AFib|HeartFailure|cardiologie|HeartHealth"),
    ),
}
_COMMENT = (
    _pool(
        "Ça change la pratique.|Génère des hypothèses, sans plus.|Le coût va peser.|"
        "Il faut plus de recul.|Belle avancée pour les patients.|Bras contrôle discutable.|"
        "Utile au quotidien."
    ),
    _pool(
        "Practice-changing.|Hypothesis-generating only.|Cost will matter.|Need longer follow-up.|"
        "Big step for patients.|Not convinced by the control arm.|Useful in daily practice."
    ),
)
_MYTH = {
    "oncology": (
        _pool(
            "le sucre nourrit le cancer > aucun aliment seul ne cause ni ne guérit un cancer|"
            "la biopsie fait flamber le cancer > c'est faux, elle guide le traitement|"
            "le mélanome ne touche que les peaux claires > tout le monde doit surveiller ses "
            "grains de beauté"
        ),
        _pool(
            "sugar feeds cancer > no single food causes or cures cancer|"
            "biopsies spread cancer > they don't, they guide treatment|"
            "only fair skin gets melanoma > everyone should check their moles"
        ),
    ),
    "diabetes": (
        _pool(
            "le diabète de type 2 c'est votre faute > génétique et environnement pèsent lourd|"
            "l'insuline est un échec > c'est un traitement, pas une punition|"
            "on ne peut pas faire de sport avec un diabète > bien au contraire"
        ),
        _pool(
            "type 2 diabetes is your fault > genes and environment matter a lot|"
            "insulin means failure > it's a treatment, not a punishment|"
            "you can't do sport with diabetes > quite the opposite"
        ),
    ),
    "cardiology": (
        _pool(
            "l'infarctus touche surtout les hommes > les femmes aussi, avec d'autres signes|"
            "l'hypertension se sent > elle est souvent silencieuse|"
            "le cholestérol ne concerne que les seniors > il se dépiste tôt"
        ),
        _pool(
            "heart attacks are a men's problem > women have them too, with different signs|"
            "you can feel hypertension > it's usually silent|"
            "cholesterol is an old people's issue > check it early"
        ),
    ),
}
_TEMPLATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pro": (
        _pool(
            "Nouvelles données, {topic} : {finding}. {comment}|"
            "Recommandations actualisées — {topic}. {comment}|"
            "Notre article sur {topic} est en ligne : {finding}. 🧵|"
            "Cas difficile en RCP cette semaine ({topic}). {comment}|"
            "Journal club : {trial}, {topic}. {comment}|"
            "Aux internes : {topic}, regardez le bras contrôle avant le HR."
        ),
        _pool(
            "New data in {topic}: {finding}. {comment}|"
            "Updated guidelines on {topic} are out. {comment}|"
            "Our paper on {topic} is out today: {finding}. 🧵|"
            "Tough case this week in {topic}. {comment}|"
            "Journal club: {trial} in {topic}. {comment}|"
            "Trainees: in {topic}, check the control arm before the HR."
        ),
    ),
    "congress": (
        _pool(
            "{topic} : {finding} ({trial}, #{cong}). {comment}|"
            "Retour de #{cong} sur {topic} : {finding} ; {finding2}.|"
            "Session {topic} pleine à craquer à #{cong}. {comment}"
        ),
        _pool(
            "{trial} at #{cong}: {finding} in {topic}. {comment}|"
            "Key takeaways from #{cong} on {topic}: {finding}; {finding2}.|"
            "Packed room for {topic} at #{cong}. {comment}"
        ),
    ),
    "research": (
        _pool(
            "Préprint : {topic} dans une cohorte de 40 000 personnes. {finding}.|"
            "Nouvel article : différences hommes-femmes, {topic}.|"
            "On recrute un post-doc sur {topic}, écrivez-moi.|"
            "Méta-analyse sur {topic} : hétérogénéité énorme, prudence.|"
            "Thèse soutenue sur {topic} aujourd'hui ! 🎓"
        ),
        _pool(
            "Preprint out: {topic} in a 40k-person cohort. {finding}.|"
            "New paper: sex differences in {topic} outcomes.|"
            "We're hiring a postdoc to work on {topic}. DM me.|"
            "Meta-analysis on {topic}: heterogeneity is huge, careful.|"
            "Defended my PhD on {topic} today! 🎓"
        ),
    ),
    "explainer": (
        _pool(
            "Idée reçue : {myth}. En vrai : {fact}.|3 choses à savoir sur {lay} 🧵|"
            "Vos questions sur {lay}, en direct ce soir.|"
            "Un patient m'a demandé aujourd'hui si {myth}. En bref : {fact}.|"
            "Parlons {lay}, sans jargon. 🧵"
        ),
        _pool(
            "Myth: {myth}. Fact: {fact}.|3 things to know about {lay} 🧵|"
            "Your questions on {lay}, answered live tonight.|"
            "A patient asked me today if {myth}. Short answer: {fact}.|"
            "Let's talk {lay}, no jargon. 🧵"
        ),
    ),
    "society": (
        _pool(
            "Inscriptions ouvertes pour notre congrès annuel : {topic} à l'honneur.|"
            "Nouvelles recommandations sur {topic} en ligne.|"
            "Webinaire ce soir : {topic}, avec nos experts.|Appel à communications : {topic}."
        ),
        _pool(
            "Registration is open for our annual congress: {topic} in focus.|"
            "New guidelines on {topic} now online.|Webinar tonight: {topic}, with our experts.|"
            "Call for abstracts: {topic}. Deadline Friday."
        ),
    ),
    "public_body": (
        _pool(
            "Campagne nationale sur {lay} : parlez-en à votre médecin.|"
            "Chiffres 2025 : {topic}, ce qu'il faut retenir.|Nouveau guide patients : {lay}."
        ),
        _pool(
            "National campaign on {lay}: talk to your doctor.|"
            "2025 figures on {topic}: the key points.|New patient guide: {lay}."
        ),
    ),
    "patient_association": (
        _pool(
            "Notre ligne d'écoute est ouverte pour les personnes concernées par {lay}.|"
            "Marche solidaire dimanche : {lay}, venez nombreux !|Témoignage : vivre avec {lay}."
        ),
        _pool(
            "Our helpline is open for anyone affected by {lay}.|"
            "Charity walk this Sunday for {lay}, join us!|Member story: living with {lay}."
        ),
    ),
    "hospital": (
        _pool(
            "Notre unité {topic} accueille une nouvelle équipe.|"
            "Journée portes ouvertes : {lay}.|Essai clinique ouvert aux inclusions : {topic}."
        ),
        _pool(
            "Our {topic} unit welcomes a new team.|Open day: {lay}.|"
            "Now recruiting for a clinical trial in {topic}."
        ),
    ),
    "org": (
        _pool("Nouvelles recommandations sur {topic} en ligne.|Campagne : {lay}, parlez-en."),
        _pool("New guidance on {topic} now online.|Campaign: {lay}, talk to your doctor."),
    ),
    "media": (
        _pool(
            "{Topic} : ce que dit la nouvelle étude|Enquête : l'accès aux soins pour {lay}|"
            "Tribune : {lay}, l'urgence oubliée"
        ),
        _pool(
            "{Topic}: what the new study says|Investigation: access to care for {lay}|"
            "Op-ed: {lay}, the forgotten emergency"
        ),
    ),
    "lay": (
        _pool(
            "Encore une journée compliquée avec {lay}, mais on tient.|"
            "Rendez-vous demain pour {lay}, un peu stressée.|"
            "Merci à l'équipe qui m'accompagne pour {lay} 🙏|Quelqu'un a des astuces pour {lay} ?|"
            "1 an aujourd'hui. {lay}, tu ne m'as pas eue 💪"
        ),
        _pool(
            "Rough day with {lay}, but still here.|Appointment tomorrow about {lay}, bit nervous.|"
            "Grateful for my care team, {lay} is no joke 🙏|Anyone got tips for {lay}?|"
            "1 year today. {lay} didn't win 💪"
        ),
    ),
}
_OFF = (
    _pool(
        "Belle journée à tous|Qui regarde le match ce soir ?|Un café et au travail|"
        "Les vacances approchent|Nouvelle recette testée ce week-end|Grève des trains, encore|"
        "Quel temps pourri|Enfin vendredi !|Ce livre est une pépite"
    ),
    _pool(
        "Great day out|Who's watching the game tonight?|Coffee first|Holidays are coming|"
        "Tried a new recipe this weekend|Trains cancelled again|What a weather|Finally Friday!|"
        "This book is a gem"
    ),
)
_HCP_OFF = (
    _pool(
        "Garde terminée, au lit|Fier de nos internes aujourd'hui|"
        "Encore un congrès, encore un avion ✈️|Soutien aux collègues des urgences|"
        "Le burn-out des soignants est réel|Café numéro 4 de la journée"
    ),
    _pool(
        "Night shift done ☕|Proud of our residents today|Conference travel again ✈️|"
        "Support to our ED colleagues|Clinician burnout is real|Coffee number four today"
    ),
)
_REPLY = {
    "pro": (
        _pool(
            "D'accord, le bras contrôle compte ici.|Merci pour ce résumé.|"
            "Des données chez le sujet âgé ?|Même constat en consultation.|"
            "Tu partages les slides ?"
        ),
        _pool(
            "Agree, the control arm matters here.|Great summary, thanks.|Any data in the elderly?|"
            "Same in our clinic.|Would love the slides!"
        ),
    ),
    "lay": (
        _pool(
            "Merci beaucoup, ça aide 🙏|Pareil ici, courage ❤️|Merci docteur, c'est très clair|"
            "Ma mère a vécu la même chose|Je vous envoie de la force"
        ),
        _pool(
            "Thank you so much, this helps 🙏|Same here, hugs ❤️|Thank you doctor, very clear|"
            "My mum went through the same|Sending strength"
        ),
    ),
    "argue": (
        _pool(
            "Source ?|Encore Big Pharma qui parle|Ce n'est pas ce que mon médecin dit|"
            "Facile à dire depuis un bureau|C'est de la peur pour rien"
        ),
        _pool(
            "Source?|Big pharma talking again|Not what my doctor said|"
            "Easy to say from your office|This is fearmongering"
        ),
    ),
}
_QUOTE = (
    _pool(
        "À lire absolument sur {topic}. {comment}|Ceci 👇 {comment}|"
        "Tout le monde devrait lire ça sur {lay}"
    ),
    _pool("Must-read on {topic}. {comment}|This 👇 {comment}|Everyone should read this on {lay}"),
)
_MENTION = {
    "pro": (
        _pool(
            "Super présentation de @{h} sur {topic}. {comment}|D'accord avec @{h} sur {topic}.|"
            "Bravo @{h} pour l'article sur {topic} !|Staff passionnant avec @{h} : {topic}"
        ),
        _pool(
            "Great talk by @{h} on {topic}. {comment}|Agree with @{h} on {topic}.|"
            "Congrats @{h} on the {topic} paper!|Brilliant grand rounds by @{h} on {topic} today"
        ),
    ),
    "lay": (
        _pool(
            "Merci @{h}, vos posts sur {lay} m'aident tellement|"
            "@{h} vous pourriez parler de {lay} un jour ?|J'écoute @{h} sur {lay} 🙏"
        ),
        _pool(
            "Thank you @{h}, your posts on {lay} help so much|"
            "@{h} could you talk about {lay} one day?|Listening to @{h} on {lay} 🙏"
        ),
    ),
    "media": (
        _pool("Entretien : @{h} sur {lay}|@{h} répond à vos questions sur {topic}"),
        _pool("Interview: @{h} on {lay}|@{h} answers your questions on {topic}"),
    ),
}
_EXTRA: dict[str, tuple[str, ...]] = {
    "celeb_off": _pool(
        "New single out Friday!!|Tour dates just dropped 🎤|Studio all night|Love you all ❤️|"
        "Behind the scenes of the video|Who's coming to Paris?"
    ),
    "celeb_onc": _pool(
        "My mum is a breast cancer survivor. Please book your screening ❤️ #BreastCancer #cancer|"
        "Spent the day with the kids at the cancer ward. So much courage. #cancer"
    ),
    "cure": _pool(
        "Turmeric and fasting shrink tumors, oncologists won't tell you #cancer|"
        "Chemotherapy is not the only way. Natural protocols work #cancer|"
        "My natural cancer protocol, thread 🧵 #cancer|"
        "Alkaline water and melanoma: what they hide #cancer"
    ),
    "wellness": _pool(
        "5 habits to keep your glycemia steady #diabetes|"
        "Cinnamon in the morning for blood sugar balance #T2D|"
        "Reverse type 2 diabetes with my 21-day plan #diabetes|"
        "Walk 10 minutes after meals, your insulin will thank you #T2D|"
        "Morning routine for stable glycemia ☀️ #diabetes"
    ),
}


# Words people add to a sentence from a pool: real people rarely post the very same text, so
# every genuine post gets a few of its own (picked from its id, so the stream of draws, and
# so the world's structure, does not change). Coordinated accounts keep their templates.
_OWN_WORDS = (
    _pool(
        "ce matin|ce soir|encore|enfin|à suivre|bonne lecture|merci à tous|on en reparle|"
        "vu en consultation|pensée du jour|à méditer|qu'en pensez-vous ?|je partage|"
        "petit rappel|important|très juste|bravo|courage à tous|fil ci-dessous|retour terrain"
    ),
    _pool(
        "this morning|tonight|again|finally|more soon|worth a read|thanks all|thoughts?|"
        "seen in clinic|note to self|food for thought|sharing this|quick reminder|important|"
        "so true|well done|stay strong|thread below|from the field|just saying"
    ),
)
_SCRIPTED = ("ring_a_member", "ring_b_member", "industry_staff", "industry_partner", "brand")


def personal(text: str, post_id: str, lang: str, group: str) -> str:
    """``text`` with a few words of the author's own (see ``_OWN_WORDS``), unless it is
    empty (a repost) or the author is one of the scripted accounts (rings, industry).

    >>> a, b = (personal("Coffee first", i, "en", "public") for i in ("123", "124"))
    >>> a != b, personal("Must read!", "123", "en", "ring_a_member")
    (True, 'Must read!')
    """
    if not text or group in _SCRIPTED:
        return text
    digest = int.from_bytes(hashlib.sha256(post_id.encode()).digest()[:8], "big")
    words = _OWN_WORDS[0 if lang == "fr" else 1]
    extra = words[digest % len(words)]
    number = (digest >> 16) % 97 + 2
    return f"{text} — {extra} ({number})" if digest % 3 else f"{text} {number}"


def fill(rng: random.Random, template: str, area: str, lang: str, handle: str = "") -> str:
    fr = 0 if lang == "fr" else 1
    out = template.replace("{h}", handle)
    if "{myth}" in out:
        myth, fact = rng.choice(_MYTH[area][fr]).split(" > ")
        out = out.replace("{myth}", myth).replace("{fact}", fact)
    if "{fact}" in out:
        out = out.replace("{fact}", rng.choice(_MYTH[area][fr]).split(" > ")[1])
    if "{Topic}" in out:
        topic = rng.choice(_TOPIC[area][fr])
        out = out.replace("{Topic}", topic[0].upper() + topic[1:])
    findings = rng.sample(_FINDING[area][fr], 2)
    return (
        out.replace("{topic}", rng.choice(_TOPIC[area][fr]))
        .replace("{lay}", rng.choice(_LAY[area][fr]))
        .replace("{finding2}", findings[1])
        .replace("{finding}", findings[0])
        .replace("{trial}", rng.choice(_TRIAL[area]))
        .replace("{comment}", rng.choice(_COMMENT[fr]))
    )


def hashtag(rng: random.Random, area: str, lay: bool = False) -> str:
    return "#" + rng.choice(_TAG[area][1 if lay else 0])


def original(
    rng: random.Random,
    register: str,
    area: str | None,
    lang: str,
    *,
    congress: str = "",
    month: int = 0,
    tag_rate: float = 0.7,
) -> str:
    """An original post; ``area=None`` (or register ``off``/``hcp_off``) is off-topic."""
    fr = 0 if lang == "fr" else 1
    if register in _EXTRA:
        return rng.choice(_EXTRA[register])
    if area is None or register in ("off", "hcp_off"):
        return rng.choice((_HCP_OFF if register == "hcp_off" else _OFF)[fr])
    if congress:
        text = fill(rng, rng.choice(_TEMPLATES["congress"][fr]), area, lang).replace(
            "{cong}", congress
        )
    else:
        text = fill(rng, rng.choice(_TEMPLATES[register][fr]), area, lang)
    lay = register in ("lay", "explainer", "media", "public_body", "patient_association")
    if rng.random() < tag_rate:
        text += " " + hashtag(rng, area, lay)
    if area == "oncology" and month == 10 and lay and rng.random() < 0.5:
        text += " #OctobreRose" if fr == 0 else " #PinkOctober"
    return text


def reply(rng: random.Random, register: str, area: str | None, lang: str) -> str:
    """A reply body (the caller puts ``@handle`` in front)."""
    fr = 0 if lang == "fr" else 1
    text = rng.choice(_REPLY[register if register in _REPLY else "lay"][fr])
    if area is not None and rng.random() < 0.55:
        text += " " + hashtag(rng, area, register != "pro")
    return text


def quote(rng: random.Random, area: str, lang: str) -> str:
    return fill(rng, rng.choice(_QUOTE[0 if lang == "fr" else 1]), area, lang)


def mention(rng: random.Random, register: str, area: str, lang: str, handle: str) -> str:
    """A new post naming ``@handle`` on ``area``."""
    pool = _MENTION[register if register in _MENTION else "lay"][0 if lang == "fr" else 1]
    text = fill(rng, rng.choice(pool), area, lang, handle)
    if rng.random() < 0.5:
        text += " " + hashtag(rng, area, register != "pro")
    return text
