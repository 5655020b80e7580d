"""Building blocks of the sample generator: invented names, accounts, posts and endorsements.

``Gen`` holds the seeded random generator and the rows made so far. Each of its methods casts
one account (an HCP, a patient, an organisation, anyone else) or writes one post, follow or run
of endorsements, drawing words and templates from ``casting.toml``; generate.py decides who is
cast and who engages whom. Every draw comes from the one ``random.Random``, in call order, so
the same calls in the same order give the same sample.

>>> g = Gen(seed=1, scale=1.0)
>>> hcp = g.hcp("diabetes", "base", "en")
>>> hcp.role, g.sample.truth[0]["area"]
('hcp', 'diabetes')
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["AREAS", "Acct", "Gen", "Sample"]

AREAS = ("oncology", "diabetes", "neurology", "cardiology")
_START = datetime(2026, 1, 5, tzinfo=UTC)
_DAYS = 300

_CASTING: dict[str, Any] = tomllib.loads(
    Path(__file__).with_name("casting.toml").read_text("utf-8")
)
_SYLLABLES: list[str] = _CASTING["syllables"]
_FIRST_NAMES: dict[str, list[str]] = _CASTING["first_names"]
_AREA_WORDS: dict[str, dict[str, Any]] = _CASTING["areas"]
_BIOS: dict[str, Any] = _CASTING["bios"]
_POSTS: dict[str, dict[str, list[str]]] = _CASTING["posts"]
# Congress hashtag -> (first day at midnight UTC, days).
_CONGRESSES: dict[str, tuple[datetime, int]] = {
    tag: (datetime.combine(spec["start"], datetime.min.time(), UTC), int(spec["days"]))
    for tag, spec in _CASTING["congresses"].items()
}
_CONGRESS_TAG = re.compile(r"#(" + "|".join(map(re.escape, _CONGRESSES)) + r")\b")


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
class Acct:
    """One cast account: where it is, who it truly is (role, area, tier) and its language."""

    platform: str
    id: str
    handle: str
    role: str
    area: str | None
    lang: str
    tier: str


@dataclass
class _Pool:
    group: list[Acct]
    size: int
    members: list[Acct]
    index: dict[str, int]


class Gen:
    """The random generator and the sample built so far, with the steps that add to it."""

    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.sample = Sample()
        self.accts: list[Acct] = []
        self.by_group: dict[tuple[str | None, str], list[Acct]] = {}
        self.posts_by: dict[str, list[tuple[str, str]]] = {}  # account id -> [(post id, area)]
        self._next_id = 100_000
        self._next_post = 5_000_000
        self._handles: set[str] = set()
        # Per (group, platform): the group's members on that platform (the group is kept
        # referenced, so its id() cannot be reused by another list).
        self._pools: dict[tuple[int, str], _Pool] = {}

    def scaled(self, count: int) -> int:
        """``count`` at this sample's scale (at least 1)."""
        return max(1, round(count * self.scale))

    def lang(self) -> str:
        """French or English, evenly."""
        return self.rng.choice(["fr", "en"])

    # -- names --------------------------------------------------------------------------
    def surname(self) -> str:
        """An invented surname: 2 or 3 syllables."""
        n = self.rng.choice([2, 2, 3])
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(n)).capitalize()

    def person_name(self, lang: str) -> str:
        """A first name of the language and an invented surname."""
        first = self.rng.choice(_FIRST_NAMES["fr" if lang == "fr" else "en"])
        return f"{first} {self.surname()}"

    def unique_handle(self, base: str) -> str:
        """``base`` made handle-like, with a number added if it is taken."""
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
    ) -> Acct:
        """Add an account row and its truth row (role, area, tier); mostly on X."""
        platform = platform or self.rng.choices(["x", "bluesky", "linkedin"], [6, 3, 1])[0]
        self._next_id += self.rng.randint(1, 50)
        acct_id = str(self._next_id) if platform != "bluesky" else f"did:plc:syn{self._next_id}"
        handle = self.unique_handle(handle or name.replace(" ", "_"))
        acct = Acct(platform, acct_id, handle, role, area, lang, tier)
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

    def hcp(self, area: str, tier: str, lang: str) -> Acct:
        """An HCP of ``area``. KOLs and DOLs have a senior title and are on X; of the others,
        most give their specialty, some are nurses and a tenth give no title at all."""
        words = _AREA_WORDS[area]
        bios = _BIOS["hcp"]
        name = self.person_name(lang)
        style = self.rng.random()
        if tier in ("kol", "dol"):
            bio = bios["senior"][lang].format(specialty=words["specialty"][lang])
            display = f"Dr {name}" if self.rng.random() < 0.5 else f"Pr {name}"
        elif style < 0.75:
            bio = bios["hospital"][lang].format(specialty=words["specialty"][lang])
            display = f"Dr {name}" if self.rng.random() < 0.4 else name
        elif style < 0.9:
            bio = bios["nurse"][lang].format(topic=words["topics"][lang][0])
            display = name
        else:  # HCPs whose bio gives no title: inference should miss some of these
            bio = bios["untitled"][lang].format(topic=words["topics"][lang][1])
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

    def patient(self, area: str, tier: str, lang: str) -> Acct:
        """A patient of ``area``: advocates (large audiences, on X) and half the others say
        so in their bio, some name only their condition and a fifth never mention it."""
        topic = _AREA_WORDS[area]["topics"][lang][0]
        bios = _BIOS["patient"]
        name = self.person_name(lang)
        style = self.rng.random()
        if tier == "advocate" or style < 0.5:
            bio = bios["advocate"][lang].format(topic=topic)
        elif style < 0.8:
            bio = bios["condition"][lang].format(topic=topic, Topic=topic.capitalize())
        else:
            bio = bios["offtopic"][lang]
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

    def organisation(self, area: str, tier: str, lang: str) -> Acct:
        """A verified learned society (``tier="society"``, on X) or hospital of ``area``."""
        kind = _BIOS["society" if tier == "society" else "hospital"]
        named_after = _AREA_WORDS[area]["field"][lang]
        stem = self.surname()
        return self.add_account(
            "organisation",
            area,
            tier,
            name=kind["name"][lang].format(field=named_after, stem=stem),
            bio=kind["bio"][lang].format(department=named_after.lower()),
            lang=lang,
            followers=int(self.rng.lognormvariate(9.5, 0.5)),
            following=self.rng.randint(50, 400),
            verified=True,
            platform="x" if tier == "society" else None,
        )

    def member_of_public(self) -> Acct:
        """Someone with a small audience and no tie to health."""
        lang = self.lang()
        return self.add_account(
            "public",
            None,
            "public",
            name=self.person_name(lang),
            bio=self.rng.choice(_BIOS["public"]),
            lang=lang,
            followers=int(self.rng.lognormvariate(5, 1)),
            following=self.rng.randint(50, 800),
        )

    def health_media(self, lang: str) -> Acct:
        """A verified health news outlet with a large audience."""
        media = _BIOS["media"]
        return self.add_account(
            "media",
            None,
            "media",
            name=media["name"].format(stem=self.surname()),
            bio=media["bio"][lang],
            lang=lang,
            followers=int(self.rng.lognormvariate(10, 0.5)),
            following=self.rng.randint(100, 600),
            verified=True,
        )

    # -- posts --------------------------------------------------------------------------
    def when(self, congress: str | None = None) -> str:
        """A moment in the sample's 300 days, as ISO 8601 UTC; for a post carrying the
        hashtag of a ``congress``, 70% of the time during its days, else from two weeks
        before to a week after. One draw either way, so the rest of the sample is the same
        whatever the dates."""
        u = self.rng.random()
        if congress is None:
            moment = _START + timedelta(days=u * _DAYS)
        else:
            start, days = _CONGRESSES[congress]
            if u < 0.7:
                moment = start + timedelta(days=u / 0.7 * days)
            else:
                moment = start + timedelta(days=-14 + (u - 0.7) / 0.3 * (21 + days))
        return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def post(
        self,
        author: Acct,
        area: str | None,
        *,
        mentions: Sequence[Acct] = (),
        reply_to: str = "",
        repost_of: str = "",
        quote_of: str = "",
        engagement: float = 1.0,
    ) -> str:
        """A post by ``author`` on ``area`` (``None``: everyday life); returns its id.

        ``engagement`` scales its likes (and so its reposts and replies)."""
        self._next_post += self.rng.randint(1, 9)
        post_id = str(self._next_post)
        lang = author.lang
        text = "" if repost_of else self.text(lang, area)
        congress = _CONGRESS_TAG.search(text)
        for target in mentions:
            text += f" @{target.handle}"
        likes = int(self.rng.expovariate(1 / (4 * engagement)))
        self.sample.posts.append(
            {
                "platform": author.platform,
                "post_id": post_id,
                "author_id": author.id,
                "created_at": self.when(congress.group(1) if congress else None),
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

    def text(self, lang: str, area: str | None) -> str:
        """A post's words: an opener and a topic of ``area`` (often with a hashtag), or an
        everyday remark when ``area`` is ``None``; either way with a varying detail."""
        lang = "fr" if lang == "fr" else "en"
        if area is None:
            return self.rng.choice(_POSTS["everyday"][lang]) + self.detail(lang)
        words = _AREA_WORDS[area]
        topic = self.rng.choice(words["topics"][lang])
        opener = self.rng.choice(_POSTS["openers"][lang])
        text = f"{opener} {topic}{self.detail(lang)}"
        if self.rng.random() < 0.7:
            text += " #" + self.rng.choice(words["hashtags"])
        return text

    def detail(self, lang: str) -> str:
        """A few words that vary from post to post, as real texts do (no two authors write
        the same sentence often; a text many authors share is a sign of coordination)."""
        n = self.rng.randint(2, 98)
        pool = _POSTS["details"]["fr" if lang == "fr" else "en"]
        return " " + self.rng.choice(pool).format(n=n, m=self.rng.randint(2, 36))

    # -- engagement ---------------------------------------------------------------------
    def follow(self, a: Acct, b: Acct) -> None:
        """``a`` follows ``b`` (only on the same platform, never oneself)."""
        if a.id != b.id and a.platform == b.platform:
            self.sample.follows.append(
                {"platform": a.platform, "follower_id": a.id, "followed_id": b.id}
            )

    def _platform_pool(self, group: list[Acct], platform: str) -> _Pool:
        """``group``'s members on ``platform``, kept until the group grows."""
        key = (id(group), platform)
        found = self._pools.get(key)
        if found is None or found.group is not group or found.size != len(group):
            members = [p for p in group if p.platform == platform]
            found = _Pool(group, len(group), members, {p.id: i for i, p in enumerate(members)})
            self._pools[key] = found
        return found

    def endorse(self, src: Acct, targets: list[Acct], area: str, times: int) -> None:
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
