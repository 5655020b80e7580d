"""The scientific score of persons per therapeutic area, and the KOL × DOL × science quadrant.

``score = 100 × Σ w_k c_k / Σ w_k`` over six components, each scaled 0..1 among the persons
of the area (the best at 1), weights ``science.weights``:

- ``publications``: works in the area (log-scaled count);
- ``recency``: the same works, each weighing ``0.5 ^ (age / half_life_years)``, age counted
  from the newest work of the area (so a re-run on the same files gives the same score);
- ``leadership``: works as first or last author (last only with co-authors);
- ``coauthor_centrality``: PageRank of the person's author identities on the area's
  co-authorship graph (edges weighted by shared works);
- ``trials``: overall official roles in the area's trials, a principal investigator or study
  chair 1, a director 0.7, another role 0.5, times the phase (3–4: 1, 2: 0.8, 1: 0.6, else 0.5);
- ``congress``: congress roles in the area: chair 3, speaker and faculty 2, poster 1.

Inputs are plain frames (the store's scientific tables and the person of each identity);
docs/science.md explains each term.

>>> works = pd.DataFrame({"work_key": ["pmid:1"], "published_on": [pd.Timestamp("2024-01-01",
...     tz="UTC")], "areas": [["oncology"]]})
>>> authorships = pd.DataFrame({"work_key": ["pmid:1", "pmid:1"], "author_key": ["orcid:a",
...     "orcid:b"], "position": ["first", "last"], "author_count": [2, 2]})
>>> members = pd.DataFrame({"person_id": ["p1", "p2"], "identity": ["author:orcid:a",
...     "author:orcid:b"], "label": ["Ana Roy", "Li Wei"]})
>>> table = science_scores({"works": works, "authorships": authorships}, members, "oncology")
>>> table[["person_id", "n_works", "n_lead"]].to_dict("records")
[{'person_id': 'p1', 'n_works': 1, 'n_lead': 1}, {'person_id': 'p2', 'n_works': 1, 'n_lead': 1}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from kolmap.settings import ScienceSettings

__all__ = [
    "KOL_DOL_GROUPS",
    "QUADRANT_GROUPS",
    "SCIENCE_COLUMNS",
    "SCIENCE_COMPONENTS",
    "best_at_100",
    "is_high",
    "kol_dol_group",
    "quadrant",
    "science_scores",
]

SCIENCE_COMPONENTS = (
    "publications",
    "recency",
    "leadership",
    "coauthor_centrality",
    "trials",
    "congress",
)
SCIENCE_COLUMNS = [
    "rank",
    "person_id",
    "name",
    "area",
    "score",
    *SCIENCE_COMPONENTS,
    "n_works",
    "n_lead",
    "n_trials",
    "n_congress",
    "last_published",
    "reasons",
]
_OFFICIAL_ROLE = {"PRINCIPAL_INVESTIGATOR": 1.0, "STUDY_CHAIR": 1.0, "STUDY_DIRECTOR": 0.7}
_CONGRESS_ROLE = {"chair": 3.0, "speaker": 2.0, "faculty": 2.0, "poster": 1.0}
# Prefixes of the identities each science table's keys become (ingest.persons declares them).
_PREFIX = {"authorships": "author:", "trial_officials": "trial:", "congress_roles": "congress:"}


def _phase_weight(phase: object) -> float:
    text = str(phase or "").upper()
    if "PHASE3" in text or "PHASE4" in text:
        return 1.0
    if "PHASE2" in text:
        return 0.8
    if "PHASE1" in text:
        return 0.6
    return 0.5


def _in_area(frame: pd.DataFrame, area: str | None) -> pd.DataFrame:
    if area is None or frame.empty:
        return frame
    keep = frame["areas"].map(lambda a: a is not None and area in list(a))
    return frame[keep.to_numpy(dtype=bool)]


def _frame(tables: Mapping[str, pd.DataFrame], name: str, columns: list[str]) -> pd.DataFrame:
    frame = tables.get(name)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    return frame


def science_scores(
    tables: Mapping[str, pd.DataFrame],
    members: pd.DataFrame,
    area: str | None,
    settings: ScienceSettings | None = None,
) -> pd.DataFrame:
    """Each person with scientific activity in ``area`` (None: all areas), best first;
    columns :data:`SCIENCE_COLUMNS`. ``members``: ``person_id, identity, label``."""
    settings = settings or ScienceSettings()
    person_of = dict(zip(members["identity"], members["person_id"], strict=True))
    works = _in_area(_frame(tables, "works", ["work_key", "published_on", "areas"]), area)
    auth = _frame(tables, "authorships", ["work_key", "author_key", "position", "author_count"])
    auth = auth[auth["work_key"].isin(set(works["work_key"]))].copy()
    auth["person_id"] = ("author:" + auth["author_key"].astype(str)).map(person_of)
    auth = auth.dropna(subset=["person_id"])
    dated = works[["work_key", "published_on"]].drop_duplicates("work_key")
    auth = auth.drop(columns=["published_on"], errors="ignore").merge(
        dated, on="work_key", how="left"
    )
    auth["published_on"] = pd.to_datetime(auth["published_on"], utc=True)
    dates = pd.to_datetime(dated["published_on"], utc=True)
    newest = dates.max() if len(dates) and dates.notna().any() else None
    if newest is not None:
        years = (newest - auth["published_on"]).dt.days.fillna(365 * 50) / 365.25
        auth["recency"] = 0.5 ** (years.clip(lower=0) / settings.half_life_years)
    else:
        auth["recency"] = 0.0
    lead = (auth["position"] == "first") | (
        (auth["position"] == "last") & (auth["author_count"].fillna(1) > 1)
    )
    auth["lead"] = lead.astype(float)
    per = pd.DataFrame(index=pd.Index(sorted(set(auth["person_id"])), name="person_id"))
    by_person = auth.drop_duplicates(["person_id", "work_key"]).groupby("person_id")
    per["n_works"] = by_person["work_key"].nunique()
    per["recency_raw"] = by_person["recency"].sum()
    per["n_lead"] = by_person["lead"].sum()
    per["last_published"] = by_person["published_on"].max()
    per["centrality_raw"] = _coauthor_pagerank(auth)
    # Trials and congress roles.
    trials = _in_area(_frame(tables, "trials", ["trial_id", "phase", "areas"]), area)
    officials = _frame(tables, "trial_officials", ["trial_id", "official_key", "official_role"])
    officials = officials[officials["trial_id"].isin(set(trials["trial_id"]))].copy()
    officials["person_id"] = ("trial:" + officials["official_key"].astype(str)).map(person_of)
    officials = officials.dropna(subset=["person_id"])
    phase = trials.set_index("trial_id")["phase"].map(_phase_weight)
    # As floats: mapped over no row (an area without trials), a text column stays text.
    officials["weight"] = officials["official_role"].map(
        lambda r: _OFFICIAL_ROLE.get(str(r or "").upper(), 0.5)
    ).astype(float) * officials["trial_id"].map(phase).astype(float).fillna(0.5)
    roles = _in_area(
        _frame(tables, "congress_roles", ["speaker_key", "congress_role", "congress", "areas"]),
        area,
    ).copy()
    roles["person_id"] = ("congress:" + roles["speaker_key"].astype(str)).map(person_of)
    roles = roles.dropna(subset=["person_id"])
    roles["weight"] = (
        roles["congress_role"].map(lambda r: _CONGRESS_ROLE.get(str(r), 1.0)).astype(float)
    )
    everyone = sorted(set(per.index) | set(officials["person_id"]) | set(roles["person_id"]))
    per = per.reindex(everyone)
    per["trials_raw"] = officials.groupby("person_id")["weight"].sum()
    per["n_trials"] = officials.groupby("person_id")["trial_id"].nunique()
    per["congress_raw"] = roles.groupby("person_id")["weight"].sum()
    per["n_congress"] = roles.groupby("person_id").size()
    for column in ("n_works", "n_lead", "n_trials", "n_congress"):
        per[column] = per[column].fillna(0).astype(int)
    raw = {
        "publications": np.log1p(per["n_works"].to_numpy(dtype=float)),
        "recency": per["recency_raw"].fillna(0).to_numpy(dtype=float),
        "leadership": np.log1p(per["n_lead"].to_numpy(dtype=float)),
        "coauthor_centrality": per["centrality_raw"].fillna(0).to_numpy(dtype=float),
        "trials": per["trials_raw"].fillna(0).to_numpy(dtype=float),
        "congress": per["congress_raw"].fillna(0).to_numpy(dtype=float),
    }
    weights = settings.weights
    total = sum(weights.get(k, 0.0) for k in SCIENCE_COMPONENTS) or 1.0
    score = np.zeros(len(per))
    for name in SCIENCE_COMPONENTS:
        values = raw[name]
        top = values.max() if len(values) else 0.0
        scaled = values / top if top > 0 else np.zeros(len(values))
        per[name] = np.round(scaled, 4)
        score += weights.get(name, 0.0) * scaled
    per["score"] = np.round(100.0 * score / total, 3)
    names = members.drop_duplicates("person_id").set_index("person_id")["label"]
    per["name"] = per.index.map(names.to_dict())
    per["area"] = area or "all"
    per = per.reset_index().sort_values(["score", "person_id"], ascending=[False, True])
    per["rank"] = np.arange(1, len(per) + 1)
    per["reasons"] = [_reasons(r, area) for r in per.to_dict("records")]
    return per[SCIENCE_COLUMNS].reset_index(drop=True)


def _coauthor_pagerank(auth: pd.DataFrame) -> pd.Series:
    """Each person's summed PageRank on the co-authorship graph of ``auth``'s works."""
    if auth.empty:
        return pd.Series(dtype=float)
    pairs = auth.merge(auth, on="work_key")
    pairs = pairs[pairs["person_id_x"] != pairs["person_id_y"]]
    people = sorted(set(auth["person_id"]))
    if pairs.empty:
        return pd.Series(0.0, index=people)
    weights = pairs.groupby(["person_id_x", "person_id_y"])["work_key"].nunique()
    index = {p: i for i, p in enumerate(people)}
    graph = ig.Graph(
        n=len(people),
        edges=[(index[a], index[b]) for a, b in weights.index],
        directed=True,
    )
    ranks = graph.pagerank(weights=weights.to_numpy(dtype=float).tolist(), damping=0.85)
    return pd.Series(ranks, index=people)


def _reasons(row: Mapping[Any, Any], area: str | None) -> str:
    parts = []
    where = f" in {area}" if area else ""
    if row["n_works"]:
        last = row["last_published"]
        year = f", latest {last.year}" if isinstance(last, pd.Timestamp) else ""
        parts.append(
            f"{row['n_works']} publication(s){where} ({row['n_lead']} as first/last author{year})"
        )
    if row["n_trials"]:
        parts.append(f"official of {row['n_trials']} trial(s)")
    if row["n_congress"]:
        parts.append(f"{row['n_congress']} congress role(s)")
    return "; ".join(parts)


def best_at_100(scores: Any, best: float) -> np.ndarray:
    """``scores`` (one or many) on the quadrant's scale, where the area's ``best`` is 100, to
    two decimals (0 when nobody scores): the rescaling of the Persons & science quadrant and
    of the Profile's.

    >>> best_at_100([8.5, 94.9], 94.9).tolist(), float(best_at_100(8.5, 0.0))
    ([8.96, 100.0], 0.0)
    """
    values = np.asarray(scores, dtype=np.float64)
    return np.round(100.0 * values / best, 2) if best > 0 else np.zeros_like(values)


def is_high(score: float, threshold: float) -> bool:
    """The quadrant rule, declared once for the Persons & science page and the Profile: a
    score on the area-best = 100 scale (:func:`best_at_100`) is high at or above
    ``threshold`` (``science.quadrant_threshold``, 33 by default). Not the median: on a
    conference's tweets the median KOL score is near 0, so nearly everyone was "high"."""
    return bool(score >= threshold)


KOL_DOL_GROUPS = {
    (True, True): "KOL and DOL",
    (True, False): "KOL",
    (False, True): "DOL",
    (False, False): "emerging",
}


def kol_dol_group(kol: float, dol: float, threshold: float) -> str:
    """Where a candidate sits on the KOL × DOL plane of its area (both scores on the
    area-best = 100 scale), by :func:`is_high`: a peer leader (``KOL``), a digital voice with
    lay reach (``DOL``), both, or ``emerging``.

    >>> kol_dol_group(8.96, 48.9, 33)
    'DOL'
    """
    return KOL_DOL_GROUPS[(is_high(kol, threshold), is_high(dol, threshold))]


QUADRANT_GROUPS = {
    (True, True): "complete leaders",
    (True, False): "scientific leaders offline",
    (False, True): "digital-only voices",
    (False, False): "emerging",
}


def quadrant(
    science: pd.DataFrame,
    digital: pd.DataFrame,
    threshold: float,
) -> pd.DataFrame:
    """Each person on the KOL × DOL × science map of an area: ``person_id, name,
    science_score, kol_score, dol_score, digital_score, group``; each axis rescaled so the
    area's best is 100 (:func:`best_at_100`), digital standing being the better of the KOL
    and DOL axes (a researcher's DOL blank: DOL lists hold HCPs); a person is high on an
    axis by :func:`is_high` (at or above ``threshold``).
    ``digital``: ``person_id, name, kol_score, dol_score`` (a person's best account)."""
    sci = science[["person_id", "name", "score"]].rename(columns={"score": "science_score"})
    dig = digital[["person_id", "name", "kol_score", "dol_score"]]
    table = sci.merge(dig, on="person_id", how="outer", suffixes=("", "_d"))
    table["name"] = table["name"].fillna(table.pop("name_d"))
    # A researcher has no DOL score (DOL lists hold HCPs): blank, as on the Leaderboard and
    # the Profile (it read 0.0 here); a person without an account scores 0 on both axes.
    no_dol = table["person_id"].isin(dig["person_id"]) & table["dol_score"].isna()
    for column in ("science_score", "kol_score", "dol_score"):
        values = table[column].astype(float).fillna(0.0)
        table[column] = best_at_100(values, values.max() if len(values) else 0.0)
    table.loc[no_dol, "dol_score"] = np.nan
    table["digital_score"] = table[["kol_score", "dol_score"]].max(axis=1)
    table["group"] = [
        QUADRANT_GROUPS[(is_high(s, threshold), is_high(d, threshold))]
        for s, d in zip(table["science_score"], table["digital_score"], strict=True)
    ]
    order = table["science_score"] + table["digital_score"]
    table = table.assign(_order=order).sort_values(["_order", "person_id"], ascending=[False, True])
    columns = [
        "person_id",
        "name",
        "science_score",
        "kol_score",
        "dol_score",
        "digital_score",
        "group",
    ]
    return table[columns].reset_index(drop=True)
