"""The named cast of the adversarial world: institutions, media, brands, industry staff, the
celebrity, the TV doctor, the rings' bio pools, and what the traps post (the industry's
product-adjacent texts, the rings' templates). All invented; ``.example`` web addresses.

Each organisation row is ``(group, handle, display name, bio, lang)``.

>>> [row[0] for row in AREA_ORGS["oncology"]]
['society', 'public_body', 'patient_association']
"""

from __future__ import annotations

import random

from kolmap.data.worlds._texts import fill

__all__ = [
    "AREA_ORGS",
    "BRANDS",
    "CELEBRITY",
    "DOL_TAGLINE",
    "GLOBAL_ORGS",
    "INFLUENCER_TAIL",
    "MEDIA",
    "RESEARCHER_KOL",
    "RING_A_BIOS",
    "RING_A_TARGET",
    "RING_B_BIOS",
    "RING_B_TARGET",
    "STAFF",
    "TV_DOCTOR",
    "VERALIS",
    "industry",
    "ring",
]

Org = tuple[str, str, str, str, str]

# The three organisations each area's ranking should find: society, reference body, patients.
AREA_ORGS: dict[str, tuple[Org, Org, Org]] = {
    "oncology": (
        (
            "society",
            "sfo_delmar",
            "Société Francophone d'Oncologie Delmar",
            "Société savante d'oncologie. Congrès annuel, recommandations, formation. #oncologie",
            "fr",
        ),
        (
            "public_body",
            "institut_vekmon",
            "Institut Vekmon du Cancer",
            "Centre national de référence en cancérologie : dépistage, recherche, information.",
            "fr",
        ),
        (
            "patient_association",
            "rubanlumare",
            "Ruban Lumaré",
            "1re association de patientes atteintes d'un cancer du sein. Écoute, entraide.",
            "fr",
        ),
    ),
    "diabetes": (
        (
            "society",
            "delvara_dsc",
            "Delvara Society for Diabetes Care",
            "The learned society for diabetes care and research. Guidelines, congress, education.",
            "en",
        ),
        (
            "public_body",
            "marholm_cdp",
            "Marholm National Centre for Diabetes Prevention",
            "National reference centre for diabetes prevention and data.",
            "en",
        ),
        (
            "patient_association",
            "sweetline_da",
            "Sweetline Diabetes Alliance",
            "The largest charity for people living with diabetes. Helpline, grants, campaigns.",
            "en",
        ),
    ),
    "cardiology": (
        (
            "society",
            "thornvale_cc",
            "Thornvale College of Cardiology",
            "Professional society for cardiology. Guidelines, annual congress, training.",
            "en",
        ),
        (
            "public_body",
            "brimara_heart",
            "Brimara Heart Institute",
            "Institut national de référence des maladies cardiovasculaires.",
            "fr",
        ),
        (
            "patient_association",
            "coeurs_ranlo",
            "Cœurs Ranlo",
            "Association de patients cardiaques et de leurs proches. Entraide, réadaptation.",
            "fr",
        ),
    ),
}
GLOBAL_ORGS: tuple[Org, ...] = (
    (
        "public_body",
        "doh_kesmere",
        "Department of Health Kesmere",
        "Department of Health, official account. Not monitored 24/7.",
        "en",
    ),
    (
        "public_body",
        "ars_valmorel",
        "ARS Valmorel",
        "Agence régionale de santé Valmorel. Compte officiel.",
        "fr",
    ),
    (
        "ngo",
        "medecinsdularge",
        "Médecins du Large",
        "ONG médicale internationale. Soins d'urgence, partout où il le faut.",
        "fr",
    ),
    (
        "ngo",
        "docs_across",
        "Doctors Across Borders",
        "Independent medical humanitarian organisation. Donate: dab.example",
        "en",
    ),
    (
        "clinical_service",
        "thornford_dis",
        "Thornford Drug Information",
        "Drug information service of Thornford General Hospital. Answers for clinicians.",
        "en",
    ),
    (
        "university",
        "univ_montlares",
        "Université de Montlarès",
        "Compte officiel de l'Université de Montlarès. Santé, sciences, humanités.",
        "fr",
    ),
    (
        "university",
        "kesbridge_uni",
        "Kesbridge University",
        "Official account of Kesbridge University. Medicine, science, public health.",
        "en",
    ),
)
# (handle, name, bio, lang, areas, kind)
MEDIA: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    (
        "lepouls_sante",
        "Le Pouls — Santé",
        "La rubrique santé du Pouls. Actus, enquêtes.",
        "fr",
        ("oncology", "diabetes", "cardiology"),
        "outlet",
    ),
    (
        "santehebdo_v",
        "Santé Hebdo Vernel",
        "L'hebdo de la santé, chaque jeudi.",
        "fr",
        ("oncology", "cardiology"),
        "outlet",
    ),
    (
        "revue_varnier",
        "Revue Varnier de Médecine",
        "Revue médicale à comité de lecture.",
        "fr",
        ("oncology", "diabetes", "cardiology"),
        "journal",
    ),
    (
        "healthwire",
        "HealthWire Daily",
        "Health news, every day.",
        "en",
        ("oncology", "diabetes", "cardiology"),
        "outlet",
    ),
    (
        "clinledger",
        "The Clinical Ledger",
        "Peer-reviewed general medical journal.",
        "en",
        ("oncology", "diabetes", "cardiology"),
        "journal",
    ),
    (
        "annals_kestrel",
        "Annals of Kestrel Oncology",
        "The journal of clinical oncology research.",
        "en",
        ("oncology",),
        "journal",
    ),
    (
        "diab_practice",
        "Diabetes Practice Review",
        "Practical diabetes science for clinicians.",
        "en",
        ("diabetes",),
        "journal",
    ),
    (
        "cardiobeat",
        "CardioBeat News",
        "Cardiology news and congress coverage.",
        "en",
        ("cardiology",),
        "outlet",
    ),
    (
        "",
        "",
        "Journaliste santé @lepouls_sante. Oncologie, hôpital.",
        "fr",
        ("oncology",),
        "journalist",
    ),
    (
        "",
        "",
        "Journaliste scientifique. Diabète, nutrition, données.",
        "fr",
        ("diabetes",),
        "journalist",
    ),
    (
        "",
        "",
        "Health reporter at HealthWire. DMs open.",
        "en",
        ("oncology", "cardiology"),
        "journalist",
    ),
    ("", "", "Science writer. Hearts, genes and data.", "en", ("cardiology",), "journalist"),
)
VERALIS = (
    "veralis_onco",
    "Veralis Oncology",
    "Official account of Veralis Pharma Oncology. For HCPs. Prescribing information: "
    "veralis.example/pi · Report side effects: veralis.example/safety",
)
# Other brands: (handle, name, bio, lang, area or "")
BRANDS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "glucora",
        "Glucora CGM",
        "Glucora continuous glucose monitoring. Official account. #diabetes",
        "en",
        "diabetes",
    ),
    (
        "corvaline_med",
        "Corvaline Medical",
        "Solutions pour la cardiologie interventionnelle. Compte officiel.",
        "fr",
        "cardiology",
    ),
    ("nutrivive", "NutriVive", "Vitamins & supplements for everyday wellness 🌿", "en", ""),
)
# Veralis staff: (role, kind, bio, lang). kind: medical, commercial or partner.
STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("hcp", "medical", "MSL Oncology @veralis_onco · PharmD", "en"),
    ("hcp", "medical", "Medical Science Liaison | PharmD | breast cancer", "en"),
    ("researcher", "medical", "MSL Immuno-oncology @veralis_onco | PhD cancer biology", "en"),
    ("hcp", "medical", "MSL Oncologie chez Veralis · Pharmacien", "fr"),
    ("hcp", "medical", "MD | Medical Director, Medical Affairs at Veralis", "en"),
    ("hcp", "medical", "Medical Advisor chez Veralis · Docteur en pharmacie", "fr"),
    ("researcher", "medical", "Medical Affairs Lead, Oncology @veralis_onco · PhD", "en"),
    ("hcp", "medical", "Medical Information, Veralis Pharma · PharmD", "en"),
    ("public", "commercial", "Key Account Manager Oncologie @veralis_onco", "fr"),
    ("public", "commercial", "Brand Manager, Oncology franchise @veralis_onco | Marketing", "en"),
    ("hcp", "partner", "Oncologue médicale. Cancer du sein. Liens d'intérêts déclarés.", "fr"),
    ("hcp", "partner", "Medical oncologist | lung cancer | speaker", "en"),
)
CELEBRITY = ("starr_velmonde", "Starr Velmonde", "Singer. Actor. New album 'Glasshouse' out now!")
TV_DOCTOR = (
    "drjules_tv",
    "Dr Jules Marvanto",
    "Doctor on Healthwise Mornings (Verdance TV) · GP · author of 'The Body Ledger'",
)
RING_A_TARGET = ("dr_curaz_md", "Dr Miro Curaz", "MD. Natural cancer cures that work.")
RING_B_TARGET = (
    "habits_by_lina",
    "Lina Belmonte",
    "Healthy habits coach 🌱 Blood sugar balance, the natural way.",
)
RING_A_BIOS = (
    "MD | health tips",
    "Nurse | wellness",
    "Doctor. Natural health.",
    "RN 💉 | holistic",
    "Physician • tips daily",
)
RING_B_BIOS = (
    "T1D mama 💙",
    "Living my best life with diabetes",
    "Healthy living & wellness",
    "Wife, mom, T2D warrior",
    "Blood sugar nerd 📈",
    "Faith. Family. Fitness.",
    "Type 2 and thriving",
    "Diabetes mom of 2",
    "Wellness journey 🌱",
    "Plant-based & T2D",
    "Keto curious",
    "Mom of a T1D teen",
    "Walking 10k a day",
    "Grateful. Healthy. Happy.",
    "Sugar-free since 2024",
    "",
    "Diabetic and proud",
    "Healthy mind, healthy body",
    "CGM life 📟",
    "Dog lover & T2D",
)
# The non-clinical researcher KOL of each area, by bio style: (fr, en).
RESEARCHER_KOL = {
    "oncology": {
        "full": (
            "Chercheuse en oncologie translationnelle, PhD. Biopsie liquide.",
            "Translational cancer scientist, PhD. Liquid biopsy lab.",
        ),
        "title": ("Directrice de recherche, {inst}", "Professor, School of Medicine, {uni}"),
        "shorthand": ("ctDNA & co", "ctDNA nerd"),
    },
    "diabetes": {
        "full": ("Épidémiologiste du diabète, PhD", "Diabetes epidemiologist, PhD · cohorts"),
        "title": ("Directeur de recherche, {inst}", "Professor of Epidemiology, {uni}"),
        "shorthand": ("épidémio", "epi nerd"),
    },
    "cardiology": {
        "full": ("Épidémiologiste cardiovasculaire, PhD", "Cardiovascular epidemiologist, PhD"),
        "title": ("Directrice de recherche, {inst}", "Professor of Epidemiology, {uni}"),
        "shorthand": ("épidémio CV", "CV epi"),
    },
}
INFLUENCER_TAIL = (
    ("Blogueuse", "Podcast « Vivre avec »", "Conférencière", "On en parle ✨"),
    ("Blogger", "Podcast 'Living With It'", "Speaker", "Let's talk ✨"),
)
DOL_TAGLINE = (
    (
        "Je vulgarise, sans jargon.",
        "Prévention et pédagogie.",
        "Auteur de « Mon corps, mode d'emploi ».",
        "La santé expliquée à tous.",
    ),
    (
        "Making medicine simple.",
        "Prevention first.",
        "Author of 'Your Body, Explained'.",
        "Health without the jargon.",
    ),
)


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


# Veralis and its people (oncology only): (fr, en) per kind of author.
_INDUSTRY = {
    "brand": (
        (),
        _pool(
            "Velatuzumab is now available for {topic}. Prescribing information: veralis.example/pi|"
            "Proud to present new velatuzumab data at #{cong}. #OncoTwitter|"
            "Our commitment to people living with {topic}. Prescribing information: "
            "veralis.example/pi|Meet our medical team at #{cong}, booth 42. #oncology|"
            "{trial}: {finding} with velatuzumab in {topic}. Full PI: veralis.example/pi"
        ),
    ),
    "medical": (
        _pool(
            "Nouvelles données du velatuzumab, {topic} : {finding}. #oncologie|"
            "Belles discussions avec les équipes sur {topic} cette semaine. #OncoTwitter|"
            "Fière de soutenir #{cong} avec @{b}|Lecture de {trial} : {finding}, {topic}. #cancer"
        ),
        _pool(
            "Fresh velatuzumab data in {topic}: {finding}. #OncoTwitter|"
            "Great discussions with HCPs on {topic} this week. #oncology|"
            "Honoured to support #{cong} with @{b} #oncology|"
            "Proud of our medical affairs team @{b} 💪 #cancer|"
            "Reading the {trial} data on {topic}: {finding}. #OncoTwitter"
        ),
    ),
    "commercial": (
        _pool(
            "Semaine chargée avec les équipes d'oncologie 🚗 #oncologie|"
            "Lancement du velatuzumab, fière de l'équipe @{b} #cancer|"
            "Encore un beau congrès avec @{b} #{cong}"
        ),
        _pool(
            "Busy week meeting oncology teams 🚗 #oncology|"
            "Launch week for velatuzumab! Proud of the team @{b} #cancer|"
            "Patient-centric innovation in {topic} @{b}|Another great congress with @{b} #{cong}"
        ),
    ),
    "partner": (
        _pool(
            "#partenariat avec @{b} : webinaire sur {topic}|"
            "Merci @{b} pour ce symposium sur {topic} #partenariat|"
            "Mon avis sur le velatuzumab, {topic} : {finding}. #partenariat @{b}"
        ),
        _pool(
            "Great symposium on {topic} today, sponsored by @{b} #ad|"
            "My honest take on velatuzumab in {topic}: {finding}. #ad @{b}|"
            "Live from #{cong}: {topic}, {finding}. Sponsored by @{b} #ad"
        ),
    ),
}


def industry(
    rng: random.Random, kind: str, lang: str, brand: str, congress: str
) -> tuple[str, str]:
    """A product-adjacent oncology post by the brand, its staff or its paid partners
    (``kind``: brand, medical, commercial, partner) and its language: French authors write
    mostly French."""
    fr, en = _INDUSTRY[kind]
    lang = "fr" if fr and lang == "fr" and rng.random() < 0.7 else "en"
    text = fill(rng, rng.choice(fr if lang == "fr" else en), "oncology", lang)
    return text.replace("{b}", brand).replace("{cong}", congress), lang


_RING_A = {
    "target": _pool(
        "Must read from @{t}!|Thank you @{t} for this #oncology insight|"
        "@{t} always shares the truth "
        "about cancer|Everyone should follow @{t} #cancer|"
        "Great thread by @{t} on natural tumor healing|"
        "So true @{t}, chemotherapy is not the only way"
    ),
    "peer": _pool(
        "Follow @{h} for daily #cancer tips|Agree with @{h} #oncology|@{h} spot on about cancer"
    ),
    "own": _pool(
        "Doctor tip: turmeric vs tumor growth?|Fasting before chemotherapy, think about it|"
        "The cancer diet nobody talks about|Detox your body, fight cancer|Natural oncology works"
    ),
    "reply": _pool("Thank you doctor 🙏|Truth!!|Sharing this now|Everyone needs to read this|Amen"),
}
_RING_A_TAIL = _pool("|!| 🙏| 💯| 🔥| #cancer| #health| #oncology| #healing| #cancer #health")
_RING_B = {
    "target": _pool(
        "So grateful for @{t}, my glycemia has never been this steady 💙 #diabetes|"
        "Started @{t}'s morning routine last week. Feeling great! #T2D|"
        "If you live with diabetes, you need to follow @{t} #DiabetesCommunity|"
        "Another great tip from @{t} about insulin and walking after meals #T1D|"
        "@{t} explains blood sugar better than anyone I know #diabetes|"
        "Love the new post by @{t} on balanced meals #T2D|"
        "Can't recommend @{t} enough for type 2 diabetes tips 🙌|"
        "This is why I follow @{t}. Simple habits, real results #diabetes|"
        "My HbA1c went down after trying @{t}'s plan 💪 #T2D|"
        "Shoutout to @{t} for the cinnamon tip #diabetes|"
        "Great reminder from @{t}: hydration matters for glycemia #diabetes|"
        "New week, new habits. Thanks @{t} for the motivation #T2D|"
        "@{t}'s 21-day plan is worth it, honestly #T2D|"
        "Sharing this for anyone newly diagnosed with type 2 diabetes 💙 (via @{t})"
    ),
    "peer": _pool(
        "Read this from @{h} and nodded the whole time #diabetes|"
        "@{h} thank you for sharing, so relatable #DiabetesCommunity|"
        "Totally agree with @{h} 💙 #T1D"
    ),
    "own": _pool(
        "T1D mama life: night checks, coffee, repeat 💙 #T1D|"
        "Small wins today: glycemia in range all "
        "afternoon #diabetes|Healthy living starts with small habits 🌱 #T2D|Meal prep Sunday for "
        "stable blood sugar #diabetes|Walking after dinner really helps my glycemia #T2D|Who else "
        "checks their CGM 20 times a day? 😅 #T1D|"
        "Learning to live with diabetes one day at a time 💙|"
        "Wellness is a journey ✨ #diabetes|Trying a low-carb week, wish me luck #T2D|"
        "Our little T1D "
        "warrior had a great day at school 💙|Insulin prices are crazy, stay strong #insulin4all|"
        "Feeling good after my walk, glycemia steady ☀️ #diabetes|"
        "Balanced plate, balanced glycemia 🥗"
    ),
    "reply": _pool(
        "Love this! 💙|So helpful, thank you!|Needed this today 🙏 #diabetes|Trying it tomorrow!|"
        "Yes!! Works for me too"
    ),
}


def ring(rng: random.Random, which: str, kind: str, target: str = "", peer: str = "") -> str:
    """Texts of the coordinated rings: ``which`` is ``a`` (templated, near-identical) or ``b``
    (paraphrased from a larger pool); ``kind`` is target, peer, own or reply."""
    pools = _RING_A if which == "a" else _RING_B
    text = rng.choice(pools[kind]).replace("{t}", target).replace("{h}", peer)
    if which == "a":
        tail = rng.choice(_RING_A_TAIL)
        text += tail if tail in ("", "!") else " " + tail
        if "#" not in text:
            text += " #cancer"
    return text
