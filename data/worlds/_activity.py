"""What the adversarial world's accounts do: their own posts, whom they endorse and follow, and
the coordinated behaviour of the industry cluster and the two rings.

Own posts come first (so there is something to repost), then endorsements area by area, then
the cross-area audiences, the industry cluster and the rings. Every count is heavy-tailed
through each account's ``act`` (activity) and ``pop`` (popularity) draws.

>>> from kolmap.data.worlds._build import Builder
>>> from kolmap.data.worlds._population import populate
>>> b = Builder(7)
>>> pop = populate(b, 0.05)
>>> run(b, pop)
>>> len(b.posts) > 1000 and len(b.follows) > 500
True
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from kolmap.data.worlds import _cast, _texts
from kolmap.data.worlds._build import END, Acct, Builder
from kolmap.data.worlds._population import Area, Population

__all__ = ["run"]

_LAY_MIX = (0.3, 0.4, 0.05)  # lay people: reposts, replies, quotes (the rest are mentions)
_ORG_MIX = (0.7, 0.0, 0.1)  # institutions mostly repost


def _pick(rng: random.Random, pool: list[Acct], k: int, exclude: Acct | None = None) -> list[Acct]:
    """Up to ``k`` distinct accounts, likelier the more popular (preferential attachment)."""
    if not pool or k <= 0:
        return []
    out: list[Acct] = []
    for acct in rng.choices(pool, [a.pop for a in pool], k=2 * k):
        if acct is not exclude and acct not in out:
            out.append(acct)
    return out[:k]


def _times(rng: random.Random, act: float, cap: int = 8) -> int:
    """How many times one account acts on another: once, sometimes more (heavy-tailed)."""
    return min(cap, 1 + int(rng.expovariate(1.0) * act * 0.5))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class _Activity:
    def __init__(self, b: Builder, pop: Population) -> None:
        self.b, self.rng, self.pop = b, b.rng, pop

    # -- own posts ------------------------------------------------------------------------
    def science(
        self, acct: Acct, area: str, count: int, register: str = "pro", boost: float = 1.5
    ) -> None:
        """``count`` posts in ``register``, a quarter of them congress takeaways (within four
        days of one of the area's congresses, with its hashtag)."""
        for _ in range(count):
            if self.rng.random() < 0.25:
                tag, day = self.rng.choice(_texts.CONGRESSES[area])
                # International congresses: French speakers often post these in English.
                lang = "en" if self.rng.random() < 0.3 else acct.lang
                near = _midnight(day)
                self.b.write(acct, "pro", area, congress=tag, near=near, boost=boost, lang=lang)
            else:
                self.b.write(acct, register, area, boost=boost)

    def chatter(self, acct: Acct, count: int, register: str = "off") -> None:
        for _ in range(count):
            self.b.write(acct, register, None)

    def own_posts(self) -> None:
        rng, b, pop = self.rng, self.b, self.pop
        for area in pop.areas.values():
            a = area.name
            for kol in area.kols:
                self.science(
                    kol, a, rng.randint(30, 80), "research" if kol.role == "researcher" else "pro"
                )
                if len(kol.areas) > 1:
                    self.science(kol, kol.areas[1], rng.randint(15, 30))
                if kol.group == "kol_dol":
                    self.science(kol, a, rng.randint(30, 50), "explainer", boost=3.0)
                self.chatter(kol, rng.randint(3, 12), "hcp_off")
            for dol in area.dols:
                tv = dol.group == "tv_doctor"
                self.science(dol, a, 150 if tv else rng.randint(45, 100), "explainer", boost=3.0)
                self.science(dol, a, rng.randint(4, 15), "pro", boost=2.0)
                self.chatter(dol, 40 if tv else rng.randint(5, 15))
            for infl in area.influencers:
                for _ in range(rng.randint(35, 80)):
                    b.write(infl, "lay", a, boost=2.5)
                self.chatter(infl, rng.randint(10, 20))
            for org in area.orgs:
                self.science(org, a, rng.randint(40, 70), org.group, boost=1.0)
            for hosp in area.hospitals:
                self.science(hosp, a, rng.randint(15, 30), "hospital", boost=1.0)
            for acct in area.hcps:
                self.science(acct, a, min(60, round(acct.act * 2.4)), boost=1.0)
                self.chatter(acct, round(acct.act * 1.3), rng.choice(("off", "hcp_off")))
            for acct in area.researchers:
                self.science(acct, a, min(50, round(acct.act * 2.2)), "research", boost=1.0)
                self.chatter(acct, round(acct.act * 2))
            for acct in area.lay:
                for _ in range(min(30, round(acct.act * 1.0))):
                    b.write(acct, "lay", a)
                self.chatter(acct, round(acct.act * 0.5))
        for acct in pop.public:
            if acct.group == "lurker":
                self.chatter(acct, round(acct.act * 1.2) if rng.random() < 0.3 else 0)
                continue
            self.chatter(acct, min(60, round(acct.act * 1.4)))
            if rng.random() < 0.08:
                b.write(acct, "lay", rng.choice(_texts.AREAS))
        for acct in pop.media:
            journalist = acct.url == ""  # outlets and journals have a site, journalists not
            for _ in range(rng.randint(20, 40) if journalist else rng.randint(30, 70)):
                b.write(acct, "media", rng.choice(acct.areas), boost=1.0)
            self.chatter(acct, rng.randint(2, 8))
        for org in pop.institutions:
            register = {"university": "research", "clinical_service": "pro"}.get(
                org.group, "public_body"
            )
            for _ in range(rng.randint(20, 40)):
                b.write(org, register, rng.choice(_texts.AREAS), boost=1.0)
            self.chatter(org, rng.randint(3, 10))
        for brand in pop.brands:
            for _ in range(rng.randint(60, 100)):
                b.write(brand, "org", brand.areas[0] if brand.areas else None, boost=0.5)
        self.chatter(pop.celebrity, 198, "celeb_off")
        for _ in range(2):
            b.write(pop.celebrity, "celeb_onc", "oncology", boost=70.0)
        self.industry_posts()
        for _ in range(22):
            b.write(pop.target_a, "cure", "oncology", boost=1.0)
        for _ in range(36):
            b.write(pop.target_b, "wellness", "diabetes", boost=1.0)
        for member in pop.ring_a:
            for _ in range(rng.randint(1, 2)):
                b.post(member, "oncology", _cast.ring(rng, "a", "own"), b.moment(member))
        for member in pop.ring_b:
            for _ in range(rng.randint(1, 5)):
                b.post(member, "diabetes", _cast.ring(rng, "b", "own"), b.moment(member))

    def industry_posts(self) -> None:
        """Product-adjacent oncology posts; the partners also post genuine clinical content."""
        rng, b, pop = self.rng, self.b, self.pop
        for acct, kind in [(pop.veralis, "brand"), *pop.staff]:
            count = {
                "brand": 180,
                "medical": rng.randint(50, 90),
                "commercial": rng.randint(30, 50),
            }
            for _ in range(count.get(kind, rng.randint(40, 70))):
                tag, day = rng.choice(_texts.CONGRESSES["oncology"])
                at = b.moment(acct, _midnight(day), 4) if rng.random() < 0.25 else b.moment(acct)
                text, lang = _cast.industry(rng, kind, acct.lang, pop.veralis.handle, tag)
                b.post(acct, "oncology", text, at, boost=0.6 if kind == "brand" else 1.0, lang=lang)
            if kind == "partner":
                self.science(acct, "oncology", rng.randint(15, 30), boost=1.0)
            if kind != "brand":
                self.chatter(acct, rng.randint(3, 10))

    # -- endorsements ---------------------------------------------------------------------
    def reach(
        self,
        sources: list[Acct],
        target: Acct,
        area: str,
        share: float,
        voice: str,
        mix: tuple[float, float, float] = (0.35, 0.25, 0.1),
        cap: int = 8,
    ) -> None:
        """Exactly ``round(share * eligible)`` of ``sources`` (those on ``target``'s platform)
        engage ``target``, a heavy-tailed number of times each, and mostly follow it; a few
        of the others follow without engaging. Exact counts keep the planted shares exact."""
        rng, b = self.rng, self.b
        eligible = [s for s in sources if s is not target and s.platform == target.platform]
        chosen = set(
            rng.sample(range(len(eligible)), min(len(eligible), round(share * len(eligible))))
        )
        for i, src in enumerate(eligible):
            if i in chosen:
                b.engage(src, target, area, _times(rng, src.act, cap), voice, mix)
                if rng.random() < 0.8:
                    b.follow(src, target)
            elif rng.random() < 0.15 * share:
                b.follow(src, target)

    def endorse_area(self, area: Area) -> None:
        rng, b, a = self.rng, self.b, area.name
        stars = area.kols + area.visitors
        # Shares are of all the area's peers; only those on the star's platform (X) can act.
        on_x = len(area.peers) / max(1, sum(p.platform == "x" for p in area.peers))
        for star in stars + area.dols:
            self.reach(area.peers, star, a, area.peer_share[star.key] * on_x, "pro")
        society, body, association = area.orgs
        for star in stars:
            others = [k for k in stars if k is not star]
            for other in rng.sample(others, round(0.7 * len(others))):
                b.engage(other, star, a, rng.randint(1, 4))
                b.follow(other, star)
            for dol in area.dols:
                if rng.random() < 0.15:
                    b.engage(star, dol, a, 1)
            self.reach(area.lay, star, a, 0.03, "lay", _LAY_MIX, cap=2)
            b.engage(society, star, a, rng.randint(2, 6), "pro", _ORG_MIX)
            for org in [body, *area.hospitals]:
                if rng.random() < 0.45:
                    b.engage(org, star, a, rng.randint(1, 3), "pro", _ORG_MIX)
        for target in [*area.dols, *area.influencers, area.kol_dol]:
            self.reach(area.lay, target, a, area.lay_share[target.key], "lay", _LAY_MIX, cap=2)
        for infl in area.influencers:
            self.reach(area.peers, infl, a, 0.03, "pro")
            for other in area.dols + area.influencers:
                if other is not infl and rng.random() < 0.5:
                    b.engage(other, infl, a, rng.randint(1, 3), "lay")
                    b.follow(other, infl)
            b.engage(association, infl, a, rng.randint(1, 4), "lay", (0.8, 0.0, 0.1))
            b.engage(infl, association, a, rng.randint(1, 5), "lay")
        for org, peer_share, lay_share in zip(
            area.orgs, (0.35, 0.15, 0.05), (0.03, 0.12, 0.35), strict=True
        ):
            self.reach(area.peers, org, a, peer_share, "pro", cap=3)
            self.reach(area.lay, org, a, lay_share, "lay", _LAY_MIX, cap=3)
        for hosp in area.hospitals:
            self.reach(area.peers, hosp, a, 0.06, "pro", cap=2)
            self.reach(area.lay, hosp, a, 0.05, "lay", _LAY_MIX, cap=2)
        # Among peers and among lay people: a little, towards the popular ones.
        for group, per_act, per_follow, voice in (
            (area.peers, 1.2, 5, "pro"),
            (area.lay, 0.8, 2, "lay"),
        ):
            by_platform = {p: [x for x in group if x.platform == p] for p in ("x", "bluesky")}
            for src in group:
                pool = by_platform[src.platform]
                for dst in _pick(rng, pool, round(src.act * per_act), exclude=src):
                    b.engage(src, dst, a, rng.randint(1, 2), voice)
                for dst in _pick(rng, pool, round(src.act * per_follow), exclude=src):
                    b.follow(src, dst)
        # Noise: clinicians answering patients, peers straying to another area's stars.
        for src in area.peers:
            if rng.random() < 0.25:
                for dst in rng.sample(area.lay, min(2, len(area.lay))):
                    b.engage(src, dst, a, 1, "pro", (0.0, 1.0, 0.0))
            if rng.random() < 0.05:
                away = self.pop.areas[rng.choice([x for x in _texts.AREAS if x != a])]
                b.engage(src, rng.choice(away.kols), away.name, 1)

    def endorse_public(self) -> None:
        """The public: DOLs, the TV doctor, influencers, the celebrity; arguing sometimes."""
        rng, b, pop = self.rng, self.b, self.pop
        tv = pop.tv_doctor
        for area in pop.areas.values():
            if area.name != "oncology":
                self.reach(area.lay, tv, "oncology", 0.15, "lay", _LAY_MIX, cap=3)
        public = [p for p in pop.public if p.group == "public"]
        x_public = [p for p in public if p.platform == "x"]
        for src in pop.public:
            lurker = src.group == "lurker"
            if rng.random() < (0.15 if lurker else 0.3):
                area = pop.areas[rng.choice(_texts.AREAS)]
                voice = "argue" if rng.random() < 0.2 else "lay"
                for dol in rng.sample(area.dols, rng.randint(1, 1 if lurker else 3)):
                    b.engage(src, dol, area.name, rng.randint(1, 2), voice, (0.4, 0.35, 0.05))
                    b.follow(src, dol)
                if rng.random() < 0.5:
                    b.engage(src, tv, "oncology", rng.randint(1, 3), voice, (0.4, 0.35, 0.05))
                if not lurker and rng.random() < 0.25:
                    b.engage(src, rng.choice(area.influencers), area.name, rng.randint(1, 2), "lay")
                if rng.random() < 0.6:
                    b.engage(src, pop.celebrity, None, rng.randint(1, 2), "lay")
            elif not lurker and rng.random() < 0.1:
                b.engage(src, pop.celebrity, None, 1, "lay")
            if rng.random() < (0.4 if lurker else 0.35):
                b.follow(src, pop.celebrity)
            if rng.random() < (0.25 if lurker else 0.2):
                b.follow(src, tv)
            friends = x_public if src.platform == "x" else public
            for dst in _pick(rng, friends, round(src.act * (0.6 if lurker else 1.7)), src):
                b.follow(src, dst)
        # The celebrity's two oncology posts go viral with the public and some patients.
        for src in public + pop.areas["oncology"].lay:
            if rng.random() < (0.12 if src.group == "public" else 0.04):
                b.engage(src, pop.celebrity, "oncology", 1, "lay", (0.6, 0.3, 0.1))

    def endorse_institutions(self) -> None:
        """Media cover the TV doctor, DOLs, KOLs and organisations; public bodies, NGOs and
        universities repost the areas' organisations and a few KOLs."""
        rng, b, pop = self.rng, self.b, self.pop
        for outlet in pop.media:
            b.engage(outlet, pop.tv_doctor, "oncology", rng.randint(2, 5), "media", (0.2, 0.1, 0.3))
            for name in outlet.areas:
                area = pop.areas[name]
                odds = [(d, 0.4) for d in area.dols] + [(k, 0.3) for k in area.kols]
                for target, p in odds + [(o, 0.5) for o in area.orgs]:
                    if rng.random() < p:
                        b.engage(outlet, target, name, rng.randint(1, 2), "media", (0.3, 0.1, 0.3))
                        b.follow(outlet, target)
        for org in pop.institutions:
            for area in pop.areas.values():
                for target in area.orgs + rng.sample(area.kols, 2):
                    if rng.random() < 0.4:
                        b.engage(org, target, area.name, rng.randint(1, 3), "pro", _ORG_MIX)
                for src in area.peers:
                    if rng.random() < 0.04:
                        b.engage(src, org, area.name, 1)

    def endorse_industry(self) -> None:
        """The brand reposts and mentions its people constantly; they repost each other and
        the brand, follow each other; a few ordinary oncologists engage them a little."""
        rng, b, brand = self.rng, self.b, self.pop.veralis
        staff = [acct for acct, _kind in self.pop.staff]
        for acct in staff:
            b.engage(brand, acct, "oncology", rng.randint(60, 110), "pro", (0.5, 0.05, 0.15))
            b.engage(acct, brand, "oncology", rng.randint(5, 15), "pro", (0.8, 0.05, 0.1))
            b.follow(acct, brand)
            b.follow(brand, acct)
            for other in staff:
                if other is not acct:
                    b.follow(acct, other)
                    if rng.random() < 0.95:
                        b.engage(
                            acct, other, "oncology", rng.randint(8, 18), "pro", (0.6, 0.1, 0.1)
                        )
        onc = self.pop.areas["oncology"]
        x_hcps = [h for h in onc.hcps if h.platform == "x"]
        for src in rng.sample(x_hcps, min(15, len(x_hcps))):
            for dst in rng.sample(staff[:10], rng.randint(1, 2)):
                b.engage(src, dst, "oncology", 1)
        for acct, kind in self.pop.staff:
            if kind == "partner":
                for src in rng.sample(x_hcps, min(25, len(x_hcps))):
                    b.engage(src, acct, "oncology", rng.randint(1, 2))
                    b.follow(src, acct)
            for kol in onc.kols:
                if rng.random() < (0.3 if kind == "partner" else 0.1):
                    b.engage(acct, kol, "oncology", rng.randint(1, 2))
                if rng.random() < 0.5:
                    b.follow(acct, kol)

    # -- the rings ------------------------------------------------------------------------
    def staggered(
        self, start: datetime, members: list[Acct], low: float, high: float
    ) -> list[tuple[Acct, datetime]]:
        """Members acting one after another, ``low``..``high`` seconds apart."""
        out, at = [], start
        for member in members:
            at += timedelta(seconds=self.rng.uniform(low, high))
            if at >= END:
                break
            if at >= member.start:
                out.append((member, at))
        return out

    def link_ring(self, ring: list[Acct], target: Acct, density: float, back: float) -> None:
        """Reciprocal follows between members (``density`` of pairs), all following the target."""
        rng, b = self.rng, self.b
        for i, member in enumerate(ring):
            for other in ring[i + 1 :]:
                if rng.random() < density:
                    b.follow(member, other)
                    b.follow(other, member)
            b.follow(member, target)
            if rng.random() < back:
                b.follow(target, member)

    def ring_a(self) -> None:
        """Blatant: reposts within seconds to minutes of each target post, templated mention
        bursts, dense reciprocal follows, a few KOLs followed for camouflage."""
        rng, b, ring, target = self.rng, self.b, self.pop.ring_a, self.pop.target_a
        self.link_ring(ring, target, 0.1, 0.3)
        for member in ring:
            for kol in rng.sample(self.pop.areas["oncology"].kols, rng.randint(2, 4)):
                b.follow(member, kol)
        ready = max(m.start for m in ring)
        pushed = [p for p in target.own["oncology"] if p.at > ready]
        for post in pushed:
            for member in ring:
                if rng.random() < 0.55:
                    b.post(member, "oncology", "", b.after(member, post.at, 2, 240), repost_of=post)
            for member in rng.sample(ring, max(1, len(ring) // 10)):
                text = f"@{target.handle} " + _cast.ring(rng, "a", "reply")
                b.post(member, "oncology", text, b.after(member, post.at, 20, 600), reply_to=post)
        bursts = [
            p.at + timedelta(seconds=rng.uniform(600, 3600))
            for p in rng.sample(pushed, min(12, len(pushed)))
        ]
        for member in ring:
            for _ in range(rng.randint(2, 4)):
                at = rng.choice(bursts) + timedelta(seconds=rng.uniform(0, 600))
                if at < END:
                    b.post(member, "oncology", _cast.ring(rng, "a", "target", target.handle), at)
            for other in rng.sample(ring, min(3, len(ring))):
                own = other.own.get("oncology", [])
                if other is member:
                    continue
                if own and rng.random() < 0.6:
                    parent = rng.choice(own)
                    b.post(
                        member, "oncology", "", b.after(member, parent.at, 2, 900), repost_of=parent
                    )
                else:
                    b.post(
                        member,
                        "oncology",
                        _cast.ring(rng, "a", "peer", peer=other.handle),
                        b.moment(member),
                    )

    def ring_b(self) -> None:
        """Stealthy: co-actions staggered 5-90 minutes apart, paraphrased texts, sparser
        reciprocal follows, and some engagement with genuine patients."""
        rng, b, ring, target = self.rng, self.b, self.pop.ring_b, self.pop.target_b
        dia = self.pop.areas["diabetes"]
        genuine = [p for p in dia.lay + dia.influencers if p.platform == "x"]
        self.link_ring(ring, target, 0.12, 0.5)
        for member in ring:
            for acct in rng.sample(genuine, min(len(genuine), rng.randint(3, 8))):
                b.follow(member, acct)
        for post in target.own["diabetes"]:
            crowd = rng.sample(ring, round(len(ring) * rng.uniform(0.25, 0.45)))
            for member, at in self.staggered(post.at, crowd, 300, 5400):
                b.post(member, "diabetes", "", at, repost_of=post)
            for member, at in self.staggered(
                post.at, rng.sample(ring, max(1, len(ring) // 20)), 300, 5400
            ):
                text = f"@{target.handle} " + _cast.ring(rng, "b", "reply")
                b.post(member, "diabetes", text, at, reply_to=post)
        for _ in range(15):
            crowd = rng.sample(ring, min(len(ring), rng.randint(20, 40)))
            for member, at in self.staggered(b.moment(target), crowd, 300, 5400):
                b.post(member, "diabetes", _cast.ring(rng, "b", "target", target.handle), at)
        for member in ring:
            for other in rng.sample(ring, min(len(ring), rng.randint(2, 4))):
                own = other.own.get("diabetes", [])
                if other is member:
                    continue
                if own and rng.random() < 0.5:
                    parent = rng.choice(own)
                    b.post(member, "diabetes", "", b.after(member, parent.at), repost_of=parent)
                else:
                    b.post(
                        member,
                        "diabetes",
                        _cast.ring(rng, "b", "peer", peer=other.handle),
                        b.moment(member),
                    )
            if genuine and rng.random() < 0.4:
                b.engage(member, rng.choice(genuine), "diabetes", 1, "lay")


def run(b: Builder, pop: Population) -> None:
    """Make ``pop`` post, endorse and follow (in a fixed order: the seed decides the rest)."""
    act = _Activity(b, pop)
    act.own_posts()
    for area in pop.areas.values():
        act.endorse_area(area)
    act.endorse_public()
    act.endorse_institutions()
    act.endorse_industry()
    act.ring_a()
    act.ring_b()
