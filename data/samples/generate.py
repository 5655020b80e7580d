"""Seeded generator of synthetic social data in kolmap's canonical format (no real people).

Names are built from invented syllables; handles, bios and posts are templates. The generator
plants known answers (KOLs, DOLs, patient influencers and lead organisations per area) and the
classic traps (a celebrity with one on-topic post, a brand that posts a lot, an HCP pushed by
throwaway accounts, a star of another area). It writes ``known_answers.json`` and
``truth.csv`` (true roles) beside the canonical files so tests can check rankings and role
inference. The same seed and size always give byte-identical files.

>>> sample = generate(seed=7, scale=0.05)
>>> len(sample.accounts) > 100, sample.known["areas"][0]
(True, 'oncology')
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kolmap.model import ACCOUNT_COLUMNS, FOLLOW_COLUMNS, LABEL_COLUMNS, POST_COLUMNS

__all__ = ["Sample", "generate", "write_sample"]

AREAS = ("oncology", "diabetes", "neurology", "cardiology")
_START = datetime(2026, 1, 5, tzinfo=UTC)
_DAYS = 300

_SYL = [
    "va",
    "ren",
    "ko",
    "del",
    "mi",
    "ro",
    "sa",
    "lu",
    "tor",
    "bel",
    "ni",
    "za",
    "qui",
    "mar",
    "tes",
    "lo",
    "vek",
    "du",
    "ran",
    "fel",
    "po",
    "gra",
    "shi",
    "mon",
    "cal",
]
_FIRST_FR = [
    "Camille",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Manon",
    "Jules",
    "Inès",
    "Théo",
    "Zoé",
    "Noé",
    "Élise",
    "Rémi",
    "Anaïs",
    "Loïc",
    "Maëlle",
    "Benoît",
    "Céline",
]
_FIRST_EN = [
    "Alex",
    "Jordan",
    "Morgan",
    "Taylor",
    "Riley",
    "Casey",
    "Jamie",
    "Avery",
    "Quinn",
    "Harper",
    "Rowan",
    "Emerson",
    "Skyler",
    "Reese",
    "Dakota",
    "Kendall",
]

_SPECIALTY = {
    "oncology": ("Oncologue médical", "Medical oncologist"),
    "diabetes": ("Diabétologue", "Endocrinologist"),
    "neurology": ("Neurologue", "Neurologist"),
    "cardiology": ("Cardiologue", "Cardiologist"),
}
_TOPIC = {
    "oncology": (
        [
            "cancer du sein",
            "immunothérapie",
            "chimiothérapie",
            "cancer du poumon",
            "biopsie liquide",
            "tumeur",
        ],
        [
            "breast cancer",
            "immunotherapy",
            "metastatic disease",
            "lung cancer",
            "liquid biopsy",
            "tumor board",
        ],
        ["BCSM", "LCSM", "ASCO26", "ESMO26", "OncoTwitter", "cancer"],
    ),
    "diabetes": (
        ["diabète de type 1", "insuline", "glycémie", "pompe à insuline", "HbA1c"],
        ["type 1 diabetes", "insulin", "CGM data", "insulin pump", "HbA1c targets"],
        ["T1D", "T2D", "ADA2026", "EASD2026", "diabetes", "insulin4all"],
    ),
    "neurology": (
        ["sclérose en plaques", "épilepsie", "migraine", "maladie de Parkinson"],
        ["multiple sclerosis", "epilepsy", "migraine", "Parkinson care"],
        ["SEP", "MStwitter", "ECTRIMS2026", "epilepsy", "NeuroTwitter"],
    ),
    "cardiology": (
        ["insuffisance cardiaque", "fibrillation atriale", "hypertension", "infarctus"],
        ["heart failure", "atrial fibrillation", "hypertension", "myocardial infarction"],
        ["CardioTwitter", "ESC2026", "AHA26", "HeartFailure", "AFib"],
    ),
}
_GENERAL = (
    [
        "Belle journée à tous",
        "Qui regarde le match ce soir ?",
        "Un café et au travail",
        "Les vacances approchent",
        "Nouvelle recette testée ce week-end",
    ],
    [
        "Great day out",
        "Who's watching the game tonight?",
        "Coffee first",
        "Holidays are coming",
        "Tried a new recipe this weekend",
    ],
)


_DETAILS = (
    [
        ": {n} % de répondeurs à {m} mois",
        "— {n} patients inclus",
        ", suivi médian {m} mois",
        "(cohorte de {n})",
        ": à lire, {m} pages",
        "ce matin, {n} questions en consultation",
        ", fil en {m} tweets",
        "— {n} ans de recul",
        "(journée {m})",
        ": {n} participants, bravo",
    ],
    [
        ": {n}% response at {m} months",
        "— {n} patients enrolled",
        ", median follow-up {m} months",
        "(cohort of {n})",
        ": worth a read, {m} pages",
        "this morning, {n} questions in clinic",
        ", thread in {m} parts",
        "— {n} years of data",
        "(day {m})",
        ": {n} attendees, well done",
    ],
)


@dataclass
class Sample:
    """Rows of each canonical file plus the truth and known answers."""

    accounts: list[dict[str, Any]] = field(default_factory=list)
    follows: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    known: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Acct:
    platform: str
    id: str
    handle: str
    role: str
    area: str | None
    lang: str
    tier: str


@dataclass
class _Pool:
    group: list[_Acct]
    size: int
    members: list[_Acct]
    index: dict[str, int]


class _Gen:
    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.sample = Sample()
        self.accts: list[_Acct] = []
        self.by_group: dict[tuple[str | None, str], list[_Acct]] = {}
        self.posts_by: dict[str, list[tuple[str, str]]] = {}  # account id -> [(post id, area)]
        self._next_id = 100_000
        self._next_post = 5_000_000
        self._handles: set[str] = set()
        # Per (group, platform): the group's members on that platform (the group is kept
        # referenced, so its id() cannot be reused by another list).
        self._pools: dict[tuple[int, str], _Pool] = {}

    # -- names --------------------------------------------------------------------------
    def surname(self) -> str:
        n = self.rng.choice([2, 2, 3])
        return "".join(self.rng.choice(_SYL) for _ in range(n)).capitalize()

    def person_name(self, lang: str) -> str:
        first = self.rng.choice(_FIRST_FR if lang == "fr" else _FIRST_EN)
        return f"{first} {self.surname()}"

    def unique_handle(self, base: str) -> str:
        base = "".join(ch for ch in base.lower() if ch.isalnum() or ch == "_")[:13] or "user"
        handle = base
        tries = 0
        while handle.lower() in self._handles:
            # A base name has 998 numbered variants; past 100 misses (only at very large
            # scales, where a name can run out of them) draw from a wider range.
            tries += 1
            top = 999 if tries <= 100 else 10**9
            handle = f"{base}{self.rng.randint(2, top)}"
        self._handles.add(handle.lower())
        return handle

    # -- accounts -----------------------------------------------------------------------
    def add_account(
        self,
        role: str,
        area: str | None,
        tier: str,
        *,
        name: str,
        bio: str,
        lang: str,
        followers: int,
        following: int,
        handle: str | None = None,
        platform: str | None = None,
        verified: bool = False,
        location: str = "",
    ) -> _Acct:
        platform = platform or self.rng.choices(["x", "bluesky", "linkedin"], [6, 3, 1])[0]
        self._next_id += self.rng.randint(1, 50)
        acct_id = str(self._next_id) if platform != "bluesky" else f"did:plc:syn{self._next_id}"
        acct = _Acct(
            platform,
            acct_id,
            self.unique_handle(handle or name.replace(" ", "_")),
            role,
            area,
            lang,
            tier,
        )
        self.accts.append(acct)
        self.by_group.setdefault((area, tier), []).append(acct)
        self.sample.accounts.append(
            {
                "platform": platform,
                "account_id": acct_id,
                "handle": acct.handle,
                "display_name": name,
                "bio": bio,
                "followers": followers,
                "following": following,
                "location": location,
                "lang": lang,
                "url": "",
                "verified": "true" if verified else "false",
            }
        )
        self.sample.truth.append(
            {
                "platform": platform,
                "account_id": acct_id,
                "role": role,
                "area": area or "",
                "tier": tier,
            }
        )
        return acct

    def hcp(self, area: str, tier: str, lang: str) -> _Acct:
        spec_fr, spec_en = _SPECIALTY[area]
        name = self.person_name(lang)
        style = self.rng.random()
        if tier in ("kol", "dol"):
            bio = (
                f"{spec_fr}, PU-PH. Recherche clinique, enseignement."
                if lang == "fr"
                else f"{spec_en}, MD PhD. Clinical research and teaching."
            )
            display = f"Dr {name}" if self.rng.random() < 0.5 else f"Pr {name}"
        elif style < 0.75:
            bio = (
                f"{spec_fr} au CHU. Avis personnels."
                if lang == "fr"
                else f"{spec_en} at a university hospital. Views my own."
            )
            display = f"Dr {name}" if self.rng.random() < 0.4 else name
        elif style < 0.9:
            bio = (
                "Infirmière en " + _TOPIC[area][0][0]
                if lang == "fr"
                else "Nurse specialist, " + _TOPIC[area][1][0]
            )
            display = name
        else:  # HCPs whose bio gives no title: inference should miss some of these
            bio = (
                "Passionnée de " + _TOPIC[area][0][1] + ". Lyon."
                if lang == "fr"
                else "Into " + _TOPIC[area][1][1] + " research. Coffee addict."
            )
            display = name
        mean = {"base": 6.5, "kol": 8.5, "dol": 10.0}[tier]
        followers = int(self.rng.lognormvariate(mean, 0.6))
        return self.add_account(
            "hcp",
            area,
            tier,
            name=display,
            bio=bio,
            lang=lang,
            followers=followers,
            following=self.rng.randint(150, 1500),
            platform="x" if tier != "base" else None,
        )

    def patient(self, area: str, tier: str, lang: str) -> _Acct:
        topic_fr, topic_en, _tags = _TOPIC[area]
        name = self.person_name(lang)
        style = self.rng.random()
        if tier == "advocate" or style < 0.5:
            bio = (
                f"Patiente experte, je vis avec {topic_fr[0]}. Association de patients."
                if lang == "fr"
                else f"Living with {topic_en[0]}. Patient advocate."
            )
        elif style < 0.8:
            bio = (
                f"Maman, atteinte de {topic_fr[0]} depuis 2019"
                if lang == "fr"
                else f"{topic_en[0].capitalize()} survivor, mum of two"
            )
        else:
            bio = "Amoureuse des chats et des livres" if lang == "fr" else "Books, cats, tea"
        followers = int(self.rng.lognormvariate(8.8 if tier == "advocate" else 5.5, 0.7))
        short = name.split()[0] + " " + name.split()[1][0] + "."
        return self.add_account(
            "patient",
            area,
            tier,
            name=short,
            bio=bio,
            lang=lang,
            followers=followers,
            following=self.rng.randint(100, 900),
            platform="x" if tier == "advocate" else None,
        )

    def organisation(self, area: str, tier: str, lang: str) -> _Acct:
        word = {
            "oncology": ("Cancer", "Cancérologie"),
            "diabetes": ("Diabetes", "Diabétologie"),
            "neurology": ("Neurology", "Neurologie"),
            "cardiology": ("Cardiology", "Cardiologie"),
        }[area]
        stem = self.surname()
        if tier == "society":
            name = (
                f"Société Francophone de {word[1]}"
                if lang == "fr"
                else f"European Society of {word[0]} {stem}"
            )
            bio = (
                "Compte officiel de la société savante. Congrès annuel."
                if lang == "fr"
                else "Official account of the society. Annual congress."
            )
        else:
            name = f"Hôpital {stem}" if lang == "fr" else f"{stem} University Hospital"
            bio = (
                f"Centre hospitalier, service de {word[1].lower()}."
                if lang == "fr"
                else f"Hospital and research institute, department of {word[0].lower()}."
            )
        return self.add_account(
            "organisation",
            area,
            tier,
            name=name,
            bio=bio,
            lang=lang,
            followers=int(self.rng.lognormvariate(9.5, 0.5)),
            following=self.rng.randint(50, 400),
            verified=True,
            platform="x" if tier == "society" else None,
        )

    # -- posts --------------------------------------------------------------------------
    def when(self) -> str:
        moment = _START + timedelta(days=self.rng.random() * _DAYS)
        return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def post(
        self,
        author: _Acct,
        area: str | None,
        *,
        mentions: list[_Acct] = (),  # type: ignore[assignment]
        reply_to: str = "",
        repost_of: str = "",
        quote_of: str = "",
        engagement: float = 1.0,
    ) -> str:
        self._next_post += self.rng.randint(1, 9)
        post_id = str(self._next_post)
        lang = author.lang
        if repost_of:
            text = ""
        elif area is None:
            text = self.rng.choice(_GENERAL[0 if lang == "fr" else 1]) + self.detail(lang)
        else:
            fr, en, tags = _TOPIC[area]
            topic = self.rng.choice(fr if lang == "fr" else en)
            opener = self.rng.choice(
                [
                    "Nouvelles données sur",
                    "Retour de congrès :",
                    "Belle discussion sur",
                    "Ce qu'il faut retenir sur",
                ]
                if lang == "fr"
                else ["New data on", "Congress takeaways:", "Great discussion on", "Key points on"]
            )
            text = f"{opener} {topic}{self.detail(lang)}"
            if self.rng.random() < 0.7:
                text += " #" + self.rng.choice(tags)
        for target in mentions:
            text += f" @{target.handle}"
        likes = int(self.rng.expovariate(1 / (4 * engagement)))
        self.sample.posts.append(
            {
                "platform": author.platform,
                "post_id": post_id,
                "author_id": author.id,
                "created_at": self.when(),
                "text": text.strip(),
                "reply_to_post_id": reply_to,
                "repost_of_post_id": repost_of,
                "quote_of_post_id": quote_of,
                "likes": likes,
                "reposts": int(likes * self.rng.random() * 0.4),
                "replies": int(likes * 0.1),
                "lang": lang,
            }
        )
        if area is not None and not repost_of:
            self.posts_by.setdefault(author.id, []).append((post_id, area))
        return post_id

    def detail(self, lang: str) -> str:
        """A few words that vary from post to post, as real texts do (no two authors write
        the same sentence often; a text many authors share is a sign of coordination)."""
        n = self.rng.randint(2, 98)
        pool = _DETAILS[0 if lang == "fr" else 1]
        return " " + self.rng.choice(pool).format(n=n, m=self.rng.randint(2, 36))

    def follow(self, a: _Acct, b: _Acct) -> None:
        if a.id != b.id and a.platform == b.platform:
            self.sample.follows.append(
                {"platform": a.platform, "follower_id": a.id, "followed_id": b.id}
            )

    def _platform_pool(self, group: list[_Acct], platform: str) -> _Pool:
        key = (id(group), platform)
        found = self._pools.get(key)
        if found is None or found.group is not group or found.size != len(group):
            members = [p for p in group if p.platform == platform]
            found = _Pool(group, len(group), members, {p.id: i for i, p in enumerate(members)})
            self._pools[key] = found
        return found

    def endorse(self, src: _Acct, targets: list[_Acct], area: str, times: int) -> None:
        """``src`` mentions, reposts, replies to or quotes ``targets`` on ``area`` topics."""
        # Large groups (base HCPs, patients at scale) endorse each other: filtering the whole
        # group for every member was quadratic. The same draws without the copy: index i of
        # "the group's accounts on src's platform, minus src" is index i of the group's
        # accounts on that platform, or i + 1 from src's position on.
        same = self._platform_pool(targets, src.platform)
        at = same.index.get(src.id)
        size = len(same.members) - (at is not None)
        if size == 0:
            return
        for _ in range(times):
            i = self.rng.randrange(size)
            target = same.members[i + 1 if at is not None and i >= at else i]
            own = [p for p, a in self.posts_by.get(target.id, []) if a == area]
            action = self.rng.random()
            if own and action < 0.35:
                self.post(src, area, repost_of=self.rng.choice(own))
            elif own and action < 0.5:
                self.post(src, area, reply_to=self.rng.choice(own), mentions=[target])
            elif own and action < 0.6:
                self.post(src, area, quote_of=self.rng.choice(own))
            else:
                self.post(src, area, mentions=[target])


def generate(seed: int = 42, scale: float = 1.0) -> Sample:
    """Build the sample; ``scale=1`` gives about 3,000 accounts and 25,000 posts."""
    g = _Gen(seed, scale)
    rng = g.rng

    def n(count: int) -> int:
        return max(1, round(count * scale))

    groups: dict[str, dict[str, list[_Acct]]] = {}
    for area in AREAS:

        def lang_of() -> str:
            return rng.choice(["fr", "en"])

        groups[area] = {
            "kol": [g.hcp(area, "kol", lang_of()) for _ in range(5)],
            "dol": [g.hcp(area, "dol", lang_of()) for _ in range(3)],
            "base_hcp": [g.hcp(area, "base", lang_of()) for _ in range(n(110))],
            "advocate": [g.patient(area, "advocate", lang_of()) for _ in range(3)],
            "patient": [g.patient(area, "base", lang_of()) for _ in range(n(220))],
            "society": [g.organisation(area, "society", lang_of())],
            "hospital": [g.organisation(area, "hospital", lang_of()) for _ in range(3)],
        }
    public = [
        g.add_account(
            "public",
            None,
            "public",
            name=g.person_name(lang),
            bio=rng.choice(
                [
                    "Runner, foodie",
                    "Fan de foot et de séries",
                    "Photographe amateur",
                    "",
                    "Dev by day",
                ]
            ),
            lang=lang,
            followers=int(rng.lognormvariate(5, 1)),
            following=rng.randint(50, 800),
        )
        for lang in (rng.choice(["fr", "en"]) for _ in range(n(1000)))
    ]
    media = [
        g.add_account(
            "media",
            None,
            "media",
            name=f"{g.surname()} Santé News",
            bio="L'actualité santé au quotidien" if i % 2 else "Health news, every day",
            lang="fr" if i % 2 else "en",
            followers=int(rng.lognormvariate(10, 0.5)),
            following=rng.randint(100, 600),
            verified=True,
        )
        for i in range(n(8))
    ]

    # Traps.
    celebrity = g.add_account(
        "public",
        None,
        "trap_celebrity",
        name="Starr Velmonde",
        handle="starr_velmonde",
        bio="Singer. Actor. New album out now!",
        lang="en",
        followers=2_400_000,
        following=310,
        verified=True,
        platform="x",
    )
    brand = g.add_account(
        "brand",
        "oncology",
        "trap_brand",
        name="Exemplar Oncology Pharma",
        handle="exemplar_onco",
        bio="Compte officiel du laboratoire pharmaceutique Exemplar. "
        "Mentions légales : exemplar.example",
        lang="fr",
        followers=45_000,
        following=20,
        verified=True,
        platform="x",
    )
    pushed = g.add_account(
        "hcp",
        "oncology",
        "trap_pushed",
        name="Dr Miracle Curaz",
        handle="dr_miracle_cure",
        bio="MD. Natural cancer cures that work.",
        lang="en",
        followers=900,
        following=4000,
        platform="x",
    )
    throwaways = [
        g.add_account(
            "unknown",
            None,
            "throwaway",
            name="",
            bio="",
            handle=f"user{rng.randint(10**7, 10**8)}",
            lang="en",
            followers=rng.randint(0, 3),
            following=rng.randint(0, 20),
            platform="x",
        )
        for _ in range(n(250))
    ]
    cardio_star = groups["cardiology"]["kol"][0]

    # Own posts: everyone talks about their area (and a little about life).
    for area, grp in groups.items():
        for acct in grp["kol"] + grp["dol"]:
            for _ in range(rng.randint(30, 45)):
                g.post(acct, area, engagement=6 if acct in grp["kol"] else 25)
            for _ in range(rng.randint(2, 6)):
                g.post(acct, None)
        for acct in grp["base_hcp"]:
            for _ in range(rng.randint(3, 12)):
                g.post(acct, area)
            for _ in range(rng.randint(0, 4)):
                g.post(acct, None)
        for acct in grp["advocate"]:
            for _ in range(rng.randint(25, 40)):
                g.post(acct, area, engagement=5)
        for acct in grp["patient"]:
            for _ in range(rng.randint(1, 6)):
                g.post(acct, area if rng.random() < 0.6 else None)
        for acct in grp["society"] + grp["hospital"]:
            for _ in range(rng.randint(15, 30)):
                g.post(acct, area, engagement=3)
    for acct in public:
        for _ in range(rng.randint(0, 6)):
            g.post(acct, None)
    for acct in media:
        for _ in range(rng.randint(20, 40)):
            g.post(acct, rng.choice([*AREAS, None]))
    for _ in range(200):
        g.post(celebrity, None, engagement=400)
    g.post(celebrity, "oncology", engagement=400)
    for _ in range(n(400)):
        g.post(brand, "oncology", engagement=0.5)
    for _ in range(20):
        g.post(pushed, "oncology")
    for _ in range(15):
        g.post(cardio_star, "oncology" if _ == 0 else "cardiology", engagement=6)

    # Endorsements: the structure the rankings must recover.
    for area, grp in groups.items():
        hcps = grp["base_hcp"]
        for acct in hcps:
            g.endorse(acct, grp["kol"], area, rng.randint(3, 8))
            g.endorse(acct, grp["dol"], area, rng.randint(0, 1))
            g.endorse(acct, hcps, area, rng.randint(0, 2))
            g.endorse(acct, grp["society"], area, rng.randint(0, 2))
        for acct in grp["kol"]:
            g.endorse(acct, grp["kol"], area, 4)
            g.endorse(acct, grp["society"], area, 2)
        for acct in grp["patient"]:
            g.endorse(acct, grp["dol"], area, rng.randint(2, 6))
            g.endorse(acct, grp["advocate"], area, rng.randint(1, 4))
            g.endorse(acct, grp["patient"], area, rng.randint(0, 1))
            g.endorse(acct, grp["society"] + grp["hospital"], area, rng.randint(0, 1))
        for acct in grp["advocate"] + grp["dol"]:
            g.endorse(acct, grp["advocate"], area, 3)
            g.endorse(acct, grp["dol"], area, 2)
            g.endorse(acct, grp["kol"], area, 2)
        for acct in grp["hospital"]:
            g.endorse(acct, grp["kol"], area, 3)
            g.endorse(acct, grp["society"], area, 3)
        # Follows.
        for acct in hcps + grp["kol"] + grp["dol"]:
            for target in grp["kol"] + grp["society"]:
                if rng.random() < 0.6:
                    g.follow(acct, target)
            for target in rng.sample(hcps, min(len(hcps), 6)):
                g.follow(acct, target)
        for acct in grp["patient"] + grp["advocate"]:
            for target in grp["advocate"] + grp["dol"]:
                if rng.random() < 0.5:
                    g.follow(acct, target)
            for target in rng.sample(grp["patient"], min(len(grp["patient"]), 3)):
                g.follow(acct, target)
    for acct in public:
        for target in rng.sample(public, min(len(public), 5)):
            g.follow(acct, target)
        if rng.random() < 0.6:
            area = rng.choice(AREAS)
            g.endorse(acct, groups[area]["dol"], area, rng.randint(2, 4))
            for target in groups[area]["dol"]:
                g.follow(acct, target)
        g.follow(acct, celebrity)
        if rng.random() < 0.3:
            g.endorse(acct, [celebrity], "oncology" if rng.random() < 0.02 else "cardiology", 0)
            g.post(acct, None, mentions=[celebrity])
    for acct in throwaways:
        for _ in range(rng.randint(3, 6)):
            g.post(acct, "oncology", mentions=[pushed])
        g.follow(acct, pushed)
        if rng.random() < 0.5:
            own = [p for p, _a in g.posts_by.get(pushed.id, [])]
            g.post(acct, "oncology", repost_of=rng.choice(own))
    for acct in groups["cardiology"]["base_hcp"][:20]:
        g.endorse(acct, [cardio_star], "cardiology", 3)

    # User-verified labels: a few titleless HCPs and one patient, as a medical team would add.
    for acct in groups["oncology"]["base_hcp"][:15] + groups["diabetes"]["patient"][:5]:
        g.sample.labels.append(
            {
                "platform": acct.platform,
                "account_id": acct.id,
                "role": acct.role,
                "specialty": "",
                "person_id": "",
            }
        )

    def keys(accts: list[_Acct]) -> list[str]:
        return [f"{a.platform}:{a.id}" for a in accts]

    g.sample.known = {
        "seed": seed,
        "scale": scale,
        "areas": list(AREAS),
        "kol": {a: keys(groups[a]["kol"]) for a in AREAS},
        "dol": {a: keys(groups[a]["dol"]) for a in AREAS},
        "influencer": {a: keys(groups[a]["advocate"]) for a in AREAS},
        "organisation": {a: keys(groups[a]["society"]) for a in AREAS},
        "traps": {
            "celebrity": f"{celebrity.platform}:{celebrity.id}",
            "brand": f"{brand.platform}:{brand.id}",
            "pushed": f"{pushed.platform}:{pushed.id}",
            "other_area_star": f"{cardio_star.platform}:{cardio_star.id}",
        },
    }
    return g.sample


_FILES = {
    "accounts": ACCOUNT_COLUMNS,
    "follows": FOLLOW_COLUMNS,
    "posts": POST_COLUMNS,
    "labels": LABEL_COLUMNS,
}


def write_sample(sample: Sample, folder: str | Path) -> Path:
    """Write ``canonical/*.csv``, ``truth.csv`` and ``known_answers.json`` under ``folder``."""
    root = Path(folder)
    canonical = root / "canonical"
    canonical.mkdir(parents=True, exist_ok=True)
    for name, columns in _FILES.items():
        rows = getattr(sample, name)
        with (canonical / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    with (root / "truth.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["platform", "account_id", "role", "area", "tier"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(sample.truth)
    (root / "known_answers.json").write_text(json.dumps(sample.known, indent=2) + "\n", "utf-8")
    return canonical


def main(argv: list[str] | None = None) -> None:
    """``python -m kolmap.data.samples.generate OUT [--seed N] [--scale X]``."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    write_sample(generate(args.seed, args.scale), args.out)


if __name__ == "__main__":
    main()
