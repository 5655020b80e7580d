"""Persons across platforms and the literature, read from a store: who is one person, their
scientific score, and the KOL × DOL × science quadrant of an area.

This is the seam between the social graph and the scientific record: it reads the store's
accounts and scientific tables, builds identities (:mod:`kolmap.ingest.persons`), links them
with the user's decisions, and hands plain frames to :mod:`kolmap.scoring.science` and to
the social ranking. Accounts take part when their role is ``hcp`` or ``researcher`` (the
people medical affairs look for; private individuals never become persons here).

>>> from kolmap.graph.duckdb import DuckDBStore
>>> with DuckDBStore(":memory:") as store:
...     len(person_links(store).members)
0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kolmap.graph.store import GraphStore, Scope
from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.persons import IDENTITY_KINDS, PersonLinks, identities_frame, link_persons
from kolmap.scoring.rank import rank
from kolmap.scoring.science import quadrant, science_scores
from kolmap.settings import Settings
from kolmap.views.engines import components_on

__all__ = [
    "IDENTITY_KINDS",
    "PERSON_ROLES",
    "account_label",
    "best_axes",
    "by_person",
    "digital_by_person",
    "identity_rows",
    "person_links",
    "person_record",
    "persons_table",
    "quadrant_table",
    "science_ranking",
]

PERSON_ROLES = ("hcp", "researcher")


def _first(values: pd.Series) -> Any:
    found = values.dropna()
    return found.iloc[0] if len(found) else None


def _text(value: Any) -> str:
    """A stored text cell as text: a missing one (``None``, NaN) is empty, never "nan"."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def account_label(platform: Any, account_id: Any, handle: Any, display_name: Any) -> str:
    """How a person known by an account is named: ``Name (@handle on x)``, or ``@handle on x``
    when the account has no display name (accounts known only by handle have none).

    >>> account_label("x", "1", "dr_a", float("nan"))
    '@dr_a on x'
    >>> account_label("x", "1", None, "Ana Roy")
    'Ana Roy (@1 on x)'
    """
    where = f"@{_text(handle) or _text(account_id)} on {platform}"
    name = _text(display_name)
    return f"{name} ({where})" if name else where


def _listed(value: Any) -> list[str]:
    """A stored list cell (a list, an array or nothing) as a list of strings."""
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value]


def identity_rows(store: GraphStore) -> list[dict[str, Any]]:
    """Every identity the store knows: HCP and researcher accounts, authors, trial
    officials and congress speakers (one row per key, its affiliations joined)."""
    rows: list[dict[str, Any]] = []
    accounts = store.accounts()
    if not accounts.empty:
        accounts = accounts[
            accounts["role"].isin(PERSON_ROLES) & ~accounts["is_stub"].fillna(False)
        ]
        areas = store.account_areas()
        area_of = {
            f"{p}:{a}": list(v)
            for p, a, v in zip(areas["platform"], areas["account_id"], areas["areas"], strict=True)
        }
        for a in accounts.to_dict("records"):
            identity = f"{a['platform']}:{a['account_id']}"
            rows.append(
                {
                    "identity": identity,
                    "kind": "account",
                    "name": _text(a.get("display_name")) or None,
                    "text": a.get("bio"),
                    "place": a.get("location"),
                    "platform": a["platform"],
                    "handle": a.get("handle"),
                    "url": a.get("url"),
                    "specialty": a.get("specialty"),
                    "areas": area_of.get(identity, []),
                    "person_id": a.get("person_id"),
                    "label": account_label(
                        a["platform"], a["account_id"], a.get("handle"), a.get("display_name")
                    ),
                }
            )
    tables = store.science_tables()
    works = tables["works"]
    work_areas = dict(zip(works["work_key"], works["areas"], strict=True)) if len(works) else {}
    trial_areas = dict(zip(tables["trials"]["trial_id"], tables["trials"]["areas"], strict=True))
    sources: tuple[tuple[str, str, str, str, dict[Any, Any]], ...] = (
        ("authorships", "author_key", "author", "work_key", work_areas),
        ("trial_officials", "official_key", "investigator", "trial_id", trial_areas),
        ("congress_roles", "speaker_key", "speaker", "", {}),
    )
    profiles = tables["author_profiles"]
    profile_affiliation = dict(
        zip(profiles["author_key"], profiles["affiliation"].fillna(""), strict=True)
    )
    for table, key, kind, area_key, area_map in sources:
        frame = tables[table]
        if frame.empty:
            continue
        frame = frame.copy()
        if area_key:
            frame["_areas"] = frame[area_key].map(lambda k, m=area_map: _listed(m.get(k)))
        else:
            frame["_areas"] = frame["areas"].map(_listed)
        for value, group in frame.groupby(key, sort=True):
            first = group.iloc[0]
            name = f"{first['given_name'] or ''} {first['family_name']}".strip()
            affiliations = [a for a in dict.fromkeys(group["affiliation"].dropna()) if a]
            extra = profile_affiliation.get(value, "") if kind == "author" else ""
            if extra:
                affiliations.append(str(extra))
            rows.append(
                {
                    "identity": IDENTITY_KINDS[kind] + str(value),
                    "kind": kind,
                    "name": name,
                    "text": " | ".join(affiliations),
                    "place": affiliations[0] if affiliations else None,
                    "orcid": _first(group["orcid"]) if "orcid" in group else None,
                    "areas": sorted({a for areas in group["_areas"] for a in areas}),
                    "label": name,
                }
            )
    return rows


def person_links(
    store: GraphStore, settings: Settings | None = None, taxonomy: Taxonomy | None = None
) -> PersonLinks:
    """The store's persons: its identities linked, the user's decisions applied."""
    settings = settings or Settings()
    decisions = store.science_tables()["person_decisions"]
    frame = identities_frame(identity_rows(store))
    if frame.empty:
        empty = pd.DataFrame(columns=["person_id", "identity", "kind", "label"])
        return PersonLinks(
            pd.DataFrame(columns=["identity_a", "identity_b", "confidence", "status", "evidence"]),
            empty,
        )
    return link_persons(frame, taxonomy or load_taxonomy(), settings.science, decisions)


def persons_table(links: PersonLinks) -> pd.DataFrame:
    """One row per person: ``person_id, name, identities, kinds, links`` (each link with
    its confidence, status and evidence), persons with several identities first."""
    members = links.members
    if members.empty:
        return pd.DataFrame(columns=["person_id", "name", "identities", "kinds", "links"])
    person_of = dict(zip(members["identity"], members["person_id"], strict=True))
    link_text: dict[str, list[str]] = {}
    for row in links.links.itertuples(index=False):
        pid = person_of.get(row.identity_a)
        text = (
            f"{row.identity_a} ~ {row.identity_b} {row.confidence:.2f} {row.status}: {row.evidence}"
        )
        if pid is not None:
            link_text.setdefault(pid, []).append(text)
        other = person_of.get(row.identity_b)
        if other is not None and other != pid:
            link_text.setdefault(other, []).append(text)
    grouped = members.groupby("person_id", sort=True)
    table = pd.DataFrame(
        {
            "name": grouped["label"].first(),
            "identities": grouped["identity"].agg(lambda s: "; ".join(sorted(s))),
            "kinds": grouped["kind"].agg(lambda s: ", ".join(sorted(set(s)))),
            "n_identities": grouped.size(),
        }
    ).reset_index()
    table["links"] = table["person_id"].map(lambda p: " | ".join(link_text.get(p, [])))
    table = table.sort_values(["n_identities", "person_id"], ascending=[False, True])
    return table.drop(columns="n_identities").reset_index(drop=True)


def science_ranking(
    store: GraphStore,
    area: str | None,
    settings: Settings | None = None,
    links: PersonLinks | None = None,
) -> pd.DataFrame:
    """Persons ranked by the scientific score in ``area`` (see :mod:`kolmap.scoring.science`)."""
    settings = settings or Settings()
    links = links or person_links(store, settings)
    return science_scores(store.science_tables(), links.members, area, settings.science)


def digital_by_person(
    store: GraphStore, area: str | None, members: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Each person's KOL and DOL scores in ``area``: those of their best account
    (``person_id, name, kol_score, dol_score``)."""
    projection = store.projection(Scope(area=area))
    components = components_on(store, projection, settings.scoring)
    return best_axes(rank(projection, "kol", settings.scoring, components=components), members)


def best_axes(ranking: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """From a KOL ranking (which carries both axes for every peer), each person's best KOL
    and DOL scores: ``person_id, name, kol_score, dol_score``."""
    columns = ["person_id", "name", "kol_score", "dol_score"]
    if ranking.empty:
        return pd.DataFrame(columns=columns)
    person_of = dict(zip(members["identity"], members["person_id"], strict=True))
    names = dict(zip(members["person_id"], members["label"], strict=True))
    keys = ranking["platform"].astype(str) + ":" + ranking["account_id"].astype(str)
    table = ranking.assign(person_id=keys.map(lambda k: person_of.get(k, "person:" + k)))
    best = (
        table.groupby("person_id")
        .agg(kol_score=("kol_score", "max"), dol_score=("dol_score", "max"))
        .reset_index()
    )
    handles = table["handle"] if "handle" in table else pd.Series(None, index=table.index)
    fallback = {
        p: account_label(platform, account, handle, name)
        for p, platform, account, handle, name in zip(
            table["person_id"],
            table["platform"],
            table["account_id"],
            handles,
            table["display_name"],
            strict=True,
        )
    }
    best["name"] = best["person_id"].map(lambda p: names.get(p) or fallback.get(p))
    return best[columns]


def quadrant_table(
    store: GraphStore, area: str | None, settings: Settings | None = None
) -> pd.DataFrame:
    """The KOL × DOL × science quadrant of ``area``: each person's scientific, KOL, DOL and
    digital scores (the area's best at 100) and group (``science.quadrant_threshold``)."""
    settings = settings or Settings()
    links = person_links(store, settings)
    science = science_ranking(store, area, settings, links)
    digital = digital_by_person(store, area, links.members, settings)
    table = quadrant(science, digital, settings.science.quadrant_threshold)
    table.insert(2, "area", area or "all")
    return table


def by_person(table: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """A ranking of accounts as a ranking of persons: each person's best-ranked account,
    with ``person_id`` and the ``accounts`` of that person in the ranking; ranks renumbered."""
    if table.empty:
        return table.assign(person_id=[], accounts=[])
    person_of = dict(zip(members["identity"], members["person_id"], strict=True))
    keys = table["platform"].astype(str) + ":" + table["account_id"].astype(str)
    persons = [person_of.get(k, "person:" + k) for k in keys]
    table = table.assign(person_id=persons, _key=keys)
    accounts = table.groupby("person_id", sort=False)["_key"].agg(lambda s: "; ".join(s))
    best = table.drop_duplicates("person_id", keep="first").copy()
    best["accounts"] = best["person_id"].map(accounts)
    best["rank"] = np.arange(1, len(best) + 1)
    return best.drop(columns="_key").reset_index(drop=True)


def person_record(
    tables: dict[str, pd.DataFrame], members: pd.DataFrame, identity: str
) -> dict[str, pd.DataFrame]:
    """The scientific record of the person ``identity`` belongs to: ``publications``
    (title, journal, date, position, areas, a PubMed or DOI link), ``trials`` (id, title,
    phase, status, role, sponsor, registry link) and ``congress`` (congress, session, role,
    date), newest first;
    plus ``identities`` (the person's identities and their kinds)."""
    person = members.loc[members["identity"] == identity, "person_id"]
    mine = members[members["person_id"] == person.iloc[0]] if len(person) else members.iloc[0:0]
    ids = set(mine["identity"])

    def keys(prefix: str) -> set[str]:
        return {i.removeprefix(prefix) for i in ids if i.startswith(prefix)}

    auth = tables["authorships"]
    auth = auth[auth["author_key"].isin(keys(IDENTITY_KINDS["author"]))]
    works = auth.merge(tables["works"], on="work_key", suffixes=("", "_work"))
    links = [
        f"https://pubmed.ncbi.nlm.nih.gov/{p}/" if isinstance(p, str) and p
        else (f"https://doi.org/{d}" if isinstance(d, str) and d else "")
        for p, d in zip(works["pmid"], works["doi"], strict=True)
    ]  # fmt: skip
    works = works.assign(link=pd.Series(links, index=works.index, dtype=object))
    publications = works.sort_values("published_on", ascending=False)[
        ["published_on", "title", "journal", "position", "author_count", "areas", "link"]
    ]
    officials = tables["trial_officials"]
    officials = officials[officials["official_key"].isin(keys(IDENTITY_KINDS["investigator"]))]
    trials = officials.merge(tables["trials"], on="trial_id", suffixes=("", "_trial"))
    trials = trials.assign(link="https://clinicaltrials.gov/study/" + trials["trial_id"])[
        ["trial_id", "title", "phase", "status", "official_role", "sponsor", "started_on", "areas",
         "link"]
    ].sort_values("started_on", ascending=False)  # fmt: skip
    roles = tables["congress_roles"]
    roles = roles[roles["speaker_key"].isin(keys(IDENTITY_KINDS["speaker"]))][
        ["congress", "session", "congress_role", "held_on", "areas"]
    ].sort_values("held_on", ascending=False)
    return {
        "identities": mine[["identity", "kind", "label"]].reset_index(drop=True),
        "publications": publications.reset_index(drop=True),
        "trials": trials.reset_index(drop=True),
        "congress": roles.reset_index(drop=True),
    }
