"""Who lives in the adversarial world: every account, its true role, group, bio and audience.

:func:`populate` creates the accounts (nothing is posted yet) and returns them grouped, so that
``_activity`` can make them post and endorse each other. The planted answers do not scale;
the rank and file and the rings do.

>>> from kolmap.data.worlds._build import Builder
>>> pop = populate(Builder(7), scale=0.05)
>>> [len(pop.areas["oncology"].kols), len(pop.areas["oncology"].dols), len(pop.staff)]
[10, 8, 12]
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from kolmap.data.worlds import _cast, _people
from kolmap.data.worlds._build import START, Acct, Builder
from kolmap.data.worlds._texts import AREAS, hashtag

__all__ = ["KOL_SHARES", "SECOND_AREA", "Area", "Population", "populate"]

# Peer reach of an area's ten KOLs: the share of its HCPs and researchers who engage each one.
KOL_SHARES = (0.60, 0.48, 0.42, 0.38, 0.35, 0.33, 0.31, 0.30, 0.28, 0.27)
# The two multi-area KOLs: an oncologist also active in cardiology (cardio-oncology) and a
# cardiologist also active in diabetes (cardiometabolic). Their reach in the second area:
SECOND_AREA = {"oncology": "cardiology", "cardiology": "diabetes"}
SECOND_AREA_SHARE = 0.32
_HINT = {"oncology": "onco", "diabetes": "diab", "cardiology": "cardio"}
_SERVICE = {
    "oncology": ("cancérologie", "Oncology"),
    "diabetes": ("diabétologie", "Diabetes"),
    "cardiology": ("cardiologie", "Cardiology"),
}
_EDITOR_OF = {
    "oncology": "Annals of Kestrel Oncology",
    "diabetes": "Diabetes Practice Review",
    "cardiology": "The Clinical Ledger",
}
_MULTI_BIO = {
    "oncology": (
        "Cardio-oncologue, PU-PH. Le cœur pendant le cancer.",
        "Cardio-oncologist, MD PhD",
    ),
    "cardiology": ("Cardiologue, PU-PH. Diabète et cœur.", "Cardiometabolic physician, MD PhD"),
}
_JOBS = ("physician", "gp", "nurse", "pharmacist", "allied")
_HCP_STYLES = ("full", "title", "institution", "shorthand", "empty", "uninformative")
_HCP_STYLE_WEIGHTS = (30, 25, 10, 10, 15, 10)


@dataclass
class Area:
    """One therapeutic area's accounts; ``peer_share`` and ``lay_share`` say how much of the
    area's peers (HCPs, researchers) and lay people (patients, caregivers) engage a star."""

    name: str
    kols: list[Acct] = field(default_factory=list)
    dols: list[Acct] = field(default_factory=list)
    influencers: list[Acct] = field(default_factory=list)
    orgs: list[Acct] = field(default_factory=list)  # society, public body, patient association
    hospitals: list[Acct] = field(default_factory=list)
    hcps: list[Acct] = field(default_factory=list)
    researchers: list[Acct] = field(default_factory=list)
    patients: list[Acct] = field(default_factory=list)
    caregivers: list[Acct] = field(default_factory=list)
    visitors: list[Acct] = field(default_factory=list)  # multi-area KOLs of another area
    peer_share: dict[str, float] = field(default_factory=dict)
    lay_share: dict[str, float] = field(default_factory=dict)

    @property
    def peers(self) -> list[Acct]:
        return self.hcps + self.researchers

    @property
    def lay(self) -> list[Acct]:
        return self.patients + self.caregivers

    @property
    def kol_dol(self) -> Acct:
        return next(k for k in self.kols if k.group == "kol_dol")


@dataclass
class Population:
    areas: dict[str, Area]
    public: list[Acct]  # everyday people (group public) and lurkers
    media: list[Acct]
    institutions: list[Acct]  # public bodies, NGOs, a drug information service, universities
    brands: list[Acct]
    celebrity: Acct
    veralis: Acct
    staff: list[tuple[Acct, str]]  # (account, medical | commercial | partner)
    target_a: Acct
    ring_a: list[Acct]
    target_b: Acct
    ring_b: list[Acct]

    @property
    def tv_doctor(self) -> Acct:
        return next(d for d in self.areas["oncology"].dols if d.group == "tv_doctor")


def _logu(rng: random.Random, low: float, high: float) -> int:
    """A log-uniform whole number in [low, high]."""
    return int(low * (high / low) ** rng.random())


def _logn(rng: random.Random, mu: float, sigma: float, low: int, high: int) -> int:
    return min(high, max(low, int(rng.lognormvariate(mu, sigma))))


def _lang(rng: random.Random, fr: float = 0.45) -> str:
    return "fr" if rng.random() < fr else "en"


class _Populator:
    def __init__(self, b: Builder, scale: float) -> None:
        self.b, self.rng, self.scale = b, b.rng, scale

    def n(self, count: int) -> int:
        return max(1, round(count * self.scale))

    def person(
        self,
        role: str,
        group: str,
        areas: tuple[str, ...],
        lang: str,
        bio: tuple[str, str],
        audience: tuple[int, int],
        *,
        title: str = "",
        name: str = "{title} {first} {last}",
        stem: str = "",
        hint: str = "",
        platform: str = "x",
        created: datetime | None = None,
        verified: bool = False,
        act: float | None = None,
    ) -> Acct:
        """An individual with an invented name; ``bio`` is (text, style), ``audience`` is
        (followers, following). ``name`` and ``stem`` (the handle's) are patterns over
        ``{title}``, ``{first}``, ``{last}``, ``{l}`` (initial) and ``{f}`` (ascii first name)."""
        rng = self.rng
        first, last = _people.first_name(rng, lang), _people.surname(rng)
        parts = {
            "title": title,
            "first": first,
            "last": last,
            "l": last[0],
            "f": _people.ascii_lower(first),
        }
        doctor = title in ("Dr", "Pr", "Prof")
        return self.b.account(
            role=role,
            group=group,
            areas=areas,
            lang=lang,
            name=name.format(**parts).strip(),
            bio=bio[0],
            bio_style=bio[1],
            followers=audience[0],
            following=audience[1],
            stem=stem.format(**parts)
            if stem
            else _people.handle_base(rng, first, last, hint, doctor),
            platform=platform,
            created=created,
            verified=verified,
            act=act,
        )

    def named(
        self,
        role: str,
        row: tuple[str, str, str, str, str],
        areas: tuple[str, ...] = (),
        followers: tuple[int, int] = (5000, 100_000),
        style: str = "institutional",
    ) -> Acct:
        """A named account of the cast (institution, outlet, brand): exact handle, verified."""
        group, handle, name, bio, lang = row
        handle = "".join(ch for ch in _people.ascii_lower(handle) if ch.isalnum() or ch == "_")
        return self.b.account(
            role=role,
            group=group,
            areas=areas,
            lang=lang,
            name=name,
            bio=bio,
            bio_style=style,
            followers=_logu(self.rng, *followers),
            following=_logu(self.rng, 50, 900),
            stem=handle,
            exact_handle=True,
            verified=True,
            created=self.b.created(2009, 2016),
            act=2.0,
            url=f"https://{handle.replace('_', '-')}.example",
        )

    # -- per area -------------------------------------------------------------------------
    def kols(self, area: Area) -> None:
        """Ten KOLs: 4 full-specialty bios, 3 title-only, 1 shorthand, 2 empty; one is a
        non-clinical researcher, one is also a DOL, one (two areas only) is multi-area."""
        rng, a = self.rng, area.name
        styles = ["full"] * 4 + ["title"] * 3 + ["shorthand"] + ["empty"] * 2
        rng.shuffle(styles)
        shares = [s + rng.uniform(-0.015, 0.015) for s in KOL_SHARES]
        rng.shuffle(shares)
        researcher, kol_dol, multi = rng.sample(range(10), 3)
        for i, (style, share) in enumerate(zip(styles, shares, strict=True)):
            lang = _lang(rng)
            fr = 0 if lang == "fr" else 1
            if i == researcher:
                text = _cast.RESEARCHER_KOL[a].get(style, ("", ""))[fr]
                text = text.replace("{uni}", _people.institution(rng, lang, "university"))
                text = text.replace("{inst}", _people.institution(rng, lang, "institute"))
                role, title = "researcher", rng.choice(("Dr", ""))
            else:
                text = _people.hcp_bio(rng, a, lang, style, "physician", senior=True)
                role, title = "hcp", rng.choice((("Pr", "Dr", ""), ("Prof", "Dr", ""))[fr])
            second = SECOND_AREA.get(a) if i == multi else None
            if second and style == "full":
                text = _MULTI_BIO[a][fr]
            # 2k-30k followers, more for the more endorsed.
            followers = int(2000 * 15 ** ((share - 0.23) / 0.4 * 0.8 + 0.2 * rng.random()))
            if i == kol_dol:
                followers = _logu(rng, 40_000, 120_000)
            kol = self.person(
                role,
                "kol_dol" if i == kol_dol else "kol",
                (a, second) if second else (a,),
                lang,
                (text, style),
                (followers, _logu(rng, 300, 2500)),
                title=title,
                hint=_HINT[a],
                verified=rng.random() < 0.4,
                act=rng.uniform(1.0, 2.0),
            )
            if rng.random() < 0.4:
                kol.url = f"https://lab-{_people.surname(rng).lower()}.example"
            if i == kol_dol:
                area.lay_share[kol.key] = rng.uniform(0.22, 0.3)
            area.kols.append(kol)
            area.peer_share[kol.key] = share

    def dols(self, area: Area) -> None:
        """Eight DOLs (the first oncology one is the TV doctor); one title-only bio."""
        rng, a = self.rng, area.name
        styles = ["full"] * 5 + ["title", "shorthand", "empty"]
        rng.shuffle(styles)
        jobs = ["physician"] * 6 + ["gp", "nurse"]
        for i, (style, job) in enumerate(zip(styles, jobs, strict=True)):
            if a == "oncology" and i == 0:
                handle, name, bio = _cast.TV_DOCTOR
                dol = self.b.account(
                    role="hcp",
                    group="tv_doctor",
                    areas=(a,),
                    lang="en",
                    name=name,
                    bio=bio,
                    bio_style="full",
                    followers=1_040_000 + rng.randrange(9000),
                    following=812,
                    stem=handle,
                    exact_handle=True,
                    verified=True,
                    act=2.5,
                    url="https://healthwise-mornings.example",
                )
                area.lay_share[dol.key] = 0.5
            else:
                lang = _lang(rng)
                if style == "full":
                    tagline = rng.choice(_cast.DOL_TAGLINE[0 if lang == "fr" else 1])
                    text = f"{_people.specialty(rng, a, lang, job)}. {tagline}"
                else:
                    text = _people.hcp_bio(rng, a, lang, style, job, senior=job == "physician")
                dol = self.person(
                    "hcp",
                    "dol",
                    (a,),
                    lang,
                    (text, style),
                    (_logu(rng, 20_000, 300_000), _logu(rng, 200, 3000)),
                    title="Dr" if job != "nurse" and rng.random() < 0.6 else "",
                    hint=_HINT[a],
                    verified=rng.random() < 0.5,
                    act=rng.uniform(1.5, 3.0),
                )
                area.lay_share[dol.key] = rng.uniform(0.28, 0.42)
            area.dols.append(dol)
            area.peer_share[dol.key] = rng.uniform(0.06, 0.12)

    def influencers(self, area: Area) -> None:
        """Eight patient influencers: five patients (one with a vague bio), two caregivers,
        one advocate."""
        rng, a = self.rng, area.name
        for i, kind in enumerate(["patient"] * 5 + ["caregiver"] * 2 + ["advocate"]):
            lang = _lang(rng)
            fr = 0 if lang == "fr" else 1
            if kind == "caregiver":
                text, style = _people.caregiver_bio(rng, a, lang, True)
            elif kind == "advocate":
                text = ("Patiente partenaire · plaidoyer", "Patient advocate · health literacy")[fr]
                text, style = f"{text} · {hashtag(rng, a, True)}", "full"
            else:
                text, style = _people.patient_bio(rng, a, lang, i != 0)
            tail = rng.choice(_cast.INFLUENCER_TAIL[fr])
            infl = self.person(
                "patient",
                "caregiver_influencer" if kind == "caregiver" else "influencer",
                (a,),
                lang,
                (f"{text} · {tail}", style) if text else (tail, "vague"),
                (_logu(rng, 5000, 80_000), _logu(rng, 300, 2000)),
                name="{first} {l}.",
                act=rng.uniform(1.5, 3.0),
            )
            area.influencers.append(infl)
            area.lay_share[infl.key] = rng.uniform(0.18, 0.3)

    def organisations(self, area: Area) -> None:
        """The three answer organisations and two hospitals with a department in the area."""
        rng, a = self.rng, area.name
        for row in _cast.AREA_ORGS[a]:
            area.orgs.append(self.named("organisation", row, (a,), (12_000, 120_000), "full"))
        for _ in range(2):
            lang = _lang(rng)
            inst = _people.institution(rng, lang, "hospital")
            svc = _SERVICE[a][0 if lang == "fr" else 1]
            bio = f"Service de {svc} du {inst}" if lang == "fr" else f"{svc} department, {inst}"
            stem = inst.replace("CHU de ", "chu_").replace(" General Hospital", "_gh")
            row = ("hospital", stem.lower()[:15], inst, bio, lang)
            area.hospitals.append(self.named("organisation", row, (a,), (2000, 30_000)))

    def rank_and_file(self, area: Area) -> None:
        """About 150 HCPs, 40 researchers, 350 patients and 60 caregivers."""
        rng, a = self.rng, area.name
        for _ in range(self.n(150)):
            lang = _lang(rng)
            job = rng.choices(_JOBS, (58, 10, 20, 7, 5))[0]
            style = rng.choices(_HCP_STYLES, _HCP_STYLE_WEIGHTS)[0]
            if job == "allied" and style == "full":
                style = "title"  # "Kiné", "Midwife": the job is all they say
            area.hcps.append(
                self.person(
                    "hcp",
                    "base_hcp",
                    (a,),
                    lang,
                    (_people.hcp_bio(rng, a, lang, style, job), style),
                    (_logn(rng, 6.0, 1.0, 15, 50_000), _logn(rng, 6.3, 0.7, 30, 5000)),
                    title="Dr" if job in ("physician", "gp") and rng.random() < 0.35 else "",
                    hint=_HINT[a],
                    platform="bluesky" if rng.random() < 0.12 else "x",
                )
            )
        for i in range(self.n(40)):
            lang = "en" if i == 0 else _lang(rng, 0.35)
            text = _people.researcher_bio(rng, a, lang, _EDITOR_OF[a] if i == 0 else "")
            area.researchers.append(
                self.person(
                    "researcher",
                    "researcher",
                    (a,),
                    lang,
                    (text, "full" if text else "empty"),
                    (_logn(rng, 5.8, 0.9, 20, 20_000), _logn(rng, 6.0, 0.6, 50, 3000)),
                    hint="phd",
                    platform="bluesky" if rng.random() < 0.2 else "x",
                )
            )
        for count, group in ((350, "patient"), (60, "caregiver")):
            make_bio = _people.patient_bio if group == "patient" else _people.caregiver_bio
            for _ in range(self.n(count)):
                lang = _lang(rng)
                name = rng.choice(("{first} {l}.", "{first}", "{first} 🌻", "{first} {last}"))
                joined = rng.random() < 0.06  # some joined during the window
                acct = self.person(
                    "patient",
                    group,
                    (a,),
                    lang,
                    make_bio(rng, a, lang, rng.random() < 0.7),
                    (_logn(rng, 4.8, 1.1, 2, 8000), _logn(rng, 5.5, 0.8, 10, 4000)),
                    name=name,
                    created=START + timedelta(days=rng.uniform(0, 200)) if joined else None,
                    platform="bluesky" if rng.random() < 0.1 else "x",
                )
                (area.patients if group == "patient" else area.caregivers).append(acct)

    # -- across areas ---------------------------------------------------------------------
    def public(self) -> list[Acct]:
        """About 1,500 everyday accounts and 1,300 lurkers (who mostly read)."""
        rng, out = self.rng, []
        for group, count in (("public", 1500), ("lurker", 1300)):
            for _ in range(self.n(count)):
                lang = _lang(rng)
                bio = _people.public_bio(rng, lang)
                if group == "lurker" and rng.random() < 0.6:
                    bio = ("", "empty")
                joined = rng.random() < 0.05
                mu = 5.0 if group == "public" else 3.5
                out.append(
                    self.person(
                        "public",
                        group,
                        (),
                        lang,
                        bio,
                        (_logn(rng, mu, 1.2, 0, 20_000), _logn(rng, 5.6, 0.9, 5, 5000)),
                        name=rng.choice(("{first}", "{first} {last}")),
                        created=START + timedelta(days=rng.uniform(0, 250)) if joined else None,
                        platform="bluesky" if rng.random() < 0.12 else "x",
                    )
                )
        return out

    def media(self) -> list[Acct]:
        rng, out = self.rng, []
        for handle, name, bio, lang, areas, kind in _cast.MEDIA:
            if kind == "journalist":
                acct = self.person(
                    "media",
                    "media",
                    areas,
                    lang,
                    (bio, "full"),
                    (_logu(rng, 3000, 40_000), _logu(rng, 500, 4000)),
                    verified=rng.random() < 0.5,
                    act=1.5,
                )
            else:
                row = ("media", handle, name, bio, lang)
                acct = self.named("media", row, areas, (10_000, 900_000), "full")
            out.append(acct)
        return out

    def industry(self) -> tuple[Acct, list[tuple[Acct, str]]]:
        """Veralis Oncology and its 12 staff and paid partners (affiliation industry)."""
        rng = self.rng
        handle, name, bio = _cast.VERALIS
        brand = self.named(
            "brand", ("brand", handle, name, bio, "en"), ("oncology",), (41_000, 42_000), "full"
        )
        brand.url = "https://veralis.example"
        staff = []
        for role, kind, text, lang in _cast.STAFF:
            acct = self.person(
                role,
                "industry_partner" if kind == "partner" else "industry_staff",
                ("oncology",),
                lang,
                (text, "full"),
                (_logu(rng, 400, 15_000 if kind == "partner" else 6000), _logu(rng, 300, 1500)),
                title="Dr" if kind == "partner" else "",
                act=rng.uniform(1.5, 2.5),
            )
            acct.affiliation, acct.employer = "industry", brand.handle
            staff.append((acct, kind))
        return brand, staff

    def ring(self, which: str) -> tuple[Acct, list[Acct]]:
        """Ring A: ~250 'HCP' throwaways made within 3 days around an 'MD' with a cure to sell;
        ring B: ~120 'patients' made over 2 months around a wellness coach."""
        rng, b = self.rng, self.b
        handle, name, bio = _cast.RING_A_TARGET if which == "a" else _cast.RING_B_TARGET
        area = "oncology" if which == "a" else "diabetes"
        target = b.account(
            role="hcp" if which == "a" else "public",
            group=f"ring_{which}_target",
            areas=(area,),
            lang="en",
            name=name,
            bio=bio,
            bio_style="full",
            followers=912 if which == "a" else 2380,
            following=1140 if which == "a" else 640,
            stem=handle,
            exact_handle=True,
            created=b.created(2019, 2021),
            act=1.0,
        )
        members = []
        for _ in range(self.n(250 if which == "a" else 120)):
            if which == "a":
                made = datetime(2026, 1, 12, 6, tzinfo=UTC) + timedelta(
                    seconds=rng.uniform(0, 3 * 86400)
                )
                bio = rng.choice(_cast.RING_A_BIOS)
                name = rng.choice(("Dr {first}", "{first}", "{first} {l}."))
                stem = f"{{f}}{rng.randint(1000, 99_999)}"
                audience = (rng.randint(5, 150), rng.randint(300, 2000))
            else:
                made = datetime(2025, 12, 1, tzinfo=UTC) + timedelta(days=rng.uniform(0, 61))
                bio = rng.choice(_cast.RING_B_BIOS)
                name = rng.choice(("{first}", "{first} {last}", "{first} 💙"))
                stem = rng.choice(("{f}_{last}", f"{{f}}{rng.randint(10, 99)}"))
                audience = (rng.randint(40, 800), rng.randint(200, 900))
            members.append(
                self.person(
                    "public",
                    f"ring_{which}_member",
                    (area,),
                    "en",
                    (bio, "template"),
                    audience,
                    name=name,
                    stem=stem,
                    created=made,
                    act=1.0,
                )
            )
        return target, members


def populate(b: Builder, scale: float) -> Population:
    """Create every account of the world (in a fixed order: the seed decides the rest)."""
    p = _Populator(b, scale)
    areas = {name: Area(name) for name in AREAS}
    for area in areas.values():
        p.kols(area)
        p.dols(area)
        p.influencers(area)
        p.organisations(area)
        p.rank_and_file(area)
    for area in areas.values():
        for kol in area.kols:
            if len(kol.areas) > 1:
                areas[kol.areas[1]].visitors.append(kol)
                areas[kol.areas[1]].peer_share[kol.key] = SECOND_AREA_SHARE
    public = p.public()
    media = p.media()
    institutions = [p.named("organisation", row) for row in _cast.GLOBAL_ORGS]
    brands = [
        p.named(
            "brand", ("brand", h, name, bio, lang), (area,) if area else (), (3000, 60_000), "full"
        )
        for h, name, bio, lang, area in _cast.BRANDS
    ]
    handle, name, bio = _cast.CELEBRITY
    celebrity = b.account(
        role="public",
        group="celebrity",
        areas=(),
        lang="en",
        name=name,
        bio=bio,
        bio_style="full",
        followers=2_130_000,
        following=310,
        stem=handle,
        exact_handle=True,
        verified=True,
        act=3.0,
        created=b.created(2010, 2011),
    )
    veralis, staff = p.industry()
    target_a, ring_a = p.ring("a")
    target_b, ring_b = p.ring("b")
    return Population(
        areas,
        public,
        media,
        institutions,
        brands,
        celebrity,
        veralis,
        staff,
        target_a,
        ring_a,
        target_b,
        ring_b,
    )
