"""Building blocks of the synthetic worlds: accounts, posts, follows, timing and engagement.

A :class:`Builder` holds one local ``random.Random``; every draw goes through it, in program
order, so a seed always gives the same world. Ids look like the platforms' own: X ids grow
with the account's creation time (as snowflakes do) and post ids with the post's time;
Bluesky accounts get ``did:plc:`` ids and posts 13-character TIDs.

>>> b = Builder(1)
>>> a = b.account(role="hcp", group="base_hcp", areas=("oncology",), lang="en", name="Ana Ko",
...               bio="", bio_style="empty", followers=10, following=20, stem="anako")
>>> p = b.post(a, "oncology", "New data in melanoma", b.moment(a))
>>> START <= p.at < END, a.own["oncology"] == [p]
(True, True)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kolmap.data.worlds import _people, _texts

__all__ = ["END", "START", "Acct", "Builder", "Post", "World"]

START = datetime(2026, 1, 5, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
_X_EPOCH = datetime(2006, 3, 21, tzinfo=UTC)
_B32 = "234567abcdefghijklmnopqrstuvwxyz"
# Share of a day's posts per UTC hour (European and American evenings overlap).
_HOURS = (2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 9, 7, 5, 3)


@dataclass
class World:
    """Rows of each canonical file, the true roles and groups, and the planted answers."""

    accounts: list[dict[str, Any]] = field(default_factory=list)
    follows: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    known: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Acct:
    platform: str
    id: str
    handle: str
    name: str
    bio: str
    bio_style: str
    role: str
    group: str
    areas: tuple[str, ...]
    lang: str
    created: datetime
    followers: int
    following: int
    act: float
    pop: float
    location: str = ""
    url: str = ""
    verified: bool = False
    affiliation: str = ""
    employer: str = ""
    own: dict[str, list[Post]] = field(default_factory=dict)  # area ("" off-topic) -> originals

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"

    @property
    def start(self) -> datetime:
        """The first moment this account can post in the window."""
        return max(START, self.created + timedelta(hours=2))


@dataclass(eq=False)
class Post:
    author: Acct
    id: str
    at: datetime
    text: str
    area: str | None
    reply_to: Post | None = None
    repost_of: Post | None = None
    quote_of: Post | None = None
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    lang: str = ""


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Builder:
    """Creates accounts, posts and follows with one local random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.accts: list[Acct] = []
        self.posts: list[Post] = []
        self.follows: set[tuple[str, str, str]] = set()
        self._ids: set[str] = set()
        self._handles: set[str] = set()
        self._post_ids: set[str] = set()

    # -- accounts -------------------------------------------------------------------------
    def created(self, first: int, last: int) -> datetime:
        """A creation time between two years (inclusive), later years a little likelier."""
        year = first + int((last - first + 1) * self.rng.random() ** 0.8)
        return datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=self.rng.random() * 364 * 86400)

    def _account_id(self, platform: str, created: datetime) -> str:
        if platform == "bluesky":
            ident = "did:plc:" + "".join(self.rng.choice(_B32) for _ in range(24))
        else:
            base = int((created - _X_EPOCH).total_seconds()) // 300
            while str(base) in self._ids:
                base += 1
            ident = str(base)
        self._ids.add(ident)
        return ident

    def _handle(self, stem: str, platform: str, exact: bool = False) -> str:
        """``stem`` if free (as given when ``exact``), else ``stem`` + a number."""
        if not exact:
            stem = "".join(ch for ch in stem.lower() if ch.isalnum() or ch == "_")[:12] or "user"
        handle = stem
        while handle.lower() in self._handles:
            handle = f"{stem}{self.rng.randint(2, 999)}"
        self._handles.add(handle.lower())
        return f"{handle}.bsky.social" if platform == "bluesky" else handle

    def account(
        self,
        *,
        role: str,
        group: str,
        areas: tuple[str, ...],
        lang: str,
        name: str,
        bio: str,
        bio_style: str,
        followers: int,
        following: int,
        stem: str,
        platform: str = "x",
        created: datetime | None = None,
        verified: bool = False,
        url: str = "",
        act: float | None = None,
        exact_handle: bool = False,
    ) -> Acct:
        rng = self.rng
        if created is None:
            created = (
                self.created(2023, 2025) if platform == "bluesky" else self.created(2009, 2024)
            )
        acct = Acct(
            platform=platform,
            id=self._account_id(platform, created),
            handle=self._handle(stem, platform, exact_handle),
            name=name,
            bio=bio,
            bio_style=bio_style,
            role=role,
            group=group,
            areas=areas,
            lang=lang,
            created=created,
            followers=followers,
            following=following,
            act=rng.lognormvariate(0, 0.9) if act is None else act,
            pop=rng.lognormvariate(0, 1.1),
            location=_people.location(rng, lang),
            url=url,
            verified=verified,
        )
        self.accts.append(acct)
        return acct

    # -- time -----------------------------------------------------------------------------
    def moment(self, acct: Acct, near: datetime | None = None, days: float = 0.0) -> datetime:
        """A time ``acct`` posts at: anywhere in its active window, or within ``days`` of
        ``near`` (congresses), at a daytime-weighted hour."""
        rng = self.rng
        first = max(acct.start, near or acct.start)
        last = min(END, first + timedelta(days=days)) if near is not None else END
        span_days = max(1, (last.date() - first.date()).days)
        for _ in range(20):
            day = datetime.combine(first.date(), datetime.min.time(), UTC)
            day += timedelta(days=rng.randrange(span_days + 1))
            hour = rng.choices(range(24), _HOURS)[0]
            at = day + timedelta(hours=hour, seconds=rng.randrange(3600))
            if first <= at < last:
                return at
        return first + (last - first) * rng.random()

    def after(self, acct: Acct, moment: datetime, low: float = 0.0, high: float = 0.0) -> datetime:
        """A reaction time after ``moment``: ``low``..``high`` seconds if given, else a
        heavy-tailed delay (median about two hours)."""
        rng = self.rng
        delay = rng.uniform(low, high) if high else min(math.exp(rng.gauss(8.9, 1.6)), 20 * 86400)
        at = max(moment, acct.start) + timedelta(seconds=delay)
        if at >= END:
            at = moment + (END - moment) * rng.uniform(0.2, 0.9)
        return at

    # -- posts ----------------------------------------------------------------------------
    def _post_id(self, platform: str, at: datetime) -> str:
        if platform == "bluesky":
            micros = int(at.timestamp() * 1_000_000) + self.rng.randrange(1_000_000)
            value = (micros << 10) | self.rng.randrange(1024)
            ident = "".join(_B32[(value >> (5 * i)) & 31] for i in range(12, -1, -1))
        else:
            base = 1_000_000 + int((at - START).total_seconds()) // 4
            while str(base) in self._post_ids:
                base += 1
            ident = str(base)
        self._post_ids.add(ident)
        return ident

    def post(
        self,
        author: Acct,
        area: str | None,
        text: str,
        at: datetime,
        *,
        reply_to: Post | None = None,
        repost_of: Post | None = None,
        quote_of: Post | None = None,
        boost: float = 1.0,
        lang: str = "",
    ) -> Post:
        """Record a post (in the author's language unless ``lang``); its like, repost and
        reply counts follow the author's audience times ``boost``, with noise."""
        rng = self.rng
        post = Post(author, self._post_id(author.platform, at), at, text, area)
        post.lang = lang or author.lang
        post.reply_to, post.repost_of, post.quote_of = reply_to, repost_of, quote_of
        if repost_of is None:
            mean = 0.01 * max(author.followers, 1) ** 0.9 * boost * (0.25 if reply_to else 1.0)
            post.likes = int(rng.lognormvariate(math.log(mean + 0.2), 0.9))
            post.reposts = int(post.likes * rng.uniform(0.03, 0.3))
            post.replies = int(post.likes * rng.uniform(0.01, 0.12))
            if reply_to is None:
                author.own.setdefault(area or "", []).append(post)
        self.posts.append(post)
        return post

    def write(
        self,
        author: Acct,
        register: str,
        area: str | None,
        *,
        congress: str = "",
        near: datetime | None = None,
        boost: float = 1.0,
        lang: str = "",
    ) -> Post:
        """An original post in ``register``, at a time of the author's choosing or within four
        days of ``near``; ``congress`` is the congress hashtag of a takeaway post."""
        at = self.moment(author, near, 4) if near is not None else self.moment(author)
        lang = lang or author.lang
        text = _texts.original(self.rng, register, area, lang, congress=congress, month=at.month)
        return self.post(author, area, text, at, boost=boost, lang=lang)

    def follow(self, src: Acct, dst: Acct) -> None:
        if src is not dst and src.platform == dst.platform:
            self.follows.add((src.platform, src.id, dst.id))

    def engage(
        self,
        src: Acct,
        dst: Acct,
        area: str | None,
        times: int,
        voice: str = "pro",
        mix: tuple[float, float, float] = (0.35, 0.25, 0.1),
    ) -> int:
        """``src`` reposts, replies to, quotes (shares ``mix``) or else mentions ``dst`` on
        ``area`` ``times`` times; ``voice`` is pro, lay, argue or media. Returns actions made."""
        if src is dst or src.platform != dst.platform or times <= 0:
            return 0
        rng = self.rng
        pool = dst.own.get(area or "", [])
        for _ in range(times):
            pick = rng.random()
            if pool and pick < sum(mix):
                parent = rng.choice(pool)
                at = self.after(src, parent.at)
                if pick < mix[0]:
                    self.post(src, area, "", at, repost_of=parent)
                elif pick < mix[0] + mix[1]:
                    body = _texts.reply(rng, voice, area, src.lang)
                    self.post(src, area, f"@{dst.handle} {body}", at, reply_to=parent)
                elif area is None:
                    self.post(
                        src, None, _texts.original(rng, "off", None, src.lang), at, quote_of=parent
                    )
                else:
                    self.post(src, area, _texts.quote(rng, area, src.lang), at, quote_of=parent)
            elif area is None:
                text = _texts.original(rng, "off", None, src.lang) + f" @{dst.handle}"
                self.post(src, None, text, self.moment(src))
            else:
                text = _texts.mention(rng, voice, area, src.lang, dst.handle)
                self.post(src, area, text, self.moment(src))
        return times

    # -- output ---------------------------------------------------------------------------
    def render(self, world: World) -> None:
        """Fill ``world``'s rows; platform counts include the collected reposts and replies."""
        for post in self.posts:
            if post.repost_of is not None:
                post.repost_of.reposts += 1
                post.repost_of.likes += 1
            if post.reply_to is not None:
                post.reply_to.replies += 1
        accts = sorted(self.accts, key=lambda a: (a.platform, a.created, a.id))
        for a in accts:
            world.accounts.append(
                {
                    "platform": a.platform,
                    "account_id": a.id,
                    "handle": a.handle,
                    "display_name": a.name,
                    "bio": a.bio,
                    "followers": a.followers,
                    "following": a.following,
                    "location": a.location,
                    "lang": a.lang,
                    "url": a.url,
                    "verified": "true" if a.verified else "false",
                    "created_at": iso(a.created),
                }
            )
            world.truth.append(
                {
                    "platform": a.platform,
                    "account_id": a.id,
                    "role": a.role,
                    "affiliation": a.affiliation,
                    "employer": a.employer,
                    "group": a.group,
                    "areas": "|".join(a.areas),
                    "bio_style": a.bio_style,
                }
            )
        world.follows.extend(
            {"platform": p, "follower_id": s, "followed_id": d} for p, s, d in sorted(self.follows)
        )
        for post in sorted(self.posts, key=lambda p: (p.author.platform, p.at, p.id)):
            world.posts.append(
                {
                    "platform": post.author.platform,
                    "post_id": post.id,
                    "author_id": post.author.id,
                    "created_at": iso(post.at),
                    "text": _texts.personal(post.text, post.id, post.lang, post.author.group),
                    "reply_to_post_id": post.reply_to.id if post.reply_to else "",
                    "repost_of_post_id": post.repost_of.id if post.repost_of else "",
                    "quote_of_post_id": post.quote_of.id if post.quote_of else "",
                    "likes": 0 if post.repost_of else post.likes,
                    "reposts": 0 if post.repost_of else post.reposts,
                    "replies": 0 if post.repost_of else post.replies,
                    "lang": post.lang,
                }
            )
