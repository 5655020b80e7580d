"""Seeded generator of synthetic social data in kolmap's canonical format (no real people).

Names are built from invented syllables; handles, bios and posts are templates (the words are in
casting.toml, the steps that use them in _casting.py). The generator plants known answers
(KOLs, DOLs, patient influencers and lead organisations per area) and the classic traps (a
celebrity with one on-topic post, a brand that posts a lot, an HCP pushed by throwaway
accounts, a star of another area). It writes ``known_answers.json`` and ``truth.csv`` (true
roles) beside the canonical files so tests can check rankings and role inference. The same seed
and size always give byte-identical files.

>>> sample = generate(seed=7, scale=0.05)
>>> len(sample.accounts) > 100, sample.known["areas"][0]
(True, 'oncology')
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kolmap.data.samples._casting import AREAS, Acct, Gen, Sample
from kolmap.model import ACCOUNT_COLUMNS, FOLLOW_COLUMNS, LABEL_COLUMNS, POST_COLUMNS

__all__ = ["Sample", "generate", "write_sample"]


@dataclass
class AreaCast:
    """The people of one therapeutic area, by the part they play."""

    kol: list[Acct]
    dol: list[Acct]
    base_hcp: list[Acct]
    advocate: list[Acct]
    patient: list[Acct]
    society: list[Acct]
    hospital: list[Acct]


@dataclass
class Traps:
    """The accounts planted to fool a naive ranking (data/samples/README.md, answers 5 to 8)."""

    celebrity: Acct
    brand: Acct
    pushed: Acct
    throwaways: list[Acct]
    other_area_star: Acct


def generate(seed: int = 42, scale: float = 1.0) -> Sample:
    """Build the sample; ``scale=1`` gives about 3,000 accounts and 25,000 posts.

    The steps run in a fixed order, each drawing from the one seeded generator: reordering them
    changes every seed's sample (and the committed one under canonical/)."""
    g = Gen(seed, scale)
    areas = {area: cast_area(g, area) for area in AREAS}
    public = [g.member_of_public() for _ in range(g.scaled(1000))]
    media = [g.health_media("fr" if i % 2 else "en") for i in range(g.scaled(8))]
    traps = plant_traps(g, areas)
    post_own_topics(g, areas, public, media)
    post_trap_topics(g, traps)
    for area, cast in areas.items():
        endorse_within_area(g, area, cast)
        follow_within_area(g, cast)
    engage_public(g, public, areas, traps.celebrity)
    push_the_pushed_hcp(g, traps)
    endorse_other_area_star(g, areas, traps.other_area_star)
    label_a_few(g, areas)
    g.sample.known = known_answers(seed, scale, areas, traps)
    return g.sample


# -- cast ----------------------------------------------------------------------------------
def cast_area(g: Gen, area: str) -> AreaCast:
    """One area's people: the planted answers (5 KOLs and 3 DOLs, titled HCPs on X; 3 patient
    advocates; the learned society) among ~110 ordinary HCPs, ~220 patients and 3 hospitals
    that the rankings must tell them from."""
    return AreaCast(
        kol=[g.hcp(area, "kol", g.lang()) for _ in range(5)],
        dol=[g.hcp(area, "dol", g.lang()) for _ in range(3)],
        base_hcp=[g.hcp(area, "base", g.lang()) for _ in range(g.scaled(110))],
        advocate=[g.patient(area, "advocate", g.lang()) for _ in range(3)],
        patient=[g.patient(area, "base", g.lang()) for _ in range(g.scaled(220))],
        society=[g.organisation(area, "society", g.lang())],
        hospital=[g.organisation(area, "hospital", g.lang()) for _ in range(3)],
    )


def plant_traps(g: Gen, areas: dict[str, AreaCast]) -> Traps:
    """The traps: a celebrity, a brand, an HCP pushed by throwaway accounts (all on X, all
    cast here) and the first cardiology KOL, who will post once about oncology."""
    return Traps(
        celebrity=cast_celebrity(g),
        brand=cast_brand(g),
        pushed=cast_pushed_hcp(g),
        throwaways=[cast_throwaway(g) for _ in range(g.scaled(250))],
        other_area_star=areas["cardiology"].kol[0],
    )


def cast_celebrity(g: Gen) -> Acct:
    """A singer with 2.4M followers: a huge audience must not make an oncology influencer."""
    return g.add_account(
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


def cast_brand(g: Gen) -> Acct:
    """A pharma brand that posts a lot on oncology: volume without endorsement must not rank."""
    return g.add_account(
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


def cast_pushed_hcp(g: Gen) -> Acct:
    """An "MD" selling cures: attention from throwaway accounts must not make a KOL or DOL."""
    return g.add_account(
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


def cast_throwaway(g: Gen) -> Acct:
    """A nameless, numbered account with no audience, one of those pushing the pushed HCP."""
    return g.add_account(
        "unknown",
        None,
        "throwaway",
        name="",
        bio="",
        handle=f"user{g.rng.randint(10**7, 10**8)}",
        lang="en",
        followers=g.rng.randint(0, 3),
        following=g.rng.randint(0, 20),
        platform="x",
    )


# -- posts ---------------------------------------------------------------------------------
def post_own_topics(
    g: Gen, areas: dict[str, AreaCast], public: list[Acct], media: list[Acct]
) -> None:
    """Everyone's own posts, before anyone engages (endorsements repost, reply to and quote
    these): each area's people on their area and a little on life, the public on life only,
    health media on any area or none."""
    rng = g.rng
    for area, cast in areas.items():
        post_area_topics(g, area, cast)
    for acct in public:
        for _ in range(rng.randint(0, 6)):
            g.post(acct, None)
    for acct in media:
        for _ in range(rng.randint(20, 40)):
            g.post(acct, rng.choice([*AREAS, None]))


def post_area_topics(g: Gen, area: str, cast: AreaCast) -> None:
    """One area's posts: KOLs, DOLs, advocates and organisations post often on the area (DOLs'
    posts draw the most likes, then KOLs'), ordinary HCPs and patients a few times."""
    rng = g.rng
    for accts, engagement in ((cast.kol, 6), (cast.dol, 25)):
        for acct in accts:
            for _ in range(rng.randint(30, 45)):
                g.post(acct, area, engagement=engagement)
            for _ in range(rng.randint(2, 6)):
                g.post(acct, None)
    for acct in cast.base_hcp:
        for _ in range(rng.randint(3, 12)):
            g.post(acct, area)
        for _ in range(rng.randint(0, 4)):
            g.post(acct, None)
    for acct in cast.advocate:
        for _ in range(rng.randint(25, 40)):
            g.post(acct, area, engagement=5)
    for acct in cast.patient:
        for _ in range(rng.randint(1, 6)):
            g.post(acct, area if rng.random() < 0.6 else None)
    for acct in cast.society + cast.hospital:
        for _ in range(rng.randint(15, 30)):
            g.post(acct, area, engagement=3)


def post_trap_topics(g: Gen, traps: Traps) -> None:
    """The traps' posts: the celebrity's 200 on life and 1 on oncology (all much liked), the
    brand's ~400 barely liked oncology posts, the pushed HCP's 20, and the cardiology star's
    14 on cardiology after 1 on oncology."""
    for _ in range(200):
        g.post(traps.celebrity, None, engagement=400)
    g.post(traps.celebrity, "oncology", engagement=400)
    for _ in range(g.scaled(400)):
        g.post(traps.brand, "oncology", engagement=0.5)
    for _ in range(20):
        g.post(traps.pushed, "oncology")
    for i in range(15):
        g.post(traps.other_area_star, "oncology" if i == 0 else "cardiology", engagement=6)


# -- engagement ----------------------------------------------------------------------------
def endorse_within_area(g: Gen, area: str, cast: AreaCast) -> None:
    """The structure the rankings must recover: ordinary HCPs endorse the KOLs most (peer
    standing), patients endorse the DOLs and advocates (lay audience), KOLs endorse each
    other and hospitals endorse the KOLs and the society."""
    rng = g.rng
    for acct in cast.base_hcp:
        g.endorse(acct, cast.kol, area, rng.randint(3, 8))
        g.endorse(acct, cast.dol, area, rng.randint(0, 1))
        g.endorse(acct, cast.base_hcp, area, rng.randint(0, 2))
        g.endorse(acct, cast.society, area, rng.randint(0, 2))
    for acct in cast.kol:
        g.endorse(acct, cast.kol, area, 4)
        g.endorse(acct, cast.society, area, 2)
    for acct in cast.patient:
        g.endorse(acct, cast.dol, area, rng.randint(2, 6))
        g.endorse(acct, cast.advocate, area, rng.randint(1, 4))
        g.endorse(acct, cast.patient, area, rng.randint(0, 1))
        g.endorse(acct, cast.society + cast.hospital, area, rng.randint(0, 1))
    for acct in cast.advocate + cast.dol:
        g.endorse(acct, cast.advocate, area, 3)
        g.endorse(acct, cast.dol, area, 2)
        g.endorse(acct, cast.kol, area, 2)
    for acct in cast.hospital:
        g.endorse(acct, cast.kol, area, 3)
        g.endorse(acct, cast.society, area, 3)


def follow_within_area(g: Gen, cast: AreaCast) -> None:
    """Follows that match the endorsements: HCPs follow the KOLs, the society and a few
    peers; patients follow the advocates, the DOLs and a few other patients."""
    rng = g.rng
    hcps = cast.base_hcp
    for acct in hcps + cast.kol + cast.dol:
        for target in cast.kol + cast.society:
            if rng.random() < 0.6:
                g.follow(acct, target)
        for target in rng.sample(hcps, min(len(hcps), 6)):
            g.follow(acct, target)
    for acct in cast.patient + cast.advocate:
        for target in cast.advocate + cast.dol:
            if rng.random() < 0.5:
                g.follow(acct, target)
        for target in rng.sample(cast.patient, min(len(cast.patient), 3)):
            g.follow(acct, target)


def engage_public(g: Gen, public: list[Acct], areas: dict[str, AreaCast], celebrity: Acct) -> None:
    """The public follow each other and the celebrity, 30% mention the celebrity in a post on
    life (a big audience off topic, which must not rank on oncology), and 60% endorse and
    follow one area's DOLs: DOLs reach beyond their peers."""
    rng = g.rng
    for acct in public:
        for target in rng.sample(public, min(len(public), 5)):
            g.follow(acct, target)
        if rng.random() < 0.6:
            area = rng.choice(AREAS)
            g.endorse(acct, areas[area].dol, area, rng.randint(2, 4))
            for target in areas[area].dol:
                g.follow(acct, target)
        g.follow(acct, celebrity)
        if rng.random() < 0.3:
            # This draw once chose the area of an endorsement of the celebrity made 0 times,
            # which planted nothing; it stays so that every seed gives the same files.
            rng.random()
            g.post(acct, None, mentions=[celebrity])


def push_the_pushed_hcp(g: Gen, traps: Traps) -> None:
    """Each throwaway account mentions the pushed HCP on oncology 3 to 6 times, follows them
    and half the time reposts them: loud, coordinated attention from nobody."""
    rng = g.rng
    own = [p for p, _area in g.posts_by.get(traps.pushed.id, [])]
    for acct in traps.throwaways:
        for _ in range(rng.randint(3, 6)):
            g.post(acct, "oncology", mentions=[traps.pushed])
        g.follow(acct, traps.pushed)
        if rng.random() < 0.5:
            g.post(acct, "oncology", repost_of=rng.choice(own))


def endorse_other_area_star(g: Gen, areas: dict[str, AreaCast], star: Acct) -> None:
    """20 cardiology HCPs endorse the cardiology star some more: a top cardiology KOL, whose
    one oncology post must not make them an oncology KOL."""
    for acct in areas["cardiology"].base_hcp[:20]:
        g.endorse(acct, [star], "cardiology", 3)


def label_a_few(g: Gen, areas: dict[str, AreaCast]) -> None:
    """User-verified labels, as a medical team would add: 15 oncology HCPs (some titleless,
    whom inference misses) and 5 diabetes patients. Labels win over inference."""
    for acct in areas["oncology"].base_hcp[:15] + areas["diabetes"].patient[:5]:
        g.sample.labels.append(
            {
                "platform": acct.platform,
                "account_id": acct.id,
                "role": acct.role,
                "specialty": "",
                "person_id": "",
            }
        )


def known_answers(
    seed: int, scale: float, areas: dict[str, AreaCast], traps: Traps
) -> dict[str, Any]:
    """The planted answers as ``platform:account_id`` keys, for known_answers.json."""

    def key(a: Acct) -> str:
        return f"{a.platform}:{a.id}"

    def keys(accts: list[Acct]) -> list[str]:
        return [key(a) for a in accts]

    return {
        "seed": seed,
        "scale": scale,
        "areas": list(AREAS),
        "kol": {a: keys(areas[a].kol) for a in AREAS},
        "dol": {a: keys(areas[a].dol) for a in AREAS},
        "influencer": {a: keys(areas[a].advocate) for a in AREAS},
        "organisation": {a: keys(areas[a].society) for a in AREAS},
        "traps": {
            "celebrity": key(traps.celebrity),
            "brand": key(traps.brand),
            "pushed": key(traps.pushed),
            "other_area_star": key(traps.other_area_star),
        },
    }


# -- files ---------------------------------------------------------------------------------
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
