"""A congress's report: its hashtags and days, volume by day in before / during / after
windows, who drove the conversation in each window, who wrote, amplified and was mentioned
most during it, the HCP share, the kinds of relations and the communities of the congress
(docs/congress.md).

The congress comes from the registry (:mod:`kolmap.ingest.congresses`). Its hashtags are the
bases and the year variants of the chosen edition found in the store (without ``--year``,
the edition with the most posts). An edition's posts are those with its hashtags dated in its
time (:func:`edition_window`: its year, widened around the registry's dates): a ``#SER2020``
posted at SER 2019 ("see you at #SER2020") names the 2020 edition but is no post of it, and an
edition without posts of its own is not analysed (on another year's dates). Its days are the
registry's for that edition, else the four days when its posts peak. The **non-commercial
view** (on by default) leaves brands, media, industry staff and accounts flagged as automated
out of the drivers, authors, amplifiers and most mentioned (their mentions too), as
congress-tweet studies separate scientific from commercial voices; they still count in the
volume and the summary.
Amplifiers are the accounts that repost the congress's posts during it and the margin after
(a repost carries no hashtag of its own).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from kolmap.graph.store import GraphStore, Projection, Scope
from kolmap.ingest.congresses import Congress
from kolmap.model import AccountKey
from kolmap.scoring.components import PEER_ROLES
from kolmap.scoring.congress import (
    COMMERCIAL_ROLES,
    Phase,
    congress_phases,
    daily_volume,
    drivers,
    peak_days,
)
from kolmap.scoring.explain import community_summary
from kolmap.settings import ScoringSettings
from kolmap.views.communities import COMMUNITY_MIN_SIZE, describe_communities
from kolmap.views.engines import components_on
from kolmap.views.privacy import Privacy

__all__ = [
    "REPORT_TABLES",
    "CongressReport",
    "Editions",
    "congress_report",
    "dated_editions",
    "edition_scope",
    "edition_tags",
    "edition_window",
    "editions_in",
]

# How many days before a congress's first day and after its last a post still belongs to the
# edition (its build-up and follow-up), when they reach beyond the edition's year.
EDITION_MARGIN = 60

REPORT_TABLES = (
    "summary",
    "volume",
    "drivers",
    "authors",
    "amplifiers",
    "mentioned",
    "relations",
    "communities",
)


@dataclass(frozen=True)
class CongressReport:
    """What ``kolmap congress`` prints and exports; each table is a plain frame."""

    congress: Congress
    year: int | None
    hashtags: tuple[str, ...]
    first_day: date
    last_day: date
    days_from: str  # "registry" or "peak"
    phases: list[Phase]
    tables: dict[str, pd.DataFrame]

    @property
    def during(self) -> Scope:
        return self.phases[1].scope(self.hashtags)


@dataclass(frozen=True)
class Editions:
    """The editions of one congress a store's hashtags name: posts per edition year, each
    edition's year variants (``ser2019``) and the bases without a year (``ser``), which
    belong to every edition."""

    posts: dict[int, int]
    tags: dict[int, tuple[str, ...]]
    bases: tuple[str, ...]
    # Editions the hashtags name whose posts are all dated outside the edition's time
    # (:func:`dated_editions`), with the posts naming them.
    elsewhen: dict[int, int] = field(default_factory=dict)

    def busiest(self) -> int | None:
        """The edition with the most posts (the latest of a tie), or None."""
        return max(self.posts, key=lambda y: (self.posts[y], y)) if self.posts else None

    def hashtags(self, year: int | None) -> tuple[str, ...]:
        """The hashtags of the ``year`` edition: its variants and the bases."""
        return tuple(sorted({*self.tags.get(year, ()), *self.bases})) if year else self.bases


def editions_in(congress: Congress, tags: pd.DataFrame) -> Editions:
    """The editions of ``congress`` among ``tags`` (``tag, posts``, as
    :meth:`~kolmap.graph.store.GraphStore.top_hashtags` gives them).

    >>> from kolmap.ingest.congresses import load_registry
    >>> ser = load_registry().congresses["ser"]
    >>> tags = pd.DataFrame({"tag": ["ser2019", "ser2020", "ser", "epi"], "posts": [900, 40, 3, 7]})
    >>> found = editions_in(ser, tags)
    >>> found.posts, found.busiest(), found.hashtags(2019)
    ({2019: 900, 2020: 40}, 2019, ('ser', 'ser2019'))
    """
    posts: Counter[int] = Counter()
    variants: dict[int, list[str]] = {}
    bases = []
    for tag, count in zip(tags["tag"], tags["posts"], strict=True):
        found = congress.year_of(str(tag))
        if found is True:
            bases.append(str(tag))
        elif isinstance(found, int) and not isinstance(found, bool):
            posts[found] += int(count)
            variants.setdefault(found, []).append(str(tag))
    return Editions(
        dict(posts), {y: tuple(sorted(t)) for y, t in variants.items()}, tuple(sorted(bases))
    )


def edition_window(congress: Congress, year: int) -> tuple[datetime, datetime]:
    """When a post of the ``year`` edition is dated (UTC, the end excluded): that year,
    widened to :data:`EDITION_MARGIN` days around the registry's dates when it has them (a
    January congress's build-up in December).

    >>> from kolmap.ingest.congresses import load_registry
    >>> ser = load_registry().congresses["ser"]
    >>> [d.date().isoformat() for d in edition_window(ser, 2019)]
    ['2019-01-01', '2020-01-01']
    >>> [d.date().isoformat() for d in edition_window(ser, 2009)]
    ['2009-01-01', '2010-01-01']
    """
    since = datetime(year, 1, 1, tzinfo=UTC)
    until = datetime(year + 1, 1, 1, tzinfo=UTC)
    edition = congress.edition(year)
    if edition.start and edition.end:
        start = edition.start - timedelta(days=EDITION_MARGIN)
        end = edition.end + timedelta(days=EDITION_MARGIN + 1)
        since = min(since, datetime.combine(start, time.min, tzinfo=UTC))
        until = max(until, datetime.combine(end, time.min, tzinfo=UTC))
    return since, until


def edition_scope(congress: Congress, editions: Editions, year: int | None) -> Scope:
    """The posts of the ``year`` edition: its hashtags in its time (:func:`edition_window`);
    without a year, the bases at any time."""
    if year is None:
        return Scope(hashtags=editions.bases)
    since, until = edition_window(congress, year)
    return Scope(hashtags=editions.hashtags(year), since=since, until=until)


def dated_editions(
    congress: Congress, editions: Editions, posts: Callable[[Scope], pd.DataFrame]
) -> Editions:
    """``editions`` counted by the posts dated in each edition's time (``posts`` gives the
    posts of a scope): an edition only other years' posts name (``#SER2020`` posted in June
    2019) moves to ``elsewhen``, so no one analyses it on another year's dates."""
    dated: dict[int, int] = {}
    elsewhen: dict[int, int] = {}
    for year, named in editions.posts.items():
        count = len(posts(edition_scope(congress, editions, year)))
        if count:
            dated[year] = count
        else:
            elsewhen[year] = named
    return Editions(
        dated, {y: t for y, t in editions.tags.items() if y in dated}, editions.bases, elsewhen
    )


def edition_tags(
    store: GraphStore, congress: Congress, year: int | None
) -> tuple[int | None, Editions]:
    """The edition (``year``, or the busiest one with posts of its own) and the editions the
    store holds posts of (:func:`dated_editions`); a :class:`LookupError` for a ``year``
    without posts of that edition."""
    named = editions_in(congress, store.top_hashtags(Scope(), limit=20_000))
    found = dated_editions(congress, named, lambda scope: store.posts(scope))
    if year is None:
        return found.busiest(), found
    if year not in found.posts:
        held = ", ".join(str(y) for y in sorted(found.posts)) or "none"
        since, until = edition_window(congress, year)
        raise LookupError(
            f"no post of {congress.name} {year} in this store (none with its hashtags dated "
            f"{since:%Y-%m-%d} to {until - timedelta(days=1):%Y-%m-%d}"
            + (
                f"; {named.posts[year]:,} posts of other years name it"
                if year in named.posts
                else ""
            )
            + f"); editions with posts: {held}"
        )
    return year, found


def _role_counts(posts: pd.DataFrame, roles: dict[tuple[str, str], str]) -> pd.Series:
    keys = zip(posts["platform"], posts["author_id"], strict=True)
    return pd.Series([roles.get((str(p), str(a)), "unknown") for p, a in keys], dtype=object)


def _hidden(frame: pd.DataFrame, settings: ScoringSettings) -> set[tuple[str, str]]:
    """The accounts of ``frame`` (with role, affiliation, automation_risk) the non-commercial
    view leaves out: brands, media, industry staff and accounts flagged as automated."""
    risk = frame["automation_risk"].fillna(0).to_numpy()
    affiliation = frame["affiliation"].fillna("").astype(str).to_numpy()
    role = frame["role"].astype(str).to_numpy()
    keys = zip(frame["platform"].astype(str), frame["account_id"].astype(str), strict=True)
    return {
        key
        for key, r, f, k in zip(keys, role, affiliation, risk, strict=True)
        if r in COMMERCIAL_ROLES or f == "industry" or k >= settings.automation_flag
    }


def _account_info(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(platform, account_id) -> (role, handle) of the accounts of ``frame``."""
    return {
        (str(p), str(a)): (str(r), h if isinstance(h, str) else None)
        for p, a, r, h in zip(
            frame["platform"], frame["account_id"], frame["role"], frame["handle"], strict=True
        )
    }


def _count(posts: pd.DataFrame, hidden: set[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Posts per author, the hidden authors left out."""
    keys = zip(posts["platform"].astype(str), posts["author_id"].astype(str), strict=True)
    return Counter(k for k in keys if k not in hidden)


def _top(
    counter: Counter[tuple[str, str]],
    info: dict[tuple[str, str], tuple[str, str | None]],
    privacy: Privacy,
    label: str,
    top: int,
) -> pd.DataFrame:
    rows = []
    for rank, ((platform, account), count) in enumerate(counter.most_common(top), start=1):
        role, handle = info.get((platform, account), ("unknown", None))
        rows.append(
            {
                "rank": rank,
                "account": privacy.identity(platform, account, role, handle),
                "role": role,
                label: count,
            }
        )
    return pd.DataFrame(rows, columns=["rank", "account", "role", label])


def congress_report(
    store: GraphStore,
    congress: Congress,
    settings: ScoringSettings,
    privacy: Privacy,
    *,
    year: int | None = None,
    margin: int = 14,
    non_commercial: bool = True,
    top: int = 10,
) -> CongressReport:
    """The report of one congress edition (see the module docstring)."""
    year, editions = edition_tags(store, congress, year)
    hashtags = editions.hashtags(year)
    if not hashtags:
        raise LookupError(
            f"no post carries a hashtag of {congress.name} "
            f"({', '.join('#' + b for b in congress.bases)}"
            + (f", {year}" if year else "")
            + ")"
            + (
                "; the editions "
                + ", ".join(str(y) for y in sorted(editions.elsewhen))
                + " are named only by posts of other years"
                if editions.elsewhen
                else ""
            )
        )
    edition = congress.edition(year) if year else None
    if edition is not None and edition.start and edition.end:
        first, last, days_from = edition.start, edition.end, "registry"
    else:
        peak = peak_days(store.posts(edition_scope(congress, editions, year))["created_at"])
        if peak is None:
            raise LookupError(f"the posts of {congress.name} carry no dates")
        first, last, days_from = peak[0], peak[1], "peak"
    phases = congress_phases(first, last, margin=margin)
    tagged = store.posts(Scope(hashtags=hashtags, since=phases[0].since, until=phases[-1].until))
    tables: dict[str, pd.DataFrame] = {"volume": daily_volume(tagged["created_at"], phases)}
    summary, driver_tables = [], []
    during: Projection | None = None
    during_posts = tagged.iloc[0:0]
    for phase in phases:
        projection = store.projection(phase.scope(hashtags))
        components = components_on(store, projection, settings)
        nodes = projection.nodes
        roles = dict(
            zip(
                zip(nodes["platform"].astype(str), nodes["account_id"].astype(str), strict=True),
                nodes["role"].astype(str),
                strict=True,
            )
        )
        inside = tagged[
            (pd.to_datetime(tagged["created_at"], utc=True) >= phase.since)
            & (pd.to_datetime(tagged["created_at"], utc=True) < phase.until)
        ]
        author_roles = _role_counts(inside, roles)
        hcps = author_roles == "hcp"
        peers = author_roles.isin(PEER_ROLES)
        commercial = author_roles.isin(("brand", "media"))
        summary.append(
            {
                "phase": phase.name,
                "from": phase.since.date().isoformat(),
                "to": (phase.until - timedelta(days=1)).date().isoformat(),
                "posts": len(inside),
                "authors": inside["author_id"].nunique(),
                # HCPs alone, then with researchers: at an epidemiology congress "HCP share
                # 80%" of mostly researchers' posts read as a clinicians' meeting.
                "hcp_share": round(100.0 * hcps.mean(), 1) if len(inside) else 0.0,
                "peer_share": round(100.0 * peers.mean(), 1) if len(inside) else 0.0,
                "commercial_share": round(100.0 * commercial.mean(), 1) if len(inside) else 0.0,
            }
        )
        table = drivers(
            projection, settings, top=top, non_commercial=non_commercial, components=components
        )
        table = privacy.accounts(table).assign(phase=phase.name)
        driver_tables.append(table)
        if phase.name == "during":
            during, during_posts = projection, inside
            during_components = components
    tables["summary"] = pd.DataFrame(summary)
    tables["drivers"] = pd.concat(driver_tables, ignore_index=True)
    assert during is not None
    nodes = during.nodes
    hidden = _hidden(nodes, settings) if non_commercial else set()
    originals = during_posts[during_posts["repost_of_post_id"].isna()]
    amplified = pd.concat(
        [
            store.reposts_of(str(platform), group["post_id"].astype(str).tolist())
            for platform, group in originals.groupby("platform")
        ]
        or [pd.DataFrame(columns=["platform", "author_id", "created_at"])],
        ignore_index=True,
    )
    amplified = amplified[
        (pd.to_datetime(amplified["created_at"], utc=True) >= phases[1].since)
        & (pd.to_datetime(amplified["created_at"], utc=True) < phases[2].until)
    ]
    info = _account_info(nodes)
    keys = zip(amplified["platform"].astype(str), amplified["author_id"].astype(str), strict=True)
    missing = sorted({AccountKey(p, a) for p, a in keys if (p, a) not in info})
    if missing:
        outside = store.accounts(missing)
        info.update(_account_info(outside))
        if non_commercial:
            hidden |= _hidden(outside, settings)
    reposters = _count(amplified, hidden)
    tables["authors"] = _top(_count(originals, hidden), info, privacy, "posts", top)
    tables["amplifiers"] = _top(reposters, info, privacy, "reposts", top)
    edges = during.edges
    mentions = edges[edges["kind"] == "MENTIONS"]
    mentioned: Counter[tuple[str, str]] = Counter()
    node_keys = list(
        zip(nodes["platform"].astype(str), nodes["account_id"].astype(str), strict=True)
    )
    for src, dst, count in zip(mentions["src"], mentions["dst"], mentions["count"], strict=True):
        if node_keys[src] not in hidden and node_keys[dst] not in hidden:
            mentioned[node_keys[dst]] += int(count)
    tables["mentioned"] = _top(mentioned, info, privacy, "mentions", top)
    tables["relations"] = (
        edges.groupby("kind")["count"]
        .sum()
        .rename("count")
        .reset_index()
        .sort_values("count", ascending=False)
        .reset_index(drop=True)
    )
    summary_table = community_summary(during, during_components, during_posts)
    summary_table = summary_table[summary_table["size"] >= COMMUNITY_MIN_SIZE]
    described = describe_communities(
        summary_table, nodes, during_components, automation_flag=settings.automation_flag
    )
    communities = summary_table.merge(described, on="community", how="left")
    role_of = dict(
        zip(zip(nodes["platform"], nodes["account_id"], strict=True), nodes["role"], strict=True)
    )
    tables["communities"] = pd.DataFrame(
        {
            "community": communities["community"],
            "name": communities["name"],
            "size": communities["size"],
            "ring": communities["ring"],
            "leaders": [
                ", ".join(privacy.identity(p, a, role_of[(p, a)], h) for p, a, h in lead)
                for lead in communities["leaders"]
            ],
            "top_hashtags": [" ".join(t) for t in communities["top_hashtags"]],
        }
    ).head(top)
    return CongressReport(congress, year, hashtags, first, last, days_from, phases, tables)
